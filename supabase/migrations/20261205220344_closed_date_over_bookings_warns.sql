-- =====================================================================================================================
-- Section - A closed date entered over booked jobs warns, as time off does
-- =====================================================================================================================
-- `insert into closed_dates …` for a day with booked jobs said nothing (helper-86 #3): the jobs stood, and their
-- customers were never told. Like time off over bookings (20261205142600, 20261205171700), the admin's COMMIT now
-- raises a WARNING naming the active appointments that fall on that local day (ids only: PostgreSQL's log never gets
-- customer names or numbers), under the calendar lock, so a booking committing at the same moment is named too. The
-- jobs are left as they are: reschedule or cancel them (which texts their customers).

/** The organization's active appointments on p_day, its local day (a job from the evening before reaching into it
    too), that have not ended yet. */
create function private.appointments_on_closed_date(p_organization_id uuid, p_day date)
  returns uuid[]
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_timezone text := (select o.timezone from public.organizations as o where o.id = p_organization_id);
  v_from timestamptz := p_day::timestamp at time zone v_timezone;
  v_to timestamptz := (p_day + 1)::timestamp at time zone v_timezone;
begin
  return (select pg_catalog.array_agg(a.id order by a.start_time)
          from public.appointments as a
          where a.organization_id = p_organization_id and a.is_active
            and a.start_time > v_from - interval '1 day' and a.start_time < v_to
            and a.end_time > v_from and a.end_time > pg_catalog.now()); -- a past job cannot be moved any more
end;
$$;
revoke all on function private.appointments_on_closed_date(uuid, date) from public, anon, authenticated;
grant execute on function private.appointments_on_closed_date(uuid, date) to service_role; -- its trigger's writer

create function private.warn_closed_date_over_bookings()
  returns trigger
  language plpgsql
  set search_path = ''
as $$
declare
  v_ids uuid[];
begin
  -- At commit: only if the day is still closed (a later statement of the transaction may have removed it).
  if not exists (select from public.closed_dates as c
                 where c.organization_id = new.organization_id and c.closed_on = new.closed_on) then
    return null;
  end if;
  perform private.wait_for_calendar(new.organization_id);
  v_ids := private.appointments_on_closed_date(new.organization_id, new.closed_on);
  perform private.warn_about_jobs('closed_dates ' || new.organization_id || ' ' || new.closed_on, pg_catalog.format(
    '%s active appointment(s) of organization %s fall on closed date %s: reschedule or cancel them',
    pg_catalog.cardinality(v_ids), new.organization_id, new.closed_on), v_ids);
  return null;
end;
$$;
revoke all on function private.warn_closed_date_over_bookings() from public, anon, authenticated, service_role;

create constraint trigger closed_dates_warn_over_bookings
  after insert or update of closed_on, organization_id on public.closed_dates
  deferrable initially deferred
  for each row execute function private.warn_closed_date_over_bookings();
