-- =====================================================================================================================
-- Section - Opening hours as intervals (one source for "is the business open then")
-- =====================================================================================================================

/**
  * The organization's opening intervals for the local days around [p_from, p_to], in its zone: a job fits when
  * `opens <= start < last_start` and `end <= closes`. Weekly hours minus closed dates; an organization without hours
  * rows is open around the clock on every day that is not closed (a job may run past midnight).
  */
create or replace function private.opening_intervals(
  p_organization_id uuid, p_timezone text, p_from timestamptz, p_to timestamptz)
  returns table (opens timestamptz, last_start timestamptz, closes timestamptz)
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  if exists (select 1 from public.business_hours as h where h.organization_id = p_organization_id) then
    return query
      select (d.day + h.opens_at) at time zone p_timezone, (d.day + h.closes_at) at time zone p_timezone,
             (d.day + h.closes_at) at time zone p_timezone
      from pg_catalog.generate_series(pg_catalog.date_trunc('day', p_from at time zone p_timezone) - interval '1 day',
                                      p_to at time zone p_timezone, interval '1 day') as d(day)
      join public.business_hours as h
        on h.organization_id = p_organization_id and h.weekday = extract(dow from d.day)
      where not exists (select 1 from public.closed_dates as c
                        where c.organization_id = p_organization_id and c.closed_on = d.day::date);
  else
    return query
      select d.day at time zone p_timezone, (d.day + interval '1 day') at time zone p_timezone,
             'infinity'::timestamptz
      from pg_catalog.generate_series(pg_catalog.date_trunc('day', p_from at time zone p_timezone) - interval '1 day',
                                      p_to at time zone p_timezone, interval '1 day') as d(day)
      where not exists (select 1 from public.closed_dates as c
                        where c.organization_id = p_organization_id and c.closed_on = d.day::date);
  end if;
end;
$$;

/** True when [p_start, p_end) lies inside one opening interval of the organization (private.opening_intervals). */
create or replace function private.is_within_business_hours(
  p_organization_id uuid, p_timezone text, p_start timestamptz, p_end timestamptz)
  returns boolean
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return exists (select 1 from private.opening_intervals(p_organization_id, p_timezone, p_start, p_start) as i
                 where i.opens <= p_start and p_start < i.last_start and p_end <= i.closes);
end;
$$;

-- =====================================================================================================================
-- Section - Who is free (one source for capacity, qualifications, time off and buffers)
-- =====================================================================================================================

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
  -- Everything the search can touch; each person's busy time in it is read once, as one multirange.
  v_window tstzrange := pg_catalog.tstzrange((select min(x) from pg_catalog.unnest(p_starts) as x),
                                             (select max(x) from pg_catalog.unnest(p_starts) as x) + p_length, '[)');
begin
  if coalesce(pg_catalog.cardinality(p_starts), 0) = 0 then
    return;
  end if;
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

/** The candidate starts at which the organization's one calendar (appointments without staff) is free for p_length. */
create or replace function private.free_calendar_starts(p_organization_id uuid, p_starts timestamptz[], p_length interval)
  returns setof timestamptz
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_busy tstzmultirange;
begin
  if coalesce(pg_catalog.cardinality(p_starts), 0) = 0 then
    return;
  end if;
  select coalesce(pg_catalog.range_agg(a.blocked_during), '{}') into v_busy
  from public.appointments as a
  where a.organization_id = p_organization_id and a.staff_member_id is null and a.is_active
    and a.blocked_during && pg_catalog.tstzrange((select min(x) from pg_catalog.unnest(p_starts) as x),
                                                 (select max(x) from pg_catalog.unnest(p_starts) as x) + p_length, '[)');
  return query
    select c.start_at
    from pg_catalog.unnest(p_starts) as c(start_at)
    where not (v_busy && pg_catalog.tstzrange(c.start_at, c.start_at + p_length, '[)'));
end;
$$;

/** An organization with active staff books per staff member; one without keeps its one calendar. */
create or replace function private.has_staff(p_organization_id uuid)
  returns boolean
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return exists (select 1 from public.staff_members as s where s.organization_id = p_organization_id and s.is_active);
end;
$$;

