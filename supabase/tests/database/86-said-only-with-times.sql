-- check_availability for one of the organization's closed dates says the day is closed, and "Times are in …" is said
-- only after times were listed (helper-54; 20261204214520). Nothing is written.
begin;
select plan(9);

select (current_date + 21 + (8 - extract(isodow from current_date + 21)::int) % 7)::text as mon \gset
insert into public.organizations (id, name, timezone, max_advance_days) values
  ('86000000-0000-4000-8000-00000000000a', 'Holiday Co', 'America/New_York', 60),
  ('86000000-0000-4000-8000-00000000000b', 'Far Away Co', 'America/New_York', 2);
insert into public.customer_configurations (organization_id, vapi_assistant_id, primary_language) values
  ('86000000-0000-4000-8000-00000000000a', 'asst_86_en', 'en'),
  ('86000000-0000-4000-8000-00000000000a', 'asst_86_es', 'es'),
  ('86000000-0000-4000-8000-00000000000b', 'asst_86_far', 'en');
insert into public.business_hours (organization_id, weekday, opens_at, closes_at)
select '86000000-0000-4000-8000-00000000000a', d, '09:00', '17:00' from generate_series(1, 5) as d;
insert into public.closed_dates (organization_id, closed_on) values ('86000000-0000-4000-8000-00000000000a', :'mon');
-- Far Away Co opens only on the weekday five days from now, beyond its two-day booking window.
insert into public.business_hours (organization_id, weekday, opens_at, closes_at) values
  ('86000000-0000-4000-8000-00000000000b', extract(dow from current_date + 5)::smallint, '09:00', '17:00');

select alike(tests.tool_call('check', 'asst_86_en', 'call_86_a', jsonb_build_object('date', :'mon'))->>'result',
  'We are closed that day. The next open times are: %. Times are in New York time. Nothing was booked by this check.',
  'a closed date: the day is closed, then the next open times');
select alike(tests.tool_call('check', 'asst_86_es', 'call_86_b', jsonb_build_object('date', :'mon'))->>'result',
  'Ese día estamos cerrados. %', '… in Spanish too');
select alike(tests.tool_call('check', 'asst_86_en', 'call_86_g', jsonb_build_object(
    'from', :'mon' || 'T00:00', 'to', (:'mon'::date + 1)::text || 'T00:00'))->>'result',
  'We are closed that day. %', 'from/to: the whole closed day');
select alike(tests.tool_call('check', 'asst_86_en', 'call_86_h', jsonb_build_object(
    'from', :'mon' || 'T10:00', 'to', :'mon' || 'T12:00'))->>'result',
  'We are closed that day. %', 'from/to: hours of it');
select alike(tests.tool_call('check', 'asst_86_en', 'call_86_c', jsonb_build_object(
    'from', (:'mon'::date + 1)::text || 'T18:00', 'to', (:'mon'::date + 1)::text || 'T20:00'))->>'result',
  'There are no open times then. %', 'an ordinary day after hours: as before');

select unalike(tests.tool_call('check', 'asst_86_far', 'call_86_d', jsonb_build_object('date', (current_date + 1)::text))->>'result',
  '%Times are in%', 'no time listed: no zone sentence');
select alike(tests.tool_call('check', 'asst_86_far', 'call_86_e', jsonb_build_object('date', (current_date + 1)::text))->>'result',
  'We are closed that day. There are no open times from then until the end of our booking window%',
  '… the answer says why');
select unalike(tests.tool_call('book', 'asst_86_far', 'call_86_f', jsonb_build_object(
    'start_time', (current_date + 1)::text || 'T20:00', 'customer_name', 'Ann'))->>'error',
  '%Times are in%', 'a refused booking with no nearest times: no zone sentence either');
select is((select count(*) from public.appointments where organization_id in
    ('86000000-0000-4000-8000-00000000000a', '86000000-0000-4000-8000-00000000000b')), 0::bigint, 'nothing written');

select * from finish();
rollback;
