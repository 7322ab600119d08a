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
