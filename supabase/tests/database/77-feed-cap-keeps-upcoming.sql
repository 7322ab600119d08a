-- A feed holds at most 5000 events (20261204173550_feed_cap_keeps_upcoming.sql): when an organization has more in
-- the window, the events not yet over are kept first and then the most recent past ones — 5000 cancelled jobs of the
-- last 20 days never push tomorrow's job out of the feed (helper-44) — and the feed stays in start order.
begin;
select plan(4);

insert into public.organizations (id, name, timezone) values ('77000000-0000-4000-8000-00000000000a', 'Busy Feed Co', 'UTC');
insert into public.appointments (organization_id, start_time, end_time, status, customer_name)
select '77000000-0000-4000-8000-00000000000a', now() - interval '20 days' + g * interval '1 minute',
       now() - interval '20 days' + g * interval '1 minute' + interval '30 minutes', 'cancelled', 'Past ' || g
from generate_series(1, 5000) as g;
insert into public.appointments (organization_id, start_time, end_time, customer_name) values
  ('77000000-0000-4000-8000-00000000000a', date_trunc('hour', now()) + interval '1 day', date_trunc('hour', now()) + interval '25 hours', 'Tomorrow Job'),
  ('77000000-0000-4000-8000-00000000000a', date_trunc('hour', now()) + interval '300 days', date_trunc('hour', now()) + interval '300 days 1 hour', 'Far Job');
select public.create_calendar_feed('77000000-0000-4000-8000-00000000000a') as token \gset
create temp table events as
  select e.customer_name, e.start_time, x.ordinality
  from jsonb_array_elements(public.calendar_feed_events(:'token') -> 'events') with ordinality as x(ev, ordinality),
       jsonb_to_record(x.ev) as e(customer_name text, start_time text);

select is((select count(*) from events)::int, 5000, 'the feed is capped at 5000 events');
select set_eq($$ select customer_name from events where customer_name not like 'Past %' $$,
  array['Tomorrow Job', 'Far Job'], 'every upcoming job is in it, the farthest too');
select set_eq($$ select n from unnest(array['Past 1', 'Past 2', 'Past 3', 'Past 5000']) as n
                 where n not in (select customer_name from events) $$,
  array['Past 1', 'Past 2'], 'the oldest past events are the ones left out');
select is_empty($$ select 1 from events as a join events as b on b.ordinality = a.ordinality + 1
                   where b.start_time < a.start_time $$, 'the feed is in start order');

select * from finish();
rollback;
