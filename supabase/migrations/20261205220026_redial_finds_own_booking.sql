-- =====================================================================================================================
-- Section - A caller who books again in a new call is confirmed, not booked twice
-- =====================================================================================================================
-- - A retry for the same customer, time and service was confirmed as the same appointment only within one call. A
--   redial after a dropped call is a new call: "book Dana Ortiz, furnace tune-up, 9:00" booked her again with a second
--   technician (helper-86 #1). The caller's own number's active appointment for that name, time and service is now
--   confirmed as theirs whatever call booked it (a family's other names still book side by side). One probe on
--   (organization, start time), as before on the call id.
-- - When the caller's own appointment is what holds a time, a booking refused as taken says so, as a check does ("That
--   time overlaps your own appointment on …"), so the assistant asks about it instead of booking a second one at the
--   nearest open time (helper-86 #2). Only in the refusal. CREATE OR REPLACE keeps grants.

/** The active appointment this call — or, in any call, the caller's own number — holds for that customer, time and
    service; null when there is none. */
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
  where a.organization_id = p_call.organization_id
    and a.start_time = p_start
    and a.is_active
    and a.end_time = p_end
    and pg_catalog.lower(a.customer_name) = pg_catalog.lower(p_name)
    and a.service_id is not distinct from p_service_id
    and (a.vapi_call_id = p_call.vapi_call_id or a.customer_phone = p_call.caller_phone)
  order by a.vapi_call_id is not distinct from p_call.vapi_call_id desc, a.created_at
  limit 1;
  return v_appointment;
end;
$$;

/** The spoken refusal when nobody (or the person asked for) is free then — saying so when it is the caller's own
    appointment that holds the time —, with the nearest open times. */
create or replace function private.taken_message(
  p_call private.tool_call_context, p_staff public.staff_members, p_start timestamptz, p_duration interval,
  p_buffer interval, p_service_id uuid)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_own timestamptz;
begin
  if p_call.caller_phone is not null then
    select a.start_time into v_own
    from public.appointments as a
    where a.organization_id = p_call.organization_id and a.is_active and a.customer_phone = p_call.caller_phone
      and a.start_time > p_start - interval '1 day' and a.start_time < p_start + p_duration + p_buffer
      and a.blocked_during && pg_catalog.tstzrange(p_start, p_start + p_duration + p_buffer)
    order by a.start_time
    limit 1;
  end if;
  return case when p_staff.id is not null
              then private.say(p_call.language, 'staff.busy', pg_catalog.jsonb_build_object('staff', p_staff.name))
              else private.say(p_call.language, 'slot.taken') end
      || case when v_own is null then ''
              else ' ' || private.say(p_call.language, 'availability.own_appointment', pg_catalog.jsonb_build_object(
                     'when', private.spoken_time(v_own, (p_call.organization).timezone, p_call.language))) end
      || ' ' || private.nearest_open_times_sentence(p_call, p_start, p_duration, p_buffer, p_service_id, p_staff.id);
end;
$$;
