-- Every SQL statement of the user's setup guide (docs/setup-guide.md) runs UNCHANGED
-- once its organization exists (the README and docs/rpc-contract.md). The statements below are copied verbatim from the
-- guide, comments included. Both organizations they name are the seeded demo tenants.
begin;
select plan(19);

-- =====================================================================================================================
-- Section - Before: the seed already holds the guide's demo assistants
-- =====================================================================================================================
-- The seed's ACTIVE configurations for asst_hvac_company_assistant / asst_plumbing_company_assistant block a second
-- active copy, so the guide's "Multi-Organization Example" only runs once they are deactivated (as an operator would).
select throws_ok($guide$
INSERT INTO customer_configurations (
  organization_id,
  vapi_assistant_id,
  primary_language,
  is_active
) VALUES (
  'd91e4aa4-914a-4d76-b5b7-2ee26e09b2a2',
  'asst_hvac_company_assistant',
  'en',
  true
);
$guide$, '23505', 'duplicate key value violates unique constraint "customer_configurations_active_assistant_key"',
  'while the seeded HVAC configuration is active, the guide''s HVAC insert is refused as a second active copy');

update public.customer_configurations set is_active = false
where organization_id in ('d91e4aa4-914a-4d76-b5b7-2ee26e09b2a2', '6d593c7a-b00f-47be-8f77-cc4d1231f706');

-- =====================================================================================================================
-- Section - Guide statements, verbatim
-- =====================================================================================================================
-- "Database Setup → Step 1: Verify Your Schema"
select lives_ok($guide$
-- Check customer_configurations table
SELECT
  id,
  organization_id,
  vapi_assistant_id,
  vapi_phone_number,
  is_active
FROM customer_configurations
LIMIT 5;
$guide$, 'guide Database Setup Step 1 (verify schema SELECT) runs unchanged');

-- "Database Setup → Step 2: Create Configuration for Each Organization"
select lives_ok($guide$
INSERT INTO customer_configurations (
  organization_id,
  vapi_assistant_id,        -- The Vapi assistant ID
  vapi_phone_number,        -- Optional: Vapi phone number
  primary_language,
  is_active
) VALUES (
  'd91e4aa4-914a-4d76-b5b7-2ee26e09b2a2',  -- Your organization ID
  'YOUR_VAPI_ASSISTANT_ID_HERE',            -- Get this from Vapi dashboard
  '+1234567890',                             -- Optional
  'en',
  true
);
$guide$, 'guide Database Setup Step 2 INSERT (assistant + phone) runs unchanged');

-- "Setup Steps → Step 2: Add Configuration to Database"
select lives_ok($guide$
INSERT INTO customer_configurations (
  organization_id,
  vapi_assistant_id,
  primary_language,
  secondary_languages,
  sms_preferences,
  custom_config,
  is_active
) VALUES (
  'd91e4aa4-914a-4d76-b5b7-2ee26e09b2a2',  -- Replace with your org ID
  'asst_xxxxxxxxxxxxx',                     -- Replace with your assistant ID from Vapi
  'en',
  ARRAY['es'],
  '{"enabled": true, "confirmation": true, "reminder": true}'::jsonb,
  '{}'::jsonb,
  true
);
$guide$, 'guide Setup Step 2 INSERT (languages, sms_preferences, custom_config) runs unchanged');

-- "Multi-Organization Example → Organization A: HVAC Company"
select lives_ok($guide$
INSERT INTO customer_configurations (
  organization_id,
  vapi_assistant_id,
  primary_language,
  is_active
) VALUES (
  'd91e4aa4-914a-4d76-b5b7-2ee26e09b2a2',
  'asst_hvac_company_assistant',
  'en',
  true
);
$guide$, 'guide Organization A (HVAC) INSERT runs unchanged');

-- "Multi-Organization Example → Organization B: Plumbing Company"
select lives_ok($guide$
INSERT INTO customer_configurations (
  organization_id,
  vapi_assistant_id,
  primary_language,
  is_active
) VALUES (
  '6d593c7a-b00f-47be-8f77-cc4d1231f706',
  'asst_plumbing_company_assistant',
  'es',
  true
);
$guide$, 'guide Organization B (Plumbing) INSERT runs unchanged');

-- "Testing → Test 3: Verify Database"
select lives_ok($guide$
SELECT * FROM appointments
WHERE organization_id = 'd91e4aa4-914a-4d76-b5b7-2ee26e09b2a2'
ORDER BY created_at DESC
LIMIT 1;
$guide$, 'guide Test 3 (verify appointments SELECT) runs unchanged');

-- "Troubleshooting → Fix": the check query runs unchanged ...
select lives_ok($guide$
-- Check what's in your configurations
SELECT * FROM customer_configurations WHERE is_active = true;
$guide$, 'guide Troubleshooting check SELECT runs unchanged');

