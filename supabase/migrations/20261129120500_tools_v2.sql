-- =====================================================================================================================
-- Section - The four tools on the calendar model. Each returns its outcome (private.tool_outcome); the runner
-- (private.run_tool_call) claims, runs and finishes. Every spoken sentence comes from private.say in the call's language.
-- =====================================================================================================================
drop function private.book_appointment(private.tool_call_context);
drop function private.check_availability(private.tool_call_context);
drop function private.cancel_appointment(private.tool_call_context);
drop function private.reschedule_appointment(private.tool_call_context);
drop function private.find_caller_appointment(public.organizations, jsonb);

/**
  * book_appointment: check the arguments → the service (duration, buffer) and the person asked for → notice, horizon,
  * hours → lock the organization's calendar → a free qualified staff member (or the one calendar) → insert; the
  * exclusion constraints decide any race. Without `customer_phone` the caller's own number is the booking's phone.
  */
create function private.book_appointment(p_call private.tool_call_context)
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

/**
  * check_availability: the next open start times, read out in the organization's zone and the call's language.
  * Arguments: `date` (YYYY-MM-DD, that local day) or `from`/`to` (ISO-8601, local wall-clock when no offset; `from`
  * alone looks a week ahead), optional `service` (its duration and buffer; qualified staff only), `staff_name`,
  * `duration_minutes`. Nothing given → the coming week. When the window is full it offers the next open times after it.
  */
create function private.check_availability(p_call private.tool_call_context)
  returns private.tool_outcome
  language plpgsql
  volatile
  set search_path = ''
as $$
declare
  v_org public.organizations := p_call.organization;
  v_args jsonb := p_call.arguments;
  v_date text := nullif(pg_catalog.btrim(v_args ->> 'date'), '');
  v_from_text text := nullif(pg_catalog.btrim(v_args ->> 'from'), '');
  v_to_text text := nullif(pg_catalog.btrim(v_args ->> 'to'), '');
  v_minutes integer := private.parse_duration_minutes(v_args -> 'duration_minutes', v_org.default_appointment_minutes);
  v_service record;
  v_staff record;
  v_buffer interval := interval '0';
  v_from timestamptz;
  v_to timestamptz;
  v_slots timestamptz[];
  v_available boolean;
  v_text text;
begin
  if private.non_text_argument(v_args, array['date', 'from', 'to', 'service', 'staff_name']) is not null then
    return private.refusal(private.say(p_call.language, 'availability.bad_date'), 'invalid_arguments');
  end if;
  -- A bare date means that whole local day, for `date`, `from` and `to` alike.
  v_from := coalesce(private.parse_start_time(coalesce(v_date, v_from_text), v_org.timezone),
                     private.parse_start_time(coalesce(v_date, v_from_text) || 'T00:00', v_org.timezone));
  v_to := case
    when v_date is not null then private.parse_start_time(v_date || 'T00:00', v_org.timezone) + interval '1 day'
    when v_to_text is not null then coalesce(private.parse_start_time(v_to_text, v_org.timezone),
      private.parse_start_time(v_to_text || 'T00:00', v_org.timezone) + interval '1 day')
    else coalesce(v_from, pg_catalog.now()) + interval '7 days'
  end;
  v_from := coalesce(v_from, case when v_date is null and v_from_text is null then pg_catalog.now() end);

  if v_minutes is null then
    return private.refusal(private.say(p_call.language, 'arg.bad_duration'), 'invalid_arguments');
  elsif v_from is null or v_to is null then
    return private.refusal(private.say(p_call.language, 'availability.bad_date'), 'invalid_arguments');
  elsif v_to <= v_from then
    return private.refusal(private.say(p_call.language, 'availability.reversed'), 'invalid_arguments');
  elsif v_to <= pg_catalog.now() then
    return private.refusal(private.say(p_call.language, 'availability.past'), 'past_time');
  end if;
  v_service := private.resolve_service(p_call, nullif(pg_catalog.btrim(v_args ->> 'service'), ''), false);
  if v_service.problem is not null then
    return private.refusal(v_service.problem, 'unknown_service');
  end if;
  v_staff := private.resolve_staff(p_call, nullif(pg_catalog.btrim(v_args ->> 'staff_name'), ''), v_service.service);
  if v_staff.problem is not null then
    return private.refusal(v_staff.problem, 'unknown_staff');
  end if;
  if (v_service.service).id is not null then
    v_minutes := (v_service.service).duration_minutes;
    v_buffer := pg_catalog.make_interval(mins => (v_service.service).buffer_minutes);
  end if;

  v_to := least(v_to, v_from + interval '31 days');
  select coalesce(pg_catalog.array_agg(s.start_at), '{}') into v_slots
  from private.open_slots(v_org.id, greatest(v_from, pg_catalog.now()), v_to, pg_catalog.make_interval(mins => v_minutes),
                          5, v_buffer, (v_service.service).id, (v_staff.staff).id) as s(start_at);
  v_available := pg_catalog.cardinality(v_slots) > 0;
  if v_available then
    v_text := private.say(p_call.language, 'availability.open',
                          pg_catalog.jsonb_build_object('slots',
                            private.describe_slots(v_slots, v_org.timezone, p_call.language)));
  else
    select coalesce(pg_catalog.array_agg(s.start_at), '{}') into v_slots
    from private.open_slots(v_org.id, greatest(v_to, pg_catalog.now()), v_to + interval '14 days',
                            pg_catalog.make_interval(mins => v_minutes), 3, v_buffer, (v_service.service).id,
                            (v_staff.staff).id) as s(start_at);
    v_text := private.say(p_call.language, 'availability.none') || ' '
      || case when pg_catalog.cardinality(v_slots) > 0
              then private.say(p_call.language, 'availability.next', pg_catalog.jsonb_build_object(
                     'slots', private.describe_slots(v_slots, v_org.timezone, p_call.language)))
              else private.say(p_call.language, 'availability.none_after') end;
  end if;

  return private.served(true, v_text || ' ' || private.zone_sentence(p_call) || ' '
                || private.say(p_call.language, 'availability.nothing_booked'),
          case when v_available then 'available' else 'unavailable' end);
