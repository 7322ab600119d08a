-- =====================================================================================================================
-- Section - One E.164 rule: the public.e164 domain
-- =====================================================================================================================
-- sms_opt_outs.phone and customer_configurations.transfer_phone_number restated the domain's pattern in a CHECK of
-- their own, and private.queue_sms restated it again to skip numbers that are not E.164 — which
-- appointments.customer_phone (an e164) never holds. They are e164 columns now (a value outside the pattern is refused
-- as before, by the domain's e164_format check). notifications.to_phone keeps its CHECK: functions return it as text,
-- and it only ever copies an e164.

alter table public.sms_opt_outs
  drop constraint sms_opt_outs_phone_is_e164, alter column phone type public.e164;
alter table public.customer_configurations
  drop constraint customer_configurations_transfer_phone_is_e164, alter column transfer_phone_number type public.e164;

/**
  * Queues one text about p_appointment. One due now to a number that opted out of this organization is `skipped`
  * (opted_out) at once; a later one (a reminder) is queued `pending` and checked when it comes due
  * (claim_notifications), so a customer who opts back in before then still gets it.
  */
create or replace function private.queue_sms(
  p_appointment public.appointments, p_kind text, p_send_after timestamptz, p_body text)
  returns void
  language plpgsql
  volatile
  set search_path = ''
as $$
begin
  insert into public.notifications (organization_id, appointment_id, kind, to_phone, body, send_after, status, last_error,
                                    describes_start)
  select p_appointment.organization_id, p_appointment.id, p_kind, p_appointment.customer_phone, p_body, p_send_after,
         case when o.phone is null or p_send_after > pg_catalog.now() then 'pending' else 'skipped' end,
         case when o.phone is not null and p_send_after <= pg_catalog.now() then 'opted_out' end,
         p_appointment.start_time
  from (select 1) as one
  left join public.sms_opt_outs as o
    on o.organization_id = p_appointment.organization_id and o.phone = p_appointment.customer_phone
  where p_appointment.customer_phone is not null; -- an e164: its domain checked it
end;
$$;
