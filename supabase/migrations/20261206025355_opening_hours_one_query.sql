-- =====================================================================================================================
-- Section - A booking's opening-hours check starts one query, not both (issue 13, SQL booked p50)
-- =====================================================================================================================
-- opening_intervals answered with one UNION ALL of its two cases — the organization's weekly hours, or, when it has
-- none, every day all day — each gated by whether business_hours has a row; PostgreSQL started both halves' plans at
-- every call (ExecInitNode of the generate_series, the closed-date subplans…) and ran one. It now asks which case holds
-- first and starts only that query. Same rows for every input (the two halves were exclusive on that same EXISTS).
-- Per booking (a service named, staff picked; 2 000 tenants, callgrind as in docs/performance.md): 5.88 M → 5.81 M
-- instructions (−1.1 %); is_within_business_hours alone −68 k a call. CREATE OR REPLACE keeps grants.

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
  if exists (select 1 from public.business_hours as h where h.organization_id = p_organization_id) then
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
    from pg_catalog.unnest((select pg_catalog.range_agg(x.span) from hours as x)) as m(span);
  else -- no weekly hours: open every day, all day, but on its closed dates
    return query
    select case when d.day = any(v_changes) then private.wall_clock_bound(d.day, p_timezone)
                else d.day at time zone p_timezone end,
           case when d.day = any(v_changes) then private.wall_clock_bound(d.day + interval '1 day', p_timezone)
                else (d.day + interval '1 day') at time zone p_timezone end,
           coalesce((select private.wall_clock_bound(c.closed_on::timestamp, p_timezone) from public.closed_dates as c
                     where c.organization_id = p_organization_id and c.closed_on > d.day::date
                     order by c.closed_on
                     limit 1), 'infinity'::timestamptz) -- a job may run past midnight, not into a closed date
    from pg_catalog.generate_series(v_first_day, p_to at time zone p_timezone, interval '1 day') as d(day)
    where not exists (select 1 from public.closed_dates as c
                      where c.organization_id = p_organization_id and c.closed_on = d.day::date);
  end if;
end;
$$;
