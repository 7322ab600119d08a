-- =====================================================================================================================
-- Section - Staff are found the way callers name them
-- =====================================================================================================================
-- Only the exact full name or a first name found anyone: a clinic's "Dr Amelia Shah" was "no one called Amelia Shah"
-- (nor "Dr Shah", "Doctor Shah", "Dr. Amelia Shah"), and a Spanish caller's "María" did not find "Maria Lopez"
-- (helper-78). A name is now compared as words — letter case, accents and punctuation aside, titles (Dr, Doctor, Mr,
-- Mrs, Ms, Miss, Prof, Dra, Doctora, Sr, Sra, Srta, Señor, Señora, Señorita, and "the", "el", "la" right before them)
-- left out on both sides — and a staff member is found when the words said appear in their name in that order:
-- "Amelia", "Shah", "Dr Shah" and "Amelia Shah" all find "Dr Amelia Shah". Of those found, the ones whose words are
-- exactly those said are meant when there are any ("Tom" is Tom, not Tom Baker; "Sam" who does not do the service is
-- told so, never swapped for Sam Hill); of those, the ones who perform the service asked for when any do ("maria lopez"
-- for a check-up is the María López who does them); then the name as written wins ("María López" over "Maria Lopez"),
-- else the only one, else the caller is asked which. find_staff_member is replaced by this.
-- CREATE OR REPLACE keeps grants.

/**
  * A name as words to compare: lower case, without accents, apostrophes or other punctuation, and without titles
  * (unless it is only a title). An apostrophe joins ("O'Brien" is obrien), or with p_apostrophe_splits separates
  * ("o brien", as speech-to-text writes it).
  */
create function private.name_words(p_name text, p_apostrophe_splits boolean default false)
  returns text[]
  language plpgsql
  immutable
  set search_path = ''
as $$
declare
  v_words text[] := pg_catalog.regexp_split_to_array(pg_catalog.btrim(pg_catalog.regexp_replace(
    pg_catalog.regexp_replace(pg_catalog.normalize(pg_catalog.lower(p_name), 'NFD'),
                              case when p_apostrophe_splits then '[\u0300-\u036f]' else '[\u0300-\u036f''’]' end, '', 'g'),
    '[^[:alnum:]]+', ' ', 'g')), ' ');
  v_titles text[] := array['dr', 'doctor', 'mr', 'mrs', 'ms', 'miss', 'prof', 'professor',
                           'dra', 'doctora', 'sr', 'sra', 'srta', 'senor', 'senora', 'senorita'];
begin
  -- A title goes, and "the", "el" or "la" right before one ("la doctora García"); "La" in "Minh La" stays.
  return coalesce(nullif(array(
    select w.word
    from (select u.word, u.n, pg_catalog.lead(u.word) over (order by u.n) as next_word
          from pg_catalog.unnest(v_words) with ordinality as u(word, n)) as w
    where w.word <> all (v_titles)
      and not (w.word in ('the', 'el', 'la') and coalesce(w.next_word = any (v_titles), false))
    order by w.n), '{}'), v_words);
end;
$$;
revoke all on function private.name_words(text, boolean) from public;

/** True when every word said appears in the name, in the order said (other words may lie between). */
create function private.words_in_order(p_said text[], p_name text[])
  returns boolean
  language plpgsql
  immutable
  set search_path = ''
as $$
declare
  v_at integer := 1;
  v_word text;
begin
  foreach v_word in array p_said loop
    while v_at <= pg_catalog.cardinality(p_name) and p_name[v_at] <> v_word loop
      v_at := v_at + 1;
    end loop;
    if v_at > pg_catalog.cardinality(p_name) then
      return false;
    end if;
    v_at := v_at + 1;
  end loop;
  return true;
end;
$$;
revoke all on function private.words_in_order(text[], text[]) from public;

create or replace function private.resolve_staff(
  p_call private.tool_call_context, p_name text, p_service public.services, out staff public.staff_members,
  out problem text)
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_spoken text;
  v_said text[];
  v_found uuid[];
  v_as_written uuid[];
  v_pick uuid;
begin
  if p_name is null or not private.has_staff(p_call.organization_id) then
    return;
  end if;
  v_spoken := pg_catalog.regexp_replace(pg_catalog.btrim(p_name), '[[:space:]]+', ' ', 'g');
  v_said := private.name_words(p_name);
  -- Everyone the words find; of them those whose words are exactly the ones said, when any are; of those, the ones who
  -- perform the service asked for, when any do. So "Sam" is Sam (who may not do it: said so), never Sam Hill.
  with found as (
    select s.id, s.name,
           pg_catalog.lower(pg_catalog.regexp_replace(pg_catalog.btrim(s.name), '[[:space:]]+', ' ', 'g'))
             = pg_catalog.lower(v_spoken) as as_written,
           v_said in (w.joined, w.split) as exact,
           p_service.id is null
             or not exists (select from public.staff_services as q where q.staff_member_id = s.id)
             or exists (select from public.staff_services as q
                        where q.staff_member_id = s.id and q.service_id = p_service.id) as performs
    from public.staff_members as s
    cross join lateral (select private.name_words(s.name) as joined, private.name_words(s.name, true) as split) as w
    where s.organization_id = p_call.organization_id and s.is_active
      and (private.words_in_order(v_said, w.joined) or private.words_in_order(v_said, w.split))
  ), named as (
    select * from found as f where f.exact or not exists (select from found as x where x.exact)
  ), pool as (
    select * from named as f where f.performs or not exists (select from named as p where p.performs)
  )
  select pg_catalog.array_agg(p.id order by p.name),
         pg_catalog.array_agg(p.id order by p.name) filter (where p.as_written)
    into v_found, v_as_written
  from pool as p;
  v_pick := case when pg_catalog.cardinality(v_as_written) > 0 then v_as_written[1]
                 when pg_catalog.cardinality(v_found) = 1 then v_found[1] end;

  if v_pick is not null then
    select s.* into staff from public.staff_members as s where s.id = v_pick;
  elsif pg_catalog.cardinality(v_found) > 1 then
    problem := private.say(p_call.language, 'staff.which', pg_catalog.jsonb_build_object('staff', v_spoken,
      'matches', (select pg_catalog.string_agg(s.name, ', ' order by s.name) from public.staff_members as s
                  where s.id = any(v_found))));
    return;
  else
    problem := private.say(p_call.language, 'staff.unknown', pg_catalog.jsonb_build_object('staff', v_spoken,
      'team', (select pg_catalog.string_agg(s.name, ', ' order by s.name) from public.staff_members as s
               where s.organization_id = p_call.organization_id and s.is_active)));
    return;
  end if;
  if p_service.id is not null
     and exists (select 1 from public.staff_services as q where q.staff_member_id = staff.id)
     and not exists (select 1 from public.staff_services as q
                     where q.staff_member_id = staff.id and q.service_id = p_service.id) then
    problem := private.say(p_call.language, 'staff.not_qualified',
                           pg_catalog.jsonb_build_object('staff', staff.name, 'service', p_service.name));
  end if;
end;
$$;

drop function private.find_staff_member(uuid, text);
