-- Schema, grants, RLS switches, function hygiene and table constraints of the database contract
-- (README, docs/rpc-contract.md).
begin;
select plan(87);

-- =====================================================================================================================
-- Section - Tables and contract columns
-- =====================================================================================================================
select has_table('public', t, format('table public.%s exists', t))
from unnest(array['organizations', 'organization_members', 'customer_configurations', 'call_logs',
                  'business_hours', 'closed_dates', 'appointments', 'tool_call_executions']) as t;

select col_type_is('public', 'organizations', 'id', 'uuid', 'organizations.id is uuid');
select col_is_pk('public', 'organizations', 'id', 'organizations.id is the primary key');
select col_type_is('public', 'organizations', 'name', 'text', 'organizations.name is text');
select col_type_is('public', 'organizations', 'timezone', 'text', 'organizations.timezone is text');
select col_not_null('public', 'organizations', 'timezone', 'organizations.timezone is not null');
select col_default_is('public', 'organizations', 'timezone', 'America/New_York',
  'organizations.timezone defaults to America/New_York');

select col_type_is('public', 'customer_configurations', c.col, c.typ, format('customer_configurations.%s is %s', c.col, c.typ))
from (values ('organization_id', 'uuid'), ('vapi_assistant_id', 'text'), ('vapi_phone_number', 'e164'),
             ('primary_language', 'text'), ('secondary_languages', 'text[]'), ('sms_preferences', 'jsonb'),
             ('custom_config', 'jsonb'), ('is_active', 'boolean')) as c(col, typ);
select fk_ok('public', 'customer_configurations', 'organization_id', 'public', 'organizations', 'id',
  'customer_configurations.organization_id references organizations.id');

select col_type_is('public', 'call_logs', 'organization_id', 'uuid', 'call_logs.organization_id is uuid');
select col_type_is('public', 'call_logs', 'vapi_call_id', 'text', 'call_logs.vapi_call_id is text');
select col_is_unique('public', 'call_logs', 'vapi_call_id', 'call_logs.vapi_call_id is unique');

select col_type_is('public', 'appointments', c.col, c.typ, format('appointments.%s is %s', c.col, c.typ))
from (values ('organization_id', 'uuid'), ('start_time', 'timestamp with time zone'),
             ('end_time', 'timestamp with time zone'), ('status', 'text'), ('customer_name', 'text'),
             ('customer_phone', 'e164'), ('service', 'text'), ('notes', 'text'), ('vapi_call_id', 'text'),
             ('created_at', 'timestamp with time zone')) as c(col, typ);

select fk_ok('public', 'organization_members', 'user_id', 'auth', 'users', 'id',
  'organization_members.user_id references auth.users.id');
select col_type_is('public', 'organization_members', 'role', 'text', 'organization_members.role is text');

-- =====================================================================================================================
-- Section - RLS switched on everywhere, one read policy per table, no table grant to anon
-- =====================================================================================================================
select is_empty($$
  select c.relname from pg_catalog.pg_class as c
  where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relrowsecurity
$$, 'every table in public has row level security enabled');

select is_empty($$
  select table_name, privilege_type from information_schema.role_table_grants
  where grantee = 'anon' and table_schema = 'public'
$$, 'anon holds no privilege on any table in public');

select policies_are('public', p.tbl, array[p.pol], format('public.%s has exactly the policy "%s"', p.tbl, p.pol))
from (values
  ('organizations', 'Members can view their organizations'),
  ('organization_members', 'Members can view the members of their organizations'),
  ('customer_configurations', 'Members can view their organizations'' configurations'),
  ('call_logs', 'Members can view their organizations'' call logs'),
  ('business_hours', 'Members can view their organizations'' business hours'),
  ('closed_dates', 'Members can view their organizations'' closed dates'),
  ('appointments', 'Members can view their organizations'' appointments'),
  ('tool_call_executions', 'Members can view their organizations'' tool calls')) as p(tbl, pol);

select is_empty($$
  select tablename, policyname from pg_catalog.pg_policies
  where schemaname = 'public' and (cmd <> 'SELECT' or roles <> '{authenticated}')
$$, 'every policy in public is a SELECT policy for authenticated only (writes are never granted by policy)');

