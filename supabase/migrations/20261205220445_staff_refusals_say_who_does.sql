-- =====================================================================================================================
-- Section - A staff member who does not do the service: who does
-- =====================================================================================================================
-- helper-86 #5: "Dr Tom O'Brien does not do Hygiene." left the caller guessing who does; "There is no one called Tom
-- … Our team: Dr Amelia Shah, Sarah Jones" for a check-up named a hygienist who does not do them; "More than one
-- person called Sarah… Which one?" when neither Sarah does the service led only to a refusal. With a service asked
-- for, these answers now name who performs it: "… does not do Hygiene; it is done by: Sarah Jones.", the team
-- list is those who perform it, and several of the name of whom none performs it are said so. CREATE OR REPLACE
-- keeps grants.
-- Nobody active performs it (the only hygienist left): the refusal alone, as before (helper-87 #3).
insert into private.message_catalog (language, key, template) values
  ('en', 'staff.not_qualified_who', '{staff} does not do {service}; it is done by: {team}.'),
  ('es', 'staff.not_qualified_who', '{staff} no hace {service}. Puede pedir cita con: {team}.'),
  ('en', 'staff.none_qualified', 'None of them ({matches}) does {service}.'),
  ('es', 'staff.none_qualified', 'Ninguna de estas personas ({matches}) hace {service}.'),
  ('en', 'staff.none_qualified_who', 'None of them ({matches}) does {service}; it is done by: {team}.'),
  ('es', 'staff.none_qualified_who', 'Ninguna de estas personas ({matches}) hace {service}. Puede pedir cita con: {team}.');

/** The active staff of the organization who perform p_service (everyone without a staff_services row of theirs does
    every service), by name; null when nobody does. Only for refusals: never on the way to a booking. */
create function private.service_performers(p_organization_id uuid, p_service_id uuid)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return (select pg_catalog.string_agg(s.name, ', ' order by s.name) from public.staff_members as s
          where s.organization_id = p_organization_id and s.is_active
            and (not exists (select from public.staff_services as q where q.staff_member_id = s.id)
                 or exists (select from public.staff_services as q
                            where q.staff_member_id = s.id and q.service_id = p_service_id)));
end;
$$;
revoke all on function private.service_performers(uuid, uuid) from public;

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
  v_performs boolean; -- a service was asked for and someone found performs it
  v_pick uuid;
  v_performers text; -- who performs the service asked for: said in a refusal, so the caller hears whom to ask for
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
         pg_catalog.array_agg(p.id order by p.name) filter (where p.as_written),
         p_service.id is not null and pg_catalog.bool_or(p.performs)
    into v_found, v_as_written, v_performs
  from pool as p;
  v_pick := case when pg_catalog.cardinality(v_as_written) > 0 then v_as_written[1]
                 when pg_catalog.cardinality(v_found) = 1 then v_found[1] end;

  if v_pick is not null then
    select s.* into staff from public.staff_members as s where s.id = v_pick;
  elsif pg_catalog.cardinality(v_found) > 1 and p_service.id is not null and not v_performs then
    -- "Which Sarah?" when neither does the service would only lead to a refusal.
    v_performers := private.service_performers(p_call.organization_id, p_service.id);
    problem := private.say(p_call.language, case when v_performers is null then 'staff.none_qualified'
                                                 else 'staff.none_qualified_who' end, pg_catalog.jsonb_build_object(
      'matches', (select pg_catalog.string_agg(s.name, ', ' order by s.name) from public.staff_members as s
                  where s.id = any(v_found)),
      'service', p_service.name, 'team', v_performers));
    return;
  elsif pg_catalog.cardinality(v_found) > 1 then
    problem := private.say(p_call.language, 'staff.which', pg_catalog.jsonb_build_object('staff', v_spoken,
      'matches', (select pg_catalog.string_agg(s.name, ', ' order by s.name) from public.staff_members as s
                  where s.id = any(v_found))));
    return;
  else
    if p_service.id is not null then
      v_performers := private.service_performers(p_call.organization_id, p_service.id);
    end if;
    problem := private.say(p_call.language, 'staff.unknown', pg_catalog.jsonb_build_object('staff', v_spoken,
      'team', coalesce(v_performers, (select pg_catalog.string_agg(s.name, ', ' order by s.name)
                                      from public.staff_members as s
                                      where s.organization_id = p_call.organization_id and s.is_active))));
    return;
  end if;
  if p_service.id is not null
     and exists (select 1 from public.staff_services as q where q.staff_member_id = staff.id)
     and not exists (select 1 from public.staff_services as q
                     where q.staff_member_id = staff.id and q.service_id = p_service.id) then
    v_performers := private.service_performers(p_call.organization_id, p_service.id);
    problem := private.say(p_call.language, case when v_performers is null then 'staff.not_qualified'
                                                 else 'staff.not_qualified_who' end,
                           pg_catalog.jsonb_build_object('staff', staff.name, 'service', p_service.name,
                                                         'team', v_performers));
  end if;
end;
$$;
