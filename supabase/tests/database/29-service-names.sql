-- Services named as callers say them (20261205220306_service_names_as_callers_say_them.sql): punctuation, spacing, a leading article, a closing
-- "appointment"/"service"/"cita" and a plural aside; the name as written still wins; what is not offered is still
-- refused with the list.
begin;
select plan(19);

select tests.future_weekday('America/Chicago') as day \gset
\set metro '''5b8f2c1e-7a4d-4e9b-8c3f-1d2e3f4a5b6c'''

select is(array_agg((private.find_service(:metro, x)).name order by o),
  array['Furnace tune-up', 'Furnace tune-up', 'AC repair', 'AC repair', 'Furnace tune-up', 'Duct cleaning',
        'Thermostat installation', 'Duct cleaning'],
  'as callers say them: "Furnace tune up", "furnace tuneup", "A.C. repair", "ac repairs", "a furnace tune-up", '
  || '"duct cleaning service", "Thermostat installations", "the duct cleaning"')
from unnest(array['Furnace tune up', 'furnace tuneup', 'A.C. repair', 'ac repairs', 'a furnace tune-up',
                  'duct cleaning service', 'Thermostat installations', 'the duct cleaning']) with ordinality as u(x, o);
select is((private.find_service(:metro, 'plumbing')).id, null, 'a service not offered is not found');
select is(private.service_key('Check-up'), private.service_key('checkups'), 'keys: "Check-up" = "checkups"');

-- Another service whose name, as written, is another's key: the name as written wins.
insert into public.services (organization_id, name, duration_minutes) values (:metro, 'Tune up', 30);
select is((private.find_service(:metro, 'tune up')).name, 'Tune up', 'the name as written wins over words alike');

select alike(tests.tool_call('check', 'asst_metro_hvac_assistant', 'svc_1',
               jsonb_build_object('date', :'day', 'service', 'furnace tuneup'))->>'result', 'Open times: %',
  'check_availability for "furnace tuneup": open times, not "We do not offer"');
select is(tests.tool_call('book', 'asst_metro_hvac_assistant', 'svc_2', jsonb_build_object('start_time', :'day' || 'T10:00',
            'customer_name', 'Ari', 'service', 'A.C. repair'), '+15553880101')->>'result' is not null
          and (tests.tool_call('book', 'asst_metro_hvac_assistant', 'svc_2', jsonb_build_object('start_time', :'day' || 'T10:00',
            'customer_name', 'Ari', 'service', 'A.C. repair'), '+15553880101')->>'result')::jsonb->>'service' = 'AC repair',
  true, 'book_appointment for "A.C. repair": booked as "AC repair"');

-- helper-87 #1: titles are words of a service's name; words that leave only an article find nothing; several services
-- alike find none (the caller hears the list, nothing is guessed).
insert into public.services (organization_id, name, duration_minutes) values
  (:metro, 'Uñas', 30), (:metro, 'Sr. Haircut', 30), (:metro, 'Haircut', 20), (:metro, 'Office set-up', 30),
  (:metro, 'Office setups', 45);
select is(array_agg((private.find_service(:metro, x)).name order by o),
  array[null, null, 'Sr. Haircut', 'Haircut']::text[],
  '"una cita" and "una visita" find no "Uñas"; "sr haircut" is Sr. Haircut, "haircuts" is Haircut')
from unnest(array['una cita', 'una visita', 'sr haircut', 'haircuts']) with ordinality as u(x, o);
select is((private.find_service(:metro, 'office set up')).id, null,
  'two services alike ("Office set-up", "Office setups"): neither is guessed');
select is((private.find_service(:metro, 'Office set-up')).name, 'Office set-up', '… the name as written still finds its own');

-- helper-89 #3: an alias two services share, or one that is another service's words, is not guessed.
insert into public.services (organization_id, name, aliases, duration_minutes) values
  (:metro, 'Check-up', array['exam'], 30), (:metro, 'Kids check-up', array['exam'], 30),
  (:metro, 'Boiler tune-up', array['boiler tune up', 'tune'], 30), (:metro, 'Tune', '{}', 15);
select is(array_agg((private.find_service(:metro, x)).name order by o), array[null, null, 'Boiler tune-up']::text[],
  '"exam" and "exams" (an alias two services share) find none; "boiler tune up" (one''s alias) finds it')
from unnest(array['exam', 'exams', 'boiler tune up']) with ordinality as u(x, o);
select is((private.find_service(:metro, 'tune')).name, 'Tune', 'a name as written wins over another''s alias');

-- Names are written tidy (20261205235627): a padded or double-spaced twin of a name is refused, a tidy one kept.
select throws_ok($$ insert into public.services (organization_id, name, duration_minutes)
                    values ('5b8f2c1e-7a4d-4e9b-8c3f-1d2e3f4a5b6c', ' AC repair ', 30) $$, '23514', null,
  'a service name with outer spaces is refused');
select throws_ok($$ insert into public.services (organization_id, name, duration_minutes)
                    values ('5b8f2c1e-7a4d-4e9b-8c3f-1d2e3f4a5b6c', 'AC  repair', 30) $$, '23514', null,
  'a service name with two spaces between words is refused');
select throws_ok($$ insert into public.staff_members (organization_id, name)
                    values ('5b8f2c1e-7a4d-4e9b-8c3f-1d2e3f4a5b6c', 'Maria Lopez ') $$, '23514', null,
  'a staff name with outer spaces is refused');
select lives_ok($$ insert into public.services (organization_id, name, duration_minutes)
                   values ('5b8f2c1e-7a4d-4e9b-8c3f-1d2e3f4a5b6c', 'Heat pump repair', 30) $$, 'a tidy name is kept');
-- A row written before the rule (trigger off to write it) can still be retired, and tidied (helper-94 #4).
alter table public.services disable trigger services_name_tidy;
insert into public.services (id, organization_id, name, duration_minutes)
values ('29000000-0000-4000-8000-0000000000aa', '5b8f2c1e-7a4d-4e9b-8c3f-1d2e3f4a5b6c', 'Old  twin ', 30);
alter table public.services enable trigger services_name_tidy;
select lives_ok($$ update public.services set is_active = false where id = '29000000-0000-4000-8000-0000000000aa' $$,
  'an older untidy row can be retired without touching its name');
select lives_ok($$ update public.services set name = name where id = '29000000-0000-4000-8000-0000000000aa' $$,
  '… written back whole, its name unchanged');
select lives_ok($$ update public.services set name = 'Old twin' where id = '29000000-0000-4000-8000-0000000000aa' $$,
  '… and tidied');
select throws_ok($$ insert into public.services (organization_id, name, duration_minutes)
                    values ('5b8f2c1e-7a4d-4e9b-8c3f-1d2e3f4a5b6c', E'AC repair\u00a0', 30) $$, '23514', null,
  'a non-breaking space is no tidier (helper-95)');

select * from finish();
rollback;
