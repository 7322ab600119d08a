-- =====================================================================================================================
-- Section - Texts are on when any active configuration turns them on
-- =====================================================================================================================
-- The seed guide's Step 2 adds a configuration with `"enabled": true` to an organization that already has one; texts
-- were read from the oldest active configuration only, so they stayed silently off (helper-48 #1). The settings now come
-- from the oldest active configuration that turns texts on (JSON true, as private.jsonb_flag reads it), else from the
-- oldest active one as before. pgTAP 80.

/**
  * An organization's SMS settings, from the `sms_preferences` of its oldest active configuration that turns texts on
  * (else of its oldest active configuration):
  *   enabled (default false), confirmation / reminder (default true), changes (cancel/reschedule notices, default =
  *   confirmation), reminder_hours_before (default 24, > 0 and ≤ 720), quiet_hours {"start","end"} local HH:MM
  *   (default 21:00–08:00; JSON null = none), from_number (E.164; default: the configuration's Vapi line).
  * Invalid values fall back to the defaults. language = the configuration's primary language on the catalog.
  * When texts are off, only enabled (false), from_phone and the quiet hours are set (texts queued before still go out).
  */
create or replace function private.sms_settings(p_organization_id uuid,
  out enabled boolean, out confirmation boolean, out reminder boolean, out changes boolean,
  out reminder_lead interval, out quiet_start time, out quiet_end time, out language text, out from_phone text)
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_config public.customer_configurations;
  v_prefs jsonb;
  v_hours numeric;
begin
  select c.* into v_config from public.customer_configurations as c
  where c.organization_id = p_organization_id and c.is_active
  order by c.sms_preferences -> 'enabled' = 'true'::jsonb desc nulls last, c.created_at, c.id
  limit 1;
  v_prefs := case when pg_catalog.jsonb_typeof(v_config.sms_preferences) = 'object' then v_config.sms_preferences
                  else '{}'::jsonb end;
  enabled := private.jsonb_flag(v_prefs, 'enabled', false);
  from_phone := coalesce(private.normalize_e164(v_prefs ->> 'from_number'), v_config.vapi_phone_number);
  quiet_start := time '21:00';
  quiet_end := time '08:00';
  if v_prefs ? 'quiet_hours' then
    if pg_catalog.jsonb_typeof(v_prefs -> 'quiet_hours') = 'null' then
      quiet_start := time '00:00';
      quiet_end := time '00:00';
    else
      quiet_start := coalesce(private.parse_clock(v_prefs #>> '{quiet_hours,start}'), quiet_start);
      quiet_end := coalesce(private.parse_clock(v_prefs #>> '{quiet_hours,end}'), quiet_end);
    end if;
  end if;
  if not enabled then -- the rest only matters to an organization that sends texts (every booking asks)
    return;
  end if;
  confirmation := private.jsonb_flag(v_prefs, 'confirmation', true);
  reminder := private.jsonb_flag(v_prefs, 'reminder', true);
  changes := private.jsonb_flag(v_prefs, 'changes', confirmation);
  if pg_catalog.jsonb_typeof(v_prefs -> 'reminder_hours_before') = 'number' then
    v_hours := (v_prefs ->> 'reminder_hours_before')::numeric;
  end if;
  reminder_lead := pg_catalog.make_interval(
    secs => (case when v_hours > 0 and v_hours <= 720 then v_hours else 24 end * 3600)::double precision);
  language := coalesce(private.catalog_language(v_config.primary_language), 'en');
end;
$$;
