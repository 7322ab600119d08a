-- Calendar model tables (20261129120100_calendar_model.sql): tenant-safe references, no double booking per staff
-- member with buffers, the one-calendar constraint for appointments without staff, booking-rule columns, and RLS
-- (allow + deny per role and for another tenant) on every new table.
begin;
select plan(38);

insert into public.organizations (id, name) values
  ('20000000-0000-4000-8000-00000000000a', 'Cal A'), ('20000000-0000-4000-8000-00000000000b', 'Cal B');
insert into public.staff_members (id, organization_id, name) values
  ('20000000-0000-4000-8000-0000000000a1', '20000000-0000-4000-8000-00000000000a', 'Ann'),
  ('20000000-0000-4000-8000-0000000000a2', '20000000-0000-4000-8000-00000000000a', 'Abe'),
  ('20000000-0000-4000-8000-0000000000b1', '20000000-0000-4000-8000-00000000000b', 'Ben');
insert into public.services (id, organization_id, name, duration_minutes, buffer_minutes) values
  ('20000000-0000-4000-8000-0000000000c1', '20000000-0000-4000-8000-00000000000a', 'Repair', 60, 30),
  ('20000000-0000-4000-8000-0000000000d1', '20000000-0000-4000-8000-00000000000b', 'Repair', 60, 0);
insert into public.staff_services (organization_id, staff_member_id, service_id) values
  ('20000000-0000-4000-8000-00000000000a', '20000000-0000-4000-8000-0000000000a1', '20000000-0000-4000-8000-0000000000c1'),
  ('20000000-0000-4000-8000-00000000000b', '20000000-0000-4000-8000-0000000000b1', '20000000-0000-4000-8000-0000000000d1');
insert into public.staff_time_off (organization_id, staff_member_id, starts_at, ends_at) values
  ('20000000-0000-4000-8000-00000000000a', '20000000-0000-4000-8000-0000000000a1', now() + interval '10 days', now() + interval '11 days'),
  ('20000000-0000-4000-8000-00000000000b', '20000000-0000-4000-8000-0000000000b1', now() + interval '10 days', now() + interval '11 days');
insert into public.staff_hours (organization_id, staff_member_id, weekday, opens_at, closes_at) values
  ('20000000-0000-4000-8000-00000000000a', '20000000-0000-4000-8000-0000000000a1', 1, '12:00', '18:00'),
  ('20000000-0000-4000-8000-00000000000b', '20000000-0000-4000-8000-0000000000b1', 1, '08:00', '12:00');

-- =====================================================================================================================
-- Section - Columns and defaults
-- =====================================================================================================================
select has_column('public', 'appointments', 'staff_member_id', 'appointments.staff_member_id exists');
select has_column('public', 'appointments', 'service_id', 'appointments.service_id exists');
select results_eq($$ select min_notice_minutes, max_advance_days from public.organizations where id = '20000000-0000-4000-8000-00000000000a' $$,
  $$ values (0, 365) $$, 'booking rules default to no notice and a 365-day horizon');
select columns_are('public', 'staff_time_off', array['id', 'organization_id', 'staff_member_id', 'starts_at', 'ends_at', 'reason', 'created_at'],
  'staff_time_off has the contract''s columns');
select throws_ok($$ insert into public.services (organization_id, name, duration_minutes) values ('20000000-0000-4000-8000-00000000000a', 'REPAIR', 30) $$,
  '23505', null, 'an active service name is unique per organization, case-insensitively');
select lives_ok($$ insert into public.services (organization_id, name, duration_minutes) values ('20000000-0000-4000-8000-00000000000b', 'Install', 30) $$,
  'another organization may use its own names');
select throws_ok($$ insert into public.services (organization_id, name, duration_minutes) values ('20000000-0000-4000-8000-00000000000a', 'Long', 481) $$,
  '23514', null, 'a service longer than 8 hours is refused');

