-- =====================================================================================================================
-- Section - Unreadable tool arguments are refused after the tenant is found
-- =====================================================================================================================
-- Arguments that are no JSON object (a broken JSON string, an array, a number) were answered by the function without
-- asking SQL (helper-62 #1): an unknown assistant heard "I couldn't read the details" instead of the contract's
-- "Organization not found for this assistant", and a Spanish tenant heard English when no earlier answer had taught
-- the function its language. The function now sends them as a non-object `p_arguments`; SQL resolves the tenant first
-- and refuses them in its language (`invalid_arguments`, nothing written). A JSON null stays "no arguments" (`{}`),
-- and check_availability no longer reads `[1]` as "any day". CREATE OR REPLACE keeps grants.

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
  return private.finish_tool_call(v_call, case
    when pg_catalog.jsonb_typeof(p_arguments) not in ('object', 'null')
      then private.refusal(private.say(v_call.language, 'arg.unreadable'), 'invalid_arguments')
    when p_tool_name = 'book_appointment' then private.book_appointment(v_call)
    when p_tool_name = 'check_availability' then private.check_availability(v_call)
    when p_tool_name = 'cancel_appointment' then private.cancel_appointment(v_call)
    when p_tool_name = 'reschedule_appointment' then private.reschedule_appointment(v_call)
  end);
end;
$$;
