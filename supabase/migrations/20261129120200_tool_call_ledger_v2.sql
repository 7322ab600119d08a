-- =====================================================================================================================
-- Section - One tool call = claim → run → finish, in one place (private.run_tool_call)
-- =====================================================================================================================
-- A tool returns its outcome; the runner decides nothing about it except storing it. `keep`: a served call (booked,
-- taken, cancelled, …) is stored for replays and the call is remembered; a refused one (bad input, past time) changed
-- nothing, so its claim is released and a corrected retry of the same tool call runs again.
create type private.tool_outcome as (ok boolean, text text, reason text, keep boolean);

/** A refused tool call (bad input, past time, unknown service): nothing changed, its claim is released. */
create function private.refusal(p_text text, p_reason text)
  returns private.tool_outcome
  language plpgsql
  immutable
  set search_path = ''
as $$
begin
  return row(false, p_text, p_reason, false)::private.tool_outcome;
end;
$$;

/** A served tool call, stored for replays — also when its answer is no (the time was taken meanwhile). */
create function private.served(p_ok boolean, p_text text, p_reason text)
  returns private.tool_outcome
  language plpgsql
  immutable
  set search_path = ''
as $$
begin
  return row(p_ok, p_text, p_reason, true)::private.tool_outcome;
end;
$$;

drop function private.refuse_tool_call(private.tool_call_context, text, text);
drop function private.answer_tool_call(private.tool_call_context, boolean, text, text);
drop function private.finish_tool_call(private.tool_call_context, jsonb, boolean);
drop function private.tool_response(boolean, text, text, uuid, text);

/**
  * The one response shape every webhook tool RPC returns (docs/rpc-contract.md). `language` is the language the
  * spoken text is in, so the function can say its own fallbacks in the same language.
  */
create function private.tool_response(
  p_ok boolean, p_text text, p_reason text, p_organization_id uuid, p_resolved_by text, p_language text)
  returns jsonb
  language plpgsql
  immutable
  set search_path = ''
as $$
begin
  return (select pg_catalog.jsonb_build_object(
      'ok', p_ok,
      'result', case when p_ok then p_text end,
      'error', case when not p_ok then p_text end,
      'reason', p_reason,
      'organization_id', p_organization_id,
      'resolved_by', p_resolved_by,
      'language', p_language,
      'replayed', false));
end;
$$;

/**
  * Resolves the tenant and claims (call id, tool call id) for this transaction. A concurrent duplicate blocks on the
  * ledger's primary key until the first delivery commits, then gets its stored response as `answer` (another
  * organization's stored answer is never handed out). Legacy function-calls carry no tool call id: the key is derived
  * from the tool name and the arguments. `language` is the language this call is answered in.
  */
create or replace function private.begin_tool_call(
  p_assistant_id text, p_phone_number text, p_vapi_call_id text, p_tool_call_id text, p_tool_name text,
  p_arguments jsonb, p_phone_number_id text, p_caller_phone text)
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
  v_context.caller_phone := private.normalize_e164(p_caller_phone);
  v_context.arguments := case when pg_catalog.jsonb_typeof(p_arguments) = 'object' then p_arguments else '{}' end;
  select r.organization_id, r.resolved_by into v_context.organization_id, v_context.resolved_by
  from private.resolve_organization(p_assistant_id, p_phone_number, v_context.vapi_call_id, p_phone_number_id) as r;
  if v_context.organization_id is null then
    -- The seed guide's wording (no tenant, so no tenant language); nothing is written.
    v_context.answer := private.tool_response(false, 'Organization not found for this assistant',
                                              'organization_not_found', null, null, 'en');
    return v_context;
  end if;
  select o into v_context.organization from public.organizations as o where o.id = v_context.organization_id;
  v_context.language := private.call_language(v_context.organization_id, v_context.vapi_call_id,
                                              v_context.assistant_id);
  if v_context.vapi_call_id is null then
    return v_context;
  end if;

  v_context.tool_call_key := coalesce(nullif(pg_catalog.btrim(p_tool_call_id), ''),
    'function-call:' || p_tool_name || ':' || pg_catalog.md5(v_context.arguments::text));
  insert into public.tool_call_executions (vapi_call_id, tool_call_id, organization_id, tool_name)
  values (v_context.vapi_call_id, v_context.tool_call_key, v_context.organization_id, p_tool_name)
  on conflict (vapi_call_id, tool_call_id) do nothing;
  if not found then
    select case
             when e.organization_id = v_context.organization_id
               then e.response || pg_catalog.jsonb_build_object('replayed', true)
             else private.tool_response(false, private.say(v_context.language, 'tool.conflict'), 'tool_call_conflict',
                                        v_context.organization_id, v_context.resolved_by, v_context.language)
           end
      into v_context.answer
    from public.tool_call_executions as e
    where e.vapi_call_id = v_context.vapi_call_id and e.tool_call_id = v_context.tool_call_key;
  end if;
  return v_context;
end;
$$;

/**
  * Ends a claimed tool call with its outcome: a kept one stores its response for replays and records the call so
  * later events resolve by call id; any other releases the claim. Returns the response.
  */
create function private.finish_tool_call(p_context private.tool_call_context, p_outcome private.tool_outcome)
  returns jsonb
  language plpgsql
  volatile
  set search_path = ''
as $$
declare
  v_response jsonb := private.tool_response(p_outcome.ok, p_outcome.text, p_outcome.reason,
    p_context.organization_id, p_context.resolved_by, p_context.language);
begin
  if p_context.vapi_call_id is null then
    return v_response;
  end if;
  if p_outcome.keep then
    update public.tool_call_executions as e set response = v_response
    where e.vapi_call_id = p_context.vapi_call_id and e.tool_call_id = p_context.tool_call_key;
    perform private.remember_call(p_context.vapi_call_id, p_context.organization_id, p_context.resolved_by,
                                  p_context.assistant_id);
  else
    delete from public.tool_call_executions as e
    where e.vapi_call_id = p_context.vapi_call_id and e.tool_call_id = p_context.tool_call_key;
  end if;
  return v_response;
end;
$$;
