-- =====================================================================================================================
-- Section - Answers under contention (races the exclusion constraints already keep safe, answered better)
-- =====================================================================================================================
-- 1. A redelivered tool call waits for the first delivery's answer instead of failing after 1 s (begin_tool_call).
-- 2. When an organization's calendar lock is busy for over 0.5 s, a booking goes on without it
--    (20261129130100_calendar_lock_bounded_wait.sql) and can pick a technician a rival is booking at that moment, or
--    miss its own call's first booking: the exclusion constraint then refuses it although another technician is free,
--    or although the slot is the caller's own. On that conflict the rival has committed, so booking and rescheduling
--    look again: the caller's own booking is confirmed, and a technician picked here (not asked for by name) is picked
--    afresh, at most three times. Nothing changes when the lock was had: the first pick then already saw every rival.

create or replace function private.begin_tool_call(
  p_assistant_id text, p_phone_number text, p_vapi_call_id text, p_tool_call_id text, p_tool_name text,
  p_arguments jsonb, p_phone_number_id text, p_caller_phone text)
  returns private.tool_call_context
  language plpgsql
  volatile
  set search_path = ''
as $$
declare
  v_context private.tool_call_context;
  v_resolved record;
  v_lock_timeout text;
  v_lock_timeout_set text; -- set_config's echo, assigned rather than PERFORMed (one executor start fewer)
begin
  v_context.vapi_call_id := nullif(pg_catalog.btrim(p_vapi_call_id), '');
  v_context.assistant_id := nullif(pg_catalog.btrim(p_assistant_id), '');
  v_context.caller_phone := private.normalize_e164(p_caller_phone);
  v_context.arguments := case when pg_catalog.jsonb_typeof(p_arguments) = 'object' then p_arguments else '{}' end;
  v_resolved := private.resolve_organization(p_assistant_id, p_phone_number, v_context.vapi_call_id,
                                             p_phone_number_id);
  v_context.organization_id := v_resolved.organization_id;
  v_context.resolved_by := v_resolved.resolved_by;
  if v_context.organization_id is null then
    -- The seed guide's wording (no tenant, so no tenant language); nothing is written.
    v_context.answer := private.tool_response(false, 'Organization not found for this assistant',
                                              'organization_not_found', null, null, 'en');
    return v_context;
  end if;
  select o into v_context.organization from public.organizations as o where o.id = v_context.organization_id;
  v_context.language := private.call_language(v_context.organization_id, v_context.vapi_call_id,
                                              v_context.assistant_id);
  if v_context.vapi_call_id is null then
    return v_context;
  end if;

  v_context.tool_call_key := coalesce(nullif(pg_catalog.btrim(p_tool_call_id), ''),
    'function-call:' || p_tool_name || ':' || pg_catalog.md5(v_context.arguments::text));
  -- A redelivery of a tool call still running elsewhere waits here for that first delivery's answer (its uncommitted
  -- ledger row), longer than the 1 s any other lock wait gets: the first is bounded by its own 4 s statement budget,
  -- which started earlier and so ends first. Timing out at 1 s answered "couldn't reach" while the first booked.
  v_lock_timeout := pg_catalog.current_setting('lock_timeout');
  v_lock_timeout_set := pg_catalog.set_config('lock_timeout', '3500ms', true);
  insert into public.tool_call_executions (vapi_call_id, tool_call_id, organization_id, tool_name)
  values (v_context.vapi_call_id, v_context.tool_call_key, v_context.organization_id, p_tool_name)
  on conflict (vapi_call_id, tool_call_id) do nothing;
  v_lock_timeout_set := pg_catalog.set_config('lock_timeout', v_lock_timeout, true);
  if not found then
    select case
             when e.organization_id = v_context.organization_id
               then e.response || pg_catalog.jsonb_build_object('replayed', true)
             else private.tool_response(false, private.say(v_context.language, 'tool.conflict'), 'tool_call_conflict',
                                        v_context.organization_id, v_context.resolved_by, v_context.language)
           end
      into v_context.answer
    from public.tool_call_executions as e
    where e.vapi_call_id = v_context.vapi_call_id and e.tool_call_id = v_context.tool_call_key;
  end if;
  return v_context;
end;
$$;


/**
  * Whether another pick of staff may succeed after the exclusion violation `p_constraint`: only when a technician
  * was double booked (not the one-calendar constraint, nor place_appointment's own "nobody is free", which names no
  * constraint) and nobody was asked for by name (`p_staff_member_id` null).
  */
create function private.pick_again(p_constraint text, p_staff_member_id uuid)
  returns boolean
  language plpgsql
  immutable
  set search_path = ''
