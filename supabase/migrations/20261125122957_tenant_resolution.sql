-- =====================================================================================================================
-- Section - Tenant resolution
-- =====================================================================================================================

/**
  * Which organization a Vapi event belongs to, and how that was decided, in the contract's order:
  *   1. assistant id  → the ACTIVE customer_configurations row with that vapi_assistant_id
  *   2. the tenant's own line (E.164 after normalising spaces, dashes, brackets) → ACTIVE vapi_phone_number
  *   3. call id       → call_logs.vapi_call_id written by an earlier event of the same call
  * Both outputs are null when nothing matches. There is no default tenant. The caller's own number
  * (customer.number) is never an input.
  */
create or replace function private.resolve_organization(
  p_assistant_id text, p_phone_number text, p_vapi_call_id text,
  out organization_id uuid, out resolved_by text)
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_assistant_id text := nullif(pg_catalog.btrim(p_assistant_id), '');
  v_phone text := private.normalize_e164(p_phone_number);
  v_call_id text := nullif(pg_catalog.btrim(p_vapi_call_id), '');
begin
  if v_assistant_id is not null then
    select c.organization_id into organization_id
    from public.customer_configurations as c
    where c.vapi_assistant_id = v_assistant_id and c.is_active;
    if found then
      resolved_by := 'assistant_id';
      return;
    end if;
  end if;

  if v_phone is not null then
    select c.organization_id into organization_id
    from public.customer_configurations as c
    where c.vapi_phone_number = v_phone and c.is_active;
    if found then
      resolved_by := 'phone_number';
      return;
    end if;
  end if;

  if v_call_id is not null then
    select l.organization_id into organization_id
    from public.call_logs as l
    where l.vapi_call_id = v_call_id;
    if found then
      resolved_by := 'call_id';
      return;
    end if;
  end if;

  organization_id := null;
  resolved_by := null;
end;
$$;

/**
  * Records the call under its tenant so later events of the same call resolve by call id; true when this created the
  * row. Never re-homes a call that is already recorded.
  */
create or replace function private.remember_call(
  p_vapi_call_id text, p_organization_id uuid, p_resolved_by text, p_assistant_id text)
  returns boolean
  language sql
  volatile
  set search_path = ''
as $$
  with created as (
    insert into public.call_logs (organization_id, vapi_call_id, resolved_by, vapi_assistant_id)
    select p_organization_id, pg_catalog.btrim(p_vapi_call_id), p_resolved_by, nullif(pg_catalog.btrim(p_assistant_id), '')
    where nullif(pg_catalog.btrim(p_vapi_call_id), '') is not null
    on conflict (vapi_call_id) do nothing
    returning 1
  )
  select exists (select 1 from created)
$$;

-- =====================================================================================================================
-- Section - Tool call lifecycle shared by every tool RPC
-- =====================================================================================================================
create type private.tool_call_context as (
  organization_id uuid,
  resolved_by text,
  organization public.organizations,
  vapi_call_id text,
  tool_call_key text,
  assistant_id text,
  -- The tool call's arguments, always a JSON object.
  arguments jsonb,
  -- Set when the call is already answered: no tenant matched, or the stored response of an earlier delivery.
  answer jsonb
);

/**
  * Resolves the tenant and claims (call id, tool call id) for this transaction. A concurrent duplicate blocks on
  * the ledger's primary key until the first delivery commits, then gets its stored response as `answer`.
  * Legacy function-calls carry no tool call id: the key is derived from the tool name and the arguments.
  * Every tool RPC is `coalesce(context.answer, <tool>(context))`.
  */
create or replace function private.begin_tool_call(
  p_assistant_id text, p_phone_number text, p_vapi_call_id text, p_tool_call_id text, p_tool_name text,
  p_arguments jsonb)
  returns private.tool_call_context
  language plpgsql
  volatile
  set search_path = ''
as $$
declare
  v_context private.tool_call_context;
