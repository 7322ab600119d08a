-- notifications and sms_opt_outs: members read their organizations' rows only, another tenant's member and a user
-- without organization see none, anon and authenticated write nothing; the dispatcher RPCs are service_role only.
begin;
select plan(22);

insert into public.organizations (id, name, timezone) values
  ('41000000-0000-4000-8000-00000000000a', 'SMS RLS A', 'America/New_York'),
  ('41000000-0000-4000-8000-00000000000b', 'SMS RLS B', 'America/New_York');
insert into public.customer_configurations (organization_id, vapi_assistant_id, sms_preferences) values
  ('41000000-0000-4000-8000-00000000000a', 'asst_smsrls_a', '{"enabled": true}'),
  ('41000000-0000-4000-8000-00000000000b', 'asst_smsrls_b', '{"enabled": true}');
insert into public.appointments (organization_id, start_time, end_time, customer_name, customer_phone) values
  ('41000000-0000-4000-8000-00000000000a', now() + interval '5 days', now() + interval '5 days 1 hour', 'Ann', '+15551410001'),
  ('41000000-0000-4000-8000-00000000000b', now() + interval '5 days', now() + interval '5 days 1 hour', 'Ben', '+15551410002');
insert into public.sms_opt_outs (organization_id, phone) values
  ('41000000-0000-4000-8000-00000000000a', '+15551410009'), ('41000000-0000-4000-8000-00000000000b', '+15551410009');
select count(tests.create_supabase_user(u)) as created_users from unnest(array['sms_alice', 'sms_bob', 'sms_carol']) as u \gset
insert into public.organization_members (organization_id, user_id, role) values
  ('41000000-0000-4000-8000-00000000000a', tests.get_supabase_uid('sms_alice'), 'owner'),
  ('41000000-0000-4000-8000-00000000000b', tests.get_supabase_uid('sms_bob'), 'member');
select is((select count(*)::int from public.notifications where organization_id in
  ('41000000-0000-4000-8000-00000000000a', '41000000-0000-4000-8000-00000000000b')), 4, 'fixtures: 2 texts per tenant');

-- =====================================================================================================================
-- Section - Members read their own organization's rows
-- =====================================================================================================================
select tests.authenticate_as('sms_alice');
select results_eq($$ select distinct organization_id from public.notifications $$,
  $$ values ('41000000-0000-4000-8000-00000000000a'::uuid) $$, 'alice reads only A''s notifications');
select is((select count(*)::int from public.notifications), 2, 'alice reads both of A''s notifications');
select results_eq($$ select distinct organization_id from public.sms_opt_outs $$,
  $$ values ('41000000-0000-4000-8000-00000000000a'::uuid) $$, 'alice reads only A''s opt-outs');
select throws_ok($$ update public.notifications set status = 'cancelled' $$, '42501', null, 'members cannot change texts');
select throws_ok($$ insert into public.sms_opt_outs (organization_id, phone) values ('41000000-0000-4000-8000-00000000000a', '+15551410003') $$,
  '42501', null, 'members cannot write opt-outs');
select throws_ok($$ select * from public.claim_notifications() $$, '42501', null, 'members cannot claim texts');

select tests.authenticate_as('sms_bob');
select results_eq($$ select distinct organization_id from public.notifications $$,
  $$ values ('41000000-0000-4000-8000-00000000000b'::uuid) $$, 'bob (member of B) reads only B''s notifications');
select is_empty($$ select 1 from public.notifications where organization_id = '41000000-0000-4000-8000-00000000000a' $$,
  'bob reads none of A''s notifications');
select is_empty($$ select 1 from public.sms_opt_outs where organization_id = '41000000-0000-4000-8000-00000000000a' $$,
  'bob reads none of A''s opt-outs');

select tests.authenticate_as('sms_carol');
select is_empty($$ select 1 from public.notifications $$, 'a user without organization reads no notifications');
select is_empty($$ select 1 from public.sms_opt_outs $$, 'a user without organization reads no opt-outs');

-- =====================================================================================================================
-- Section - anon: nothing at all
-- =====================================================================================================================
select tests.clear_authentication();
select throws_ok($$ select 1 from public.notifications $$, '42501', null, 'anon cannot read notifications');
select throws_ok($$ select 1 from public.sms_opt_outs $$, '42501', null, 'anon cannot read opt-outs');
select throws_ok($$ select * from public.claim_notifications() $$, '42501', null, 'anon cannot claim texts');
select throws_ok($$ select public.record_notification_result(gen_random_uuid(), gen_random_uuid(), 'sent') $$, '42501', null,
  'anon cannot record results');
select throws_ok($$ select public.record_inbound_sms('+15550000000', '+15551410001', 'STOP') $$, '42501', null,
  'anon cannot record inbound texts');

-- =====================================================================================================================
-- Section - service_role: the dispatcher's RPCs, reads, no direct writes to the outbox
-- =====================================================================================================================
select tests.authenticate_as_service_role();
select ok((select count(*) from public.notifications) >= 4, 'service_role reads the outbox');
select throws_ok($$ update public.notifications set status = 'sent' $$, '42501', null,
  'service_role changes texts only through the RPCs');
select lives_ok($$ select public.record_notification_result(gen_random_uuid(), gen_random_uuid(), 'sent') $$,
  'service_role may record results');
reset role;
select is((select rolname from pg_roles r join pg_proc p on p.proowner = r.oid where p.proname = 'queue_appointment_notifications'),
  'postgres', 'the trigger function runs as the table owner (security definer)');
select ok(not has_function_privilege('authenticated', 'private.queue_appointment_notifications()', 'execute'),
  'nobody but the owner executes the trigger function directly');

select * from finish();
rollback;