as $$
begin
  return p_constraint = 'appointments_staff_no_overlap' and p_staff_member_id is null;
end;
$$;
revoke all on function private.pick_again(text, uuid) from public;

/**
  * book_appointment: check the arguments → the service (duration, buffer) and the person asked for → notice, horizon,
  * hours → lock the organization's calendar → a free qualified staff member (or the one calendar) → insert; the
  * exclusion constraints decide any race, and a lost race is looked at again (this section). This call's own booking
  * of the same customer, time and service is confirmed, not made twice. Without `customer_phone` the caller's own
  * number is the booking's phone.
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
  v_constraint text;
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
  for v_attempt in 1..3 loop
    begin
      v_appointment := private.place_appointment(p_call, pg_catalog.jsonb_populate_record(null::public.appointments,
        pg_catalog.jsonb_build_object('start_time', v_start, 'end_time', v_end, 'blocked_until', v_end + v_buffer,
          'customer_name', v_name, 'customer_phone', v_phone, 'service', v_service_name,
          'service_id', (v_service.service).id, 'notes', v_notes)), (v_staff.staff).id, null);
      exit;
    exception
      when exclusion_violation then
        get stacked diagnostics v_constraint = constraint_name;
        -- The rival has committed by now (the constraint waited for it), so this look sees it: it may be this
        -- call's own retry, which the calendar lock did not serialise when its wait ran out.
        v_appointment := private.own_booking(p_call, v_start, v_end, v_name, (v_service.service).id);
        exit when v_appointment.id is not null;
        if v_attempt = 3 or not private.pick_again(v_constraint, (v_staff.staff).id) then
          return private.served(false, private.taken_message(p_call, v_staff.staff, v_start, v_end - v_start,
                                                             v_buffer, (v_service.service).id)
                         || ' ' || private.say(p_call.language, 'book.nothing_booked'), 'slot_taken');
        end if;
    end;
  end loop;
  return private.served(true, private.appointment_result(p_call, v_appointment, 'booked', 'book.booked'), 'booked');
end;
$$;

/**
  * reschedule_appointment: cancel the caller's appointment and book `new_start_time` (same customer, service, notes,
  * buffer; same length unless `duration_minutes` is given) atomically. It stays with the same staff member when they
  * are free (or with `staff_name`), else goes to a free qualified one; when nobody is free both steps are undone.
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
  v_minutes integer := private.parse_duration_minutes(p_call.arguments -> 'duration_minutes',
    (extract(epoch from v_old.end_time - v_old.start_time) / 60)::integer);
  v_buffer interval := coalesce(v_old.blocked_until - v_old.end_time, interval '0');
  v_service public.services;
  v_staff record;
  v_end timestamptz;
  v_problem record;
  v_constraint text;
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
    -- The first answer is given again and nothing is written (no second move, no second text to the customer).
    select a.* into v_from from public.appointments as a where a.id = v_old.rescheduled_from;
    return private.served(true, (private.appointment_result(p_call, v_old, 'rescheduled', 'reschedule.moved')::jsonb
                    || pg_catalog.jsonb_build_object('previous_appointment_id', coalesce(v_from.id, v_old.id),
                         'previous_start_time', private.to_local_iso(coalesce(v_from.start_time, v_old.start_time),
                                                                     v_org.timezone)))::text,
            'rescheduled');
  end if;
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
  for v_attempt in 1..3 loop
    begin
      update public.appointments as a set status = 'cancelled', cancelled_at = pg_catalog.now() where a.id = v_old.id;
      v_new := private.place_appointment(p_call, v_job, (v_staff.staff).id, v_old.staff_member_id);
      exit;
    exception
      when exclusion_violation then
        -- The block's subtransaction undid the cancellation too: the original booking stands.
        get stacked diagnostics v_constraint = constraint_name;
        if v_attempt = 3 or not private.pick_again(v_constraint, (v_staff.staff).id) then
          return private.served(false, private.taken_message(p_call, v_staff.staff, v_start, v_end - v_start,
                                                             v_buffer, v_old.service_id)
                         || ' ' || private.say(p_call.language, 'reschedule.unchanged'), 'slot_taken');
        end if;
    end;
  end loop;
  return private.served(true, (private.appointment_result(p_call, v_new, 'rescheduled', 'reschedule.moved')::jsonb
                  || pg_catalog.jsonb_build_object('previous_appointment_id', v_old.id,
                       'previous_start_time', private.to_local_iso(v_old.start_time, v_org.timezone)))::text,
          'rescheduled');
end;
$$;