begin
  v_context.vapi_call_id := nullif(pg_catalog.btrim(p_vapi_call_id), '');
  v_context.assistant_id := nullif(pg_catalog.btrim(p_assistant_id), '');
  v_context.arguments := case when pg_catalog.jsonb_typeof(p_arguments) = 'object' then p_arguments else '{}' end;
  select r.organization_id, r.resolved_by into v_context.organization_id, v_context.resolved_by
  from private.resolve_organization(p_assistant_id, p_phone_number, v_context.vapi_call_id) as r;
  if v_context.organization_id is null then
    -- The seed guide's wording; nothing is written.
    v_context.answer := private.tool_response(false, 'Organization not found for this assistant',
                                              'organization_not_found', null, null);
    return v_context;
  end if;
  select o into v_context.organization from public.organizations as o where o.id = v_context.organization_id;
  if v_context.vapi_call_id is null then
    return v_context;
  end if;

  v_context.tool_call_key := coalesce(nullif(pg_catalog.btrim(p_tool_call_id), ''),
    'function-call:' || p_tool_name || ':' || pg_catalog.md5(v_context.arguments::text));
  insert into public.tool_call_executions (vapi_call_id, tool_call_id, organization_id, tool_name)
  values (v_context.vapi_call_id, v_context.tool_call_key, v_context.organization_id, p_tool_name)
  on conflict (vapi_call_id, tool_call_id) do nothing;
  if not found then
    -- A new statement sees the committed row of the delivery we waited for. Another organization's answer is
    -- never handed out, whatever ids a request presents.
    select case
             when e.organization_id = v_context.organization_id
               then e.response || pg_catalog.jsonb_build_object('replayed', true)
             else private.tool_response(false, 'I could not complete that request. Please try again.',
                                        'tool_call_conflict', v_context.organization_id, v_context.resolved_by)
           end
      into v_context.answer
    from public.tool_call_executions as e
    where e.vapi_call_id = v_context.vapi_call_id and e.tool_call_id = v_context.tool_call_key;
  end if;
  return v_context;
end;
$$;

/**
  * Ends a tool call. A served call (p_keep) stores its response for replays and records the call so later events
  * resolve by call id; a refused one (bad input) forgets its claim, so it changed nothing and a corrected retry of
  * the same tool call runs again. Returns p_response.
  */
create or replace function private.finish_tool_call(
  p_context private.tool_call_context, p_response jsonb, p_keep boolean)
  returns jsonb
  language plpgsql
  volatile
  set search_path = ''
as $$
begin
  if p_context.vapi_call_id is null then
    return p_response;
  end if;
  if p_keep then
    update public.tool_call_executions as e set response = p_response
    where e.vapi_call_id = p_context.vapi_call_id and e.tool_call_id = p_context.tool_call_key;
    perform private.remember_call(p_context.vapi_call_id, p_context.organization_id, p_context.resolved_by,
                                  p_context.assistant_id);
  else
    delete from public.tool_call_executions as e
    where e.vapi_call_id = p_context.vapi_call_id and e.tool_call_id = p_context.tool_call_key;
  end if;
  return p_response;
end;
$$;

/** A refusal the caller hears: nothing was changed, so the claim is released. */
create or replace function private.refuse_tool_call(p_context private.tool_call_context, p_message text, p_reason text)
  returns jsonb
  language sql
  volatile
  set search_path = ''
as $$
  select private.finish_tool_call(p_context,
    private.tool_response(false, p_message, p_reason, p_context.organization_id, p_context.resolved_by), false)
$$;

/** A served tool call: its answer is stored for replays. */
create or replace function private.answer_tool_call(
  p_context private.tool_call_context, p_ok boolean, p_text text, p_reason text)
  returns jsonb
  language sql
  volatile
  set search_path = ''
as $$
  select private.finish_tool_call(p_context,
    private.tool_response(p_ok, p_text, p_reason, p_context.organization_id, p_context.resolved_by), true)
$$;
