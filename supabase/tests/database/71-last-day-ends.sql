-- The last day a caller can name, 9999-12-31, is beyond the horizon for check_availability as for a booking
-- (20261204115800_last_day_ends.sql): its end is infinity, not an unreadable date.
begin;
select plan(6);

insert into public.organizations (id, name, timezone) values ('71000000-0000-4000-8000-00000000000a', 'Far Future', 'Pacific/Kiritimati');
insert into public.customer_configurations (organization_id, vapi_assistant_id) values ('71000000-0000-4000-8000-00000000000a', 'asst_far_future');

select is(private.local_day_end(private.parse_start_time('9999-12-31T00:00', 'Pacific/Kiritimati'), 'Pacific/Kiritimati'),
  'infinity'::timestamptz, '9999-12-31 ends at infinity');
select is(private.local_day_end(private.parse_start_time('9999-12-30T00:00', 'Pacific/Kiritimati'), 'Pacific/Kiritimati'),
  private.parse_start_time('9999-12-31T00:00', 'Pacific/Kiritimati'), 'the day before ends at the next midnight');
select is(private.local_day_end(null, 'Pacific/Kiritimati'), null, 'no day: no end');
select is(tests.tool_call('check', 'asst_far_future', 'call_71_a', '{"date": "9999-12-31"}')->>'reason', 'beyond_horizon',
  'check_availability for 9999-12-31 is beyond the horizon, as for 9999-12-30');
select isnt(tests.tool_call('check', 'asst_far_future', 'call_71_b',
              jsonb_build_object('from', (current_date + 2)::text, 'to', '9999-12-31'))->>'reason', 'invalid_arguments',
  '`to` 9999-12-31 is a readable date (the search stops a month on)');
select is((select count(*)::int from public.appointments where organization_id = '71000000-0000-4000-8000-00000000000a'), 0,
  'asking books nothing');

select * from finish();
rollback;
