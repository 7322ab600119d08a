-- Rows written with only the columns the contract and README document (20261205002500_documented_columns_suffice.sql):
-- a staff row's organization comes from its staff member, never from a guess; a call log needs no resolved_by.
begin;
select plan(12);

insert into public.organizations (id, name, timezone) values
  ('90000000-0000-4000-8000-00000000000a', 'Columns A', 'America/New_York'),
  ('90000000-0000-4000-8000-00000000000b', 'Columns B', 'America/New_York');
insert into public.customer_configurations (organization_id, vapi_assistant_id) values
  ('90000000-0000-4000-8000-00000000000a', 'asst_columns_a');
insert into public.staff_members (id, organization_id, name) values
  ('90a00000-0000-4000-8000-000000000001', '90000000-0000-4000-8000-00000000000a', 'Ann'),
  ('90b00000-0000-4000-8000-000000000001', '90000000-0000-4000-8000-00000000000b', 'Bob');
insert into public.services (id, organization_id, name, duration_minutes) values
  ('90a00000-0000-4000-8000-0000000000f1', '90000000-0000-4000-8000-00000000000a', 'Repair', 60),
  ('90b00000-0000-4000-8000-0000000000f1', '90000000-0000-4000-8000-00000000000b', 'Repair', 60);

select tests.authenticate_as_service_role();
select lives_ok($$ insert into public.staff_services (staff_member_id, service_id)
                   values ('90a00000-0000-4000-8000-000000000001', '90a00000-0000-4000-8000-0000000000f1') $$,
  'service_role: staff_services (staff_member_id, service_id) as documented');
select lives_ok($$ insert into public.staff_time_off (staff_member_id, starts_at, ends_at)
                   values ('90a00000-0000-4000-8000-000000000001', now() + interval '1 day', now() + interval '2 days') $$,
  'service_role: staff_time_off (staff_member_id, starts_at, ends_at) as documented');
select lives_ok($$ insert into public.staff_hours (staff_member_id, weekday, opens_at, closes_at)
                   values ('90a00000-0000-4000-8000-000000000001', 1, '08:00', '12:00') $$,
  'service_role: staff_hours (staff_member_id, weekday, opens_at, closes_at) as documented');
select lives_ok($$ insert into public.call_logs (organization_id, vapi_call_id)
                   values ('90000000-0000-4000-8000-00000000000a', 'call-90-by-hand') $$,
  'service_role: call_logs (organization_id, vapi_call_id) as documented');
reset role;

select is((select array_agg(distinct organization_id)::text from (
             select organization_id from public.staff_services where staff_member_id = '90a00000-0000-4000-8000-000000000001'
             union all select organization_id from public.staff_time_off where staff_member_id = '90a00000-0000-4000-8000-000000000001'
             union all select organization_id from public.staff_hours where staff_member_id = '90a00000-0000-4000-8000-000000000001') as r),
  '{90000000-0000-4000-8000-00000000000a}', 'each row is the staff member''s organization''s');
select is((select resolved_by from public.call_logs where vapi_call_id = 'call-90-by-hand'), null,
  'a call log written by hand says nothing of how it was resolved');

-- Deny: A's staff member with B's service, a given organization that is not the staff member's, an unknown staff member.
select throws_ok($$ insert into public.staff_services (staff_member_id, service_id)
                    values ('90a00000-0000-4000-8000-000000000001', '90b00000-0000-4000-8000-0000000000f1') $$,
  '23503', null, 'A''s staff member cannot perform B''s service');
select throws_ok($$ insert into public.staff_time_off (organization_id, staff_member_id, starts_at, ends_at)
                    values ('90000000-0000-4000-8000-00000000000b', '90a00000-0000-4000-8000-000000000001',
                            now(), now() + interval '1 hour') $$,
  '23503', null, 'a given organization must be the staff member''s');
select throws_ok($$ insert into public.staff_hours (staff_member_id, weekday, opens_at, closes_at)
                    values ('90c00000-0000-4000-8000-000000000001', 1, '08:00', '12:00') $$,
  '23502', null, 'an unknown staff member gives no organization: refused');

-- The routing the hand-written call log is for: a tool call that carries only its call id is A's.
select is((select organization_id from private.resolve_organization(null, null, 'call-90-by-hand')),
  '90000000-0000-4000-8000-00000000000a'::uuid, 'a tool call with only that call id resolves to A');

-- Deny for anon and authenticated: they write no staff rows at all (grants), also through the documented columns.
select tests.clear_authentication();
select throws_ok($$ insert into public.staff_hours (staff_member_id, weekday, opens_at, closes_at)
                    values ('90a00000-0000-4000-8000-000000000001', 2, '08:00', '12:00') $$,
  '42501', null, 'anon: refused');
reset role;
select tests.create_supabase_user('columns_member');
insert into public.organization_members (organization_id, user_id, role)
values ('90000000-0000-4000-8000-00000000000a', tests.get_supabase_uid('columns_member'), 'owner');
select tests.authenticate_as('columns_member');
select throws_ok($$ insert into public.staff_time_off (staff_member_id, starts_at, ends_at)
                    values ('90a00000-0000-4000-8000-000000000001', now(), now() + interval '1 hour') $$,
  '42501', null, 'authenticated, even of A: refused (staff rows are written by admins)');
reset role;

select * from finish();
rollback;
