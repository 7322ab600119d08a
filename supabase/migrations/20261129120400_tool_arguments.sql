-- =====================================================================================================================
-- Section - Tool arguments checked for what they are, and the spoken sentences every tool shares
-- =====================================================================================================================

/**
  * The instant an assistant meant by an ISO-8601 `start_time`: with an offset (`Z`, `-05:00`) exactly that instant;
  * without one, wall-clock time in the organization's zone (DST-correct). Null when it is not a valid date-time —
  * `10:00:60`, `24:00` and `infinity` included (PostgreSQL itself would accept the first two).
  */
create or replace function private.parse_start_time(p_value text, p_timezone text)
  returns timestamptz
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_parts text[] := pg_catalog.regexp_match(pg_catalog.btrim(p_value),
    '^([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt ]((?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{1,6})?)?)([Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)?$');
begin
  if v_parts is null then
    return null;
  end if;
  if v_parts[3] is null then
    return (v_parts[1] || ' ' || v_parts[2])::timestamp at time zone p_timezone;
  end if;
  return (v_parts[1] || ' ' || v_parts[2] || pg_catalog.upper(v_parts[3]))::timestamptz;
exception
  when data_exception then
    return null; -- e.g. 2027-02-30T10:00, or an offset beyond ±15:59
end;
$$;

/** The first of p_keys whose argument is present but neither a string nor null (a name sent as an object). */
create or replace function private.non_text_argument(p_arguments jsonb, p_keys text[])
  returns text
  language plpgsql
  immutable
  set search_path = ''
as $$
begin
  return (select k.key
    from pg_catalog.unnest(p_keys) with ordinality as k(key, n)
    where pg_catalog.jsonb_typeof(p_arguments -> k.key) not in ('string', 'null')
    order by k.n
    limit 1);
end;
$$;

/** ` for Furnace repair with Maria` / ` (Reparación) con María`: what and with whom, in the call's language. */
create or replace function private.appointment_details(p_language text, p_service text, p_staff_name text)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return (select case when p_service is not null
                then private.say(p_language, 'appointment.for_service', pg_catalog.jsonb_build_object('service', p_service))
                else '' end
        || case when p_staff_name is not null
                then private.say(p_language, 'appointment.with_staff', pg_catalog.jsonb_build_object('staff', p_staff_name))
                else '' end);
end;
$$;

/** `Times are in New York time.` in the call's language. */
create or replace function private.zone_sentence(p_call private.tool_call_context)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return (select private.say(p_call.language, 'slots.zone',
      pg_catalog.jsonb_build_object('zone', private.spoken_zone((p_call.organization).timezone, p_call.language))));
end;
$$;

/** `Nearest open times: …. Times are in New York time.` — what a refused time is answered with. */
create or replace function private.nearest_open_times_sentence(
  p_call private.tool_call_context, p_start timestamptz, p_duration interval, p_buffer interval, p_service_id uuid,
  p_staff_member_id uuid)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_org public.organizations := p_call.organization;
  v_slots timestamptz[] := private.nearest_open_slots(v_org.id, p_start, p_duration, 3, p_buffer, p_service_id,
                                                      p_staff_member_id);
begin
  return case when pg_catalog.cardinality(v_slots) > 0
              then private.say(p_call.language, 'slots.nearest', pg_catalog.jsonb_build_object(
                     'slots', private.describe_slots(v_slots, v_org.timezone, p_call.language)))
              else private.say(p_call.language, 'slots.none_two_weeks') end
      || ' ' || private.zone_sentence(p_call);
end;
$$;

/**
  * Why a job at [p_start, p_end) cannot be booked whoever is free: `past_time`, `too_soon` (min_notice_minutes),
  * `beyond_horizon` (max_advance_days) or `outside_hours`, with the spoken message; both null when acceptable.
  */
create or replace function private.time_problem(
  p_call private.tool_call_context, p_start timestamptz, p_end timestamptz, p_buffer interval, p_service_id uuid,
  p_staff_member_id uuid, out reason text, out message text)
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_org public.organizations := p_call.organization;
begin
  if p_start <= pg_catalog.now() then
    reason := 'past_time';
    message := private.say(p_call.language, 'time.past');
    return;
  elsif p_start < pg_catalog.now() + pg_catalog.make_interval(mins => v_org.min_notice_minutes) then
    reason := 'too_soon';
    message := private.say(p_call.language, 'time.too_soon',
                           pg_catalog.jsonb_build_object('minutes', v_org.min_notice_minutes));
  elsif p_start > pg_catalog.now() + pg_catalog.make_interval(days => v_org.max_advance_days) then
    reason := 'beyond_horizon';
    message := private.say(p_call.language, 'time.too_far', pg_catalog.jsonb_build_object('days', v_org.max_advance_days));
    return;
  elsif not private.is_within_business_hours(v_org.id, v_org.timezone, p_start, p_end) then
    reason := 'outside_hours';
    message := private.say(p_call.language, 'time.closed');
  else
    return;
  end if;
  message := message || ' ' || private.nearest_open_times_sentence(p_call, p_start, p_end - p_start, p_buffer,
                                                                   p_service_id, p_staff_member_id);
