-- check_availability's month-by-month search of a long range (20261206082257, helper-121) is bounded: a year at most,
-- said as such ("There are no open times in the year from then.", with the next open times after it), so a calendar
-- cut into small gaps over a 10-year horizon cannot run into the statement budget; and a last piece of a minute or
-- less joins the month before it, so it is never asked about as one off-grid start; a month with only a few open times
-- does not hide the rest of the range (helper-122 #1). An organization open round the clock (no hours).
begin;
select plan(6);

select tests.create_organization('Search Bounds', 'America/New_York', 'asst_search_bounds') as org \gset
update public.organizations set max_advance_days = 3650 where id = :'org';
select to_char((now() at time zone 'America/New_York')::date + 3, 'YYYY-MM-DD') as d1 \gset

-- 400 days closed: a year of the range has nothing; day 401 is open.
insert into public.closed_dates (organization_id, closed_on)
select :'org', d::date from generate_series(:'d1'::date, :'d1'::date + 399, interval '1 day') as d;
select tests.tool_call('check', 'asst_search_bounds', 'bounds_year',
  jsonb_build_object('from', :'d1', 'to', to_char(:'d1'::date + 800, 'YYYY-MM-DD'))) as year \gset
select is(:'year'::jsonb ->> 'reason', 'unavailable', 'nothing open in the first year of a long range: unavailable');
select ok(strpos(:'year'::jsonb ->> 'result', private.say('en', 'availability.none_year') || ' ') = 1,
  '… said as the year searched, not as the whole range: ' || (:'year'::jsonb ->> 'result'));
delete from public.closed_dates where organization_id = :'org';

-- 31 days closed, then a job until 10:07 on the 32nd day; the range ends a minute after 10:07 that day.
insert into public.closed_dates (organization_id, closed_on)
select :'org', d::date from generate_series(:'d1'::date, :'d1'::date + 30, interval '1 day') as d;
select to_char(:'d1'::date + 31, 'YYYY-MM-DD') as d2 \gset
insert into public.appointments (organization_id, start_time, end_time, customer_name)
values (:'org', (:'d2' || 'T00:00')::timestamp at time zone 'America/New_York',
        (:'d2' || 'T10:07')::timestamp at time zone 'America/New_York', 'Long Job');
select tests.tool_call('check', 'asst_search_bounds', 'bounds_minute',
  jsonb_build_object('from', :'d1' || 'T10:07', 'to', :'d2' || 'T10:08')) as minute \gset
select is(:'minute'::jsonb ->> 'reason', 'unavailable', 'a range whose last minute follows a full month: no open times');
select ok(strpos(:'minute'::jsonb ->> 'result', '10:07 AM') = 0,
  '… the last minute is not asked about as one off-grid start: ' || (:'minute'::jsonb ->> 'result'));

delete from public.appointments where organization_id = :'org';
delete from public.closed_dates where organization_id = :'org';

-- One open hour left on the first day (23:00), then 40 days closed: the range's later days are still offered.
insert into public.closed_dates (organization_id, closed_on)
select :'org', d::date from generate_series(:'d1'::date + 1, :'d1'::date + 40, interval '1 day') as d;
insert into public.appointments (organization_id, start_time, end_time, customer_name)
values (:'org', (:'d1' || 'T00:00')::timestamp at time zone 'America/New_York',
        (:'d1' || 'T23:00')::timestamp at time zone 'America/New_York', 'Day Job');
select tests.tool_call('check', 'asst_search_bounds', 'bounds_few',
  jsonb_build_object('from', :'d1', 'to', to_char(:'d1'::date + 45, 'YYYY-MM-DD'), 'duration_minutes', 60)) as few \gset
select ok(strpos(:'few'::jsonb ->> 'result', '11:00 PM') > 0
          and strpos(:'few'::jsonb ->> 'result', to_char(:'d1'::date + 41, 'FMDay, FMMonth FMDD') || ' at 12:00 AM') > 0,
  'the first day''s one open time, then the first days after the closure: ' || (:'few'::jsonb ->> 'result'));
select ok(strpos(:'few'::jsonb ->> 'result', private.say('en', 'availability.more')) > 0,
  '… and there are more after these');

select * from finish();
rollback;
