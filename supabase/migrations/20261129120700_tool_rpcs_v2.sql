-- =====================================================================================================================
-- Section - The runner: claim → run → finish, in one place
-- =====================================================================================================================

/**
  * One tool call in its RPC's transaction: resolve the tenant and claim (call id, tool call id) — a replay or an
  * unknown tenant is answered right there —, run the tool, finish with its outcome (stored for replays or released).
  */
create or replace function private.run_tool_call(
  p_tool_name text, p_assistant_id text, p_phone_number text, p_vapi_call_id text, p_tool_call_id text,
  p_arguments jsonb, p_phone_number_id text, p_caller_phone text)
  returns jsonb
  language plpgsql
  volatile
  set search_path = ''
as $$
declare
  v_call private.tool_call_context := private.begin_tool_call(p_assistant_id, p_phone_number, p_vapi_call_id,
    p_tool_call_id, p_tool_name, p_arguments, p_phone_number_id, p_caller_phone);
begin
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

-- =====================================================================================================================
-- Section - The four tool RPCs (signatures unchanged; docs/rpc-contract.md)
-- =====================================================================================================================

/** book_appointment in ONE transaction (private.run_tool_call). */
create or replace function public.resolve_org_and_book(
  p_assistant_id text default null, p_phone_number text default null, p_vapi_call_id text default null,
  p_tool_call_id text default null, p_arguments jsonb default '{}'::jsonb, p_phone_number_id text default null,
  p_caller_phone text default null)
  returns jsonb
  language sql
  volatile
  security definer
  set search_path = ''
as $$
  select private.run_tool_call('book_appointment', p_assistant_id, p_phone_number, p_vapi_call_id, p_tool_call_id,
                               p_arguments, p_phone_number_id, p_caller_phone)
$$;

/** check_availability in ONE transaction (private.run_tool_call). */
create or replace function public.resolve_org_and_check_availability(
  p_assistant_id text default null, p_phone_number text default null, p_vapi_call_id text default null,
  p_tool_call_id text default null, p_arguments jsonb default '{}'::jsonb, p_phone_number_id text default null,
  p_caller_phone text default null)
  returns jsonb
  language sql
  volatile
  security definer
  set search_path = ''
as $$
  select private.run_tool_call('check_availability', p_assistant_id, p_phone_number, p_vapi_call_id, p_tool_call_id,
                               p_arguments, p_phone_number_id, p_caller_phone)
$$;

/** cancel_appointment in ONE transaction (private.run_tool_call). */
create or replace function public.resolve_org_and_cancel(
  p_assistant_id text default null, p_phone_number text default null, p_vapi_call_id text default null,
  p_tool_call_id text default null, p_arguments jsonb default '{}'::jsonb, p_phone_number_id text default null,
  p_caller_phone text default null)
  returns jsonb
  language sql
  volatile
  security definer
  set search_path = ''
as $$
  select private.run_tool_call('cancel_appointment', p_assistant_id, p_phone_number, p_vapi_call_id, p_tool_call_id,
                               p_arguments, p_phone_number_id, p_caller_phone)
$$;

/** reschedule_appointment in ONE transaction (private.run_tool_call). */
create or replace function public.resolve_org_and_reschedule(
  p_assistant_id text default null, p_phone_number text default null, p_vapi_call_id text default null,
  p_tool_call_id text default null, p_arguments jsonb default '{}'::jsonb, p_phone_number_id text default null,
  p_caller_phone text default null)
  returns jsonb
  language sql
  volatile
  security definer
  set search_path = ''
as $$
  select private.run_tool_call('reschedule_appointment', p_assistant_id, p_phone_number, p_vapi_call_id,
                               p_tool_call_id, p_arguments, p_phone_number_id, p_caller_phone)
$$;
