-- check_availability searches the whole range it is asked about, a month at a time (20261206082257, helper-120 #1): a
-- range longer than a month whose first weeks are closed answers with the open times later in it — never "no open
-- times then" for a range that has some, nor "no open times then … the next open times are" inside it. A range with
-- none still says so, with the times after it. A service nobody active performs is said as a booking says it
-- (helper-120 #5).
begin;
select plan(8);

select tests.future_weekday('America/New_York', 20) as d1 \gset
-- HVAC (a 3650-day horizon, weekday hours) closed for 50 days from d1.
insert into public.closed_dates (organization_id, closed_on)
select 'd91e4aa4-914a-4d76-b5b7-2ee26e09b2a2', d::date
from generate_series(:'d1'::date, :'d1'::date + 49, interval '1 day') as d;
select to_char(:'d1'::date + 49, 'YYYY-MM-DD') as last_closed, to_char(:'d1'::date + 90, 'YYYY-MM-DD') as d90,
       to_char(:'d1'::date + 55, 'YYYY-MM-DD') as d55,
       to_char(min(d), 'FMDay, FMMonth FMDD') as first_open_spoken
from (select d::date as d from generate_series(:'d1'::date + 50, :'d1'::date + 60, interval '1 day') as d
      where extract(isodow from d) between 1 and 5) as w \gset

select tests.tool_call('check', 'asst_hvac_company_assistant', 'long_range', jsonb_build_object('from', :'d1', 'to', :'d90'))
  as long_range \gset
select is(:'long_range'::jsonb ->> 'reason', 'available', 'three months, the first 50 days closed: open times found');
select ok(strpos(:'long_range'::jsonb ->> 'result', 'Open times: ' || :'first_open_spoken') > 0,
  'they are the first open day''s, after the closure: ' || (:'long_range'::jsonb ->> 'result'));
select ok(strpos(:'long_range'::jsonb ->> 'result', 'no open times') = 0, 'never "no open times" for a range that has some');

select tests.tool_call('check', 'asst_hvac_company_assistant', 'ends_inside',
                       jsonb_build_object('from', :'d1', 'to', :'d55')) as ends_inside \gset
select is((:'ends_inside'::jsonb ->> 'reason') || ' ' || (strpos(:'ends_inside'::jsonb ->> 'result', 'no open times') > 0),
          'available false', 'a range ending a few days after the closure: its open times, not "no open times then"');

select tests.tool_call('check', 'asst_hvac_company_assistant', 'all_closed',
                       jsonb_build_object('from', :'d1', 'to', :'last_closed')) as all_closed \gset
select is(:'all_closed'::jsonb ->> 'reason', 'unavailable', 'a range closed all through: no open times');
select ok(strpos(:'all_closed'::jsonb ->> 'result', 'There are no open times then. The next open times are: '
                                                    || :'first_open_spoken') = 1,
  '… with the next ones after it: ' || (:'all_closed'::jsonb ->> 'result'));

-- Metro HVAC: every staff member limited to what they do, and a service nobody does.
insert into public.staff_services (organization_id, staff_member_id, service_id)
select s.organization_id, s.id, (select v.id from public.services as v
                                 where v.organization_id = s.organization_id order by v.name limit 1)
from public.staff_members as s
where s.organization_id = '5b8f2c1e-7a4d-4e9b-8c3f-1d2e3f4a5b6c'
  and not exists (select from public.staff_services as x where x.staff_member_id = s.id);
insert into public.services (organization_id, name, duration_minutes)
values ('5b8f2c1e-7a4d-4e9b-8c3f-1d2e3f4a5b6c', 'Xray', 60);
select tests.future_weekday('America/Chicago', 10) as m1 \gset
select is(tests.tool_call('check', 'asst_metro_hvac_assistant', 'nobody', jsonb_build_object('date', :'m1', 'service', 'Xray'))
            - 'replayed' - 'organization_id' - 'resolved_by' - 'language',
  jsonb_build_object('ok', true, 'reason', 'unavailable', 'error', null,
                     'result', 'Nobody does Xray at the moment. ' || private.say('en', 'availability.nothing_booked')),
  'a service nobody performs: said as a booking says it, not as a full calendar');
select ok(strpos(tests.tool_call('book', 'asst_metro_hvac_assistant', 'nobody_book',
                   jsonb_build_object('start_time', :'m1' || 'T10:00', 'customer_name', 'Ann', 'service', 'Xray'),
                   '+15550107777') ->> 'error', 'Nobody does Xray at the moment.') = 1,
  '… the same sentence a booking of it starts with');

select * from finish();
rollback;
