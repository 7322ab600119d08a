-- =====================================================================================================================
-- Section - scripts/doctor reads a Vonage line's digits as the webhook does
-- =====================================================================================================================
-- Vonage writes its lines' numbers without the `+` (`15550100002`), and the webhook reads such digits on a Vonage
-- line as that E.164 number — but `scripts/doctor 15550100002` said "not a valid E.164 number" and "Organization not
-- found" (helper-118 #10). 8 to 15 digits without a `+` are now also looked up as `+<digits>`, said as a Vonage line's
-- number, and the E.164 finding says so. CREATE OR REPLACE keeps grants.

/**
  * The seed guide's Troubleshooting section as a function: for an assistant id, a phone number, Vapi's id of a line
  * or a call id, which organization it resolves to and by which method — the very resolver the webhook RPCs use — or
  * exactly why not. 8 to 15 digits without a `+` are also read as a Vonage line's number, as the webhook reads them on
  * a Vonage line. One finding per row: (check, verdict ok|warn|fail, detail).
  */
create or replace function private.diagnose_tenant_key(p_key text)
  returns table (check_name text, verdict text, detail text)
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_key text := pg_catalog.btrim(p_key);
  v_phone text := private.normalize_e164(p_key);
  v_looks_like_phone boolean := v_key ~ '^[+0-9][0-9 ().-]*$'
                                and pg_catalog.length(pg_catalog.regexp_replace(v_key, '[^0-9]', '', 'g')) >= 4;
  -- Digits as Vonage writes its lines' numbers (the webhook's reading on a Vonage line: _shared/schemas.ts onLine).
  v_vonage text := case when v_key ~ '^[1-9][0-9]{7,14}$' then '+' || v_key end;
  v_match record;
  v_row record;
  v_resolved boolean := false;
begin
  if v_key is null or v_key = '' then
    return query select 'input', 'fail', 'Give an assistant id, a phone number, a Vapi phone number id or a call id.';
    return;
  end if;

  for v_match in
    select m.method, r.organization_id, o.name, o.timezone
    from (values (1, 'assistant_id', v_key, null::text, null::text, null::text),
                 (2, 'phone_number_id', null, null, null, v_key),
                 (3, 'phone_number', null, v_key, null, null),
                 (4, 'call_id', null, null, v_key, null),
                 (5, 'phone_number (a Vonage line''s digits, read as ' || v_vonage || ')', null, v_vonage, null, null))
           as m (ord, method, assistant_id, phone, call_id, line_id)
    cross join lateral private.resolve_organization(m.assistant_id, m.phone, m.call_id, m.line_id) as r
    left join public.organizations as o on o.id = r.organization_id
    where r.organization_id is not null and (m.ord < 5 or v_vonage is not null)
    order by m.ord
  loop
    v_resolved := true;
    return query select 'resolves', 'ok', pg_catalog.format('As %s it resolves to %s (%s, %s).',
      v_match.method, v_match.name, v_match.organization_id, v_match.timezone);
  end loop;

  if v_looks_like_phone then
    if v_phone is null then
      return query select 'phone_number', case when v_vonage is null then 'fail' else 'warn' end, pg_catalog.format(
        '%s is not a valid E.164 number: write it as +<country code><number>, e.g. +15550100001%s.', v_key,
        case when v_vonage is not null then ' (on a Vonage line, whose numbers Vonage writes without the +, the webhook '
                                            || 'reads it as ' || v_vonage || ')' else '' end);
    elsif v_phone <> v_key then
      return query select 'phone_number', 'ok', pg_catalog.format('Normalised to %s before the lookup.', v_phone);
    end if;
  end if;

  for v_row in
    select c.*, o.name
    from public.customer_configurations as c join public.organizations as o on o.id = c.organization_id
    where c.vapi_assistant_id = v_key or c.vapi_phone_number = v_phone or c.vapi_phone_number_id = v_key
       or pg_catalog.lower(c.vapi_assistant_id) = pg_catalog.lower(v_key)
       or pg_catalog.lower(c.vapi_phone_number_id) = pg_catalog.lower(v_key)
  loop
    if not v_row.is_active then
      return query select 'configuration', 'warn', pg_catalog.format(
        'Configuration %s of %s matches but is_active = false, so it is ignored. Fix: update customer_configurations set is_active = true where id = %L;',
        v_row.id, v_row.name, v_row.id);
    elsif v_row.vapi_assistant_id is distinct from v_key and v_row.vapi_phone_number is distinct from v_phone
          and v_row.vapi_phone_number_id is distinct from v_key then
      return query select 'configuration', 'warn', pg_catalog.format(
        'Configuration %s of %s has %s %s, which differs from %s only in letter case (ids are exact).',
        v_row.id, v_row.name,
        case when pg_catalog.lower(v_row.vapi_assistant_id) = pg_catalog.lower(v_key) then 'assistant id'
             else 'Vapi phone number id' end,
        case when pg_catalog.lower(v_row.vapi_assistant_id) = pg_catalog.lower(v_key) then v_row.vapi_assistant_id
             else v_row.vapi_phone_number_id end,
        v_key);
    elsif (v_row.vapi_phone_number = v_phone or v_row.vapi_phone_number_id = v_key) and v_row.vapi_assistant_id is null then
      return query select 'configuration', 'warn', pg_catalog.format(
        'The line belongs to %s but has no vapi_assistant_id, so assistant-request cannot route calls on it.', v_row.name);
    end if;
  end loop;

  -- Duplicate active rows are impossible while the unique indexes exist; say so if someone dropped them.
  for v_row in
    select k.kind, k.value, pg_catalog.count(*) as n
    from public.customer_configurations as c
    cross join lateral (values ('assistant id', c.vapi_assistant_id), ('phone number', c.vapi_phone_number),
                               ('Vapi phone number id', c.vapi_phone_number_id)) as k (kind, value)
    where c.is_active and k.value is not null and k.value in (v_key, v_phone)
    group by k.kind, k.value having pg_catalog.count(*) > 1
  loop
    return query select 'duplicates', 'fail', pg_catalog.format(
      '%s active configurations share %s %s: the tenant is ambiguous. Deactivate all but one.', v_row.n, v_row.kind, v_row.value);
  end loop;

  if not v_resolved then
    return query select 'resolves', 'fail', pg_catalog.format(
      'Organization not found for this assistant: no ACTIVE customer_configurations row has vapi_assistant_id, vapi_phone_number or vapi_phone_number_id %s, and no call_logs row has vapi_call_id %s. Add the tenant with a migration from supabase/templates/onboard_tenant.sql (README "Add a tenant").',
      v_key, v_key);
  end if;
end;
$$;
