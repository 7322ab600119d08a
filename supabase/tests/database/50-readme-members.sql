-- README "People who read the data (RLS)": the documented SQL makes a signed-in user a member, after which they read
-- their organization's rows (and only those) with their own JWT, write nothing, and anon reads nothing.
begin;
select plan(9);

-- The README's user signs up (Supabase Auth writes auth.users); a second tenant exists with its own appointment.
insert into auth.users (id, email) values ('50000000-0000-4000-8000-000000000001', 'dispatch@hvac.example');
insert into public.organizations (id, name) values ('50000000-0000-4000-8000-0000000000bb', 'Other Co');
insert into public.appointments (organization_id, start_time, end_time, customer_name) values
  ('d91e4aa4-914a-4d76-b5b7-2ee26e09b2a2', now() + interval '3 days', now() + interval '3 days 1 hour', 'Readme A'),
  ('50000000-0000-4000-8000-0000000000bb', now() + interval '3 days', now() + interval '3 days 1 hour', 'Readme B');

-- Exactly the README's statement.
insert into public.organization_members (organization_id, user_id, role)
select 'd91e4aa4-914a-4d76-b5b7-2ee26e09b2a2', u.id, 'member'   -- role: owner, admin or member
from auth.users as u where u.email = 'dispatch@hvac.example';

select is((select count(*)::int from public.organization_members
           where user_id = '50000000-0000-4000-8000-000000000001'), 1, 'the README statement adds one membership');

-- What supabase-js does with the user's JWT: role authenticated, request.jwt.claims.sub = the user.
set local role authenticated;
select set_config('request.jwt.claims', '{"sub": "50000000-0000-4000-8000-000000000001", "role": "authenticated"}', true);

select results_eq($$ select distinct organization_id from public.appointments $$,
  $$ values ('d91e4aa4-914a-4d76-b5b7-2ee26e09b2a2'::uuid) $$, 'the member reads only their organization''s appointments');
select ok((select count(*) from public.appointments where customer_name = 'Readme A') = 1, 'their own row is visible');
select is((select count(*)::int from public.appointments where customer_name = 'Readme B'), 0,
  'another tenant''s row is invisible');
select results_eq($$ select id from public.organizations $$,
  $$ values ('d91e4aa4-914a-4d76-b5b7-2ee26e09b2a2'::uuid) $$, 'organizations: only their own');
select is((select count(*)::int from public.customer_configurations
           where organization_id <> 'd91e4aa4-914a-4d76-b5b7-2ee26e09b2a2'), 0, 'configurations: only their own');
select throws_ok($$ update public.appointments set notes = 'x' $$, '42501', null, 'members cannot write appointments');
select throws_ok($$ insert into public.organization_members (organization_id, user_id)
                    values ('50000000-0000-4000-8000-0000000000bb', '50000000-0000-4000-8000-000000000001') $$,
  '42501', null, 'members cannot add themselves to another organization');

reset role;
set local role anon;
select set_config('request.jwt.claims', '{"role": "anon"}', true);
select throws_ok($$ select count(*) from public.appointments $$, '42501', null, 'anon reads nothing');

select * from finish();
rollback;
