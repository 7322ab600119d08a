-- Tenant resolution (the README and docs/rpc-contract.md): assistant id, then the tenant's own line, then call id;
-- inactive configurations never match; the caller's number is never an input; no default tenant.
begin;
select plan(39);

-- Fixture tenants, open 24/7 (no business_hours rows). C already has a logged call.
insert into public.organizations (id, name, timezone) values
  ('03000000-0000-4000-8000-00000000000a', 'Resolve A', 'America/New_York'),
  ('03000000-0000-4000-8000-00000000000b', 'Resolve B', 'America/New_York'),
  ('03000000-0000-4000-8000-00000000000c', 'Resolve C', 'America/New_York'),
  ('03000000-0000-4000-8000-00000000000e', 'Resolve E (inactive)', 'America/New_York');
insert into public.customer_configurations (organization_id, vapi_assistant_id, vapi_phone_number, is_active) values
  ('03000000-0000-4000-8000-00000000000a', 'asst_res_a', '+15557000001', true),
  ('03000000-0000-4000-8000-00000000000b', 'asst_res_b', '+15557000002', true),
  ('03000000-0000-4000-8000-00000000000c', 'asst_res_c', '+15557000003', true),
  ('03000000-0000-4000-8000-00000000000e', 'asst_res_inactive', '+15557000005', false);
insert into public.call_logs (organization_id, vapi_call_id, resolved_by)
values ('03000000-0000-4000-8000-00000000000c', 'call_res_c', 'assistant_id');

-- =====================================================================================================================
-- Section - private.resolve_organization: each method alone
-- =====================================================================================================================
select results_eq($$ select * from private.resolve_organization('asst_res_a', null, null) $$,
  $$ values ('03000000-0000-4000-8000-00000000000a'::uuid, 'assistant_id'::text) $$,
  'assistant id alone resolves its organization (resolved_by assistant_id)');
select results_eq($$ select * from private.resolve_organization(null, '+15557000002', null) $$,
  $$ values ('03000000-0000-4000-8000-00000000000b'::uuid, 'phone_number'::text) $$,
  'the tenant''s line in E.164 alone resolves its organization (resolved_by phone_number)');
select results_eq($$ select * from private.resolve_organization(null, '+1 (555) 700-0002', null) $$,
  $$ values ('03000000-0000-4000-8000-00000000000b'::uuid, 'phone_number'::text) $$,
  'the line written with spaces, brackets and dashes is normalised to E.164 and resolves');
select results_eq($$ select * from private.resolve_organization(null, '001 555 700 0002', null) $$,
  $$ values ('03000000-0000-4000-8000-00000000000b'::uuid, 'phone_number'::text) $$,
  'an international 00 prefix is read as + and resolves');
select results_eq($$ select * from private.resolve_organization(null, '+1.555.700.0002', null) $$,
  $$ values ('03000000-0000-4000-8000-00000000000b'::uuid, 'phone_number'::text) $$,
  'the line written with dots resolves');
select results_eq($$ select * from private.resolve_organization(null, '5557000002', null) $$,
  $$ values (null::uuid, null::text) $$,
  'a line without country code is never guessed into a tenant');
select results_eq($$ select * from private.resolve_organization(null, null, 'call_res_c') $$,
  $$ values ('03000000-0000-4000-8000-00000000000c'::uuid, 'call_id'::text) $$,
  'a call id with a call_logs row alone resolves that call''s organization (resolved_by call_id)');
select results_eq($$ select * from private.resolve_organization(null, null, 'call_never_seen') $$,
  $$ values (null::uuid, null::text) $$, 'a call id without a call_logs row resolves nothing');
select results_eq($$ select * from private.resolve_organization('   ', '+15557000002', null) $$,
  $$ values ('03000000-0000-4000-8000-00000000000b'::uuid, 'phone_number'::text) $$,
  'a blank assistant id counts as absent and the line decides');
select results_eq($$ select * from private.resolve_organization(null, null, null) $$,
  $$ values (null::uuid, null::text) $$, 'no key at all resolves nothing (there is no default tenant)');

-- =====================================================================================================================
-- Section - Precedence: assistant beats line beats call id (three different organizations)
-- =====================================================================================================================
select results_eq($$ select * from private.resolve_organization('asst_res_a', '+15557000002', 'call_res_c') $$,
  $$ values ('03000000-0000-4000-8000-00000000000a'::uuid, 'assistant_id'::text) $$,
  'assistant A + line B + call of C → A: the assistant id wins');
select results_eq($$ select * from private.resolve_organization('asst_unknown', '+15557000002', 'call_res_c') $$,
  $$ values ('03000000-0000-4000-8000-00000000000b'::uuid, 'phone_number'::text) $$,
  'unknown assistant + line B + call of C → B: the line beats the call id');
select results_eq($$ select * from private.resolve_organization('asst_unknown', '+15559999999', 'call_res_c') $$,
  $$ values ('03000000-0000-4000-8000-00000000000c'::uuid, 'call_id'::text) $$,
  'unknown assistant + unknown line + call of C → C: the call id is the last resort');

