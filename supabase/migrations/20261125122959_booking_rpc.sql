-- =====================================================================================================================
-- Section - Argument and time helpers (shared by booking and rescheduling)
-- =====================================================================================================================

/**
  * The instant an assistant meant by an ISO-8601 `start_time`: with an offset (`Z`, `-05:00`) exactly that instant;
  * without one, wall-clock time in the organization's zone (DST-correct). Null when it is not a valid date-time.
  */
create or replace function private.parse_start_time(p_value text, p_timezone text)
  returns timestamptz
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_parts text[] := pg_catalog.regexp_match(pg_catalog.btrim(p_value),
    '^([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt ]([0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?)([Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)?$');
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

/** duration_minutes as the model sent it (60, 60.0 or "60"), the default when absent, null when unusable. */
create or replace function private.parse_duration_minutes(p_value jsonb, p_default integer)
  returns integer
  language sql
  immutable
  set search_path = ''
as $$
  select case
    when p_value is null or p_value = 'null'::jsonb then p_default
    when (p_value #>> '{}') ~ '^[0-9]{1,3}(\.0*)?$' and (p_value #>> '{}')::numeric between 5 and 480
      then (p_value #>> '{}')::numeric::integer
  end
$$;

/** ` Nearest open times: …. Times are in <zone>.` — what a refused time is answered with. */
create or replace function private.nearest_open_times_sentence(
  p_organization_id uuid, p_timezone text, p_start timestamptz, p_duration interval)
  returns text
  language sql
  stable
  set search_path = ''
as $$
  select coalesce('Nearest open times: '
                    || private.describe_slots(private.nearest_open_slots(p_organization_id, p_start, p_duration),
                                              p_timezone) || '.',
                  'There are no open times in the next two weeks.')
      || ' Times are in ' || p_timezone || '.'
$$;

/**
  * Why [p_start, p_end) cannot be booked for this organization regardless of other appointments: `past_time` or
  * `outside_hours` with a spoken message; both null when the time is acceptable.
  */
create or replace function private.time_problem(
  p_organization public.organizations, p_start timestamptz, p_end timestamptz, out reason text, out message text)
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  if p_start <= pg_catalog.now() then
    reason := 'past_time';
    message := 'That time has already passed. Please choose a time in the future.';
  elsif not private.is_within_business_hours(p_organization.id, p_organization.timezone, p_start, p_end) then
    reason := 'outside_hours';
    message := 'We are not open at that time. '
      || private.nearest_open_times_sentence(p_organization.id, p_organization.timezone, p_start, p_end - p_start);
  end if;
end;
$$;

/** The spoken refusal when the exclusion constraint found an overlapping appointment. */
create or replace function private.slot_taken_message(
  p_organization public.organizations, p_start timestamptz, p_end timestamptz)
  returns text
  language sql
  stable
  set search_path = ''
as $$
  select 'That time is already taken. '
      || private.nearest_open_times_sentence(p_organization.id, p_organization.timezone, p_start, p_end - p_start)
$$;

/** The result an assistant gets for a booked appointment (JSON text, single line). */
create or replace function private.booked_result(
  p_organization public.organizations, p_appointment public.appointments, p_status text)
  returns text
  language sql
  stable
  set search_path = ''
as $$
  select pg_catalog.jsonb_build_object(
    'status', p_status,
    'appointment_id', p_appointment.id,
    'start_time', private.to_local_iso(p_appointment.start_time, p_organization.timezone),
    'end_time', private.to_local_iso(p_appointment.end_time, p_organization.timezone),
    'timezone', p_organization.timezone,
    'organization_id', p_organization.id,
    'message', case when p_status = 'rescheduled' then 'Moved the appointment of ' else 'Booked ' end
               || p_appointment.customer_name || coalesce(' for ' || p_appointment.service, '')
               || case when p_status = 'rescheduled' then ' to ' else ' on ' end
               || private.to_spoken_time(p_appointment.start_time, p_organization.timezone)
               || ' (' || p_organization.timezone || ').')::text
$$;

-- =====================================================================================================================
-- Section - The tool
-- =====================================================================================================================

/**
  * book_appointment for a resolved, claimed tool call: validate → interpret start_time in the organization's zone →
  * refuse past or closed times → insert (the exclusion constraint decides races). Spoken errors are returned,
  * never raised.
  */
create or replace function private.book_appointment(p_call private.tool_call_context)
  returns jsonb
  language plpgsql
  volatile
  set search_path = ''
as $$
declare
  v_org public.organizations := p_call.organization;
  v_args jsonb := p_call.arguments;
  v_start timestamptz := private.parse_start_time(v_args ->> 'start_time', v_org.timezone);
  v_minutes integer := private.parse_duration_minutes(v_args -> 'duration_minutes', v_org.default_appointment_minutes);
  v_end timestamptz;
  v_name text := nullif(pg_catalog.btrim(v_args ->> 'customer_name'), '');
  v_service text := nullif(pg_catalog.btrim(v_args ->> 'service'), '');
  v_notes text := nullif(pg_catalog.btrim(v_args ->> 'notes'), '');
  v_phone_given text := nullif(pg_catalog.btrim(v_args ->> 'customer_phone'), '');
  v_phone text := private.normalize_e164(v_args ->> 'customer_phone');
  v_problem record;
  v_error text;
  v_appointment public.appointments;
begin
  if nullif(pg_catalog.btrim(v_args ->> 'start_time'), '') is null then
    v_error := 'I need the date and time for the appointment.';
  elsif v_start is null then
    v_error := 'I could not understand that date and time. Please say the day and the time again.';
  elsif v_name is null then
    v_error := 'I need the name for the appointment.';
  elsif pg_catalog.length(v_name) > 200 or pg_catalog.length(v_service) > 200 or pg_catalog.length(v_notes) > 2000 then
    v_error := 'Some of the booking details are too long. Please keep them short.';
  elsif v_phone_given is not null and v_phone is null then
    v_error := 'That phone number does not look right. Please say it again with the country code.';
  elsif v_minutes is null then
    v_error := 'The appointment length must be between 5 minutes and 8 hours.';
  end if;
  if v_error is not null then
    return private.refuse_tool_call(p_call, v_error, 'invalid_arguments');
  end if;

  v_end := v_start + pg_catalog.make_interval(mins => v_minutes);
  v_problem := private.time_problem(v_org, v_start, v_end);
  if v_problem.reason is not null then
    return private.refuse_tool_call(p_call, v_problem.message, v_problem.reason);
  end if;

  perform private.lock_calendar(v_org.id);
  begin
    insert into public.appointments (organization_id, start_time, end_time, customer_name, customer_phone, service,
                                     notes, vapi_call_id, tool_call_id)
    values (v_org.id, v_start, v_end, v_name, v_phone, v_service, v_notes, p_call.vapi_call_id, p_call.tool_call_key)
    returning * into v_appointment;
  exception
    when exclusion_violation then
      return private.answer_tool_call(p_call, false,
        private.slot_taken_message(v_org, v_start, v_end) || ' Nothing was booked.', 'slot_taken');
  end;
  return private.answer_tool_call(p_call, true, private.booked_result(v_org, v_appointment, 'booked'), 'booked');
end;
$$;

-- =====================================================================================================================
-- Section - Public functions (the webhook RPC)
-- =====================================================================================================================

/**
  * book_appointment in ONE transaction: resolve the tenant → replay the stored answer of this (call, tool call) →
  * book → remember the call → store and return the answer (docs/rpc-contract.md).
  */
create or replace function public.resolve_org_and_book(
  p_assistant_id text default null,
  p_phone_number text default null,
  p_vapi_call_id text default null,
  p_tool_call_id text default null,
  p_arguments jsonb default '{}'::jsonb)
  returns jsonb
  language sql
  volatile
  security definer
  set search_path = ''
as $$
  select coalesce(c.answer, private.book_appointment(c))
  from private.begin_tool_call(p_assistant_id, p_phone_number, p_vapi_call_id, p_tool_call_id, 'book_appointment',
                               p_arguments) as c
$$;
revoke all on function public.resolve_org_and_book(text, text, text, text, jsonb) from public, anon, authenticated;
grant execute on function public.resolve_org_and_book(text, text, text, text, jsonb) to service_role;
