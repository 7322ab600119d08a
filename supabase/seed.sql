-- The demo tenants of the README ("Try it"). Idempotent: safe to load again on a seeded database.
-- HVAC books up to ten years ahead so the README's fixed example date (2030-03-05) stays bookable; Plumbing keeps
-- the default one-year horizon.
insert into public.organizations (id, name, timezone, max_advance_days)
values
  ('d91e4aa4-914a-4d76-b5b7-2ee26e09b2a2', 'HVAC Company', 'America/New_York', 3650),
  ('6d593c7a-b00f-47be-8f77-cc4d1231f706', 'Plumbing Company', 'America/Los_Angeles', 365)
on conflict (id) do update set name = excluded.name, timezone = excluded.timezone,
  max_advance_days = excluded.max_advance_days;

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

-- A larger HVAC company on the calendar model (README "Calendar model"): three technicians, services with their own
-- length and buffer, Priya alone does duct cleaning (Maria and James list what they do; no rows = everything),
-- two hours' notice, bookings up to 90 days ahead. Central time, Mon–Sat 07:00–19:00.
insert into public.organizations (id, name, timezone, min_notice_minutes, max_advance_days)
values ('5b8f2c1e-7a4d-4e9b-8c3f-1d2e3f4a5b6c', 'Metro HVAC Services', 'America/Chicago', 120, 90)
on conflict (id) do update set name = excluded.name, timezone = excluded.timezone,
  min_notice_minutes = excluded.min_notice_minutes, max_advance_days = excluded.max_advance_days;

insert into public.customer_configurations (organization_id, vapi_assistant_id, vapi_phone_number, primary_language,
                                            secondary_languages, is_active)
select '5b8f2c1e-7a4d-4e9b-8c3f-1d2e3f4a5b6c', 'asst_metro_hvac_assistant', '+15550100003', 'en', array['es'], true
where not exists (
  select 1 from public.customer_configurations as c
  where c.is_active and (c.vapi_assistant_id = 'asst_metro_hvac_assistant' or c.vapi_phone_number = '+15550100003')
);

insert into public.business_hours (organization_id, weekday, opens_at, closes_at)
select '5b8f2c1e-7a4d-4e9b-8c3f-1d2e3f4a5b6c'::uuid, d, time '07:00', time '19:00' from generate_series(1, 6) as d
on conflict (organization_id, weekday, opens_at) do nothing;

insert into public.staff_members (id, organization_id, name) values
  ('5b8f2c1e-0000-4000-8000-00000000a001', '5b8f2c1e-7a4d-4e9b-8c3f-1d2e3f4a5b6c', 'Maria Lopez'),
  ('5b8f2c1e-0000-4000-8000-00000000a002', '5b8f2c1e-7a4d-4e9b-8c3f-1d2e3f4a5b6c', 'James Carter'),
  ('5b8f2c1e-0000-4000-8000-00000000a003', '5b8f2c1e-7a4d-4e9b-8c3f-1d2e3f4a5b6c', 'Priya Patel')
on conflict (id) do nothing;

insert into public.services (id, organization_id, name, aliases, duration_minutes, buffer_minutes) values
  ('5b8f2c1e-0000-4000-8000-00000000b001', '5b8f2c1e-7a4d-4e9b-8c3f-1d2e3f4a5b6c', 'AC repair',
   array['air conditioning repair', 'A/C repair', 'AC not cooling'], 90, 30),
  ('5b8f2c1e-0000-4000-8000-00000000b002', '5b8f2c1e-7a4d-4e9b-8c3f-1d2e3f4a5b6c', 'Furnace tune-up',
   array['heating tune-up', 'furnace maintenance'], 60, 15),
  ('5b8f2c1e-0000-4000-8000-00000000b003', '5b8f2c1e-7a4d-4e9b-8c3f-1d2e3f4a5b6c', 'Thermostat installation',
   array['thermostat install', 'smart thermostat'], 45, 15),
  ('5b8f2c1e-0000-4000-8000-00000000b004', '5b8f2c1e-7a4d-4e9b-8c3f-1d2e3f4a5b6c', 'Duct cleaning',
   array['air duct cleaning'], 120, 30)
on conflict (id) do nothing;

insert into public.staff_services (organization_id, staff_member_id, service_id)
select '5b8f2c1e-7a4d-4e9b-8c3f-1d2e3f4a5b6c'::uuid, s.staff_id::uuid, v.service_id::uuid
from (values ('5b8f2c1e-0000-4000-8000-00000000a001'), ('5b8f2c1e-0000-4000-8000-00000000a002')) as s (staff_id)
cross join (values ('5b8f2c1e-0000-4000-8000-00000000b001'), ('5b8f2c1e-0000-4000-8000-00000000b002'),
                   ('5b8f2c1e-0000-4000-8000-00000000b003')) as v (service_id)
on conflict do nothing;
