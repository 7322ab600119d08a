-- =====================================================================================================================
-- Section - A caller who books again in a new call is confirmed, not booked twice
-- =====================================================================================================================
-- - A retry for the same customer, time and service was confirmed as the same appointment only within one call. A
--   redial after a dropped call is a new call: "book Dana Ortiz, furnace tune-up, 9:00" booked her again with a second
--   technician (helper-86 #1). The active appointment of the booking's number (the one given, else the caller's) for
--   that name (its words: case, accents, spacing and punctuation aside), time and service (helper-89 #1, #2, #5) is
--   now confirmed as theirs whatever call booked it (a family's other names still book side by side) — once the time is
--   still bookable: a redial for a time since closed or passed hears why (only this call's own retry is confirmed
--   then). One probe on (organization, start time), as before on the call id.
-- - When the caller's own appointment is what holds a time, a booking refused as taken says so, as a check does ("That
--   time overlaps your own appointment on …"), so the assistant asks about it instead of booking a second one at the
--   nearest open time (helper-86 #2). Only in the refusal; with nobody active who performs the service, the refusal
--   says so instead of "taken" (helper-89 #12). CREATE OR REPLACE keeps grants.

insert into private.message_catalog (language, key, template) values
  ('en', 'book.already', '{name} already has this appointment{details} on {when} ({zone}); nothing new was booked.'),
  ('es', 'book.already', '{name} ya tiene esta cita{details}: {when} ({zone}); no he reservado nada nuevo.'),
  ('en', 'service.nobody', 'Nobody does {service} at the moment.'),
  ('es', 'service.nobody', 'Ahora mismo no tenemos a nadie que haga {service}.');

drop function private.own_booking(private.tool_call_context, timestamptz, timestamptz, text, uuid);

/** The active appointment this call — or, with p_any_call, in any call the booking's number p_phone — holds for that
    customer (the name as written, or its words: case, accents, spacing and punctuation aside), time and service (the
    one of the list, or the words given); null when there is none. */
create function private.own_booking(
  p_call private.tool_call_context, p_start timestamptz, p_end timestamptz, p_name text, p_service_id uuid,
  p_service text, p_phone text, p_any_call boolean)
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
  where a.organization_id = p_call.organization_id
    and a.start_time = p_start
    and a.is_active
    and a.end_time = p_end
    and a.service_id is not distinct from p_service_id
    and pg_catalog.lower(coalesce(a.service, '')) = pg_catalog.lower(coalesce(p_service, ''))
    and (pg_catalog.lower(a.customer_name) = pg_catalog.lower(p_name)
         or private.name_words(a.customer_name) = private.name_words(p_name))
    and (a.vapi_call_id = p_call.vapi_call_id or (p_any_call and a.customer_phone = p_phone))
  order by a.vapi_call_id is not distinct from p_call.vapi_call_id desc, a.created_at
  limit 1;
  return v_appointment;
end;
$$;
revoke all on function private.own_booking(private.tool_call_context, timestamptz, timestamptz, text, uuid, text, text,
                                           boolean) from public;

/**
  * book_appointment: check the arguments → the service (duration, buffer) and the person asked for → notice, horizon,
  * hours → lock the organization's calendar → a free qualified staff member (or the one calendar) → insert; the
  * exclusion constraints decide any race, and a lost race is looked at again (20261203100100). The caller's own booking
  * of the same customer, time and service (this call's, or the caller's number's in any call) is confirmed, not made
  * twice. Without `customer_phone` the caller's own
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
    -- Unless this call already booked it (asked again after the notice window moved past it): that is confirmed. Not
    -- another call's: a redial for a time since closed or passed hears why (helper-87 #2).
    v_appointment := private.own_booking(p_call, v_start, v_end, v_name, (v_service.service).id, v_service_name,
                                         v_phone, false);
    if v_appointment.id is not null then
      return private.served(true, private.appointment_result(p_call, v_appointment, 'booked', 'book.booked'), 'booked');
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
                else 'book.booked' end), 'booked');
end;
$$;

/** The spoken refusal when nobody (or the person asked for) is free then — saying so when it is the caller's own
    appointment that holds the time (private.own_appointment_sentence) —, with the nearest open times. */
create or replace function private.taken_message(
  p_call private.tool_call_context, p_staff public.staff_members, p_start timestamptz, p_duration interval,
  p_buffer interval, p_service_id uuid)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  -- Nobody active performs the service (its only technician left): no time will do, and "taken" would say one might
  -- (helper-89 #12).
  if p_service_id is not null and p_staff.id is null and private.has_staff(p_call.organization_id)
     and private.service_performers(p_call.organization_id, p_service_id) is null then
    return private.say(p_call.language, 'service.nobody', pg_catalog.jsonb_build_object(
      'service', (select v.name from public.services as v where v.id = p_service_id)));
  end if;
  return case when p_staff.id is not null
              then private.say(p_call.language, 'staff.busy', pg_catalog.jsonb_build_object('staff', p_staff.name))
              else private.say(p_call.language, 'slot.taken') end
      || private.own_appointment_sentence(p_call, p_start, p_start + p_duration + p_buffer, p_staff.id, p_service_id)
      || ' ' || private.nearest_open_times_sentence(p_call, p_start, p_duration, p_buffer, p_service_id, p_staff.id);
end;
$$;
