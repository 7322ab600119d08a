-- Arguments checked for what they are, the booking horizon on every organization, and the caller's own number
-- (p_caller_phone) as the booking's phone and as "my appointment" for cancel/reschedule within the organization.
begin;
select plan(31);

insert into public.organizations (id, name, timezone) values
  ('22000000-0000-4000-8000-00000000000a', 'Args A', 'America/New_York'),
  ('22000000-0000-4000-8000-00000000000b', 'Args B', 'America/New_York');
insert into public.customer_configurations (organization_id, vapi_assistant_id) values
  ('22000000-0000-4000-8000-00000000000a', 'asst_args_a'), ('22000000-0000-4000-8000-00000000000b', 'asst_args_b');
create function pg_temp.day(n integer) returns text language sql stable
as $$ select to_char((now() at time zone 'America/New_York')::date + n, 'YYYY-MM-DD') $$;
create function pg_temp.call(p_tool text, p_call text, p_args jsonb, p_caller text default null, p_assistant text default 'asst_args_a')
returns jsonb language sql as $$ select tests.tool_call(p_tool, p_assistant, p_call, p_args, p_caller) $$;
create function pg_temp.refused(p_args jsonb) returns text language sql as $$
  select r->>'reason' || ': ' || (r->>'error') from (select pg_temp.call('book', 'args_' || md5(p_args::text), p_args) as r) as x $$;

-- =====================================================================================================================
-- Section - Arguments are what they claim to be
-- =====================================================================================================================
select is(pg_temp.refused(jsonb_build_object('start_time', pg_temp.day(10) || 'T10:00', 'customer_name', jsonb_build_object('first', 'Ann'))),
  'invalid_arguments: I need the name for the appointment.', 'customer_name as a JSON object is refused');
select is(pg_temp.refused(jsonb_build_object('start_time', pg_temp.day(10) || 'T10:00', 'customer_name', 42)),
  'invalid_arguments: I need the name for the appointment.', 'customer_name as a number is refused');
select is(pg_temp.refused(jsonb_build_object('start_time', pg_temp.day(10) || 'T10:00', 'customer_name', '   ')),
  'invalid_arguments: I need the name for the appointment.', 'a blank customer_name is refused');
select is(pg_temp.refused(jsonb_build_object('start_time', pg_temp.day(10) || 'T10:00', 'customer_name', E'\t\n')),
  'invalid_arguments: I need the name for the appointment.', 'a name of tabs and line breaks is blank');
select is(pg_temp.refused(jsonb_build_object('start_time', pg_temp.day(10) || 'T10:00', 'customer_name', E' \u00a0\u2003\u3000\ufeff')),
  'invalid_arguments: I need the name for the appointment.', 'a name of Unicode spaces (no-break, em, ideographic, BOM) is blank');
select is(pg_temp.call('book', 'args_trimmed', jsonb_build_object('start_time', pg_temp.day(20) || 'T13:00', 'customer_name', E'\u00a0Ann Lee\t'), null, 'asst_args_b')->>'reason',
  'booked', 'a name wrapped in Unicode spaces books');
select is((select customer_name from public.appointments where vapi_call_id = 'args_trimmed'), 'Ann Lee',
  'the name is stored without them');
select is(pg_temp.call('book', 'args_fraction', jsonb_build_object('start_time', pg_temp.day(20) || 'T09:00:00.999', 'customer_name', 'Ann'), null, 'asst_args_b')->>'reason',
  'booked', 'a start time with seconds and a fraction books');
select is((select (start_time at time zone 'America/New_York')::text || ' ' || (end_time at time zone 'America/New_York')::text
           from public.appointments where vapi_call_id = 'args_fraction'),
  pg_temp.day(20) || ' 09:00:00 ' || pg_temp.day(20) || ' 10:00:00', 'it is kept to the minute: the answer says what is stored');
select is(pg_temp.call('book', 'args_after_fraction', jsonb_build_object('start_time', pg_temp.day(20) || 'T10:00', 'customer_name', 'Bo'), null, 'asst_args_b')->>'reason',
  'booked', 'so the next slot (10:00) is still free');
select is(pg_temp.refused(jsonb_build_object('start_time', pg_temp.day(10) || 'T10:00', 'customer_name', repeat('x', 201))),
  'invalid_arguments: Some of the booking details are too long. Please keep them short.', 'a 201-character name is refused');
select is(pg_temp.refused(jsonb_build_object('start_time', pg_temp.day(10) || 'T10:00', 'customer_name', 'Ann', 'notes', jsonb_build_array('a'))),
  'invalid_arguments: I could not understand some of the details. Please say them again.', 'notes as an array is refused');
select is(pg_temp.refused(jsonb_build_object('start_time', pg_temp.day(10) || 'T10:00:60', 'customer_name', 'Ann')),
  'invalid_arguments: I could not understand that date and time. Please say the day and the time again.', '10:00:60 is not a time');
select is(pg_temp.refused(jsonb_build_object('start_time', pg_temp.day(10) || 'T24:00', 'customer_name', 'Ann')),
  'invalid_arguments: I could not understand that date and time. Please say the day and the time again.', '24:00 is not a time');
select is(pg_temp.refused(jsonb_build_object('start_time', 'infinity', 'customer_name', 'Ann')),
  'invalid_arguments: I could not understand that date and time. Please say the day and the time again.', '"infinity" is not a time');
select is(pg_temp.refused(jsonb_build_object('start_time', 1767261600, 'customer_name', 'Ann')),
  'invalid_arguments: I could not understand some of the details. Please say them again.', 'a start_time number is refused');
