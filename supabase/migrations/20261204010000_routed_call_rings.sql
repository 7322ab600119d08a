-- =====================================================================================================================
-- Section - A call routed by assistant-request is logged as ringing
-- =====================================================================================================================
-- assistant-request arrives while the call rings, before anyone answers. remember_call's default status is
-- `in-progress`, and a later `ringing` or `in-progress` status-update without a usable time ranks no higher, so the
-- log claimed the call was answered before it was. The routed call is now logged as `ringing`. CREATE OR REPLACE
-- resets a function's settings: the time budget of 20261129130000_rpc_time_budget.sql is restated; grants are kept.

/**
  * assistant-request: a call reached a tenant's line that has no assistant set in Vapi. Answers with the assistant
  * of the ACTIVE configuration of that line — found by Vapi's line id (`call.phoneNumberId` / `phoneNumber.id`),
  * else by its number normalised to E.164 — and records the call under that tenant, as `ringing`, so every later
  * event of the call resolves by call id. An unknown line gets a spoken refusal and writes nothing. Indexed lookups
  * only: well inside Vapi's 7.5 s budget. `language` is the configuration's primary language as the catalog has it
  * (else `en`).
  */
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
    return pg_catalog.jsonb_build_object('ok', false, 'reason', 'organization_not_found',
      'error', 'Sorry, this number is not set up to take calls yet. Please try again later.',
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
