-- A calendar feed's SEQUENCE rises with every change a calendar app must take as a newer version: an in-place change
-- of an appointment's start, end or staff member (an admin's SQL), on a plain row and inside a reschedule chain, and
-- a cancellation undone; a confirmation or a notes edit is not one. `revision` is kept by a trigger.
begin;
select plan(10);

insert into public.organizations (id, name, timezone) values
  ('98000000-0000-4000-8000-00000000000a', 'Sequence Org', 'America/New_York');
insert into public.staff_members (id, organization_id, name) values
  ('98000000-0000-4000-8000-0000000000a1', '98000000-0000-4000-8000-00000000000a', 'Sam');
create temp table t0 as select date_trunc('hour', now()) + interval '2 days' as at;
-- 01 a plain appointment; 02 → 03 a reschedule chain (02 cancelled by the move).
insert into public.appointments (id, organization_id, start_time, end_time, status, customer_name, rescheduled_from)
select ('98000000-0000-4000-8000-0000000000' || v.n)::uuid, '98000000-0000-4000-8000-00000000000a',
       t0.at + v.start_at, t0.at + v.start_at + interval '1 hour', v.status, v.customer,
       ('98000000-0000-4000-8000-0000000000' || v.prev)::uuid
from t0, (values
  ('01', interval '0 hours', 'scheduled', 'Ann', null),
  ('02', interval '2 hours', 'cancelled', 'Eve', null),
  ('03', interval '4 hours', 'scheduled', 'Eve', '02')
) as v(n, start_at, status, customer, prev)
order by v.n;

select public.create_calendar_feed('98000000-0000-4000-8000-00000000000a') as token \gset
create function pg_temp.sequence_of(p_token text, p_customer text) returns int language sql as $$
  select (e ->> 'sequence')::int
  from jsonb_array_elements(public.calendar_feed_events(p_token) -> 'events') as e
  where e ->> 'customer_name' = p_customer
$$;

select is(pg_temp.sequence_of(:'token', 'Ann'), 0, 'an untouched appointment: SEQUENCE 0');
select is(pg_temp.sequence_of(:'token', 'Eve'), 1, 'one reschedule: SEQUENCE 1');

update public.appointments set status = 'confirmed', notes = 'gate code 12'
where id = '98000000-0000-4000-8000-000000000001';
select is(pg_temp.sequence_of(:'token', 'Ann'), 0, 'a confirmation and a notes edit are not a new version of the time');

update public.appointments set start_time = start_time + interval '1 hour', end_time = end_time + interval '1 hour'
where id = '98000000-0000-4000-8000-000000000001';
select is(pg_temp.sequence_of(:'token', 'Ann'), 1, 'a time changed in place raises SEQUENCE once (start and end together)');
select is((select revision from public.appointments where id = '98000000-0000-4000-8000-000000000001'), 1,
  '… counted in the row''s revision');

update public.appointments set staff_member_id = '98000000-0000-4000-8000-0000000000a1'
where id = '98000000-0000-4000-8000-000000000001';
select is(pg_temp.sequence_of(:'token', 'Ann'), 2, 'another staff member raises it again');

update public.appointments set status = 'cancelled' where id = '98000000-0000-4000-8000-000000000001';
select is(pg_temp.sequence_of(:'token', 'Ann'), 3, 'a cancellation adds one');
update public.appointments set status = 'scheduled' where id = '98000000-0000-4000-8000-000000000001';
select is(pg_temp.sequence_of(:'token', 'Ann'), 4, 'a cancellation undone still raises it (never back to 2)');

update public.appointments set start_time = start_time + interval '30 minutes', end_time = end_time + interval '30 minutes'
where id = '98000000-0000-4000-8000-000000000003';
select is(pg_temp.sequence_of(:'token', 'Eve'), 2, 'the newest row of a chain moved in place: one more than the chain');
update public.appointments set revision = 0 where id = '98000000-0000-4000-8000-000000000003';
select is(pg_temp.sequence_of(:'token', 'Eve'), 2, 'a direct write of revision is put back: SEQUENCE never falls');

select * from finish();
rollback;