-- =====================================================================================================================
-- Section - Function privileges and hygiene
-- =====================================================================================================================
select function_privs_are('public', 'resolve_org_and_book', array['text', 'text', 'text', 'text', 'jsonb', 'text', 'text'], 'anon',
  array[]::text[], 'anon cannot EXECUTE public.resolve_org_and_book');
select function_privs_are('public', 'resolve_org_and_book', array['text', 'text', 'text', 'text', 'jsonb', 'text', 'text'],
  'authenticated', array[]::text[], 'authenticated cannot EXECUTE public.resolve_org_and_book');
select function_privs_are('public', 'resolve_org_and_book', array['text', 'text', 'text', 'text', 'jsonb', 'text', 'text'],
  'service_role', array['EXECUTE'], 'service_role can EXECUTE public.resolve_org_and_book');
select ok(not exists (
    select 1 from pg_catalog.pg_proc as p, pg_catalog.aclexplode(p.proacl) as a
    where p.oid = 'public.resolve_org_and_book(text,text,text,text,jsonb,text,text)'::regprocedure and a.grantee = 0)
  and (select p.proacl is not null from pg_catalog.pg_proc as p
       where p.oid = 'public.resolve_org_and_book(text,text,text,text,jsonb,text,text)'::regprocedure),
  'PUBLIC holds no EXECUTE on public.resolve_org_and_book (explicit ACL without a PUBLIC entry)');
select is_definer('public', 'resolve_org_and_book', array['text', 'text', 'text', 'text', 'jsonb', 'text', 'text'],
  'public.resolve_org_and_book is security definer');
select function_returns('public', 'resolve_org_and_book', array['text', 'text', 'text', 'text', 'jsonb', 'text', 'text'], 'jsonb',
  'public.resolve_org_and_book returns jsonb');

select is_empty($$
  select p.oid::regprocedure::text, r.role from pg_catalog.pg_proc as p, unnest(array['anon', 'authenticated']) as r(role)
  where p.pronamespace = 'public'::regnamespace
    and not exists (select 1 from pg_catalog.pg_depend as d where d.objid = p.oid and d.deptype = 'e')
    and pg_catalog.has_function_privilege(r.role, p.oid, 'EXECUTE')
$$, 'no function in public (every webhook RPC) is executable by anon or authenticated');
select is_empty($$
  select p.oid::regprocedure::text from pg_catalog.pg_proc as p
  where p.pronamespace = 'public'::regnamespace and p.prokind = 'f'
    and not exists (select 1 from pg_catalog.pg_depend as d where d.objid = p.oid and d.deptype = 'e')
    and not pg_catalog.has_function_privilege('service_role', p.oid, 'EXECUTE')
$$, 'every function in public is executable by service_role');

