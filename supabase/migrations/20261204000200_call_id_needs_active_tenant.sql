-- =====================================================================================================================
-- Section - A deactivated tenant is not served through a call id seen earlier
-- =====================================================================================================================
-- "Inactive configurations never match" held for the assistant id and the line, but a call recorded while the tenant
-- was active still resolved it by its id after the configuration was switched off, and booked. The call id now
-- resolves only an organization with an active configuration. CREATE OR REPLACE keeps grants.

create or replace function private.resolve_organization(
  p_assistant_id text, p_phone_number text, p_vapi_call_id text, p_phone_number_id text default null,
  out organization_id uuid, out resolved_by text)
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_assistant_id text := nullif(pg_catalog.btrim(p_assistant_id), '');
  v_line_id text := nullif(pg_catalog.btrim(p_phone_number_id), '');
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

  if v_line_id is not null then
    select c.organization_id into organization_id
    from public.customer_configurations as c
    where c.vapi_phone_number_id = v_line_id and c.is_active;
    if found then
      resolved_by := 'phone_number';
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
    where l.vapi_call_id = v_call_id
      and exists (select 1 from public.customer_configurations as c
                  where c.organization_id = l.organization_id and c.is_active);
    if found then
      resolved_by := 'call_id';
      return;
    end if;
  end if;

  organization_id := null;
  resolved_by := null;
end;
$$;
