-- Tenant onboarding template. Copy it into a new migration and fill in the values at the top:
--
--   scripts/supabase migration new onboard_acme_heating
--   cp supabase/templates/onboard_tenant.sql supabase/migrations/<the new file>.sql   # then edit the values
--   scripts/supabase db push --remote                                                  # the linked hosted project
--   scripts/dev                                                     # or: the local stack applies it on its next start
--
-- One transaction: the organization, its Vapi configuration, its weekly hours and (optionally) its services and staff
-- land together or not at all. Without services and staff the organization has one calendar (one job at a time).
-- The database refuses bad input on its own: a line that is not E.164, a zone that is not IANA, an assistant id or
-- line already ACTIVE for another configuration, hours that close before they open. The REPLACE_ME values refuse
-- to run, so a copied-but-unedited template cannot create a fake tenant.
do $$
declare
  -- ---- edit from here -------------------------------------------------------------------------------------------
  v_organization_id text := 'REPLACE_ME_ORGANIZATION_UUID';       -- a new uuid: select gen_random_uuid();
  v_name text := 'REPLACE_ME Company name';
  v_timezone text := 'America/New_York';                          -- IANA zone of the business
  v_vapi_assistant_id text := 'REPLACE_ME_VAPI_ASSISTANT_ID';     -- Vapi dashboard → Assistant → ID
  v_vapi_phone_number text := null;                               -- the tenant's Vapi line in E.164, e.g. '+15550100003'
  v_primary_language text := 'en';
  v_secondary_languages text[] := array[]::text[];
  v_slot_minutes integer := 30;                                   -- grid of offered start times
  v_default_appointment_minutes integer := 60;
  v_min_notice_minutes integer := 0;                              -- no booking sooner than this from now
  v_max_advance_days integer := 365;                              -- no booking further ahead than this
  -- weekday (0 = Sunday … 6 = Saturday), opens, closes — local time in v_timezone. No rows = open 24/7.
  v_hours jsonb := '[[1, "08:00", "17:00"], [2, "08:00", "17:00"], [3, "08:00", "17:00"],
                     [4, "08:00", "17:00"], [5, "08:00", "17:00"]]';
  -- Optional calendar model (README "Calendar model"). Services: name, length, buffer after each job, other names.
  --   '[{"name": "AC repair", "duration_minutes": 90, "buffer_minutes": 30, "aliases": ["air conditioning repair"]},
  --     {"name": "Duct cleaning", "duration_minutes": 120}]'
  v_services jsonb := '[]';
  -- Staff: one job at a time each; "services" lists what they do (left out = every service).
  --   '[{"name": "Maria Lopez", "services": ["AC repair"]}, {"name": "Priya Patel"}]'
  v_staff jsonb := '[]';
  -- ---- to here ---------------------------------------------------------------------------------------------------
  v_id uuid;
  v_member jsonb;
  v_staff_id uuid;
begin
  if v_organization_id like 'REPLACE_ME%' or v_name like 'REPLACE_ME%' or v_vapi_assistant_id like 'REPLACE_ME%' then
    raise exception 'onboard_tenant: replace the REPLACE_ME values before applying this migration';
  end if;
  v_id := v_organization_id::uuid;

  insert into public.organizations (id, name, timezone, slot_minutes, default_appointment_minutes, min_notice_minutes,
                                    max_advance_days)
  values (v_id, v_name, v_timezone, v_slot_minutes, v_default_appointment_minutes, v_min_notice_minutes,
          v_max_advance_days);

  insert into public.customer_configurations (organization_id, vapi_assistant_id, vapi_phone_number, primary_language,
                                              secondary_languages, is_active)
  values (v_id, v_vapi_assistant_id, v_vapi_phone_number, v_primary_language, v_secondary_languages, true);

  insert into public.business_hours (organization_id, weekday, opens_at, closes_at)
  select v_id, (h ->> 0)::smallint, (h ->> 1)::time, (h ->> 2)::time
  from jsonb_array_elements(v_hours) as h;

  insert into public.services (organization_id, name, duration_minutes, buffer_minutes, aliases)
  select v_id, v ->> 'name', (v ->> 'duration_minutes')::integer, coalesce((v ->> 'buffer_minutes')::integer, 0),
         array(select jsonb_array_elements_text(coalesce(v -> 'aliases', '[]')))
  from jsonb_array_elements(v_services) as v;

  for v_member in select * from jsonb_array_elements(v_staff) loop
    insert into public.staff_members (organization_id, name) values (v_id, v_member ->> 'name') returning id into v_staff_id;
    insert into public.staff_services (organization_id, staff_member_id, service_id)
    select v_id, v_staff_id, s.id
    from jsonb_array_elements_text(coalesce(v_member -> 'services', '[]')) as wanted(name)
    join public.services as s on s.organization_id = v_id and lower(s.name) = lower(wanted.name);
    if jsonb_array_length(coalesce(v_member -> 'services', '[]')) <> (
         select count(*) from public.staff_services as q where q.staff_member_id = v_staff_id) then
      raise exception 'onboard_tenant: % lists a service that is not in v_services', v_member ->> 'name';
    end if;
  end loop;
end
$$;
