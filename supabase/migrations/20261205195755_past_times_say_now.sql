-- =====================================================================================================================
-- Section - A time in the past is answered with the time it is now
-- =====================================================================================================================
-- A model that takes a date in the wrong year ("2025-12-08" in December 2026, a common slip of a model whose training
-- ended earlier) heard only "That time has already passed", asked the caller again and sent the same year again
-- (helper-78). The refusal now says the organization's date and time, as open times are said, with the year in the ISO
-- form ("it is now Saturday, December 5 at 7:58 PM (2026-12-05T19:58:00-05:00)"): the model can correct its year from
-- it (helper-81) and a caller can hear it. CREATE OR REPLACE keeps grants.
update private.message_catalog as m set template = v.template
from (values
  ('en', 'time.past', 'That time has already passed: it is now {now}. Please choose a time in the future.'),
  ('es', 'time.past', 'Esa hora ya ha pasado: ahora es {now}. Por favor, elija una hora futura.'),
  ('en', 'availability.past', 'That is already in the past: it is now {now}. Please choose a day or time in the future. Nothing was booked by this check.'),
  ('es', 'availability.past', 'Eso ya ha pasado: ahora es {now}. Por favor, elija un día o una hora en el futuro. Esta consulta no ha reservado nada.')
) as v(language, key, template)
where m.language = v.language and m.key = v.key;

/** The organization's date and time now (to the minute), said as open times are: spoken, then its ISO form. */
create function private.spoken_now(p_call private.tool_call_context)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return private.describe_slots(array[pg_catalog.date_trunc('minute', pg_catalog.now())],
                                (p_call.organization).timezone, p_call.language);
end;
$$;
revoke all on function private.spoken_now(private.tool_call_context) from public;

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

create or replace function private.check_availability(p_call private.tool_call_context)
  returns private.tool_outcome
  language plpgsql
  set search_path = ''
as $$
declare
  v_org public.organizations := p_call.organization;
  v_args jsonb := p_call.arguments;
  -- A `date` names a local day: a time given with it is wall-clock time on that day, any offset dropped.
  v_date text := pg_catalog.regexp_replace(nullif(pg_catalog.btrim(v_args ->> 'date'), ''),
                                           '([Tt ][0-9][0-9:.,]*)([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)$', '\1');
  v_from_text text := nullif(pg_catalog.btrim(v_args ->> 'from'), '');
  v_to_text text := nullif(pg_catalog.btrim(v_args ->> 'to'), '');
  v_minutes integer := private.parse_duration_minutes(v_args -> 'duration_minutes', v_org.default_appointment_minutes);
  v_service record;
  v_staff record;
  v_buffer interval := interval '0';
  v_from timestamptz;
  v_to timestamptz;
  v_slots timestamptz[];
  v_available boolean;
  v_text text;
