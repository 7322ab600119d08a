-- The availability grid is each opening's own, whatever the question's start (helper-66 #1): with slots that do not
-- divide an hour, a day asked as `date`, as `from` a later time, and as a date with a time lists the same times —
-- after the window's own start when it is free (20261205194638_window_start_offered.sql: a time the caller named).
begin;
select plan(11);

insert into public.organizations (id, name, timezone, slot_minutes) values
  ('80000000-0000-4000-8000-00000000000a', 'Grid 45 Round The Clock', 'Asia/Kolkata', 45),
  ('80000000-0000-4000-8000-00000000000b', 'Grid 90 Office Hours', 'America/Chicago', 90),
  ('80000000-0000-4000-8000-00000000000c', 'Grid 50 Days That Touch', 'America/New_York', 50),
  ('80000000-0000-4000-8000-00000000000d', 'Grid 50 Evenings', 'America/New_York', 50),
  ('80000000-0000-4000-8000-00000000000e', 'Grid 30 Havana', 'America/Havana', 30);
insert into public.customer_configurations (organization_id, vapi_assistant_id) values
  ('80000000-0000-4000-8000-00000000000a', 'asst_grid_45'), ('80000000-0000-4000-8000-00000000000b', 'asst_grid_90'),
  ('80000000-0000-4000-8000-00000000000c', 'asst_grid_50'), ('80000000-0000-4000-8000-00000000000d', 'asst_grid_eve'),
  ('80000000-0000-4000-8000-00000000000e', 'asst_grid_havana');
insert into public.business_hours (organization_id, weekday, opens_at, closes_at)
select o, d, case o when '80000000-0000-4000-8000-00000000000b' then '08:00' else '00:00' end::time,
       case o when '80000000-0000-4000-8000-00000000000b' then '18:00' else '24:00' end::time
from generate_series(0, 6) as d,
     unnest('{80000000-0000-4000-8000-00000000000b,80000000-0000-4000-8000-00000000000c,80000000-0000-4000-8000-00000000000e}'::uuid[]) as o;
-- Evenings: 18:00–24:00 and 00:00–02:00 every day (hours past midnight, one opening from 18:00).
insert into public.business_hours (organization_id, weekday, opens_at, closes_at)
select '80000000-0000-4000-8000-00000000000d', d, w.opens, w.closes
from generate_series(0, 6) as d, (values (time '18:00', time '24:00'), (time '00:00', time '02:00')) as w(opens, closes);

select to_char((now() at time zone 'Asia/Kolkata')::date + 20, 'YYYY-MM-DD') as day \gset
-- The open times' local clock readings (HH24:MI) an availability answer lists.
create function pg_temp.times(p_assistant text, p_args jsonb) returns text language sql as $$
  select string_agg(m[1], ' ' order by m[1])
  from regexp_matches(tests.tool_call('check', p_assistant, 'grid_' || md5(p_args::text), p_args) ->> 'result',
                      '\d{4}-\d\d-\d\dT(\d\d:\d\d):00', 'g') as m $$;

select is(pg_temp.times('asst_grid_45', jsonb_build_object('date', :'day')), '00:00 00:45 01:30 02:15 03:00',
  '45-minute slots round the clock: the day''s grid from midnight');
select is(pg_temp.times('asst_grid_45', jsonb_build_object('from', :'day' || 'T10:10', 'to', :'day' || 'T13:00')),
  '10:10 10:30 11:15 12:00 12:45', 'asked from 10:10: 10:10 itself, then the same grid (10:30, 11:15 …), not one from 10:10');
select is(pg_temp.times('asst_grid_45', jsonb_build_object('date', :'day' || 'T10:00')),
  '10:00 10:30 11:15 12:00 12:45', 'a date with a time: that time, then the same grid again');
select is(pg_temp.times('asst_grid_90', jsonb_build_object('from', :'day' || 'T10:00', 'to', :'day' || 'T16:00')),
  '10:00 11:00 12:30 14:00 15:30', '90-minute slots from an 08:00 opening, asked from 10:00: 10:00, then 11:00, 12:30 … (not 11:30)');

-- helper-108 #1: 00:00–24:00 rows touch, so an opening runs on for days and its start is only as early as a question
-- reaches; the grid starts again at each local midnight (50 minutes do not divide a day: counted from the day before,
-- the same night read 00:10, 01:00 asked that night and 00:20, 01:10 asked from the evening before).
select day_before from (select to_char(:'day'::date - 1, 'YYYY-MM-DD') as day_before) as x \gset
select is(pg_temp.times('asst_grid_50', jsonb_build_object('from', :'day' || 'T00:05', 'to', :'day' || 'T02:00')),
  '00:05 00:50 01:40', 'days that touch, asked that night: its own start, then the grid from midnight');
select is(pg_temp.times('asst_grid_50', jsonb_build_object('from', :'day_before' || 'T23:30', 'to', :'day' || 'T02:00')),
  '00:00 00:50 01:40 23:30', '… asked from the evening before: the same night''s times');

-- helper-111: an opening that began since the previous midnight (18:00 the evening before) keeps its own grid across
-- midnight (18:00, 18:50, … 23:50, 00:40, 01:30), asked as the day or from the evening before.
select is(pg_temp.times('asst_grid_eve', jsonb_build_object('date', :'day', 'duration_minutes', 30)),
  '00:40 01:30 18:00 18:50 19:40', 'hours past midnight, asked as the day: the evening''s grid after midnight');
select is(pg_temp.times('asst_grid_eve', jsonb_build_object('from', :'day_before' || 'T23:30', 'to', :'day' || 'T02:00',
                                                            'duration_minutes', 30)),
  '00:40 01:30 23:30 23:50', '… asked from the evening before: the same times');
-- Havana's fall-back night repeats midnight (01:00 → 00:00, the first Sunday of November): asked as that day, its
-- first open time is the first midnight, as opening hours read it (helper-111 #1).
select to_char(make_date(y, 11, 1) + (7 - extract(dow from make_date(y, 11, 1))::int) % 7, 'YYYY-MM-DD') as ha_sun
from (select extract(year from now())::int + 1 as y) as y \gset
update public.organizations set max_advance_days = 800 where id = '80000000-0000-4000-8000-00000000000e';
select alike(tests.tool_call('check', 'asst_grid_havana', 'grid_havana', jsonb_build_object('date', :'ha_sun')) ->> 'result',
  '%' || :'ha_sun' || 'T00:00:00-04:00%' || :'ha_sun' || 'T00:30:00-04:00%' || :'ha_sun' || 'T00:00:00-05:00%',
  'Havana''s fall-back day: 00:00 and 00:30 before the clocks go back, then the repeated 00:00');

-- helper-78: 45 minutes from 16:15 to 17:00 at an office closing at 18:00 minus an hour: 16:15 fits, the grid's 16:30
-- would not.
update public.business_hours set closes_at = '17:00' where organization_id = '80000000-0000-4000-8000-00000000000b';
select is(pg_temp.times('asst_grid_90', jsonb_build_object('from', :'day' || 'T16:15', 'to', :'day' || 'T17:00',
                                                          'duration_minutes', 45)),
  '16:15', 'a window whose own start fits and whose grid does not: its start is offered');
insert into public.appointments (organization_id, start_time, end_time, customer_name)
values ('80000000-0000-4000-8000-00000000000b', (:'day' || ' 16:00')::timestamp at time zone 'America/Chicago',
        (:'day' || ' 16:45')::timestamp at time zone 'America/Chicago', 'Taken');
select is(tests.tool_call('check', 'asst_grid_90', 'grid_taken', jsonb_build_object('from', :'day' || 'T16:15',
                          'to', :'day' || 'T17:00', 'duration_minutes', 30)) ->> 'reason', 'unavailable',
  '… and not when it is taken');

select * from finish();
rollback;
