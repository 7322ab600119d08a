-- A job that would start inside the hours but end after closing (16:30 for an hour when closing is 17:00) was refused
-- as "We are not open at that time" (helper-66): it is now "That would run past our closing time." — still
-- `outside_hours`, with the nearest open times. CREATE OR REPLACE keeps grants.

insert into private.message_catalog (language, key, template) values
  ('en', 'time.runs_past_closing', 'That would run past our closing time.'),
  ('es', 'time.runs_past_closing', 'Terminaría después de nuestra hora de cierre.')
on conflict (language, key) do nothing;

/** Why a job cannot be at [p_start, p_end) — past, too soon, beyond the horizon, outside hours — with nearest times. */
create or replace function private.time_problem(
  p_call private.tool_call_context, p_start timestamptz, p_end timestamptz, p_buffer interval, p_service_id uuid,
  p_staff_member_id uuid, out reason text, out message text)
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_org public.organizations := p_call.organization;
begin
  if p_start <= pg_catalog.now() then
    reason := 'past_time';
    message := private.say(p_call.language, 'time.past');
    return;
  elsif p_start < pg_catalog.now() + pg_catalog.make_interval(mins => v_org.min_notice_minutes) then
    reason := 'too_soon';
    message := private.say(p_call.language, 'time.too_soon',
                           pg_catalog.jsonb_build_object('minutes', v_org.min_notice_minutes));
  elsif p_start > pg_catalog.now() + pg_catalog.make_interval(days => v_org.max_advance_days) then
    reason := 'beyond_horizon';
    message := private.say(p_call.language, 'time.too_far', pg_catalog.jsonb_build_object('days', v_org.max_advance_days));
    return;
  elsif not private.is_within_business_hours(v_org.id, v_org.timezone, p_start, p_end) then
    reason := 'outside_hours';
    -- One of its closed dates is said as a closed day (a refusal only: bookings inside the hours never get here).
    message := private.say(p_call.language, case
      when exists (select 1 from public.closed_dates as c
                   where c.organization_id = v_org.id and c.closed_on = (p_start at time zone v_org.timezone)::date)
        then 'time.closed_day'
      -- Open when it would start, but the job (with its length) runs past closing: said so, not "we are not open".
      when private.is_within_business_hours(v_org.id, v_org.timezone, p_start, p_start + interval '1 minute')
        then 'time.runs_past_closing'
      else 'time.closed' end);
  else
    return;
  end if;
  message := message || ' ' || private.nearest_open_times_sentence(p_call, p_start, p_end - p_start, p_buffer,
                                                                   p_service_id, p_staff_member_id);
end;
$$;
