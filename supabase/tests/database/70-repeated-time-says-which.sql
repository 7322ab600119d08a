-- A wall-clock time said twice on a fall-back night says which one it is
-- (20261204094500_repeated_time_says_which.sql); every other time is said as before.
begin;
select plan(9);

-- Next year's US fall-back Sunday (1st Sunday of November) and Lord Howe's (1st Sunday of April).
select to_char(make_date(y, 11, 1) + (7 - extract(dow from make_date(y, 11, 1))::int) % 7, 'YYYY-MM-DD') as fa_sun,
       to_char(make_date(y, 4, 1) + (7 - extract(dow from make_date(y, 4, 1))::int) % 7, 'YYYY-MM-DD') as lh_sun
from (select extract(year from now())::int + 1 as y) as y \gset

select matches(private.spoken_time((:'fa_sun' || 'T05:30:00Z')::timestamptz, 'America/New_York', 'en'),
  '^Sunday, November [0-9]+(, [0-9]{4})? at 1:30 AM, before the clocks go back$', '01:30 -04:00: the first 1:30 AM');
select matches(private.spoken_time((:'fa_sun' || 'T06:30:00Z')::timestamptz, 'America/New_York', 'en'),
  '^Sunday, November [0-9]+(, [0-9]{4})? at 1:30 AM, after the clocks go back$', '01:30 -05:00: the second 1:30 AM');
select matches(private.spoken_time((:'fa_sun' || 'T06:30:00Z')::timestamptz, 'America/New_York', 'es'),
  '^el domingo [0-9]+ de noviembre( de [0-9]{4})? a la 1:30, después del cambio de hora$', '… in Spanish');
select matches(private.spoken_time((:'fa_sun' || 'T07:00:00Z')::timestamptz, 'America/New_York', 'en'),
  '^Sunday, November [0-9]+(, [0-9]{4})? at 2:00 AM$', '02:00 -05:00 happens once: said as before');
select matches(private.spoken_time((:'fa_sun' || 'T04:30:00Z')::timestamptz, 'America/New_York', 'en'),
  '^Sunday, November [0-9]+(, [0-9]{4})? at 12:30 AM$', '00:30 -04:00 happens once: said as before');
select matches(private.spoken_time((:'lh_sun' || 'T01:45:00+10:30')::timestamptz, 'Australia/Lord_Howe', 'en'),
  '^Sunday, April [0-9]+(, [0-9]{4})? at 1:45 AM, after the clocks go back$', 'Lord Howe goes back 30 minutes: its second 1:45 AM');
select is(private.spoken_time('infinity', 'America/New_York', 'en'), null, 'an infinite time is said as before (null), not an error');

-- The open times of that night list each repeated time with which one it is.
select matches(private.describe_slots(array[(:'fa_sun' || 'T05:00:00Z')::timestamptz, (:'fa_sun' || 'T06:00:00Z')::timestamptz],
                                      'America/New_York', 'en'),
  'at 1:00 AM, before the clocks go back \(' || :'fa_sun' || 'T01:00:00-04:00\); .* at 1:00 AM, after the clocks go back \('
    || :'fa_sun' || 'T01:00:00-05:00\)$', 'the two 1:00 AMs of the open times are told apart');

-- A booking at the second 01:30 says so.
insert into public.organizations (id, name, timezone, max_advance_days) values
  ('70000000-0000-4000-8000-00000000000a', 'Night Desk', 'America/New_York', 3650);
insert into public.customer_configurations (organization_id, vapi_assistant_id) values
  ('70000000-0000-4000-8000-00000000000a', 'asst_night_desk');
select alike(tests.tool_call('book', 'asst_night_desk', 'nd_1', jsonb_build_object('start_time', :'fa_sun' || 'T01:30:00-05:00',
               'customer_name', 'Ola', 'duration_minutes', 30))->>'result',
  '%at 1:30 AM, after the clocks go back%', 'booked at the second 01:30: the answer says which');

select * from finish();
rollback;
