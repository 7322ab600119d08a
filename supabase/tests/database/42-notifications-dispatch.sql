-- The dispatcher's RPCs (*_notifications_dispatch_rpcs.sql): claim under a lease, record outcomes (sent, retry with
-- bounded backoff, permanent failure, 21610 opt-out, 21211/21614 undeliverable), expired leases never resent, skip rules, inbound STOP/START.
begin;
select plan(56);

insert into public.organizations (id, name, timezone) values
  ('42000000-0000-4000-8000-00000000000a', 'Dispatch A', 'America/New_York'),
  ('42000000-0000-4000-8000-00000000000b', 'Dispatch B', 'America/New_York');
insert into public.customer_configurations (organization_id, vapi_assistant_id, vapi_phone_number, sms_preferences) values
  ('42000000-0000-4000-8000-00000000000a', 'asst_dispatch_a', '+15550142001', '{"enabled": true, "reminder": false}'),
  ('42000000-0000-4000-8000-00000000000b', 'asst_dispatch_b', '+15550142002',
   '{"enabled": true, "reminder": false, "from_number": "+15550142999"}');
-- Other tests' (committed) rows must not be claimed here: only this file's texts are due.
update public.notifications set send_after = now() + interval '1 year' where status = 'pending';

insert into public.appointments (id, organization_id, start_time, end_time, customer_name, customer_phone)
select ('42a00000-0000-4000-8000-0000000000' || lpad(i::text, 2, '0'))::uuid, '42000000-0000-4000-8000-00000000000a',
       now() + make_interval(days => 3, hours => i), now() + make_interval(days => 3, hours => i, mins => 30), 'Ann',
       '+155514200' || lpad(i::text, 2, '0')
from generate_series(1, 6) as i;
insert into public.appointments (id, organization_id, start_time, end_time, customer_name, customer_phone) values
  ('42b00000-0000-4000-8000-000000000001', '42000000-0000-4000-8000-00000000000b', now() + interval '3 days', now() + interval '3 days 1 hour', 'Ben', '+15551420101');
create function pg_temp.text_of(p_appointment text) returns uuid language sql as $$
  select id from public.notifications where appointment_id = p_appointment::uuid and kind = 'confirmation' $$;
create temp table claimed as select * from public.claim_notifications(0) limit 0;
grant select, insert on claimed to service_role;

-- =====================================================================================================================
-- Section - Claim
-- =====================================================================================================================
select tests.authenticate_as_service_role();
insert into claimed select * from public.claim_notifications(3, 60, array['42000000-0000-4000-8000-00000000000a'::uuid]);
reset role;
select is((select count(*)::int from claimed), 3, 'a claim takes at most p_limit due texts');
select is((select count(*)::int from public.notifications where status = 'sending' and attempts = 1
             and lease_expires_at = now() + interval '60 seconds'), 3, 'claimed texts are sending, attempt 1, under a lease');
select is((select count(distinct claim_id)::int from claimed), 1, 'one claim id per run');
select is((select from_phone from claimed limit 1), '+15550142001', 'the sender defaults to the tenant''s line');
select tests.authenticate_as_service_role();
insert into claimed select * from public.claim_notifications(10, 60, array['42000000-0000-4000-8000-00000000000a'::uuid]);
reset role;
select is((select count(*)::int from claimed), 6, 'a second run claims only the rest of organization A');
select is((select count(distinct id)::int from claimed), 6, 'no text is claimed twice');
select tests.authenticate_as_service_role();
insert into claimed select * from public.claim_notifications(10);
reset role;
select is((select from_phone from claimed where organization_id = '42000000-0000-4000-8000-00000000000b'), '+15550142999',
  'sms_preferences.from_number overrides the sender');
select is((select count(*)::int from public.claim_notifications(10)), 0, 'nothing left to claim');