end;
$$;

/**
  * The caller's appointment within ONE organization, locked for update: by `appointment_id`; by phone
  * (`customer_phone`, else the caller's own number) plus `start_time`; or, with a phone and no time, the caller's one
  * upcoming appointment ("my appointment"; several → `problem` lists them). `problem` is spoken when none is found.
  */
create function private.find_caller_appointment(
  p_call private.tool_call_context, out appointment public.appointments, out problem text)
  language plpgsql
  volatile
  set search_path = ''
as $$
declare
  v_org public.organizations := p_call.organization;
  v_id text := nullif(pg_catalog.btrim(p_call.arguments ->> 'appointment_id'), '');
  v_phone_given text := nullif(pg_catalog.btrim(p_call.arguments ->> 'customer_phone'), '');
  v_phone text := case when v_phone_given is null then p_call.caller_phone else private.normalize_e164(v_phone_given) end;
  v_start_given text := nullif(pg_catalog.btrim(p_call.arguments ->> 'start_time'), '');
  v_start timestamptz := private.parse_start_time(v_start_given, v_org.timezone);
  v_upcoming timestamptz[];
begin
  if private.non_text_argument(p_call.arguments, array['appointment_id', 'customer_phone', 'start_time']) is not null
     or v_id !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    problem := private.say(p_call.language, 'find.bad_id');
    return;
  elsif v_id is not null then
    select a.* into appointment from public.appointments as a
    where a.id = v_id::uuid and a.organization_id = v_org.id
    for update;
  elsif v_start_given is not null and v_start is null then
    problem := private.say(p_call.language, 'arg.bad_time');
    return;
  elsif v_phone is not null and v_start is not null then
    select a.* into appointment from public.appointments as a
    where a.organization_id = v_org.id and a.customer_phone = v_phone and a.start_time = v_start
    order by a.is_active desc, a.created_at desc
    limit 1
    for update;
  elsif v_phone is not null then
    select pg_catalog.array_agg(u.start_time order by u.start_time) into v_upcoming
    from (select a.start_time from public.appointments as a
          where a.organization_id = v_org.id and a.customer_phone = v_phone and a.is_active
            and a.start_time > pg_catalog.now()
          order by a.start_time limit 5) as u;
    if pg_catalog.cardinality(v_upcoming) > 1 then
      problem := private.say(p_call.language, 'find.several', pg_catalog.jsonb_build_object(
        'slots', private.describe_slots(v_upcoming, v_org.timezone, p_call.language)));
      return;
    end if;
    select a.* into appointment from public.appointments as a
    where a.organization_id = v_org.id and a.customer_phone = v_phone and a.is_active and a.start_time = v_upcoming[1]
    for update;
  else
    problem := private.say(p_call.language, 'find.need_ident');
    return;
  end if;
  if appointment.id is null then
    problem := private.say(p_call.language, 'find.not_found');
  end if;
end;
$$;

/**
  * cancel_appointment within the resolved organization only. Idempotent: cancelling a cancelled appointment is a
  * success (`already_cancelled`), and a redelivered tool call replays its first answer.
  */
create function private.cancel_appointment(p_call private.tool_call_context)
  returns private.tool_outcome
  language plpgsql
  volatile
  set search_path = ''
as $$
declare
  v_found record := private.find_caller_appointment(p_call);
  v_appointment public.appointments := v_found.appointment;
