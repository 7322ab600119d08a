-- Business-hour rows of one day that touch or overlap are one opening (helper-36): a morning row 08:00–12:00 and an
-- afternoon row 12:00–17:00 refused an 11:30 hour-long job as "closed", and availability never offered it, while the
-- same split in staff_hours (a multirange) was one stretch. The rows are merged here, in the one place the opening
-- rule is written; a row closing at 24:00 still runs on into the next day's 00:00 row. Whole days (no business
-- hours) are not merged: each starts the day's slot grid at its own midnight.

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
begin
  return query
    with hours (o, ls, cl) as (
      select (d.day + h.opens_at) at time zone p_timezone, (d.day + h.closes_at) at time zone p_timezone,
             case when h.closes_at = time '24:00' then coalesce( -- open past midnight: the next day's 00:00 row
               (select (d.day + interval '1 day' + n.closes_at) at time zone p_timezone
                from public.business_hours as n
                where n.organization_id = p_organization_id and n.weekday = (h.weekday + 1) % 7
                  and n.opens_at = time '00:00'
                  and not exists (select 1 from public.closed_dates as c
                                  where c.organization_id = p_organization_id and c.closed_on = d.day::date + 1)),
               (d.day + h.closes_at) at time zone p_timezone)
             else (d.day + h.closes_at) at time zone p_timezone end
      from pg_catalog.generate_series(pg_catalog.date_trunc('day', p_from at time zone p_timezone) - interval '1 day',
                                      p_to at time zone p_timezone, interval '1 day') as d(day)
      join public.business_hours as h
        on h.organization_id = p_organization_id and h.weekday = extract(dow from d.day)::smallint
      where not exists (select 1 from public.closed_dates as c
                        where c.organization_id = p_organization_id and c.closed_on = d.day::date)
    ), starts (o, ls, cl, new_opening) as ( -- a row opening after every earlier row closed starts a new opening
      select x.o, x.ls, x.cl,
             coalesce(x.o > max(x.cl) over (order by x.o, x.cl rows between unbounded preceding and 1 preceding), true)
      from hours as x
    ), openings (o, ls, cl, n) as (
      select y.o, y.ls, y.cl, count(*) filter (where y.new_opening) over (order by y.o, y.cl, y.new_opening desc)
      from starts as y
    )
    select min(z.o), max(z.ls), max(z.cl) from openings as z group by z.n
    union all
    select d.day at time zone p_timezone, (d.day + interval '1 day') at time zone p_timezone,
           coalesce((select c.closed_on::timestamp at time zone p_timezone from public.closed_dates as c
                     where c.organization_id = p_organization_id and c.closed_on > d.day::date
                     order by c.closed_on
                     limit 1), 'infinity'::timestamptz) -- a job may run past midnight, not into a closed date
    from pg_catalog.generate_series(pg_catalog.date_trunc('day', p_from at time zone p_timezone) - interval '1 day',
                                    p_to at time zone p_timezone, interval '1 day') as d(day)
    where not exists (select 1 from public.business_hours as h where h.organization_id = p_organization_id)
      and not exists (select 1 from public.closed_dates as c
                      where c.organization_id = p_organization_id and c.closed_on = d.day::date);
end;
$$;
