-- A business-hours row inside a spring-forward gap (02:30–03:00 on the day New York skips 02:00–03:00) reads as
-- 07:30Z–07:00Z: building its range raised "range lower bound must be less than or equal to range upper bound", and
-- every booking or availability reading that day failed ("couldn't reach the booking system") — helper-40. Such a row
-- opens nothing, as staff hours already treat it. And the horizon sentence claimed nothing was open from now on; it
-- speaks of the time asked about and after (the search never looked earlier). CREATE OR REPLACE keeps grants.

insert into private.message_catalog (language, key, template) values
  ('en', 'slots.none_to_horizon',
   'There are no open times from then until the end of our booking window: we take bookings up to {days} days in advance.'),
  ('es', 'slots.none_to_horizon',
   'No quedan huecos libres desde entonces hasta el final de nuestro plazo de reservas: solo reservamos con hasta {days} días de antelación.')
on conflict (language, key) do update set template = excluded.template;

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
                                  greatest((d.day + h.opens_at) at time zone p_timezone,
                                           (d.day + h.closes_at) at time zone p_timezone))
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
