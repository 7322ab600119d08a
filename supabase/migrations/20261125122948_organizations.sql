-- =====================================================================================================================
-- Section - Tables
-- =====================================================================================================================
create table public.organizations (
  id uuid primary key default gen_random_uuid(),
  name text not null constraint organizations_name_not_blank check (pg_catalog.btrim(name) <> ''),
  -- Wall-clock times the assistant hears ("3:30 PM") are read in this IANA zone, DST included.
  timezone text not null default 'America/New_York'
    constraint organizations_timezone_is_iana check (private.is_iana_timezone(timezone)),
  -- Grid on which open start times are offered (check_availability, "nearest open times").
  slot_minutes integer not null default 30 constraint organizations_slot_minutes_range check (slot_minutes between 5 and 240),
  default_appointment_minutes integer not null default 60
    constraint organizations_default_appointment_minutes_range check (default_appointment_minutes between 5 and 480),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create trigger organizations_set_updated_at before update on public.organizations
  for each row execute function private.set_updated_at();

create table public.organization_members (
  organization_id uuid not null references public.organizations (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role text not null default 'member' constraint organization_members_role_known check (role in ('owner', 'admin', 'member')),
  created_at timestamptz not null default now(),
  primary key (organization_id, user_id)
);
-- Leading column = the policy lookup column (auth.uid()).
create index organization_members_user_id_idx on public.organization_members (user_id, organization_id);

-- =====================================================================================================================
-- Section - Grants and RLS
-- =====================================================================================================================
alter table public.organizations enable row level security;
revoke all on table public.organizations from anon, authenticated, service_role;
grant select on table public.organizations to authenticated;
grant select, insert, update, delete on table public.organizations to service_role;

alter table public.organization_members enable row level security;
revoke all on table public.organization_members from anon, authenticated, service_role;
grant select on table public.organization_members to authenticated;
grant select, insert, update, delete on table public.organization_members to service_role;

-- =====================================================================================================================
-- Section - RLS helpers
-- =====================================================================================================================

/**
  * The organizations the signed-in user belongs to. Security definer so that policies on organization_members
  * itself do not recurse; it only ever reads the caller's own membership rows.
  */
create or replace function private.current_user_organization_ids()
  returns setof uuid
  language sql
  stable
  security definer
  set search_path = ''
as $$
  select m.organization_id
  from public.organization_members as m
  where m.user_id = (select auth.uid())
$$;
revoke all on function private.current_user_organization_ids() from public;
grant usage on schema private to authenticated;
grant execute on function private.current_user_organization_ids() to authenticated;

-- =====================================================================================================================
-- Section - RLS Policies
-- =====================================================================================================================
create policy "Members can view their organizations" on public.organizations
  for select to authenticated
  using (id in (select private.current_user_organization_ids()));

create policy "Members can view the members of their organizations" on public.organization_members
  for select to authenticated
  using (organization_id in (select private.current_user_organization_ids()));
