-- =====================================================================================================================
-- Section - Fewer executor starts: a plpgsql assignment of a plain expression is evaluated in-line, while
-- `select … from f()`, PERFORM or a subquery over unnest() each start the executor (~30 000 instructions a statement
-- by callgrind on this machine). Same results.
-- =====================================================================================================================

/**
  * Who is asking and for which organization (private.resolve_organization: assistant id → line → call id), in the
  * call's language; claims the tool call id in the ledger (a replay gets the stored answer). Nothing is written when
  * the organization is unknown.
  */
create or replace function private.begin_tool_call(
  p_assistant_id text, p_phone_number text, p_vapi_call_id text, p_tool_call_id text, p_tool_name text,
  p_arguments jsonb, p_phone_number_id text, p_caller_phone text)
  returns private.tool_call_context
  language plpgsql
  volatile
  set search_path = ''
as $$
declare
  v_context private.tool_call_context;
  v_resolved record;
begin
  v_context.vapi_call_id := nullif(pg_catalog.btrim(p_vapi_call_id), '');
  v_context.assistant_id := nullif(pg_catalog.btrim(p_assistant_id), '');
  v_context.caller_phone := private.normalize_e164(p_caller_phone);
  v_context.arguments := case when pg_catalog.jsonb_typeof(p_arguments) = 'object' then p_arguments else '{}' end;
  v_resolved := private.resolve_organization(p_assistant_id, p_phone_number, v_context.vapi_call_id,
                                             p_phone_number_id);
  v_context.organization_id := v_resolved.organization_id;
  v_context.resolved_by := v_resolved.resolved_by;
  if v_context.organization_id is null then
    -- The seed guide's wording (no tenant, so no tenant language); nothing is written.
    v_context.answer := private.tool_response(false, 'Organization not found for this assistant',
                                              'organization_not_found', null, null, 'en');
    return v_context;
  end if;
  select o into v_context.organization from public.organizations as o where o.id = v_context.organization_id;
  v_context.language := private.call_language(v_context.organization_id, v_context.vapi_call_id,
                                              v_context.assistant_id);
  if v_context.vapi_call_id is null then
    return v_context;
  end if;

  v_context.tool_call_key := coalesce(nullif(pg_catalog.btrim(p_tool_call_id), ''),
    'function-call:' || p_tool_name || ':' || pg_catalog.md5(v_context.arguments::text));
  insert into public.tool_call_executions (vapi_call_id, tool_call_id, organization_id, tool_name)
  values (v_context.vapi_call_id, v_context.tool_call_key, v_context.organization_id, p_tool_name)
  on conflict (vapi_call_id, tool_call_id) do nothing;
  if not found then
    select case
             when e.organization_id = v_context.organization_id
               then e.response || pg_catalog.jsonb_build_object('replayed', true)
             else private.tool_response(false, private.say(v_context.language, 'tool.conflict'), 'tool_call_conflict',
                                        v_context.organization_id, v_context.resolved_by, v_context.language)
           end
      into v_context.answer
    from public.tool_call_executions as e
    where e.vapi_call_id = v_context.vapi_call_id and e.tool_call_id = v_context.tool_call_key;
  end if;
  return v_context;
end;
$$;

/** Stores the answer under the claimed tool call id (or releases the claim) and remembers the call's organization. */
create or replace function private.finish_tool_call(p_context private.tool_call_context, p_outcome private.tool_outcome)
  returns jsonb
  language plpgsql
  volatile
  set search_path = ''
as $$
declare
  v_response jsonb := private.tool_response(p_outcome.ok, p_outcome.text, p_outcome.reason,
    p_context.organization_id, p_context.resolved_by, p_context.language);
  v_remembered boolean; -- assigned, not PERFORMed: see this section's header
begin
  if p_context.vapi_call_id is null then
    return v_response;
  end if;
  if p_outcome.keep then
    update public.tool_call_executions as e set response = v_response
    where e.vapi_call_id = p_context.vapi_call_id and e.tool_call_id = p_context.tool_call_key;
    v_remembered := private.remember_call(p_context.vapi_call_id, p_context.organization_id, p_context.resolved_by,
                                          p_context.assistant_id);
  else
    delete from public.tool_call_executions as e
    where e.vapi_call_id = p_context.vapi_call_id and e.tool_call_id = p_context.tool_call_key;
  end if;
  return v_response;
end;
$$;

/**
  * For each candidate start, the active staff members of the organization who perform the service (no staff_services
  * rows = every service), work then (their staff_hours, if they have any), are not on time off and have no active
  * appointment overlapping [start, start + p_length) — p_length is the job plus its buffer. Restricted to
  * p_staff_member_id when given. Set-based: a whole slot search is one call.
  */
create or replace function private.free_staff_members(
  p_organization_id uuid, p_service_id uuid, p_staff_member_id uuid, p_starts timestamptz[], p_length interval)
  returns table (start_at timestamptz, staff_member_id uuid)
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_timezone text := (select o.timezone from public.organizations as o where o.id = p_organization_id);
  v_start timestamptz;
  v_first timestamptz;
  v_last timestamptz;
  -- Everything the search can touch; each person's busy time in it is read once, as one multirange.
  v_window tstzrange;
begin
  if coalesce(pg_catalog.cardinality(p_starts), 0) = 0 then
    return;
  end if;
  foreach v_start in array p_starts loop -- min and max in-line (least/greatest skip nulls, as min/max do)
    v_first := least(v_first, v_start);
    v_last := greatest(v_last, v_start);
  end loop;
  v_window := pg_catalog.tstzrange(v_first, v_last + p_length, '[)');
  return query
    with busy as materialized (
      select s.id,
             coalesce((select pg_catalog.range_agg(b.during)
                       from (select a.blocked_during as during from public.appointments as a
                             where a.staff_member_id = s.id and a.is_active and a.blocked_during && v_window
                             union all
                             select pg_catalog.tstzrange(t.starts_at, t.ends_at, '[)') from public.staff_time_off as t
                             where t.staff_member_id = s.id and t.starts_at < pg_catalog.upper(v_window)
                               and t.ends_at > pg_catalog.lower(v_window)) as b),
                      '{}'::pg_catalog.tstzmultirange) as during,
             exists (select 1 from public.staff_hours as h where h.staff_member_id = s.id) as has_hours
      from public.staff_members as s
      where s.organization_id = p_organization_id
        and s.is_active
        and (p_staff_member_id is null or s.id = p_staff_member_id)
        and (p_service_id is null
             or not exists (select 1 from public.staff_services as q where q.staff_member_id = s.id)
             or exists (select 1 from public.staff_services as q
                        where q.staff_member_id = s.id and q.service_id = p_service_id))
    )
    select c.start_at, b.id
    from pg_catalog.unnest(p_starts) as c(start_at)
    cross join busy as b
    where not (b.during && pg_catalog.tstzrange(c.start_at, c.start_at + p_length, '[)'))
      and (not b.has_hours
           or exists (select 1 from public.staff_hours as h
                      where h.staff_member_id = b.id
                        and h.weekday = extract(dow from c.start_at at time zone v_timezone)
                        and (c.start_at at time zone v_timezone)::time >= h.opens_at
                        and (c.start_at + p_length) at time zone v_timezone
                              <= (c.start_at at time zone v_timezone)::date + h.closes_at));
end;
$$;