-- =====================================================================================================================
-- Section - Outcomes
-- =====================================================================================================================
create temp table ids as select
  pg_temp.text_of('42a00000-0000-4000-8000-000000000001') as sent_id,
  pg_temp.text_of('42a00000-0000-4000-8000-000000000002') as retry_id,
  pg_temp.text_of('42a00000-0000-4000-8000-000000000003') as failed_id,
  pg_temp.text_of('42a00000-0000-4000-8000-000000000004') as optout_id,
  pg_temp.text_of('42a00000-0000-4000-8000-000000000005') as lost_id,
  pg_temp.text_of('42a00000-0000-4000-8000-000000000006') as late_id;
select sent_id, retry_id, failed_id, optout_id, lost_id, late_id from ids \gset
select claim_id as claim from claimed where id = :'sent_id' \gset

select is(public.record_notification_result(:'sent_id', gen_random_uuid(), 'sent', 'SM00000000000000000000000000000001'), null,
  'another claim cannot record the outcome');
select is(public.record_notification_result(:'sent_id', :'claim', 'sent', 'SM00000000000000000000000000000001'), 'sent',
  'sent is recorded');
select results_eq($$ select status, provider_message_id, sent_at is not null, lease_expires_at from public.notifications where id = $$
  || quote_literal(:'sent_id'), $$ values ('sent', 'SM00000000000000000000000000000001', true, null::timestamptz) $$,
  'a sent text keeps the provider''s SID');
select is(public.record_notification_result(:'sent_id', :'claim', 'retry', null, 'HTTP 500'), 'sent',
  'a sent text never goes back to pending');

select claim_id as claim from claimed where id = :'retry_id' \gset
select is(public.record_notification_result(:'retry_id', :'claim', 'retry', null, 'HTTP 429 Too Many Requests'), 'pending',
  '429 → pending again');
select ok((select send_after between now() + interval '15 seconds' and now() + interval '30 seconds'
           from public.notifications where id = :'retry_id'), 'first retry after 15–30 s (30 s with jitter)');
select is((select last_error from public.notifications where id = :'retry_id'), 'HTTP 429 Too Many Requests',
  'the reason is kept');
update public.notifications set status = 'sending', attempts = 4 where id = :'retry_id';
select is(public.record_notification_result(:'retry_id', :'claim', 'retry', null, 'HTTP 503', 120), 'pending',
  'attempt 4 still retries');
select ok((select send_after between now() + interval '120 seconds' and now() + interval '240 seconds'
           from public.notifications where id = :'retry_id'), 'backoff doubles (240 s with jitter) and honours Retry-After');
update public.notifications set status = 'sending', attempts = 5 where id = :'retry_id';
select is(public.record_notification_result(:'retry_id', :'claim', 'retry', null, 'HTTP 503'), 'failed',
  'after 5 attempts the text fails');
select is((select last_error from public.notifications where id = :'retry_id'), 'gave up after 5 attempts: HTTP 503',
  'and says why');
select ok((select bool_and(private.notification_retry_delay(20) between interval '900 seconds' and interval '1800 seconds')
           from generate_series(1, 50)), 'the backoff is capped at 30 minutes');

select claim_id as claim from claimed where id = :'failed_id' \gset
select is(public.record_notification_result(:'failed_id', :'claim', 'failed', null, '21211: The ''To'' number is not valid'),
  'failed', 'a permanent 4xx fails');
select is((select last_error from public.notifications where id = :'failed_id'), '21211: The ''To'' number is not valid',
  'with the provider''s reason');

select claim_id as claim from claimed where id = :'optout_id' \gset
select is(public.record_notification_result(:'optout_id', :'claim', 'opted_out', null, '21610: unsubscribed recipient'),
  'failed', '21610 fails the text');
select is((select source from public.sms_opt_outs where organization_id = '42000000-0000-4000-8000-00000000000a'
             and phone = '+15551420004'), 'provider', 'and records the opt-out');

