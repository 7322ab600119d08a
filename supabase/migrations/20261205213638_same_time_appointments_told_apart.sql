-- =====================================================================================================================
-- Section - Appointments at the same time on one number are told apart
-- =====================================================================================================================
-- Two jobs at 10:00 for one family's number (Ann's tune-up with James, Tom's installation with Maria; helper-83 #1):
-- - cancel or move by phone and time took one of them silently — the caller may have meant the other. Several active
--   at the time given are now listed and asked about, as "my appointment" with several upcoming is;
-- - that list said each as its time only ("10:00 AM (…); 10:00 AM (…). Which one is it?"), which nobody can answer.
--   Each entry now names the customer, service and staff and carries its appointment_id, which the assistant passes;
-- - "Cancelled the appointment on …" did not say whose: it names the customer, service and staff, as a move does.
-- - A caller without caller ID was asked for "the appointment number", which no answer or text ever gives a caller
--   (helper-83 #6): asked for the phone number it was booked with and its date and time (an id still works).
-- - "Cancel my appointment" during the appointment heard "I could not find that appointment": the one under way is
--   found, and the caller hears it has already started (helper-83 #5).

insert into private.message_catalog (language, key, template) values
  ('en', 'find.several_item', '{when}: {name}{details}, appointment_id {id}'),
  ('es', 'find.several_item', '{when}: {name}{details}, appointment_id {id}'),
  ('en', 'find.several_at_time', 'There are several appointments for this number at that time: {slots}. Which one is it?'),
  ('es', 'find.several_at_time', 'Hay varias citas con este número a esa hora: {slots}. ¿Cuál de ellas es?'),
  ('en', 'find.and_more', 'and more after these'),
  ('es', 'find.and_more', 'y más después de estas')
on conflict (language, key) do update set template = excluded.template;
update private.message_catalog set template = case language
    when 'en' then 'I need the phone number the appointment was booked with, and its date and time.'
    else 'Necesito el número de teléfono con el que se reservó la cita, y su fecha y hora.' end
  where key = 'find.need_ident';
update private.message_catalog set template = case language
    when 'en' then 'Cancelled the appointment of {name}{details} on {when} ({zone}).'
    else 'He cancelado la cita de {name}{details}: {when} ({zone}).' end
  where key = 'cancel.cancelled';
update private.message_catalog set template = case language
    when 'en' then 'That appointment was already cancelled: {name}{details}, {when} ({zone}).'
    else 'Esa cita ya estaba cancelada: {name}{details}, {when} ({zone}).' end
  where key = 'cancel.already';

/** Appointments of the call's organization as a caller can tell them apart: time, name, service, staff and id. */
create or replace function private.describe_appointments(p_call private.tool_call_context, p_ids uuid[])
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return (
    select pg_catalog.string_agg(private.say(p_call.language, 'find.several_item', pg_catalog.jsonb_build_object(
             'when', private.describe_slots(array[a.start_time], (p_call.organization).timezone, p_call.language),
             'name', a.customer_name,
             'details', private.appointment_details(p_call.language, a.service, s.name),
             'id', a.id)), '; ' order by a.start_time, a.customer_name, a.id)
    from public.appointments as a
    left join public.staff_members as s on s.id = a.staff_member_id
    where a.id = any(p_ids) and a.organization_id = p_call.organization_id);
end;
$$;
revoke all on function private.describe_appointments(private.tool_call_context, uuid[]) from public;

/**
  * The caller's appointment within ONE organization, locked for update: by `appointment_id`; by phone
  * (`customer_phone`, else the caller's own number) plus `start_time`; or, with no time, the caller's own number's one
  * upcoming appointment ("my appointment"; several → `problem` lists them, as it does several active at the time given,
  * each with its name, service, staff and id) — another number needs its time, so a caller
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
  v_several uuid[];
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
    select pg_catalog.array_agg(a.id) into v_several from public.appointments as a
    where a.organization_id = v_org.id and a.customer_phone = v_phone and a.start_time = v_start and a.is_active;
    if pg_catalog.cardinality(v_several) > 1 then
      problem := private.say(p_call.language, 'find.several_at_time', pg_catalog.jsonb_build_object(
        'slots', private.describe_appointments(p_call, v_several)));
      return;
    end if;
    select a.* into appointment from public.appointments as a
    where a.organization_id = v_org.id and a.customer_phone = v_phone and a.start_time = v_start
    order by a.is_active desc, a.created_at desc
    limit 1
    for update;
  elsif v_phone is distinct from p_call.caller_phone then
    problem := private.say(p_call.language, case when v_phone is null then 'find.need_ident' else 'find.need_time' end);
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
