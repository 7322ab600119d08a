-- =====================================================================================================================
-- Section - "My appointment" found while another tool moves or cancels it
-- =====================================================================================================================
-- Cancel or reschedule without an id or time finds the caller's one upcoming appointment and locks it. The lock re-
-- checked `is_active` after waiting: when a reschedule of that appointment committed first, the old row no longer
-- matched and the cancel said "I could not find that appointment" while the moved booking stayed (helper-49 #1); when
-- a cancel committed first, a reschedule said "not found" instead of "no longer active". The row is now locked by its
-- id, so the lookup follows the move (or sees the cancel) as a lookup by appointment id does.
-- Only that changes (tests/integration/caller_appointment_race.test.ts). CREATE OR REPLACE keeps grants and signature.

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
  v_phone text := case when v_phone_given is null then p_call.caller_phone else private.normalize_e164(v_phone_given) end;
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
