-- =====================================================================================================================
-- Section - Booking rules per organization
-- =====================================================================================================================
alter table public.organizations
  -- No booking sooner than this from now (a plumber needs time to get there).
  add column min_notice_minutes integer not null default 0
    constraint organizations_min_notice_minutes_range check (min_notice_minutes between 0 and 43200),
  -- No booking further ahead than this: the horizon of the calendar.
  add column max_advance_days integer not null default 365
    constraint organizations_max_advance_days_range check (max_advance_days between 1 and 3650);

-- =====================================================================================================================
-- Section - Services: what can be booked, how long it takes, and the buffer after it
-- =====================================================================================================================
create table public.services (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  name text not null constraint services_name_not_blank check (pg_catalog.btrim(name) <> ''),
  -- Other names a caller may use ("AC repair" for "Air conditioning repair"); matched case-insensitively.
  aliases text[] not null default '{}',
  duration_minutes integer not null constraint services_duration_minutes_range check (duration_minutes between 5 and 480),
  -- Time blocked after each job (travel, cleaning), for the staff member who did it.
  buffer_minutes integer not null default 0 constraint services_buffer_minutes_range check (buffer_minutes between 0 and 240),
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint services_organization_id_id_key unique (organization_id, id)
);
create unique index services_active_name_key on public.services (organization_id, pg_catalog.lower(name)) where is_active;
create trigger services_set_updated_at before update on public.services
  for each row execute function private.set_updated_at();

-- =====================================================================================================================
-- Section - Who performs what, and when a staff member is away
-- =====================================================================================================================
-- A staff member without rows here performs every service. Composite keys: both sides belong to one organization.
create table public.staff_services (
  organization_id uuid not null,
  staff_member_id uuid not null,
  service_id uuid not null,
  primary key (staff_member_id, service_id),
  foreign key (organization_id, staff_member_id) references public.staff_members (organization_id, id) on delete cascade,
  foreign key (organization_id, service_id) references public.services (organization_id, id) on delete cascade
);
create index staff_services_service_idx on public.staff_services (organization_id, service_id);

create table public.staff_time_off (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  staff_member_id uuid not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  reason text,
  created_at timestamptz not null default now(),
  constraint staff_time_off_ends_after_start check (ends_at > starts_at),
  foreign key (organization_id, staff_member_id) references public.staff_members (organization_id, id) on delete cascade
);
create index staff_time_off_staff_idx on public.staff_time_off (staff_member_id, starts_at);

-- Optional weekly hours of one staff member, in the organization's zone, inside the organization's own hours. A staff
-- member without rows works whenever the organization is open.
create table public.staff_hours (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  staff_member_id uuid not null,
  weekday smallint not null constraint staff_hours_weekday_range check (weekday between 0 and 6),
  opens_at time not null,
  closes_at time not null,
  constraint staff_hours_opens_before_closes check (closes_at > opens_at),
  constraint staff_hours_window_unique unique (staff_member_id, weekday, opens_at),
  foreign key (organization_id, staff_member_id) references public.staff_members (organization_id, id) on delete cascade
);
create index staff_hours_organization_id_idx on public.staff_hours (organization_id);

-- =====================================================================================================================
-- Section - Appointments: with whom, for what, and the time they block
-- =====================================================================================================================
alter table public.appointments
  add column if not exists staff_member_id uuid, -- calendar feeds (20261129160000) may have added it first
  add column service_id uuid,
  -- End of the time the appointment blocks (end_time + the service's buffer); null = end_time.
  add column blocked_until timestamptz,
  -- The one definition of "this appointment holds its time" (scheduled or confirmed), used everywhere.
  add column is_active boolean generated always as (status in ('scheduled', 'confirmed')) stored,
  add column blocked_during tstzrange generated always as (
    tstzrange(start_time, coalesce(blocked_until, end_time), '[)')) stored,
  add constraint appointments_blocked_until_after_end check (blocked_until is null or blocked_until >= end_time),
  add constraint appointments_staff_member_fkey foreign key (organization_id, staff_member_id)
    references public.staff_members (organization_id, id),
  add constraint appointments_service_fkey foreign key (organization_id, service_id)
    references public.services (organization_id, id);

-- No double booking by construction, buffers included: one calendar per staff member; appointments without a staff
-- member (organizations without staff, as before) share the organization's one calendar.
alter table public.appointments
  drop constraint appointments_no_overlap,
  add constraint appointments_no_overlap exclude using gist (organization_id with =, blocked_during with &&)
    where (is_active and staff_member_id is null),
  add constraint appointments_staff_no_overlap exclude using gist (staff_member_id with =, blocked_during with &&)
    where (is_active and staff_member_id is not null);
create index appointments_staff_member_id_start_time_idx on public.appointments (staff_member_id, start_time)
  where staff_member_id is not null;
create index appointments_service_id_idx on public.appointments (service_id) where service_id is not null;

-- =====================================================================================================================
-- Section - Grants and RLS (members read their organizations' rows; only service_role writes)
-- =====================================================================================================================
alter table public.services enable row level security;
revoke all on table public.services from anon, authenticated, service_role;
grant select on table public.services to authenticated;
grant select, insert, update, delete on table public.services to service_role;
create policy "Members can view their organizations' services" on public.services
  for select to authenticated
  using (organization_id in (select private.current_user_organization_ids()));

alter table public.staff_services enable row level security;
revoke all on table public.staff_services from anon, authenticated, service_role;
grant select on table public.staff_services to authenticated;
grant select, insert, update, delete on table public.staff_services to service_role;
create policy "Members can view their organizations' staff services" on public.staff_services
  for select to authenticated
  using (organization_id in (select private.current_user_organization_ids()));

alter table public.staff_hours enable row level security;
revoke all on table public.staff_hours from anon, authenticated, service_role;
grant select on table public.staff_hours to authenticated;
grant select, insert, update, delete on table public.staff_hours to service_role;
create policy "Members can view their organizations' staff hours" on public.staff_hours
  for select to authenticated
  using (organization_id in (select private.current_user_organization_ids()));

alter table public.staff_time_off enable row level security;
revoke all on table public.staff_time_off from anon, authenticated, service_role;
grant select on table public.staff_time_off to authenticated;
grant select, insert, update, delete on table public.staff_time_off to service_role;
create policy "Members can view their organizations' staff time off" on public.staff_time_off
  for select to authenticated
  using (organization_id in (select private.current_user_organization_ids()));
