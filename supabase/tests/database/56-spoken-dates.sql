-- A date far from today is spoken with its year; a near one is not (20261204050200_far_dates_say_their_year.sql).
begin;
select plan(6);

-- soon: 10:00 New York time 60 days ahead; far: 2030-03-05 10:00 (a Tuesday); long_ago: 400 days back.
select ((now() at time zone 'America/New_York')::date + 60 + time '10:00') at time zone 'America/New_York' as soon,
       ((now() at time zone 'America/New_York')::date - 400 + time '10:00') at time zone 'America/New_York' as long_ago,
       extract(year from now() - interval '400 days')::int as long_ago_year \gset

select is(private.spoken_time('2030-03-05 15:00Z', 'America/New_York', 'en'), 'Tuesday, March 5, 2030 at 10:00 AM',
  'a date years ahead says its year');
select is(private.spoken_time('2030-03-05 15:00Z', 'America/New_York', 'es'), 'el martes 5 de marzo de 2030 a las 10:00',
  'in Spanish too');
select unalike(private.spoken_time(:'soon', 'America/New_York', 'en'), '%, ____ at %',
  'a date two months ahead has no year (also across New Year)');
select matches(private.spoken_time(:'soon', 'America/New_York', 'en'), '^[A-Z][a-z]+day, [A-Z][a-z]+ [0-9]{1,2} at 10:00 AM$',
  'it reads "Weekday, Month D at 10:00 AM"');
select unalike(private.spoken_time(:'soon', 'America/New_York', 'es'), '% de ____ a las %', 'nor in Spanish');
select alike(private.spoken_time(:'long_ago', 'America/New_York', 'en'), '%, ' || :'long_ago_year' || ' at 10:00 AM',
  'a date over a year ago says its year');

select * from finish();
rollback;
