-- Time off entered over a booked job is still recorded, and private.appointments_in_time_off (what its WARNING names)
-- finds exactly the active jobs of that staff member it covers, buffers included. The warning itself is checked over
-- the wire in tests/integration/time_off_warning.test.ts.
begin;
select plan(7);

insert into public.organizations (id, name, timezone) values ('99000000-0000-4000-8000-00000000000a', 'Time Off Org', 'UTC');
insert into public.staff_members (id, organization_id, name) values
  ('99000000-0000-4000-8000-0000000000a1', '99000000-0000-4000-8000-00000000000a', 'Sam'),
  ('99000000-0000-4000-8000-0000000000a2', '99000000-0000-4000-8000-00000000000a', 'Kim');
-- 1: Sam 10–11 + 30 min buffer; 2: Sam, cancelled; 3: Kim; 4: Sam 14–15.
insert into public.appointments (id, organization_id, staff_member_id, start_time, end_time, blocked_until,
                                 customer_name, status)
select ('99a00000-0000-4000-8000-00000000000' || v.n)::uuid, '99000000-0000-4000-8000-00000000000a', v.staff::uuid,
       v.s::timestamptz, v.e::timestamptz, v.b::timestamptz, 'Cust', v.status
from (values
  ('1', '99000000-0000-4000-8000-0000000000a1', '2030-03-04 10:00+00', '2030-03-04 11:00+00', '2030-03-04 11:30+00', 'scheduled'),
  ('2', '99000000-0000-4000-8000-0000000000a1', '2030-03-04 12:00+00', '2030-03-04 13:00+00', '2030-03-04 13:00+00', 'cancelled'),
  ('3', '99000000-0000-4000-8000-0000000000a2', '2030-03-04 10:00+00', '2030-03-04 11:00+00', '2030-03-04 11:00+00', 'confirmed'),
  ('4', '99000000-0000-4000-8000-0000000000a1', '2030-03-04 14:00+00', '2030-03-04 15:00+00', '2030-03-04 15:00+00', 'confirmed')
) as v(n, staff, s, e, b, status);

create function pg_temp.covered(p_staff text, p_from text, p_to text) returns uuid[] language sql as $$
  select private.appointments_in_time_off(row(gen_random_uuid(), '99000000-0000-4000-8000-00000000000a',
    p_staff::uuid, p_from::timestamptz, p_to::timestamptz, null, now())::public.staff_time_off)
$$;

select is(pg_temp.covered('99000000-0000-4000-8000-0000000000a1', '2030-03-04 09:00+00', '2030-03-04 17:00+00'),
  array['99a00000-0000-4000-8000-000000000001', '99a00000-0000-4000-8000-000000000004']::uuid[],
  'a day off covers that person''s active jobs, by start; not the cancelled one, not another person''s');
select is(pg_temp.covered('99000000-0000-4000-8000-0000000000a1', '2030-03-04 11:15+00', '2030-03-04 12:00+00'),
  array['99a00000-0000-4000-8000-000000000001']::uuid[], 'the buffer after a job counts');
select is(pg_temp.covered('99000000-0000-4000-8000-0000000000a1', '2030-03-04 11:30+00', '2030-03-04 14:00+00'),
  null, 'time off between the jobs (touching both) covers none');
select is(pg_temp.covered('99000000-0000-4000-8000-0000000000a2', '2030-03-04 10:30+00', '2030-03-04 10:45+00'),
  array['99a00000-0000-4000-8000-000000000003']::uuid[], 'another staff member: their own job');

set local client_min_messages = error; -- its WARNING (checked in the integration test) would clutter the TAP output
set constraints all immediate; -- the WARNING's check runs at COMMIT (20261205171700), which this test never reaches
select lives_ok($$ insert into public.staff_time_off (organization_id, staff_member_id, starts_at, ends_at)
  values ('99000000-0000-4000-8000-00000000000a', '99000000-0000-4000-8000-0000000000a1',
          '2030-03-04 09:00+00', '2030-03-04 17:00+00') $$, 'time off over booked jobs is still recorded');
select is((select count(*)::int from public.staff_time_off where staff_member_id = '99000000-0000-4000-8000-0000000000a1'),
  1, '… one row');
select tests.authenticate_as_service_role(); -- the secret key's writes take the calendar lock too (20261205171700)
select lives_ok($$ insert into public.staff_time_off (organization_id, staff_member_id, starts_at, ends_at)
  values ('99000000-0000-4000-8000-00000000000a', '99000000-0000-4000-8000-0000000000a2',
          '2030-03-04 09:00+00', '2030-03-04 17:00+00') $$, 'service_role enters time off over a booked job too');
reset role;

select * from finish();
rollback;