-- =====================================================================================================================
-- Section - Inactive configurations never match
-- =====================================================================================================================
select results_eq($$ select * from private.resolve_organization('asst_res_inactive', null, null) $$,
  $$ values (null::uuid, null::text) $$, 'an inactive configuration''s assistant id resolves nothing');
select results_eq($$ select * from private.resolve_organization(null, '+15557000005', null) $$,
  $$ values (null::uuid, null::text) $$, 'an inactive configuration''s line resolves nothing');
select results_eq($$ select * from private.resolve_organization('asst_res_inactive', '+15557000002', null) $$,
  $$ values ('03000000-0000-4000-8000-00000000000b'::uuid, 'phone_number'::text) $$,
  'an inactive assistant falls through to the next method (line B)');
update public.customer_configurations set is_active = false where vapi_assistant_id = 'asst_res_a';
select results_eq($$ select * from private.resolve_organization('asst_res_a', '+15557000001', null) $$,
  $$ values (null::uuid, null::text) $$, 'deactivating A''s configuration stops both its assistant id and its line');
update public.customer_configurations set is_active = true where vapi_assistant_id = 'asst_res_a';
update public.customer_configurations set is_active = false where vapi_assistant_id = 'asst_res_c';
select results_eq($$ select * from private.resolve_organization(null, null, 'call_res_c') $$,
  $$ values (null::uuid, null::text) $$, 'a call of a tenant whose configuration was deactivated resolves nothing by its id');
update public.customer_configurations set is_active = true where vapi_assistant_id = 'asst_res_c';

