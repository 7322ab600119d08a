-- A caller who books again in a new call (a redial after a dropped call; 20261205220026_redial_finds_own_booking.sql) is
-- confirmed as the appointment they hold for that name, time and service — not given a second technician; another
-- name on the same number still books; a time the caller's own appointment holds is refused saying so.
begin;
select plan(22);

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
  $$ values ('booked'), ('booked'), ('booked'), ('already_booked') $$,
  'every one is answered booked — the redial confirmed as the booking it has (already_booked)');
select is((select (r->>'result')::jsonb->>'appointment_id' from answer where k = 'redial'),
          (select (r->>'result')::jsonb->>'appointment_id' from answer where k = 'first'),
  'the same caller, name, time and service in a new call: the appointment they hold, confirmed');
select alike((select (r->>'result')::jsonb->>'message' from answer where k = 'redial'),
  'Dana Ortiz already has this appointment for Furnace tune-up with % on %9:00 AM (Chicago time); nothing new was booked.',
  '… said as the appointment they hold, with whom (helper-89 #8)');
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

-- helper-89 #1, #2, #5: the booking's own number (one given for someone else), the name's words, the service's words.
select tests.tool_call('book', :'metro', 'redial_12', jsonb_build_object('start_time', :'day' || 'T16:00',
  'customer_name', 'Mom Lee', 'service', 'AC repair', 'customer_phone', '+15553770606'), '+15553770707') as mom \gset
select is((tests.tool_call('book', :'metro', 'redial_13', jsonb_build_object('start_time', :'day' || 'T16:00',
             'customer_name', 'Mom Lee', 'service', 'AC repair', 'customer_phone', '(555) 377-0606'),
             '+15553770707')->>'result')::jsonb->>'appointment_id',
          (:'mom'::jsonb->>'result')::jsonb->>'appointment_id',
  'a redial booking for another number (given again) is confirmed as that number''s appointment');
select is((tests.tool_call('book', :'metro', 'redial_14', jsonb_build_object('start_time', :'day' || 'T16:00',
             'customer_name', 'Mom Lee', 'service', 'AC repair', 'customer_phone', '+15553770606'))->>'result')::jsonb->>'appointment_id',
          (:'mom'::jsonb->>'result')::jsonb->>'appointment_id',
  '… also from a hidden caller');
select is((tests.tool_call('book', :'metro', 'redial_15', jsonb_build_object('start_time', :'day' || 'T09:00',
             'customer_name', 'Dána  Ortíz.', 'service', 'furnace tuneup'), '+15553770101')->>'result')::jsonb->>'appointment_id',
          (select (r->>'result')::jsonb->>'appointment_id' from answer where k = 'first'),
  '"Dána  Ortíz." for "furnace tuneup": the same customer and service as "Dana Ortiz", "Furnace tune-up"');
select is((select count(*)::int from public.appointments where customer_phone = '+15553770606' and is_active), 1,
  '… one appointment for Mom Lee in all');

-- A business without services: the free-text service is the service (helper-89 #5).
select tests.tool_call('book', 'asst_hvac_company_assistant', 'redial_16', jsonb_build_object('start_time',
  tests.future_weekday('America/New_York') || 'T10:00', 'customer_name', 'Ann Smith', 'service', 'AC repair'),
  '+15553770808') as ann \gset
select isnt(coalesce((tests.tool_call('book', 'asst_hvac_company_assistant', 'redial_17', jsonb_build_object('start_time',
               tests.future_weekday('America/New_York') || 'T10:00', 'customer_name', 'Ann Smith', 'service', 'furnace install'),
               '+15553770808')->>'result')::jsonb->>'appointment_id', 'none'),
            (:'ann'::jsonb->>'result')::jsonb->>'appointment_id',
  'another free-text service at that time is not confirmed as the first');
select alike(tests.tool_call('book', 'asst_hvac_company_assistant', 'redial_18', jsonb_build_object('start_time',
               tests.future_weekday('America/New_York') || 'T10:00', 'customer_name', 'Ann Smith', 'service', 'furnace install'),
               '+15553770808')->>'error',
  'That time is already taken. That time overlaps your own appointment on %',
  '… it is refused, saying the caller''s own appointment holds the time');

-- helper-89 #4: the caller's own job is said only when it holds the time for this job: their AC repair with James
-- does not hold duct cleaning, which only Priya does and another customer has at 14:00 (another day, all free).
select tests.future_weekday('America/Chicago', 30) as day2 \gset
select is(tests.tool_call('book', :'metro', 'own_1', jsonb_build_object('start_time', :'day2' || 'T14:00',
            'customer_name', 'Other', 'service', 'Duct cleaning'), '+15553770909')->>'reason', 'booked',
  'another customer has Priya (duct cleaning) at 14:00');
select is(tests.tool_call('book', :'metro', 'own_2', jsonb_build_object('start_time', :'day2' || 'T13:30',
            'customer_name', 'Oli Own', 'service', 'AC repair', 'staff_name', 'James Carter'), '+15553771010')->>'reason',
  'booked', 'the caller has James (AC repair) 13:30–15:00');
select unalike(tests.tool_call('book', :'metro', 'own_3', jsonb_build_object('start_time', :'day2' || 'T14:00',
                 'customer_name', 'Oli Own', 'service', 'Duct cleaning'), '+15553771010')->>'error',
  '%your own appointment%', 'duct cleaning at 14:00 refused without calling it the caller''s own appointment');

-- helper-89 #12: nobody active performs the service: said so, not "taken".
update public.staff_members set is_active = false where name = 'Priya Patel';
select is(tests.tool_call('book', :'metro', 'nobody_1', jsonb_build_object('start_time', :'day2' || 'T09:00',
            'customer_name', 'Nia', 'service', 'Duct cleaning'), '+15553771111')->>'error',
  'Nobody does Duct cleaning at the moment. Nothing was booked.', 'duct cleaning with its only technician inactive');

select * from finish();
rollback;
