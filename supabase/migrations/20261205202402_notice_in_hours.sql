-- =====================================================================================================================
-- Section - Notice in whole hours is said in hours
-- =====================================================================================================================
-- "That is too soon: we need at least 120 minutes of notice." (helper-78): a notice of whole hours is now said in hours,
-- "at least 2 hours of notice" ("1 hour", "24 hours"); other lengths stay in minutes. CREATE OR REPLACE keeps grants.
insert into private.message_catalog (language, key, template) values
  ('en', 'time.too_soon_hours', 'That is too soon: we need at least {hours|hour|hours} of notice.'),
  ('es', 'time.too_soon_hours', 'Es demasiado pronto: necesitamos al menos {hours|hora|horas} de antelación.');

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
    message := private.say(p_call.language, 'time.past', pg_catalog.jsonb_build_object(
      'now', private.spoken_now(p_call)));
    return;
  elsif p_start < pg_catalog.now() + pg_catalog.make_interval(mins => v_org.min_notice_minutes) then
    reason := 'too_soon';
    -- Whole hours are said in hours: "2 hours of notice", not "120 minutes".
    message := private.say(p_call.language,
                           case when v_org.min_notice_minutes % 60 = 0 then 'time.too_soon_hours' else 'time.too_soon' end,
                           pg_catalog.jsonb_build_object('minutes', v_org.min_notice_minutes,
                                                         'hours', v_org.min_notice_minutes / 60));
  elsif p_start > pg_catalog.now() + pg_catalog.make_interval(days => v_org.max_advance_days) then
    reason := 'beyond_horizon';
    message := private.say(p_call.language, 'time.too_far', pg_catalog.jsonb_build_object('days', v_org.max_advance_days));
    return;
  elsif not private.is_within_business_hours(v_org.id, v_org.timezone, p_start, p_end) then
    reason := 'outside_hours';
    -- A day it is closed all day is said as a closed day (a refusal only: bookings inside the hours never get here).
    message := private.say(p_call.language, case
      when private.is_closed_day(v_org.id, v_org.timezone, p_start) then 'time.closed_day'
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
