-- The lookups 20261202140000_index_probes_per_booking.sql rewrote give the same answers: the staff member with the
-- fewest active appointments that LOCAL day gets the job (ties by name), and a call's remembered language is used only
-- by the organization the call belongs to.
begin;
select plan(8);

insert into public.organizations (id, name, timezone) values
  ('52000000-0000-4000-8000-000000000001', 'Probe Plumbing', 'America/Chicago'),
  ('52000000-0000-4000-8000-000000000002', 'Other Org', 'America/Chicago');
insert into public.staff_members (id, organization_id, name) values
  ('52000000-0000-4000-8000-0000000000a1', '52000000-0000-4000-8000-000000000001', 'Ann'),
  ('52000000-0000-4000-8000-0000000000b1', '52000000-0000-4000-8000-000000000001', 'Bob'),
  ('52000000-0000-4000-8000-0000000000c1', '52000000-0000-4000-8000-000000000001', 'Cy');
-- The day: a Wednesday two weeks ahead, Chicago time.
select (date_trunc('week', (now() at time zone 'America/Chicago')::date + 14)::date + 2)::text as day \gset
create function pg_temp.at(p_local text) returns timestamptz language sql stable as $$
  select p_local::timestamp at time zone 'America/Chicago' $$;
create function pg_temp.job(p_staff text, p_local text, p_status text default 'scheduled') returns void
language sql as $$
  insert into public.appointments (organization_id, staff_member_id, start_time, end_time, customer_name, status)
  values ('52000000-0000-4000-8000-000000000001', ('52000000-0000-4000-8000-0000000000' || p_staff)::uuid,
          pg_temp.at(p_local), pg_temp.at(p_local) + interval '30 minutes', 'Probe', p_status) $$;
create function pg_temp.pick(p_local text) returns text language sql stable as $$
  select s.name from public.staff_members as s
  where s.id = private.pick_staff_member((select o from public.organizations as o
                                          where o.id = '52000000-0000-4000-8000-000000000001'),
                                         null, null, pg_temp.at(p_local), pg_temp.at(p_local) + interval '1 hour') $$;

-- Ann: two that day. Bob: one that day, and more on the evening before (local), a cancelled one that day and one
-- the next day. Cy: one that day at 00:15 local (06:15 UTC: the same local day) and one at 23:30 the evening before.
select pg_temp.job('a1', :'day' || ' 08:00'), pg_temp.job('a1', :'day' || ' 09:00'),
       pg_temp.job('b1', :'day' || ' 08:00'),
       pg_temp.job('b1', (:'day'::date - 1) || ' 22:00'), pg_temp.job('b1', (:'day'::date - 1) || ' 23:00'),
       pg_temp.job('b1', :'day' || ' 12:00', 'cancelled'), pg_temp.job('b1', (:'day'::date + 1) || ' 08:00'),
       pg_temp.job('c1', :'day' || ' 00:15'), pg_temp.job('c1', (:'day'::date - 1) || ' 23:30');

select is(pg_temp.pick(:'day' || ' 14:00'), 'Bob',
  'Bob and Cy have one active job that local day each (other days and cancelled ones do not count): Bob by name');
select pg_temp.job('b1', :'day' || ' 10:00');
select is(pg_temp.pick(:'day' || ' 14:00'), 'Cy', 'with a second job Bob has more than Cy: Cy gets it');
select pg_temp.job('c1', :'day' || ' 10:00'), pg_temp.job('c1', :'day' || ' 11:00');
select is(pg_temp.pick(:'day' || ' 14:00'), 'Ann', 'Ann, Bob 2, Cy 3: a tie of Ann and Bob goes to Ann');
select is(pg_temp.pick(:'day' || ' 09:00'), 'Bob', 'a busy person is never picked: Ann works at 09:00');
select is(private.pick_staff_member((select o from public.organizations as o
                                     where o.id = '52000000-0000-4000-8000-000000000001'),
                                    null, null, pg_temp.at(:'day' || ' 14:00'), pg_temp.at(:'day' || ' 15:00'),
                                    '52000000-0000-4000-8000-0000000000c1'),
  '52000000-0000-4000-8000-0000000000c1'::uuid, 'the preferred person, when free, wins over the least busy');

-- The call's remembered language belongs to its organization only.
insert into public.call_logs (organization_id, vapi_call_id, resolved_by, language)
values ('52000000-0000-4000-8000-000000000001', 'probe52-call', 'call_id', 'es-MX');
select is(private.call_language('52000000-0000-4000-8000-000000000001', 'probe52-call', null), 'es',
  'the call''s organization answers in the language the caller switched to (es-MX → es)');
select is(private.call_language('52000000-0000-4000-8000-000000000002', 'probe52-call', null), 'en',
  'another organization naming the same call id does not get that language');
select is(private.call_language('52000000-0000-4000-8000-000000000001', 'probe52-unknown', null), 'en',
  'an unknown call: the organization''s default (no configuration: English)');

select * from finish();
rollback;
