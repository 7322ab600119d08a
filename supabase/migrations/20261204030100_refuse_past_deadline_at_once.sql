-- =====================================================================================================================
-- Section - A tool call whose caller has already given up is refused before it does any work
-- =====================================================================================================================
-- The deferred triggers of 20261129130200_rpc_deadline.sql refuse the COMMIT once `x-rpc-deadline` has passed, but a
-- request that waited in PostgREST's pool past its deadline still did the whole booking first (and waited for locks)
-- only to roll it back: under overload, work nobody will hear crowded out work that could still be answered. The tool
-- RPCs now check the deadline first and stop at once; the commit check stays for the time spent running.
-- CREATE OR REPLACE keeps grants.

/** True when the request's `x-rpc-deadline` header (epoch milliseconds) has passed; false without the header. */
create or replace function private.rpc_deadline_passed()
  returns boolean
  language plpgsql
  volatile
  set search_path = ''
as $$
declare
  v_deadline text := nullif(pg_catalog.current_setting('request.headers', true), '')::json ->> 'x-rpc-deadline';
begin
  return v_deadline ~ '^[0-9]{1,15}$'
         and pg_catalog.clock_timestamp() > pg_catalog.to_timestamp(v_deadline::bigint / 1000.0);
end;
$$;
revoke all on function private.rpc_deadline_passed() from public, anon, authenticated;

/**
  * Raises query_canceled (57014) at commit when the request's `x-rpc-deadline` (epoch ms) has passed. Security definer:
  * it fires for whoever writes (a signed-in member too), and only its owner may use the private schema.
  */
create or replace function private.enforce_rpc_deadline()
  returns trigger
  language plpgsql
  security definer
  set search_path = ''
as $$
begin
  if private.rpc_deadline_passed() then
    raise exception using errcode = 'query_canceled',
      message = 'the caller gave up on this request before it could commit; rolled back';
  end if;
  return null;
end;
$$;

/** One tool call in ONE transaction: claim (tenant + ledger) → run the tool → finish (answer stored or released). */
create or replace function private.run_tool_call(
  p_tool_name text, p_assistant_id text, p_phone_number text, p_vapi_call_id text, p_tool_call_id text,
  p_arguments jsonb, p_phone_number_id text, p_caller_phone text)
  returns jsonb
  language plpgsql
  set search_path = ''
as $$
declare
  v_call private.tool_call_context;
begin
  if private.rpc_deadline_passed() then
    raise exception using errcode = 'query_canceled',
      message = 'the caller gave up on this request before it started; nothing was done';
  end if;
  v_call := private.begin_tool_call(p_assistant_id, p_phone_number, p_vapi_call_id, p_tool_call_id, p_tool_name,
                                    p_arguments, p_phone_number_id, p_caller_phone);
  if v_call.answer is not null then
    return v_call.answer;
  end if;
  return private.finish_tool_call(v_call, case p_tool_name
    when 'book_appointment' then private.book_appointment(v_call)
    when 'check_availability' then private.check_availability(v_call)
    when 'cancel_appointment' then private.cancel_appointment(v_call)
    when 'reschedule_appointment' then private.reschedule_appointment(v_call)
  end);
end;
$$;
