-- scripts/bench only (never a migration): loads :tenants organizations with their configuration, weekday hours and
-- calendar model (5 staff members, 5 services, who performs which, staff hours, time off, a closed date), a known call
-- and :appointments appointments into the bench's throw-away database, and defines the bench's helpers and the
-- peer-style RPCs. psql -v tenants=N -v appointments=M -f bench-load.sql
\set ON_ERROR_STOP on
create schema bench;
create sequence bench.slot_seq;

-- Bookable days: the Monday two weeks from now on (inside every default notice and the 365-day horizon), whatever
-- the date the bench runs on.
select format('create function bench.first_day() returns date language sql immutable as %L',
              format('select %L::date', (date_trunc('week', now()) + interval '14 days')::date)) \gexec

-- The slot helpers are plpgsql: a `language sql` body calling to_char (stable) is not inlined, so it would be parsed
-- and planned on every call and that time counted as the product's (~0.1 ms a booking).
/** The k-th 30-minute wall-clock slot on a weekday, 08:00–18:00, over 40 weeks from bench.first_day(), cycling. */
create function bench.slot(k bigint) returns text language plpgsql immutable as $$
begin
  return pg_catalog.to_char(bench.first_day() + ((k / 20) % 200 / 5 * 7 + (k / 20) % 200 % 5)::int, 'YYYY-MM-DD')
      || 'T' || pg_catalog.to_char(time '08:00' + (k % 20) * interval '30 minutes', 'HH24:MI');
end
$$;
/** A slot all five staff members of tenants 1..1000 are booked at (the Thursday before the first bookable day). */
create function bench.taken_slot() returns text language plpgsql immutable as $$
begin
  return pg_catalog.to_char(bench.first_day() - 4, 'YYYY-MM-DD') || 'T10:00';
end
$$;
/** A Saturday: outside every tenant's business hours. */
create function bench.closed_slot() returns text language plpgsql immutable as $$
begin
  return pg_catalog.to_char(bench.first_day() + 5, 'YYYY-MM-DD') || 'T10:00';
end
$$;

/** Every tenant's five services (30 minutes each, so the bench's 30-minute slots stay disjoint). */
create function bench.services() returns text[] language sql immutable as $$
  select array['Tune-up', 'Repair', 'Inspection', 'Installation', 'Estimate']
$$;
/** The service the k-th booking asks for (immutable single expression: inlined, never planned per call). */
create function bench.service(k bigint) returns text language sql immutable as $$
  select (bench.services())[1 + k % 5]
$$;

create table bench.tenants (n int primary key, id uuid not null, assistant text not null, line text not null,
                            call_id text not null, timezone text not null);
