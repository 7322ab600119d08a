-- =====================================================================================================================
-- Section - The human a call is transferred to (Vapi's transfer-destination-request)
-- =====================================================================================================================
-- Set by a DB admin per configuration: `update customer_configurations set transfer_phone_number = '+1…' where …`.
alter table public.customer_configurations
  add column transfer_phone_number text constraint customer_configurations_transfer_phone_is_e164
    check (transfer_phone_number is null or transfer_phone_number ~ '^\+[1-9][0-9]{6,14}$');

/**
  * transfer-destination-request: where the assistant hands the caller to a human. Resolves the tenant like every
  * webhook RPC, then takes the transfer number of the configuration that took the call (by assistant id, else the
  * organization's oldest active configuration that has one). Reads only.
  * Answer: { ok: true, destination (E.164), language, organization_id, resolved_by, reason: 'transfer' }, or
  * { ok: false, reason: 'organization_not_found' | 'no_transfer_destination', language, organization_id, resolved_by }.
  */
create or replace function public.transfer_destination(
  p_assistant_id text default null,
  p_phone_number text default null,
  p_vapi_call_id text default null,
  p_phone_number_id text default null)
  returns jsonb
  language plpgsql
  stable
  security definer
  set search_path = ''
as $$
declare
  v_organization_id uuid;
  v_resolved_by text;
  v_call_id text := nullif(pg_catalog.btrim(p_vapi_call_id), '');
  v_assistant_id text;
  v_destination text;
begin
  select r.organization_id, r.resolved_by into v_organization_id, v_resolved_by
  from private.resolve_organization(p_assistant_id, p_phone_number, v_call_id, p_phone_number_id) as r;
  if v_organization_id is null then
    return pg_catalog.jsonb_build_object('ok', false, 'reason', 'organization_not_found', 'language', 'en',
      'organization_id', null, 'resolved_by', null);
  end if;

  select coalesce(nullif(pg_catalog.btrim(p_assistant_id), ''), l.vapi_assistant_id) into v_assistant_id
  from (select 1) as one
  left join public.call_logs as l on l.vapi_call_id = v_call_id and l.organization_id = v_organization_id;
  select c.transfer_phone_number into v_destination
  from public.customer_configurations as c
  where c.organization_id = v_organization_id and c.is_active and c.transfer_phone_number is not null
  order by c.vapi_assistant_id is not distinct from v_assistant_id desc, c.created_at
  limit 1;
  return pg_catalog.jsonb_build_object('ok', v_destination is not null,
    'reason', case when v_destination is null then 'no_transfer_destination' else 'transfer' end,
    'destination', v_destination,
    'language', private.call_language(v_organization_id, v_call_id, v_assistant_id),
    'organization_id', v_organization_id, 'resolved_by', v_resolved_by);
end;
$$;
revoke all on function public.transfer_destination(text, text, text, text) from public, anon, authenticated;
grant execute on function public.transfer_destination(text, text, text, text) to service_role;
