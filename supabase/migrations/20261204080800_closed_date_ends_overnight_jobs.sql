-- =====================================================================================================================
-- Section - A job may run past midnight while the business is open: not into a closed date, on into the next row
-- =====================================================================================================================
-- Without business hours an organization is open every day that is not a closed date, and a job may run past
-- midnight — but it could also run into a closed date: 22:00 for 8 hours the night before a holiday was booked, while
-- a job on the holiday itself is refused (helper-25). Such an opening now closes when the next closed date begins;
-- check_availability (open_slots) reads the same intervals, so it agrees.
-- Hours past midnight are two rows (Monday 18:00–24:00, Tuesday 00:00–02:00), and a job had to fit in one: a 23:00
-- job of two hours was refused although the business is open throughout (helper-25). A row closing at 24:00 now closes
-- when the next day's 00:00 row does (unless that day is closed); staff hours likewise (free_staff_members, 080500).
-- CREATE OR REPLACE keeps grants and signature (pgTAP 67).

/**
  * The organization's opening intervals that overlap [p_from, p_to] (business hours; without any, whole days), never
  * on a closed date; `last_start` is the last moment a job may start, `closes` when it must have ended (without
  * hours: when the next closed date begins; a row closing at 24:00: when the next day's 00:00 row closes). One query (the two cases as a union): the one place the opening rule is
  * written, used by private.is_within_business_hours and private.open_slots. Each day is joined to its weekday's
  * hours by business_hours_window_unique (organization_id, weekday, …).
  */
create or replace function private.opening_intervals(
  p_organization_id uuid, p_timezone text, p_from timestamptz, p_to timestamptz)
  returns table (opens timestamptz, last_start timestamptz, closes timestamptz)
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return query
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
