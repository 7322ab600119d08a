-- =====================================================================================================================
-- Section - Public functions (the webhook RPC)
-- =====================================================================================================================

/**
  * check_availability: the next open start times of the resolved organization, read out in its own zone. Arguments:
  * `date` (YYYY-MM-DD, that local day) or `from`/`to` (ISO-8601, local wall-clock when no offset; `from` alone looks
  * a week ahead), optional `duration_minutes`, `service`. Nothing given → the coming week. Never books anything and
  * says so. When the window is full it offers the next open times after it.
  */
create or replace function public.resolve_org_and_check_availability(
  p_assistant_id text default null,
  p_phone_number text default null,
  p_vapi_call_id text default null,
  p_tool_call_id text default null,
  p_arguments jsonb default '{}'::jsonb)
  returns jsonb
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
declare
  v_args jsonb := case when pg_catalog.jsonb_typeof(p_arguments) = 'object' then p_arguments else '{}'::jsonb end;
  v_context private.tool_call_context;
  v_org public.organizations;
  v_date text := nullif(pg_catalog.btrim(v_args ->> 'date'), '');
  v_from_text text := nullif(pg_catalog.btrim(v_args ->> 'from'), '');
  v_to_text text := nullif(pg_catalog.btrim(v_args ->> 'to'), '');
  v_minutes integer;
  v_from timestamptz;
  v_to timestamptz;
  v_slots timestamptz[];
  v_available boolean;
  v_error text;
  v_text text;
begin
  v_context := private.begin_tool_call(p_assistant_id, p_phone_number, p_vapi_call_id, p_tool_call_id,
                                       'check_availability', v_args);
  if v_context.organization_id is null then
    return private.organization_not_found();
  elsif v_context.replay is not null then
    return v_context.replay;
  end if;
  select o.* into v_org from public.organizations as o where o.id = v_context.organization_id;

  v_minutes := private.parse_duration_minutes(v_args -> 'duration_minutes', v_org.default_appointment_minutes);
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
    v_error := 'The appointment length must be between 5 minutes and 8 hours.';
  elsif v_from is null or v_to is null then
    v_error := 'I could not understand that date. Please say the day again.';
  elsif v_to <= v_from then
    v_error := 'The end of that range is before its start. Please say the days again.';
  elsif v_to <= pg_catalog.now() then
    return private.finish_tool_call(v_context, p_assistant_id, private.tool_response(false,
      'That day has already passed. Please choose a day in the future. Nothing was booked.', 'past_time',
      v_context.organization_id, v_context.resolved_by), false);
  end if;
  if v_error is not null then
    return private.finish_tool_call(v_context, p_assistant_id, private.tool_response(false, v_error,
      'invalid_arguments', v_context.organization_id, v_context.resolved_by), false);
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

  return private.finish_tool_call(v_context, p_assistant_id, private.tool_response(true,
    v_text || ' Times are in ' || v_org.timezone || '. Nothing has been booked yet.',
    case when v_available then 'available' else 'unavailable' end,
    v_context.organization_id, v_context.resolved_by), true);
end;
$$;
revoke all on function public.resolve_org_and_check_availability(text, text, text, text, jsonb)
  from public, anon, authenticated;
grant execute on function public.resolve_org_and_check_availability(text, text, text, text, jsonb) to service_role;
