-- Row level security and grants (the README and docs/rpc-contract.md): a signed-in user sees only rows of organizations
-- they belong to and writes nothing; anon sees nothing; only service_role executes the webhook RPC.
begin;
select plan(49);

-- =====================================================================================================================
-- Section - Fixtures (as postgres): two tenants with one row of everything, four named users
-- =====================================================================================================================
insert into public.organizations (id, name, timezone) values
  ('06000000-0000-4000-8000-00000000000a', 'RLS Org A', 'America/New_York'),
  ('06000000-0000-4000-8000-00000000000b', 'RLS Org B', 'America/Los_Angeles');
insert into public.customer_configurations (organization_id, vapi_assistant_id) values
  ('06000000-0000-4000-8000-00000000000a', 'asst_rls_a'), ('06000000-0000-4000-8000-00000000000b', 'asst_rls_b');
insert into public.call_logs (organization_id, vapi_call_id, resolved_by) values
  ('06000000-0000-4000-8000-00000000000a', 'call_rls_a', 'assistant_id'),
  ('06000000-0000-4000-8000-00000000000b', 'call_rls_b', 'assistant_id');
insert into public.appointments (organization_id, start_time, end_time, customer_name, vapi_call_id) values
  ('06000000-0000-4000-8000-00000000000a', '2027-06-01 14:00Z', '2027-06-01 15:00Z', 'Ann A', 'call_rls_a'),
  ('06000000-0000-4000-8000-00000000000b', '2027-06-01 14:00Z', '2027-06-01 15:00Z', 'Ben B', 'call_rls_b');
insert into public.tool_call_executions (vapi_call_id, tool_call_id, organization_id, tool_name, response) values
  ('call_rls_a', 'tc_1', '06000000-0000-4000-8000-00000000000a', 'book_appointment', '{}'),
  ('call_rls_b', 'tc_1', '06000000-0000-4000-8000-00000000000b', 'book_appointment', '{}');
insert into public.business_hours (organization_id, weekday, opens_at, closes_at) values
  ('06000000-0000-4000-8000-00000000000a', 1, '08:00', '18:00'), ('06000000-0000-4000-8000-00000000000b', 1, '07:00', '19:00');
insert into public.closed_dates (organization_id, closed_on, reason) values
  ('06000000-0000-4000-8000-00000000000a', '2027-12-25', 'Christmas'), ('06000000-0000-4000-8000-00000000000b', '2027-12-25', 'Navidad');

select count(tests.create_supabase_user(u)) as created_users from unnest(array['alice', 'dave', 'bob', 'carol']) as u \gset
insert into public.organization_members (organization_id, user_id, role) values
  ('06000000-0000-4000-8000-00000000000a', tests.get_supabase_uid('alice'), 'owner'),
  ('06000000-0000-4000-8000-00000000000a', tests.get_supabase_uid('dave'), 'member'),
  ('06000000-0000-4000-8000-00000000000b', tests.get_supabase_uid('bob'), 'owner');
-- carol is signed in but belongs to no organization.

create temp table rls_tables (tbl text, col text);
insert into rls_tables values ('organizations', 'id'), ('organization_members', 'organization_id'),
  ('customer_configurations', 'organization_id'), ('call_logs', 'organization_id'), ('appointments', 'organization_id'),
  ('tool_call_executions', 'organization_id'), ('business_hours', 'organization_id'), ('closed_dates', 'organization_id');
grant select on rls_tables to anon, authenticated;

-- =====================================================================================================================
-- Section - alice (member of A)
-- =====================================================================================================================
select tests.authenticate_as('alice');
select results_eq(format('select distinct %I from public.%I', col, tbl), $$ values ('06000000-0000-4000-8000-00000000000a'::uuid) $$,
  format('alice sees only organization A''s rows in %s', tbl))
from rls_tables order by tbl;
select is_empty(format('select 1 from public.%I where %I = %L', tbl, col, '06000000-0000-4000-8000-00000000000b'),
  format('alice sees none of organization B''s rows in %s', tbl))
from rls_tables order by tbl;
select results_eq($$ select user_id from public.organization_members order by role $$,
  $$ values (tests.get_supabase_uid('dave')), (tests.get_supabase_uid('alice')) $$,
  'alice sees both members of A (herself and dave) and not bob');
select results_eq($$ select private.current_user_organization_ids() $$,
  $$ values ('06000000-0000-4000-8000-00000000000a'::uuid) $$, 'the RLS helper returns only alice''s organization');

