-- =====================================================================================================================
-- Section - A booking confirmed rather than made says so in its reason
-- =====================================================================================================================
-- A retry under a new tool call id, or a redial, for the same customer, time and service is confirmed as the booking
-- it already has — and its reason was `booked`, as for a new booking: the log line, and anyone counting bookings from
-- it, could not tell the two apart (helper-118 #1). Its reason is now `already_booked` (its result's status stays
-- `booked`: the appointment is booked). CREATE OR REPLACE keeps grants.

/**
  * book_appointment: check the arguments → the service (duration, buffer) and the person asked for → notice, horizon,
  * hours → lock the organization's calendar → a free qualified staff member (or the one calendar) → insert; the
  * exclusion constraints decide any race, and a lost race is looked at again (20261203100100). The caller's own booking
  * of the same customer, time and service (this call's, or the caller's number's in any call) is confirmed, not made
  * twice, with reason `already_booked`. Without `customer_phone` the caller's own number is the booking's phone.
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
  v_phone text := case when v_phone_given is null then p_call.caller_phone
                       else private.given_phone(p_call, v_phone_given) end;
  v_error_key text;
  v_service record;
  v_staff record;
  v_buffer interval := interval '0';
  v_end timestamptz;
  v_problem record;
  v_appointment public.appointments;
  v_constraint text;
  v_placed boolean := false; -- inserted by this tool call, not an own booking found
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
    -- Unless this call already booked it (asked again after the notice window moved past it): that is confirmed. Not
    -- another call's: a redial for a time since closed or passed hears why (helper-87 #2).
    v_appointment := private.own_booking(p_call, v_start, v_end, v_name, (v_service.service).id, v_service_name,
                                         v_phone, false);
    if v_appointment.id is not null then
      return private.served(true, private.appointment_result(p_call, v_appointment, 'booked', 'book.booked'),
                            'already_booked');
    end if;
    return private.refusal(v_problem.message || ' ' || private.say(p_call.language, 'book.nothing_booked'),
                           v_problem.reason);
  end if;

  perform private.lock_calendar(v_org.id);
  -- Under the calendar lock, so a concurrent retry of the same call sees the first one's committed row.
  v_appointment := private.own_booking(p_call, v_start, v_end, v_name, (v_service.service).id, v_service_name,
                                       v_phone, true);
  for v_attempt in 1..3 loop
    exit when v_appointment.id is not null;
    begin
      v_appointment := private.place_appointment(p_call, pg_catalog.jsonb_populate_record(null::public.appointments,
        pg_catalog.jsonb_build_object('start_time', v_start, 'end_time', v_end, 'blocked_until', v_end + v_buffer,
          'customer_name', v_name, 'customer_phone', v_phone, 'service', v_service_name,
          'service_id', (v_service.service).id, 'notes', v_notes)), (v_staff.staff).id, null);
      v_placed := true;
      exit;
    exception
      when exclusion_violation then
        get stacked diagnostics v_constraint = constraint_name;
        -- The rival has committed by now (the constraint waited for it), so this look sees it: it may be this
        -- call's own retry, which the calendar lock did not serialise when its wait ran out.
        v_appointment := private.own_booking(p_call, v_start, v_end, v_name, (v_service.service).id, v_service_name,
                                             v_phone, true);
        exit when v_appointment.id is not null;
        if v_attempt = 3 or not private.pick_again(v_constraint, (v_staff.staff).id) then
          return private.served(false, private.taken_message(p_call, v_staff.staff, v_start, v_end - v_start,
                                                             v_buffer, (v_service.service).id)
                         || ' ' || private.say(p_call.language, 'book.nothing_booked'), 'slot_taken');
        end if;
    end;
  end loop;
  -- Another call's booking (a redial) is said as what it is — the job they hold, with whom it is — not as a booking
  -- of what was just asked (helper-89 #8).
  return private.served(true, private.appointment_result(p_call, v_appointment, 'booked',
           case when v_appointment.vapi_call_id is distinct from p_call.vapi_call_id then 'book.already'
                else 'book.booked' end), case when v_placed then 'booked' else 'already_booked' end);
end;
$$;