begin
  if v_found.problem is not null then
    return private.refusal(v_found.problem, 'not_found');
  elsif v_appointment.status = 'cancelled' then
    return private.served(true, private.appointment_result(p_call, v_appointment, 'already_cancelled', 'cancel.already'),
            'already_cancelled');
  elsif not v_appointment.is_active or v_appointment.start_time <= pg_catalog.now() then
    return private.refusal(private.say(p_call.language, 'cancel.past'), 'past_appointment');
  end if;
  update public.appointments as a set status = 'cancelled', cancelled_at = pg_catalog.now()
  where a.id = v_appointment.id;
  return private.served(true, private.appointment_result(p_call, v_appointment, 'cancelled', 'cancel.cancelled'),
                        'cancelled');
end;
$$;

/**
  * reschedule_appointment: cancel the caller's appointment and book `new_start_time` (same customer, service, notes,
  * buffer; same length unless `duration_minutes` is given) atomically. It stays with the same staff member when they
  * are free (or with `staff_name`), else goes to a free qualified one; when nobody is free both steps are undone.
  */
create function private.reschedule_appointment(p_call private.tool_call_context)
  returns private.tool_outcome
  language plpgsql
  volatile
  set search_path = ''
as $$
declare
  v_org public.organizations := p_call.organization;
  v_found record := private.find_caller_appointment(p_call);
  v_old public.appointments := v_found.appointment;
  v_new public.appointments;
  v_job public.appointments;
  v_start_given text := nullif(pg_catalog.btrim(p_call.arguments ->> 'new_start_time'), '');
  v_start timestamptz := private.parse_start_time(v_start_given, v_org.timezone);
  v_minutes integer := private.parse_duration_minutes(p_call.arguments -> 'duration_minutes',
    (extract(epoch from v_old.end_time - v_old.start_time) / 60)::integer);
  v_buffer interval := coalesce(v_old.blocked_until - v_old.end_time, interval '0');
  v_service public.services;
  v_staff record;
  v_end timestamptz;
  v_problem record;
begin
  if v_found.problem is not null then
    return private.refusal(v_found.problem, 'not_found');
  elsif not v_old.is_active then
    return private.refusal(private.say(p_call.language, 'reschedule.inactive'), 'invalid_arguments');
  elsif v_old.start_time <= pg_catalog.now() then
    return private.refusal(private.say(p_call.language, 'reschedule.past'), 'past_appointment');
  elsif private.non_text_argument(p_call.arguments, array['new_start_time', 'staff_name']) is not null then
    return private.refusal(private.say(p_call.language, 'arg.unreadable'), 'invalid_arguments');
  elsif v_start_given is null then
    return private.refusal(private.say(p_call.language, 'reschedule.need_new_time'), 'invalid_arguments');
  elsif v_start is null then
    return private.refusal(private.say(p_call.language, 'arg.bad_time'), 'invalid_arguments');
  elsif v_minutes is null then
    return private.refusal(private.say(p_call.language, 'arg.bad_duration'), 'invalid_arguments');
  end if;
  select s.* into v_service from public.services as s where s.id = v_old.service_id;
  v_staff := private.resolve_staff(p_call, nullif(pg_catalog.btrim(p_call.arguments ->> 'staff_name'), ''), v_service);
  if v_staff.problem is not null then
    return private.refusal(v_staff.problem, 'unknown_staff');
  end if;

  v_end := v_start + pg_catalog.make_interval(mins => v_minutes);
  v_problem := private.time_problem(p_call, v_start, v_end, v_buffer, v_old.service_id, (v_staff.staff).id);
  if v_problem.reason is not null then
    return private.refusal(v_problem.message || ' ' || private.say(p_call.language, 'reschedule.not_changed'),
            v_problem.reason);
  end if;

  v_job := v_old; -- same customer, service and notes, at the new time
  v_job.start_time := v_start;
  v_job.end_time := v_end;
  v_job.blocked_until := v_end + v_buffer;
  v_job.rescheduled_from := v_old.id;
  perform private.lock_calendar(v_org.id);
  begin
    update public.appointments as a set status = 'cancelled', cancelled_at = pg_catalog.now() where a.id = v_old.id;
    v_new := private.place_appointment(p_call, v_job, (v_staff.staff).id, v_old.staff_member_id);
  exception
    when exclusion_violation then
      -- The block's subtransaction undid the cancellation too: the original booking stands.
      return private.served(false, private.taken_message(p_call, v_staff.staff, v_start, v_end - v_start, v_buffer,
                                                         v_old.service_id)
                     || ' ' || private.say(p_call.language, 'reschedule.unchanged'), 'slot_taken');
  end;
  return private.served(true, (private.appointment_result(p_call, v_new, 'rescheduled', 'reschedule.moved')::jsonb
                  || pg_catalog.jsonb_build_object('previous_appointment_id', v_old.id,
                       'previous_start_time', private.to_local_iso(v_old.start_time, v_org.timezone)))::text,
          'rescheduled');
end;
$$;
