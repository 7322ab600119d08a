-- Quiet hours begin at the first occurrence of their start when a fall-back night repeats it
-- (20261205001700_quiet_hours_begun_in_repeated_hour.sql); other nights read as before.
begin;
select plan(8);

create function pg_temp.quiet_until(p_at timestamptz, p_zone text, p_start time, p_end time) returns timestamp
language sql as $$ select private.after_quiet_hours(p_at, p_zone, p_start, p_end) at time zone p_zone $$;

-- Beirut, 2027-10-30: 23:00–23:59 is lived twice (UTC+3, then UTC+2). Quiet hours 23:30–08:00.
select is(pg_temp.quiet_until('2027-10-30 21:15+00', 'Asia/Beirut', '23:30', '08:00'), '2027-10-31 08:00'::timestamp,
  'the second 23:15 comes after the first 23:30: quiet until 08:00');
select is(pg_temp.quiet_until('2027-10-30 20:15+00', 'Asia/Beirut', '23:30', '08:00'), '2027-10-30 23:15'::timestamp,
  'the first 23:15 is before quiet hours');
select is(pg_temp.quiet_until('2027-10-30 20:45+00', 'Asia/Beirut', '23:30', '08:00'), '2027-10-31 08:00'::timestamp,
  'the first 23:45 is inside them');
select is(pg_temp.quiet_until('2027-10-20 19:00+00', 'Asia/Beirut', '23:30', '08:00'), '2027-10-20 22:00'::timestamp,
  'an ordinary evening before quiet hours is sent at once');
select is(pg_temp.quiet_until('2027-10-20 21:00+00', 'Asia/Beirut', '23:30', '08:00'), '2027-10-21 08:00'::timestamp,
  'an ordinary midnight waits for the morning');

-- New York, 2027-11-07: 01:00–01:59 twice (EDT, then EST). Quiet hours that do not wrap midnight: 01:30–06:00.
select is(pg_temp.quiet_until('2027-11-07 06:15+00', 'America/New_York', '01:30', '06:00'), '2027-11-07 06:00'::timestamp,
  'the second 01:15 comes after the first 01:30: quiet until 06:00');
select is(pg_temp.quiet_until('2027-11-07 05:15+00', 'America/New_York', '01:30', '06:00'), '2027-11-07 01:15'::timestamp,
  'the first 01:15 is before them');

-- A start in a spring-forward gap (02:30 on 2027-03-14 does not exist) keeps PostgreSQL's reading: 03:30.
select is(pg_temp.quiet_until('2027-03-14 06:59+00', 'America/New_York', '02:30', '06:00'), '2027-03-14 01:59'::timestamp,
  'the minute before the gap is before quiet hours');

select * from finish();
rollback;