select is_empty($$
  select n.nspname, p.proname from pg_catalog.pg_proc as p join pg_catalog.pg_namespace as n on n.oid = p.pronamespace
  where n.nspname in ('public', 'private')
    and not exists (select 1 from pg_catalog.pg_depend as d where d.objid = p.oid and d.deptype = 'e')
    and not ('search_path=""' = any (coalesce(p.proconfig, '{}')))
$$, 'every function in public and private pins search_path to ''''');

select is_empty($$
  select p.proname from pg_catalog.pg_proc as p
  where p.pronamespace = 'private'::regnamespace and p.prosecdef
    and p.proname not in ('current_user_organization_ids', 'queue_appointment_notifications', 'enforce_rpc_deadline',
                          'warn_languages_without_catalog')
$$, 'the only security definer functions in private are current_user_organization_ids and three triggers (outbox, '
    || 'deadline, languages without a catalog)');

select schema_privs_are('private', 'anon', array[]::text[], 'anon has no privilege on schema private');
select schema_privs_are('private', 'authenticated', array['USAGE'],
  'authenticated may only use schema private (for the RLS helper), never create in it');
select throws_ok($$ set local role anon; select private.current_user_organization_ids() $$,
  '42501', 'permission denied for schema private', 'anon cannot call anything in schema private');
reset role;
select function_privs_are('private', 'current_user_organization_ids', array[]::text[], 'authenticated',
  array['EXECUTE'], 'authenticated can EXECUTE the RLS helper private.current_user_organization_ids');

select is(
  array(select p.proname::text from pg_catalog.pg_proc as p
        where p.pronamespace = 'private'::regnamespace
          and pg_catalog.has_function_privilege('authenticated', p.oid, 'EXECUTE') order by 1),
  array['current_user_organization_ids'],
  'authenticated can EXECUTE no private function except current_user_organization_ids');

-- =====================================================================================================================
-- Section - Constraints (fixtures inserted as postgres)
-- =====================================================================================================================
insert into public.organizations (id, name, timezone) values
  ('01000000-0000-4000-8000-00000000000a', 'Schema Org A', 'America/New_York'),
  ('01000000-0000-4000-8000-00000000000b', 'Schema Org B', 'America/Chicago');

select throws_ok($$ insert into public.organizations (name, timezone) values ('Mars Org', 'Mars/Base') $$,
  '23514', 'new row for relation "organizations" violates check constraint "organizations_timezone_is_iana"',
  'an unknown zone name (Mars/Base) is rejected');
select throws_ok($$ insert into public.organizations (name, timezone) values ('Offset Org', '+05:00') $$,
  '23514', 'new row for relation "organizations" violates check constraint "organizations_timezone_is_iana"',
  'a bare UTC offset (+05:00) is rejected as a time zone');
select throws_ok($$ insert into public.organizations (name, timezone) values ('Posix Org', 'posix/America/New_York') $$,
  '23514', 'new row for relation "organizations" violates check constraint "organizations_timezone_is_iana"',
  'a posix/ duplicate of a zone is rejected');
select lives_ok($$ insert into public.organizations (name, timezone) values ('LA Org', 'America/Los_Angeles') $$,
  'an IANA zone (America/Los_Angeles) is accepted');
select results_eq($$ insert into public.organizations (name) values ('Default Zone Org') returning timezone $$,
  $$ values ('America/New_York'::text) $$, 'an organization inserted without a zone gets America/New_York');
select throws_ok($$ insert into public.organizations (name) values ('   ') $$,
  '23514', 'new row for relation "organizations" violates check constraint "organizations_name_not_blank"',
  'a blank organization name is rejected');

select throws_ok($$ insert into public.customer_configurations (organization_id, vapi_phone_number)
                    values ('01000000-0000-4000-8000-00000000000a', '5550109999') $$,
  '23514', 'value for domain e164 violates check constraint "e164_format"',
  'a line without + and country code is rejected (not E.164)');
select throws_ok($$ insert into public.customer_configurations (organization_id, vapi_phone_number)
                    values ('01000000-0000-4000-8000-00000000000a', '+1 555 010 9999') $$,
  '23514', 'value for domain e164 violates check constraint "e164_format"',
  'a line stored with spaces is rejected (must be stored normalised)');
select throws_ok($$ insert into public.customer_configurations (organization_id, vapi_phone_number)
                    values ('01000000-0000-4000-8000-00000000000a', '+0555010999') $$,
  '23514', 'value for domain e164 violates check constraint "e164_format"',
  'a country code starting with 0 is rejected');
select throws_ok($$ insert into public.customer_configurations (organization_id, vapi_assistant_id)
                    values ('01000000-0000-4000-8000-00000000000a', ' asst_padded ') $$,
  '23514', 'new row for relation "customer_configurations" violates check constraint "customer_configurations_assistant_id_not_blank"',
  'an assistant id with surrounding spaces is rejected');
select throws_ok($$ insert into public.appointments (organization_id, start_time, end_time, customer_name, customer_phone)
                    values ('01000000-0000-4000-8000-00000000000a', '2027-06-01 14:00Z', '2027-06-01 15:00Z', 'Ann', 'call me') $$,
  '23514', 'value for domain e164 violates check constraint "e164_format"',
  'an appointment with a non-E.164 customer phone is rejected');
select throws_ok($$ insert into public.appointments (organization_id, start_time, end_time, customer_name)
                    values ('01000000-0000-4000-8000-00000000000a', '2027-06-01 15:00Z', '2027-06-01 15:00Z', 'Ann') $$,
  '23514', 'new row for relation "appointments" violates check constraint "appointments_ends_after_start"',
  'an appointment that ends when it starts is rejected');

-- One ACTIVE configuration per assistant id.
select lives_ok($$ insert into public.customer_configurations (organization_id, vapi_assistant_id, vapi_phone_number)
                   values ('01000000-0000-4000-8000-00000000000a', 'asst_schema_one', '+15550109001') $$,
  'a first active configuration for asst_schema_one and +15550109001 is accepted');
select throws_ok($$ insert into public.customer_configurations (organization_id, vapi_assistant_id)
                    values ('01000000-0000-4000-8000-00000000000b', 'asst_schema_one') $$,
  '23505', 'duplicate key value violates unique constraint "customer_configurations_active_assistant_key"',
  'a second ACTIVE configuration for the same assistant (another org) is rejected');
select lives_ok($$ insert into public.customer_configurations (organization_id, vapi_assistant_id, is_active)
                   values ('01000000-0000-4000-8000-00000000000b', 'asst_schema_one', false) $$,
  'an INACTIVE duplicate of an active assistant id is allowed (history)');
select throws_ok($$ update public.customer_configurations set is_active = true
                    where organization_id = '01000000-0000-4000-8000-00000000000b' and vapi_assistant_id = 'asst_schema_one' $$,
  '23505', 'duplicate key value violates unique constraint "customer_configurations_active_assistant_key"',
  'reactivating the inactive duplicate assistant is rejected while the other is active');

-- One ACTIVE configuration per line.
select throws_ok($$ insert into public.customer_configurations (organization_id, vapi_phone_number)
                    values ('01000000-0000-4000-8000-00000000000b', '+15550109001') $$,
  '23505', 'duplicate key value violates unique constraint "customer_configurations_active_phone_key"',
  'a second ACTIVE configuration for the same line (another org) is rejected');
select lives_ok($$ insert into public.customer_configurations (organization_id, vapi_phone_number, is_active)
                   values ('01000000-0000-4000-8000-00000000000b', '+15550109001', false) $$,
  'an INACTIVE duplicate of an active line is allowed');
select throws_ok($$ update public.customer_configurations set is_active = true
                    where organization_id = '01000000-0000-4000-8000-00000000000b' and vapi_phone_number = '+15550109001' $$,
  '23505', 'duplicate key value violates unique constraint "customer_configurations_active_phone_key"',
  'reactivating the inactive duplicate line is rejected while the other is active');

select lives_ok($$ insert into public.call_logs (organization_id, vapi_call_id, resolved_by)
                   values ('01000000-0000-4000-8000-00000000000a', 'call_schema_1', 'assistant_id') $$,
  'a first call log for call_schema_1 is accepted');
select throws_ok($$ insert into public.call_logs (organization_id, vapi_call_id, resolved_by)
                    values ('01000000-0000-4000-8000-00000000000b', 'call_schema_1', 'phone_number') $$,
  '23505', 'duplicate key value violates unique constraint "call_logs_vapi_call_id_key"',
  'a second call log with the same vapi_call_id (even for another org) is rejected');

-- Indexes Supabase's advisors and RLS rely on (20261206034623_staff_foreign_keys_indexed.sql).
select is(array_agg(c.relname::text order by c.relname), null,
  'every RLS table in public but organizations has an index led by organization_id')
from pg_class as c
where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' and c.relrowsecurity and c.relname <> 'organizations'
  and not exists (select 1 from pg_index as i join pg_attribute as a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
                  where i.indrelid = c.oid and a.attname = 'organization_id');
-- A foreign key is covered when an index starts with its columns in its order (lint 0001); appointments' three and
-- staff_services' keep an index led by the referencing id, which their reads use (the migration says why).
select is(array_agg(k.conname::text order by k.conname),
  array['appointments_rescheduled_from_fkey', 'appointments_service_fkey', 'appointments_staff_member_fkey',
        'staff_services_organization_id_staff_member_id_fkey'],
  'every foreign key in public is covered by an index led by its columns, but appointments'' three and staff_services''')
from pg_constraint as k
where k.contype = 'f' and k.connamespace = 'public'::regnamespace
  and not exists (select 1 from pg_index as i where i.indrelid = k.conrelid
                  and (string_to_array(i.indkey::text, ' ')::smallint[])[1:cardinality(k.conkey)] = k.conkey);

select * from finish();
rollback;
