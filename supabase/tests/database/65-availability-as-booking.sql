-- check_availability agrees with booking (20261204080600_availability_as_booking.sql): `date` is the local day however
-- long (23 or 25 hours), "is 10:15 free?" looks at 10:15 itself, an opening off the slot grid (08:15) is offered, and
-- where the organization offers services it asks which one, as booking does (20261205172000).
begin;
select plan(14);

insert into public.organizations (id, name, timezone, max_advance_days) values
  ('65000000-0000-4000-8000-00000000000a', 'Night Owls', 'America/New_York', 400),
  ('65000000-0000-4000-8000-00000000000b', 'Quarter Past', 'America/New_York', 400);
insert into public.customer_configurations (organization_id, vapi_assistant_id) values
  ('65000000-0000-4000-8000-00000000000a', 'asst_night_owls'), ('65000000-0000-4000-8000-00000000000b', 'asst_quarter_past');
-- Night Owls: Sunday 22:00–24:00 and Monday 00:00–02:00. Quarter Past: every day 08:15–17:00.
insert into public.business_hours (organization_id, weekday, opens_at, closes_at) values
  ('65000000-0000-4000-8000-00000000000a', 0, '22:00', '24:00'), ('65000000-0000-4000-8000-00000000000a', 1, '00:00', '02:00');
insert into public.business_hours (organization_id, weekday, opens_at, closes_at)
select '65000000-0000-4000-8000-00000000000b', d, '08:15', '17:00' from generate_series(0, 6) as d;

-- The next US fall-back Sunday (1st Sunday of November) and spring-forward Sunday (2nd Sunday of March) after tomorrow.
select min(d)::text as fa_sun from (select make_date(y, 11, 1) + (7 - extract(dow from make_date(y, 11, 1))::int) % 7 as d
  from generate_series(extract(year from now())::int, extract(year from now())::int + 1) as y) as x
  where d > current_date + 1 \gset
select min(d)::text as sp_sun from (select make_date(y, 3, 1) + (7 - extract(dow from make_date(y, 3, 1))::int) % 7 + 7 as d
  from generate_series(extract(year from now())::int, extract(year from now())::int + 1) as y) as x
  where d > current_date + 1 \gset
select (current_date + 7)::text as day \gset

create function pg_temp.check(p_assistant text, p_args jsonb) returns text language sql as $$
  select tests.tool_call('check', p_assistant, null, p_args)->>'result' $$;

select alike(pg_temp.check('asst_night_owls', jsonb_build_object('date', :'fa_sun', 'duration_minutes', 30)),
  'Open times: %10:00 PM%10:30 PM%11:00 PM%11:30 PM%', 'the fall-back Sunday (25 hours) ends at its own midnight: 23:00 and 23:30 are offered');
select is(private.parse_start_time(:'fa_sun' || 'T23:00', 'America/New_York')
          < private.local_day_end(private.parse_start_time(:'fa_sun' || 'T00:00', 'America/New_York'), 'America/New_York'),
  true, '… as the day they belong to');
-- Where a fall-back repeats midnight (Havana, the Azores) too: each day ends where the next begins, after 23–25 hours.
select is((select count(*)::int
           from unnest(array['America/New_York', 'America/Havana', 'Atlantic/Azores', 'Australia/Lord_Howe']) as z,
                generate_series(current_date, current_date + 400, interval '1 day') as d,
                lateral (select private.parse_start_time(to_char(d, 'YYYY-MM-DD') || 'T00:00', z) as starts,
                                private.parse_start_time(to_char(d + interval '1 day', 'YYYY-MM-DD') || 'T00:00', z) as next) as x
           where private.local_day_end(x.starts, z) <> x.next
              or private.local_day_end(x.starts, z) - x.starts not between interval '23 hours' and interval '25 hours'), 0,
  'every local day of the next 400 in four zones ends where the next begins, after 23 to 25 hours');
select unalike(pg_temp.check('asst_night_owls', jsonb_build_object('date', :'sp_sun', 'duration_minutes', 30)),
  '%Monday%', 'the spring-forward Sunday (23 hours) offers nothing of Monday');