begin
  if private.non_text_argument(v_args, array['date', 'from', 'to', 'service', 'staff_name']) is not null then
    return private.refusal(private.say(p_call.language, 'availability.bad_date'), 'invalid_arguments');
  end if;
  -- A bare date means that whole local day, for `date`, `from` and `to` alike.
  v_from := coalesce(private.parse_start_time(coalesce(v_date, v_from_text), v_org.timezone),
                     private.parse_start_time(coalesce(v_date, v_from_text) || 'T00:00', v_org.timezone));
  v_to := case
    when v_date is not null then private.local_day_end(v_from, v_org.timezone) -- the day of `date`, from its time
    when v_to_text is not null then coalesce(private.parse_start_time(v_to_text, v_org.timezone),
      private.local_day_end(private.parse_start_time(v_to_text || 'T00:00', v_org.timezone), v_org.timezone))
    else coalesce(v_from, pg_catalog.now()) + interval '7 days'
  end;
  v_from := coalesce(v_from, case when v_date is null and v_from_text is null then pg_catalog.now() end);
  if v_to = v_from then
    v_to := v_from + interval '1 minute'; -- `from` = `to` asks about that one start ("is 10:00 free?")
  end if;

  if v_minutes is null then
    return private.refusal(private.say(p_call.language, 'arg.bad_duration'), 'invalid_arguments');
  elsif v_from is null or v_to is null then
    return private.refusal(private.say(p_call.language, 'availability.bad_date'), 'invalid_arguments');
  elsif v_to <= v_from then
    return private.refusal(private.say(p_call.language, 'availability.reversed'), 'invalid_arguments');
  elsif v_to <= pg_catalog.now() then
    return private.refusal(private.say(p_call.language, 'availability.past', pg_catalog.jsonb_build_object(
      'now', private.spoken_now(p_call))), 'past_time');
  elsif v_from > pg_catalog.now() + pg_catalog.make_interval(days => v_org.max_advance_days) then
    return private.refusal(private.say(p_call.language, 'time.too_far',
                                       pg_catalog.jsonb_build_object('days', v_org.max_advance_days)), 'beyond_horizon');
  end if;
  -- Where the organization offers services, the times depend on which (length, buffer, who does it): without one or a
  -- length, asked for, as booking does.
  v_service := private.resolve_service(p_call, nullif(pg_catalog.btrim(v_args ->> 'service'), ''),
                                       nullif(pg_catalog.btrim(v_args ->> 'duration_minutes'), '') is null);
  if v_service.problem is not null then
    return private.refusal(v_service.problem, 'unknown_service');
  end if;
  v_staff := private.resolve_staff(p_call, nullif(pg_catalog.btrim(v_args ->> 'staff_name'), ''), v_service.service);
  if v_staff.problem is not null then
    return private.refusal(v_staff.problem, 'unknown_staff');
  end if;
  if (v_service.service).id is not null then
    v_minutes := (v_service.service).duration_minutes;
    v_buffer := pg_catalog.make_interval(mins => (v_service.service).buffer_minutes);
  end if;

  v_to := least(v_to, greatest(v_from, pg_catalog.now()) + interval '31 days'); -- a month of the future at most
  select coalesce(pg_catalog.array_agg(s.start_at), '{}') into v_slots
  from private.open_slots(v_org.id, greatest(v_from, pg_catalog.now()), v_to, pg_catalog.make_interval(mins => v_minutes),
                          5, v_buffer, (v_service.service).id, (v_staff.staff).id) as s(start_at);
  -- A window's own start is a time the caller named: offered when free although off the grid ("anything between 4:15
  -- and 5?" — 4:15 is, as "is 4:15 free?" says). A bare day starts at midnight and asks no such time.
  if v_to - v_from > interval '1 minute' and v_from > pg_catalog.now()
     and (v_from at time zone v_org.timezone)::time <> '00:00' and not v_from = any(v_slots) then
    v_slots := (pg_catalog.array_cat(
      (select coalesce(pg_catalog.array_agg(s.start_at), '{}')
       from private.open_slots(v_org.id, v_from, v_from + interval '1 minute', pg_catalog.make_interval(mins => v_minutes),
                               1, v_buffer, (v_service.service).id, (v_staff.staff).id) as s(start_at)), v_slots))[1:5];
  end if;
  v_available := pg_catalog.cardinality(v_slots) > 0;
  if v_available then
    v_text := private.say(p_call.language, 'availability.open',
                          pg_catalog.jsonb_build_object('slots',
                            private.describe_slots(v_slots, v_org.timezone, p_call.language)));
  else
    select coalesce(pg_catalog.array_agg(s.start_at), '{}') into v_slots
    from private.open_slots(v_org.id, greatest(v_to, pg_catalog.now()), v_to + interval '14 days',
                            pg_catalog.make_interval(mins => v_minutes), 3, v_buffer, (v_service.service).id,
                            (v_staff.staff).id) as s(start_at);
    -- A window within one of its closed dates (that date, or hours of it) is said as a closed day.
    v_text := private.say(p_call.language, case
      when exists (select 1 from public.closed_dates as c
                   where c.organization_id = v_org.id and c.closed_on = (v_from at time zone v_org.timezone)::date)
           and v_to <= private.local_day_end(v_from, v_org.timezone)
        then 'time.closed_day' else 'availability.none' end) || ' '
      || case when pg_catalog.cardinality(v_slots) > 0
              then private.say(p_call.language, 'availability.next', pg_catalog.jsonb_build_object(
                     'slots', private.describe_slots(v_slots, v_org.timezone, p_call.language)))
              else private.none_ahead_sentence(p_call, v_to + interval '14 days', 'availability.none_after') end;
  end if;

  return private.served(true, v_text || case when pg_catalog.cardinality(v_slots) > 0
                                             then ' ' || private.zone_sentence(p_call) else '' end || ' '
                || private.say(p_call.language, 'availability.nothing_booked'),
          case when v_available then 'available' else 'unavailable' end);
end;
$$;
