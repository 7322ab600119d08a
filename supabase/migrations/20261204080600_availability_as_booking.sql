-- =====================================================================================================================
-- Section - check_availability agrees with booking: the local day, the start asked about, the staff's buffer
-- =====================================================================================================================
-- helper-25 found check_availability saying other things than book_appointment does:
-- - `date` (and a date-only `to`) meant 24 real hours from local midnight: on a fall-back day (25 hours) the last hour
--   was missing (22:00–24:00 open, 23:00 bookable, only 22:00 and 22:30 offered); on a spring-forward day the next
--   day's 00:00 was offered (#4). A day now ends at the next local midnight (private.local_day_end).
-- - Starts were only the slot grid from the top of the hour, while booking takes any minute: "is 10:15 free?" (`from`
--   = `to`) was answered "no open times" and then 10:15 booked; a business opening at 08:15 never offered 08:15 (#5).
--   A one-minute window now looks at exactly its start, and an opening's own start is a start.
-- - The staff search counted the buffer inside a staff member's hours (#6, 20261204080500): open_slots now tells it
--   which part of the length is buffer.
-- CREATE OR REPLACE keeps grants and signatures.

/**
  * The end of the local day that starts at p_day_start: the next day's start as parse_start_time reads it (23 or 25
  * hours on a DST change; where a fall-back repeats midnight, as in Havana, its first occurrence).
  */
create or replace function private.local_day_end(p_day_start timestamptz, p_timezone text)
  returns timestamptz
  language sql
  stable
  set search_path = ''
as $$
  select private.parse_start_time(
    pg_catalog.to_char((p_day_start at time zone p_timezone)::date + 1, 'YYYY-MM-DD') || 'T00:00', p_timezone)
$$;
revoke all on function private.local_day_end(timestamptz, text) from public;

/**
  * Open start times of one organization in [p_from, p_to): on its slot grid and at each opening's own start (a
  * one-minute window: exactly p_from, which a booking could take at any minute), honouring the notice and the horizon,
  * inside an opening interval, and with room for the job plus p_buffer — on its one calendar, or with at least one
  * free qualified staff member (p_staff_member_id: only that one). Ascending, at most p_limit.
  */
create or replace function private.open_slots(
  p_organization_id uuid, p_from timestamptz, p_to timestamptz, p_duration interval, p_limit integer,
  p_buffer interval default interval '0', p_service_id uuid default null, p_staff_member_id uuid default null)
  returns setof timestamptz
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_org public.organizations;
  v_starts timestamptz[];
  v_first timestamptz;
  v_last timestamptz;
begin
  select o.* into v_org from public.organizations as o where o.id = p_organization_id;
  v_first := greatest(p_from, pg_catalog.now() + pg_catalog.make_interval(mins => v_org.min_notice_minutes));
  v_last := least(p_to, pg_catalog.now() + pg_catalog.make_interval(days => v_org.max_advance_days) + interval '1 second');
  if v_first >= v_last then
    return;
  end if;
  -- Only open times are generated: each opening interval on the grid, from the top of the local hour it opens in,
  -- stepped in real minutes — so slots stay on :00/:30 across DST, and the hour a fall-back day repeats is offered
  -- twice (a grid laid in wall-clock time read 01:00 and 01:30 as the second, standard-time, pair only).
  select coalesce(pg_catalog.array_agg(distinct c.start_at), '{}') into v_starts
  from private.opening_intervals(p_organization_id, v_org.timezone, v_first, v_last) as h
  cross join lateral (select greatest(h.opens, v_first) as first_at) as f
  cross join lateral (
    select g.start_at
    from pg_catalog.generate_series(
           f.first_at - ((f.first_at at time zone v_org.timezone)
                         - pg_catalog.date_trunc('hour', f.first_at at time zone v_org.timezone)),
           least(h.last_start, v_last),
           pg_catalog.make_interval(mins => v_org.slot_minutes)) as g(start_at)
    where p_to - p_from > interval '1 minute'
    union all
    select f.first_at -- off the grid: the one start asked about, an opening at 08:15
    where f.first_at = case when p_to - p_from > interval '1 minute' then h.opens else p_from end) as c
  where c.start_at >= greatest(h.opens, v_first) and c.start_at < least(h.last_start, v_last)
    and c.start_at > pg_catalog.now() and c.start_at + p_duration <= h.closes;
  if private.has_staff(p_organization_id) then
    return query
      select distinct f.start_at
      from private.free_staff_members(p_organization_id, p_service_id, p_staff_member_id, v_starts,
                                      p_duration + p_buffer, p_buffer) as f
      order by f.start_at
      limit p_limit;
  else
    return query
      select f.start_at from private.free_calendar_starts(p_organization_id, v_starts, p_duration + p_buffer) as f(start_at)
      order by f.start_at
      limit p_limit;
  end if;
end;
$$;

/**
  * check_availability: the next open start times, read out in the organization's zone and the call's language.
  * Arguments: `date` (YYYY-MM-DD, that local day) or `from`/`to` (ISO-8601, local wall-clock when no offset; `from`
  * alone looks a week ahead; `from` = `to` that one start), optional `service` (its duration and buffer; qualified
  * staff only), `staff_name`, `duration_minutes`. Nothing given → the coming week. When the window is full it offers
  * the next open times after it; a window past the booking horizon is refused as `beyond_horizon`.
  */
create or replace function private.check_availability(p_call private.tool_call_context)
  returns private.tool_outcome
  language plpgsql
  set search_path = ''
as $$
declare
  v_org public.organizations := p_call.organization;
  v_args jsonb := p_call.arguments;
  v_date text := nullif(pg_catalog.btrim(v_args ->> 'date'), '');
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
    when v_date is not null then private.local_day_end(private.parse_start_time(v_date || 'T00:00', v_org.timezone),
                                                       v_org.timezone)
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
    return private.refusal(private.say(p_call.language, 'availability.past'), 'past_time');
  elsif v_from > pg_catalog.now() + pg_catalog.make_interval(days => v_org.max_advance_days) then
    return private.refusal(private.say(p_call.language, 'time.too_far',
                                       pg_catalog.jsonb_build_object('days', v_org.max_advance_days)), 'beyond_horizon');
  end if;
  v_service := private.resolve_service(p_call, nullif(pg_catalog.btrim(v_args ->> 'service'), ''), false);
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
    v_text := private.say(p_call.language, 'availability.none') || ' '
      || case when pg_catalog.cardinality(v_slots) > 0
              then private.say(p_call.language, 'availability.next', pg_catalog.jsonb_build_object(
                     'slots', private.describe_slots(v_slots, v_org.timezone, p_call.language)))
              else private.say(p_call.language, 'availability.none_after') end;
  end if;

  return private.served(true, v_text || ' ' || private.zone_sentence(p_call) || ' '
                || private.say(p_call.language, 'availability.nothing_booked'),
          case when v_available then 'available' else 'unavailable' end);
end;
$$;
