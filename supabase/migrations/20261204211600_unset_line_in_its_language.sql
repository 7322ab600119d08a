-- =====================================================================================================================
-- Section - A line without an assistant yet is refused in its own language
-- =====================================================================================================================
-- route_assistant_request answered every line it could not route in English (the sentence was written in the
-- function), also a Spanish business's line whose configuration has no assistant yet (helper-54 #4). The sentence is
-- now the catalog's `route.not_set_up`, in that configuration's primary language; a line nobody has stays English.
-- pgTAP 84. CREATE OR REPLACE keeps grants.

insert into private.message_catalog (language, key, template) values
  ('en', 'route.not_set_up', 'Sorry, this number is not set up to take calls yet. Please try again later.'),
  ('es', 'route.not_set_up', 'Lo siento, este número todavía no atiende llamadas. Inténtelo más tarde.')
on conflict (language, key) do update set template = excluded.template;

create or replace function public.route_assistant_request(
  p_phone_number text default null,
  p_vapi_call_id text default null,
  p_phone_number_id text default null)
  returns jsonb
  language plpgsql
  volatile
  security definer
  set search_path = ''
  set lock_timeout = '1s' -- the webhook RPCs' time budget (20261129130000_rpc_time_budget.sql)
  set statement_timeout = '4s'
as $$
declare
  v_config public.customer_configurations;
begin
  select c.* into v_config
  from public.customer_configurations as c
  where c.is_active and c.vapi_assistant_id is not null
    and (c.vapi_phone_number_id = nullif(pg_catalog.btrim(p_phone_number_id), '')
         or c.vapi_phone_number = private.normalize_e164(p_phone_number))
  order by c.vapi_phone_number_id is not distinct from nullif(pg_catalog.btrim(p_phone_number_id), '') desc
  limit 1;
  if v_config.id is null then
    -- Said in the language of the line's own configuration when it has one without an assistant yet; English for a
    -- line nobody has. No tenant is named and nothing is written either way.
    return pg_catalog.jsonb_build_object('ok', false, 'reason', 'organization_not_found',
      'error', private.say(coalesce(private.catalog_language(
                 (select c.primary_language from public.customer_configurations as c
                  where c.is_active
                    and (c.vapi_phone_number_id = nullif(pg_catalog.btrim(p_phone_number_id), '')
                         or c.vapi_phone_number = private.normalize_e164(p_phone_number))
                  order by c.created_at
                  limit 1)), 'en'), 'route.not_set_up'),
      'organization_id', null, 'resolved_by', null);
  end if;

  if private.remember_call(p_vapi_call_id, v_config.organization_id, 'phone_number', v_config.vapi_assistant_id) then
    update public.call_logs as l set status = 'ringing' where l.vapi_call_id = pg_catalog.btrim(p_vapi_call_id);
  end if;
  return pg_catalog.jsonb_build_object('ok', true, 'reason', 'routed', 'assistant_id', v_config.vapi_assistant_id,
    'organization_id', v_config.organization_id, 'resolved_by', 'phone_number',
    'language', coalesce(private.catalog_language(v_config.primary_language), 'en'));
end;
$$;
