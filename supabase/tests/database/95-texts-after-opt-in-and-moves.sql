-- Texts (20261205122735_texts_after_opt_in_and_same_time_moves.sql; helper-63): a customer who opts back in before the
-- reminder comes due gets it; a move that keeps the time sends no notice; a move before the confirmation went out is
-- confirmed at its new time.
begin;
select plan(14);

insert into public.organizations (id, name, timezone) values ('83000000-0000-4000-8000-00000000000a', 'Texts C', 'UTC');
insert into public.customer_configurations (organization_id, vapi_assistant_id, vapi_phone_number, sms_preferences)
values ('83000000-0000-4000-8000-00000000000a', 'asst_texts_c', '+15550183001',
        '{"enabled": true, "quiet_hours": null, "reminder_hours_before": 24}');
update public.notifications set send_after = now() + interval '1 year' where status = 'pending'; -- only ours are due
create function pg_temp.book(p_id text, p_phone text, p_at timestamptz, p_from text default null) returns void
language sql as $$
  insert into public.appointments (id, organization_id, start_time, end_time, customer_name, customer_phone,
                                   rescheduled_from)
  values (p_id::uuid, '83000000-0000-4000-8000-00000000000a', p_at, p_at + interval '1 hour', 'Cy', p_phone,
          p_from::uuid) $$;
create function pg_temp.texts(p_id text) returns table (kind text, status text) language sql as $$
  select kind, status from public.notifications where appointment_id = p_id::uuid order by kind $$;
create function pg_temp.move(p_from text, p_to text, p_at timestamptz) returns void language sql as $$
  update public.appointments set status = 'cancelled' where id = p_from::uuid;
  select pg_temp.book(p_to, (select customer_phone from public.appointments where id = p_from::uuid), p_at, p_from) $$;

-- Opted out when booking, back in (START) before the reminder is due: the reminder goes out.
insert into public.sms_opt_outs (organization_id, phone) values ('83000000-0000-4000-8000-00000000000a', '+15551830001');
select pg_temp.book('83a00000-0000-4000-8000-000000000001', '+15551830001', date_trunc('hour', now()) + interval '3 days');
select results_eq($$ select * from pg_temp.texts('83a00000-0000-4000-8000-000000000001') $$,
  $$ values ('confirmation', 'skipped'), ('reminder', 'pending') $$, 'opted out: no confirmation, the reminder waits');
delete from public.sms_opt_outs where phone = '+15551830001';
update public.notifications set send_after = now() - interval '1 minute'
where appointment_id = '83a00000-0000-4000-8000-000000000001' and kind = 'reminder';
select is((select count(*)::int from public.claim_notifications(10, 60, array['83000000-0000-4000-8000-00000000000a'::uuid])
           where kind = 'reminder'), 1, 'opted back in before it was due: the reminder is claimed to be sent');
-- Still opted out when it comes due: skipped then.
insert into public.sms_opt_outs (organization_id, phone) values ('83000000-0000-4000-8000-00000000000a', '+15551830002');
select pg_temp.book('83a00000-0000-4000-8000-000000000002', '+15551830002', date_trunc('hour', now()) + interval '3 days 2 hours');
update public.notifications set send_after = now() - interval '1 minute'
where appointment_id = '83a00000-0000-4000-8000-000000000002' and kind = 'reminder';
select count(*) from public.claim_notifications(10, 60, array['83000000-0000-4000-8000-00000000000a'::uuid]);
select results_eq($$ select * from pg_temp.texts('83a00000-0000-4000-8000-000000000002') $$,
  $$ values ('confirmation', 'skipped'), ('reminder', 'skipped') $$, 'still opted out when due: the reminder is skipped');

-- Moved before its confirmation went out: the new time is confirmed (no "moved from" about a time never told).
select pg_temp.book('83a00000-0000-4000-8000-000000000003', '+15551830003', date_trunc('hour', now()) + interval '4 days');
select pg_temp.move('83a00000-0000-4000-8000-000000000003', '83a00000-0000-4000-8000-000000000004',
                    date_trunc('hour', now()) + interval '4 days 2 hours');
select results_eq($$ select * from pg_temp.texts('83a00000-0000-4000-8000-000000000004') $$,
  $$ values ('confirmation', 'pending'), ('reminder', 'pending') $$, 'moved before the confirmation was sent: confirmed anew');
-- Moved in place (UPDATE start_time) before its confirmation went out: the same.
select pg_temp.book('83a00000-0000-4000-8000-000000000007', '+15551830007', date_trunc('hour', now()) + interval '6 days');
update public.appointments set start_time = start_time + interval '1 hour', end_time = end_time + interval '1 hour'
where id = '83a00000-0000-4000-8000-000000000007';
select results_eq($$ select kind, status from pg_temp.texts('83a00000-0000-4000-8000-000000000007') where status = 'pending' $$,
  $$ values ('confirmation', 'pending'), ('reminder', 'pending') $$, 'moved in place before the confirmation: confirmed anew');
