-- route_assistant_request matched the line twice: once for a configuration with an assistant, and again, when none had
-- one, for the refusal's language (20261204211600). One match now serves both: the line's active configuration with an
-- assistant first, else the one without (its language says the refusal). A line has at most one active configuration
-- by id and one by number (the unique partial indexes), so the match reads at most two rows. Answers are unchanged
-- (pgTAP 84, 11; 84 covers two configurations without one, helper-56). CREATE OR REPLACE keeps grants.

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
  where c.is_active
    and (c.vapi_phone_number_id = nullif(pg_catalog.btrim(p_phone_number_id), '')
         or c.vapi_phone_number = private.normalize_e164(p_phone_number))
  order by c.vapi_assistant_id is not null desc, -- one to route to; of those, the one matched by line id
           c.vapi_assistant_id is not null
             and c.vapi_phone_number_id is not distinct from nullif(pg_catalog.btrim(p_phone_number_id), '') desc,
           c.created_at -- none to route to: the oldest says the refusal, as before
  limit 1;
  if v_config.vapi_assistant_id is null then
    -- Said in the language of the line's own configuration when it has one without an assistant yet; English for a
    -- line nobody has. No tenant is named and nothing is written either way.
    return pg_catalog.jsonb_build_object('ok', false, 'reason', 'organization_not_found',
      'error', private.say(coalesce(private.catalog_language(v_config.primary_language), 'en'), 'route.not_set_up'),
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
