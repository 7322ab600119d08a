-- =====================================================================================================================
-- Section - check_availability searches the whole range it was asked about; says what a booking says
-- =====================================================================================================================
-- - A range longer than a month was searched for its first 31 days only, then answered for all of it: June 1 to
--   August 31 with June and most of July closed heard "There are no open times then" — and, to July 25, "no open
--   times then. The next open times are: July 21…" (helper-120 #1). The range is now searched month by month (each
--   month costs what one question did) until six open times are found (five said, and whether there are more) or it
--   ends, for a year at most ("There are no open times in the year from then", with the next ones after it). A month
--   with a few times no longer hides the rest of the range (helper-122 #1). A check past the horizon says nothing was
--   booked, as every other refusal of a check does (#3).
-- - A service that nobody active performs was said as fully booked ("no open times then … in the two weeks after that
--   either"); a booking of it says "Nobody does X at the moment", and so does the check now (helper-120 #5).
-- - The ends of a range given as wall-clock times take effect as opening hours do (helper-120 #2): one a
--   spring-forward night skips is the jump itself (from 02:30 is from 03:00, not 03:30 as a start time is read; a
--   range from 02:30 to 03:15 was "reversed"), and a `to` the clock shows twice on a fall-back night is the pass at
--   or after `from` (from the second 01:30 to 01:45 was "reversed"). `from` = `to` naming the same time is still one
--   start, the one a booking of it takes (is 02:30 free? asks about 03:30, where a booking of 02:30 lands).
-- - Wording (helper-120 #9, #10, #11): the reversed range asks for "the range" (it may have been given with times);
--   a booking with nothing open in the two weeks from the time asked says "from then", not "in the next two weeks";
--   cancelling or moving an appointment that is over says it has started or taken place.
-- CREATE OR REPLACE keeps grants.

/**
  * The local date and time a time given without an offset names, as written; null for one with an offset (or none).
  * parse_start_time decides which is which: read in two zones an hour apart, only a time without an offset moves.
  */
create function private.given_wall_clock(p_value text)
  returns timestamp
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_utc timestamptz := private.parse_start_time(p_value, 'UTC'); -- UTC has no gaps: the time as written
begin
  return case when v_utc <> private.parse_start_time(p_value, 'Etc/GMT-1') then v_utc at time zone 'UTC' end;
end;
$$;

/**
  * The second time p_timezone's clock shows p_local (on a fall-back night), or null when it shows it once or never:
  * private.wall_clock_instant's reading mirrored — the same wall-clock time read three hours later and moved back
  * three real hours is the last pass when its clock shows that time, and a second one when it comes after the first.
  */
create function private.repeated_instant(p_local timestamp, p_timezone text)
  returns timestamptz
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_later timestamptz := ((p_local + interval '3 hours') at time zone p_timezone) - interval '3 hours';
begin
  return case when (v_later at time zone p_timezone) = p_local
                   and v_later > private.wall_clock_instant(p_local, p_timezone) then v_later end;
end;
$$;

/**
  * A range's end as given: a wall-clock time takes effect as an opening time does (private.wall_clock_bound: one a
  * spring-forward night skips is the jump itself, a repeated one its first pass); one with an offset is that instant.
  */
create function private.range_bound(p_value text, p_timezone text)
  returns timestamptz
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_read timestamptz := private.parse_start_time(p_value, p_timezone);
begin
  -- Only a time within 3 hours after an offset change can be one a spring-forward night skips: the rest as read.
  if v_read is null or (v_read at time zone p_timezone) - ((v_read - interval '3 hours') at time zone p_timezone)
                       = interval '3 hours' then
    return v_read;
  end if;
  return coalesce(private.wall_clock_bound(private.given_wall_clock(p_value), p_timezone), v_read);
end;
$$;

insert into private.message_catalog (language, key, template) values
  ('en', 'availability.none_year', 'There are no open times in the year from then.'),
  ('es', 'availability.none_year', 'No hay horarios disponibles en el año siguiente.');

update private.message_catalog as m set template = v.template
from (values
  ('en', 'availability.reversed', 'The end of that range is before its start. Please say the range again.'),
  ('es', 'availability.reversed', 'El final de ese intervalo es anterior al comienzo. ¿Me puede repetir el intervalo?'),
  ('en', 'slots.none_two_weeks', 'There are no open times in the two weeks from then.'),
  ('es', 'slots.none_two_weeks', 'No quedan horarios disponibles en las dos semanas a partir de entonces.'),
  ('en', 'cancel.past', 'That appointment has already started or taken place, so it can no longer be cancelled.'),
  ('es', 'cancel.past', 'Esa cita ya ha empezado o ya ha pasado, así que ya no se puede cancelar.'),
  ('en', 'reschedule.past', 'That appointment has already started or taken place, so it can no longer be moved.'),
  ('es', 'reschedule.past', 'Esa cita ya ha empezado o ya ha pasado, así que ya no se puede cambiar.')
) as v(language, key, template)
where m.language = v.language and m.key = v.key;

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
  v_range_end timestamptz; -- the end asked for; v_month .. v_to is the month searched
  v_month timestamptz;
  v_months integer := 0;
  v_searched_a_year boolean := false; -- stopped after a year of the range (read when nothing was open in it)
  v_one timestamptz; -- `to` as a booking reads it: one start asked about when `from` reads the same
  v_slots timestamptz[];
  v_available boolean;
  v_text text;
  v_more boolean;
  v_problem record;
begin
  if private.non_text_argument(v_args, array['date', 'from', 'to', 'service', 'staff_name']) is not null then
    return private.refusal(private.say(p_call.language, 'availability.bad_date'), 'invalid_arguments');
  end if;
  -- A bare date means that whole local day, for `date`, `from` and `to` alike.
  v_from := coalesce(private.range_bound(coalesce(v_date, v_from_text), v_org.timezone),
                     private.range_bound(coalesce(v_date, v_from_text) || 'T00:00', v_org.timezone));
  v_to := case
    when v_date is not null then private.local_day_end(v_from, v_org.timezone) -- the day of `date`, from its time
    when v_to_text is not null then coalesce(private.range_bound(v_to_text, v_org.timezone),
      private.local_day_end(private.range_bound(v_to_text || 'T00:00', v_org.timezone), v_org.timezone))
    else coalesce(v_from, pg_catalog.now()) + interval '7 days'
  end;
  v_from := coalesce(v_from, case when v_date is null and v_from_text is null then pg_catalog.now() end);
  v_one := private.parse_start_time(v_to_text, v_org.timezone);
  if v_date is null and v_one is not null
     and coalesce(private.given_wall_clock(v_from_text) = private.given_wall_clock(v_to_text),
                  v_one = coalesce(private.parse_start_time(v_from_text, v_org.timezone),
                                   private.parse_start_time(v_from_text || 'T00:00', v_org.timezone))) then
    -- `from` = `to` asks about that one start ("is 10:00 free?") when `to` names the same time: the start a booking of
    -- it takes (02:30 on a spring-forward night is 03:30). A bare day that ends where `from` starts is the day before.
    v_from := v_one;
    v_to := v_one + interval '1 minute';
  elsif v_to <= v_from then
    -- A `to` the clock shows twice (a fall-back night) is its later pass, which may come after `from`.
    v_to := greatest(v_to, private.repeated_instant(private.given_wall_clock(v_to_text), v_org.timezone));
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
                                       pg_catalog.jsonb_build_object('days', v_org.max_advance_days))
                           || ' ' || private.say(p_call.language, 'availability.nothing_booked'), 'beyond_horizon');
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

  -- A month of the range at a time (each costs what one question does; a calendar cut into small gaps ~20 ms), until
  -- six open times are found (five said, and whether there are more) or the range ends — for a year at most, which is
  -- said when nothing was found. A last piece of a minute or less joins the month before it: a window that short asks
  -- about its one start (open_slots).
  v_range_end := v_to;
  v_to := greatest(v_from, pg_catalog.now());
  v_slots := '{}';
  loop
    v_month := v_to;
    v_to := case when v_range_end <= v_month + interval '31 days 1 minute' then v_range_end -- may be infinity
                 else v_month + interval '31 days' end;
    v_months := v_months + 1;
    v_slots := v_slots || (select coalesce(pg_catalog.array_agg(s.start_at), '{}')
                           from private.open_slots(v_org.id, v_month, v_to, pg_catalog.make_interval(mins => v_minutes),
                                                   6 - pg_catalog.cardinality(v_slots), v_buffer, (v_service.service).id,
                                                   (v_staff.staff).id) as s(start_at));
    exit when pg_catalog.cardinality(v_slots) > 5 or v_to >= v_range_end
              or v_to > pg_catalog.now() + pg_catalog.make_interval(days => v_org.max_advance_days);
    v_searched_a_year := v_months = 12;
    exit when v_searched_a_year;
  end loop;
  -- A window's own start is a time the caller named: offered when free although off the grid ("anything between 4:15
  -- and 5?" — 4:15 is, as "is 4:15 free?" says). A bare day starts at midnight and asks no such time.
  if v_to - v_from > interval '1 minute' and v_from > pg_catalog.now()
     and (v_from at time zone v_org.timezone)::time <> '00:00' and not v_from = any(v_slots) then
    v_slots := (pg_catalog.array_cat(
      (select coalesce(pg_catalog.array_agg(s.start_at), '{}')
       from private.open_slots(v_org.id, v_from, v_from + interval '1 minute', pg_catalog.make_interval(mins => v_minutes),
                               1, v_buffer, (v_service.service).id, (v_staff.staff).id) as s(start_at)), v_slots));
  end if;
  v_more := pg_catalog.cardinality(v_slots) > 5;
  v_slots := v_slots[1:5];
  v_available := pg_catalog.cardinality(v_slots) > 0;
  if v_available then
    v_text := private.say(p_call.language,
                          case when (v_staff.staff).id is null then 'availability.open' else 'availability.open_with' end,
                          pg_catalog.jsonb_build_object('staff', (v_staff.staff).name,
                            'slots', private.describe_slots(v_slots, v_org.timezone, p_call.language)))
      || case when v_more then ' ' || private.say(p_call.language, 'availability.more') else '' end;
  elsif (v_service.service).id is not null and (v_staff.staff).id is null and private.has_staff(v_org.id)
        and private.service_performers(v_org.id, (v_service.service).id) is null then
    -- Nobody active performs it (its only technician left): said as a booking says it, not as a full calendar.
    v_text := private.say(p_call.language, 'service.nobody', pg_catalog.jsonb_build_object(
                'service', (v_service.service).name));
  else
    -- One start asked about that a booking would refuse for its time (too soon, closed, running past closing): said
    -- as the booking says it, with the same nearest open times, not as "no open times then" (helper-108).
    if v_to - v_from = interval '1 minute' then
      v_problem := private.time_problem(p_call, v_from, v_from + pg_catalog.make_interval(mins => v_minutes), v_buffer,
                                        (v_service.service).id, (v_staff.staff).id);
      v_text := v_problem.message;
    end if;
    if v_text is null then
      select coalesce(pg_catalog.array_agg(s.start_at), '{}') into v_slots
      from private.open_slots(v_org.id, greatest(v_to, pg_catalog.now()), v_to + interval '14 days',
                              pg_catalog.make_interval(mins => v_minutes), 3, v_buffer, (v_service.service).id,
                              (v_staff.staff).id) as s(start_at);
      -- A window within a day it is closed all day (that day, or hours of it) is said as a closed day.
      v_text := private.say(p_call.language, case
        when v_to <= private.local_day_end(v_from, v_org.timezone)
             and private.is_closed_day(v_org.id, v_org.timezone, v_from)
          then 'time.closed_day'
        when v_searched_a_year then 'availability.none_year' else 'availability.none' end) || ' '
        || case when pg_catalog.cardinality(v_slots) > 0
                then private.say(p_call.language,
                       case when (v_staff.staff).id is null then 'availability.next' else 'availability.next_with' end,
                       pg_catalog.jsonb_build_object('staff', (v_staff.staff).name,
                         'slots', private.describe_slots(v_slots, v_org.timezone, p_call.language)))
                else private.none_ahead_sentence(p_call, v_to + interval '14 days', 'availability.none_after') end;
      -- One start asked about that the caller's own appointment holds: said, so a move there can be offered (a move
      -- counts its own time as free; this check cannot know whether a second job or a move is meant).
      if v_to - v_from = interval '1 minute' then
        v_text := v_text || private.own_appointment_sentence(p_call, v_from,
                                                             v_from + pg_catalog.make_interval(mins => v_minutes) + v_buffer,
                                                             (v_staff.staff).id, (v_service.service).id);
      end if;
    end if;
  end if;

  return private.served(true, v_text || case when pg_catalog.cardinality(v_slots) > 0
                                             then ' ' || private.zone_sentence(p_call) else '' end || ' '
                || private.say(p_call.language, 'availability.nothing_booked'),
          case when v_available then 'available' else 'unavailable' end);
end;
$$;
