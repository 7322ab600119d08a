-- =====================================================================================================================
-- Section - The booking path without per-tenant-count work (issue 13; scripts/bench measures it)
-- =====================================================================================================================

/**
  * The staff member a job at [p_start, p_blocked_until) goes to, or null when none is free: p_prefer when free (a
  * rescheduled job keeps its person), else the free qualified one with the fewest active appointments that local
  * day, ties by name then id. Staff rows are read by organization: joined by id alone, the planner hashed every
  * organization's staff (a scan that grew with the number of tenants).
  */
create or replace function private.pick_staff_member(
  p_organization public.organizations, p_service_id uuid, p_staff_member_id uuid, p_start timestamptz,
  p_blocked_until timestamptz, p_prefer uuid default null)
  returns uuid
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return (select f.staff_member_id
    from private.free_staff_members(p_organization.id, p_service_id, p_staff_member_id, array[p_start],
                                    p_blocked_until - p_start) as f
    join public.staff_members as s on s.organization_id = p_organization.id and s.id = f.staff_member_id
    order by f.staff_member_id = p_prefer desc nulls last,
             (select count(*) from public.appointments as a
              where a.staff_member_id = f.staff_member_id and a.is_active
                and a.start_time >= (pg_catalog.date_trunc('day', p_start at time zone p_organization.timezone)
                                       at time zone p_organization.timezone)
                and a.start_time < ((pg_catalog.date_trunc('day', p_start at time zone p_organization.timezone)
                                       + interval '1 day') at time zone p_organization.timezone)),
             s.name, s.id
    limit 1);
end;
$$;

/**
  * Records which organization a call belongs to (first writer wins) so later events resolve by call id; true when
  * this call created the row. plpgsql: PostgreSQL 15 re-plans a `language sql` body with a SET clause on every call.
  */
create or replace function private.remember_call(
  p_vapi_call_id text, p_organization_id uuid, p_resolved_by text, p_assistant_id text)
  returns boolean
  language plpgsql
  volatile
  set search_path = ''
as $$
begin
  if nullif(pg_catalog.btrim(p_vapi_call_id), '') is null then
    return false;
  end if;
  insert into public.call_logs (organization_id, vapi_call_id, resolved_by, vapi_assistant_id)
  values (p_organization_id, pg_catalog.btrim(p_vapi_call_id), p_resolved_by, nullif(pg_catalog.btrim(p_assistant_id), ''))
  on conflict (vapi_call_id) do nothing;
  return found;
end;
$$;

-- =====================================================================================================================
-- Section - The four tool RPCs as plpgsql: the same one call of private.run_tool_call in ONE transaction, but a
-- `language sql` body with SET clauses is parsed and planned again on every call in PostgreSQL 15. CREATE OR
-- REPLACE resets a function's settings, so the time budget of 20261129130000_rpc_time_budget.sql is restated;
-- grants are kept. Signatures unchanged (docs/rpc-contract.md).
-- =====================================================================================================================
do $$
declare
  v_rpc record;
begin
  for v_rpc in
    select r.rpc, r.tool
    from (values ('resolve_org_and_book', 'book_appointment'),
                 ('resolve_org_and_check_availability', 'check_availability'),
                 ('resolve_org_and_cancel', 'cancel_appointment'),
                 ('resolve_org_and_reschedule', 'reschedule_appointment')) as r(rpc, tool)
  loop
    execute pg_catalog.format($sql$
      create or replace function public.%I(
        p_assistant_id text default null, p_phone_number text default null, p_vapi_call_id text default null,
        p_tool_call_id text default null, p_arguments jsonb default '{}'::jsonb, p_phone_number_id text default null,
        p_caller_phone text default null)
        returns jsonb
        language plpgsql
        volatile
        security definer
        set search_path = ''
        set lock_timeout = '1s'
        set statement_timeout = '4s'
      as $body$
      begin
        return private.run_tool_call(%L, p_assistant_id, p_phone_number, p_vapi_call_id, p_tool_call_id, p_arguments,
                                     p_phone_number_id, p_caller_phone);
      end;
      $body$
    $sql$, v_rpc.rpc, v_rpc.tool);
  end loop;