-- A crash between send and record: the lease expires, the text becomes `unknown` and is never resent blindly;
-- 2 minutes later it is claimed for reconciliation (look it up at Twilio), then resent only if Twilio has no such text.
update public.notifications set lease_expires_at = now() - interval '1 second' where id in (:'lost_id', :'late_id');
select is((select count(*)::int from public.claim_notifications(10)), 0, 'an expired lease is not claimed again at once');
select results_eq($$ select status, left(last_error, 16), attempts from public.notifications where id = $$ || quote_literal(:'lost_id'),
  $$ values ('unknown', 'outcome_unknown:', 1) $$, 'it is unknown (outcome_unknown)');
select claim_id as claim from claimed where id = :'late_id' \gset
select is(public.record_notification_result(:'late_id', :'claim', 'sent', 'SM00000000000000000000000000000002'), 'sent',
  'a late answer with a SID still records sent');
select last_attempt_at as lost_attempt from public.notifications where id = :'lost_id' \gset
update public.notifications set unknown_since = now() - interval '3 minutes' where id = :'lost_id';
delete from claimed;
insert into claimed select * from public.claim_notifications(10);
select results_eq($$ select id, reconcile, attempts, last_attempt_at from claimed $$,
  format($$ values (%L::uuid, true, 1, %L::timestamptz) $$, :'lost_id', :'lost_attempt'),
  'after 2 minutes it is claimed for reconciliation: no new attempt, the lost attempt''s time');
select claim_id as claim from claimed where id = :'lost_id' \gset
select is(public.record_notification_result(:'lost_id', :'claim', 'unknown', null, 'outcome_unknown: list failed'), 'unknown',
  'Twilio''s list unreachable: still unknown');
update public.notifications set status = 'sending', reconciliations = 3 where id = :'lost_id';
select is(public.record_notification_result(:'lost_id', :'claim', 'unknown', null, 'outcome_unknown: list failed'), 'failed',
  'after 3 reconciliations it fails');
update public.notifications set status = 'sending', reconciliations = 1 where id = :'lost_id';
select is(public.record_notification_result(:'lost_id', :'claim', 'retry', null, 'not at Twilio: resend'), 'pending',
  'not found at Twilio: pending again (sent once more)');
select is((select reconciliations from public.notifications where id = :'lost_id'), 0,
  '… and its doubt is over: a later lost answer gets its own 3 lookups (helper-109)');

-- =====================================================================================================================
-- Section - Skip rules at claim time, and a retry that would land after the start
-- =====================================================================================================================
insert into public.appointments (id, organization_id, start_time, end_time, customer_name, customer_phone) values
  ('42a00000-0000-4000-8000-000000000011', '42000000-0000-4000-8000-00000000000a', now() + interval '1 hour', now() + interval '2 hours', 'Cy', '+15551420011'),
  ('42a00000-0000-4000-8000-000000000012', '42000000-0000-4000-8000-00000000000a', now() + interval '2 days', now() + interval '2 days 1 hour', 'Di', '+15551420012'),
  ('42a00000-0000-4000-8000-000000000013', '42000000-0000-4000-8000-00000000000a', now() + interval '10 seconds', now() + interval '1 hour', 'Ed', '+15551420013');
insert into public.sms_opt_outs (organization_id, phone) values ('42000000-0000-4000-8000-00000000000a', '+15551420012');
update public.notifications set status = 'sent' -- confirmed, so the move below is a reschedule notice (pgTAP 95)
  where appointment_id = '42a00000-0000-4000-8000-000000000011' and kind = 'confirmation';
update public.appointments set start_time = now() - interval '2 minutes', end_time = now() - interval '1 minute'
  where id = '42a00000-0000-4000-8000-000000000011';
