-- =====================================================================================================================
-- Section - A tool call id reused for another check_availability question is served, not answered stale
-- =====================================================================================================================
-- The ledger keyed a tool call by (call id, tool call id) alone: some model back ends (an LLM proxy numbering the
-- calls of each turn "0", "1", …) reuse ids within a call, so a second check_availability under id "0" for another day
-- got the first day's open times (helper-67 #1). Each ledger row now keeps a hash of its request (tool and
-- arguments), and the same key
--   - for check_availability replays only the same question; another question is served under `<id>#<hash>` (its own
--     redelivery replays there);
--   - for the same tool that writes (book, cancel, reschedule) replays, whatever the arguments: nothing is done twice;
--   - for another tool, or another organization, is still a conflict (serving a cancel under a booking's key let a
--     later replay say "booked" of a cancelled appointment: helper-70 #1).

alter table public.tool_call_executions add column request_hash text;
comment on column public.tool_call_executions.request_hash is
  'md5 of the tool name and its (trimmed) arguments: a key reused for another request is not a redelivery.';

/**
  * Resolves the tenant and claims the tool call's ledger key; `answer` is set when the call must not run: no tenant,
  * a replay (the same tool under the key; for check_availability, also the same arguments), or a conflict (the key is
  * another organization's, or another tool's). A check_availability key the client reused for another question is
  * claimed as `<id>#<request hash>`: that question is served on its own.
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
  v_resolved record;
  v_lock_timeout text;
  v_lock_timeout_set text; -- set_config's echo, assigned rather than PERFORMed (one executor start fewer)
  v_hash text; -- the request: tool and arguments
  v_prior record;
begin
  v_context.vapi_call_id := nullif(pg_catalog.btrim(p_vapi_call_id), '');
  v_context.assistant_id := nullif(pg_catalog.btrim(p_assistant_id), '');
  v_context.caller_phone := private.normalize_e164(p_caller_phone);
  v_context.arguments := case when pg_catalog.jsonb_typeof(p_arguments) = 'object'
                              then private.trimmed_arguments(p_arguments) else '{}' end;
  v_resolved := private.resolve_organization(p_assistant_id, p_phone_number, v_context.vapi_call_id,
                                             p_phone_number_id);
  v_context.organization_id := v_resolved.organization_id;
  v_context.resolved_by := v_resolved.resolved_by;
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
                                      private.derived_tool_call_key(v_context.vapi_call_id, p_tool_name,
                                                                    v_context.arguments));
  -- A redelivery of a tool call still running elsewhere waits here for that first delivery's answer (its uncommitted
  -- ledger row), longer than the 1 s any other lock wait gets: the first is bounded by its own 4 s statement budget,
  -- which started earlier and so ends first. Timing out at 1 s answered "couldn't reach" while the first booked.
  v_hash := pg_catalog.md5(p_tool_name || ':' || v_context.arguments::text);
  v_lock_timeout := pg_catalog.current_setting('lock_timeout');
  v_lock_timeout_set := pg_catalog.set_config('lock_timeout', '3500ms', true);
  -- At most twice: the key as sent, then — when the client reused it for another request — the key of this request.
  for v_attempt in 1..2 loop
    insert into public.tool_call_executions (vapi_call_id, tool_call_id, organization_id, tool_name, request_hash)
    values (v_context.vapi_call_id, v_context.tool_call_key, v_context.organization_id, p_tool_name, v_hash)
    on conflict (vapi_call_id, tool_call_id) do nothing;
    exit when found;
    select e.organization_id, e.tool_name, e.request_hash, e.response into v_prior
    from public.tool_call_executions as e
    where e.vapi_call_id = v_context.vapi_call_id and e.tool_call_id = v_context.tool_call_key;
    if v_prior.organization_id is distinct from v_context.organization_id then
      v_context.answer := private.tool_response(false, private.say(v_context.language, 'tool.conflict'),
        'tool_call_conflict', v_context.organization_id, v_context.resolved_by, v_context.language);
      exit;
    elsif v_prior.tool_name = p_tool_name
          and (p_tool_name <> 'check_availability' or coalesce(v_prior.request_hash = v_hash, true)) then
      -- A redelivery. A tool that writes replays whatever the arguments: the key alone decides that nothing is done
      -- twice. A question (check_availability) replays only when asked the same (so does a row from before hashes).
      v_context.answer := v_prior.response || pg_catalog.jsonb_build_object('replayed', true);
      exit;
    elsif v_prior.tool_name <> 'check_availability' or p_tool_name <> 'check_availability' then
      -- A key shared by a write and another tool stays a conflict: serving it could leave a replayed "booked" beside
      -- a served cancel (helper-70 #1). Only questions, which write nothing, get keys of their own.
      v_context.answer := private.tool_response(false, private.say(v_context.language, 'tool.conflict'),
        'tool_call_conflict', v_context.organization_id, v_context.resolved_by, v_context.language);
      exit;
    end if;
    v_context.tool_call_key := v_context.tool_call_key || '#' || v_hash;
  end loop;
  v_lock_timeout_set := pg_catalog.set_config('lock_timeout', v_lock_timeout, true);
  return v_context;
end;
$$;
