-- Tenant onboarding template. Copy it into a new migration and fill in the values at the top:
--
--   scripts/supabase migration new onboard_acme_heating
--   cp supabase/templates/onboard_tenant.sql supabase/migrations/<the new file>.sql   # then edit the values
--   scripts/supabase db push --remote                                                  # the linked hosted project
--   scripts/dev                                                     # or: the local stack applies it on its next start
--
-- One transaction: the organization, its Vapi configuration and its weekly hours land together or not at all.
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
  -- weekday (0 = Sunday … 6 = Saturday), opens, closes — local time in v_timezone. No rows = open 24/7.
  v_hours jsonb := '[[1, "08:00", "17:00"], [2, "08:00", "17:00"], [3, "08:00", "17:00"],
                     [4, "08:00", "17:00"], [5, "08:00", "17:00"]]';
  -- ---- to here ---------------------------------------------------------------------------------------------------
  v_id uuid;
begin
  if v_organization_id like 'REPLACE_ME%' or v_name like 'REPLACE_ME%' or v_vapi_assistant_id like 'REPLACE_ME%' then
    raise exception 'onboard_tenant: replace the REPLACE_ME values before applying this migration';
  end if;
  v_id := v_organization_id::uuid;

  insert into public.organizations (id, name, timezone, slot_minutes, default_appointment_minutes)
  values (v_id, v_name, v_timezone, v_slot_minutes, v_default_appointment_minutes);

  insert into public.customer_configurations (organization_id, vapi_assistant_id, vapi_phone_number, primary_language,
                                              secondary_languages, is_active)
  values (v_id, v_vapi_assistant_id, v_vapi_phone_number, v_primary_language, v_secondary_languages, true);

  insert into public.business_hours (organization_id, weekday, opens_at, closes_at)
  select v_id, (h ->> 0)::smallint, (h ->> 1)::time, (h ->> 2)::time
  from jsonb_array_elements(v_hours) as h;
end
$$;
