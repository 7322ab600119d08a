-- =====================================================================================================================
-- Section - Argument helpers
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
  when invalid_datetime_format or datetime_field_overflow then
    return null; -- e.g. 2026-02-30T10:00
end;
$$;

/** duration_minutes as the model sent it (number or numeric string), default when absent, null when unusable. */
create or replace function private.parse_duration_minutes(p_value jsonb, p_default integer)
  returns integer
  language sql
  immutable
  set search_path = ''
as $$
  select case
    when p_value is null or p_value = 'null'::jsonb then p_default
    when (p_value #>> '{}') ~ '^[0-9]{1,3}$' and (p_value #>> '{}')::integer between 5 and 480 then (p_value #>> '{}')::integer
  end
$$;

-- =====================================================================================================================
-- Section - Public functions (the webhook RPC)
-- =====================================================================================================================

/**
  * book_appointment, in ONE transaction: resolve the tenant → replay a stored response for this (call, tool call)
  * → validate → interpret start_time in the organization's zone → refuse past or closed times → insert (the
  * exclusion constraint decides races) → remember the call → store and return the response.
  * Always returns the docs/rpc-contract.md shape; spoken errors are returned, never raised.
  */
create or replace function public.resolve_org_and_book(
  p_assistant_id text default null,
  p_phone_number text default null,
  p_vapi_call_id text default null,
  p_tool_call_id text default null,
  p_arguments jsonb default '{}'::jsonb)
  returns jsonb
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
declare
  v_args jsonb := case when pg_catalog.jsonb_typeof(p_arguments) = 'object' then p_arguments else '{}'::jsonb end;
  v_call_id text := nullif(pg_catalog.btrim(p_vapi_call_id), '');
  v_tool_call_id text;
  v_organization_id uuid;
  v_org public.organizations;
  v_resolved_by text;
  v_replay jsonb;
  v_start timestamptz;
  v_end timestamptz;
  v_minutes integer;
  v_name text := nullif(pg_catalog.btrim(v_args ->> 'customer_name'), '');
  v_phone_given text := nullif(pg_catalog.btrim(v_args ->> 'customer_phone'), '');
  v_phone text := private.normalize_e164(v_args ->> 'customer_phone');
  v_error text;
  v_reason text := 'invalid_arguments';
  v_appointment_id uuid;
  v_response jsonb;
begin
  select r.organization_id, r.resolved_by into v_organization_id, v_resolved_by
  from private.resolve_organization(p_assistant_id, p_phone_number, v_call_id) as r;
  select o.* into v_org from public.organizations as o where o.id = v_organization_id;
  if v_org.id is null then
    return private.tool_response(false, 'Organization not found for this assistant', 'organization_not_found', null, null);
  end if;

  v_tool_call_id := coalesce(nullif(pg_catalog.btrim(p_tool_call_id), ''),
                             'function-call:book_appointment:' || pg_catalog.md5(v_args::text));
  if v_call_id is not null then
    v_replay := private.claim_tool_call(v_call_id, v_tool_call_id, v_org.id, 'book_appointment');
    if v_replay is not null then
      return v_replay || pg_catalog.jsonb_build_object('replayed', true);
    end if;
  end if;

  v_start := private.parse_start_time(v_args ->> 'start_time', v_org.timezone);
  v_minutes := private.parse_duration_minutes(v_args -> 'duration_minutes', v_org.default_appointment_minutes);
  if nullif(pg_catalog.btrim(v_args ->> 'start_time'), '') is null then
    v_error := 'I need the date and time for the appointment.';
  elsif v_start is null then
    v_error := 'I could not understand that date and time. Please say the day and the time again.';
  elsif v_name is null then
    v_error := 'I need the name for the appointment.';
  elsif pg_catalog.length(v_name) > 200 or pg_catalog.length(coalesce(v_args ->> 'service', '')) > 200
        or pg_catalog.length(coalesce(v_args ->> 'notes', '')) > 2000 then
    v_error := 'Some of the booking details are too long. Please keep them short.';
  elsif v_phone_given is not null and v_phone is null then
    v_error := 'That phone number does not look right. Please say it again with the country code.';
  elsif v_minutes is null then
    v_error := 'The appointment length must be between 5 minutes and 8 hours.';
  elsif v_start <= pg_catalog.now() then
    v_reason := 'past_time';
    v_error := 'That time has already passed. Please choose a time in the future.';
  else
    v_end := v_start + pg_catalog.make_interval(mins => v_minutes);
    if not private.is_within_business_hours(v_org.id, v_org.timezone, v_start, v_end) then
      v_reason := 'outside_hours';
      v_error := 'We are not open at that time. '
        || coalesce('Nearest open times: ' || private.describe_slots(
             private.nearest_open_slots(v_org.id, v_start, v_end - v_start), v_org.timezone) || '.',
           'There are no open times in the next two weeks.')
        || ' Times are in ' || v_org.timezone || '.';
    end if;
  end if;

  if v_error is not null then
    -- Bad input changes nothing: forget the claim so a corrected retry runs again.
    v_response := private.tool_response(false, v_error, v_reason, v_org.id, v_resolved_by);
    if v_call_id is not null then
      perform private.finish_tool_call(v_call_id, v_tool_call_id, v_response, false);
    end if;
    return v_response;
  end if;

  begin
    insert into public.appointments (organization_id, start_time, end_time, customer_name, customer_phone, service,
                                     notes, vapi_call_id, tool_call_id)
    values (v_org.id, v_start, v_end, v_name, v_phone, nullif(pg_catalog.btrim(v_args ->> 'service'), ''),
            nullif(pg_catalog.btrim(v_args ->> 'notes'), ''), v_call_id, v_tool_call_id)
    returning id into v_appointment_id;

    v_response := private.tool_response(true, pg_catalog.jsonb_build_object(
        'status', 'booked',
        'appointment_id', v_appointment_id,
        'start_time', private.to_local_iso(v_start, v_org.timezone),
        'end_time', private.to_local_iso(v_end, v_org.timezone),
        'timezone', v_org.timezone,
        'organization_id', v_org.id,
        'message', 'Booked ' || v_name || coalesce(' for ' || nullif(pg_catalog.btrim(v_args ->> 'service'), ''), '')
                   || ' on ' || private.to_spoken_time(v_start, v_org.timezone) || ' (' || v_org.timezone || ').'
      )::text, 'booked', v_org.id, v_resolved_by);
  exception
    when exclusion_violation then
      v_response := private.tool_response(false, 'That time is already taken. '
        || coalesce('Nearest open times: ' || private.describe_slots(
             private.nearest_open_slots(v_org.id, v_start, v_end - v_start), v_org.timezone) || '.',
           'There are no open times in the next two weeks.')
        || ' Times are in ' || v_org.timezone || '. Nothing was booked.', 'slot_taken', v_org.id, v_resolved_by);
  end;

  perform private.remember_call(v_call_id, v_org.id, v_resolved_by, p_assistant_id);
  if v_call_id is not null then
    perform private.finish_tool_call(v_call_id, v_tool_call_id, v_response, true);
  end if;
  return v_response;
end;
$$;
revoke all on function public.resolve_org_and_book(text, text, text, text, jsonb) from public, anon, authenticated;
grant execute on function public.resolve_org_and_book(text, text, text, text, jsonb) to service_role;