update public.notifications set status = 'pending' where appointment_id = '42a00000-0000-4000-8000-000000000011' and kind = 'reschedule';
insert into claimed select * from public.claim_notifications(10);
select results_eq($$ select status, last_error from public.notifications where appointment_id = '42a00000-0000-4000-8000-000000000011' and kind = 'reschedule' $$,
  $$ values ('skipped', 'appointment_started') $$, 'a text about an appointment that started is skipped');
select results_eq($$ select status, last_error from public.notifications where id = pg_temp.text_of('42a00000-0000-4000-8000-000000000012') $$,
  $$ values ('skipped', 'opted_out') $$, 'a text to a number that opted out after queueing is skipped');
select claim_id as claim from claimed where id = pg_temp.text_of('42a00000-0000-4000-8000-000000000013') \gset
select is(public.record_notification_result(pg_temp.text_of('42a00000-0000-4000-8000-000000000013'), :'claim', 'retry', null, 'HTTP 500'),
  'failed', 'no retry after the appointment starts');

-- =====================================================================================================================
-- Section - Inbound STOP / START
-- =====================================================================================================================
select is(public.record_inbound_sms('+1 555 014 2002', '+15551420200', ' stop '), 'opted_out', 'STOP to B''s line opts out of B');
select ok(exists (select 1 from public.sms_opt_outs where organization_id = '42000000-0000-4000-8000-00000000000b'
                  and phone = '+15551420200' and source = 'keyword'), 'the opt-out is recorded for B');
select is(public.record_inbound_sms('+15550142002', '+15551420200', 'Start'), 'opted_in', 'START opts back in');
select is(public.record_inbound_sms('+15550149999', '+15551420200', 'STOP'), 'unknown_line', 'an unknown line changes nothing');
select is(public.record_inbound_sms('+15550142002', '+15551420201', '¡Baja!'), 'opted_out', 'Spanish BAJA opts out');
select is(public.record_inbound_sms('+15550142002', '+15551420201', 'alta'), 'opted_in', 'Spanish ALTA opts back in');
-- A sender shared by two organizations: Twilio blocks the number for both, so both record the opt-out.
insert into public.organizations (id, name, timezone) values
  ('42000000-0000-4000-8000-00000000000c', 'Dispatch C', 'America/New_York');
insert into public.customer_configurations (organization_id, vapi_assistant_id, vapi_phone_number, sms_preferences) values
  ('42000000-0000-4000-8000-00000000000c', 'asst_dispatch_c', '+15550142003', '{"enabled": true, "from_number": "+15550142999"}');
select is(public.record_inbound_sms('+15550142999', '+15551420202', 'STOP'), 'opted_out', 'STOP to a shared sender');
select is((select array_agg(organization_id::text order by organization_id) from public.sms_opt_outs where phone = '+15551420202'),
  array['42000000-0000-4000-8000-00000000000b', '42000000-0000-4000-8000-00000000000c'],
  'every organization texting from that sender records the opt-out, and no other');

-- An organization's own Twilio account texting from a number no configuration lists (helper-93 #1): sms-inbound names
-- it as a sender; its STOP and START count, for it alone, and only when its own account signed.
select is(public.record_inbound_sms('+15550142777', '+15551420203', 'STOP', array['42000000-0000-4000-8000-00000000000c'::uuid],
  null, array['42000000-0000-4000-8000-00000000000c'::uuid]), 'opted_out', 'STOP to the own account''s sender number');
select is((select array_agg(organization_id::text) from public.sms_opt_outs where phone = '+15551420203'),
  array['42000000-0000-4000-8000-00000000000c'], 'recorded for that organization only');
select is(public.record_inbound_sms('+15550142777', '+15551420203', 'START', array['42000000-0000-4000-8000-00000000000b'::uuid],
  null, array['42000000-0000-4000-8000-00000000000c'::uuid]), 'unknown_line', 'a sender outside the signing account''s organizations counts not');
select is(public.record_inbound_sms('+15550142777', '+15551420203', 'START', array['42000000-0000-4000-8000-00000000000c'::uuid],
  null, array['42000000-0000-4000-8000-00000000000c'::uuid]), 'opted_in', 'START to it opts back in');

