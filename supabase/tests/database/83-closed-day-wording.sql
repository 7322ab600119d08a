-- A booking on one of the organization's closed dates is told the day is closed, not that "we are not open at that
-- time" (helper-54 #9; 20261204210800); so is one on a weekday without hours (20261205200509), unless an overnight
-- opening of the day before reaches into it; other times outside the hours are said as before. Nothing is written.
begin;
select plan(9);

select (current_date + 21 + (8 - extract(isodow from current_date + 21)::int) % 7)::text as mon \gset
insert into public.organizations (id, name, timezone) values ('83000000-0000-4000-8000-00000000000a', 'Holiday Co', 'UTC');
insert into public.customer_configurations (organization_id, vapi_assistant_id, primary_language) values
  ('83000000-0000-4000-8000-00000000000a', 'asst_holiday_en', 'en'),
  ('83000000-0000-4000-8000-00000000000a', 'asst_holiday_es', 'es');
insert into public.business_hours (organization_id, weekday, opens_at, closes_at)
select '83000000-0000-4000-8000-00000000000a', d, '09:00', '17:00' from generate_series(1, 5) as d;
insert into public.closed_dates (organization_id, closed_on, reason) values ('83000000-0000-4000-8000-00000000000a', :'mon', 'Holiday');

select alike(tests.tool_call('book', 'asst_holiday_en', 'call_83_a',
    jsonb_build_object('start_time', :'mon' || 'T10:00', 'customer_name', 'Ann'))->>'error',
  'We are closed that day. Nearest open times: %', 'a closed date: the day is closed');
select alike(tests.tool_call('book', 'asst_holiday_es', 'call_83_b',
    jsonb_build_object('start_time', :'mon' || 'T10:00', 'customer_name', 'Ana'))->>'error',
  'Ese día estamos cerrados. %', '… in Spanish too');
select alike(tests.tool_call('book', 'asst_holiday_en', 'call_83_c',
    jsonb_build_object('start_time', :'mon' || 'T20:00', 'customer_name', 'Ann'))->>'error',
  'We are closed that day. %', 'any time of that day');
select alike(tests.tool_call('book', 'asst_holiday_en', 'call_83_d',
    jsonb_build_object('start_time', (:'mon'::date + 1)::text || 'T20:00', 'customer_name', 'Ann'))->>'error',
  'We are not open at that time. %', 'an ordinary day after hours: as before');

select alike(tests.tool_call('book', 'asst_holiday_en', 'call_83_e',
    jsonb_build_object('start_time', (:'mon'::date + 6)::text || 'T10:00', 'customer_name', 'Ann'))->>'error',
  'We are closed that day. %', 'a Sunday, a weekday without hours: the day is closed');
select alike(tests.tool_call('check', 'asst_holiday_en', 'call_83_f', jsonb_build_object('date', (:'mon'::date + 6)::text))->>'result',
  'We are closed that day. The next open times are: %', '… and a check for it says so too');
-- Friday night runs to 02:00 on Saturday: Saturday is not a closed day, its 10:00 is merely outside the hours.
insert into public.business_hours (organization_id, weekday, opens_at, closes_at) values
  ('83000000-0000-4000-8000-00000000000a', 5, '20:00', '24:00'), ('83000000-0000-4000-8000-00000000000a', 6, '00:00', '02:00');
select alike(tests.tool_call('book', 'asst_holiday_en', 'call_83_g',
    jsonb_build_object('start_time', (:'mon'::date + 5)::text || 'T10:00', 'customer_name', 'Ann'))->>'error',
  'We are not open at that time. %', 'a day an overnight opening reaches into is not closed');
select is(private.is_closed_day('83000000-0000-4000-8000-00000000000a', 'UTC', '9999-12-31 12:00+00'),
  extract(isodow from date '9999-12-31') > 5, 'the last day there is: closed or not by its weekday, answered at once');
select is((select count(*)::int from public.appointments where organization_id = '83000000-0000-4000-8000-00000000000a'), 0,
  'nothing is written');

select * from finish();
rollback;
