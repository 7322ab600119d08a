-- =====================================================================================================================
-- Section - Tenant resolution
-- =====================================================================================================================

/**
  * Which organization a Vapi event belongs to, and how that was decided, in the contract's order:
  *   1. assistant id  → the ACTIVE customer_configurations row with that vapi_assistant_id
  *   2. the tenant's own line (E.164 after normalising spaces, dashes, brackets) → ACTIVE vapi_phone_number
  *   3. call id       → call_logs.vapi_call_id written by an earlier event of the same call
  * Both outputs are null when nothing matches. There is no default tenant. The caller's own number
  * (customer.number) is never an input.
  */
create or replace function private.resolve_organization(
  p_assistant_id text, p_phone_number text, p_vapi_call_id text,
  out organization_id uuid, out resolved_by text)
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_assistant_id text := nullif(pg_catalog.btrim(p_assistant_id), '');
  v_phone text := private.normalize_e164(p_phone_number);
  v_call_id text := nullif(pg_catalog.btrim(p_vapi_call_id), '');
begin
  if v_assistant_id is not null then
    select c.organization_id into organization_id
    from public.customer_configurations as c
    where c.vapi_assistant_id = v_assistant_id and c.is_active;
    if found then
      resolved_by := 'assistant_id';
      return;
    end if;
  end if;

  if v_phone is not null then
    select c.organization_id into organization_id
    from public.customer_configurations as c
    where c.vapi_phone_number = v_phone and c.is_active;
    if found then
      resolved_by := 'phone_number';
      return;
    end if;
  end if;

  if v_call_id is not null then
    select l.organization_id into organization_id
    from public.call_logs as l
    where l.vapi_call_id = v_call_id;
    if found then
      resolved_by := 'call_id';
      return;
    end if;
  end if;

  organization_id := null;
  resolved_by := null;
end;
$$;

/** Records the call under its tenant so later events of the same call resolve by call id. Never re-homes a call. */
create or replace function private.remember_call(
  p_vapi_call_id text, p_organization_id uuid, p_resolved_by text, p_assistant_id text)
  returns void
  language sql
  volatile
  set search_path = ''
as $$
  insert into public.call_logs (organization_id, vapi_call_id, resolved_by, vapi_assistant_id)
  select p_organization_id, pg_catalog.btrim(p_vapi_call_id), p_resolved_by, nullif(pg_catalog.btrim(p_assistant_id), '')
  where nullif(pg_catalog.btrim(p_vapi_call_id), '') is not null
  on conflict (vapi_call_id) do nothing
$$;
