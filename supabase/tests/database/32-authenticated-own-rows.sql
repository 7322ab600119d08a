-- A signed-in user (authenticated) reads only its organizations' rows in EVERY public table and writes nothing.
-- Driven by the catalog: a table added later is covered without editing this file. A table's organization is its
-- `organization_id`, `organizations.id` itself, or — for a link table such as staff_services — the organization_id
-- of the table its single-column foreign key points to.
begin;
select plan(11);

-- Data of two organizations in every table the webhook writes: HVAC (alice's) and Plumbing.
select tests.authenticate_as_service_role();
select count(public.record_call_event(p_assistant_id => a, p_vapi_call_id => 'call_32_' || a,
  p_event => '{"type": "status-update", "status": "in-progress"}')) as events
from unnest(array['asst_hvac_company_assistant', 'asst_plumbing_company_assistant']) as a \gset
select count(public.resolve_org_and_book(p_assistant_id => a, p_vapi_call_id => 'call_32_' || a, p_tool_call_id => 'tc_32',
  p_arguments => pg_catalog.jsonb_build_object('start_time',
    pg_catalog.to_char(pg_catalog.date_trunc('week', now()) + interval '15 days 10 hours', 'YYYY-MM-DD"T"HH24:MI'),
    'customer_name', 'Pat 32'))) as bookings
from unnest(array['asst_hvac_company_assistant', 'asst_plumbing_company_assistant']) as a \gset
reset role;

select count(tests.create_supabase_user(u)) as users from unnest(array['alice32', 'carol32', 'dave32']) as u \gset
insert into public.organization_members (organization_id, user_id, role)
values ('d91e4aa4-914a-4d76-b5b7-2ee26e09b2a2', tests.get_supabase_uid('alice32'), 'owner'),
       ('6d593c7a-b00f-47be-8f77-cc4d1231f706', tests.get_supabase_uid('dave32'), 'owner');

-- Rows of both organizations in the tables neither the seed nor the webhook fills for them, so no check below is
-- vacuous (the last one fails for a readable table without rows of both: a new table needs rows here).
create temp table orgs32 as
  select o from unnest(array['d91e4aa4-914a-4d76-b5b7-2ee26e09b2a2', '6d593c7a-b00f-47be-8f77-cc4d1231f706']::uuid[]) o;
insert into public.staff_members (organization_id, name) select o, 'Staff 32' from orgs32;
insert into public.services (organization_id, name, duration_minutes) select o, 'Service 32', 30 from orgs32;
insert into public.staff_services (organization_id, staff_member_id, service_id)
  select m.organization_id, m.id, s.id from public.staff_members m
  join public.services s on s.organization_id = m.organization_id and s.name = 'Service 32' where m.name = 'Staff 32';
insert into public.staff_hours (organization_id, staff_member_id, weekday, opens_at, closes_at)
  select organization_id, id, 1, '09:00', '17:00' from public.staff_members where name = 'Staff 32';
insert into public.staff_time_off (organization_id, staff_member_id, starts_at, ends_at)
  select organization_id, id, now() + interval '30 days', now() + interval '31 days'
  from public.staff_members where name = 'Staff 32';
insert into public.closed_dates (organization_id, closed_on) select o, current_date + 40 from orgs32;
insert into public.sms_opt_outs (organization_id, phone) select o, '+15550199032' from orgs32;
insert into public.notifications (organization_id, kind, to_phone, body)
  select o, 'reminder', '+15550199032', 'pgTAP 32' from orgs32;

-- Every public table with the SQL that gives each row's organization (null when it cannot be derived).
create temp table tenant_tables as
  select c.oid::regclass as rel,
         case
           when c.oid = 'public.organizations'::regclass then 'id'
           when exists (select 1 from pg_catalog.pg_attribute a
                        where a.attrelid = c.oid and a.attname = 'organization_id' and not a.attisdropped)
             then 'organization_id'
           else (select pg_catalog.format('(select p.organization_id from %s p where p.%I = t.%I)',
                                          k.confrelid::regclass, pa.attname, ca.attname)
                 from pg_catalog.pg_constraint k
                 join pg_catalog.pg_attribute ca on ca.attrelid = k.conrelid and ca.attnum = k.conkey[1]
                 join pg_catalog.pg_attribute pa on pa.attrelid = k.confrelid and pa.attnum = k.confkey[1]
                 where k.conrelid = c.oid and k.contype = 'f' and pg_catalog.cardinality(k.conkey) = 1
                   and exists (select 1 from pg_catalog.pg_attribute o
                               where o.attrelid = k.confrelid and o.attname = 'organization_id')
                 order by k.conname limit 1)
         end as org_expr
  from pg_catalog.pg_class as c
  where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p');
create temp table seen (rel regclass, who text, own_rows int, other_rows int, delete_refused boolean);
grant select on tenant_tables to authenticated;
grant insert on seen to authenticated;

select cmp_ok((select count(*) from tenant_tables)::int, '>=', 8, 'the public tables are found in the catalog');
select is_empty($$ select rel from tenant_tables t join pg_catalog.pg_class c on c.oid = t.rel
                   where not c.relrowsecurity $$, 'row level security is enabled on every public table');
select is_empty($$ select rel from tenant_tables
                   where org_expr is null and pg_catalog.has_table_privilege('authenticated', rel, 'select') $$,
  'every table authenticated can read has a derivable organization');
select is_empty($$
  select c.oid::regclass from pg_catalog.pg_class c
  where c.relnamespace in ('public'::regnamespace, 'private'::regnamespace) and c.relkind in ('r', 'p', 'v', 'm')
    and (pg_catalog.has_table_privilege('authenticated', c.oid, 'insert, update, delete, truncate')
         or pg_catalog.has_any_column_privilege('authenticated', c.oid, 'insert, update')) $$,
  'authenticated holds no write privilege on any table or column');
-- Nor will it on objects the migrations' role makes later: none of its default privileges, global or in the schemas
-- this project owns, grants the API roles anything (sequences included: 20261204171000_no_default_sequence_grants.sql).
-- Hosted Supabase's own defaults (supabase_admin's in public, postgres' in storage) cover objects it makes, not ours.
select is_empty($$
  select d.defaclobjtype, d.defaclnamespace::regnamespace, a.privilege_type, a.grantee::regrole
  from pg_catalog.pg_default_acl as d, pg_catalog.aclexplode(d.defaclacl) as a
  where a.grantee in ('anon'::regrole, 'authenticated'::regrole) and d.defaclrole = 'postgres'::regrole
    and d.defaclnamespace in (0, 'public'::regnamespace, 'private'::regnamespace) $$,
  'no default privilege hands anon or authenticated anything created later');

-- Reads and a delete attempt per table, as alice (member of HVAC) and carol (member of nothing).
create function pg_temp.probe(p_who text) returns void language plpgsql as $$
declare
  v record;
  v_own int;
  v_other int;
  v_refused boolean;
begin
  for v in select rel, org_expr from tenant_tables where org_expr is not null loop
    begin
      execute pg_catalog.format(
        'select count(*) filter (where o = %L), count(*) filter (where o is distinct from %L) ' ||
        'from (select %s as o from %s t) x',
        'd91e4aa4-914a-4d76-b5b7-2ee26e09b2a2', 'd91e4aa4-914a-4d76-b5b7-2ee26e09b2a2', v.org_expr, v.rel)
        into v_own, v_other;
    exception when insufficient_privilege then
      v_own := 0; v_other := 0;
    end;
    v_refused := null;
    if p_who <> 'postgres' then
      begin
        execute pg_catalog.format('delete from %s', v.rel);
        v_refused := false;
      exception when insufficient_privilege then
        v_refused := true;
      end;
    end if;
    insert into seen values (v.rel, p_who, v_own, v_other, v_refused);
  end loop;
end;
$$;
grant execute on function pg_temp.probe(text) to authenticated;
select pg_temp.probe('postgres') \gset
select tests.authenticate_as('alice32') \gset
select pg_temp.probe('alice') \gset
select tests.authenticate_as('carol32') \gset
select pg_temp.probe('carol') \gset
-- A signed-in session whose token names no user (no `sub`): auth.uid() is null, which must match no membership.
select set_config('request.jwt.claims', '{"role": "authenticated"}', true), set_config('role', 'authenticated', true) \gset
select pg_temp.probe('no_sub') \gset
reset role;

select is_empty($$ select rel from seen where who = 'alice' and other_rows > 0 $$,
  'alice sees no row of another organization in any table');
select is_empty($$ select rel from seen where who = 'carol' and own_rows + other_rows > 0 $$,
  'a user without an organization sees no row in any table');
select is_empty($$ select rel from seen where who = 'no_sub' and own_rows + other_rows > 0 $$,
  'an authenticated session without a user id (no sub claim) sees no row in any table (helper-43)');
select is_empty($$ select rel from seen where who <> 'postgres' and not delete_refused $$, 'deleting from any table is permission denied');
-- The allow side, so the checks above can fail for the right reason: alice does see HVAC's rows where the table
-- is readable and holds some (and every table the webhook writes holds some of both organizations here).
select is_empty($$
  select a.rel from seen a join seen p on p.rel = a.rel and p.who = 'postgres'
  where a.who = 'alice' and a.own_rows < p.own_rows and pg_catalog.has_table_privilege('authenticated', a.rel, 'select') $$,
  'alice sees all her organization''s rows in every table she can read');
select is_empty($$
  select p.rel from seen p
  where p.who = 'postgres' and (p.own_rows = 0 or p.other_rows = 0)
    and pg_catalog.has_table_privilege('authenticated', p.rel, 'select') $$,
  'every table authenticated can read holds rows of both organizations here (so each check above could fail)');

select * from finish();
rollback;
