-- =====================================================================================================================
-- Section - A first name two staff members share is asked about, not denied
-- =====================================================================================================================
-- "Bob" where the team has Bob Smith and Bob Jones found no one (find_staff_member takes a first name only when it is
-- unique), and the caller heard "There is no one called Bob on our team" — with both Bobs in the list (helper-70).
-- It now asks which of them; the reason stays `unknown_staff`. A name said with a double space inside ("Maria  Lopez")
-- is read with one.

insert into private.message_catalog (language, key, template) values
  ('en', 'staff.which', 'More than one person called {staff} is on our team: {matches}. Which one would you like?'),
  ('es', 'staff.which', 'Hay más de una persona llamada {staff} en nuestro equipo: {matches}. ¿Con cuál de ellas prefiere la cita?')
on conflict (language, key) do nothing;

/**
  * The staff member asked for (by full name, or a first name only one active member has) and, when the name cannot be
  * used, what to say: nobody by that name (with the team), several with that first name (which one?), or not doing
  * that service. No name, or no active staff: neither.
  */
create or replace function private.resolve_staff(
  p_call private.tool_call_context, p_name text, p_service public.services, out staff public.staff_members,
  out problem text)
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_name text := pg_catalog.regexp_replace(p_name, '[[:space:]]+', ' ', 'g'); -- "Maria  Lopez" as one space
  v_namesakes text;
begin
  if p_name is null or not private.has_staff(p_call.organization_id) then
    return;
  end if;
  staff := private.find_staff_member(p_call.organization_id, p_name);
  if staff.id is null and v_name <> p_name then
    staff := private.find_staff_member(p_call.organization_id, v_name); -- a stored name may hold a double space itself
  end if;
  if staff.id is null then
    -- The first names find_staff_member matches, when more than one active member has it.
    select case when count(*) > 1 then pg_catalog.string_agg(s.name, ', ' order by s.name) end into v_namesakes
    from public.staff_members as s
    where s.organization_id = p_call.organization_id and s.is_active
      and pg_catalog.lower(pg_catalog.split_part(pg_catalog.btrim(s.name), ' ', 1))
          = pg_catalog.lower(pg_catalog.btrim(v_name));
    problem := case when v_namesakes is not null
      then private.say(p_call.language, 'staff.which',
                       pg_catalog.jsonb_build_object('staff', v_name, 'matches', v_namesakes))
      else private.say(p_call.language, 'staff.unknown', pg_catalog.jsonb_build_object('staff', v_name,
        'team', (select pg_catalog.string_agg(s.name, ', ' order by s.name) from public.staff_members as s
                 where s.organization_id = p_call.organization_id and s.is_active)))
      end;
  elsif p_service.id is not null
        and exists (select 1 from public.staff_services as q where q.staff_member_id = staff.id)
        and not exists (select 1 from public.staff_services as q
                        where q.staff_member_id = staff.id and q.service_id = p_service.id) then
    problem := private.say(p_call.language, 'staff.not_qualified',
                           pg_catalog.jsonb_build_object('staff', staff.name, 'service', p_service.name));
  end if;
end;
$$;
