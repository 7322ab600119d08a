-- =====================================================================================================================
-- Section - A tool call found by its line is with its line's assistant; a booking's texts speak its call's language
-- =====================================================================================================================
-- With 20261206060342's call_configuration: a tool call found by its line (the message named no assistant of the
-- organization) is the line's assistant's and speaks the line's language; its call log records that assistant.
-- A booking's confirmation text is written when the appointment is inserted, in its call's language (call_language),
-- which read the call log — written by the first tool call of a call only after the booking (finish_tool_call): a
-- call whose Vapi sent no status-update first was texted in the OLDEST configuration's language (English for a
-- Spanish assistant or line of a business whose first configuration is English). begin_tool_call now notes the call's
-- language for its transaction (`private.call_language`), which call_language reads back. (Logging the call before
-- the insert instead cost 0.25 M instructions a booking; the note costs nothing measurable.)
-- CREATE OR REPLACE keeps grants.

/**
  * Resolves the tenant and claims the tool call's ledger key; `answer` is set when the call must not run: no tenant,
  * a replay (the same tool under the key; for check_availability, also the same arguments), or a conflict (two
  * different writes share the key). Keys are the organization's own: another organization's use of a call id claims
  * nothing of its. A request under a key the client reused where a
  * question (check_availability) is one of the two is claimed as `<id>#<request hash>` and served on its own; a write
  * there still replays or meets the one write the id's family may hold. `waited_out_delivery` is set when another
  * delivery of the same request ran first and kept no answer.
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
  v_family record; -- a write already served under a reused id's `<id>#…`
  v_claimed boolean := false;
  v_delivery_lock bigint; -- held by whichever delivery of this request runs
  v_waited boolean := false; -- for another delivery of this request, which has ended since
  v_noted text; -- set_config's echo
begin
  v_context.vapi_call_id := nullif(pg_catalog.btrim(p_vapi_call_id), '');
  v_context.assistant_id := nullif(pg_catalog.btrim(p_assistant_id), '');
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
  if v_context.resolved_by = 'phone_number' then
    -- Found by its line, so the message named no assistant of this organization: the call is with its line's (the
    -- call log records it), and speaks its line's language.
    v_context.assistant_id := coalesce((private.call_configuration(v_context.organization_id, null, p_phone_number_id,
                                                                   p_phone_number, null)).vapi_assistant_id,
                                       v_context.assistant_id);
    v_context.language := private.call_language(v_context.organization_id, v_context.vapi_call_id,
                                                v_context.assistant_id, p_phone_number_id, p_phone_number);
  else
    v_context.language := private.call_language(v_context.organization_id, v_context.vapi_call_id,
                                                v_context.assistant_id);
  end if;
  -- The caller's number: E.164, else (a BYO trunk with Vapi's E.164 check off: "15557654321", "555 765 4321") read as
  -- dialled in the country of the organization's lines, as a number a caller gives is (helper-88 #1). The numbers
  -- carriers present for a withheld, restricted, unavailable or blocked caller are nobody's: every hidden caller would
  -- share them, and hear of each other's bookings as their own (helper-87 #5).
  v_context.caller_phone := coalesce(private.normalize_e164(p_caller_phone),
    case when pg_catalog.btrim(p_caller_phone) <> '' then private.given_phone(v_context, p_caller_phone) end);
  if v_context.caller_phone = any (array['+266696687', '+7378742833', '+86282452253', '+2562533']) then
    v_context.caller_phone := null;
  end if;
  if v_context.vapi_call_id is null then
    return v_context;
  end if;
  -- Noted for this transaction: a booking's texts are written before a new call is logged (call_language).
  v_noted := pg_catalog.set_config('private.call_language', v_context.language || E'\n' || v_context.organization_id
                                   || E'\n' || v_context.vapi_call_id, true);

  v_context.tool_call_key := coalesce(nullif(pg_catalog.btrim(p_tool_call_id), ''),
                                      private.derived_tool_call_key(v_context.organization_id, v_context.vapi_call_id,
                                                                    p_tool_name, v_context.arguments));
  -- A redelivery of a tool call still running elsewhere waits here for that first delivery's answer (its uncommitted
  -- ledger row) for as long as its whole statement budget, not the 1 s any other lock wait gets: the first is bounded
  -- by the same budget, which started earlier and so ends first. A shorter wait answered "couldn't reach" while the
  -- first booked.
  v_hash := pg_catalog.md5(p_tool_name || ':' || v_context.arguments::text);
  v_lock_timeout := pg_catalog.current_setting('lock_timeout');
  v_lock_timeout_set := pg_catalog.set_config('lock_timeout', pg_catalog.current_setting('statement_timeout'), true);
  -- Whether another delivery of this request is running: one that ends without a kept answer (a failure: rolled back)
  -- must not be followed by this one's success — deliveries sent together hear the same (finish_tool_call).
  v_delivery_lock := pg_catalog.hashtextextended(
    'delivery:' || v_context.organization_id || ':' || v_context.vapi_call_id || ':' || v_context.tool_call_key || ':'
    || v_hash, 0);
  if not pg_catalog.pg_try_advisory_xact_lock(v_delivery_lock) then
    v_waited := not private.rpc_retry(); -- the function's own retry waits for its own lost try
    perform pg_catalog.pg_advisory_xact_lock(v_delivery_lock);
  end if;
  -- At most twice: the key as sent, then — when the client reused it for another request — the key of this request.
  for v_attempt in 1..2 loop
    insert into public.tool_call_executions (vapi_call_id, tool_call_id, organization_id, tool_name, request_hash)
    values (v_context.vapi_call_id, v_context.tool_call_key, v_context.organization_id, p_tool_name, v_hash)
    on conflict (vapi_call_id, tool_call_id, organization_id) do nothing;
    v_claimed := found;
    if v_claimed then
      -- Free after waiting for another delivery of this request (under the id, or its `<id>#…`): that one kept no answer.
      v_context.waited_out_delivery := v_waited;
      exit;
    end if;
    select e.tool_name, e.request_hash, e.response into v_prior
    from public.tool_call_executions as e
    where e.vapi_call_id = v_context.vapi_call_id and e.tool_call_id = v_context.tool_call_key
      and e.organization_id = v_context.organization_id;
    if v_prior.tool_name = p_tool_name
       and (p_tool_name <> 'check_availability' or coalesce(v_prior.request_hash = v_hash, true)) then
      -- A redelivery. A tool that writes replays whatever the arguments: the key alone decides that nothing is done
      -- twice. A question (check_availability) replays only when asked the same (so does a row from before hashes).
      v_context.answer := v_prior.response || pg_catalog.jsonb_build_object('replayed', true);
      exit;
    end if;
    -- A key two different writes share is a conflict (so is one whose row has gone since: no tool name).
    exit when v_prior.tool_name is null
           or (v_prior.tool_name <> 'check_availability' and p_tool_name <> 'check_availability');
    if v_attempt = 1 and p_tool_name <> 'check_availability' then
      -- A write under a question's id: the id's family (`<id>#…`) holds one write at most, as the id itself would —
      -- the same tool again replays it, another is refused (a replayed "booked" never stands beside a served cancel:
      -- helper-70 #1). Serialized per id: a concurrent write's uncommitted row would not be seen.
      perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended(
        'tool_call:' || v_context.organization_id || ':' || v_context.vapi_call_id || ':' || v_context.tool_call_key, 0));
      select e.tool_name, e.response into v_family
      from public.tool_call_executions as e
      where e.vapi_call_id = v_context.vapi_call_id and e.organization_id = v_context.organization_id
        and pg_catalog.starts_with(e.tool_call_id, v_context.tool_call_key || '#')
        and e.tool_name <> 'check_availability'
      limit 1;
      if found then
        if v_family.tool_name = p_tool_name then
          v_context.answer := v_family.response || pg_catalog.jsonb_build_object('replayed', true);
        end if;
        exit;
      end if;
    end if;
    v_context.tool_call_key := v_context.tool_call_key || '#' || v_hash;
  end loop;
  if not v_claimed and v_context.answer is null then
    -- Also when both keys were other requests' (a client id literally `<id>#<hash>`): nothing runs unrecorded.
    v_context.answer := private.tool_response(false, private.say(v_context.language, 'tool.conflict'),
      'tool_call_conflict', v_context.organization_id, v_context.resolved_by, v_context.language);
  end if;
  v_lock_timeout_set := pg_catalog.set_config('lock_timeout', v_lock_timeout, true);
  return v_context;
end;
$$;
