-- Openings no longer depend on the range asked (helper-39): 20261204143000 merged only the rows of the days asked
-- about, so a booking (its start's day) ended 20:00–24:00 + 00:00–02:00 at 02:00 while availability (a wider range)
-- also joined 02:00–06:00 — and offered the 23:00 four-hour job the booking refused. The rows are now read through the
-- day after the range (a job with its buffer runs at most 12 h) and joined with range_agg, as staff hours are; that
-- also runs a row closing at 24:00 on into the next day's 00:00 row (unless that day is closed), as the look-up of
-- 20261204080800 did. A job may start anywhere in a stretch (last_start = closes). Whole days (no business hours) are
-- not merged: each starts the day's slot grid at its own midnight and ends its starts there.

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
    with hours (span) as ( -- through the day after p_to: a job (at most 12 h with its buffer) ends by then
      select pg_catalog.tstzrange((d.day + h.opens_at) at time zone p_timezone,
                                  (d.day + h.closes_at) at time zone p_timezone)
      from pg_catalog.generate_series(pg_catalog.date_trunc('day', p_from at time zone p_timezone) - interval '1 day',
                                      (p_to at time zone p_timezone) + interval '1 day', interval '1 day') as d(day)
      join public.business_hours as h
        on h.organization_id = p_organization_id and h.weekday = extract(dow from d.day)::smallint
      where not exists (select 1 from public.closed_dates as c
                        where c.organization_id = p_organization_id and c.closed_on = d.day::date)
    ) -- range_agg joins the rows that touch or overlap (18:00–24:00 and the next day's 00:00–02:00 too, unless that
      -- day is closed); a job may start anywhere in the stretch
    select pg_catalog.lower(m.span), pg_catalog.upper(m.span), pg_catalog.upper(m.span)
    from pg_catalog.unnest((select pg_catalog.range_agg(x.span) from hours as x)) as m(span)
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
