-- Business-hour rows that touch or overlap are one opening (20261204143000, 20261204150000): a morning and
-- an afternoon row meeting at noon take a job across noon, and availability offers it; rows with a gap between them
-- still do not.
begin;
select plan(13);

insert into public.organizations (id, name, timezone) values
  ('72000000-0000-4000-8000-00000000000a', 'Split Day Clinic', 'Asia/Kathmandu'),
  ('72000000-0000-4000-8000-00000000000b', 'Lunch Break Clinic', 'Asia/Kathmandu');
insert into public.customer_configurations (organization_id, vapi_assistant_id) values
  ('72000000-0000-4000-8000-00000000000a', 'asst_split_day'), ('72000000-0000-4000-8000-00000000000b', 'asst_lunch_break');
-- Split Day: 08–12, 12–14 and 13–17 every day (touching, then overlapping); Lunch Break: 08–12 and 13–17.
insert into public.business_hours (organization_id, weekday, opens_at, closes_at)
select '72000000-0000-4000-8000-00000000000a'::uuid, d, w.opens, w.closes from generate_series(0, 6) as d,
  (values (time '08:00', time '12:00'), (time '12:00', time '14:00'), (time '13:00', time '17:00')) as w(opens, closes)
union all
select '72000000-0000-4000-8000-00000000000b'::uuid, d, w.opens, w.closes from generate_series(0, 6) as d,
  (values (time '08:00', time '12:00'), (time '13:00', time '17:00')) as w(opens, closes);
select (current_date + 5)::text as day \gset
create function pg_temp.call(p_assistant text, p_tool text, p_call text, p_args jsonb) returns text language sql
as $$ select coalesce(r->>'reason', '') || ' ' || coalesce(r->>'result', r->>'error', '')
      from tests.tool_call(p_tool, p_assistant, p_call, p_args) as r $$;

select alike(pg_temp.call('asst_split_day', 'book', 'sd_1', jsonb_build_object('start_time', :'day' || 'T11:30', 'customer_name', 'Asha', 'duration_minutes', 60)),
  'booked %', 'an hour from 11:30, across the rows meeting at noon: booked');
select alike(pg_temp.call('asst_split_day', 'book', 'sd_2', jsonb_build_object('start_time', (:'day'::date + 1)::text || 'T08:00', 'customer_name', 'Bina', 'duration_minutes', 480)),
  'booked %', 'eight hours from 08:00 through three overlapping rows: booked');
select alike(pg_temp.call('asst_split_day', 'book', 'sd_3', jsonb_build_object('start_time', (:'day'::date + 2)::text || 'T16:30', 'customer_name', 'Chet', 'duration_minutes', 60)),
  'outside_hours %', 'past the last row''s 17:00: refused');
select alike(pg_temp.call('asst_split_day', 'check', 'sd_4', jsonb_build_object('from', (:'day'::date + 3)::text || 'T11:30', 'to', (:'day'::date + 3)::text || 'T11:30', 'duration_minutes', 60)),
  'available Open times: %11:30 AM%', 'availability offers 11:30 for an hour too');
select alike(pg_temp.call('asst_lunch_break', 'book', 'lb_1', jsonb_build_object('start_time', :'day' || 'T11:30', 'customer_name', 'Dev', 'duration_minutes', 60)),
  'outside_hours %', 'with a lunch hour between the rows, an hour from 11:30 is refused');
select alike(pg_temp.call('asst_lunch_break', 'book', 'lb_2', jsonb_build_object('start_time', :'day' || 'T13:00', 'customer_name', 'Dev', 'duration_minutes', 60)),
  'booked %', '… and 13:00 is booked');
select is((select count(*)::int from public.appointments
           where organization_id in ('72000000-0000-4000-8000-00000000000a', '72000000-0000-4000-8000-00000000000b')), 3,
  'only the three bookings were made');

-- Night Shift (UTC): 20:00–24:00, 00:00–02:00 and 02:00–06:00 every day are one opening, 20:00 → 06:00, whatever
-- range is asked about (helper-39: a booking read only the start's day and refused the 23:00 availability offered).
insert into public.organizations (id, name, timezone) values ('72000000-0000-4000-8000-00000000000c', 'Night Shift', 'UTC');
insert into public.customer_configurations (organization_id, vapi_assistant_id) values
  ('72000000-0000-4000-8000-00000000000c', 'asst_night_shift');
insert into public.business_hours (organization_id, weekday, opens_at, closes_at)
select '72000000-0000-4000-8000-00000000000c'::uuid, d, w.opens, w.closes from generate_series(0, 6) as d,
  (values (time '00:00', time '02:00'), (time '02:00', time '06:00'), (time '20:00', time '24:00')) as w(opens, closes);
select alike(pg_temp.call('asst_night_shift', 'check', 'ns_1', jsonb_build_object('from', :'day' || 'T22:30', 'to', :'day' || 'T23:59', 'duration_minutes', 240)),
  'available Open times: %11:00 PM%', 'availability offers 23:00 for four hours');
select alike(pg_temp.call('asst_night_shift', 'book', 'ns_2', jsonb_build_object('start_time', :'day' || 'T23:00', 'customer_name', 'Owl', 'duration_minutes', 240)),
  'booked %', '… and booking it books it');
select alike(pg_temp.call('asst_night_shift', 'book', 'ns_3', jsonb_build_object('start_time', (:'day'::date + 3)::text || 'T01:00', 'customer_name', 'Bat', 'duration_minutes', 240)),
  'booked %', '01:00 for four hours, into the 02:00–06:00 row: booked');
select alike(pg_temp.call('asst_night_shift', 'book', 'ns_4', jsonb_build_object('start_time', (:'day'::date + 2)::text || 'T03:00', 'customer_name', 'Elk', 'duration_minutes', 240)),
  'outside_hours %', 'past 06:00: refused');

-- A row inside a spring-forward gap (02:30–03:00 on the Sunday New York skips 02:00–03:00) opens nothing and breaks
-- nothing around it (20261204160800_gap_rows_open_nothing.sql, helper-40: it raised a range error).
insert into public.organizations (id, name, timezone) values ('72000000-0000-4000-8000-00000000000d', 'Gap NY', 'America/New_York');
insert into public.customer_configurations (organization_id, vapi_assistant_id) values
  ('72000000-0000-4000-8000-00000000000d', 'asst_gap_ny');
insert into public.business_hours (organization_id, weekday, opens_at, closes_at)
select '72000000-0000-4000-8000-00000000000d'::uuid, d, time '09:00', time '17:00' from generate_series(0, 6) as d
union all select '72000000-0000-4000-8000-00000000000d'::uuid, 0, time '02:30', time '03:00';
select (select d from generate_series(current_date + 1, current_date + 400, interval '1 day') as g(d)
        where extract(dow from d) = 0 and (d::date + time '12:00') at time zone 'America/New_York'
                                        - (d::date + time '00:00') at time zone 'America/New_York' = interval '11 hours'
        limit 1)::date::text as gap_day \gset
select alike(pg_temp.call('asst_gap_ny', 'book', 'gap_1', jsonb_build_object('start_time', (:'gap_day'::date + 1)::text || 'T10:00', 'customer_name', 'Gil')),
  'booked %', 'the Monday after the gap Sunday: booked');
select alike(pg_temp.call('asst_gap_ny', 'check', 'gap_2', jsonb_build_object('date', :'gap_day')),
  'available Open times: %9:00 AM%', 'the gap Sunday itself: its 09:00–17:00 is offered');

select * from finish();
rollback;
