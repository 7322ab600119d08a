-- check_availability for 9999-12-31 (as `date` or `to`) said "I could not understand that date": the day's end was
-- read back from the text `10000-01-01T00:00`, which no tool argument may name. The last day a caller can name ends
-- after every horizon (beyond_horizon, as a booking that day is), so its end is infinity (helper-31).

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
  return private.parse_start_time(pg_catalog.to_char(v_next, 'YYYY-MM-DD') || 'T00:00', p_timezone);
end;
$$;
