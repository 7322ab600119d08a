-- A text about an appointment that changed while it was being sent is cancelled, not retried
-- (20261204070100_withdrawn_texts.sql); an inbound STOP/START changes only the opt-outs of organizations whose
-- Twilio account signed it (20261204070000_inbound_sms_account_owns_line.sql).
begin;
select plan(14);

insert into public.organizations (id, name, timezone) values
  ('58000000-0000-4000-8000-00000000000a', 'Texts A', 'America/New_York'),
  ('58000000-0000-4000-8000-00000000000b', 'Texts B', 'America/New_York');
insert into public.customer_configurations (organization_id, vapi_assistant_id, vapi_phone_number, sms_preferences) values
  ('58000000-0000-4000-8000-00000000000a', 'asst_texts_a', '+15550158001', '{"enabled": true, "reminder": false}'),
  ('58000000-0000-4000-8000-00000000000b', 'asst_texts_b', '+15550158002', '{"enabled": true, "reminder": false}');
-- Only this file's texts are due.
update public.notifications set send_after = now() + interval '1 year' where status = 'pending';
insert into public.appointments (id, organization_id, start_time, end_time, customer_name, customer_phone) values
  ('58a00000-0000-4000-8000-000000000001', '58000000-0000-4000-8000-00000000000a', now() + interval '3 days',
   now() + interval '3 days 1 hour', 'Ann', '+15551580001'),
  ('58a00000-0000-4000-8000-000000000002', '58000000-0000-4000-8000-00000000000a', now() + interval '4 days',
   now() + interval '4 days 1 hour', 'Bea', '+15551580002');
create function pg_temp.confirmation(p_appointment text) returns uuid language sql as $$
  select id from public.notifications where appointment_id = p_appointment::uuid and kind = 'confirmation' $$;
create temp table claimed as select * from public.claim_notifications(0) limit 0;

-- 1. Being sent when the appointment is cancelled; the provider answers 429: cancelled, never retried.
insert into claimed select * from public.claim_notifications(10, 60, array['58000000-0000-4000-8000-00000000000a'::uuid]);
update public.appointments set status = 'cancelled' where id = '58a00000-0000-4000-8000-000000000001';
select is(public.record_notification_result(pg_temp.confirmation('58a00000-0000-4000-8000-000000000001'),
            (select claim_id from claimed limit 1), 'retry', null, 'HTTP 429'),
  'cancelled', 'a retryable answer for a text whose appointment was cancelled meanwhile: cancelled');
select is((select status from public.notifications where id = pg_temp.confirmation('58a00000-0000-4000-8000-000000000001')),
  'cancelled', 'the stale confirmation is never sent later');
select is((select count(*)::int from public.notifications
           where appointment_id = '58a00000-0000-4000-8000-000000000001' and kind = 'cancellation' and status = 'pending'),
  1, 'the cancellation notice is queued');

-- 2. Outcome unknown (lease expired) when the appointment is moved; reconciliation does not find it: cancelled.
update public.notifications set lease_expires_at = now() - interval '1 second'
where id = pg_temp.confirmation('58a00000-0000-4000-8000-000000000002');
select count(*) from public.claim_notifications(0); -- expires the lease: unknown
update public.appointments set start_time = start_time + interval '2 hours', end_time = end_time + interval '2 hours'
where id = '58a00000-0000-4000-8000-000000000002';
update public.notifications set unknown_since = now() - interval '3 minutes'
where id = pg_temp.confirmation('58a00000-0000-4000-8000-000000000002');
delete from claimed;
insert into claimed select * from public.claim_notifications(10, 60, array['58000000-0000-4000-8000-00000000000a'::uuid]);
select is((select reconcile from claimed where id = pg_temp.confirmation('58a00000-0000-4000-8000-000000000002')), true,
  'the unknown text is claimed to be looked up');
