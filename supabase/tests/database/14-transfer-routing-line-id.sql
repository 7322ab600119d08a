-- transfer_destination (*_transfer_destination.sql), route_assistant_request and the tenant doctor by Vapi's line id
-- (*_line_id_routing_and_doctor.sql).
begin;
select plan(14);

insert into public.organizations (id, name, timezone) values
  ('14000000-0000-4000-8000-00000000000a', 'Transfer A', 'America/New_York'),
  ('14000000-0000-4000-8000-00000000000b', 'Transfer B', 'America/Denver');
insert into public.customer_configurations
  (organization_id, vapi_assistant_id, vapi_phone_number, vapi_phone_number_id, primary_language, transfer_phone_number) values
  ('14000000-0000-4000-8000-00000000000a', 'asst_tr_a', '+15557140001', 'pn_tr_a', 'es', '+15557149999'),
  ('14000000-0000-4000-8000-00000000000b', 'asst_tr_b', '+15557140002', 'pn_tr_b', 'en', null);
insert into private.message_catalog (language, key, template) values
  ('en', 'test.tr_probe', 'probe'), ('es', 'test.tr_probe', 'sonda')
on conflict do nothing;

-- =====================================================================================================================
-- Section - The transfer number on the configuration
-- =====================================================================================================================
select throws_ok($$ update public.customer_configurations set transfer_phone_number = '555-0100' where vapi_assistant_id = 'asst_tr_b' $$,
  '23514', null, 'a transfer number that is not E.164 is refused');
select lives_ok($$ update public.customer_configurations set transfer_phone_number = null where vapi_assistant_id = 'asst_tr_b' $$,
  'no transfer number is allowed');

-- =====================================================================================================================
-- Section - transfer_destination
-- =====================================================================================================================
create temp table rpc (k text primary key, r jsonb);
grant select, insert on rpc to service_role;
select tests.authenticate_as_service_role();
insert into rpc values
  ('by_assistant', public.transfer_destination('asst_tr_a', null, 'call_tr_1', null)),
  ('by_line_id', public.transfer_destination(null, null, 'call_tr_2', 'pn_tr_a')),
  ('by_number', public.transfer_destination(null, '+1 (555) 714-0001', null, null)),
  ('none', public.transfer_destination('asst_tr_b', null, 'call_tr_3', null)),
  ('unknown', public.transfer_destination('asst_nobody', null, 'call_tr_4', 'pn_nobody'));
reset role;
select results_eq($$ select k, (r->>'ok')::boolean, r->>'reason', r->>'destination', r->>'language', r->>'resolved_by', r->>'organization_id'
                     from rpc order by k $$,
  $$ values ('by_assistant', true, 'transfer', '+15557149999', 'es', 'assistant_id', '14000000-0000-4000-8000-00000000000a'),
            ('by_line_id', true, 'transfer', '+15557149999', 'es', 'phone_number', '14000000-0000-4000-8000-00000000000a'),
            ('by_number', true, 'transfer', '+15557149999', 'es', 'phone_number', '14000000-0000-4000-8000-00000000000a'),
            ('none', false, 'no_transfer_destination', null, 'en', 'assistant_id', '14000000-0000-4000-8000-00000000000b'),
            ('unknown', false, 'organization_not_found', null, 'en', null, null) $$,
  'the organization''s configured human by assistant, line id or number; none configured and unknown tenant refused');
select is_empty($$ select 1 from public.call_logs where vapi_call_id like 'call_tr_%' $$, 'transfer_destination writes nothing');

-- =====================================================================================================================
-- Section - route_assistant_request by Vapi's line id
-- =====================================================================================================================
select tests.authenticate_as_service_role();
insert into rpc values
  ('route_id', public.route_assistant_request(null, 'call_tr_5', 'pn_tr_a')),
  ('route_no', public.route_assistant_request('+15557140002', 'call_tr_6', null)),
  ('route_bad', public.route_assistant_request(null, 'call_tr_7', 'pn_nobody'));
reset role;
select results_eq($$ select k, (r->>'ok')::boolean, r->>'assistant_id', r->>'language', r->>'reason' from rpc where k like 'route%' order by k $$,
  $$ values ('route_bad', false, null, null, 'organization_not_found'),
            ('route_id', true, 'asst_tr_a', 'es', 'routed'),
            ('route_no', true, 'asst_tr_b', 'en', 'routed') $$,
  'assistant-request: the line id or number picks the assistant (and its language); an unknown line id is refused');
select results_eq($$ select vapi_call_id, organization_id from public.call_logs where vapi_call_id in ('call_tr_5', 'call_tr_6', 'call_tr_7') order by 1 $$,
  $$ values ('call_tr_5', '14000000-0000-4000-8000-00000000000a'::uuid), ('call_tr_6', '14000000-0000-4000-8000-00000000000b'::uuid) $$,
  'routed calls are remembered under their tenant; the refused one is not');

-- =====================================================================================================================
-- Section - The doctor takes a Vapi phone number id
-- =====================================================================================================================
select results_eq($$ select * from private.diagnose_tenant_key('pn_tr_a') $$,
  $$ values ('resolves'::text, 'ok'::text,
             'As phone_number_id it resolves to Transfer A (14000000-0000-4000-8000-00000000000a, America/New_York).'::text) $$,
  'doctor: a Vapi phone number id resolves as phone_number_id');
select results_eq($$ select check_name, verdict from private.diagnose_tenant_key('PN_TR_A') $$,
  $$ values ('configuration'::text, 'warn'::text), ('resolves'::text, 'fail'::text) $$,
  'doctor: a line id in the wrong letter case is explained, and does not resolve');
update public.customer_configurations set is_active = false where vapi_phone_number_id = 'pn_tr_b';
select results_eq($$ select check_name, verdict from private.diagnose_tenant_key('pn_tr_b') $$,
  $$ values ('configuration'::text, 'warn'::text), ('resolves'::text, 'fail'::text) $$,
  'doctor: the line id of an inactive configuration is explained');

-- =====================================================================================================================
-- Section - Who may call it
-- =====================================================================================================================
select tests.create_supabase_user('nobody_14');
select tests.authenticate_as('nobody_14');
select throws_ok($$ select public.transfer_destination('asst_tr_a', null, null, null) $$, '42501', null,
  'authenticated: may not execute transfer_destination');
select is_empty($$ select 1 from public.customer_configurations $$, 'authenticated non-member: sees no configuration');
reset role;
set local role anon;
select throws_ok($$ select public.transfer_destination('asst_tr_a', null, null, null) $$, '42501', null,
  'anon: may not execute transfer_destination');
select throws_ok($$ select public.route_assistant_request(null, null, 'pn_tr_a') $$, '42501', null,
  'anon: may not execute route_assistant_request');
reset role;
select is(has_function_privilege('service_role', 'public.transfer_destination(text, text, text, text)', 'execute'), true,
  'service_role: may execute transfer_destination');

select * from finish();
rollback;