end;
$$;

/**
  * The service a call asks for. An organization without services takes any text (one calendar, as before). With a
  * catalog, the name or an alias must match; otherwise `problem` lists what it offers (also when p_required and none
  * was named).
  */
create or replace function private.resolve_service(
  p_call private.tool_call_context, p_name text, p_required boolean, out service public.services, out problem text)
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_offered text;
begin
  select pg_catalog.string_agg(s.name, ', ' order by s.name) into v_offered
  from public.services as s where s.organization_id = p_call.organization_id and s.is_active;
  if v_offered is null or (p_name is null and not p_required) then
    return;
  end if;
  service := private.find_service(p_call.organization_id, p_name);
  if service.id is null then
    problem := private.say(p_call.language, case when p_name is null then 'service.which' else 'service.unknown' end,
                           pg_catalog.jsonb_build_object('service', p_name, 'services', v_offered));
  end if;
end;
$$;

/**
  * The staff member a caller asked for (`staff_name`), in an organization that has staff: unknown → `problem` names
  * the team; one who does not perform the service → `problem` says so. No name → both null.
  */
create or replace function private.resolve_staff(
  p_call private.tool_call_context, p_name text, p_service public.services, out staff public.staff_members,
  out problem text)
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  if p_name is null or not private.has_staff(p_call.organization_id) then
    return;
  end if;
  staff := private.find_staff_member(p_call.organization_id, p_name);
  if staff.id is null then
    problem := private.say(p_call.language, 'staff.unknown', pg_catalog.jsonb_build_object('staff', p_name,
      'team', (select pg_catalog.string_agg(s.name, ', ' order by s.name) from public.staff_members as s
               where s.organization_id = p_call.organization_id and s.is_active)));
  elsif p_service.id is not null
        and exists (select 1 from public.staff_services as q where q.staff_member_id = staff.id)
        and not exists (select 1 from public.staff_services as q
                        where q.staff_member_id = staff.id and q.service_id = p_service.id) then
    problem := private.say(p_call.language, 'staff.not_qualified',
                           pg_catalog.jsonb_build_object('staff', staff.name, 'service', p_service.name));
  end if;
end;
$$;

/** The spoken refusal when nobody (or the person asked for) is free then, with the nearest open times. */
create or replace function private.taken_message(
  p_call private.tool_call_context, p_staff public.staff_members, p_start timestamptz, p_duration interval,
  p_buffer interval, p_service_id uuid)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return (select case when p_staff.id is not null
                then private.say(p_call.language, 'staff.busy', pg_catalog.jsonb_build_object('staff', p_staff.name))
                else private.say(p_call.language, 'slot.taken') end
        || ' ' || private.nearest_open_times_sentence(p_call, p_start, p_duration, p_buffer, p_service_id, p_staff.id));
end;
$$;

/**
  * What book, reschedule and cancel answer about an appointment (JSON text, single line): machine keys, and the
  * spoken `message` (catalog key p_message_key with {name}, {details}, {when}, {zone}).
  */
create or replace function private.appointment_result(
  p_call private.tool_call_context, p_appointment public.appointments, p_status text, p_message_key text)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_timezone text := (p_call.organization).timezone;
  v_staff_name text := (select s.name from public.staff_members as s where s.id = p_appointment.staff_member_id);
begin
  return pg_catalog.jsonb_build_object(
    'status', p_status,
    'appointment_id', p_appointment.id,
    'start_time', private.to_local_iso(p_appointment.start_time, v_timezone),
    'end_time', private.to_local_iso(p_appointment.end_time, v_timezone),
    'timezone', v_timezone,
    'organization_id', p_call.organization_id,
    'service', p_appointment.service,
    'staff_name', v_staff_name,
    'message', private.say(p_call.language, p_message_key, pg_catalog.jsonb_build_object(
      'name', p_appointment.customer_name,
      'details', private.appointment_details(p_call.language, p_appointment.service, v_staff_name),
      'when', private.spoken_time(p_appointment.start_time, v_timezone, p_call.language),
      'zone', private.spoken_zone(v_timezone, p_call.language))))::text;
end;
$$;

drop function private.slot_taken_message(public.organizations, timestamptz, timestamptz);
drop function private.nearest_open_times_sentence(uuid, text, timestamptz, interval);
drop function private.time_problem(public.organizations, timestamptz, timestamptz);
drop function private.booked_result(public.organizations, public.appointments, text);
-- English-only predecessor of private.spoken_time; nothing calls it any more.
drop function private.to_spoken_time(timestamptz, text);
