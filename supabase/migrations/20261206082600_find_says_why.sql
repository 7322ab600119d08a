-- =====================================================================================================================
-- Section - Finding the caller's appointment says why it could not, and finds both of a repeated hour's times
-- =====================================================================================================================
-- - cancel and reschedule answered every appointment they could not pick with reason `not_found`: also "there are
--   several upcoming appointments … which one is it?" and "that appointment number does not look right", so the log
--   line (and anyone counting outcomes) read a question as a miss (helper-118 #2). find_caller_appointment now gives
--   its reason with its problem: `ambiguous` (several: which one?), `invalid_arguments` (an id, time or number that
--   cannot be read, or not enough to look by), `not_found`.
-- - A time given without an offset in the hour a fall-back night repeats was looked for at its first occurrence only:
--   "cancel my 1:15" missed the booking made at the second 1:15 ("I could not find that appointment", helper-120 #3).
--   Both occurrences are looked at now: one booking is found, one at each is listed and asked about.
-- CREATE OR REPLACE keeps grants; find_caller_appointment's result gains a column, so it is dropped and created.

drop function private.find_caller_appointment(private.tool_call_context);

/**
  * The caller's appointment within ONE organization, locked for update: by `appointment_id`; by phone
  * (`customer_phone`, else the caller's own number) plus `start_time`; or, with no time, the caller's own number's one
  * upcoming appointment ("my appointment"; several → `problem` lists them, as it does several active at the time given,
  * each with its name, service, staff and id) — another number needs its time, so a caller
  * who knows a number cannot cancel or hear that customer's appointments. `problem` is spoken when none is found.
  * A rescheduled appointment lives on in the booking that replaced it, so its old id or old time finds the new one.
  * A time without an offset in the hour a fall-back night repeats is looked for at both its occurrences. `reason`
  * says why `problem` is set: `ambiguous`, `invalid_arguments` or `not_found`.
  */
create function private.find_caller_appointment(
  p_call private.tool_call_context, out appointment public.appointments, out problem text, out reason text)
  language plpgsql
  volatile
  set search_path = ''
as $$
declare
  v_org public.organizations := p_call.organization;
  v_id text := nullif(pg_catalog.btrim(p_call.arguments ->> 'appointment_id'), '');
  v_phone_given text := nullif(pg_catalog.btrim(p_call.arguments ->> 'customer_phone'), '');
  v_phone text := case when v_phone_given is null then p_call.caller_phone
                       else private.given_phone(p_call, v_phone_given) end;
  v_start_given text := nullif(pg_catalog.btrim(p_call.arguments ->> 'start_time'), '');
  v_start timestamptz := private.parse_start_time(v_start_given, v_org.timezone);
  v_repeat timestamptz; -- the same wall-clock time's second occurrence, on a fall-back night
  v_several uuid[];
  v_first uuid;
  v_successor public.appointments;
begin
  if private.non_text_argument(p_call.arguments, array['appointment_id', 'customer_phone', 'start_time']) is not null
     or v_id !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    problem := private.say(p_call.language, 'find.bad_id');
    reason := 'invalid_arguments';
    return;
  elsif v_id is not null then
    select a.* into appointment from public.appointments as a
    where a.id = v_id::uuid and a.organization_id = v_org.id
    for update;
  elsif v_start_given is not null and v_start is null then
    problem := private.say(p_call.language, 'arg.bad_time');
    reason := 'invalid_arguments';
    return;
  elsif v_phone_given is not null and v_phone is null then
    problem := private.say(p_call.language, 'arg.bad_phone'); -- not "I need the phone number": it was given
    reason := 'invalid_arguments';
    return;
  elsif v_phone is not null and v_start is not null then
    -- Wall-clock time (no offset given) that a fall-back night repeats: its second pass too.
    v_repeat := private.repeated_instant(private.given_wall_clock(v_start_given), v_org.timezone);
    select pg_catalog.array_agg(a.id order by a.start_time) into v_several from public.appointments as a
    where a.organization_id = v_org.id and a.customer_phone = v_phone and a.start_time in (v_start, v_repeat)
      and a.is_active;
    if pg_catalog.cardinality(v_several) > 1 then
      problem := private.say(p_call.language, 'find.several_at_time', pg_catalog.jsonb_build_object(
        'slots', private.describe_appointments(p_call, v_several)));
      reason := 'ambiguous';
      return;
    end if;
    select a.* into appointment from public.appointments as a
    where a.organization_id = v_org.id and a.customer_phone = v_phone and a.start_time in (v_start, v_repeat)
    order by a.is_active desc, a.created_at desc
    limit 1
    for update;
  elsif v_phone is distinct from p_call.caller_phone then
    problem := private.say(p_call.language, case when v_phone is null then 'find.need_ident' else 'find.need_time' end);
    reason := 'invalid_arguments';
    return;
  elsif v_phone is not null then
    select pg_catalog.array_agg(u.id order by u.start_time), (pg_catalog.array_agg(u.id order by u.start_time))[1]
    into v_several, v_first
    from (select a.id, a.start_time from public.appointments as a
          where a.organization_id = v_org.id and a.customer_phone = v_phone and a.is_active
            and a.start_time > pg_catalog.now()
          order by a.start_time limit 6) as u;
    if pg_catalog.cardinality(v_several) > 1 then
      -- Five are said; a sixth only says there are more (helper-89 #9).
      problem := private.say(p_call.language, 'find.several', pg_catalog.jsonb_build_object(
        'slots', private.describe_appointments(p_call, v_several[1:5])
                 || case when pg_catalog.cardinality(v_several) > 5
                         then '; ' || private.say(p_call.language, 'find.and_more') else '' end));
      reason := 'ambiguous';
      return;
    elsif v_first is null then
      -- Nothing upcoming: one under way now is found, so the caller hears it has already started (not "I could not
      -- find that appointment"; helper-83 #5); else the one cancelled last (in this call or before; not moved) is named as already cancelled
      -- rather than "not found" — a second "cancel my appointment" hears what became of it.
      select a.id into v_first from public.appointments as a
      where a.organization_id = v_org.id and a.customer_phone = v_phone and a.is_active
        and a.start_time <= pg_catalog.now() and a.end_time > pg_catalog.now()
        and a.start_time > pg_catalog.now() - interval '1 day' -- no job is longer (480 minutes): an index range
      order by a.start_time desc
      limit 1;
      if v_first is null then
        select a.id into v_first from public.appointments as a
        where a.organization_id = v_org.id and a.customer_phone = v_phone and a.status = 'cancelled'
          and a.start_time > pg_catalog.now()
          and not exists (select from public.appointments as m where m.rescheduled_from = a.id)
        order by a.cancelled_at desc nulls last, a.id
        limit 1;
      end if;
    end if;
    -- Locked by id: a filter on is_active would drop it when a concurrent move or cancel commits first (READ COMMITTED
    -- re-checks the new row version), and the follow below could not see where it went.
    select a.* into appointment from public.appointments as a
    where a.id = v_first and a.organization_id = v_org.id
    for update;
  else
    problem := private.say(p_call.language, 'find.need_ident');
    reason := 'invalid_arguments';
    return;
  end if;
  if appointment.id is null then
    problem := private.say(p_call.language, 'find.not_found');
    reason := 'not_found';
    return;
  end if;
  -- Follow reschedules (bounded: rescheduled_from is admin-writable, so a hand-made cycle must not spin forever).
  for i in 1..32 loop
    exit when appointment.status <> 'cancelled';
    select a.* into v_successor from public.appointments as a
    where a.rescheduled_from = appointment.id and a.organization_id = v_org.id
    order by a.created_at desc
    limit 1
    for update;
    exit when not found;
    appointment := v_successor;
  end loop;
end;
$$;


/**
  * cancel_appointment within the resolved organization only. Idempotent: cancelling a cancelled appointment is a
  * success (`already_cancelled`), and a redelivered tool call replays its first answer.
  */
create or replace function private.cancel_appointment(p_call private.tool_call_context)
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
    return private.refusal(v_found.problem, v_found.reason);
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
  * buffer; same length unless `duration_minutes` is given for a job without a service) atomically. It stays with the
  * same staff member when they are free (or with `staff_name`), else goes to a free qualified one; when nobody is free
  * both steps are undone. The open times a refusal offers count the appointment being moved as free.
  */
create or replace function private.reschedule_appointment(p_call private.tool_call_context)
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
  v_booked_minutes integer := (extract(epoch from v_old.end_time - v_old.start_time) / 60)::integer;
  -- As when booking, a service's job has the service's length: `duration_minutes` cannot shrink it to free its time.
  v_minutes integer := case when v_old.service_id is not null then v_booked_minutes
                            else private.parse_duration_minutes(p_call.arguments -> 'duration_minutes', v_booked_minutes) end;
  v_buffer interval := coalesce(v_old.blocked_until - v_old.end_time, interval '0');
  v_service public.services;
  v_staff record;
  v_end timestamptz;
  v_problem record;
  v_constraint text;
  v_refusal text;
  v_from public.appointments;
begin
  if v_found.problem is not null then
    return private.refusal(v_found.problem, v_found.reason);
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
  if v_old.start_time = v_start and v_old.end_time = v_end
     and ((v_staff.staff).id is null or (v_staff.staff).id = v_old.staff_member_id) then
    -- Already there: Vapi's retry of a move whose answer was lost finds the moved booking (its old id leads to it).
    -- The first answer is given again and nothing is written (no second move, no second text to the customer). A
    -- booking not moved in this call was never moved there: the caller hears it is already at that time.
    select a.* into v_from from public.appointments as a where a.id = v_old.rescheduled_from;
    if v_from.id is null or v_old.vapi_call_id is distinct from p_call.vapi_call_id then
      return private.served(true, private.appointment_result(p_call, v_old, 'unchanged', 'reschedule.already_there'),
                            'unchanged');
    end if;
    return private.served(true, (private.appointment_result(p_call, v_old, 'rescheduled', 'reschedule.moved')::jsonb
                    || pg_catalog.jsonb_build_object('previous_appointment_id', coalesce(v_from.id, v_old.id),
                         'previous_start_time', private.to_local_iso(coalesce(v_from.start_time, v_old.start_time),
                                                                     v_org.timezone)))::text,
            'rescheduled');
  end if;
  v_problem := private.time_problem(p_call, v_start, v_end, v_buffer, v_old.service_id, (v_staff.staff).id);
  if v_problem.reason is not null then
    -- Said again with the appointment cancelled for a moment (undone with the block), so that the nearest open times
    -- it offers include its own (moving 10:00 to 10:30 hears 9:30 too); its reason does not depend on appointments.
    begin
      update public.appointments as a set status = 'cancelled', cancelled_at = pg_catalog.now() where a.id = v_old.id;
      v_problem := private.time_problem(p_call, v_start, v_end, v_buffer, v_old.service_id, (v_staff.staff).id);
      raise exception using errcode = 'raise_exception', message = 'undo the cancellation';
    exception
      when raise_exception then null;
    end;
    return private.refusal(v_problem.message || ' ' || private.say(p_call.language, 'reschedule.not_changed'),
            v_problem.reason);
  end if;

  v_job := v_old; -- same customer, service and notes, at the new time
  v_job.start_time := v_start;
  v_job.end_time := v_end;
  v_job.blocked_until := v_end + v_buffer;
  v_job.rescheduled_from := v_old.id;
  perform private.lock_calendar(v_org.id);
  for v_attempt in 1..3 loop
    begin
      update public.appointments as a set status = 'cancelled', cancelled_at = pg_catalog.now() where a.id = v_old.id;
      begin
        v_new := private.place_appointment(p_call, v_job, (v_staff.staff).id, v_old.staff_member_id);
      exception
        when exclusion_violation then
          get stacked diagnostics v_constraint = constraint_name;
          if v_attempt = 3 or not private.pick_again(v_constraint, (v_staff.staff).id) then
            -- Said while the old booking is still cancelled: its own time counts as free in the offered times.
            v_refusal := private.taken_message(p_call, v_staff.staff, v_start, v_end - v_start, v_buffer,
                                               v_old.service_id)
                         || ' ' || private.say(p_call.language, 'reschedule.unchanged');
          end if;
          raise; -- the outer block undoes the cancellation too: the original booking stands
      end;
      exit;
    exception
      when exclusion_violation then
        if v_refusal is not null then
          return private.served(false, v_refusal, 'slot_taken');
        end if;
    end;
  end loop;
  return private.served(true, (private.appointment_result(p_call, v_new, 'rescheduled', 'reschedule.moved')::jsonb
                  || pg_catalog.jsonb_build_object('previous_appointment_id', v_old.id,
                       'previous_start_time', private.to_local_iso(v_old.start_time, v_org.timezone)))::text,
          'rescheduled');
end;
$$;
