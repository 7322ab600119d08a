-- The demo tenants of the README ("Try it"). Idempotent: safe to load again on a seeded database.
insert into public.organizations (id, name, timezone)
values
  ('d91e4aa4-914a-4d76-b5b7-2ee26e09b2a2', 'HVAC Company', 'America/New_York'),
  ('6d593c7a-b00f-47be-8f77-cc4d1231f706', 'Plumbing Company', 'America/Los_Angeles')
on conflict (id) do update set name = excluded.name, timezone = excluded.timezone;

insert into public.customer_configurations (organization_id, vapi_assistant_id, vapi_phone_number, primary_language,
                                            secondary_languages, is_active)
select v.organization_id, v.vapi_assistant_id, v.vapi_phone_number, v.primary_language, v.secondary_languages, true
from (values
  ('d91e4aa4-914a-4d76-b5b7-2ee26e09b2a2'::uuid, 'asst_hvac_company_assistant', '+15550100001', 'en', array['es']),
  ('6d593c7a-b00f-47be-8f77-cc4d1231f706'::uuid, 'asst_plumbing_company_assistant', '+15550100002', 'es', array['en'])
) as v (organization_id, vapi_assistant_id, vapi_phone_number, primary_language, secondary_languages)
where not exists (
  select 1 from public.customer_configurations as c
  where c.is_active and (c.vapi_assistant_id = v.vapi_assistant_id or c.vapi_phone_number = v.vapi_phone_number)
);

-- Opening hours in each tenant's own zone: HVAC Mon–Fri 08:00–18:00, Plumbing Mon–Sat 07:00–19:00.
insert into public.business_hours (organization_id, weekday, opens_at, closes_at)
select 'd91e4aa4-914a-4d76-b5b7-2ee26e09b2a2'::uuid, d, time '08:00', time '18:00' from generate_series(1, 5) as d
union all
select '6d593c7a-b00f-47be-8f77-cc4d1231f706'::uuid, d, time '07:00', time '19:00' from generate_series(1, 6) as d
on conflict (organization_id, weekday, opens_at) do nothing;