-- =====================================================================================================================
-- Section - Open start times (set-based: the opening intervals are generated once per search)
-- =====================================================================================================================
drop function private.nearest_open_slots(uuid, timestamptz, interval, integer);
drop function private.describe_slots(timestamptz[], text);
drop function private.open_slots(uuid, timestamptz, timestamptz, interval, integer);

/**
  * Open start times of one organization in [p_from, p_to): on its slot grid, honouring the notice and the horizon,
  * inside an opening interval, and with room for the job plus p_buffer — on its one calendar, or with at least one
  * free qualified staff member (p_staff_member_id: only that one). Ascending, at most p_limit.
  */
create function private.open_slots(
  p_organization_id uuid, p_from timestamptz, p_to timestamptz, p_duration interval, p_limit integer,
  p_buffer interval default interval '0', p_service_id uuid default null, p_staff_member_id uuid default null)
  returns setof timestamptz
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_org public.organizations;
  v_starts timestamptz[];
  v_first timestamptz;
  v_last timestamptz;
begin
  select o.* into v_org from public.organizations as o where o.id = p_organization_id;
  v_first := greatest(p_from, pg_catalog.now() + pg_catalog.make_interval(mins => v_org.min_notice_minutes));
  v_last := least(p_to, pg_catalog.now() + pg_catalog.make_interval(days => v_org.max_advance_days) + interval '1 second');
  if v_first >= v_last then
    return;
  end if;
  -- Only open times are generated: each opening interval on the grid, laid in local wall-clock time from the hour
  -- (slots stay on :00/:30 across DST).
  select coalesce(pg_catalog.array_agg(distinct c.start_at), '{}') into v_starts
  from private.opening_intervals(p_organization_id, v_org.timezone, v_first, v_last) as h
  cross join lateral (
    select g.local_start at time zone v_org.timezone as start_at
    from pg_catalog.generate_series(pg_catalog.date_trunc('hour', greatest(h.opens, v_first) at time zone v_org.timezone),
                                    least(h.last_start, v_last) at time zone v_org.timezone,
                                    pg_catalog.make_interval(mins => v_org.slot_minutes)) as g(local_start)) as c
  where c.start_at >= greatest(h.opens, v_first) and c.start_at < least(h.last_start, v_last)
    and c.start_at > pg_catalog.now() and c.start_at + p_duration <= h.closes;
  if private.has_staff(p_organization_id) then
    return query
      select distinct f.start_at
      from private.free_staff_members(p_organization_id, p_service_id, p_staff_member_id, v_starts,
                                      p_duration + p_buffer) as f
      order by f.start_at
      limit p_limit;
  else
    return query
      select f.start_at from private.free_calendar_starts(p_organization_id, v_starts, p_duration + p_buffer) as f(start_at)
      order by f.start_at
      limit p_limit;
  end if;
end;
$$;

/**
  * The p_limit open start times nearest to p_around (one day before to two weeks after), ascending. Looks one day
  * either side first: when that already holds p_limit times, nothing further away can be nearer.
  */
create function private.nearest_open_slots(
  p_organization_id uuid, p_around timestamptz, p_duration interval, p_limit integer default 3,
  p_buffer interval default interval '0', p_service_id uuid default null, p_staff_member_id uuid default null)
  returns timestamptz[]
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_slots timestamptz[];
  v_after interval;
begin
  foreach v_after in array array[interval '1 day', interval '14 days'] loop
    select coalesce(pg_catalog.array_agg(n.start_at order by n.start_at), '{}') into v_slots
    from (select s.start_at
          from private.open_slots(p_organization_id, p_around - interval '1 day', p_around + v_after, p_duration, 2000,
                                  p_buffer, p_service_id, p_staff_member_id) as s(start_at)
          order by abs(extract(epoch from s.start_at - p_around)), s.start_at
          limit p_limit) as n;
    exit when pg_catalog.cardinality(v_slots) >= p_limit;
  end loop;
  return v_slots;
end;
$$;

