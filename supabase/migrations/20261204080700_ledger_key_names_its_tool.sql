-- =====================================================================================================================
-- Section - A ledger key replays only the tool it was claimed for
-- =====================================================================================================================
-- The same (call id, tool call id) sent again for ANOTHER tool — a cancel under the key of a booking — was answered
-- with the booking's stored "booked" result, and nothing was cancelled (helper-26 #5). A Vapi redelivery repeats the
-- tool; another tool under a used key is a client's error: it is refused as a conflict (`tool_call_conflict`, as
-- another organization's use of the key is), and nothing is done. Only that changes (pgTAP 66).

/**
  * Resolves the tenant and claims the tool call's ledger key; `answer` is set when the call must not run: no tenant,
  * a replay of the same tool, or a conflict (the key is another organization's or another tool's).
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
  v_lock_timeout := pg_catalog.current_setting('lock_timeout');
  v_lock_timeout_set := pg_catalog.set_config('lock_timeout', '3500ms', true);
  insert into public.tool_call_executions (vapi_call_id, tool_call_id, organization_id, tool_name)
  values (v_context.vapi_call_id, v_context.tool_call_key, v_context.organization_id, p_tool_name)
  on conflict (vapi_call_id, tool_call_id) do nothing;
  v_lock_timeout_set := pg_catalog.set_config('lock_timeout', v_lock_timeout, true);
  if not found then
    select case
             when e.organization_id = v_context.organization_id and e.tool_name = p_tool_name
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
