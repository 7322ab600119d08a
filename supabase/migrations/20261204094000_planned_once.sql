-- =====================================================================================================================
-- Section - Each statement of a tool call is planned once per connection, not at every call
-- =====================================================================================================================
-- PostgreSQL caches the plan of a statement inside a plpgsql function, but re-plans it at every call when the plans it
-- made for the first calls' values look cheaper than the generic one, and a `language sql` function's statements are
-- planned at every call. These statements of the tool path were planned at every call (pg_stat_statements, pgTAP 69):
-- - free_staff_members, since 080500's "a row closing at 24:00 runs on into the next day's 00:00 row" (a nested
--   EXISTS): planning it cost every booking ~2.1 M CPU instructions (7.85 M → 5.74 M at 2 000 tenants, callgrind;
--   availability 7.16 → 5.49 M). A staff member's working time in the window is now one multirange of their rows:
--   adjacent rows merge, so the overnight rule needs no second look-up, and a job fits when the multirange holds it
--   (overlapping rows, 08:00–12:00 and 10:00–14:00, now hold a 09:00–13:00 job: the person works throughout); rows
--   are read from the day before the window, where Havana's repeated midnight belongs (helper-29). Their hours and
--   their services are each read once, not twice (a booking at 100 000 tenants: 266 → 241 buffer reads).
-- - nearest_open_slots (the "nearest open times" of a refusal): its LIMIT is a parameter, so each custom plan looked
--   cheaper than the generic one; the generic plan is forced (the same plan; refused_taken 7.22 → 7.07 M).
--   opening_intervals (every booking and availability check) likewise once business_hours has statistics, as
--   autovacuum gives it in production (helper-29; pgTAP 69 analyzes first).
-- - queue_sms and reminder_time (each booking, reschedule and cancel of an organization that sends texts),
--   cancel_pending_notifications (each cancel and reschedule), jsonb_flag and parse_clock (sms_settings, each booking)
--   were `language sql` (a `set search_path` keeps PostgreSQL from inlining them): now plpgsql, whose plans and
--   expressions are cached.
-- CREATE OR REPLACE / ALTER keep signatures and grants.

/**
  * For each candidate start, the active staff members of the organization who perform the service (no staff_services
  * rows = every service), work then (their staff_hours, if they have any, hold [start, start + p_length - p_buffer)),
  * are not on time off, and have no active appointment — their own, or one without a staff member — overlapping
  * [start, start + p_length): p_length is the job plus its buffer p_buffer. Restricted to p_staff_member_id when given.
  * Set-based: a whole slot search is one call.
  */
create or replace function private.free_staff_members(
  p_organization_id uuid, p_service_id uuid, p_staff_member_id uuid, p_starts timestamptz[], p_length interval,
  p_buffer interval default interval '0')
  returns table (start_at timestamptz, staff_member_id uuid)
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_timezone text := (select o.timezone from public.organizations as o where o.id = p_organization_id);
  v_start timestamptz;
  v_first timestamptz;
  v_last timestamptz;
  -- Everything the search can touch; each person's busy time in it is read once, as one multirange.
  v_window tstzrange;
begin
  if coalesce(pg_catalog.cardinality(p_starts), 0) = 0 then
    return;
  end if;
  foreach v_start in array p_starts loop -- min and max in-line (least/greatest skip nulls, as min/max do)
    v_first := least(v_first, v_start);
    v_last := greatest(v_last, v_start);
  end loop;
  v_window := pg_catalog.tstzrange(v_first, v_last + p_length, '[)');
  return query
    with busy as materialized (
      select s.id,
             coalesce((select pg_catalog.range_agg(b.during)
                       from (select a.blocked_during as during from public.appointments as a
                             where a.staff_member_id = s.id and a.is_active and a.blocked_during && v_window
                             union all
                             select pg_catalog.tstzrange(t.starts_at, t.ends_at, '[)') from public.staff_time_off as t
                             where t.staff_member_id = s.id and t.starts_at < pg_catalog.upper(v_window)
                               and t.ends_at > pg_catalog.lower(v_window)) as b),
                      '{}'::pg_catalog.tstzmultirange) as during,
             -- Their working time in the window as one multirange (null: no staff_hours, they work when the
             -- business is open): adjacent rows merge, so 18:00–24:00 runs on into the next day's 00:00–02:00
             -- (greatest: a row inside a spring-forward gap, 02:30–03:00, is empty, not an error). One read of
             -- their rows answers both whether they have hours and which hold the window's days.
             (select case when count(*) > 0 then coalesce(pg_catalog.range_agg(pg_catalog.tstzrange(
                       (d.day + h.opens_at) at time zone v_timezone,
                       greatest((d.day + h.opens_at) at time zone v_timezone, (d.day + h.closes_at) at time zone v_timezone),
                       '[)')) filter (where h.weekday = extract(dow from d.day)), '{}'::pg_catalog.tstzmultirange) end
              from public.staff_hours as h
              cross join pg_catalog.generate_series( -- from the day before: where a fall-back repeats midnight
                -- (Havana), the first 00:00–01:00 belongs to the previous day's row closing at 24:00
                pg_catalog.date_trunc('day', pg_catalog.lower(v_window) at time zone v_timezone) - interval '1 day',
                pg_catalog.upper(v_window) at time zone v_timezone, interval '1 day') as d(day)
              where h.staff_member_id = s.id) as working
      from public.staff_members as s
      where s.organization_id = p_organization_id
        and s.is_active
        and (p_staff_member_id is null or s.id = p_staff_member_id)
        and (p_service_id is null -- one read of their services: none means every service
             or coalesce((select pg_catalog.bool_or(q.service_id = p_service_id) from public.staff_services as q
                          where q.staff_member_id = s.id), true))
    ), unassigned as materialized ( -- appointments_no_overlap's partial GiST (a partial B-tree on (organization, end)
                                     -- read fewer pages on synthetic data but cost a booking ~0.1 M more instructions)
      select coalesce(pg_catalog.range_agg(a.blocked_during), '{}'::pg_catalog.tstzmultirange) as during
      from public.appointments as a
      where a.organization_id = p_organization_id and a.staff_member_id is null and a.is_active
        and a.blocked_during && v_window
    )
    select c.start_at, b.id
    from pg_catalog.unnest(p_starts) as c(start_at)
    cross join unassigned as u
    cross join busy as b
    where not (u.during && pg_catalog.tstzrange(c.start_at, c.start_at + p_length, '[)'))
      and not (b.during && pg_catalog.tstzrange(c.start_at, c.start_at + p_length, '[)'))
      and (b.working is null
           or b.working @> pg_catalog.tstzrange(c.start_at, c.start_at + p_length - p_buffer, '[)'));
