-- =====================================================================================================================
-- Section - A tool call without a call: the caller's own number recognises its booking
-- =====================================================================================================================
-- `call` is optional on the SDK's tool-calls message. Without it (and without a chat) there is no call id, so the
-- ledger cannot replay a redelivery and own_booking found nothing: the caller who had just booked heard "That time is
-- already taken … Nothing was booked" (helper-50 #1). With no call id, a booking without one, made for the caller's own
-- number (customer.number) with the same name, time and service, is now confirmed as theirs; another number never is.
-- The hot path (a call id) runs the same single probe as before. tests/e2e/booking_resolution.test.ts.

/** The active appointment this call (or, without a call id, this caller's number) holds for that customer, time and
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
  if p_call.vapi_call_id is null then
    select a.* into v_appointment
    from public.appointments as a
    where a.organization_id = p_call.organization_id
      and a.start_time = p_start
      and a.vapi_call_id is null
      and a.customer_phone = p_call.caller_phone
      and a.is_active
      and a.end_time = p_end
      and pg_catalog.lower(a.customer_name) = pg_catalog.lower(p_name)
      and a.service_id is not distinct from p_service_id
    order by a.created_at
    limit 1;
    return v_appointment;
  end if;
  select a.* into v_appointment
  from public.appointments as a
  where a.vapi_call_id = p_call.vapi_call_id
    and a.organization_id = p_call.organization_id
    and a.is_active
    and a.start_time = p_start
    and a.end_time = p_end
    and pg_catalog.lower(a.customer_name) = pg_catalog.lower(p_name)
    and a.service_id is not distinct from p_service_id
  order by a.created_at
  limit 1;
  return v_appointment;
end;
$$;