select is(pg_temp.refused(jsonb_build_object('start_time', pg_temp.day(10) || 'T10:00', 'customer_name', 'Ann') || '{"duration_minutes": 1e400}'::jsonb),
  'invalid_arguments: The appointment length must be a whole number of minutes, from 5 minutes to 8 hours.', 'duration_minutes 1e400 is refused, not silently 60');
-- Arguments that are no object (the function sends its unreadable marker, a JSON string): refused once the tenant is
-- found, in its language, for every tool; no tenant → the contract's error; a JSON null is "no arguments".
select is(pg_temp.refused('"unreadable"'),
  'invalid_arguments: I could not understand some of the details. Please say them again.', 'arguments that are no object are refused');
select results_eq($$ select t, r->>'reason', r->>'error' from unnest(array['check', 'cancel', 'reschedule']) as t,
    lateral pg_temp.call(t, 'args_unreadable_' || t, '[1]') as r $$,
  $$ values ('check', 'invalid_arguments', 'I could not understand some of the details. Please say them again.'),
            ('cancel', 'invalid_arguments', 'I could not understand some of the details. Please say them again.'),
            ('reschedule', 'invalid_arguments', 'I could not understand some of the details. Please say them again.') $$,
  'an array is refused by every tool (availability no longer reads it as "any day")');
select is(pg_temp.call('book', 'args_unreadable_nobody', '"unreadable"', null, 'asst_args_nobody')->>'error',
  'Organization not found for this assistant', 'no tenant: the contract''s error comes first');
select is(pg_temp.refused(jsonb_build_object('start_time', '9999-06-01T10:00', 'customer_name', 'Ann')),
  'beyond_horizon: That is too far ahead: we take bookings up to 365 days in advance. Nothing was booked.', 'year 9999 is beyond the default one-year horizon');
select is((select count(*) from public.appointments where organization_id = '22000000-0000-4000-8000-00000000000a'), 0::bigint,
  'no refused call wrote an appointment');
select is((select count(*) from public.tool_call_executions where organization_id = '22000000-0000-4000-8000-00000000000a'), 0::bigint,
  'no refused call kept its ledger claim');

-- =====================================================================================================================
-- Section - The caller's number
-- =====================================================================================================================
create temp table rpc (k text primary key, r jsonb);
insert into rpc values ('b1', pg_temp.call('book', 'args_c1', jsonb_build_object('start_time', pg_temp.day(10) || 'T10:00', 'customer_name', 'Cal'), '+1 555 777 0001'));
insert into rpc values ('b2', pg_temp.call('book', 'args_c2', jsonb_build_object('start_time', pg_temp.day(11) || 'T10:00', 'customer_name', 'Cal', 'customer_phone', '+15557770002'), '+15557770001'));
insert into rpc values ('bB', pg_temp.call('book', 'args_c3', jsonb_build_object('start_time', pg_temp.day(12) || 'T10:00', 'customer_name', 'Other org'), '+15557770001', 'asst_args_b'));
select results_eq($$ select customer_phone::text from public.appointments where vapi_call_id in ('args_c1', 'args_c2') order by vapi_call_id $$,
  $$ values ('+15557770001'), ('+15557770002') $$, 'no customer_phone → the caller''s number (normalised); a given one wins');

insert into rpc values ('x1', pg_temp.call('cancel', 'args_x1', '{}', '+15557770001'));
select results_eq($$ select r->>'ok', (r->>'result')::jsonb->>'appointment_id' from rpc where k = 'x1' $$,
  $$ select 'true', (r->>'result')::jsonb->>'appointment_id' from rpc where k = 'b1' $$,
  '"cancel my appointment" with only the caller''s number cancels their one upcoming appointment in this organization');
select is((select status from public.appointments where vapi_call_id = 'args_c3'), 'scheduled',
  'the same number''s appointment at another organization is untouched');
select is((pg_temp.call('cancel', 'args_x2', '{}', '+15557779999'))->>'error', 'I could not find that appointment.',
  'a caller without appointments is told none was found');
select is((pg_temp.call('cancel', 'args_x3', '{}'))->>'error', 'I need the phone number the appointment was booked with, and its date and time.',
  'no number at all → the assistant is asked for identification');
insert into rpc values ('b3', pg_temp.call('book', 'args_c4', jsonb_build_object('start_time', pg_temp.day(13) || 'T10:00', 'customer_name', 'Cal'), '+15557770001'));
insert into rpc values ('b4', pg_temp.call('book', 'args_c5', jsonb_build_object('start_time', pg_temp.day(14) || 'T10:00', 'customer_name', 'Cal'), '+15557770001'));
select alike((pg_temp.call('reschedule', 'args_x4', jsonb_build_object('new_start_time', pg_temp.day(15) || 'T10:00'), '+15557770001'))->>'error',
  'There are several upcoming appointments for this number: %. Which one is it?', 'several upcoming appointments → the assistant is asked which, with their times');
insert into rpc values ('x5', pg_temp.call('reschedule', 'args_x5', jsonb_build_object('start_time', pg_temp.day(13) || 'T10:00', 'new_start_time', pg_temp.day(15) || 'T11:00'), '+15557770001'));
select is((select (r->>'result')::jsonb->>'previous_appointment_id' from rpc where k = 'x5'), (select (r->>'result')::jsonb->>'appointment_id' from rpc where k = 'b3'),
  'the caller''s number plus start_time picks that appointment to move');
select is((pg_temp.call('cancel', 'args_x6', jsonb_build_object('appointment_id', (select (r->>'result')::jsonb->>'appointment_id' from rpc where k = 'bB')), '+15557770001'))->>'error',
  'I could not find that appointment.', 'another organization''s appointment id is not found, whoever calls');

select * from finish();
rollback;