select is(public.record_notification_result(pg_temp.confirmation('58a00000-0000-4000-8000-000000000002'),
            (select claim_id from claimed limit 1), 'retry', null, 'not in the provider''s list'),
  'cancelled', 'not found at the provider, and the appointment moved meanwhile: cancelled, not resent');

-- 2b. Being sent when the appointment is moved and moved straight back: the text is true again, so it is retried.
insert into public.appointments (id, organization_id, start_time, end_time, customer_name, customer_phone) values
  ('58a00000-0000-4000-8000-000000000004', '58000000-0000-4000-8000-00000000000a', now() + interval '6 days',
   now() + interval '6 days 1 hour', 'Dee', '+15551580004');
delete from claimed;
insert into claimed select * from public.claim_notifications(10, 60, array['58000000-0000-4000-8000-00000000000a'::uuid]);
update public.appointments set start_time = start_time + interval '1 hour', end_time = end_time + interval '1 hour'
where id = '58a00000-0000-4000-8000-000000000004';
update public.appointments set start_time = start_time - interval '1 hour', end_time = end_time - interval '1 hour'
where id = '58a00000-0000-4000-8000-000000000004';
select is(public.record_notification_result(pg_temp.confirmation('58a00000-0000-4000-8000-000000000004'),
            (select claim_id from claimed where id = pg_temp.confirmation('58a00000-0000-4000-8000-000000000004')),
            'retry', null, 'HTTP 429'),
  'pending', 'moved and moved back while being sent: the text is true again and is retried');

-- 3. Inbound: an organization's own account cannot change another organization's opt-outs.
select is(public.record_inbound_sms('+15550158002', '+15551589999', 'STOP', array['58000000-0000-4000-8000-00000000000a'::uuid]),
  'unknown_line', 'A''s account signing a STOP to B''s line: unknown line');
select is_empty($$ select 1 from public.sms_opt_outs where phone = '+15551589999' $$, 'nothing was written');
select is(public.record_inbound_sms('+15550158002', '+15551589999', 'STOP', array['58000000-0000-4000-8000-00000000000b'::uuid]),
  'opted_out', 'B''s own account: B''s opt-out');
select is(public.record_inbound_sms('+15550158002', '+15551589999', 'START'), 'opted_in',
  'the platform''s account (no organizations given) acts for every line');
select is(public.record_inbound_sms('+15550158002', '+15551589999', 'STOP', null,
                                    array['58000000-0000-4000-8000-00000000000b'::uuid]),
  'unknown_line', 'the platform''s account signing for the line of an organization with its own account: unknown line');
select is_empty($$ select 1 from public.sms_opt_outs where phone = '+15551589999' $$, '… and its opt-outs are untouched');

-- 4. A reconciliation that matched another text's message (same words) does not take its provider id.
insert into public.appointments (id, organization_id, start_time, end_time, customer_name, customer_phone) values
  ('58a00000-0000-4000-8000-000000000003', '58000000-0000-4000-8000-00000000000a', now() + interval '5 days',
   now() + interval '5 days 1 hour', 'Cy', '+15551580003');
update public.notifications set status = 'sent', provider_message_id = 'SM58first'
where id = pg_temp.confirmation('58a00000-0000-4000-8000-000000000001');
delete from claimed;
insert into claimed select * from public.claim_notifications(10, 60, array['58000000-0000-4000-8000-00000000000a'::uuid]);
select is(public.record_notification_result(pg_temp.confirmation('58a00000-0000-4000-8000-000000000003'),
            (select claim_id from claimed where id = pg_temp.confirmation('58a00000-0000-4000-8000-000000000003')),
            'sent', 'SM58first'),
  'pending', 'a message already recorded for another text is not this one''s: retried, no duplicate-key error');
select is((select provider_message_id from public.notifications where id = pg_temp.confirmation('58a00000-0000-4000-8000-000000000003')),
  null, 'and its provider id is not taken');

select * from finish();
rollback;
