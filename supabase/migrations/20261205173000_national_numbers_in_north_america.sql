-- =====================================================================================================================
-- Section - A North American number said without its country code is understood
-- =====================================================================================================================
-- Callers say "five five five, one two three, four five six seven" and the model writes 5551234567: book, cancel and
-- reschedule answered "say it again with the country code" (helper-70). Where the call is North American — the
-- caller's number is +1, or, without one, every active line of the organization is — ten digits (or eleven with the 1)
-- that form a valid NANP number are read as +1. Elsewhere nothing changes: ten digits are a whole number in many
-- countries (an Indian mobile is not +1 987…), so E.164 is still asked for. CREATE OR REPLACE keeps grants.
-- Also: "cancel my appointment" with nothing upcoming names the caller's last cancelled one as already cancelled
-- (it said "I could not find that appointment" on the second ask; helper-70), and a number cancel or reschedule cannot
-- read is asked for again with its country code (it said "I need … the phone number", which had been given).

/**
  * A phone number as the caller gave it, in E.164: written so (or with 00), or — in a North American call (a +1
  * caller; a hidden one to an organization whose active lines are all +1) — the ten digits of a NANP number (area code
  * and exchange not starting with 0 or 1), with or without the leading 1.
  */
create function private.given_phone(p_call private.tool_call_context, p_raw text)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  -- The digits as normalize_e164 cleans them (spaces, dots, dashes, brackets dropped), had the caller said a "+".
  v_digits text := pg_catalog.substr(private.normalize_e164('+' || pg_catalog.btrim(p_raw)), 2);
begin
  return coalesce(private.normalize_e164(p_raw),
    case when v_digits ~ '^1?[2-9][0-9]{2}[2-9][0-9]{6}$'
              and (p_call.caller_phone like '+1%'
                   or (p_call.caller_phone is null -- a hidden caller: the organization's lines say where it is
                       and exists (select from public.customer_configurations as c
                                   where c.organization_id = p_call.organization_id and c.is_active
                                     and c.vapi_phone_number like '+1%')
                       and not exists (select from public.customer_configurations as c
                                       where c.organization_id = p_call.organization_id and c.is_active
                                         and c.vapi_phone_number not like '+1%')))
         then '+1' || pg_catalog.right(v_digits, 10) end);
end;
$$;
revoke all on function private.given_phone(private.tool_call_context, text) from public;

/**
  * book_appointment: check the arguments → the service (duration, buffer) and the person asked for → notice, horizon,
  * hours → lock the organization's calendar → a free qualified staff member (or the one calendar) → insert; the
  * exclusion constraints decide any race, and a lost race is looked at again (20261203100100). This call's own booking
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
    -- Unless this call already booked it (asked again after the notice window moved past it): that is confirmed.
    v_appointment := private.own_booking(p_call, v_start, v_end, v_name, (v_service.service).id);
    if v_appointment.id is not null then
      return private.served(true, private.appointment_result(p_call, v_appointment, 'booked', 'book.booked'), 'booked');
    end if;
    return private.refusal(v_problem.message || ' ' || private.say(p_call.language, 'book.nothing_booked'),
                           v_problem.reason);
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
  * The caller's appointment within ONE organization, locked for update: by `appointment_id`; by phone
  * (`customer_phone`, else the caller's own number) plus `start_time`; or, with no time, the caller's own number's one
  * upcoming appointment ("my appointment"; several → `problem` lists them) — another number needs its time, so a caller
  * who knows a number cannot cancel or hear that customer's appointments. `problem` is spoken when none is found.
  * A rescheduled appointment lives on in the booking that replaced it, so its old id or old time finds the new one.
  */
create or replace function private.find_caller_appointment(
  p_call private.tool_call_context, out appointment public.appointments, out problem text)
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
  v_upcoming timestamptz[];
  v_first uuid;
  v_successor public.appointments;
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
  elsif v_phone_given is not null and v_phone is null then
    problem := private.say(p_call.language, 'arg.bad_phone'); -- not "I need the phone number": it was given
    return;
  elsif v_phone is not null and v_start is not null then
    select a.* into appointment from public.appointments as a
    where a.organization_id = v_org.id and a.customer_phone = v_phone and a.start_time = v_start
    order by a.is_active desc, a.created_at desc
    limit 1
    for update;
  elsif v_phone is distinct from p_call.caller_phone then
    problem := private.say(p_call.language, case when v_phone is null then 'find.need_ident' else 'find.need_time' end);
    return;
  elsif v_phone is not null then
    select pg_catalog.array_agg(u.start_time order by u.start_time), (pg_catalog.array_agg(u.id order by u.start_time))[1]
    into v_upcoming, v_first
    from (select a.id, a.start_time from public.appointments as a
          where a.organization_id = v_org.id and a.customer_phone = v_phone and a.is_active
            and a.start_time > pg_catalog.now()
          order by a.start_time limit 5) as u;
    if pg_catalog.cardinality(v_upcoming) > 1 then
      problem := private.say(p_call.language, 'find.several', pg_catalog.jsonb_build_object(
        'slots', private.describe_slots(v_upcoming, v_org.timezone, p_call.language)));
      return;
    elsif v_first is null then
      -- Nothing upcoming: the one cancelled last (in this call or before; not moved) is named as already cancelled
      -- rather than "not found" — a second "cancel my appointment" hears what became of it.
      select a.id into v_first from public.appointments as a
      where a.organization_id = v_org.id and a.customer_phone = v_phone and a.status = 'cancelled'
        and a.start_time > pg_catalog.now()
        and not exists (select from public.appointments as m where m.rescheduled_from = a.id)
      order by a.cancelled_at desc nulls last, a.id
      limit 1;
    end if;
    -- Locked by id: a filter on is_active would drop it when a concurrent move or cancel commits first (READ COMMITTED
    -- re-checks the new row version), and the follow below could not see where it went.
    select a.* into appointment from public.appointments as a
    where a.id = v_first and a.organization_id = v_org.id
    for update;
  else
    problem := private.say(p_call.language, 'find.need_ident');
    return;
  end if;
  if appointment.id is null then
    problem := private.say(p_call.language, 'find.not_found');
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
