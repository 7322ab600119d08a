-- =====================================================================================================================
-- Section - Tables
-- =====================================================================================================================
create table public.appointments (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  start_time timestamptz not null,
  end_time timestamptz not null,
  status text not null default 'scheduled' constraint appointments_status_known
    check (status in ('scheduled', 'confirmed', 'cancelled', 'completed', 'no_show')),
  customer_name text not null constraint appointments_customer_name_not_blank check (pg_catalog.btrim(customer_name) <> ''),
  customer_phone text constraint appointments_customer_phone_is_e164
    check (customer_phone is null or customer_phone ~ '^\+[1-9][0-9]{6,14}$'),
  service text,
  notes text,
  vapi_call_id text,
  tool_call_id text,
  cancelled_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint appointments_ends_after_start check (end_time > start_time),
  -- No double booking by construction: two active appointments of one organization never overlap, whatever the
  -- concurrency (the second inserter waits for the first and then fails with 23P01). Other tenants are unaffected.
  constraint appointments_no_overlap exclude using gist (
    organization_id with =,
    tstzrange(start_time, end_time, '[)') with &&
  ) where (status in ('scheduled', 'confirmed'))
);
create index appointments_organization_id_start_time_idx on public.appointments (organization_id, start_time);
create index appointments_vapi_call_id_idx on public.appointments (vapi_call_id) where vapi_call_id is not null;

create trigger appointments_set_updated_at before update on public.appointments
  for each row execute function private.set_updated_at();

-- =====================================================================================================================
-- Section - Grants and RLS
-- =====================================================================================================================
alter table public.appointments enable row level security;
revoke all on table public.appointments from anon, authenticated, service_role;
grant select on table public.appointments to authenticated;
grant select, insert, update, delete on table public.appointments to service_role;

create policy "Members can view their organizations' appointments" on public.appointments
  for select to authenticated
  using (organization_id in (select private.current_user_organization_ids()));

-- =====================================================================================================================
-- Section - Helpers
-- =====================================================================================================================

/**
  * Open start times of one organization in [p_from, p_to): on its slot grid, in the future, inside business hours,
  * not overlapping an active appointment. Ascending, at most p_limit.
  */
create or replace function private.open_slots(
  p_organization_id uuid, p_from timestamptz, p_to timestamptz, p_duration interval, p_limit integer)
  returns setof timestamptz
  language sql
  stable
  set search_path = ''
as $$
  with org as (
    select o.timezone, pg_catalog.make_interval(mins => o.slot_minutes) as slot
    from public.organizations as o where o.id = p_organization_id
  ), candidates as (
    -- The grid is laid in local wall-clock time so slots stay on :00/:30 across DST changes.
    select distinct (g.local_start at time zone org.timezone) as start_at, org.timezone
    from org,
         pg_catalog.generate_series(pg_catalog.date_trunc('hour', p_from at time zone org.timezone),
                                    p_to at time zone org.timezone, org.slot) as g(local_start)
  )
  select c.start_at
  from candidates as c
  where c.start_at >= p_from
    and c.start_at < p_to
    and c.start_at > pg_catalog.now()
    and private.is_within_business_hours(p_organization_id, c.timezone, c.start_at, c.start_at + p_duration)
    and not exists (
      select 1 from public.appointments as a
      where a.organization_id = p_organization_id
        and a.status in ('scheduled', 'confirmed')
        and pg_catalog.tstzrange(a.start_time, a.end_time, '[)') && pg_catalog.tstzrange(c.start_at, c.start_at + p_duration, '[)'))
  order by c.start_at
  limit p_limit
$$;

/**
  * Serializes calendar writes of ONE organization until the transaction ends. Two concurrent inserts that overlap
  * can deadlock inside the exclusion check (each waits for the other's uncommitted row); queued behind this lock the
  * second one sees the first's committed row and gets a clean exclusion_violation. Other tenants never wait.
  */
create or replace function private.lock_calendar(p_organization_id uuid)
  returns void
  language sql
  volatile
  set search_path = ''
as $$
  select pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('appointments:' || p_organization_id::text, 0))
$$;

/** The p_limit open start times nearest to p_around (one day before to two weeks after), ascending. */
create or replace function private.nearest_open_slots(
  p_organization_id uuid, p_around timestamptz, p_duration interval, p_limit integer default 3)
  returns timestamptz[]
  language sql
  stable
  set search_path = ''
as $$
  select coalesce(pg_catalog.array_agg(n.start_at order by n.start_at), '{}')
  from (
    select s.start_at
    from private.open_slots(p_organization_id, p_around - interval '1 day', p_around + interval '14 days',
                            p_duration, 2000) as s(start_at)
    order by abs(extract(epoch from s.start_at - p_around)), s.start_at
    limit p_limit
  ) as n
$$;

/** `Thursday, January 8 at 4:00 PM (2026-01-08T16:00:00-05:00); …` — readable aloud, exact for the model. */
create or replace function private.describe_slots(p_slots timestamptz[], p_timezone text)
  returns text
  language sql
  stable
  set search_path = ''
as $$
  select pg_catalog.string_agg(
           private.to_spoken_time(s.start_at, p_timezone) || ' (' || private.to_local_iso(s.start_at, p_timezone) || ')',
           '; ' order by s.start_at)
  from pg_catalog.unnest(p_slots) as s(start_at)
$$;