-- =====================================================================================================================
-- Section - Tenant safety: nothing references another tenant's staff or service
-- =====================================================================================================================
select throws_ok($$ insert into public.staff_services (organization_id, staff_member_id, service_id)
                    values ('20000000-0000-4000-8000-00000000000a', '20000000-0000-4000-8000-0000000000a2', '20000000-0000-4000-8000-0000000000d1') $$,
  '23503', null, 'staff_services cannot pair A''s staff member with B''s service');
select throws_ok($$ insert into public.staff_time_off (organization_id, staff_member_id, starts_at, ends_at)
                    values ('20000000-0000-4000-8000-00000000000a', '20000000-0000-4000-8000-0000000000b1', now(), now() + interval '1 hour') $$,
  '23503', null, 'time off cannot be recorded under A for B''s staff member');
select throws_ok($$ insert into public.staff_hours (organization_id, staff_member_id, weekday, opens_at, closes_at)
                    values ('20000000-0000-4000-8000-00000000000a', '20000000-0000-4000-8000-0000000000b1', 2, '08:00', '12:00') $$,
  '23503', null, 'staff hours cannot be recorded under A for B''s staff member');
select throws_ok($$ insert into public.appointments (organization_id, start_time, end_time, customer_name, staff_member_id)
                    values ('20000000-0000-4000-8000-00000000000a', now() + interval '2 days', now() + interval '2 days 1 hour', 'X', '20000000-0000-4000-8000-0000000000b1') $$,
  '23503', null, 'an appointment of A cannot go to B''s staff member');
select throws_ok($$ insert into public.appointments (organization_id, start_time, end_time, customer_name, service_id)
                    values ('20000000-0000-4000-8000-00000000000a', now() + interval '2 days', now() + interval '2 days 1 hour', 'X', '20000000-0000-4000-8000-0000000000d1') $$,
  '23503', null, 'an appointment of A cannot be for B''s service');

-- =====================================================================================================================
-- Section - No double booking by construction: per staff member, buffers included
-- =====================================================================================================================
select date_trunc('hour', now() + interval '3 days') as t \gset
insert into public.appointments (organization_id, start_time, end_time, blocked_until, customer_name, staff_member_id)
values ('20000000-0000-4000-8000-00000000000a', :'t', :'t'::timestamptz + interval '1 hour', :'t'::timestamptz + interval '90 minutes', 'First', '20000000-0000-4000-8000-0000000000a1');
select throws_ok(format($$ insert into public.appointments (organization_id, start_time, end_time, customer_name, staff_member_id)
                    values ('20000000-0000-4000-8000-00000000000a', %L::timestamptz + interval '30 minutes', %L::timestamptz + interval '90 minutes', 'Overlap', '20000000-0000-4000-8000-0000000000a1') $$, :'t', :'t'),
  '23P01', 'conflicting key value violates exclusion constraint "appointments_staff_no_overlap"', 'one staff member cannot have two overlapping jobs');
select throws_ok(format($$ insert into public.appointments (organization_id, start_time, end_time, customer_name, staff_member_id)
                    values ('20000000-0000-4000-8000-00000000000a', %L::timestamptz + interval '75 minutes', %L::timestamptz + interval '135 minutes', 'In buffer', '20000000-0000-4000-8000-0000000000a1') $$, :'t', :'t'),
  '23P01', null, 'a job starting inside the previous job''s buffer is refused');
select lives_ok(format($$ insert into public.appointments (organization_id, start_time, end_time, customer_name, staff_member_id)
                    values ('20000000-0000-4000-8000-00000000000a', %L::timestamptz + interval '90 minutes', %L::timestamptz + interval '150 minutes', 'After buffer', '20000000-0000-4000-8000-0000000000a1') $$, :'t', :'t'),
  'a job starting when the buffer ends is accepted');
