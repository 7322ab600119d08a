-- Texts withdrawn by hand with the README's one statement (20261205001200_texts_withdrawn_by_hand.sql): one being sent
-- at that moment stays cancelled after a retryable answer, one the provider took is recorded as sent, and a cancelled
-- `unknown` one is not looked up again. Another organization's texts are not touched by the statement.
begin;
select plan(9);

insert into public.organizations (id, name, timezone) values
  ('88000000-0000-4000-8000-00000000000a', 'Withdrawn A', 'America/New_York'),
  ('88000000-0000-4000-8000-00000000000b', 'Withdrawn B', 'America/New_York');
insert into public.customer_configurations (organization_id, vapi_assistant_id, vapi_phone_number, sms_preferences) values
  ('88000000-0000-4000-8000-00000000000a', 'asst_withdrawn_a', '+15550188001', '{"enabled": true, "reminder": false}'),
  ('88000000-0000-4000-8000-00000000000b', 'asst_withdrawn_b', '+15550188002', '{"enabled": true, "reminder": false}');
-- Only this file's texts are due.
update public.notifications set send_after = now() + interval '1 year' where status = 'pending';
insert into public.appointments (id, organization_id, start_time, end_time, customer_name, customer_phone) values
  ('88a00000-0000-4000-8000-000000000001', '88000000-0000-4000-8000-00000000000a', now() + interval '3 days',
   now() + interval '3 days 1 hour', 'Ann', '+15551880001'),
  ('88a00000-0000-4000-8000-000000000002', '88000000-0000-4000-8000-00000000000a', now() + interval '4 days',
   now() + interval '4 days 1 hour', 'Bea', '+15551880002'),
  ('88a00000-0000-4000-8000-000000000003', '88000000-0000-4000-8000-00000000000a', now() + interval '5 days',
   now() + interval '5 days 1 hour', 'Cy', '+15551880003'),
  ('88a00000-0000-4000-8000-000000000004', '88000000-0000-4000-8000-00000000000b', now() + interval '3 days',
   now() + interval '3 days 1 hour', 'Dee', '+15551880004');
create function pg_temp.text_of(p_appointment text) returns uuid language sql as $$
  select id from public.notifications where appointment_id = p_appointment::uuid and kind = 'confirmation' $$;
create function pg_temp.status_of(p_appointment text) returns text language sql as $$
  select status from public.notifications where id = pg_temp.text_of(p_appointment) $$;
create temp table claimed as select * from public.claim_notifications(0) limit 0;

-- A's first two texts are being sent; its third's outcome is unknown (lease expired, due for a look-up).
insert into claimed select * from public.claim_notifications(10, 60, array['88000000-0000-4000-8000-00000000000a'::uuid]);
update public.notifications set status = 'unknown', unknown_since = now() - interval '3 minutes', lease_expires_at = null
where id = pg_temp.text_of('88a00000-0000-4000-8000-000000000003');

-- The README's statement, while they are in flight.
update public.notifications set status = 'cancelled'
where organization_id = '88000000-0000-4000-8000-00000000000a' and status in ('pending', 'sending', 'unknown');

select is(public.record_notification_result(pg_temp.text_of('88a00000-0000-4000-8000-000000000001'),
            (select claim_id from claimed where id = pg_temp.text_of('88a00000-0000-4000-8000-000000000001')),
            'retry', null, 'HTTP 429'),
  'cancelled', 'a retryable answer for a text withdrawn while it was being sent: it stays cancelled');
select is(pg_temp.status_of('88a00000-0000-4000-8000-000000000001'), 'cancelled', 'and is not queued again');
select is(public.record_notification_result(pg_temp.text_of('88a00000-0000-4000-8000-000000000002'),
            (select claim_id from claimed where id = pg_temp.text_of('88a00000-0000-4000-8000-000000000002')),
            'sent', 'SM88taken'),
  'sent', 'the provider took it before the withdrawal counted: recorded as sent');
select is((select provider_message_id from public.notifications
           where id = pg_temp.text_of('88a00000-0000-4000-8000-000000000002')),
  'SM88taken', 'with its provider id');
select is(public.record_notification_result(pg_temp.text_of('88a00000-0000-4000-8000-000000000001'),
            gen_random_uuid(), 'sent', 'SM88forged'),
  null, 'a result under another claim changes nothing');
select is(pg_temp.status_of('88a00000-0000-4000-8000-000000000001'), 'cancelled', 'still cancelled');

delete from claimed;
insert into claimed select * from public.claim_notifications(10, 60, array['88000000-0000-4000-8000-00000000000a'::uuid]);
select is_empty($$ select 1 from claimed $$, 'nothing of A is claimed again: the cancelled unknown text is not looked up');
select is(pg_temp.status_of('88a00000-0000-4000-8000-000000000003'), 'cancelled', 'it stays cancelled');
select is(pg_temp.status_of('88a00000-0000-4000-8000-000000000004'), 'pending', 'B''s text is untouched');

select * from finish();
rollback;
