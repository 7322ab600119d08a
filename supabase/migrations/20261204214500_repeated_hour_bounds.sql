-- =====================================================================================================================
-- Section - Opening, closing and midnight times in a repeated hour are their first occurrence, as a start time is
-- =====================================================================================================================
-- A booking's start without an offset, in an hour a fall-back night repeats, is its first occurrence (080000, 080200),
-- but `timestamp AT TIME ZONE` takes the second: business hours, staff hours, closed dates and days without hours began
-- and ended at their second pass (helper-52). Once a year, Havana's and the Azores' closed fall-back Sunday opened its
-- first 00:00–00:59 (it belonged to the day before), and New York hours closing at 01:30 on its fall-back night ran on
-- until the second 01:30 (pgTAP 85). One helper now says how a wall-clock time becomes an instant; every wall-clock
-- bound goes through it (parse_start_time's own steps too), except where the zone keeps one offset over the days a
-- query reads (offset_change_days, once a query, finds the days with a change): a call for each bound cost a booking
-- ~0.4 M CPU instructions. pick_staff_member's count of a person's jobs "that day" (a tie-break) and after_quiet_hours
-- (the end of quiet hours in a repeated hour stays its second pass: a text waits the longer, never goes out inside
-- them) keep PostgreSQL's reading.
-- CREATE OR REPLACE keeps signatures and grants.

/**
  * The instant a wall-clock time in p_timezone first shows: in an hour a fall-back repeats, the first pass (PostgreSQL
  * reads the second); in a spring-forward gap, PostgreSQL's reading (the time the clock shows an offset later).
  * The same wall-clock time read three hours earlier (no zone changes its offset twice in three hours) and moved back
  * three real hours is the first pass when its clock shows that time.
  */
create function private.wall_clock_instant(p_local timestamp, p_timezone text)
  returns timestamptz
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_earlier timestamptz := ((p_local - interval '3 hours') at time zone p_timezone) + interval '3 hours';
begin
  return least(p_local at time zone p_timezone,
               case when (v_earlier at time zone p_timezone) = p_local then v_earlier end);
end;
$$;

/**
  * The local days from p_first_day to p_last_day during which — or within 3 hours of which — p_timezone changes its UTC
  * offset: only there can a wall-clock time read differently from `AT TIME ZONE`, so a query over those days calls
  * wall_clock_instant (a function call for each bound) on them alone. Checked day by day: Casablanca's two Ramadan
  * changes with the same offset on either side are both seen.
  */
create function private.offset_change_days(p_first_day timestamp, p_last_day timestamp, p_timezone text)
  returns timestamp[]
  language plpgsql
  immutable
  strict
  set search_path = ''
as $$
declare
  v_day timestamp := p_first_day;
  v_days timestamp[] := '{}';
begin
  while v_day <= p_last_day loop -- a loop of plain expressions: no query to start (each booking asks twice)
    if ((v_day + interval '27 hours') at time zone p_timezone) - ((v_day - interval '3 hours') at time zone p_timezone)
       <> interval '30 hours' then
      v_days := v_days || v_day;
    end if;
    v_day := v_day + interval '1 day';
  end loop;
  return v_days;
end;
$$;

/** An ISO-8601 start: with an offset that instant; without one wall-clock time in p_timezone (a repeated time's first). */
create or replace function private.parse_start_time(p_value text, p_timezone text)
  returns timestamptz
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_text text := pg_catalog.btrim(p_value);
  v_rest text; -- from the hour on: the time, then the offset if any (its first Z, z, + or -)
begin
  if v_text is null or v_text !~ ('^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ](?:[01][0-9]|2[0-3]):[0-5][0-9]'
                                  '(?::[0-5][0-9](?:\.[0-9]{1,6})?)?(?:[Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)?$') then
    return null;
  end if;
  v_rest := pg_catalog.substr(v_text, 12);
  if pg_catalog.strpos(pg_catalog.translate(pg_catalog.upper(v_rest), '+-', 'ZZ'), 'Z') = 0 then
    return private.wall_clock_instant(
      pg_catalog.date_trunc('minute', (pg_catalog.left(v_text, 10) || ' ' || v_rest)::timestamp), p_timezone);
  end if;
  return pg_catalog.date_trunc('minute', (pg_catalog.left(v_text, 10) || ' ' || pg_catalog.upper(v_rest))::timestamptz, 'UTC');
exception
  when data_exception then
    return null; -- e.g. 2027-02-30T10:00, or an offset beyond ±15:59
end;
$$;

/** The next local midnight after a local day's start (23 to 25 hours later); infinity after 9999-12-31. */
create or replace function private.local_day_end(p_day_start timestamptz, p_timezone text)
  returns timestamptz
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_next date := (p_day_start at time zone p_timezone)::date + 1;
begin
  if v_next > date '9999-12-31' then
    return 'infinity';
  end if;
  return private.wall_clock_instant(v_next::timestamp, p_timezone);
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
        select case when d.day = any(v_changes) then private.wall_clock_instant(d.day + h.opens_at, p_timezone)
                    else (d.day + h.opens_at) at time zone p_timezone end,
               case when d.day = any(v_changes) then private.wall_clock_instant(d.day + h.closes_at, p_timezone)
                    else (d.day + h.closes_at) at time zone p_timezone end) as b(opens, closes)
      where not exists (select 1 from public.closed_dates as c
                        where c.organization_id = p_organization_id and c.closed_on = d.day::date)
    ) -- range_agg joins the rows that touch or overlap (18:00–24:00 and the next day's 00:00–02:00 too, unless that
      -- day is closed); a job may start anywhere in the stretch
    select pg_catalog.lower(m.span), pg_catalog.upper(m.span), pg_catalog.upper(m.span)
    from pg_catalog.unnest((select pg_catalog.range_agg(x.span) from hours as x)) as m(span)
    union all
    select case when d.day = any(v_changes) then private.wall_clock_instant(d.day, p_timezone)
                else d.day at time zone p_timezone end,
           case when d.day = any(v_changes) then private.wall_clock_instant(d.day + interval '1 day', p_timezone)
                else (d.day + interval '1 day') at time zone p_timezone end,
           coalesce((select private.wall_clock_instant(c.closed_on::timestamp, p_timezone) from public.closed_dates as c
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
                select case when d.day = any(v_changes) then private.wall_clock_instant(d.day + h.opens_at, v_timezone)
                            else (d.day + h.opens_at) at time zone v_timezone end,
                       case when d.day = any(v_changes) then private.wall_clock_instant(d.day + h.closes_at, v_timezone)
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

-- Its query reads v_changes, a parameter a custom plan would fold in: each call's plan then looked cheaper than the
-- generic one and was made anew (pgTAP 69). One generic plan, as for opening_intervals (20261204094000).
alter function private.free_staff_members(uuid, uuid, uuid, timestamptz[], interval, interval)
  set plan_cache_mode = force_generic_plan;
