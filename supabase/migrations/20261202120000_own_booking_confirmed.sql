-- =====================================================================================================================
-- Section - A caller is never refused by their own booking
-- =====================================================================================================================
-- A booking can commit while its answer is lost (the function gave up, the network dropped it, PostgreSQL died after
-- the commit). Vapi's retry carries a new tool call id, so the ledger cannot replay it: the slot is held by the
-- caller's own booking ("that time is taken" would be wrong), or, with several technicians, the retry would book a
-- second one. So a booking of the same call, customer name, time and service is confirmed, not made again (one index
-- probe on appointments_vapi_call_id_idx).

/** The active appointment this call already holds for that customer, time and service; null when there is none. */
create or replace function private.own_booking(
  p_call private.tool_call_context, p_start timestamptz, p_end timestamptz, p_name text, p_service_id uuid)
  returns public.appointments
  language plpgsql -- not sql: a SET clause keeps sql from being inlined, and plpgsql caches its plan per session
  stable
  set search_path = ''
as $$
declare
  v_appointment public.appointments;
begin
  select a.* into v_appointment
  from public.appointments as a
  where a.vapi_call_id = p_call.vapi_call_id
    and a.organization_id = p_call.organization_id
    and a.is_active
    and a.start_time = p_start
    and a.end_time = p_end
    and pg_catalog.lower(a.customer_name) = pg_catalog.lower(p_name)
    and a.service_id is not distinct from p_service_id
  order by a.created_at
  limit 1;
  return v_appointment;
end;
$$;
revoke all on function private.own_booking(private.tool_call_context, timestamptz, timestamptz, text, uuid) from public;

/**
  * book_appointment: check the arguments → the service (duration, buffer) and the person asked for → notice, horizon,
  * hours → lock the organization's calendar → a free qualified staff member (or the one calendar) → insert; the
  * exclusion constraints decide any race. This call's own booking of the same customer, time and service is confirmed,
  * not made twice. Without `customer_phone` the caller's own number is the booking's phone.
  */
create or replace function private.book_appointment(p_call private.tool_call_context)
  returns private.tool_outcome
  language plpgsql
  volatile
  set search_path = ''
as $$
declare
  v_org public.organizations := p_call.organization;
  v_args jsonb := p_call.arguments;
  v_not_text text := private.non_text_argument(v_args,
    array['customer_name', 'start_time', 'customer_phone', 'service', 'staff_name', 'notes']);
  v_start timestamptz := private.parse_start_time(v_args ->> 'start_time', v_org.timezone);
  v_minutes integer := private.parse_duration_minutes(v_args -> 'duration_minutes', v_org.default_appointment_minutes);
  v_name text := nullif(pg_catalog.btrim(v_args ->> 'customer_name'), '');
  v_service_name text := nullif(pg_catalog.btrim(v_args ->> 'service'), '');
  v_staff_name text := nullif(pg_catalog.btrim(v_args ->> 'staff_name'), '');
  v_notes text := nullif(pg_catalog.btrim(v_args ->> 'notes'), '');
  v_phone_given text := nullif(pg_catalog.btrim(v_args ->> 'customer_phone'), '');
  v_phone text := case when v_phone_given is null then p_call.caller_phone else private.normalize_e164(v_phone_given) end;
  v_error_key text;
  v_service record;
  v_staff record;
  v_buffer interval := interval '0';
  v_end timestamptz;
  v_problem record;
  v_appointment public.appointments;
begin
  v_error_key := case
    when v_not_text = 'customer_name' then 'book.need_name'
    when v_not_text is not null then 'arg.unreadable'
    when nullif(pg_catalog.btrim(v_args ->> 'start_time'), '') is null then 'book.need_start_time'
    when v_start is null then 'arg.bad_time'
    when v_name is null then 'book.need_name'
    when pg_catalog.length(v_name) > 200 or pg_catalog.length(v_service_name) > 200
         or pg_catalog.length(v_staff_name) > 200 or pg_catalog.length(v_notes) > 2000 then 'arg.too_long'
    when v_phone_given is not null and v_phone is null then 'arg.bad_phone'
    when v_minutes is null then 'arg.bad_duration'
  end;
  if v_error_key is not null then
    return private.refusal(private.say(p_call.language, v_error_key), 'invalid_arguments');
  end if;
  v_service := private.resolve_service(p_call, v_service_name, true);
  if v_service.problem is not null then
    return private.refusal(v_service.problem, 'unknown_service');
  end if;
  v_staff := private.resolve_staff(p_call, v_staff_name, v_service.service);
  if v_staff.problem is not null then
    return private.refusal(v_staff.problem, 'unknown_staff');
  end if;
  if (v_service.service).id is not null then
    v_minutes := (v_service.service).duration_minutes;
    v_buffer := pg_catalog.make_interval(mins => (v_service.service).buffer_minutes);
    v_service_name := (v_service.service).name;
  end if;

  v_end := v_start + pg_catalog.make_interval(mins => v_minutes);
  v_problem := private.time_problem(p_call, v_start, v_end, v_buffer, (v_service.service).id, (v_staff.staff).id);
  if v_problem.reason is not null then
    return private.refusal(v_problem.message, v_problem.reason);
  end if;

  perform private.lock_calendar(v_org.id);
  -- Under the calendar lock, so a concurrent retry of the same call sees the first one's committed row.
  v_appointment := private.own_booking(p_call, v_start, v_end, v_name, (v_service.service).id);
  if v_appointment.id is not null then
    return private.served(true, private.appointment_result(p_call, v_appointment, 'booked', 'book.booked'), 'booked');
  end if;
  begin
    v_appointment := private.place_appointment(p_call, pg_catalog.jsonb_populate_record(null::public.appointments,
      pg_catalog.jsonb_build_object('start_time', v_start, 'end_time', v_end, 'blocked_until', v_end + v_buffer,
        'customer_name', v_name, 'customer_phone', v_phone, 'service', v_service_name,
        'service_id', (v_service.service).id, 'notes', v_notes)), (v_staff.staff).id, null);
  exception
    when exclusion_violation then
      return private.served(false, private.taken_message(p_call, v_staff.staff, v_start, v_end - v_start, v_buffer,
                                           (v_service.service).id)
                     || ' ' || private.say(p_call.language, 'book.nothing_booked'), 'slot_taken');
  end;
  return private.served(true, private.appointment_result(p_call, v_appointment, 'booked', 'book.booked'), 'booked');
end;
$$;
