-- The tenant doctor private.diagnose_tenant_key (*_tenant_doctor.sql, used by scripts/doctor): for an assistant id,
-- a phone number or a call id, which organization it resolves to and how, or exactly why not. Admins only.
begin;
select plan(19);

-- Seeded HVAC Company: asst_hvac_company_assistant, +15550100001. Fixtures: an inactive configuration, a line without
-- an assistant id, a logged call.
insert into public.organizations (id, name, timezone) values
  ('12000000-0000-4000-8000-00000000000a', 'Doctor Inactive', 'America/Denver'),
  ('12000000-0000-4000-8000-00000000000b', 'Doctor Line Only', 'America/Chicago');
insert into public.customer_configurations (id, organization_id, vapi_assistant_id, vapi_phone_number, is_active) values
  ('12c00000-0000-4000-8000-00000000000a', '12000000-0000-4000-8000-00000000000a', 'asst_doc_inactive', '+15557300001', false),
  ('12c00000-0000-4000-8000-00000000000b', '12000000-0000-4000-8000-00000000000b', null, '+15557300002', true);
insert into public.call_logs (organization_id, vapi_call_id, resolved_by)
values ('d91e4aa4-914a-4d76-b5b7-2ee26e09b2a2', 'call_doc_1', 'assistant_id');

-- =====================================================================================================================
-- Section - Keys that resolve
-- =====================================================================================================================
select results_eq($$ select * from private.diagnose_tenant_key('asst_hvac_company_assistant') $$,
  $$ values ('resolves'::text, 'ok'::text,
             'As assistant_id it resolves to HVAC Company (d91e4aa4-914a-4d76-b5b7-2ee26e09b2a2, America/New_York).'::text) $$,
  'assistant id: one ok row naming the method, the organization, its id and zone');
select results_eq($$ select * from private.diagnose_tenant_key('+1 (555) 010-0001') where check_name = 'resolves' $$,
  $$ values ('resolves'::text, 'ok'::text,
             'As phone_number it resolves to HVAC Company (d91e4aa4-914a-4d76-b5b7-2ee26e09b2a2, America/New_York).'::text) $$,
  'formatted phone: resolves as phone_number to HVAC');
select results_eq($$ select * from private.diagnose_tenant_key('+1 (555) 010-0001') where check_name = 'phone_number' $$,
  $$ values ('phone_number'::text, 'ok'::text, 'Normalised to +15550100001 before the lookup.'::text) $$,
  'formatted phone: says it was normalised to +15550100001');
select is_empty($$ select 1 from private.diagnose_tenant_key('+15550100001') where check_name = 'phone_number' $$,
  'phone already in E.164: no normalisation row');
select results_eq($$ select * from private.diagnose_tenant_key('call_doc_1') $$,
  $$ values ('resolves'::text, 'ok'::text,
             'As call_id it resolves to HVAC Company (d91e4aa4-914a-4d76-b5b7-2ee26e09b2a2, America/New_York).'::text) $$,
  'call id with a call_logs row: resolves as call_id to HVAC');
select is_empty($$ select 1 from private.diagnose_tenant_key('asst_hvac_company_assistant') where verdict <> 'ok' $$,
  'a resolving key: no warn or fail rows');

-- =====================================================================================================================
-- Section - Keys that do not resolve, and why
-- =====================================================================================================================
select results_eq($$ select * from private.diagnose_tenant_key('+0123') where check_name = 'phone_number' $$,
  $$ values ('phone_number'::text, 'fail'::text,
             '+0123 is not a valid E.164 number: write it as +<country code><number>, e.g. +15550100001.'::text) $$,
  'not E.164 ("+0123"): a fail row explaining the E.164 form');
select results_eq($$ select check_name, verdict from private.diagnose_tenant_key('555 12') where detail like '%not a valid E.164 number%' $$,
  $$ values ('phone_number'::text, 'fail'::text) $$,
  'not E.164 ("555 12"): a fail row explaining the E.164 form');

select results_eq($$ select check_name, verdict from private.diagnose_tenant_key('asst_doc_inactive') order by check_name $$,
  $$ values ('configuration'::text, 'warn'::text), ('resolves', 'fail') $$,
  'inactive configuration: a warn row and the not-found fail row');
