-- An organization open round the clock (no business hours): a job may run past midnight, but not into a closed date
-- (20261204080800_closed_date_ends_overnight_jobs.sql); availability agrees.
begin;
select plan(5);

insert into public.organizations (id, name, timezone) values
  ('67000000-0000-4000-8000-00000000000a', 'Always Open', 'America/New_York');
insert into public.customer_configurations (organization_id, vapi_assistant_id) values
  ('67000000-0000-4000-8000-00000000000a', 'asst_always_open');
select (current_date + 10)::text as eve, (current_date + 11)::text as holiday \gset
insert into public.closed_dates (organization_id, closed_on) values ('67000000-0000-4000-8000-00000000000a', :'holiday');

create function pg_temp.call(p_tool text, p_call text, p_args jsonb) returns jsonb language sql
as $$ select tests.tool_call(p_tool, 'asst_always_open', p_call, p_args) $$;

select is(pg_temp.call('book', 'ao_1', jsonb_build_object('start_time', :'eve' || 'T22:00', 'customer_name', 'Nora', 'duration_minutes', 480))->>'reason',
  'outside_hours', 'eight hours from 22:00 the night before a closed date: refused');
select unalike(pg_temp.call('check', 'ao_2', jsonb_build_object('from', :'eve' || 'T22:00', 'to', :'eve' || 'T22:00', 'duration_minutes', 480))->>'result',
  'Open times: %', '… and not offered');
select is(pg_temp.call('book', 'ao_3', jsonb_build_object('start_time', :'eve' || 'T22:00', 'customer_name', 'Nora', 'duration_minutes', 120))->>'reason',
  'booked', 'two hours, ending at midnight: booked');
select is(pg_temp.call('book', 'ao_4', jsonb_build_object('start_time', :'eve' || 'T10:00', 'customer_name', 'Otto', 'duration_minutes', 480))->>'reason',
  'booked', 'a day job on the eve: booked');
select is(pg_temp.call('book', 'ao_5', jsonb_build_object('start_time', (:'holiday'::date + 1)::text || 'T22:00', 'customer_name', 'Pia', 'duration_minutes', 480))->>'reason',
  'booked', 'after the closed date, a job past midnight: booked');

select * from finish();
rollback;