-- =====================================================================================================================
-- Section - The RPC as service_role
-- =====================================================================================================================
-- Future instants with an explicit Z (fixtures are open 24/7, so any hour is bookable).
select to_char(date_trunc('hour', now()) + interval '30 days', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as t0,
       to_char(date_trunc('hour', now()) + interval '30 days 1 hour', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as t1,
       to_char(date_trunc('hour', now()) + interval '30 days 2 hours', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as t2,
       to_char(date_trunc('hour', now()) + interval '30 days 3 hours', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as t3 \gset

create temp table rpc (k text primary key, r jsonb);
grant select, insert on rpc to service_role;
select b.before_b from (select count(*) as before_b from public.appointments
  where organization_id = '03000000-0000-4000-8000-00000000000b') as b \gset

select tests.authenticate_as_service_role();
insert into rpc values
  ('assistant', public.resolve_org_and_book('asst_res_a', null, 'call_rpc_1', 'tc_1',
     jsonb_build_object('start_time', :'t0', 'customer_name', 'Ann'))),
  ('line', public.resolve_org_and_book(null, '+1 (555) 700-0002', 'call_rpc_2', 'tc_1',
     jsonb_build_object('start_time', :'t0', 'customer_name', 'Ben'))),
  ('line00', public.resolve_org_and_book(null, '001 555 700 0002', 'call_rpc_3', 'tc_1',
     jsonb_build_object('start_time', :'t1', 'customer_name', 'Bea'))),
  ('callid', public.resolve_org_and_book(null, null, 'call_res_c', 'tc_1',
     jsonb_build_object('start_time', :'t0', 'customer_name', 'Cy'))),
  ('followup', public.resolve_org_and_book(null, null, 'call_rpc_1', 'tc_2',
     jsonb_build_object('start_time', :'t1', 'customer_name', 'Ann'))),
  ('precedence', public.resolve_org_and_book('asst_res_a', '+15557000002', 'call_res_c', 'tc_2',
     jsonb_build_object('start_time', :'t2', 'customer_name', 'Al'))),
  ('inactive', public.resolve_org_and_book('asst_res_inactive', '+15557000005', 'call_rpc_inactive', 'tc_1',
     jsonb_build_object('start_time', :'t3', 'customer_name', 'Ed'))),
  ('unknown', public.resolve_org_and_book('asst_nobody', null, 'call_nobody', 'tc_1',
     jsonb_build_object('start_time', :'t3', 'customer_name', 'Nobody'))),
  -- The caller's own number (customer.number) is tenant B's line, but it only ever reaches SQL as a booking
  -- argument: there is no RPC input for it, so it must not select a tenant.
  ('caller', public.resolve_org_and_book('asst_nobody', null, 'call_caller', 'tc_1',
     jsonb_build_object('start_time', :'t3', 'customer_name', 'Caller', 'customer_phone', '+15557000002')));
reset role;

select results_eq($$ select r->>'reason', r->>'organization_id', r->>'resolved_by' from rpc where k = 'assistant' $$,
  $$ values ('booked', '03000000-0000-4000-8000-00000000000a', 'assistant_id') $$,
  'RPC: assistant id alone books for A, resolved_by assistant_id');
select results_eq($$ select r->>'reason', r->>'organization_id', r->>'resolved_by' from rpc where k = 'line' $$,
  $$ values ('booked', '03000000-0000-4000-8000-00000000000b', 'phone_number') $$,
  'RPC: the formatted line +1 (555) 700-0002 alone books for B, resolved_by phone_number');
select results_eq($$ select r->>'reason', r->>'organization_id', r->>'resolved_by' from rpc where k = 'line00' $$,
  $$ values ('booked', '03000000-0000-4000-8000-00000000000b', 'phone_number') $$,
  'RPC: the line with a 00 prefix books for B');
select results_eq($$ select r->>'reason', r->>'organization_id', r->>'resolved_by' from rpc where k = 'callid' $$,
  $$ values ('booked', '03000000-0000-4000-8000-00000000000c', 'call_id') $$,
  'RPC: a logged call id alone books for C, resolved_by call_id');
select results_eq($$ select r->>'reason', r->>'organization_id', r->>'resolved_by' from rpc where k = 'followup' $$,
  $$ values ('booked', '03000000-0000-4000-8000-00000000000a', 'call_id') $$,
  'RPC: a follow-up tool call carrying only the call id of an earlier booking resolves by that call''s log');
select results_eq($$ select r->>'reason', r->>'organization_id', r->>'resolved_by' from rpc where k = 'precedence' $$,
  $$ values ('booked', '03000000-0000-4000-8000-00000000000a', 'assistant_id') $$,
  'RPC: assistant A + line B + call of C books for A');
select results_eq($$ select organization_id, resolved_by from public.call_logs where vapi_call_id in ('call_rpc_1', 'call_res_c') order by vapi_call_id $$,
  $$ values ('03000000-0000-4000-8000-00000000000c'::uuid, 'assistant_id'::text),
            ('03000000-0000-4000-8000-00000000000a'::uuid, 'assistant_id'::text) $$,
  'RPC: the first booking logged its call under A; a call already logged under C is never re-homed');
select results_eq($$ select organization_id from public.appointments where vapi_call_id = 'call_res_c' order by start_time $$,
  $$ values ('03000000-0000-4000-8000-00000000000c'::uuid), ('03000000-0000-4000-8000-00000000000a'::uuid) $$,
  'RPC: each appointment is written under the organization that was resolved for it');

select is((select r from rpc where k = 'unknown'),
  '{"ok": false, "result": null, "error": "Organization not found for this assistant", "reason": "organization_not_found",
    "organization_id": null, "resolved_by": null, "language": "en", "replayed": false}'::jsonb,
  'RPC: an unknown tenant gets exactly the contract''s organization_not_found response');
select is((select r from rpc where k = 'inactive') ->> 'reason', 'organization_not_found',
  'RPC: an inactive configuration (assistant and line) resolves nothing');
select is((select r from rpc where k = 'caller') ->> 'error', 'Organization not found for this assistant',
  'RPC: a customer_phone equal to tenant B''s line, with no assistant or line, resolves nothing');
select is((select r from rpc where k = 'caller') -> 'organization_id', 'null'::jsonb,
  'RPC: the caller''s number did not pick a tenant (organization_id null)');

select is_empty($$ select 1 from public.appointments where vapi_call_id in ('call_nobody', 'call_caller', 'call_rpc_inactive') $$,
  'RPC: no appointment is written for an unresolved tenant');
select is_empty($$ select 1 from public.call_logs where vapi_call_id in ('call_nobody', 'call_caller', 'call_rpc_inactive') $$,
  'RPC: no call_logs row is written for an unresolved tenant');
select is_empty($$ select 1 from public.tool_call_executions where vapi_call_id in ('call_nobody', 'call_caller', 'call_rpc_inactive') $$,
  'RPC: no tool_call_executions row is written for an unresolved tenant');
select is((select count(*) from public.appointments where organization_id = '03000000-0000-4000-8000-00000000000b'),
  :'before_b'::bigint + 2, 'RPC: tenant B gained only its own two line bookings, nothing from the caller-number call');
select is_empty($$ select 1 from public.appointments where customer_name = 'Caller' $$,
  'RPC: the caller-number booking did not land in any organization');
select is_empty($$ select 1 from public.appointments where organization_id = '03000000-0000-4000-8000-00000000000e' $$,
  'RPC: the organization with only an inactive configuration received nothing');

-- =====================================================================================================================
-- Section - Only service_role may call the RPC
-- =====================================================================================================================
select tests.clear_authentication();
select throws_ok($$ select public.resolve_org_and_book('asst_res_a', null, 'call_anon', 'tc_1', '{}') $$,
  '42501', 'permission denied for function resolve_org_and_book', 'anon cannot execute resolve_org_and_book');
reset role;
select tests.create_supabase_user('resolve_user') as resolve_user_id \gset
select tests.authenticate_as('resolve_user');
select throws_ok($$ select public.resolve_org_and_book('asst_res_a', null, 'call_auth', 'tc_1', '{}') $$,
  '42501', 'permission denied for function resolve_org_and_book', 'authenticated cannot execute resolve_org_and_book');
reset role;
select tests.authenticate_as_service_role();
select lives_ok($$ select public.resolve_org_and_book('asst_nobody', null, null, null, '{}') $$,
  'service_role can execute resolve_org_and_book');
reset role;

select * from finish();
rollback;