end;
$$;

-- =====================================================================================================================
-- Section - Fewer statements per tool call: plpgsql evaluates a plain expression in-line, while `return (select …)`
-- or a query over unnest() runs the executor. Same results.
-- =====================================================================================================================

/** The one response shape every webhook tool RPC returns (docs/rpc-contract.md); `language` is the spoken text's. */
create or replace function private.tool_response(
  p_ok boolean, p_text text, p_reason text, p_organization_id uuid, p_resolved_by text, p_language text)
  returns jsonb
  language plpgsql
  immutable
  set search_path = ''
as $$
begin
  return pg_catalog.jsonb_build_object(
    'ok', p_ok,
    'result', case when p_ok then p_text end,
    'error', case when not p_ok then p_text end,
    'reason', p_reason,
    'organization_id', p_organization_id,
    'resolved_by', p_resolved_by,
    'language', p_language,
    'replayed', false);
end;
$$;

/** The first of p_keys whose argument is present but neither a string nor null (a name sent as an object). */
create or replace function private.non_text_argument(p_arguments jsonb, p_keys text[])
  returns text
  language plpgsql
  immutable
  set search_path = ''
as $$
declare
  v_key text;
begin
  foreach v_key in array coalesce(p_keys, '{}') loop
    if pg_catalog.jsonb_typeof(p_arguments -> v_key) not in ('string', 'null') then
      return v_key;
    end if;
  end loop;
  return null;
end;
$$;

/** ` for Furnace repair with Maria` / ` (Reparación) con María`: what and with whom, in the call's language. */
create or replace function private.appointment_details(p_language text, p_service text, p_staff_name text)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return case when p_service is not null
              then private.say(p_language, 'appointment.for_service', pg_catalog.jsonb_build_object('service', p_service))
              else '' end
      || case when p_staff_name is not null
              then private.say(p_language, 'appointment.with_staff', pg_catalog.jsonb_build_object('staff', p_staff_name))
              else '' end;
end;
$$;

/**
  * The language a call is answered in: the language the caller switched to (call_logs.language), else the primary
  * language of the configuration that took the call (by assistant id, else the organization's oldest active one),
  * mapped onto the catalog; English when the catalog lacks it. One query (a call id has at most one call log).
  */
create or replace function private.call_language(p_organization_id uuid, p_vapi_call_id text, p_assistant_id text)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return coalesce(private.catalog_language(coalesce(
    (select l.language from public.call_logs as l
     where l.vapi_call_id = p_vapi_call_id and l.organization_id = p_organization_id),
    (select c.primary_language from public.customer_configurations as c
     where c.organization_id = p_organization_id and c.is_active
     order by c.vapi_assistant_id is not distinct from p_assistant_id desc, c.created_at
     limit 1))), 'en');
end;
$$;

/** `Times are in New York time.` in the call's language. */
create or replace function private.zone_sentence(p_call private.tool_call_context)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return private.say(p_call.language, 'slots.zone',
    pg_catalog.jsonb_build_object('zone', private.spoken_zone((p_call.organization).timezone, p_call.language)));
end;
$$;

/** The spoken refusal when nobody (or the person asked for) is free then, with the nearest open times. */
create or replace function private.taken_message(
  p_call private.tool_call_context, p_staff public.staff_members, p_start timestamptz, p_duration interval,
  p_buffer interval, p_service_id uuid)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return case when p_staff.id is not null
              then private.say(p_call.language, 'staff.busy', pg_catalog.jsonb_build_object('staff', p_staff.name))
              else private.say(p_call.language, 'slot.taken') end
      || ' ' || private.nearest_open_times_sentence(p_call, p_start, p_duration, p_buffer, p_service_id, p_staff.id);
end;
$$;
