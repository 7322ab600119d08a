-- =====================================================================================================================
-- Section - A tool call's identity and arguments, as begin_tool_call takes them
-- =====================================================================================================================
-- 1. Legacy `function-call` messages (and tool calls sent without an id) are known only by tool name and arguments.
--    The key used to be exactly that, so "book 3 pm" → "cancel it" → "book 3 pm" replayed the first, now cancelled,
--    booking as "booked". The key now also counts the call's other tool calls before it: a redelivery (nothing in
--    between, even concurrently: both count the same rows) still replays; the same request after any other tool call
--    is asked anew.
-- 2. Text arguments lose surrounding white space of every kind, not only ASCII spaces: a name of tabs, line breaks or
--    no-break spaces was booked as a name. Every tool's blank checks and stored values now see the trimmed text.

/**
  * The tool call's arguments with every top-level text value trimmed of Unicode white space (and the BOM) at both
  * ends; other values as they are. plpgsql, so the statement's plan is cached (a `language sql` helper with its own
  * search_path is planned again on every call).
  */
create function private.trimmed_arguments(p_arguments jsonb)
  returns jsonb
  language plpgsql
  immutable
  set search_path = ''
as $$
begin
  return (select coalesce(pg_catalog.jsonb_object_agg(a.key, case pg_catalog.jsonb_typeof(a.value)
            when 'string' then pg_catalog.to_jsonb(pg_catalog.btrim(a.value #>> '{}',
              E' \t\n\r\u000b\f\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a'
              '\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'))
            else a.value end), '{}')
          from pg_catalog.jsonb_each(p_arguments) as a);
end;
$$;
revoke all on function private.trimmed_arguments(jsonb) from public;

/** The ledger key of a tool call without an id: its tool, its arguments and how many other tool calls came first. */
create function private.derived_tool_call_key(p_vapi_call_id text, p_tool_name text, p_arguments jsonb)
  returns text
  language sql
  stable
  set search_path = ''
as $$
  select v.base || '#' || (select pg_catalog.count(*)
                           from public.tool_call_executions as e
                           where e.vapi_call_id = p_vapi_call_id
                             and pg_catalog.left(e.tool_call_id, pg_catalog.length(v.base)) <> v.base)
  from (select 'function-call:' || p_tool_name || ':' || pg_catalog.md5(p_arguments::text) as base) as v;
$$;
revoke all on function private.derived_tool_call_key(text, text, jsonb) from public;

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
