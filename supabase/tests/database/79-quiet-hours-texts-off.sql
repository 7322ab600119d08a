-- Texts queued before an organization turned them off still go out (README): a late reminder among them waits out the
-- organization's quiet hours as any other (20261204191700; before, texts off left its quiet hours unset and the claim
-- sent it at once). An organization with no configured quiet hours gets the default 21:00–08:00.
begin;
select plan(6);

select to_char((now() - interval '1 hour') at time zone 'UTC', 'HH24:MI') as q_start,
       to_char((now() + interval '2 hours') at time zone 'UTC', 'HH24:MI') as q_end \gset
insert into public.organizations (id, name, timezone) values
  ('79000000-0000-4000-8000-00000000000a', 'Turned Off Co', 'UTC');
insert into public.customer_configurations (organization_id, vapi_assistant_id, vapi_phone_number, sms_preferences) values
  ('79000000-0000-4000-8000-00000000000a', 'asst_turned_off', '+15550179001',
   jsonb_build_object('enabled', true, 'quiet_hours', jsonb_build_object('start', :'q_start', 'end', :'q_end')));
update public.notifications set send_after = now() + interval '1 year' where status = 'pending';
insert into public.appointments (organization_id, start_time, end_time, customer_name, customer_phone) values
  ('79000000-0000-4000-8000-00000000000a', date_trunc('hour', now()) + interval '3 days',
   date_trunc('hour', now()) + interval '3 days 1 hour', 'Ann', '+15551790001');
select is((select count(*)::int from public.notifications where organization_id = '79000000-0000-4000-8000-00000000000a'
             and kind = 'reminder' and status = 'pending'), 1, 'a reminder is queued while texts are on');

-- Texts off; the reminder comes due late (a 429's backoff just ended), inside the quiet hours.
update public.customer_configurations set sms_preferences = sms_preferences || '{"enabled": false}'
where organization_id = '79000000-0000-4000-8000-00000000000a';
update public.notifications set send_after = now() - interval '1 minute'
where organization_id = '79000000-0000-4000-8000-00000000000a';

select tests.authenticate_as_service_role();
create temp table claimed as select * from public.claim_notifications(10, 60, array['79000000-0000-4000-8000-00000000000a']::uuid[]);
reset role;
select is((select count(*)::int from claimed where kind = 'reminder'), 0, 'the late reminder is not sent in quiet hours');
select is((select count(*)::int from claimed where kind = 'confirmation'), 1, '… the confirmation is (texts are not time-bound)');
select is((select send_after from public.notifications where organization_id = '79000000-0000-4000-8000-00000000000a' and kind = 'reminder'),
  private.after_quiet_hours(now(), 'UTC', :'q_start'::time, :'q_end'::time), '… it waits for their end');

-- Settings read while texts are off: the quiet hours are known; the rest stays unread (bookings ask every time).
select is((select row(s.enabled, s.quiet_start, s.quiet_end, s.reminder) from private.sms_settings('79000000-0000-4000-8000-00000000000a') as s)::text,
  row(false, :'q_start'::time, :'q_end'::time, null::boolean)::text, 'texts off: quiet hours as configured');
update public.customer_configurations set sms_preferences = '{}' where organization_id = '79000000-0000-4000-8000-00000000000a';
select is((select row(s.quiet_start, s.quiet_end) from private.sms_settings('79000000-0000-4000-8000-00000000000a') as s)::text,
  row(time '21:00', time '08:00')::text, 'no preferences: the default quiet hours');

select * from finish();
rollback;
