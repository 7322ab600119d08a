-- cancel and reschedule say why they could not pick an appointment (20261206082600, helper-118 #2): `ambiguous` for
-- "several … which one is it?", `invalid_arguments` for an id, time or number that cannot be read, `not_found` for
-- none. A time given without an offset in the hour a fall-back night repeats is looked for at both its occurrences
-- (helper-120 #3): a booking at the second 1:15 is found, one at each is listed and asked about. Another number's
-- bookings at that time are not found by this caller.
begin;
select plan(9);

select tests.create_organization('Fall Back Org', 'Europe/London', 'asst_fall_back') as org \gset
-- The next local day of 25 hours (a fall-back night), at least two days ahead.
select to_char(d, 'YYYY-MM-DD') as night
from generate_series((now() at time zone 'Europe/London')::date + 2, (now() at time zone 'Europe/London')::date + 400,
                     interval '1 day') as d
where ((d + interval '1 day')::timestamp at time zone 'Europe/London') - (d::timestamp at time zone 'Europe/London')
      = interval '25 hours'
order by d limit 1 \gset
-- 01:15 happens twice that night: at 00:15 UTC (summer time) and at 01:15 UTC (winter time).
insert into public.appointments (organization_id, start_time, end_time, customer_name, customer_phone)
values (:'org', (:'night' || 'T01:15:00+00')::timestamptz, (:'night' || 'T01:45:00+00')::timestamptz, 'Second',
        '+15558880002'),
       (:'org', (:'night' || 'T00:15:00+00')::timestamptz, (:'night' || 'T00:45:00+00')::timestamptz, 'Other number',
        '+15558880009');

select is(tests.tool_call('cancel', 'asst_fall_back', 'fb1', jsonb_build_object('start_time', :'night' || 'T01:15'),
                          '+15558880002') ->> 'reason', 'cancelled',
  'cancel "my 1:15" finds the booking at the second 1:15 of a fall-back night');
select is((select status from public.appointments where customer_name = 'Second'), 'cancelled', '… and cancels it');
select is((select status from public.appointments where customer_name = 'Other number'), 'scheduled',
  'another number''s booking at the first 1:15 is left alone');
update public.appointments set status = 'cancelled' where customer_name = 'Other number';

insert into public.appointments (organization_id, start_time, end_time, customer_name, customer_phone)
values (:'org', (:'night' || 'T00:15:00+00')::timestamptz, (:'night' || 'T00:45:00+00')::timestamptz, 'First',
        '+15558880003'),
       (:'org', (:'night' || 'T01:15:00+00')::timestamptz, (:'night' || 'T01:45:00+00')::timestamptz, 'Again',
        '+15558880003');
select tests.tool_call('reschedule', 'asst_fall_back', 'fb2',
  jsonb_build_object('start_time', :'night' || 'T01:15', 'new_start_time', :'night' || 'T05:00'), '+15558880003')
  as both \gset
select is(:'both'::jsonb ->> 'reason', 'ambiguous', 'one at each 1:15: asked which, reason ambiguous');
select ok(strpos(:'both'::jsonb ->> 'error', 'First') > 0 and strpos(:'both'::jsonb ->> 'error', 'Again') > 0,
  '… both are listed: ' || (:'both'::jsonb ->> 'error'));
select is(tests.tool_call('reschedule', 'asst_fall_back', 'fb3',
  jsonb_build_object('start_time', :'night' || 'T01:15+00:00', 'new_start_time', :'night' || 'T05:00'), '+15558880003')
  ->> 'reason', 'rescheduled', 'an offset names one of them: that one is moved');

select is(tests.tool_call('cancel', 'asst_fall_back', 'fb4', '{}', '+15558880003') ->> 'reason', 'ambiguous',
  'two upcoming (the first 1:15, the one moved to 5:00): "cancel my appointment" asks which, reason ambiguous');
select is(tests.tool_call('cancel', 'asst_fall_back', 'fb5', '{"appointment_id": "not-a-uuid"}', '+15558880003')
            ->> 'reason', 'invalid_arguments', 'an id that is no id: invalid_arguments, not not_found');
select is(tests.tool_call('cancel', 'asst_fall_back', 'fb6',
  jsonb_build_object('start_time', :'night' || 'T03:00'), '+15558880003') ->> 'reason', 'not_found',
  'nothing at that time: not_found');

select * from finish();
rollback;