-- Confirmed (sent), then moved: a reschedule notice.
update public.notifications set status = 'sent' where appointment_id = '83a00000-0000-4000-8000-000000000004' and kind = 'confirmation';
select pg_temp.move('83a00000-0000-4000-8000-000000000004', '83a00000-0000-4000-8000-000000000005',
                    date_trunc('hour', now()) + interval '5 days');
select results_eq($$ select * from pg_temp.texts('83a00000-0000-4000-8000-000000000005') $$,
  $$ values ('reminder', 'pending'), ('reschedule', 'pending') $$, 'moved after the confirmation: one reschedule notice');
-- Moved to another staff member at the same time (a new row, same start): no notice, the reminder queued anew.
update public.notifications set status = 'sent', sent_at = now()
where appointment_id = '83a00000-0000-4000-8000-000000000005' and kind = 'reschedule';
select pg_temp.move('83a00000-0000-4000-8000-000000000005', '83a00000-0000-4000-8000-000000000006',
                    date_trunc('hour', now()) + interval '5 days');
select results_eq($$ select * from pg_temp.texts('83a00000-0000-4000-8000-000000000006') $$,
  $$ values ('reminder', 'pending') $$, 'a move that keeps the time: no "moved from 9:00 to 9:00" text');
select is((select count(*)::int from public.notifications
           where appointment_id = '83a00000-0000-4000-8000-000000000005' and status = 'pending'), 0,
  'the old row''s pending texts are cancelled');

-- Confirmed for day 7, moved to day 8 (that notice not sent yet), moved again to day 9: the one notice that goes out
-- says "from" day 7, the last time texted (helper-91 #6, 20261206000219); moved back to day 7, none is sent.
select pg_temp.book('83a00000-0000-4000-8000-000000000010', '+15551830010', date_trunc('hour', now()) + interval '7 days');
update public.notifications set status = 'sent', sent_at = now()
where appointment_id = '83a00000-0000-4000-8000-000000000010' and kind = 'confirmation';
select pg_temp.move('83a00000-0000-4000-8000-000000000010', '83a00000-0000-4000-8000-000000000011',
                    date_trunc('hour', now()) + interval '8 days');
select pg_temp.move('83a00000-0000-4000-8000-000000000011', '83a00000-0000-4000-8000-000000000012',
                    date_trunc('hour', now()) + interval '9 days');
select is((select status from public.notifications
           where appointment_id = '83a00000-0000-4000-8000-000000000011' and kind = 'reschedule'), 'cancelled',
  'the day-8 notice was withdrawn unsent');
select is((select body from public.notifications
           where appointment_id = '83a00000-0000-4000-8000-000000000012' and kind = 'reschedule'),
  'Texts C: your appointment (Cy) has been moved from '
    || private.spoken_time(date_trunc('hour', now()) + interval '7 days', 'UTC', 'en') || ' to '
    || private.spoken_time(date_trunc('hour', now()) + interval '9 days', 'UTC', 'en') || '. Reply STOP to opt out.',
  'the notice that goes out: moved from the day-7 time the customer was texted');
select pg_temp.move('83a00000-0000-4000-8000-000000000012', '83a00000-0000-4000-8000-000000000013',
                    date_trunc('hour', now()) + interval '7 days');
select results_eq($$ select * from pg_temp.texts('83a00000-0000-4000-8000-000000000013') $$,
  $$ values ('reminder', 'pending') $$, 'moved back to the time last texted: no notice, only the reminder');
-- The same in place (an admin's UPDATE of start_time).
update public.appointments set start_time = start_time + interval '2 days', end_time = end_time + interval '2 days'
where id = '83a00000-0000-4000-8000-000000000013';
select alike((select body from public.notifications
              where appointment_id = '83a00000-0000-4000-8000-000000000013' and kind = 'reschedule'),
  '%moved from ' || private.spoken_time(date_trunc('hour', now()) + interval '7 days', 'UTC', 'en') || ' to %',
  'moved in place: from the time last texted');

-- A corrected number: the texts not yet sent go to it; a number removed: they are cancelled.
update public.appointments set customer_phone = '+15551830099' where id = '83a00000-0000-4000-8000-000000000006';
select results_eq($$ select to_phone, status from public.notifications
                     where appointment_id = '83a00000-0000-4000-8000-000000000006' $$,
  $$ values ('+15551830099', 'pending') $$, 'a corrected customer_phone re-addresses the pending reminder');
update public.appointments set customer_phone = null where id = '83a00000-0000-4000-8000-000000000006';
select results_eq($$ select status from public.notifications where appointment_id = '83a00000-0000-4000-8000-000000000006' $$,
  $$ values ('cancelled') $$, 'a removed number cancels it');

select * from finish();
rollback;
