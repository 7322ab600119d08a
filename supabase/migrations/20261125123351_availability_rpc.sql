-- =====================================================================================================================
-- Section - The tool
-- =====================================================================================================================

/**
  * check_availability: the next open start times of the resolved organization, read out in its own zone. Arguments:
  * `date` (YYYY-MM-DD, that local day) or `from`/`to` (ISO-8601, local wall-clock when no offset; `from` alone looks
  * a week ahead), optional `duration_minutes`, `service`. Nothing given → the coming week. Never books anything and
  * says so. When the window is full it offers the next open times after it.
  */
create or replace function private.check_availability(p_call private.tool_call_context)
  returns jsonb
  language plpgsql
  volatile
  set search_path = ''
as $$
declare
  v_org public.organizations := p_call.organization;
  v_date text := nullif(pg_catalog.btrim(p_call.arguments ->> 'date'), '');
  v_from_text text := nullif(pg_catalog.btrim(p_call.arguments ->> 'from'), '');
  v_to_text text := nullif(pg_catalog.btrim(p_call.arguments ->> 'to'), '');
  v_minutes integer := private.parse_duration_minutes(p_call.arguments -> 'duration_minutes',
                                                      v_org.default_appointment_minutes);
  v_from timestamptz;
  v_to timestamptz;
  v_slots timestamptz[];
  v_available boolean;
  v_text text;
begin
  -- A bare date means that whole local day, for `date`, `from` and `to` alike.
  v_from := coalesce(private.parse_start_time(coalesce(v_date, v_from_text), v_org.timezone),
                     private.parse_start_time(coalesce(v_date, v_from_text) || 'T00:00', v_org.timezone));
  v_to := case
    when v_date is not null then private.parse_start_time(v_date || 'T00:00', v_org.timezone) + interval '1 day'
    when v_to_text is not null then coalesce(private.parse_start_time(v_to_text, v_org.timezone),
      private.parse_start_time(v_to_text || 'T00:00', v_org.timezone) + interval '1 day')
    else coalesce(v_from, pg_catalog.now()) + interval '7 days'
  end;
  v_from := coalesce(v_from, case when v_date is null and v_from_text is null then pg_catalog.now() end);

  if v_minutes is null then
    return private.refuse_tool_call(p_call, 'The appointment length must be between 5 minutes and 8 hours.',
                                    'invalid_arguments');
  elsif v_from is null or v_to is null then
    return private.refuse_tool_call(p_call, 'I could not understand that date. Please say the day again.',
                                    'invalid_arguments');
  elsif v_to <= v_from then
    return private.refuse_tool_call(p_call, 'The end of that range is before its start. Please say the days again.',
                                    'invalid_arguments');
  elsif v_to <= pg_catalog.now() then
    return private.refuse_tool_call(p_call,
      'That day has already passed. Please choose a day in the future. Nothing was booked.', 'past_time');
  end if;

  v_to := least(v_to, v_from + interval '31 days');
  select coalesce(pg_catalog.array_agg(s.start_at), '{}') into v_slots
  from private.open_slots(v_org.id, greatest(v_from, pg_catalog.now()), v_to,
                          pg_catalog.make_interval(mins => v_minutes), 5) as s(start_at);
  v_available := pg_catalog.cardinality(v_slots) > 0;
  if v_available then
    v_text := 'Open times: ' || private.describe_slots(v_slots, v_org.timezone) || '.';
  else
    select coalesce(pg_catalog.array_agg(s.start_at), '{}') into v_slots
    from private.open_slots(v_org.id, greatest(v_to, pg_catalog.now()), v_to + interval '14 days',
                            pg_catalog.make_interval(mins => v_minutes), 3) as s(start_at);
    v_text := 'There are no open times then.'
      || coalesce(' The next open times are: ' || private.describe_slots(v_slots, v_org.timezone) || '.',
                  ' There are no open times in the two weeks after that either.');
  end if;

  return private.answer_tool_call(p_call, true,
    v_text || ' Times are in ' || v_org.timezone || '. Nothing has been booked yet.',
    case when v_available then 'available' else 'unavailable' end);
end;
$$;

-- =====================================================================================================================
-- Section - Public functions (the webhook RPC)
-- =====================================================================================================================

/** check_availability in ONE transaction: resolve → replay → answer (docs/rpc-contract.md). */
create or replace function public.resolve_org_and_check_availability(
  p_assistant_id text default null,
  p_phone_number text default null,
  p_vapi_call_id text default null,
  p_tool_call_id text default null,
  p_arguments jsonb default '{}'::jsonb)
  returns jsonb
  language sql
  volatile
  security definer
  set search_path = ''
as $$
  select coalesce(c.answer, private.check_availability(c))
  from private.begin_tool_call(p_assistant_id, p_phone_number, p_vapi_call_id, p_tool_call_id, 'check_availability',
                               p_arguments) as c
$$;
revoke all on function public.resolve_org_and_check_availability(text, text, text, text, jsonb)
  from public, anon, authenticated;
grant execute on function public.resolve_org_and_check_availability(text, text, text, text, jsonb) to service_role;
