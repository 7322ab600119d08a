-- =====================================================================================================================
-- Section - Quiet hours that begin in a repeated hour have begun
-- =====================================================================================================================
-- after_quiet_hours compared wall-clock times only. On a fall-back night whose repeated hour holds the start of quiet
-- hours (Beirut: 23:00–23:59 twice on 2027-10-30; quiet from 23:30), the second pass of 23:00–23:29 read as "before
-- quiet hours", so a reminder went out after they had begun. Quiet hours now begin at the first occurrence of their
-- start (private.wall_clock_instant, as business hours do since 20261204214500); an end in a repeated hour keeps
-- PostgreSQL's reading (the later pass: the safe side). pgTAP 89.

/**
  * p_at, or the end of the quiet hours it falls in (local wall-clock [start, end), may wrap midnight; start = end
  * means none): a text is never sent at night, it waits for the morning. They begin at the first occurrence of their
  * start when the clock repeats it.
  */
create or replace function private.after_quiet_hours(p_at timestamptz, p_timezone text, p_start time, p_end time)
  returns timestamptz
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_local timestamp := p_at at time zone p_timezone;
  v_clock time := v_local::time;
begin
  if p_start = p_end then
    return p_at;
  elsif p_start > p_end and v_clock >= p_start then
    return ((v_local::date + 1) + p_end) at time zone p_timezone;
  elsif (p_start > p_end and v_clock < p_end) or (p_start < p_end and v_clock >= p_start and v_clock < p_end) then
    return (v_local::date + p_end) at time zone p_timezone;
  elsif v_clock < p_start and private.wall_clock_instant(v_local::date + p_start, p_timezone) <= p_at then
    -- The second pass of a repeated hour after quiet hours began in its first: by the clock they begin again later.
    return ((v_local::date + case when p_start > p_end then 1 else 0 end) + p_end) at time zone p_timezone;
  end if;
  return p_at;
end;
$$;
