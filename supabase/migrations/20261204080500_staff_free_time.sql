-- =====================================================================================================================
-- Section - When a staff member is free: unassigned jobs block everyone, a buffer may run past their hours
-- =====================================================================================================================
-- Two findings of helper-25 in free_staff_members:
-- - An organization that adds staff keeps its earlier appointments without a staff member (README: "appointments
--   without a staff member keep the organization's one calendar"), but the staff search read only each person's own
--   appointments: the time of such a job was offered and booked again (#2). Until an admin assigns it, an active
--   unassigned appointment now blocks its time for every staff member.
-- - A staff member's hours had to hold the job AND its buffer, the organization's hours only the job: with the same
--   hours, the last slot of the day was refused as "already taken" (#6). Their hours now hold the job, as the
--   organization's do; the buffer still keeps their next job away. A job may run from a row closing at 24:00 on into
--   the next day's row opening at 00:00, as with the organization's hours (080800).
-- free_staff_members takes the buffer separately (the old signature is dropped: one function, no ambiguous overload);
-- pick_staff_member takes the job's end; place_appointment passes it. open_slots passes the buffer in the next
-- migration. Concurrent bookings stay serialised by private.lock_calendar.

drop function private.free_staff_members(uuid, uuid, uuid, timestamptz[], interval);

/**
  * For each candidate start, the active staff members of the organization who perform the service (no staff_services
  * rows = every service), work then (their staff_hours, if they have any, hold [start, start + p_length - p_buffer):
  * one row, or a row closing at 24:00 and the next day's row opening at 00:00),
  * are not on time off, and have no active appointment — their own, or one without a staff member — overlapping
  * [start, start + p_length): p_length is the job plus its buffer p_buffer. Restricted to p_staff_member_id when given.
  * Set-based: a whole slot search is one call.
  */
create function private.free_staff_members(
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
             exists (select 1 from public.staff_hours as h where h.staff_member_id = s.id) as has_hours
      from public.staff_members as s
      where s.organization_id = p_organization_id
        and s.is_active
        and (p_staff_member_id is null or s.id = p_staff_member_id)
        and (p_service_id is null
             or not exists (select 1 from public.staff_services as q where q.staff_member_id = s.id)
             or exists (select 1 from public.staff_services as q
                        where q.staff_member_id = s.id and q.service_id = p_service_id))
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
      and (not b.has_hours
           or exists (select 1 from public.staff_hours as h
                      where h.staff_member_id = b.id
                        and h.weekday = extract(dow from c.start_at at time zone v_timezone)
                        and (c.start_at at time zone v_timezone)::time >= h.opens_at
                        and ((c.start_at + p_length - p_buffer) at time zone v_timezone
                               <= (c.start_at at time zone v_timezone)::date + h.closes_at
                             or h.closes_at = time '24:00' and exists ( -- on into the next day's 00:00 row
                               select 1 from public.staff_hours as n
                               where n.staff_member_id = b.id and n.weekday = (h.weekday + 1) % 7
                                 and n.opens_at = time '00:00'
                                 and (c.start_at + p_length - p_buffer) at time zone v_timezone
                                       <= (c.start_at at time zone v_timezone)::date + 1 + n.closes_at))));
end;
$$;

drop function private.pick_staff_member(public.organizations, uuid, uuid, timestamptz, timestamptz, uuid);

/**
  * The staff member a job at [p_start, p_end), blocking their time until p_blocked_until, goes to, or null when none
  * is free: p_prefer when free (a rescheduled job keeps its person), else the free qualified one with the fewest
  * active appointments that local day, ties by name then id. The day's counts come from ONE range scan of the
  * organization's appointments that day (appointments_organization_id_start_time_idx; a staff member's appointments
  * are always their organization's, by the composite foreign key), not a probe of the staff GiST index per person.
  */
create function private.pick_staff_member(
  p_organization public.organizations, p_service_id uuid, p_staff_member_id uuid, p_start timestamptz,
  p_end timestamptz, p_blocked_until timestamptz, p_prefer uuid default null)
  returns uuid
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_day timestamp := pg_catalog.date_trunc('day', p_start at time zone p_organization.timezone);
  v_day_start timestamptz := v_day at time zone p_organization.timezone;
  v_day_end timestamptz := (v_day + interval '1 day') at time zone p_organization.timezone;
begin
  return (select f.staff_member_id
    from private.free_staff_members(p_organization.id, p_service_id, p_staff_member_id, array[p_start],
                                    p_blocked_until - p_start, p_blocked_until - p_end) as f
    join public.staff_members as s on s.organization_id = p_organization.id and s.id = f.staff_member_id
    left join (select a.staff_member_id, pg_catalog.count(*) as jobs
               from public.appointments as a
               where a.organization_id = p_organization.id
                 and a.start_time >= v_day_start and a.start_time < v_day_end
                 and a.is_active and a.staff_member_id is not null
               group by a.staff_member_id) as d on d.staff_member_id = f.staff_member_id
    order by f.staff_member_id = p_prefer desc nulls last, coalesce(d.jobs, 0), s.name, s.id
    limit 1);
end;
$$;

/**
  * Puts a job on the calendar; the caller holds the calendar lock. In an organization with staff it goes to the free
  * qualified staff member (p_staff_member_id only, p_prefer first, else the fairest); otherwise on the one calendar.
  * Raises exclusion_violation when nobody is free, exactly like a lost race: the caller answers "taken".
  */
create or replace function private.place_appointment(
  p_call private.tool_call_context, p_job public.appointments, p_staff_member_id uuid, p_prefer uuid)
  returns public.appointments
  language plpgsql
  volatile
  set search_path = ''
as $$
declare
  v_staff_id uuid;
  v_appointment public.appointments;
begin
  if private.has_staff(p_call.organization_id) then
    v_staff_id := private.pick_staff_member(p_call.organization, p_job.service_id, p_staff_member_id, p_job.start_time,
                                            p_job.end_time, p_job.blocked_until, p_prefer);
    if v_staff_id is null then
      raise sqlstate '23P01';
    end if;
  end if;
  insert into public.appointments (organization_id, start_time, end_time, blocked_until, customer_name, customer_phone,
                                   service, service_id, staff_member_id, notes, vapi_call_id, tool_call_id,
                                   rescheduled_from)
  values (p_call.organization_id, p_job.start_time, p_job.end_time, p_job.blocked_until, p_job.customer_name,
          p_job.customer_phone, p_job.service, p_job.service_id, v_staff_id, p_job.notes, p_call.vapi_call_id,
          p_call.tool_call_key, p_job.rescheduled_from)
  returning * into v_appointment;
  return v_appointment;
end;
$$;
