-- =====================================================================================================================
-- Section - An opening or closing time a spring-forward night skips is the jump, not an hour later
-- =====================================================================================================================
-- Business and staff hours read a bound inside a spring-forward gap as PostgreSQL does, an offset later (helper-66 #2):
-- New York hours closing at 02:30 on the night 02:00 jumps to 03:00 closed at 03:30 EDT — a booking at 03:00 was taken
-- although the clock had passed closing time — and a row opening at 02:45 opened at 03:45, not 03:00. A bound now takes
-- effect at the first moment the clock reads it or later: the jump (so a row wholly inside the gap still opens
-- nothing, 20261204160800). Start times a caller gives keep their documented reading (02:30 is 03:30). Only days with a
-- change of offset pay for it (offset_change_days). CREATE OR REPLACE keeps grants.

/**
  * The instant a wall-clock bound (an opening or closing time, a day's start) takes effect in p_timezone: the first
  * moment the clock reads p_local or later. For a time the clock shows that is private.wall_clock_instant (a repeated
  * time's first pass); for a time a spring-forward night skips, the jump itself.
  */
create function private.wall_clock_bound(p_local timestamp, p_timezone text)
  returns timestamptz
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_read timestamptz := p_local at time zone p_timezone; -- in a gap: the time an offset later
  v_lo bigint;
  v_hi bigint;
  v_mid bigint;
begin
  if p_local is null or (v_read at time zone p_timezone) = p_local then
    return private.wall_clock_instant(p_local, p_timezone);
  end if;
  -- The jump lies after the instant that shows p_local minus the gap (the clock reads less than p_local there) and at
  -- or before v_read (it reads more); halved to the second, as zones change offset on whole seconds.
  v_hi := extract(epoch from v_read)::bigint;
  v_lo := v_hi - extract(epoch from (v_read at time zone p_timezone) - p_local)::bigint;
  while v_hi - v_lo > 1 loop
    v_mid := (v_lo + v_hi) / 2;
    if (pg_catalog.to_timestamp(v_mid) at time zone p_timezone) > p_local then
      v_hi := v_mid;
    else
      v_lo := v_mid;
    end if;
  end loop;
  return pg_catalog.to_timestamp(v_hi);
end;
$$;

/**
  * The organization's opening intervals that overlap [p_from, p_to] (business hours, rows that touch or overlap
  * merged; without any, whole days), never on a closed date; `last_start` is the last moment a job may start. Used by
  * private.is_within_business_hours and the availability search.
  */
create or replace function private.opening_intervals(
  p_organization_id uuid, p_timezone text, p_from timestamptz, p_to timestamptz)
  returns table (opens timestamptz, last_start timestamptz, closes timestamptz)
  language plpgsql
  stable
  set search_path = ''
  set plan_cache_mode = force_generic_plan
as $$
declare
  v_first_day timestamp := pg_catalog.date_trunc('day', p_from at time zone p_timezone) - interval '1 day';
  v_last_day timestamp := (p_to at time zone p_timezone) + interval '1 day';
  v_changes timestamp[] := private.offset_change_days(v_first_day, v_last_day, p_timezone);
begin
  return query
    with hours (span) as ( -- through the day after p_to: a job (at most 12 h with its buffer) ends by then
      select pg_catalog.tstzrange(b.opens, greatest(b.opens, b.closes))
      from pg_catalog.generate_series(v_first_day, v_last_day, interval '1 day') as d(day)
      join public.business_hours as h
        on h.organization_id = p_organization_id and h.weekday = extract(dow from d.day)::smallint
      cross join lateral (
        select case when d.day = any(v_changes) then private.wall_clock_bound(d.day + h.opens_at, p_timezone)
                    else (d.day + h.opens_at) at time zone p_timezone end,
               case when d.day = any(v_changes) then private.wall_clock_bound(d.day + h.closes_at, p_timezone)
                    else (d.day + h.closes_at) at time zone p_timezone end) as b(opens, closes)
      where not exists (select 1 from public.closed_dates as c
                        where c.organization_id = p_organization_id and c.closed_on = d.day::date)
    ) -- range_agg joins the rows that touch or overlap (18:00–24:00 and the next day's 00:00–02:00 too, unless that
      -- day is closed); a job may start anywhere in the stretch
    select pg_catalog.lower(m.span), pg_catalog.upper(m.span), pg_catalog.upper(m.span)
    from pg_catalog.unnest((select pg_catalog.range_agg(x.span) from hours as x)) as m(span)
    union all
    select case when d.day = any(v_changes) then private.wall_clock_bound(d.day, p_timezone)
                else d.day at time zone p_timezone end,
           case when d.day = any(v_changes) then private.wall_clock_bound(d.day + interval '1 day', p_timezone)
                else (d.day + interval '1 day') at time zone p_timezone end,
           coalesce((select private.wall_clock_bound(c.closed_on::timestamp, p_timezone) from public.closed_dates as c
                     where c.organization_id = p_organization_id and c.closed_on > d.day::date
                     order by c.closed_on
                     limit 1), 'infinity'::timestamptz) -- a job may run past midnight, not into a closed date
    from pg_catalog.generate_series(v_first_day, p_to at time zone p_timezone, interval '1 day') as d(day)
    where not exists (select 1 from public.business_hours as h where h.organization_id = p_organization_id)
      and not exists (select 1 from public.closed_dates as c
                      where c.organization_id = p_organization_id and c.closed_on = d.day::date);
end;
$$;

/**
  * For each candidate start, the active staff members of the organization who perform the service (no staff_services
  * rows = every service), work then (their staff_hours, if they have any, hold [start, start + p_length - p_buffer)),
  * are not on time off, and have no active appointment — their own, or one without a staff member — overlapping
  * [start, start + p_length): p_length is the job plus its buffer p_buffer. Restricted to p_staff_member_id when given.
  * Set-based: a whole slot search is one call.
  */
create or replace function private.free_staff_members(
  p_organization_id uuid, p_service_id uuid, p_staff_member_id uuid, p_starts timestamptz[], p_length interval,
  p_buffer interval default interval '0')
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
  v_changes timestamp[]; -- the window's days with a change of offset (offset_change_days)
begin
  if coalesce(pg_catalog.cardinality(p_starts), 0) = 0 then
    return;
  end if;
  foreach v_start in array p_starts loop -- min and max in-line (least/greatest skip nulls, as min/max do)
    v_first := least(v_first, v_start);
    v_last := greatest(v_last, v_start);
  end loop;
  v_window := pg_catalog.tstzrange(v_first, v_last + p_length, '[)');
  v_changes := private.offset_change_days(
    pg_catalog.date_trunc('day', v_first at time zone v_timezone) - interval '1 day',
    pg_catalog.upper(v_window) at time zone v_timezone, v_timezone);
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
             -- Their working time in the window as one multirange (null: no staff_hours, they work when the
             -- business is open): adjacent rows merge, so 18:00–24:00 runs on into the next day's 00:00–02:00
             -- (greatest: a row inside a spring-forward gap, 02:30–03:00, is empty, not an error). One read of
             -- their rows answers both whether they have hours and which hold the window's days.
             (select case when count(*) > 0 then coalesce(pg_catalog.range_agg(pg_catalog.tstzrange(
                       b.opens, greatest(b.opens, b.closes), '[)')) filter (where h.weekday = extract(dow from d.day)),
                       '{}'::pg_catalog.tstzmultirange) end
              from public.staff_hours as h
              cross join pg_catalog.generate_series( -- from the day before: a row closing at 24:00 may run on
                pg_catalog.date_trunc('day', pg_catalog.lower(v_window) at time zone v_timezone) - interval '1 day',
                pg_catalog.upper(v_window) at time zone v_timezone, interval '1 day') as d(day)
              cross join lateral (
                select case when d.day = any(v_changes) then private.wall_clock_bound(d.day + h.opens_at, v_timezone)
                            else (d.day + h.opens_at) at time zone v_timezone end,
                       case when d.day = any(v_changes) then private.wall_clock_bound(d.day + h.closes_at, v_timezone)
                            else (d.day + h.closes_at) at time zone v_timezone end) as b(opens, closes)
              where h.staff_member_id = s.id) as working
      from public.staff_members as s
      where s.organization_id = p_organization_id
        and s.is_active
        and (p_staff_member_id is null or s.id = p_staff_member_id)
        and (p_service_id is null -- one read of their services: none means every service
             or coalesce((select pg_catalog.bool_or(q.service_id = p_service_id) from public.staff_services as q
                          where q.staff_member_id = s.id), true))
    ), unassigned as materialized ( -- appointments_no_overlap's partial GiST (a partial B-tree on (organization, end)
                                     -- read fewer pages on synthetic data but cost a booking ~0.1 M more instructions)
      select coalesce(pg_catalog.range_agg(a.blocked_during), '{}'::pg_catalog.tstzmultirange) as during
      from public.appointments as a
      where a.organization_id = p_organization_id and a.staff_member_id is null and a.is_active
        and a.blocked_during && v_window
    )
    select c.start_at, b.id
    from pg_catalog.unnest(p_starts) as c(start_at)
    cross join unassigned as u
    cross join busy as b
    where not (u.during && pg_catalog.tstzrange(c.start_at, c.start_at + p_length, '[)'))
      and not (b.during && pg_catalog.tstzrange(c.start_at, c.start_at + p_length, '[)'))
      and (b.working is null
           or b.working @> pg_catalog.tstzrange(c.start_at, c.start_at + p_length - p_buffer, '[)'));
end;
$$;