-- =====================================================================================================================
-- Section - A number Twilio cannot text (21211 not valid, 21614 not a mobile): later texts are not tried (helper-93 #4)
-- =====================================================================================================================
insert into public.appointments (id, organization_id, start_time, end_time, customer_name, customer_phone) values
  ('42a00000-0000-4000-8000-000000000021', '42000000-0000-4000-8000-00000000000a', now() + interval '4 days',
   now() + interval '4 days 1 hour', 'Flo', '+15551420021');
delete from claimed;
insert into claimed select * from public.claim_notifications(10, 60, array['42000000-0000-4000-8000-00000000000a'::uuid]);
select claim_id as claim, id as landline_id from claimed
  where id = pg_temp.text_of('42a00000-0000-4000-8000-000000000021') \gset
select is(public.record_notification_result(:'landline_id', :'claim', 'undeliverable', null,
  'HTTP 400 21614: not a mobile number'), 'failed', 'an undeliverable number fails the text');
select is((select source from public.sms_opt_outs where organization_id = '42000000-0000-4000-8000-00000000000a'
             and phone = '+15551420021'), 'undeliverable', 'and the number is not texted again by this organization');
update public.appointments set start_time = start_time + interval '1 day', end_time = end_time + interval '1 day'
  where id = '42a00000-0000-4000-8000-000000000021';
select results_eq($$ select status, last_error from public.notifications
                     where appointment_id = '42a00000-0000-4000-8000-000000000021' order by status $$,
  $$ values ('failed', 'HTTP 400 21614: not a mobile number'), ('skipped', 'undeliverable') $$,
  'a text due now to it is skipped at once, saying why');
insert into public.notifications (organization_id, appointment_id, kind, to_phone, body, send_after, describes_start)
select organization_id, id, 'reminder', customer_phone, 'Reminder', now() - interval '1 second', start_time
from public.appointments where id = '42a00000-0000-4000-8000-000000000021';
select is((select count(*)::int from public.claim_notifications(10, 60, array['42000000-0000-4000-8000-00000000000a'::uuid])),
  0, 'a text queued before is not claimed when it comes due');
select is((select last_error from public.notifications
           where appointment_id = '42a00000-0000-4000-8000-000000000021' and kind = 'reminder'), 'undeliverable',
  'it is skipped as undeliverable');

-- Twilio's 21610 for it (the customer texted STOP) makes the row the provider's: deleting undeliverable rows keeps it.
update public.notifications set status = 'sending', claim_id = :'claim'
  where appointment_id = '42a00000-0000-4000-8000-000000000021' and kind = 'reminder';
select is(public.record_notification_result(
  (select id from public.notifications where appointment_id = '42a00000-0000-4000-8000-000000000021' and kind = 'reminder'),
  :'claim', 'opted_out', null, 'HTTP 400 21610'), 'failed', 'a later 21610 for the number');
select results_eq($$ select source from public.sms_opt_outs
                     where organization_id = '42000000-0000-4000-8000-00000000000a' and phone = '+15551420021' $$,
  $$ values ('provider') $$, 'recorded as the provider''s opt-out');
update public.sms_opt_outs set source = 'undeliverable'
  where organization_id = '42000000-0000-4000-8000-00000000000a' and phone = '+15551420021';
-- A STOP from that number is the customer's own word: the row becomes a keyword opt-out (deleting undeliverable rows
-- later keeps it).
select is(public.record_inbound_sms('+15550142001', '+15551420021', 'STOP'), 'opted_out', 'STOP from the undeliverable number');
select results_eq($$ select source from public.sms_opt_outs
                     where organization_id = '42000000-0000-4000-8000-00000000000a' and phone = '+15551420021' $$,
  $$ values ('keyword') $$, 'recorded as the customer''s keyword opt-out');

select * from finish();
rollback;
