-- Two active appointments at the same time on one number (a family's jobs with two technicians;
-- 20261205213638_same_time_appointments_told_apart.sql): cancel or move by phone and time does not pick one silently
-- but lists them; every list says each appointment's name, service, staff and appointment_id, by which the assistant
-- then picks one; a cancel says whose appointment it cancelled.
begin;
select plan(10);

select tests.future_weekday('America/Chicago') as day \gset
\set metro 'asst_metro_hvac_assistant'

select is(tests.tool_call('book', :'metro', 'same_1', jsonb_build_object('start_time', :'day' || 'T10:00',
            'customer_name', 'Ann Lee', 'service', 'Furnace tune-up', 'staff_name', 'James Carter'), '+15553440101')->>'reason',
  'booked', 'Ann''s tune-up at 10:00 with James');
select is(tests.tool_call('book', :'metro', 'same_2', jsonb_build_object('start_time', :'day' || 'T10:00',
            'customer_name', 'Tom Lee', 'service', 'Thermostat installation', 'staff_name', 'Maria Lopez'),
            '+15553440101')->>'reason',
  'booked', 'Tom''s installation at 10:00 with Maria, on the same number');
select (select id from public.appointments where customer_name = 'Ann Lee' and customer_phone = '+15553440101') as ann,
       (select id from public.appointments where customer_name = 'Tom Lee' and customer_phone = '+15553440101') as tom \gset

create temp table answer (k text primary key, r jsonb);
insert into answer values
  ('cancel at time', tests.tool_call('cancel', :'metro', 'same_3',
     jsonb_build_object('customer_phone', '+15553440101', 'start_time', :'day' || 'T10:00'), '+15553440101')),
  ('move at time', tests.tool_call('reschedule', :'metro', 'same_4',
     jsonb_build_object('customer_phone', '+15553440101', 'start_time', :'day' || 'T10:00',
                        'new_start_time', :'day' || 'T15:00'), '+15553440101')),
  ('cancel mine', tests.tool_call('cancel', :'metro', 'same_5', '{}', '+15553440101'));

select results_eq($$ select r->>'reason' from answer order by k $$,
  $$ values ('ambiguous'), ('ambiguous'), ('ambiguous') $$,
  'by phone and time, or "my appointment": neither is picked (the answer asks which)');
select is((select count(*)::int from public.appointments where customer_phone = '+15553440101' and status = 'scheduled'
             and start_time = (:'day' || ' 10:00')::timestamp at time zone 'America/Chicago'), 2, '… both still stand at 10:00');
select alike((select r->>'error' from answer where k = 'cancel at time'),
  format('There are several appointments for this number at that time: %%10:00 AM (%%): Ann Lee for Furnace tune-up with James Carter, appointment_id %s; %%10:00 AM (%%): Tom Lee for Thermostat installation with Maria Lopez, appointment_id %s. Which one is it?',
         :'ann', :'tom'),
  'the list names each one''s customer, service, staff and appointment_id');
select is((select r->>'error' from answer where k = 'cancel mine'),
  replace((select r->>'error' from answer where k = 'cancel at time'),
          'several appointments for this number at that time', 'several upcoming appointments for this number'),
  '"my appointment" lists them the same way (as upcoming ones)');
select is((select r->>'error' from answer where k = 'move at time'), (select r->>'error' from answer where k = 'cancel at time'),
  'a move by phone and time too');

select alike(tests.tool_call('cancel', :'metro', 'same_6', jsonb_build_object('appointment_id', :'tom'), '+15553440101')->>'result',
  '%Cancelled the appointment of Tom Lee for Thermostat installation with Maria Lopez on %10:00 AM (Chicago time).%',
  'cancelled by the appointment_id the list gave: the answer says whose');
select is(tests.tool_call('reschedule', :'metro', 'same_7',
            jsonb_build_object('customer_phone', '+15553440101', 'start_time', :'day' || 'T10:00',
                               'new_start_time', :'day' || 'T15:00'), '+15553440101')->>'reason',
  'rescheduled', 'with one left at that time, phone and time find it (Ann''s)');
-- helper-89 #9: with more than five upcoming, five are listed and the rest said to exist.
insert into public.appointments (organization_id, start_time, end_time, customer_name, customer_phone)
select '5b8f2c1e-7a4d-4e9b-8c3f-1d2e3f4a5b6c', s, s + interval '30 minutes', 'Many', '+15553449999'
from (select (tests.future_weekday('America/Chicago', 40) || ' 08:00')::timestamp at time zone 'America/Chicago'
             + n * interval '1 hour' as s from generate_series(0, 6) as n) as x;
select alike(tests.tool_call('cancel', :'metro', 'same_8', '{}', '+15553449999')->>'error',
  'There are several upcoming appointments for this number: %; and more after these. Which one is it?',
  'seven upcoming: five listed, "and more after these"');

select * from finish();
rollback;
