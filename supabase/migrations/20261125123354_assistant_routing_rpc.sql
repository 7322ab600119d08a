-- =====================================================================================================================
-- Section - Public functions (the webhook RPC)
-- =====================================================================================================================

/**
  * assistant-request: a call reached a tenant's line that has no assistant set in Vapi. Answers with the assistant
  * of the ACTIVE configuration of that line (normalised to E.164) and records the call under that tenant so every
  * later event of the call resolves by call id. An unknown line gets a spoken refusal and writes nothing.
  * One indexed lookup: well inside Vapi's 7.5 s budget.
  */
create or replace function public.route_assistant_request(
  p_phone_number text default null,
  p_vapi_call_id text default null)
  returns jsonb
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
declare
  v_config public.customer_configurations;
begin
  select c.* into v_config
  from public.customer_configurations as c
  where c.vapi_phone_number = private.normalize_e164(p_phone_number)
    and c.is_active
    and c.vapi_assistant_id is not null;
  if v_config.id is null then
    return pg_catalog.jsonb_build_object('ok', false, 'reason', 'organization_not_found',
      'error', 'Sorry, this number is not set up to take calls yet. Please try again later.',
      'organization_id', null, 'resolved_by', null);
  end if;

  perform private.remember_call(p_vapi_call_id, v_config.organization_id, 'phone_number', v_config.vapi_assistant_id);
  return pg_catalog.jsonb_build_object('ok', true, 'reason', 'routed', 'assistant_id', v_config.vapi_assistant_id,
    'organization_id', v_config.organization_id, 'resolved_by', 'phone_number');
end;
$$;
revoke all on function public.route_assistant_request(text, text) from public, anon, authenticated;
grant execute on function public.route_assistant_request(text, text) to service_role;
