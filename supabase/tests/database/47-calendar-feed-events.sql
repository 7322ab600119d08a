-- What public.calendar_feed_events shows: the window (30 days back, 365 ahead), one staff member's appointments in
-- their feed, each reschedule chain as ONE event (first appointment's id as UID, newest row, SEQUENCE = changes),
-- cancellations, UTC times to the second, and nothing of another organization.
begin;
select plan(22);

insert into public.organizations (id, name, timezone) values
  ('47000000-0000-4000-8000-00000000000a', 'Events Org A', 'America/New_York'),
  ('47000000-0000-4000-8000-00000000000b', 'Events Org B', 'America/Los_Angeles');
insert into public.staff_members (id, organization_id, name) values
  ('47000000-0000-4000-8000-0000000000a1', '47000000-0000-4000-8000-00000000000a', 'Sam'),
  ('47000000-0000-4000-8000-0000000000a2', '47000000-0000-4000-8000-00000000000a', 'Kim');

create temp table t0 as select date_trunc('hour', now()) + interval '2 days' as at;
-- id suffix: 01 Sam's, 02 Kim's, 03 nobody's, 04 cancelled, 05-07 a chain (05 → 06 → 07), 08-10 a chain whose
-- newest is cancelled, 11 ended 31 days ago, 12 starts in 366 days, 13 organization B's.
insert into public.appointments (id, organization_id, start_time, end_time, status, customer_name, customer_phone,
                                 service, notes, vapi_call_id, staff_member_id, rescheduled_from)
select ('47000000-0000-4000-8000-0000000000' || v.n)::uuid, v.org::uuid, t0.at + v.start_at, t0.at + v.start_at + interval '1 hour',
       v.status, v.customer, '+15550199' || v.n, 'Tune-up', null, 'call_47_' || v.n, v.staff::uuid,
       ('47000000-0000-4000-8000-0000000000' || v.prev)::uuid
from t0, (values
  ('01', '47000000-0000-4000-8000-00000000000a', interval '0 hours', 'scheduled', 'Ann', '47000000-0000-4000-8000-0000000000a1', null),
  ('02', '47000000-0000-4000-8000-00000000000a', interval '1 hour', 'confirmed', 'Ben', '47000000-0000-4000-8000-0000000000a2', null),
  ('03', '47000000-0000-4000-8000-00000000000a', interval '2 hours', 'scheduled', 'Cat', null, null),
  ('04', '47000000-0000-4000-8000-00000000000a', interval '3 hours', 'cancelled', 'Dan', '47000000-0000-4000-8000-0000000000a1', null),
  ('05', '47000000-0000-4000-8000-00000000000a', interval '4 hours', 'cancelled', 'Eve', '47000000-0000-4000-8000-0000000000a1', null),
  ('06', '47000000-0000-4000-8000-00000000000a', interval '5 hours', 'cancelled', 'Eve', '47000000-0000-4000-8000-0000000000a1', '05'),
  ('07', '47000000-0000-4000-8000-00000000000a', interval '1 day', 'scheduled', 'Eve', '47000000-0000-4000-8000-0000000000a1', '06'),
  ('08', '47000000-0000-4000-8000-00000000000a', interval '7 hours', 'cancelled', 'Fay', null, null),
  ('09', '47000000-0000-4000-8000-00000000000a', interval '8 hours', 'cancelled', 'Fay', null, '08'),
  ('10', '47000000-0000-4000-8000-00000000000a', interval '9 hours', 'cancelled', 'Fay', null, '09'),
  ('11', '47000000-0000-4000-8000-00000000000a', interval '-33 days', 'completed', 'Old', null, null),
  ('12', '47000000-0000-4000-8000-00000000000a', interval '366 days', 'scheduled', 'Far', null, null),
  ('13', '47000000-0000-4000-8000-00000000000b', interval '0 hours', 'scheduled', 'Bob', null, null)
) as v(n, org, start_at, status, customer, staff, prev)
order by v.n; -- a chain's earlier rows first (rescheduled_from references them)

select public.create_calendar_feed('47000000-0000-4000-8000-00000000000a') as org_token,
       public.create_calendar_feed('47000000-0000-4000-8000-00000000000a', '47000000-0000-4000-8000-0000000000a1') as sam_token,
       public.create_calendar_feed('47000000-0000-4000-8000-00000000000b') as b_token \gset
create temp table org_feed as select public.calendar_feed_events(:'org_token') as f;
create temp table org_events as
  select e.* from org_feed, jsonb_to_recordset(org_feed.f -> 'events') as e(
    uid_id uuid, appointment_id uuid, sequence int, status text, start_time text, end_time text, created_at text,
    updated_at text, customer_name text, customer_phone text, service text, notes text, vapi_call_id text,
    staff_name text);

-- =====================================================================================================================
-- Section - The organization's feed
-- =====================================================================================================================
select is((select f ->> 'organization_name' from org_feed), 'Events Org A', 'the feed names its organization');
select is((select f ->> 'timezone' from org_feed), 'America/New_York', '… and its zone');
select is((select f -> 'staff_name' from org_feed), 'null'::jsonb, 'an organization feed has no staff member');
select results_eq($$ select right(appointment_id::text, 2) from org_events $$,
  $$ values ('01'), ('02'), ('03'), ('04'), ('10'), ('07') $$,
  'the window''s events, newest row of each chain, by start time; not 11 (ended 31 days ago), 12 (in 366 days), B''s');
select is((select count(*)::int from org_events where customer_name = 'Eve'), 1, 'a rescheduled appointment is one event');
select results_eq($$ select uid_id, sequence, status from org_events where customer_name = 'Eve' $$,
  $$ values ('47000000-0000-4000-8000-000000000005'::uuid, 2, 'scheduled') $$,
  'it keeps the first appointment''s id as UID and SEQUENCE counts the two reschedules');
select results_eq($$ select uid_id, sequence, status from org_events where customer_name = 'Fay' $$,
  $$ values ('47000000-0000-4000-8000-000000000008'::uuid, 3, 'cancelled') $$,
  'a chain whose newest row is cancelled: same UID, one more change, cancelled');
select results_eq($$ select sequence, status from org_events where customer_name = 'Dan' $$,
  $$ values (1, 'cancelled') $$, 'a plain cancellation is its own event with SEQUENCE 1');
select results_eq($$ select uid_id = appointment_id, sequence from org_events where customer_name = 'Ann' $$,
  $$ values (true, 0) $$, 'an untouched appointment: its own id as UID, SEQUENCE 0');
select is((select start_time from org_events where customer_name = 'Ann'),
  (select to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') from t0), 'times are UTC ISO-8601 to the second');
select results_eq($$ select staff_name from org_events where customer_name in ('Ann', 'Ben', 'Cat') order by customer_name $$,
  $$ values ('Sam'), ('Kim'), (null) $$, 'each event names its staff member, if any');
select results_eq($$ select customer_phone, service, vapi_call_id from org_events where customer_name = 'Ann' $$,
  $$ values ('+1555019901', 'Tune-up', 'call_47_01') $$, 'phone, service and call id are there for staff');
select is((select f ->> 'last_modified' from org_feed),
  (select max(to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')) from public.appointments
   where id::text like '47000000-0000-4000-8000-0000000000%' and id::text not like '%11' and id::text not like '%12'
     and id::text not like '%13'),
  'last_modified is the newest change among the shown rows');

-- =====================================================================================================================
-- Section - A staff member's feed, another organization's feed
-- =====================================================================================================================
select is(public.calendar_feed_events(:'sam_token') ->> 'staff_name', 'Sam', 'a staff feed names its staff member');
select results_eq(format($$ select e ->> 'customer_name' from jsonb_array_elements(public.calendar_feed_events(%L) -> 'events') as e $$, :'sam_token'),
  $$ values ('Ann'), ('Dan'), ('Eve') $$, 'Sam''s feed shows only Sam''s appointments (with his reschedule chain)');
select results_eq(format($$ select e ->> 'customer_name' from jsonb_array_elements(public.calendar_feed_events(%L) -> 'events') as e $$, :'b_token'),
  $$ values ('Bob') $$, 'organization B''s feed shows only B''s appointment');

-- Sam's reschedule moves the appointment to Kim: the chain leaves Sam's feed for Kim's (one event, same UID).
update public.appointments set staff_member_id = '47000000-0000-4000-8000-0000000000a2'
where id = '47000000-0000-4000-8000-000000000007';
select is((select count(*)::int from jsonb_array_elements(public.calendar_feed_events(:'sam_token') -> 'events') as e
           where e ->> 'customer_name' = 'Eve'), 0, 'once the newest row is Kim''s, Sam''s feed no longer shows it');

-- =====================================================================================================================
-- Section - Empty and changing feeds
-- =====================================================================================================================
delete from public.appointments where organization_id = '47000000-0000-4000-8000-00000000000b';
select is(public.calendar_feed_events(:'b_token') -> 'events', '[]'::jsonb, 'no appointments: an empty list');
select is(public.calendar_feed_events(:'b_token') ->> 'last_modified',
  (select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') from public.calendar_feeds
   where token_hash = private.calendar_feed_token_hash(:'b_token')), '… whose last_modified is the feed''s creation');
select is((select provolatile from pg_catalog.pg_proc where oid = 'public.calendar_feed_events(text)'::regprocedure),
  's', 'reading a feed writes nothing (the function is stable)');
select is((select prosecdef from pg_catalog.pg_proc where oid = 'public.calendar_feed_events(text)'::regprocedure),
  true, 'it is security definer, so the function''s caller needs no table rights');
select is((select proconfig from pg_catalog.pg_proc where oid = 'public.calendar_feed_events(text)'::regprocedure),
  array['search_path=""'], '… with an empty search_path');

select * from finish();
rollback;
