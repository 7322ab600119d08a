-- =====================================================================================================================
-- Section - A closed date is said as a closed day
-- =====================================================================================================================
-- A booking on one of the organization's closed dates was refused with "We are not open at that time", as if only
-- that hour were shut (helper-54 #9). It is now "We are closed that day" / "Ese día estamos cerrados", followed by
-- the nearest open times as before; the reason code stays `outside_hours`. pgTAP 83. CREATE OR REPLACE keeps grants.

insert into private.message_catalog (language, key, template) values
  ('en', 'time.closed_day', 'We are closed that day.'),
  ('es', 'time.closed_day', 'Ese día estamos cerrados.')
on conflict (language, key) do update set template = excluded.template;

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
        then 'time.closed_day' else 'time.closed' end);
  else
    return;
  end if;
  message := message || ' ' || private.nearest_open_times_sentence(p_call, p_start, p_end - p_start, p_buffer,
                                                                   p_service_id, p_staff_member_id);
end;
$$;