end;
$$;

alter function private.nearest_open_slots(uuid, timestamptz, interval, integer, interval, uuid, uuid)
  set plan_cache_mode = force_generic_plan;
alter function private.opening_intervals(uuid, text, timestamptz, timestamptz)
  set plan_cache_mode = force_generic_plan;

/** Texts about an appointment are void once it changes: pending ones now, ones in flight if they were not sent. */
create or replace function private.cancel_pending_notifications(p_appointment_id uuid, p_reason text)
  returns void
  language plpgsql
  volatile
  set search_path = ''
as $$
begin
  update public.notifications as n
  set status = case when n.status = 'pending' then 'cancelled' else n.status end,
      last_error = case when n.status = 'pending' then p_reason else n.last_error end,
      withdrawn_at = case when n.status = 'pending' then n.withdrawn_at else pg_catalog.now() end
  where n.appointment_id = p_appointment_id and n.status in ('pending', 'sending', 'unknown');
end;
$$;

/** A boolean of a jsonb object, `p_default` when the key is missing or not a JSON boolean. */
create or replace function private.jsonb_flag(p_object jsonb, p_key text, p_default boolean)
  returns boolean
  language plpgsql
  immutable
  set search_path = ''
as $$
begin
  return case when pg_catalog.jsonb_typeof(p_object -> p_key) = 'boolean' then (p_object ->> p_key)::boolean
              else p_default end;
end;
$$;

/** `HH:MM` (00:00–23:59) as a time, else null: a typo in a configuration must never break a booking. */
create or replace function private.parse_clock(p_text text)
  returns time
  language plpgsql
  immutable
  set search_path = ''
as $$
begin
  return case when p_text ~ '^([01]?[0-9]|2[0-3]):[0-5][0-9]$' then p_text::time end;
end;
$$;

/**
  * When to remind of an appointment starting at p_start: lead time before it, moved out of quiet hours; null when
  * that moment has passed (booked inside the lead time: the confirmation is the reminder) or is not before the start.
  */
create or replace function private.reminder_time(
  p_start timestamptz, p_lead interval, p_timezone text, p_quiet_start time, p_quiet_end time)
  returns timestamptz
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_at timestamptz := private.after_quiet_hours(p_start - p_lead, p_timezone, p_quiet_start, p_quiet_end);
begin
  return case when v_at > pg_catalog.now() and v_at < p_start then v_at end;
end;
$$;

/** Queues one text about p_appointment: `skipped` (reason opted_out) when the number opted out of this organization. */
create or replace function private.queue_sms(
  p_appointment public.appointments, p_kind text, p_send_after timestamptz, p_body text)
  returns void
  language plpgsql
  volatile
  set search_path = ''
as $$
begin
  insert into public.notifications (organization_id, appointment_id, kind, to_phone, body, send_after, status, last_error,
                                    describes_start)
  select p_appointment.organization_id, p_appointment.id, p_kind, p_appointment.customer_phone, p_body, p_send_after,
         case when o.phone is null then 'pending' else 'skipped' end,
         case when o.phone is not null then 'opted_out' end,
         p_appointment.start_time
  from (select 1) as one
  left join public.sms_opt_outs as o
    on o.organization_id = p_appointment.organization_id and o.phone = p_appointment.customer_phone
  where p_appointment.customer_phone ~ '^\+[1-9][0-9]{6,14}$';
end;
$$;
