-- assistant-request through public.route_assistant_request (*_assistant_routing_rpc.sql): a call on a tenant's line
-- gets the assistant of that line's ACTIVE configuration and is logged so later events resolve by call id; unknown
-- lines, inactive configurations and lines without an assistant are not routed and write nothing.
begin;
select plan(20);

-- Seeded HVAC Company owns +15550100001 with asst_hvac_company_assistant. Fixtures: an old, inactive configuration of
-- another tenant on the same line; a line that is only configured inactive; a line without an assistant id.
insert into public.organizations (id, name, timezone) values
  ('11000000-0000-4000-8000-00000000000a', 'Routing Old Owner', 'America/New_York'),
  ('11000000-0000-4000-8000-00000000000b', 'Routing Inactive', 'America/New_York'),
  ('11000000-0000-4000-8000-00000000000c', 'Routing No Assistant', 'America/Chicago');
insert into public.customer_configurations (organization_id, vapi_assistant_id, vapi_phone_number, is_active) values
  ('11000000-0000-4000-8000-00000000000a', 'asst_route_old_owner', '+15550100001', false),
  ('11000000-0000-4000-8000-00000000000b', 'asst_route_inactive', '+15557200002', false),
  ('11000000-0000-4000-8000-00000000000c', null, '+15557200003', true);

create temp table rpc (k text primary key, r jsonb);
grant select, insert on rpc to service_role;

-- d: the Tuesday at least 8 weeks ahead (New York date), for the event time of a routed call.
select to_char(s + (9 - extract(isodow from s)::int) % 7, 'YYYY-MM-DD') as d
from (select (now() at time zone 'America/New_York')::date + 56 as s) as s \gset

-- =====================================================================================================================
-- Section - service_role routes
-- =====================================================================================================================
select tests.authenticate_as_service_role();
insert into rpc values ('known', public.route_assistant_request('+15550100001', 'call_rt1'));
insert into rpc values ('formatted', public.route_assistant_request('+1 (555) 010-0001', 'call_rt2'));
insert into rpc values ('known_again', public.route_assistant_request('+15550100001', 'call_rt1'));
insert into rpc values ('inactive', public.route_assistant_request('+15557200002', 'call_rt3'));
insert into rpc values ('no_assistant', public.route_assistant_request('+15557200003', 'call_rt4'));
insert into rpc values ('unknown', public.route_assistant_request('+15557209999', 'call_rt5'));
insert into rpc values ('garbage', public.route_assistant_request('not a number', 'call_rt6'));
-- Plumbing's line, asked about a call id HVAC's line recorded.
insert into rpc values ('crossed', public.route_assistant_request('+15550100002', 'call_rt1'));
-- A later event of the routed call carries only its id.
insert into rpc values ('later', public.record_call_event(null, null, 'call_rt1',
  jsonb_build_object('type', 'status-update', 'status', 'in-progress', 'timestamp', :'d' || 'T15:00:00Z')));
insert into rpc values ('answered_route', public.route_assistant_request('+15550100001', 'call_rt7'));
insert into rpc values ('answered', public.record_call_event(null, null, 'call_rt7',
  jsonb_build_object('type', 'status-update', 'status', 'in-progress')));
reset role;

select results_eq($$ select (r->>'ok')::boolean, r->>'reason', r->>'assistant_id', r->>'organization_id', r->>'resolved_by' from rpc where k = 'known' $$,
  $$ values (true, 'routed', 'asst_hvac_company_assistant', 'd91e4aa4-914a-4d76-b5b7-2ee26e09b2a2', 'phone_number') $$,
  'known line: ok, the ACTIVE configuration''s assistant (HVAC), resolved by phone_number');
select results_eq($$ select organization_id, resolved_by, vapi_assistant_id, status from public.call_logs where vapi_call_id = 'call_rt1' $$,
  $$ values ('d91e4aa4-914a-4d76-b5b7-2ee26e09b2a2'::uuid, 'phone_number'::text, 'asst_hvac_company_assistant'::text, 'in-progress'::text) $$,
  'known line: the call is logged under HVAC (resolved_by phone_number, the routed assistant)');
select results_eq($$ select (r->>'ok')::boolean, r->>'assistant_id', r->>'organization_id' from rpc where k = 'formatted' $$,
  $$ values (true, 'asst_hvac_company_assistant', 'd91e4aa4-914a-4d76-b5b7-2ee26e09b2a2') $$,
  'formatted line "+1 (555) 010-0001": normalised to E.164 and routed to HVAC');