select throws_ok($$ insert into public.appointments (organization_id, start_time, end_time, customer_name)
                    values ('06000000-0000-4000-8000-00000000000a', '2027-06-02 14:00Z', '2027-06-02 15:00Z', 'Sneaky') $$,
  '42501', 'permission denied for table appointments', 'alice cannot insert an appointment, even in her own organization');
select throws_ok($$ update public.organizations set name = 'Renamed' where id = '06000000-0000-4000-8000-00000000000a' $$,
  '42501', 'permission denied for table organizations', 'alice cannot update her organization');
select throws_ok($$ delete from public.customer_configurations where organization_id = '06000000-0000-4000-8000-00000000000a' $$,
  '42501', 'permission denied for table customer_configurations', 'alice cannot delete configurations');
select throws_ok(format($$ insert into public.organization_members (organization_id, user_id) values ('06000000-0000-4000-8000-00000000000b', %L) $$,
                        tests.get_supabase_uid('alice')),
  '42501', 'permission denied for table organization_members', 'alice cannot add herself to organization B');
select throws_ok($$ update public.call_logs set summary = 'x' $$,
  '42501', 'permission denied for table call_logs', 'alice cannot update call logs');
select throws_ok($$ delete from public.tool_call_executions $$,
  '42501', 'permission denied for table tool_call_executions', 'alice cannot delete tool call executions');
select throws_ok($$ insert into public.business_hours (organization_id, weekday, opens_at, closes_at)
                    values ('06000000-0000-4000-8000-00000000000a', 6, '08:00', '12:00') $$,
  '42501', 'permission denied for table business_hours', 'alice cannot insert business hours');
select throws_ok($$ delete from public.closed_dates $$,
  '42501', 'permission denied for table closed_dates', 'alice cannot delete closed dates');
select throws_ok($$ select public.resolve_org_and_book('asst_rls_a', null, 'call_alice', 'tc_1', '{}') $$,
  '42501', 'permission denied for function resolve_org_and_book', 'alice (authenticated) cannot execute resolve_org_and_book');
reset role;

-- =====================================================================================================================
-- Section - bob (member of B)
-- =====================================================================================================================
select tests.authenticate_as('bob');
select results_eq($$ select customer_name from public.appointments $$, $$ values ('Ben B'::text) $$,
  'bob sees only organization B''s appointment');
select is_empty($$ select 1 from public.organizations where id = '06000000-0000-4000-8000-00000000000a' $$,
  'bob does not see organization A');
reset role;

-- =====================================================================================================================
-- Section - carol (signed in, no membership)
-- =====================================================================================================================
select tests.authenticate_as('carol');
select is_empty(format('select 1 from public.%I', tbl), format('carol (no membership) sees no row of %s', tbl))
from rls_tables order by tbl;
reset role;

-- =====================================================================================================================
-- Section - anon
-- =====================================================================================================================
select tests.clear_authentication();
select throws_ok(format('select 1 from public.%I', tbl), '42501', format('permission denied for table %s', tbl),
  format('anon cannot read %s (no grant)', tbl))
from rls_tables order by tbl;
select throws_ok($$ select public.resolve_org_and_book('asst_rls_a', null, 'call_anon', 'tc_1', '{}') $$,
  '42501', 'permission denied for function resolve_org_and_book', 'anon cannot execute resolve_org_and_book');
reset role;

-- =====================================================================================================================
-- Section - service_role (the webhook)
-- =====================================================================================================================
-- A Monday ~4 weeks ahead at 10:00 New York: inside A's only opening window (Mondays 08:00–18:00).
select to_char(date_trunc('week', (now() at time zone 'America/New_York')::date + 28)::date, 'YYYY-MM-DD') || 'T10:00' as t \gset
select tests.authenticate_as_service_role();
select is((public.resolve_org_and_book('asst_rls_a', null, 'call_rls_service', 'tc_1',
             jsonb_build_object('start_time', :'t', 'customer_name', 'Svc'))) ->> 'reason', 'booked',
  'service_role executes resolve_org_and_book and books for organization A');
select results_eq($$ select organization_id, count(*)::int from public.appointments
                     where organization_id in ('06000000-0000-4000-8000-00000000000a', '06000000-0000-4000-8000-00000000000b')
                     group by 1 order by 1 $$,
  $$ values ('06000000-0000-4000-8000-00000000000a'::uuid, 2), ('06000000-0000-4000-8000-00000000000b'::uuid, 1) $$,
  'service_role sees both organizations'' appointments; B''s was not touched by A''s booking');
reset role;

select tests.authenticate_as('alice');
select is((select count(*)::int from public.appointments), 2, 'alice now sees A''s two appointments (the new booking included)');
reset role;

select * from finish();
rollback;
