-- The lookups 20261202140000_index_probes_per_booking.sql rewrote give the same answers: the staff member with the
-- fewest active appointments that LOCAL day gets the job (ties by name), a call's remembered language is used only by
-- the organization the call belongs to, and the nearest open times (20261202140200, nearby first) are the ones the
-- whole-window search finds.
begin;
select plan(10);

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
                                         null, null, pg_temp.at(p_local), pg_temp.at(p_local) + interval '1 hour',
                                         pg_temp.at(p_local) + interval '1 hour') $$;

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
                                    pg_temp.at(:'day' || ' 15:00'),
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

-- Nearest open times: the ±4 h search first gives what searching the whole window (−1 day … +1 day, then +14 days)
-- gives, for every half hour from Thursday to Tuesday, with the probe staff's jobs above in the way.
insert into public.business_hours (organization_id, weekday, opens_at, closes_at)
select '52000000-0000-4000-8000-000000000001', d, '08:00', '17:00' from generate_series(1, 5) as d;
create function pg_temp.whole_window(p_around timestamptz) returns timestamptz[] language plpgsql stable as $$
declare
  v_slots timestamptz[];
  v_after interval;
begin
  foreach v_after in array array[interval '1 day', interval '14 days'] loop
    select coalesce(array_agg(n.start_at order by n.start_at), '{}') into v_slots
    from (select s.start_at
          from private.open_slots('52000000-0000-4000-8000-000000000001', p_around - interval '1 day',
                                  p_around + v_after, interval '1 hour', 2000) as s(start_at)
          order by abs(extract(epoch from s.start_at - p_around)), s.start_at
          limit 3) as n;
    exit when cardinality(v_slots) >= 3;
  end loop;
  return v_slots;
end $$;
create temp table nearest as
select a.around, private.nearest_open_slots('52000000-0000-4000-8000-000000000001', a.around, interval '1 hour') as got,
       pg_temp.whole_window(a.around) as want
from generate_series(pg_temp.at((:'day'::date + 1) || ' 00:00'), pg_temp.at((:'day'::date + 6) || ' 00:00'),
                     interval '30 minutes') as a(around);
select is((select count(*)::int from nearest where got is distinct from want), 0,
  'nearest open times: the nearby-first search equals the whole-window search at every half hour');
select ok((select bool_and(cardinality(got) = 3) from nearest), 'and it always finds three');

select * from finish();
rollback;
