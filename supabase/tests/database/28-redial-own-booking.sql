-- A caller who books again in a new call (a redial after a dropped call; 20261205220026_redial_finds_own_booking.sql) is
-- confirmed as the appointment they hold for that name, time and service — not given a second technician; another
-- name on the same number still books; a time the caller's own appointment holds is refused saying so.
begin;
select plan(11);

select tests.future_weekday('America/Chicago') as day \gset
\set metro 'asst_metro_hvac_assistant'

create temp table answer (k text primary key, r jsonb);
insert into answer values
  ('first', tests.tool_call('book', :'metro', 'redial_1', jsonb_build_object('start_time', :'day' || 'T09:00',
     'customer_name', 'Dana Ortiz', 'service', 'Furnace tune-up'), '+15553770101')),
  ('redial', tests.tool_call('book', :'metro', 'redial_2', jsonb_build_object('start_time', :'day' || 'T09:00',
     'customer_name', 'dana ortiz', 'service', 'Furnace tune-up'), '+15553770101')),
  ('other caller', tests.tool_call('book', :'metro', 'redial_3', jsonb_build_object('start_time', :'day' || 'T09:00',
     'customer_name', 'Dana Ortiz', 'service', 'Furnace tune-up'), '+15553770202')),
  ('family', tests.tool_call('book', :'metro', 'redial_4', jsonb_build_object('start_time', :'day' || 'T09:00',
     'customer_name', 'Tom Ortiz', 'service', 'Furnace tune-up'), '+15553770101'));

select results_eq($$ select r->>'reason' from answer order by k $$,
  $$ values ('booked'), ('booked'), ('booked'), ('booked') $$, 'every one is answered booked');
select is((select (r->>'result')::jsonb->>'appointment_id' from answer where k = 'redial'),
          (select (r->>'result')::jsonb->>'appointment_id' from answer where k = 'first'),
  'the same caller, name, time and service in a new call: the appointment they hold, confirmed');
select is((select count(*)::int from public.appointments
           where customer_phone = '+15553770101' and customer_name ilike 'dana ortiz' and is_active), 1,
  '… one appointment, one technician');
select isnt((select (r->>'result')::jsonb->>'appointment_id' from answer where k = 'other caller'),
            (select (r->>'result')::jsonb->>'appointment_id' from answer where k = 'first'),
  'the same name from another number is never confirmed as hers: booked on its own');
select isnt((select (r->>'result')::jsonb->>'appointment_id' from answer where k = 'family'),
            (select (r->>'result')::jsonb->>'appointment_id' from answer where k = 'first'),
  'another name on the same number (a family) books side by side');

-- Dana's technician asked for 9:30, which her own 9:00 job holds.
select (r->>'result')::jsonb->>'staff_name' as dana_staff from answer where k = 'first' \gset
select alike(tests.tool_call('book', :'metro', 'redial_5', jsonb_build_object('start_time', :'day' || 'T09:30',
               'customer_name', 'Dana Ortiz', 'service', 'Furnace tune-up', 'staff_name', :'dana_staff'),
               '+15553770101')->>'error',
  '% That time overlaps your own appointment on %9:00 AM. Nearest open times: %',
  'a time the caller''s own appointment holds: refused, saying it is theirs');
select unalike(tests.tool_call('book', :'metro', 'redial_6', jsonb_build_object('start_time', :'day' || 'T09:30',
                 'customer_name', 'Sam Hill', 'service', 'Furnace tune-up', 'staff_name', :'dana_staff'),
                 '+15553770909')->>'error',
  '%your own appointment%', 'another caller refused the same time hears nothing of it');

-- helper-87 #2: a redial for a day closed since is told so, not confirmed.
select is(tests.tool_call('book', :'metro', 'redial_7', jsonb_build_object('start_time', :'day' || 'T11:00',
            'customer_name', 'Lou Ng', 'service', 'Furnace tune-up'), '+15553770303')->>'reason', 'booked', 'Lou books 11:00');
set local client_min_messages = error; -- the closed date's WARNING about Lou's job
insert into public.closed_dates (organization_id, closed_on) values ('5b8f2c1e-7a4d-4e9b-8c3f-1d2e3f4a5b6c', :'day');
select alike(tests.tool_call('book', :'metro', 'redial_8', jsonb_build_object('start_time', :'day' || 'T11:00',
            'customer_name', 'Lou Ng', 'service', 'Furnace tune-up'), '+15553770303')->>'error',
  'We are closed that day. Nearest open times: % Nothing was booked.', 'a redial for a day closed since: told so, not "Booked"');
delete from public.closed_dates where organization_id = '5b8f2c1e-7a4d-4e9b-8c3f-1d2e3f4a5b6c' and closed_on = :'day';

-- helper-87 #5: the number a carrier presents for a withheld caller is nobody's: no booking of another hidden caller
-- is confirmed as theirs.
select tests.tool_call('book', :'metro', 'redial_9', jsonb_build_object('start_time', :'day' || 'T13:00',
  'customer_name', 'Anon', 'service', 'Furnace tune-up'), '+266696687') as anon_1 \gset
select isnt((tests.tool_call('book', :'metro', 'redial_10', jsonb_build_object('start_time', :'day' || 'T13:00',
               'customer_name', 'Anon', 'service', 'Furnace tune-up'), '+266696687')->>'result')::jsonb->>'appointment_id',
            (:'anon_1'::jsonb->>'result')::jsonb->>'appointment_id',
  'two hidden callers ("+266696687"): the second is not confirmed as the first''s booking');

-- helper-88 #1: a caller's number not in E.164 (a BYO trunk) is read as dialled in the country of the lines.
select (tests.tool_call('book', :'metro', 'redial_11', jsonb_build_object('start_time', :'day' || 'T15:00',
  'customer_name', 'Bo Byo', 'service', 'Furnace tune-up'), '15553770505')->>'result')::jsonb->>'appointment_id' as byo \gset
select is((select customer_phone from public.appointments where id = :'byo'), '+15553770505',
  'a caller''s "15553770505" is +15553770505 (the lines are +1), not dropped');

select * from finish();
rollback;