/** `Thursday, January 8 at 4:00 PM (2026-01-08T16:00:00-05:00); …` in the call's language — exact for the model. */
create function private.describe_slots(p_slots timestamptz[], p_timezone text, p_language text)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return (select pg_catalog.string_agg(
             private.spoken_time(s.start_at, p_timezone, p_language)
               || ' (' || private.to_local_iso(s.start_at, p_timezone) || ')',
             '; ' order by s.start_at)
    from pg_catalog.unnest(p_slots) as s(start_at));
end;
$$;

-- =====================================================================================================================
-- Section - Services and staff by the names callers use
-- =====================================================================================================================

/** The organization's active service called p_name (its name or an alias, case-insensitive), or null. */
create or replace function private.find_service(p_organization_id uuid, p_name text)
  returns public.services
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_service public.services;
begin
  select s.* into v_service
  from public.services as s
  where s.organization_id = p_organization_id and s.is_active
    and (pg_catalog.lower(s.name) = pg_catalog.lower(pg_catalog.btrim(p_name))
         or pg_catalog.lower(pg_catalog.btrim(p_name)) = any (
              select pg_catalog.lower(pg_catalog.btrim(a)) from pg_catalog.unnest(s.aliases) as a))
  order by pg_catalog.lower(s.name) = pg_catalog.lower(pg_catalog.btrim(p_name)) desc, s.name
  limit 1;
  return v_service;
end;
$$;

/**
  * The organization's active staff member called p_name: the full name, else a first name that only one of them has
  * ("Maria" for "Maria Lopez"); case-insensitive. Null when nobody or several match.
  */
create or replace function private.find_staff_member(p_organization_id uuid, p_name text)
  returns public.staff_members
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_staff public.staff_members;
begin
  with wanted as (select pg_catalog.lower(pg_catalog.btrim(p_name)) as name),
  full_match as (
    select s.* from public.staff_members as s, wanted as w
    where s.organization_id = p_organization_id and s.is_active and pg_catalog.lower(pg_catalog.btrim(s.name)) = w.name
  ), first_name as (
    select s.* from public.staff_members as s, wanted as w
    where s.organization_id = p_organization_id and s.is_active
      and pg_catalog.lower(pg_catalog.split_part(pg_catalog.btrim(s.name), ' ', 1)) = w.name
  )
  select * into v_staff from (
    select * from full_match
    union all
    select * from first_name where not exists (select 1 from full_match) and (select count(*) from first_name) = 1
  ) as m
  limit 1;
  return v_staff;
end;
$$;

/**
  * The staff member a job at [p_start, p_blocked_until) goes to, or null when none is free: p_prefer when free (a
  * rescheduled job keeps its person), else the free qualified one with the fewest active appointments that local
  * day, ties by name then id — deterministic, and work spreads across the team.
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
    join public.staff_members as s on s.id = f.staff_member_id
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
  * Puts a job on the calendar; the caller holds the calendar lock. In an organization with staff it goes to the free
  * qualified staff member (p_staff_member_id only, p_prefer first, else the fairest); otherwise on the one calendar.
  * Raises exclusion_violation when nobody is free, exactly like a lost race: the caller answers "taken".
  */
create or replace function private.place_appointment(
  p_call private.tool_call_context, p_job public.appointments, p_staff_member_id uuid, p_prefer uuid)
  returns public.appointments
  language plpgsql
  volatile
  set search_path = ''
as $$
declare
  v_staff_id uuid;
  v_appointment public.appointments;
begin
  if private.has_staff(p_call.organization_id) then
    v_staff_id := private.pick_staff_member(p_call.organization, p_job.service_id, p_staff_member_id, p_job.start_time,
                                            p_job.blocked_until, p_prefer);
    if v_staff_id is null then
      raise sqlstate '23P01';
    end if;
  end if;
  insert into public.appointments (organization_id, start_time, end_time, blocked_until, customer_name, customer_phone,
                                   service, service_id, staff_member_id, notes, vapi_call_id, tool_call_id,
                                   rescheduled_from)
  values (p_call.organization_id, p_job.start_time, p_job.end_time, p_job.blocked_until, p_job.customer_name,
          p_job.customer_phone, p_job.service, p_job.service_id, v_staff_id, p_job.notes, p_call.vapi_call_id,
          p_call.tool_call_key, p_job.rescheduled_from)
  returning * into v_appointment;
  return v_appointment;
end;
$$;
