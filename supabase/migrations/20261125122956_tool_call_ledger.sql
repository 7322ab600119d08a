-- =====================================================================================================================
-- Section - Tables
-- =====================================================================================================================
-- Every executed tool call and the exact response it got. Vapi (or a retrying proxy) may deliver the same
-- (call id, tool call id) twice, even concurrently: the second delivery waits on this primary key and replays the
-- first one's response instead of acting again.
create table public.tool_call_executions (
  vapi_call_id text not null,
  tool_call_id text not null,
  organization_id uuid not null references public.organizations (id) on delete cascade,
  tool_name text not null,
  -- Null only inside the transaction that claimed the key; set before it commits.
  response jsonb,
  created_at timestamptz not null default now(),
  primary key (vapi_call_id, tool_call_id)
);
create index tool_call_executions_organization_id_idx on public.tool_call_executions (organization_id, created_at desc);

-- =====================================================================================================================
-- Section - Grants and RLS
-- =====================================================================================================================
alter table public.tool_call_executions enable row level security;
revoke all on table public.tool_call_executions from anon, authenticated, service_role;
grant select on table public.tool_call_executions to authenticated;
grant select, insert, update, delete on table public.tool_call_executions to service_role;

create policy "Members can view their organizations' tool calls" on public.tool_call_executions
  for select to authenticated
  using (organization_id in (select private.current_user_organization_ids()));

-- =====================================================================================================================
-- Section - Helpers
-- =====================================================================================================================

/** The one response shape every webhook tool RPC returns (docs/rpc-contract.md). */
create or replace function private.tool_response(
  p_ok boolean, p_text text, p_reason text, p_organization_id uuid, p_resolved_by text)
  returns jsonb
  language sql
  immutable
  set search_path = ''
as $$
  select pg_catalog.jsonb_build_object(
    'ok', p_ok,
    'result', case when p_ok then p_text end,
    'error', case when not p_ok then p_text end,
    'reason', p_reason,
    'organization_id', p_organization_id,
    'resolved_by', p_resolved_by,
    'replayed', false)
$$;
