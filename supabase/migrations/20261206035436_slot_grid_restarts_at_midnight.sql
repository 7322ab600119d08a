-- The availability grid moved with the question where an opening runs on across midnight into the next day's
-- (00:00–24:00 rows, merged as one opening): its start was only as early as the question's window reached, so a day
-- asked as `date` listed 00:10, 01:00, 01:50 and asked from 22:00 the evening before 00:20, 01:10 (50-minute slots; 45
-- after a 23-hour day alike) (helper-108 #1). An opening that was already open at the previous local midnight now
-- starts its grid again at each midnight, a point no question moves (the window always reaches back to the previous
-- midnight, so whether the opening was open then is the same however it is asked); one that opened since — hours past
-- midnight, 18:00–02:00 — keeps its own start's grid across midnight, as before. Midnights are read as opening hours
-- are: the first of a repeated one (Havana's fall-back night), the jump in a skipped one (helper-111 #1, #2). Its query
-- is planned once per connection (force_generic_plan, as opening_intervals): PostgreSQL otherwise preferred a custom plan
-- at every availability check (+1.6 M instructions; scripts/bench). CREATE OR REPLACE keeps grants.

/**
  * Open start times of one organization in [p_from, p_to): on its slot grid and at each opening's own start (a
  * one-minute window: exactly p_from, which a booking could take at any minute), honouring the notice and the horizon,
  * inside an opening interval, and with room for the job plus p_buffer — on its one calendar, or with at least one
  * free qualified staff member (p_staff_member_id: only that one). Ascending, at most p_limit.
  */
create or replace function private.open_slots(
  p_organization_id uuid, p_from timestamptz, p_to timestamptz, p_duration interval, p_limit integer,
  p_buffer interval default interval '0', p_service_id uuid default null, p_staff_member_id uuid default null)
  returns setof timestamptz
  language plpgsql
  stable
  set search_path = ''
  set plan_cache_mode = force_generic_plan -- its one query takes ~20 parameters: custom plans won, each call planned anew
as $$
declare
  v_org public.organizations;
  v_starts timestamptz[];
  v_first timestamptz;
  v_last timestamptz;
  v_changes timestamp[];
begin
  select o.* into v_org from public.organizations as o where o.id = p_organization_id;
  v_first := greatest(p_from, pg_catalog.now() + pg_catalog.make_interval(mins => v_org.min_notice_minutes));
  v_last := least(p_to, pg_catalog.now() + pg_catalog.make_interval(days => v_org.max_advance_days) + interval '1 second');
  if v_first >= v_last then
    return;
  end if;
  -- The local days whose midnight an offset change may move: read with wall_clock_bound, as opening_intervals does.
  v_changes := private.offset_change_days(pg_catalog.date_trunc('day', v_first at time zone v_org.timezone),
                                          v_last at time zone v_org.timezone + interval '1 day', v_org.timezone);
  -- Only open times are generated: each opening interval on the grid, from the top of the local hour it opens in,
  -- stepped in real minutes — so slots stay on :00/:30 across DST, and the hour a fall-back day repeats is offered
  -- twice (a grid laid in wall-clock time read 01:00 and 01:30 as the second, standard-time, pair only). The grid is
  -- the opening's whatever the question's start: its first point at or after that start is computed, not stepped to.
  -- An opening already open at the previous local midnight (00:00–24:00 rows) starts it again at each midnight: its
  -- start is only as early as the question's window reaches, so a grid counted from it would move with the question.
  select coalesce(pg_catalog.array_agg(distinct c.start_at), '{}') into v_starts
  from private.opening_intervals(p_organization_id, v_org.timezone, v_first, v_last) as h
  cross join lateral (select greatest(h.opens, v_first) as first_at,
                             h.opens - ((h.opens at time zone v_org.timezone)
                                        - pg_catalog.date_trunc('hour', h.opens at time zone v_org.timezone)) as anchor
                     ) as f
  cross join lateral (
    select g.start_at
    from pg_catalog.generate_series(pg_catalog.date_trunc('day', f.first_at at time zone v_org.timezone),
                                    least(h.last_start, v_last) at time zone v_org.timezone, interval '1 day') as d(day)
    cross join lateral (select case when d.day = any(v_changes) then private.wall_clock_bound(d.day, v_org.timezone)
                                    else d.day at time zone v_org.timezone end as midnight,
                               case when d.day + interval '1 day' = any(v_changes)
                                    then private.wall_clock_bound(d.day + interval '1 day', v_org.timezone)
                                    else (d.day + interval '1 day') at time zone v_org.timezone end as next_day) as m
    cross join lateral (select case when (h.opens at time zone v_org.timezone) > d.day - interval '1 day' then f.anchor
                                    else m.midnight end as anchor,
                               greatest(f.first_at, m.midnight) as first_at, m.next_day) as p
    cross join lateral pg_catalog.generate_series(
           p.anchor + pg_catalog.make_interval(mins => v_org.slot_minutes * pg_catalog.ceil(
             extract(epoch from p.first_at - p.anchor) / 60 / v_org.slot_minutes)::integer),
           least(h.last_start, v_last, p.next_day - interval '1 microsecond'),
           pg_catalog.make_interval(mins => v_org.slot_minutes)) as g(start_at)
    where p_to - p_from > interval '1 minute'
    union all
    select f.first_at -- off the grid: the one start asked about, an opening at 08:15
    where f.first_at = case when p_to - p_from > interval '1 minute' then h.opens else p_from end) as c
  where c.start_at >= greatest(h.opens, v_first) and c.start_at < least(h.last_start, v_last)
    and c.start_at > pg_catalog.now() and c.start_at + p_duration <= h.closes;
  if private.has_staff(p_organization_id) then
    return query
      select distinct f.start_at
      from private.free_staff_members(p_organization_id, p_service_id, p_staff_member_id, v_starts,
                                      p_duration + p_buffer, p_buffer) as f
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