insert into bench.tenants
select g, gen_random_uuid(), 'asst_bench_' || g, '+1555' || lpad(g::text, 7, '0'), 'bench-call-' || g,
       (array['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'Europe/London'])[1 + g % 5]
from generate_series(1, :tenants) as g;

\timing on
-- Onboarding, as a migration would do it: organizations with their configuration (timed: issue 13).
insert into public.organizations (id, name, timezone) select id, 'Bench ' || n, timezone from bench.tenants;
insert into public.customer_configurations (organization_id, vapi_assistant_id, vapi_phone_number, is_active)
select id, assistant, line, true from bench.tenants;
\timing off
-- The rest is consistent by construction: skip the FK triggers and build the appointment indexes once, at the end.
set session_replication_role = replica;
select pg_get_constraintdef(oid) as overlap_def from pg_constraint where conname = 'appointments_no_overlap' \gset
select pg_get_indexdef('public.appointments_organization_id_start_time_idx'::regclass) as start_idx_def \gset
alter table public.appointments drop constraint appointments_no_overlap;
drop index public.appointments_organization_id_start_time_idx;
insert into public.business_hours (organization_id, weekday, opens_at, closes_at)
select t.id, d, '08:00', '18:00' from bench.tenants as t, generate_series(1, 5) as d;
insert into public.staff_members (organization_id, name)
select t.id, 'Staff ' || s from bench.tenants as t, generate_series(1, 5) as s;
insert into public.call_logs (organization_id, vapi_call_id, resolved_by) select id, call_id, 'assistant_id' from bench.tenants;
-- The calendar model (issue 13: "5 staff and 5 services per organization"): staff member k performs services k, k+1
-- and k+2 (mod 5), so each service has 3 of the 5; staff 1-3 have weekday hours of their own (4 and 5 follow the
-- business hours); everyone had a day off three weeks ago; each tenant is closed on the Sunday before the first day.
insert into public.services (organization_id, name, duration_minutes)
select t.id, v.name, 30 from bench.tenants as t, unnest(bench.services()) as v(name);
insert into public.staff_services (organization_id, staff_member_id, service_id)
select s.organization_id, s.id, v.id
from public.staff_members as s join public.services as v on v.organization_id = s.organization_id
where (array_position(bench.services(), v.name) - right(s.name, 1)::int + 5) % 5 < 3;
insert into public.staff_hours (organization_id, staff_member_id, weekday, opens_at, closes_at)
select s.organization_id, s.id, d, '08:00', '18:00'
from public.staff_members as s, generate_series(1, 5) as d where right(s.name, 1)::int <= 3;
insert into public.staff_time_off (organization_id, staff_member_id, starts_at, ends_at, reason)
select s.organization_id, s.id, now() - interval '21 days', now() - interval '20 days', 'Loaded'
from public.staff_members as s;
insert into public.closed_dates (organization_id, closed_on, reason)
select id, bench.first_day() - 1, 'Loaded' from bench.tenants;
-- Existing appointments: one a day per tenant at 14:00 UTC, from a month ago on (past and future ones).
insert into public.appointments (organization_id, start_time, end_time, customer_name, status)
select t.id, s.at, s.at + interval '30 minutes', 'Loaded ' || i, 'scheduled'
from generate_series(0, :appointments - 1) as i
join bench.tenants as t on t.n = 1 + i % :tenants
cross join lateral (select date_trunc('day', now()) - interval '30 days' + (i / :tenants) * interval '1 day'
                           + interval '14 hours' as at) as s;
-- A taken slot for the first 1 000 tenants, every staff member busy (the "refused: taken" scenario books it again).
insert into public.appointments (organization_id, staff_member_id, start_time, end_time, customer_name, status)
select t.id, s.id, (bench.taken_slot()::timestamp) at time zone t.timezone,
       (bench.taken_slot()::timestamp + interval '30 minutes') at time zone t.timezone, 'Taken', 'scheduled'
from bench.tenants as t join public.staff_members as s on s.organization_id = t.id where t.n <= 1000;
alter table public.appointments add constraint appointments_no_overlap :overlap_def;
:start_idx_def;
reset session_replication_role;
-- Vacuumed and checkpointed now, so autovacuum and the checkpointer do not work through the fresh rows while the
-- bench measures.
vacuum (analyze);
checkpoint;
-- Read into shared buffers (sized for the data by scripts/bench): a booking's ~180 page touches are memory reads, as
-- on a database whose working set fits its memory; otherwise the first pass over each page is a read from the OS.
-- scripts/bench calls it again after each restart (bench-callgrind.ts in every single-user backend it counts).
create extension pg_prewarm schema bench;
/** Reads every table and index of this database into shared buffers; the number of blocks read. */
create function bench.prewarm() returns bigint language sql as $$
  select coalesce(sum(bench.pg_prewarm(c.oid)), 0)::bigint from pg_catalog.pg_class as c
  where c.relkind in ('r', 'i', 't') and c.relpersistence = 'p'
$$;
select bench.prewarm() as prewarmed_blocks \gset

-- ---------------------------------------------------------------------------------------------------------------------
-- The peer-style path: the seed's lookups (assistant, then line, then call id) and the insert, each its own RPC.
-- ---------------------------------------------------------------------------------------------------------------------
create function public.bench_peer_org_by_assistant(p_assistant_id text) returns uuid language sql stable as $$
  select organization_id from public.customer_configurations where vapi_assistant_id = p_assistant_id and is_active
$$;
create function public.bench_peer_org_by_line(p_phone_number text) returns uuid language sql stable as $$
  select organization_id from public.customer_configurations where vapi_phone_number = p_phone_number and is_active
$$;
create function public.bench_peer_org_by_call(p_vapi_call_id text) returns uuid language sql stable as $$
  select organization_id from public.call_logs where vapi_call_id = p_vapi_call_id
$$;
create function public.bench_peer_insert_appointment(p_organization_id uuid, p_start_time timestamptz,
  p_end_time timestamptz, p_customer_name text, p_vapi_call_id text, p_tool_call_id text) returns uuid
language sql volatile as $$
  insert into public.appointments (organization_id, start_time, end_time, customer_name, vapi_call_id, tool_call_id)
  values (p_organization_id, p_start_time, p_end_time, p_customer_name, p_vapi_call_id, p_tool_call_id)
  returning id
$$;
grant usage on schema bench to service_role;
grant select on bench.tenants to service_role;
grant execute on function bench.first_day() to service_role;
grant execute on function public.bench_peer_org_by_assistant(text), public.bench_peer_org_by_line(text),
  public.bench_peer_org_by_call(text),
  public.bench_peer_insert_appointment(uuid, timestamptz, timestamptz, text, text, text) to service_role;
