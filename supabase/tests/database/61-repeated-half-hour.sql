-- A repeated wall-clock time is its first occurrence however far the clock goes back
-- (20261204080200_repeated_half_hour.sql).
begin;
select plan(6);

-- Next year's Lord Howe fall-back Sunday (1st Sunday of April: 02:00 +11:00 → 01:30 +10:30) and US fall-back Sunday.
select to_char(make_date(y, 4, 1) + (7 - extract(dow from make_date(y, 4, 1))::int) % 7, 'YYYY-MM-DD') as lh_sun,
       to_char(make_date(y, 11, 1) + (7 - extract(dow from make_date(y, 11, 1))::int) % 7, 'YYYY-MM-DD') as fa_sun
from (select extract(year from now())::int + 1 as y) as y \gset

select is(private.parse_start_time(:'lh_sun' || 'T01:45', 'Australia/Lord_Howe'),
  (:'lh_sun' || 'T01:45+11:00')::timestamptz, 'Lord Howe 01:45 on its fall-back night: the first 01:45 (+11:00)');
select is(private.parse_start_time(:'lh_sun' || 'T01:30', 'Australia/Lord_Howe'),
  (:'lh_sun' || 'T01:30+11:00')::timestamptz, '… 01:30 as well');
select is(private.parse_start_time(:'lh_sun' || 'T01:15', 'Australia/Lord_Howe'),
  (:'lh_sun' || 'T01:15+11:00')::timestamptz, 'a time before the repeat is unchanged');
select is(private.parse_start_time(:'lh_sun' || 'T02:00', 'Australia/Lord_Howe'),
  (:'lh_sun' || 'T02:00+10:30')::timestamptz, 'the first time after the repeat is unchanged');
select is(private.parse_start_time(:'fa_sun' || 'T01:30', 'America/New_York'), (:'fa_sun' || 'T05:30:00Z')::timestamptz,
  'New York''s repeated hour: still its first 01:30');
select is(private.parse_start_time(:'lh_sun' || 'T01:45+10:30', 'Australia/Lord_Howe'),
  (:'lh_sun' || 'T01:45+10:30')::timestamptz, 'with an offset, the second one can still be asked for');

select * from finish();
rollback;
