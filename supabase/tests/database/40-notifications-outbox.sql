-- The SMS outbox's write side (*_notifications_outbox.sql, *_notifications_trigger.sql): which appointment events
-- queue which texts, in the same transaction; sms_preferences flags, lead time, quiet hours, opt-outs, E.164 only,
-- the language of the configuration, and stale texts cancelled on cancel / reschedule.
-- Orgs use Asia/Tokyo (no DST) so "24 h before" is a fixed wall-clock time; dates are relative to now().
begin;
select plan(36);

insert into public.organizations (id, name, timezone) values
  ('40000000-0000-4000-8000-00000000000a', 'Texting Co', 'Asia/Tokyo'),
  ('40000000-0000-4000-8000-00000000000b', 'Silent Co', 'Asia/Tokyo'),
  ('40000000-0000-4000-8000-00000000000c', 'Reminders Only', 'Asia/Tokyo'),
  ('40000000-0000-4000-8000-00000000000d', 'Fontanería Sol', 'Asia/Tokyo'),
  ('40000000-0000-4000-8000-00000000000e', 'Short Lead', 'Asia/Tokyo');
insert into public.customer_configurations (organization_id, vapi_assistant_id, vapi_phone_number, primary_language, sms_preferences) values
  ('40000000-0000-4000-8000-00000000000a', 'asst_sms_a', '+15550140001', 'en', '{"enabled": true, "confirmation": true, "reminder": true}'),
  ('40000000-0000-4000-8000-00000000000b', 'asst_sms_b', '+15550140002', 'en', '{}'),
  ('40000000-0000-4000-8000-00000000000c', 'asst_sms_c', '+15550140003', 'en', '{"enabled": true, "confirmation": false, "reminder": true}'),
  ('40000000-0000-4000-8000-00000000000d', 'asst_sms_d', '+15550140004', 'es-MX', '{"enabled": true, "confirmation": true, "reminder": false}'),
  ('40000000-0000-4000-8000-00000000000e', 'asst_sms_e', '+15550140005', 'en',
   '{"enabled": true, "reminder_hours_before": 2, "quiet_hours": {"start": "22:00", "end": "07:00"}}');
insert into public.business_hours (organization_id, weekday, opens_at, closes_at)
select '40000000-0000-4000-8000-00000000000a', d, '00:00', '23:59' from generate_series(0, 6) as d;

-- Day d (days from today, Tokyo) at hh:mm Tokyo time.
create function pg_temp.tokyo(p_days integer, p_clock text) returns timestamptz language sql as $$
  select ((now() at time zone 'Asia/Tokyo')::date + p_days + p_clock::time) at time zone 'Asia/Tokyo' $$;
create function pg_temp.book(p_id text, p_org text, p_start timestamptz, p_phone text default '+15551400100')
  returns void language sql as $$
  insert into public.appointments (id, organization_id, start_time, end_time, customer_name, customer_phone)
  values (p_id::uuid, p_org::uuid, p_start, p_start + interval '1 hour', 'Kim', p_phone) $$;
create function pg_temp.texts(p_id text) returns table (kind text, status text) language sql as $$
  select n.kind, n.status from public.notifications as n where n.appointment_id = p_id::uuid order by n.kind, n.status $$;

-- =====================================================================================================================
-- Section - Booking: confirmation now + reminder 24 h before
-- =====================================================================================================================
select pg_temp.book('40a00000-0000-4000-8000-000000000001', '40000000-0000-4000-8000-00000000000a', pg_temp.tokyo(10, '15:00'));
select results_eq($$ select * from pg_temp.texts('40a00000-0000-4000-8000-000000000001') $$,
  $$ values ('confirmation', 'pending'), ('reminder', 'pending') $$, 'a booking queues a confirmation and a reminder');
select is((select send_after from public.notifications where appointment_id = '40a00000-0000-4000-8000-000000000001' and kind = 'confirmation'),
  now(), 'the confirmation is due at once');
select is((select send_after from public.notifications where appointment_id = '40a00000-0000-4000-8000-000000000001' and kind = 'reminder'),
  pg_temp.tokyo(9, '15:00'), 'the reminder is due 24 h before (default lead time)');
select is((select body from public.notifications where appointment_id = '40a00000-0000-4000-8000-000000000001' and kind = 'confirmation'),
  'Texting Co: your appointment (Kim) on ' || private.spoken_time(pg_temp.tokyo(10, '15:00'), 'Asia/Tokyo', 'en')
    || ' is confirmed. Reply STOP to opt out.', 'the confirmation text comes from the catalog, time in the org''s zone');
