-- =====================================================================================================================
-- Section - Staff are found the way callers name them
-- =====================================================================================================================
-- Only the exact full name or a first name found anyone: a clinic's "Dr Amelia Shah" was "no one called Amelia Shah"
-- (nor "Dr Shah", "Doctor Shah", "Dr. Amelia Shah"), and a Spanish caller's "María" did not find "Maria Lopez"
-- (helper-78). A name is now compared as words — letter case, accents and punctuation aside, titles (Dr, Doctor, Mr,
-- Mrs, Ms, Miss, Prof, Dra, Doctora, Sr, Sra, Srta, Señor, Señora, Señorita, and "the", "el", "la" before them) left
-- out on both sides — and a staff member is found when the words said appear in their name in that order: "Amelia",
-- "Shah", "Dr Shah" and "Amelia Shah" all find "Dr Amelia Shah". Of those found, the ones who perform the service asked
-- for are chosen from when any do; among them the name as written wins ("María López" over "Maria Lopez", "Tom" over
-- "Tom Baker"), then the one whose words are exactly those said (several: asked which), then the only one; else the
-- caller is asked which. find_staff_member is replaced by this.
-- CREATE OR REPLACE keeps grants.

/**
  * A name as words to compare: lower case, without accents, apostrophes or other punctuation, and without titles
  * (unless it is only a title).
  */
create function private.name_words(p_name text)
  returns text[]
  language plpgsql
  immutable
  set search_path = ''
as $$
declare
  v_words text[] := pg_catalog.regexp_split_to_array(pg_catalog.btrim(pg_catalog.regexp_replace(
    pg_catalog.regexp_replace(pg_catalog.normalize(pg_catalog.lower(p_name), 'NFD'), '[\u0300-\u036f''’]', '', 'g'),
    '[^[:alnum:]]+', ' ', 'g')), ' ');
begin
  return coalesce(nullif(array(
    select w.word from pg_catalog.unnest(v_words) with ordinality as w(word, n)
    where w.word <> all (array['the', 'dr', 'doctor', 'mr', 'mrs', 'ms', 'miss', 'prof', 'professor',
                               'el', 'la', 'dra', 'doctora', 'sr', 'sra', 'srta', 'senor', 'senora', 'senorita'])
    order by w.n), '{}'), v_words);
end;
$$;
revoke all on function private.name_words(text) from public;

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
  v_exact uuid[];
  v_pick uuid;
begin
  if p_name is null or not private.has_staff(p_call.organization_id) then
    return;
  end if;
  v_spoken := pg_catalog.regexp_replace(pg_catalog.btrim(p_name), '[[:space:]]+', ' ', 'g');
  v_said := private.name_words(p_name);
  -- Everyone the words find; of them, those who perform the service asked for when there are any.
  with found as (
    select s.id, s.name,
           pg_catalog.lower(pg_catalog.regexp_replace(pg_catalog.btrim(s.name), '[[:space:]]+', ' ', 'g'))
             = pg_catalog.lower(v_spoken) as as_written,
           private.name_words(s.name) = v_said as exact,
           p_service.id is null
             or not exists (select from public.staff_services as q where q.staff_member_id = s.id)
             or exists (select from public.staff_services as q
                        where q.staff_member_id = s.id and q.service_id = p_service.id) as performs
    from public.staff_members as s
    where s.organization_id = p_call.organization_id and s.is_active
      and private.words_in_order(v_said, private.name_words(s.name))
  ), pool as (
    select * from found as f where f.performs or not exists (select from found as p where p.performs)
  )
  select pg_catalog.array_agg(p.id order by p.name),
         pg_catalog.array_agg(p.id order by p.name) filter (where p.as_written),
         pg_catalog.array_agg(p.id order by p.name) filter (where p.exact)
    into v_found, v_as_written, v_exact
  from pool as p;
  v_pick := case
    when pg_catalog.cardinality(v_as_written) > 0 then v_as_written[1]
    when pg_catalog.cardinality(v_exact) > 0 then case when pg_catalog.cardinality(v_exact) = 1 then v_exact[1] end
    when pg_catalog.cardinality(v_found) = 1 then v_found[1] end;

  if v_pick is not null then
    select s.* into staff from public.staff_members as s where s.id = v_pick;
  elsif pg_catalog.cardinality(v_found) > 1 then
    -- Of those whose words are exactly the ones said, else of all found (performing the service, where any do).
    problem := private.say(p_call.language, 'staff.which', pg_catalog.jsonb_build_object('staff', v_spoken,
      'matches', (select pg_catalog.string_agg(s.name, ', ' order by s.name) from public.staff_members as s
                  where s.id = any(case when pg_catalog.cardinality(v_exact) > 1 then v_exact else v_found end))));
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