select alike((select detail from private.diagnose_tenant_key('asst_doc_inactive') where check_name = 'configuration'),
  'Configuration 12c00000-0000-4000-8000-00000000000a of Doctor Inactive matches but is_active = false, so it is ignored.%',
  'inactive configuration: the warning names the configuration, its organization and is_active = false');
select alike((select detail from private.diagnose_tenant_key('+15557300001') where check_name = 'configuration'),
  '%Doctor Inactive matches but is_active = false%', 'inactive configuration: found by its line too');

select results_eq($$ select check_name, verdict, detail from private.diagnose_tenant_key('ASST_HVAC_COMPANY_ASSISTANT') where check_name = 'configuration' $$,
  format($$ values ('configuration'::text, 'warn'::text, %L::text) $$,
    'Configuration ' || (select id from public.customer_configurations where vapi_assistant_id = 'asst_hvac_company_assistant' and is_active)
    || ' of HVAC Company has assistant id asst_hvac_company_assistant, which differs from ASST_HVAC_COMPANY_ASSISTANT only in letter case (ids are exact).'),
  'letter case only: a warn row naming the exact id');
select is((select verdict from private.diagnose_tenant_key('ASST_HVAC_COMPANY_ASSISTANT') where check_name = 'resolves'), 'fail',
  'letter case only: it does not resolve (ids are exact)');

select results_eq($$ select check_name, verdict, detail from private.diagnose_tenant_key('asst_nobody') $$,
  $$ values ('resolves'::text, 'fail'::text,
             'Organization not found for this assistant: no ACTIVE customer_configurations row has vapi_assistant_id, vapi_phone_number or vapi_phone_number_id asst_nobody, and no call_logs row has vapi_call_id asst_nobody. Add the tenant with a migration from supabase/templates/onboard_tenant.sql (README "Add a tenant").'::text) $$,
  'unknown key: exactly one fail row with the seed guide''s wording and the fix');

select results_eq($$ select check_name, verdict from private.diagnose_tenant_key('+1 555 730 0002') order by check_name $$,
  $$ values ('configuration'::text, 'warn'::text), ('phone_number', 'ok'), ('resolves', 'ok') $$,
  'line without an assistant id: resolves, but warns that assistant-request cannot route it');

-- =====================================================================================================================
-- Section - Privileges: admins only (scripts/doctor connects as postgres)
-- =====================================================================================================================
-- A Vonage line's number as Vonage writes it (digits, no +): read as the webhook reads it on a Vonage line
-- (20261206093231, helper-118 #10); the E.164 finding says so, as a warning.
select results_eq($$ select check_name, verdict, detail from private.diagnose_tenant_key('15550100001') order by check_name desc $$,
  $$ values ('resolves', 'ok', 'As phone_number (a Vonage line''s digits, read as +15550100001) it resolves to HVAC Company (d91e4aa4-914a-4d76-b5b7-2ee26e09b2a2, America/New_York).'),
            ('phone_number', 'warn', '15550100001 is not a valid E.164 number: write it as +<country code><number>, e.g. +15550100001 (on a Vonage line, whose numbers Vonage writes without the +, the webhook reads it as +15550100001).') $$,
  'digits without + resolve as a Vonage line''s number, and the E.164 finding is a warning that says why');
select is((select count(*)::int from private.diagnose_tenant_key('555 12') where check_name = 'resolves' and verdict = 'ok'), 0,
  'a short number is not read as a Vonage line''s digits');

select is(array[has_function_privilege('anon', 'private.diagnose_tenant_key(text)', 'execute'),
                has_function_privilege('authenticated', 'private.diagnose_tenant_key(text)', 'execute'),
                has_function_privilege('service_role', 'private.diagnose_tenant_key(text)', 'execute')],
  array[false, false, false], 'anon, authenticated and service_role have no EXECUTE on private.diagnose_tenant_key');
select tests.create_supabase_user('doctor_user') as doctor_user_id \gset
select tests.authenticate_as('doctor_user');
select throws_ok($$ select * from private.diagnose_tenant_key('asst_hvac_company_assistant') $$,
  '42501', 'permission denied for function diagnose_tenant_key', 'authenticated: calling it is denied');
reset role;

select * from finish();
rollback;