select is((select to_phone from public.notifications where appointment_id = '40a00000-0000-4000-8000-000000000001' and kind = 'reminder'),
  '+15551400100', 'texts go to the appointment''s customer phone');
select is((select count(*)::int from public.notifications where appointment_id = '40a00000-0000-4000-8000-000000000001'
             and organization_id = '40000000-0000-4000-8000-00000000000a'), 2, 'texts belong to the appointment''s organization');

-- A booking that is rolled back queues nothing (the outbox row is part of the booking's transaction).
savepoint before_booking;
select pg_temp.book('40a00000-0000-4000-8000-000000000002', '40000000-0000-4000-8000-00000000000a', pg_temp.tokyo(11, '15:00'));
rollback to savepoint before_booking;
select is_empty($$ select 1 from public.notifications where appointment_id = '40a00000-0000-4000-8000-000000000002' $$,
  'a rolled-back booking leaves no text behind');

-- =====================================================================================================================
-- Section - Flags, phone numbers, opt-outs, language
-- =====================================================================================================================
select pg_temp.book('40a00000-0000-4000-8000-000000000003', '40000000-0000-4000-8000-00000000000a', pg_temp.tokyo(10, '17:00'), null);
select is_empty($$ select 1 from public.notifications where appointment_id = '40a00000-0000-4000-8000-000000000003' $$,
  'no phone number, no text');
select pg_temp.book('40b00000-0000-4000-8000-000000000001', '40000000-0000-4000-8000-00000000000b', pg_temp.tokyo(10, '15:00'));
select is_empty($$ select 1 from public.notifications where organization_id = '40000000-0000-4000-8000-00000000000b' $$,
  'sms_preferences without enabled: true → no text');
update public.customer_configurations set sms_preferences = '{"enabled": false, "confirmation": true, "reminder": true}'
where organization_id = '40000000-0000-4000-8000-00000000000b';
select pg_temp.book('40b00000-0000-4000-8000-000000000002', '40000000-0000-4000-8000-00000000000b', pg_temp.tokyo(11, '15:00'));
select is_empty($$ select 1 from public.notifications where organization_id = '40000000-0000-4000-8000-00000000000b' $$,
  'enabled: false → no text');
update public.customer_configurations set is_active = false where organization_id = '40000000-0000-4000-8000-00000000000a';
select pg_temp.book('40a00000-0000-4000-8000-000000000004', '40000000-0000-4000-8000-00000000000a', pg_temp.tokyo(12, '15:00'));
update public.customer_configurations set is_active = true where organization_id = '40000000-0000-4000-8000-00000000000a';
select is_empty($$ select 1 from public.notifications where appointment_id = '40a00000-0000-4000-8000-000000000004' $$,
  'an inactive configuration does not text');
select pg_temp.book('40c00000-0000-4000-8000-000000000001', '40000000-0000-4000-8000-00000000000c', pg_temp.tokyo(10, '15:00'));
select results_eq($$ select * from pg_temp.texts('40c00000-0000-4000-8000-000000000001') $$,
  $$ values ('reminder', 'pending') $$, 'confirmation: false → only the reminder');

insert into public.sms_opt_outs (organization_id, phone) values ('40000000-0000-4000-8000-00000000000a', '+15551400999');
select pg_temp.book('40a00000-0000-4000-8000-000000000005', '40000000-0000-4000-8000-00000000000a', pg_temp.tokyo(13, '15:00'), '+15551400999');
select results_eq($$ select kind, status, last_error from public.notifications
                    where appointment_id = '40a00000-0000-4000-8000-000000000005' order by kind $$,
  $$ values ('confirmation', 'skipped', 'opted_out'), ('reminder', 'pending', null) $$,
  'an opted-out number: the text due now is skipped, never pending; the reminder is checked when it comes due');
select pg_temp.book('40c00000-0000-4000-8000-000000000002', '40000000-0000-4000-8000-00000000000c', pg_temp.tokyo(13, '15:00'), '+15551400999');
select results_eq($$ select * from pg_temp.texts('40c00000-0000-4000-8000-000000000002') $$,
  $$ values ('reminder', 'pending') $$, 'an opt-out is per organization');

select pg_temp.book('40d00000-0000-4000-8000-000000000001', '40000000-0000-4000-8000-00000000000d', pg_temp.tokyo(10, '15:00'));
select is((select body from public.notifications where appointment_id = '40d00000-0000-4000-8000-000000000001'),
  'Fontanería Sol: su cita (Kim) está confirmada para ' || private.spoken_time(pg_temp.tokyo(10, '15:00'), 'Asia/Tokyo', 'es')
    || '. Responda STOP para no recibir más mensajes.', 'es-MX configuration → the Spanish text, Spanish time');
select ok((select body from public.notifications where appointment_id = '40d00000-0000-4000-8000-000000000001') like '%a las 15:00%',
  'the Spanish text says the time the Spanish way');
select results_eq($$ select distinct language from private.message_catalog where key like 'sms.%' order by 1 $$,
  $$ values ('en'), ('es') $$, 'every sms.* key exists in English and Spanish');
select is((select count(*)::int from private.message_catalog where key like 'sms.%'), 8, 'four texts in two languages');

-- =====================================================================================================================
-- Section - Reminder time: lead time, quiet hours, never after the start
-- =====================================================================================================================
select pg_temp.book('40a00000-0000-4000-8000-000000000006', '40000000-0000-4000-8000-00000000000a', pg_temp.tokyo(10, '07:00'));
select is((select send_after from public.notifications where appointment_id = '40a00000-0000-4000-8000-000000000006' and kind = 'reminder'),
  pg_temp.tokyo(9, '08:00'), 'a reminder due at 07:00 (quiet hours 21:00–08:00) waits until 08:00');
select pg_temp.book('40a00000-0000-4000-8000-000000000007', '40000000-0000-4000-8000-00000000000a', pg_temp.tokyo(10, '22:00'));
select is((select send_after from public.notifications where appointment_id = '40a00000-0000-4000-8000-000000000007' and kind = 'reminder'),
  pg_temp.tokyo(10, '08:00'), 'a reminder due at 22:00 moves to the next morning');
select pg_temp.book('40e00000-0000-4000-8000-000000000001', '40000000-0000-4000-8000-00000000000e', pg_temp.tokyo(10, '12:00'));
select is((select send_after from public.notifications where appointment_id = '40e00000-0000-4000-8000-000000000001' and kind = 'reminder'),
  pg_temp.tokyo(10, '10:00'), 'reminder_hours_before: 2 → 2 h before');
select pg_temp.book('40e00000-0000-4000-8000-000000000002', '40000000-0000-4000-8000-00000000000e', pg_temp.tokyo(10, '08:00'));
select is((select send_after from public.notifications where appointment_id = '40e00000-0000-4000-8000-000000000002' and kind = 'reminder'),
  pg_temp.tokyo(10, '07:00'), 'custom quiet hours 22:00–07:00: 06:00 moves to 07:00');
select pg_temp.book('40e00000-0000-4000-8000-000000000003', '40000000-0000-4000-8000-00000000000e', pg_temp.tokyo(10, '06:30'));
select results_eq($$ select * from pg_temp.texts('40e00000-0000-4000-8000-000000000003') $$,
  $$ values ('confirmation', 'pending') $$, 'no reminder when quiet hours would push it past the start');
select pg_temp.book('40a00000-0000-4000-8000-000000000008', '40000000-0000-4000-8000-00000000000a', now() + interval '3 hours');
select results_eq($$ select * from pg_temp.texts('40a00000-0000-4000-8000-000000000008') $$,
  $$ values ('confirmation', 'pending') $$, 'booked inside the lead time: the confirmation only');
select is(private.after_quiet_hours(pg_temp.tokyo(3, '12:00'), 'Asia/Tokyo', '21:00', '08:00'), pg_temp.tokyo(3, '12:00'),
  'outside quiet hours nothing moves');
select is(private.after_quiet_hours(pg_temp.tokyo(3, '02:00'), 'Asia/Tokyo', '00:00', '00:00'), pg_temp.tokyo(3, '02:00'),
  'start = end means no quiet hours');

-- =====================================================================================================================
-- Section - Cancel, reschedule, other changes
-- =====================================================================================================================
update public.appointments set status = 'cancelled', cancelled_at = now() where id = '40a00000-0000-4000-8000-000000000001';
select results_eq($$ select * from pg_temp.texts('40a00000-0000-4000-8000-000000000001') $$,
  $$ values ('cancellation', 'pending'), ('confirmation', 'cancelled'), ('reminder', 'cancelled') $$,
  'a cancellation queues a notice and cancels the pending texts of the old time');
select ok((select body from public.notifications where appointment_id = '40a00000-0000-4000-8000-000000000001' and kind = 'cancellation')
  like 'Texting Co: your appointment (Kim) on % has been cancelled.%', 'the cancellation text');

-- The reschedule tool: cancel + re-book in one transaction → ONE reschedule notice (once the confirmation went out;
-- one that never did is replaced by a confirmation of the new time: pgTAP 95).
update public.notifications set status = 'sent'
where appointment_id in ('40a00000-0000-4000-8000-000000000006', '40a00000-0000-4000-8000-000000000007')
  and kind = 'confirmation';
select to_char(pg_temp.tokyo(11, '16:00') at time zone 'Asia/Tokyo', 'YYYY-MM-DD"T"HH24:MI') as new_start \gset
select tests.authenticate_as_service_role();
select public.resolve_org_and_reschedule('asst_sms_a', null, 'call_sms_r', 'tc_r1',
  jsonb_build_object('appointment_id', '40a00000-0000-4000-8000-000000000007', 'new_start_time', :'new_start')) as r
\gset
select coalesce((:'r'::jsonb ->> 'result')::jsonb ->> 'status', :'r'::jsonb ->> 'error') as reschedule_status \gset
reset role;
select is(:'reschedule_status'::text, 'rescheduled', 'the reschedule tool moved the appointment');
select results_eq($$ select * from pg_temp.texts('40a00000-0000-4000-8000-000000000007') $$,
  $$ values ('confirmation', 'sent'), ('reminder', 'cancelled') $$,
  'the old appointment: no cancellation notice, its pending texts cancelled');
select results_eq($$ select n.kind, n.status from public.notifications as n join public.appointments as a on a.id = n.appointment_id
                    where a.rescheduled_from = '40a00000-0000-4000-8000-000000000007' order by n.kind $$,
  $$ values ('reminder', 'pending'), ('reschedule', 'pending') $$, 'the new appointment: one reschedule notice + its reminder');
select is((select n.body from public.notifications as n join public.appointments as a on a.id = n.appointment_id
           where a.rescheduled_from = '40a00000-0000-4000-8000-000000000007' and n.kind = 'reschedule'),
  'Texting Co: your appointment (Kim) has been moved from ' || private.spoken_time(pg_temp.tokyo(10, '22:00'), 'Asia/Tokyo', 'en')
    || ' to ' || private.spoken_time(pg_temp.tokyo(11, '16:00'), 'Asia/Tokyo', 'en') || '. Reply STOP to opt out.',
  'the reschedule text names the old and the new time');

-- Moving an appointment in place (UPDATE start_time) is a reschedule too.
update public.appointments set start_time = pg_temp.tokyo(14, '15:00'), end_time = pg_temp.tokyo(14, '16:00')
where id = '40a00000-0000-4000-8000-000000000006';
select results_eq($$ select * from pg_temp.texts('40a00000-0000-4000-8000-000000000006') $$,
  $$ values ('confirmation', 'sent'), ('reminder', 'cancelled'), ('reminder', 'pending'), ('reschedule', 'pending') $$,
  'a new start time: reschedule notice, old reminder cancelled, new reminder queued');
select is((select send_after from public.notifications where appointment_id = '40a00000-0000-4000-8000-000000000006'
             and kind = 'reminder' and status = 'pending'), pg_temp.tokyo(13, '15:00'), 'the new reminder is for the new time');

update public.appointments set status = 'completed' where id = '40c00000-0000-4000-8000-000000000001';
select results_eq($$ select * from pg_temp.texts('40c00000-0000-4000-8000-000000000001') $$,
  $$ values ('reminder', 'cancelled') $$, 'completed: pending reminder cancelled, no notice');
update public.appointments set notes = 'gate code 4' where id = '40e00000-0000-4000-8000-000000000001';
update public.appointments set status = 'confirmed' where id = '40e00000-0000-4000-8000-000000000001';
select results_eq($$ select * from pg_temp.texts('40e00000-0000-4000-8000-000000000001') $$,
  $$ values ('confirmation', 'pending'), ('reminder', 'pending') $$, 'scheduled → confirmed or a note: nothing new');

select * from finish();
rollback;
