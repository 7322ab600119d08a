-- =====================================================================================================================
-- Section - Each lookup of a booking is one index probe on the key that decides it (issue 13; scripts/bench). Same
-- answers; generic plans (plpgsql caches them) no longer depend on the planner breaking a tie the right way.
-- CREATE OR REPLACE keeps grants and signatures.
-- =====================================================================================================================

/**
  * The staff member a job at [p_start, p_blocked_until) goes to, or null when none is free: p_prefer when free (a
  * rescheduled job keeps its person), else the free qualified one with the fewest active appointments that local
  * day, ties by name then id. The day's counts come from ONE range scan of the organization's appointments that day
  * (appointments_organization_id_start_time_idx; a staff member's appointments are always their organization's, by
  * the composite foreign key), not a probe of the staff GiST index per staff member.
  */
create or replace function private.pick_staff_member(
  p_organization public.organizations, p_service_id uuid, p_staff_member_id uuid, p_start timestamptz,
  p_blocked_until timestamptz, p_prefer uuid default null)
  returns uuid
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_day timestamp := pg_catalog.date_trunc('day', p_start at time zone p_organization.timezone);
  v_day_start timestamptz := v_day at time zone p_organization.timezone;
  v_day_end timestamptz := (v_day + interval '1 day') at time zone p_organization.timezone;
begin
  return (select f.staff_member_id
    from private.free_staff_members(p_organization.id, p_service_id, p_staff_member_id, array[p_start],
                                    p_blocked_until - p_start) as f
    join public.staff_members as s on s.organization_id = p_organization.id and s.id = f.staff_member_id
    left join (select a.staff_member_id, pg_catalog.count(*) as jobs
               from public.appointments as a
               where a.organization_id = p_organization.id
                 and a.start_time >= v_day_start and a.start_time < v_day_end
                 and a.is_active and a.staff_member_id is not null
               group by a.staff_member_id) as d on d.staff_member_id = f.staff_member_id
    order by f.staff_member_id = p_prefer desc nulls last, coalesce(d.jobs, 0), s.name, s.id
    limit 1);
end;
$$;

/**
  * The language a call is answered in: the language the caller switched to (call_logs.language), else the primary
  * language of the configuration that took the call (by assistant id, else the organization's oldest active one),
  * mapped onto the catalog; English when the catalog lacks it. The call log is found by its unique call id, then
  * checked against the organization (probed by organization, the scan grows with the organization's calls).
  */
create or replace function private.call_language(p_organization_id uuid, p_vapi_call_id text, p_assistant_id text)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return coalesce(private.catalog_language(coalesce(
    (select case when l.organization_id = p_organization_id then l.language end
     from public.call_logs as l
     where l.vapi_call_id = p_vapi_call_id),
    (select c.primary_language from public.customer_configurations as c
     where c.organization_id = p_organization_id and c.is_active
     order by c.vapi_assistant_id is not distinct from p_assistant_id desc, c.created_at
     limit 1))), 'en');
end;
$$;

/**
  * The catalog's language for a BCP 47 tag: the tag itself, else its base language (es-MX → es), else null. Two
  * probes of message_catalog_pkey (language, key) instead of sorting the catalog.
  */
create or replace function private.catalog_language(p_language text)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return (
    select u.language
    from pg_catalog.unnest(array[p_language, pg_catalog.split_part(p_language, '-', 1)]) with ordinality
           as u(language, rank)
    where exists (select 1 from private.message_catalog as m where m.language = u.language)
    order by u.rank
    limit 1);
end;
$$;

/**
  * Whether [p_start, p_end) lies inside one opening interval (private.opening_intervals: business hours, else whole
  * days; never on a closed date). The local day and the day before are two rows, each joined to its weekday's hours
  * by business_hours_window_unique (organization_id, weekday, …).
  */
create or replace function private.is_within_business_hours(
  p_organization_id uuid, p_timezone text, p_start timestamptz, p_end timestamptz)
  returns boolean
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_day timestamp := pg_catalog.date_trunc('day', p_start at time zone p_timezone);
begin
  return exists (
    select 1
    from (values (v_day - interval '1 day'), (v_day)) as d(day)
    join public.business_hours as h
      on h.organization_id = p_organization_id and h.weekday = extract(dow from d.day)::smallint
    where (d.day + h.opens_at) at time zone p_timezone <= p_start
      and p_start < (d.day + h.closes_at) at time zone p_timezone
      and p_end <= (d.day + h.closes_at) at time zone p_timezone
      and not exists (select 1 from public.closed_dates as c
                      where c.organization_id = p_organization_id and c.closed_on = d.day::date)
    union all
    select 1
    from (values (v_day - interval '1 day'), (v_day)) as d(day)
    where not exists (select 1 from public.business_hours as h where h.organization_id = p_organization_id)
      and d.day at time zone p_timezone <= p_start
      and p_start < (d.day + interval '1 day') at time zone p_timezone
      and not exists (select 1 from public.closed_dates as c
                      where c.organization_id = p_organization_id and c.closed_on = d.day::date));
end;
$$;

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

