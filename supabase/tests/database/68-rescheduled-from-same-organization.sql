-- A reschedule points at an appointment of its own organization (20261204080900_rescheduled_from_same_organization.sql).
begin;
select plan(4);

-- HVAC (d91e4aa4…) and Plumbing (the seed's second demo tenant) each have one appointment.
select id as plumbing from public.organizations where id <> 'd91e4aa4-914a-4d76-b5b7-2ee26e09b2a2'
  and exists (select 1 from public.customer_configurations as c
              where c.organization_id = organizations.id and c.vapi_assistant_id = 'asst_plumbing_company_assistant') \gset
insert into public.appointments (id, organization_id, start_time, end_time, customer_name) values
  ('68000000-0000-4000-8000-0000000000a1', 'd91e4aa4-914a-4d76-b5b7-2ee26e09b2a2', now() + interval '20 days', now() + interval '20 days 1 hour', 'A'),
  ('68000000-0000-4000-8000-0000000000b1', :'plumbing', now() + interval '21 days', now() + interval '21 days 1 hour', 'B');

select throws_ok($$
  insert into public.appointments (organization_id, start_time, end_time, customer_name, rescheduled_from)
  values ('d91e4aa4-914a-4d76-b5b7-2ee26e09b2a2', now() + interval '22 days', now() + interval '22 days 1 hour', 'A2',
          '68000000-0000-4000-8000-0000000000b1') $$,
  '23503', null, 'an HVAC appointment cannot point at a Plumbing appointment as the one it replaced');
select lives_ok($$
  insert into public.appointments (id, organization_id, start_time, end_time, customer_name, rescheduled_from)
  values ('68000000-0000-4000-8000-0000000000a2', 'd91e4aa4-914a-4d76-b5b7-2ee26e09b2a2', now() + interval '22 days',
          now() + interval '22 days 1 hour', 'A2', '68000000-0000-4000-8000-0000000000a1') $$,
  'its own organization''s appointment: allowed');
delete from public.appointments where id = '68000000-0000-4000-8000-0000000000a1';
select results_eq($$ select organization_id::text, rescheduled_from from public.appointments
                     where id = '68000000-0000-4000-8000-0000000000a2' $$,
  $$ values ('d91e4aa4-914a-4d76-b5b7-2ee26e09b2a2', null::uuid) $$,
  'deleting the earlier appointment clears rescheduled_from only');
select is((select count(*)::int from public.appointments where id = '68000000-0000-4000-8000-0000000000b1'), 1,
  'Plumbing''s appointment is untouched');

select * from finish();
rollback;
