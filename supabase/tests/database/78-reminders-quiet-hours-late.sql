-- A reminder that comes due late — retried after a 429, or claimed by a dispatcher with a backlog — is not sent in the
-- organization's quiet hours: the claim leaves it pending until their end (20261204173700). Other texts and
-- organizations without quiet hours are claimed as before.
begin;
select plan(7);

-- Quiet hours around now (local = UTC here), whatever the time of day this runs.
select to_char((now() - interval '1 hour') at time zone 'UTC', 'HH24:MI') as q_start,
       to_char((now() + interval '2 hours') at time zone 'UTC', 'HH24:MI') as q_end \gset
insert into public.organizations (id, name, timezone) values
  ('78000000-0000-4000-8000-00000000000a', 'Quiet Night Co', 'UTC'),
  ('78000000-0000-4000-8000-00000000000b', 'Never Quiet Co', 'UTC');
insert into public.customer_configurations (organization_id, vapi_assistant_id, vapi_phone_number, sms_preferences) values
  ('78000000-0000-4000-8000-00000000000a', 'asst_quiet_night', '+15550178001',
   jsonb_build_object('enabled', true, 'quiet_hours', jsonb_build_object('start', :'q_start', 'end', :'q_end'))),
  ('78000000-0000-4000-8000-00000000000b', 'asst_never_quiet', '+15550178002', '{"enabled": true, "quiet_hours": null}');
-- Other tests' (committed) rows must not be claimed here.
update public.notifications set send_after = now() + interval '1 year' where status = 'pending';
insert into public.appointments (organization_id, start_time, end_time, customer_name, customer_phone) values
  ('78000000-0000-4000-8000-00000000000a', date_trunc('hour', now()) + interval '3 days', date_trunc('hour', now()) + interval '3 days 1 hour', 'Ann', '+15551780001'),
  ('78000000-0000-4000-8000-00000000000b', date_trunc('hour', now()) + interval '3 days', date_trunc('hour', now()) + interval '3 days 1 hour', 'Ben', '+15551780002');
-- Both texts of both organizations are due now: the reminders as if a 429's backoff had just ended.
update public.notifications set send_after = now() - interval '1 minute'
where organization_id in ('78000000-0000-4000-8000-00000000000a', '78000000-0000-4000-8000-00000000000b');
select is((select count(*)::int from public.notifications
           where organization_id in ('78000000-0000-4000-8000-00000000000a', '78000000-0000-4000-8000-00000000000b')),
  4, 'a confirmation and a reminder for each booking');

select tests.authenticate_as_service_role();
create temp table claimed as select * from public.claim_notifications(10, 60,
  array['78000000-0000-4000-8000-00000000000a', '78000000-0000-4000-8000-00000000000b']::uuid[]);
reset role;

select set_eq($$ select organization_id::text || ' ' || kind from claimed $$,
  array['78000000-0000-4000-8000-00000000000a confirmation', '78000000-0000-4000-8000-00000000000b confirmation',
        '78000000-0000-4000-8000-00000000000b reminder'],
  'the claim takes every due text except the reminder inside quiet hours');
select is((select status from public.notifications where organization_id = '78000000-0000-4000-8000-00000000000a' and kind = 'reminder'),
  'pending', 'that reminder stays pending');
select is((select send_after from public.notifications where organization_id = '78000000-0000-4000-8000-00000000000a' and kind = 'reminder'),
  private.after_quiet_hours(now(), 'UTC', :'q_start'::time, :'q_end'::time), '… until the quiet hours end');
select cmp_ok((select send_after from public.notifications where organization_id = '78000000-0000-4000-8000-00000000000a' and kind = 'reminder'),
  '>', now() + interval '1 hour', '… which is later than now');

-- A claim looks only at the reminders it could take (20261204183800): with a batch of one, one of two late reminders
-- in quiet hours is deferred and neither is sent; the next claim defers the other.
insert into public.appointments (organization_id, start_time, end_time, customer_name, customer_phone) values
  ('78000000-0000-4000-8000-00000000000a', date_trunc('hour', now()) + interval '4 days', date_trunc('hour', now()) + interval '4 days 1 hour', 'Cy', '+15551780003'),
  ('78000000-0000-4000-8000-00000000000a', date_trunc('hour', now()) + interval '5 days', date_trunc('hour', now()) + interval '5 days 1 hour', 'Di', '+15551780004');
update public.notifications set status = 'cancelled' where organization_id = '78000000-0000-4000-8000-00000000000a' and kind = 'confirmation';
update public.notifications set send_after = now() - interval '1 minute'
where organization_id = '78000000-0000-4000-8000-00000000000a' and kind = 'reminder'
  and appointment_id in (select id from public.appointments where customer_name in ('Cy', 'Di'));
select tests.authenticate_as_service_role();
insert into claimed select * from public.claim_notifications(1, 60, array['78000000-0000-4000-8000-00000000000a']::uuid[]);
reset role;
select is((select count(*)::int from public.notifications where organization_id = '78000000-0000-4000-8000-00000000000a'
             and kind = 'reminder' and status = 'pending' and send_after <= now()), 1,
  'a claim of one looks at one late reminder: the other is still due, not sent');
select is((select count(*)::int from claimed where organization_id = '78000000-0000-4000-8000-00000000000a' and kind = 'reminder'), 0,
  '… and no reminder of the quiet organization is claimed');

select * from finish();
rollback;