select is((select organization_id from public.call_logs where vapi_call_id = 'call_rt2'), 'd91e4aa4-914a-4d76-b5b7-2ee26e09b2a2'::uuid,
  'formatted line: its call is logged under HVAC');
select is((select status from public.call_logs where vapi_call_id = 'call_rt2'), 'ringing',
  'a routed call not yet answered is logged as ringing, not in-progress');
select is((select status from public.call_logs where vapi_call_id = 'call_rt7'), 'in-progress',
  'a routed call moves on to in-progress on a status-update without a usable time');
select results_eq($$ select (r->>'ok')::boolean, r->>'assistant_id' from rpc where k = 'known_again' $$,
  $$ values (true, 'asst_hvac_company_assistant') $$, 'redelivered request: routed again to the same assistant');
select is((select count(*)::int from public.call_logs where vapi_call_id = 'call_rt1'), 1,
  'redelivered request: still one call_logs row');
select results_eq($$ select r->>'resolved_by', r->>'organization_id' from rpc where k = 'later' $$,
  $$ values ('call_id', 'd91e4aa4-914a-4d76-b5b7-2ee26e09b2a2') $$,
  'routed call: a later event carrying only the call id resolves to HVAC by call_id');
select is_empty($$ select 1 from public.call_logs where organization_id = '11000000-0000-4000-8000-00000000000a' $$,
  'inactive configuration on the same line: ignored, nothing logged for its organization');

select results_eq($$ select (r->>'ok')::boolean, r->>'reason', r->>'assistant_id' from rpc where k = 'crossed' $$,
  $$ values (true, 'call_of_another_organization', 'asst_plumbing_company_assistant') $$,
  'a call id recorded for another organization: the line still routes, and the answer says whose call it was');
select is((select organization_id from public.call_logs where vapi_call_id = 'call_rt1'), 'd91e4aa4-914a-4d76-b5b7-2ee26e09b2a2'::uuid,
  '… and HVAC''s call row is left alone');

-- Not routed: spoken error, nothing written.
select results_eq($$ select (r->>'ok')::boolean, r->>'reason', r->>'error', r->>'assistant_id', r->>'organization_id' from rpc where k = 'unknown' $$,
  $$ values (false, 'organization_not_found', 'Sorry, this number is not set up to take calls yet. Please try again later.', null::text, null::text) $$,
  'unknown line: ok=false with a spoken error, no assistant, no organization');
select results_eq($$ select (r->>'ok')::boolean, r->>'reason', r->>'assistant_id' from rpc where k = 'inactive' $$,
  $$ values (false, 'organization_not_found', null::text) $$, 'line configured only inactive: not routed');
select results_eq($$ select (r->>'ok')::boolean, r->>'reason', r->>'assistant_id', r->>'organization_id', r->>'resolved_by' from rpc where k = 'no_assistant' $$,
  $$ values (false, 'assistant_not_set', null::text, '11000000-0000-4000-8000-00000000000c', 'phone_number') $$,
  'line whose configuration has no assistant id: not routed, and its organization named for the log (not "not found")');
select is((select r->>'reason' from rpc where k = 'garbage'), 'organization_not_found', 'a line that is not a phone number: not routed');
select is_empty($$ select 1 from public.call_logs where vapi_call_id in ('call_rt3', 'call_rt4', 'call_rt5', 'call_rt6') $$,
  'not routed: no call_logs row for any of those calls');

-- =====================================================================================================================
-- Section - Privileges
-- =====================================================================================================================
select tests.create_supabase_user('routing_user') as routing_user_id \gset
select tests.authenticate_as('routing_user');
select throws_ok($$ select public.route_assistant_request('+15550100001', 'call_rt_auth') $$,
  '42501', 'permission denied for function route_assistant_request', 'authenticated: cannot execute route_assistant_request');
reset role;
select tests.clear_authentication();
select throws_ok($$ select public.route_assistant_request('+15550100001', 'call_rt_anon') $$,
  '42501', 'permission denied for function route_assistant_request', 'anon: cannot execute route_assistant_request');
reset role;
select is(has_function_privilege('service_role', 'public.route_assistant_request(text, text, text)', 'execute'), true,
  'service_role: may execute route_assistant_request');

select * from finish();
rollback;