-- ... but its INSERT is a template: 'your-org-id' is a placeholder, not a uuid, so it cannot run unchanged BY DESIGN
-- (the operator must substitute a real organization id). Proven here so nobody "fixes" the column type to text.
select throws_ok($guide$
-- Add missing configuration
INSERT INTO customer_configurations (
  organization_id,
  vapi_assistant_id,
  primary_language,
  is_active
) VALUES (
  'your-org-id',
  'your-assistant-id-from-vapi',
  'en',
  true
);
$guide$, '22P02', 'invalid input syntax for type uuid: "your-org-id"',
  'guide Troubleshooting INSERT is a template: the placeholder ''your-org-id'' is rejected as an invalid uuid');

-- =====================================================================================================================
-- Section - What the guide's inserts stored, and that the tenants resolve from them
-- =====================================================================================================================
select results_eq($$
  select vapi_assistant_id, vapi_phone_number::text, primary_language, secondary_languages, sms_preferences, custom_config
  from public.customer_configurations
  where organization_id = 'd91e4aa4-914a-4d76-b5b7-2ee26e09b2a2' and is_active
  order by vapi_assistant_id
$$, $$ values
  ('YOUR_VAPI_ASSISTANT_ID_HERE'::text, '+1234567890'::text, 'en'::text, '{}'::text[], '{}'::jsonb, '{}'::jsonb),
  ('asst_hvac_company_assistant', null, 'en', '{}', '{}', '{}'),
  ('asst_xxxxxxxxxxxxx', null, 'en', '{es}', '{"enabled": true, "confirmation": true, "reminder": true}', '{}')
$$, 'HVAC now has exactly the three active configurations of the guide, omitted columns at their defaults');

select results_eq($$
  select vapi_assistant_id, primary_language from public.customer_configurations
  where organization_id = '6d593c7a-b00f-47be-8f77-cc4d1231f706' and is_active
$$, $$ values ('asst_plumbing_company_assistant'::text, 'es'::text) $$,
  'Plumbing now has exactly the guide''s active configuration (Spanish)');

select is((select count(*)::int from public.customer_configurations where vapi_assistant_id = 'your-assistant-id-from-vapi'),
  0, 'the rejected troubleshooting template wrote nothing');

select results_eq($$ select organization_id, resolved_by from private.resolve_organization('asst_hvac_company_assistant', null, null) $$,
  $$ values ('d91e4aa4-914a-4d76-b5b7-2ee26e09b2a2'::uuid, 'assistant_id'::text) $$,
  'asst_hvac_company_assistant (guide row) resolves to HVAC Company');
select results_eq($$ select organization_id, resolved_by from private.resolve_organization('asst_plumbing_company_assistant', null, null) $$,
  $$ values ('6d593c7a-b00f-47be-8f77-cc4d1231f706'::uuid, 'assistant_id'::text) $$,
  'asst_plumbing_company_assistant (guide row) resolves to Plumbing Company');
select results_eq($$ select organization_id, resolved_by from private.resolve_organization('asst_xxxxxxxxxxxxx', null, null) $$,
  $$ values ('d91e4aa4-914a-4d76-b5b7-2ee26e09b2a2'::uuid, 'assistant_id'::text) $$,
  'asst_xxxxxxxxxxxxx (guide Setup Step 2 row) resolves to HVAC Company');
select results_eq($$ select organization_id, resolved_by from private.resolve_organization(null, '+1234567890', null) $$,
  $$ values ('d91e4aa4-914a-4d76-b5b7-2ee26e09b2a2'::uuid, 'phone_number'::text) $$,
  'the guide''s optional line +1234567890 resolves to HVAC Company by phone number');
select results_eq($$ select organization_id, resolved_by from private.resolve_organization(null, '+15550100001', null) $$,
  $$ values (null::uuid, null::text) $$,
  'the deactivated seed line +15550100001 no longer resolves (the guide''s HVAC row has no line)');

-- The guide's organization example without its organization: the foreign key refuses it.
select throws_ok($$
  INSERT INTO customer_configurations (organization_id, vapi_assistant_id, primary_language, is_active)
  VALUES ('00000000-0000-4000-8000-0000000000ff', 'asst_orphan', 'en', true)
$$, '23503', null, 'a guide-style insert for an organization that does not exist is refused (foreign key)');

-- Running the guide twice is refused, not silently duplicated (one active row per assistant).
select throws_ok($guide$
INSERT INTO customer_configurations (
  organization_id,
  vapi_assistant_id,
  primary_language,
  is_active
) VALUES (
  '6d593c7a-b00f-47be-8f77-cc4d1231f706',
  'asst_plumbing_company_assistant',
  'es',
  true
);
$guide$, '23505', 'duplicate key value violates unique constraint "customer_configurations_active_assistant_key"',
  'running the guide''s Plumbing insert a second time is refused as a duplicate active assistant');

select * from finish();
rollback;
