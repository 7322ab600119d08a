-- =====================================================================================================================
-- Section - Tables
-- =====================================================================================================================
-- One row per Vapi call. Written by the first event that resolves the call's tenant; later events (and tool calls
-- that carry nothing but `call.id`) resolve the tenant from here.
create table public.call_logs (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  vapi_call_id text not null constraint call_logs_vapi_call_id_key unique,
  resolved_by text not null constraint call_logs_resolved_by_known
    check (resolved_by in ('assistant_id', 'phone_number', 'call_id')),
  vapi_assistant_id text,
  status text not null default 'in-progress' constraint call_logs_status_known
    check (status in ('scheduled', 'queued', 'ringing', 'in-progress', 'forwarding', 'ended')),
  started_at timestamptz,
  ended_at timestamptz,
  ended_reason text,
  duration_seconds numeric,
  cost numeric,
  summary text,
  transcript text,
  recording_url text,
  -- message.timestamp of the newest event applied: older events never overwrite newer data.
  last_event_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index call_logs_organization_id_idx on public.call_logs (organization_id, created_at desc);

create trigger call_logs_set_updated_at before update on public.call_logs
  for each row execute function private.set_updated_at();

-- =====================================================================================================================
-- Section - Grants and RLS
-- =====================================================================================================================
alter table public.call_logs enable row level security;
revoke all on table public.call_logs from anon, authenticated, service_role;
grant select on table public.call_logs to authenticated;
grant select, insert, update, delete on table public.call_logs to service_role;

create policy "Members can view their organizations' call logs" on public.call_logs
  for select to authenticated
  using (organization_id in (select private.current_user_organization_ids()));