select alike(pg_temp.check('asst_quarter_past', jsonb_build_object('from', :'day' || 'T10:15', 'to', :'day' || 'T10:15')),
  'Open times: %10:15 AM%', '"is 10:15 free?" is answered for 10:15, which a booking takes');
select alike(pg_temp.check('asst_quarter_past', jsonb_build_object('date', :'day')),
  'Open times: %8:15 AM%8:30 AM%', 'an opening at 08:15 is offered at 08:15, then on the grid');
-- Quarter Past's afternoon has room for an hour but not for three (15:00–17:00 free).
insert into public.services (organization_id, name, duration_minutes) values
  ('65000000-0000-4000-8000-00000000000b', 'Tune-up', 60), ('65000000-0000-4000-8000-00000000000b', 'Overhaul', 180);
select is((select jsonb_build_object('reason', r->'reason', 'error', r->'error')
           from tests.tool_call('check', 'asst_quarter_past', null,
                                jsonb_build_object('from', :'day' || 'T15:00', 'to', :'day' || 'T15:00')) as r),
  jsonb_build_object('reason', 'unknown_service', 'error', 'Which service would you like? We offer: Overhaul, Tune-up.'),
  'no service where services are offered: asked which (an hour''s answer would not hold for the Overhaul)');
select alike(pg_temp.check('asst_quarter_past', jsonb_build_object('from', :'day' || 'T15:00', 'to', :'day' || 'T15:00',
                                                                   'duration_minutes', 90)),
  'Open times: %3:00 PM%', 'a length given instead: answered for it, with anyone');
select is((select r->>'reason' from tests.tool_call('check', 'asst_quarter_past', null,
             jsonb_build_object('date', :'day', 'service', null, 'duration_minutes', null, 'staff_name', null)) as r),
  'unknown_service', 'every optional argument null (OpenAI strict tools): still asked which service');
select alike(pg_temp.check('asst_quarter_past', jsonb_build_object('from', :'day' || 'T15:00', 'to', :'day' || 'T15:00',
                                                                   'service', 'tune-up')),
  'Open times: %3:00 PM%', 'the Tune-up fits at 15:00');
select alike(pg_temp.check('asst_quarter_past', jsonb_build_object('from', :'day' || 'T15:00', 'to', :'day' || 'T15:00',
                                                                   'service', 'Overhaul')),
  'That would not finish within our opening hours. Nearest open times: %',
  '… the Overhaul does not, said as a booking of it says (20261206040015_one_start_checked_as_booked.sql)');
-- helper-108: one start inside the notice is "too soon", as booking it says, not "no open times then".
insert into public.organizations (id, name, timezone, min_notice_minutes) values
  ('65000000-0000-4000-8000-00000000000c', 'Two Hours Notice', 'America/Chicago', 120);
insert into public.customer_configurations (organization_id, vapi_assistant_id) values
  ('65000000-0000-4000-8000-00000000000c', 'asst_two_hours_notice');
select to_char((now() + interval '61 minutes') at time zone 'America/Chicago', 'YYYY-MM-DD"T"HH24:00') as soon \gset
select is((select jsonb_build_object('reason', r->'reason', 'said', r->>'result' like 'That is too soon: we need at least 2 hours of notice. Nearest open times: %')
           from tests.tool_call('check', 'asst_two_hours_notice', 'soon_check',
                                jsonb_build_object('from', :'soon', 'to', :'soon')) as r),
  jsonb_build_object('reason', 'unavailable', 'said', true),
  '"is it free in an hour?" with two hours'' notice: too soon, with the nearest open times; still a check''s answer');
select is(split_part(tests.tool_call('check', 'asst_two_hours_notice', 'soon_check2',
                                     jsonb_build_object('from', :'soon', 'to', :'soon')) ->> 'result', ' Nothing was', 1),
          split_part(tests.tool_call('book', 'asst_two_hours_notice', 'soon_book',
                                     jsonb_build_object('start_time', :'soon', 'customer_name', 'Ann')) ->> 'error',
                     ' Nothing was', 1),
  '… the same words and open times as booking that start');
select is((select count(*)::int from public.appointments
           where organization_id in ('65000000-0000-4000-8000-00000000000a', '65000000-0000-4000-8000-00000000000b',
                                     '65000000-0000-4000-8000-00000000000c')), 0,
  'asking books nothing');

select * from finish();
rollback;
