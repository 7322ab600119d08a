-- =====================================================================================================================
-- Section - Tables
-- =====================================================================================================================
-- Weekly opening hours in the organization's own time zone. An organization without any row is open around the
-- clock (an emergency plumber); closed_dates still apply to it.
create table public.business_hours (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  -- 0 = Sunday … 6 = Saturday, as extract(dow ...) counts.
  weekday smallint not null constraint business_hours_weekday_range check (weekday between 0 and 6),
  opens_at time not null,
  closes_at time not null,
  constraint business_hours_opens_before_closes check (closes_at > opens_at),
  constraint business_hours_window_unique unique (organization_id, weekday, opens_at)
);

create table public.closed_dates (
  organization_id uuid not null references public.organizations (id) on delete cascade,
  closed_on date not null,
  reason text,
  primary key (organization_id, closed_on)
);

-- =====================================================================================================================
-- Section - Grants and RLS
-- =====================================================================================================================
alter table public.business_hours enable row level security;
revoke all on table public.business_hours from anon, authenticated, service_role;
grant select on table public.business_hours to authenticated;
grant select, insert, update, delete on table public.business_hours to service_role;

alter table public.closed_dates enable row level security;
revoke all on table public.closed_dates from anon, authenticated, service_role;
grant select on table public.closed_dates to authenticated;
grant select, insert, update, delete on table public.closed_dates to service_role;

create policy "Members can view their organizations' business hours" on public.business_hours
  for select to authenticated
  using (organization_id in (select private.current_user_organization_ids()));

create policy "Members can view their organizations' closed dates" on public.closed_dates
  for select to authenticated
  using (organization_id in (select private.current_user_organization_ids()));

-- =====================================================================================================================
-- Section - Helpers
-- =====================================================================================================================

/**
  * True when [p_start, p_end) lies inside one opening window of the organization's week, in its own zone, and not
  * on a closed date.
  */
create or replace function private.is_within_business_hours(
  p_organization_id uuid, p_timezone text, p_start timestamptz, p_end timestamptz)
  returns boolean
  language sql
  stable
  set search_path = ''
as $$
  select not exists (
           select 1 from public.closed_dates as c
           where c.organization_id = p_organization_id
             and c.closed_on = (p_start at time zone p_timezone)::date)
     and (
       not exists (select 1 from public.business_hours as h where h.organization_id = p_organization_id)
       or exists (
         select 1 from public.business_hours as h
         where h.organization_id = p_organization_id
           and h.weekday = extract(dow from p_start at time zone p_timezone)
           and (p_start at time zone p_timezone)::time >= h.opens_at
           and (p_end at time zone p_timezone) <= (p_start at time zone p_timezone)::date + h.closes_at))
$$;
