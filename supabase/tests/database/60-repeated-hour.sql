-- A wall-clock time a fall-back night repeats is its first occurrence (20261204080000_repeated_hour_is_its_first.sql).
begin;
select plan(5);

-- Next year's US fall-back Sunday (1st Sunday of November) and spring-forward Sunday (2nd Sunday of March).
select to_char(make_date(y, 11, 1) + (7 - extract(dow from make_date(y, 11, 1))::int) % 7, 'YYYY-MM-DD') as fa_sun,
       to_char(make_date(y, 3, 1) + (7 - extract(dow from make_date(y, 3, 1))::int) % 7 + 7, 'YYYY-MM-DD') as sp_sun
from (select extract(year from now())::int + 1 as y) as y \gset

select is(private.parse_start_time(:'fa_sun' || 'T01:30', 'America/New_York'), (:'fa_sun' || 'T05:30:00Z')::timestamptz,
  '01:30 on the fall-back night is the first 01:30 (-04:00)');
select is(private.parse_start_time(:'fa_sun' || 'T01:30-05:00', 'America/New_York'), (:'fa_sun' || 'T06:30:00Z')::timestamptz,
  'with an offset, the second one can still be asked for');
select is(private.parse_start_time(:'fa_sun' || 'T02:30', 'America/New_York'), (:'fa_sun' || 'T07:30:00Z')::timestamptz,
  'an hour that is not repeated is unchanged');
select is(private.parse_start_time(:'sp_sun' || 'T10:00', 'America/New_York'), (:'sp_sun' || 'T14:00:00Z')::timestamptz,
  'a spring-forward day''s ordinary time is unchanged');
select is(private.parse_start_time(:'fa_sun' || 'T01:30', 'Europe/London'), (:'fa_sun' || 'T01:30:00Z')::timestamptz,
  'another zone on that day: not ambiguous, unchanged');

select * from finish();
rollback;