select lives_ok(format($$ insert into public.appointments (organization_id, start_time, end_time, customer_name, staff_member_id)
                    values ('20000000-0000-4000-8000-00000000000a', %L, %L::timestamptz + interval '1 hour', 'Other tech', '20000000-0000-4000-8000-0000000000a2') $$, :'t', :'t'),
  'another staff member of the same organization can take the same hour');
select lives_ok(format($$ insert into public.appointments (organization_id, start_time, end_time, customer_name)
                    values ('20000000-0000-4000-8000-00000000000a', %L, %L::timestamptz + interval '1 hour', 'Unassigned') $$, :'t', :'t'),
  'an appointment without staff lives on the organization''s one calendar, beside staff calendars');
select throws_ok(format($$ insert into public.appointments (organization_id, start_time, end_time, customer_name)
                    values ('20000000-0000-4000-8000-00000000000a', %L, %L::timestamptz + interval '1 hour', 'Unassigned 2') $$, :'t', :'t'),
  '23P01', 'conflicting key value violates exclusion constraint "appointments_no_overlap"', 'two staffless appointments of one organization still cannot overlap');
update public.appointments set status = 'cancelled' where customer_name = 'First';
select lives_ok(format($$ insert into public.appointments (organization_id, start_time, end_time, customer_name, staff_member_id)
                    values ('20000000-0000-4000-8000-00000000000a', %L::timestamptz + interval '30 minutes', %L::timestamptz + interval '75 minutes', 'Freed', '20000000-0000-4000-8000-0000000000a1') $$, :'t', :'t'),
  'a cancelled job (is_active false) frees its time and buffer');
select is((select bool_and(is_active = (status in ('scheduled', 'confirmed'))) from public.appointments), true,
  'appointments.is_active is exactly "scheduled or confirmed"');
select throws_ok($$ insert into public.appointments (organization_id, start_time, end_time, blocked_until, customer_name)
                    values ('20000000-0000-4000-8000-00000000000b', now() + interval '5 days', now() + interval '5 days 1 hour', now() + interval '5 days', 'Bad') $$,
  '23514', null, 'blocked_until before end_time is refused');

-- =====================================================================================================================
-- Section - RLS: members read their organization's rows, nobody else reads or writes
-- =====================================================================================================================
select count(tests.create_supabase_user(u)) as created_users from unnest(array['cal_alice', 'cal_bob']) as u \gset
insert into public.organization_members (organization_id, user_id) values
  ('20000000-0000-4000-8000-00000000000a', tests.get_supabase_uid('cal_alice')),
  ('20000000-0000-4000-8000-00000000000b', tests.get_supabase_uid('cal_bob'));
create temp table cal_tables (tbl text);
insert into cal_tables values ('services'), ('staff_members'), ('staff_services'), ('staff_time_off'), ('staff_hours');
grant select on cal_tables to anon, authenticated;

select tests.authenticate_as('cal_alice');
select results_eq(format('select distinct organization_id from public.%I', tbl),
  $$ values ('20000000-0000-4000-8000-00000000000a'::uuid) $$, format('a member of A sees only A''s %s', tbl))
from cal_tables order by tbl;
select throws_ok($$ insert into public.services (organization_id, name, duration_minutes) values ('20000000-0000-4000-8000-00000000000a', 'Sneaky', 30) $$,
  '42501', null, 'a member cannot create services, even in their own organization');
select throws_ok($$ delete from public.staff_time_off $$, '42501', null, 'a member cannot delete time off');
select tests.authenticate_as('cal_bob');
select is_empty(format('select 1 from public.%I where organization_id = %L', tbl, '20000000-0000-4000-8000-00000000000a'),
  format('a member of B sees none of A''s %s', tbl))
from cal_tables order by tbl;
select tests.clear_authentication();
set local role anon;
select throws_ok(format('select 1 from public.%I', tbl), '42501', null, format('anon cannot read %s', tbl))
from cal_tables order by tbl;
reset role;

select * from finish();
rollback;
