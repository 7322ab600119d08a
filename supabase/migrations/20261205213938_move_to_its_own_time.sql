-- =====================================================================================================================
-- Section - A move to the time the appointment already has says so
-- =====================================================================================================================
-- "Move it to 9:00" for a 9:00 appointment answered "Moved the appointment … to 9:00 AM" (helper-83 #7): the caller
-- heard a change that did not happen. Nothing is still written, and the answer now says the appointment is already
-- at that time (status `unchanged`). The move made in this same call and asked again (Vapi's retry of a move whose
-- answer was lost) still hears its first answer. CREATE OR REPLACE keeps grants.
insert into private.message_catalog (language, key, template) values
  ('en', 'reschedule.already_there', 'The appointment of {name}{details} is already on {when} ({zone}); nothing was changed.'),
  ('es', 'reschedule.already_there', 'La cita de {name}{details} ya está a esa hora: {when} ({zone}); no he cambiado nada.');

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
