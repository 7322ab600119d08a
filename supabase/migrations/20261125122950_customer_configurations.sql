-- =====================================================================================================================
-- Section - Tables
-- =====================================================================================================================
-- One row per Vapi assistant / phone line of a tenant; the columns are the user's setup guide's.
create table public.customer_configurations (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  vapi_assistant_id text constraint customer_configurations_assistant_id_not_blank
    check (vapi_assistant_id is null or pg_catalog.btrim(vapi_assistant_id) = vapi_assistant_id and vapi_assistant_id <> ''),
  -- The tenant's own Vapi line, stored in E.164 so the phone-number lookup is an equality.
  vapi_phone_number text constraint customer_configurations_phone_is_e164
    check (vapi_phone_number is null or vapi_phone_number ~ '^\+[1-9][0-9]{6,14}$'),
  primary_language text not null default 'en',
  secondary_languages text[] not null default '{}',
  sms_preferences jsonb not null default '{}'::jsonb,
  custom_config jsonb not null default '{}'::jsonb,
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- At most one ACTIVE configuration per assistant and per line: a tenant is never ambiguous.
create unique index customer_configurations_active_assistant_key
  on public.customer_configurations (vapi_assistant_id) where is_active and vapi_assistant_id is not null;
create unique index customer_configurations_active_phone_key
  on public.customer_configurations (vapi_phone_number) where is_active and vapi_phone_number is not null;
create index customer_configurations_organization_id_idx on public.customer_configurations (organization_id);

create trigger customer_configurations_set_updated_at before update on public.customer_configurations
  for each row execute function private.set_updated_at();

-- =====================================================================================================================
-- Section - Grants and RLS
-- =====================================================================================================================
alter table public.customer_configurations enable row level security;
revoke all on table public.customer_configurations from anon, authenticated, service_role;
grant select on table public.customer_configurations to authenticated;
grant select, insert, update, delete on table public.customer_configurations to service_role;

create policy "Members can view their organizations' configurations" on public.customer_configurations
  for select to authenticated
  using (organization_id in (select private.current_user_organization_ids()));
