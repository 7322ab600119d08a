-- =====================================================================================================================
-- Section - assistant-request names what it found
-- =====================================================================================================================
-- A line whose configuration has no assistant yet answered `organization_not_found` with no organization, so the log
-- line pointed an operator at the wrong cause; it is now `assistant_not_set` under the line's organization (the spoken
-- answer is the same: the number is not set up yet). A call id recorded for another organization is left alone, as
-- before, and now says so (`call_of_another_organization`, a warning log line), as call events do. CREATE OR REPLACE
-- keeps grants.
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
  v_reason text := 'routed';
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
    -- line nobody has. Nothing is written either way.
    return pg_catalog.jsonb_build_object('ok', false,
      'reason', case when v_config.organization_id is null then 'organization_not_found' else 'assistant_not_set' end,
      'error', private.say(coalesce(private.catalog_language(v_config.primary_language), 'en'), 'route.not_set_up'),
      'organization_id', v_config.organization_id,
      'resolved_by', case when v_config.organization_id is not null then 'phone_number' end);
  end if;

  if private.remember_call(p_vapi_call_id, v_config.organization_id, 'phone_number', v_config.vapi_assistant_id) then
    update public.call_logs as l set status = 'ringing' where l.vapi_call_id = pg_catalog.btrim(p_vapi_call_id);
  elsif exists (select from public.call_logs as l
                where l.vapi_call_id = pg_catalog.btrim(p_vapi_call_id)
                  and l.organization_id <> v_config.organization_id) then
    v_reason := 'call_of_another_organization';
  end if;
  return pg_catalog.jsonb_build_object('ok', true, 'reason', v_reason, 'assistant_id', v_config.vapi_assistant_id,
    'organization_id', v_config.organization_id, 'resolved_by', 'phone_number',
    'language', coalesce(private.catalog_language(v_config.primary_language), 'en'));
end;
$$;
