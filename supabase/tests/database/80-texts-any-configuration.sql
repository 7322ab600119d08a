-- An organization with several active configurations (the seed guide's Step 2 adds one with texts on next to an
-- existing one) sends texts when one of them turns them on: the settings come from the oldest active configuration
-- that enables texts, else from the oldest active one (20261204194500; before, always the oldest: texts stayed off).
begin;
select plan(5);

insert into public.organizations (id, name, timezone) values ('80000000-0000-4000-8000-00000000000a', 'Two Configs Co', 'UTC');
insert into public.customer_configurations (organization_id, vapi_assistant_id, vapi_phone_number, sms_preferences, created_at)
values ('80000000-0000-4000-8000-00000000000a', 'asst_two_old', '+15550180001', '{}', now() - interval '1 day'),
       ('80000000-0000-4000-8000-00000000000a', 'asst_two_new', '+15550180002',
        '{"enabled": true, "confirmation": true, "reminder": false}', now());

select is((select row(s.enabled, s.reminder, s.from_phone) from private.sms_settings('80000000-0000-4000-8000-00000000000a') as s)::text,
  row(true, false, '+15550180002')::text, 'the configuration that turns texts on gives the settings');

insert into public.appointments (organization_id, start_time, end_time, customer_name, customer_phone) values
  ('80000000-0000-4000-8000-00000000000a', date_trunc('hour', now()) + interval '3 days',
   date_trunc('hour', now()) + interval '3 days 1 hour', 'Ann', '+15551800001');
select is((select array_agg(kind)::text from public.notifications where organization_id = '80000000-0000-4000-8000-00000000000a'),
  '{confirmation}', 'a booking queues its confirmation (no reminder: that configuration turns reminders off)');

-- Two configurations turning texts on: the older of them.
update public.customer_configurations set sms_preferences = '{"enabled": true, "reminder": true, "from_number": "+15550189999"}'
where vapi_assistant_id = 'asst_two_old';
select is((select s.from_phone from private.sms_settings('80000000-0000-4000-8000-00000000000a') as s),
  '+15550189999', 'of two that turn texts on, the oldest');

-- None turns them on: off, from the oldest's line.
update public.customer_configurations set sms_preferences = '{"enabled": false}' where organization_id = '80000000-0000-4000-8000-00000000000a';
select is((select row(s.enabled, s.from_phone) from private.sms_settings('80000000-0000-4000-8000-00000000000a') as s)::text,
  row(false, '+15550180001')::text, 'none on: texts off (the oldest configuration)');

-- An inactive configuration never turns them on.
update public.customer_configurations set sms_preferences = '{"enabled": true}', is_active = false
where vapi_assistant_id = 'asst_two_new';
select is((select s.enabled from private.sms_settings('80000000-0000-4000-8000-00000000000a') as s), false,
  'an inactive configuration turns nothing on');

select * from finish();
rollback;
