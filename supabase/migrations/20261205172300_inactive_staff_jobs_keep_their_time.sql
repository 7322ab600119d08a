-- =====================================================================================================================
-- Section - Jobs of a staff member made inactive keep their time
-- =====================================================================================================================
-- An organization whose every staff member is made inactive books on its one calendar again, which looked only at
-- appointments without a staff member: new bookings could land on the jobs still scheduled for those people
-- (helper-70 #2). The one calendar now counts them too (their appointments_staff_no_overlap index, per person), in
-- the open times offered and in the booking itself. Making someone inactive with upcoming jobs raises a WARNING with
-- their count and ids, as time off over jobs does (20261205142600): reassign or cancel them.

/**
  * The candidate starts at which the organization's one calendar is free for p_length: no active appointment without a
  * staff member, nor one of its (inactive: it books on one calendar only without active staff) staff members.
  */
create or replace function private.free_calendar_starts(p_organization_id uuid, p_starts timestamptz[], p_length interval)
  returns setof timestamptz
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_window tstzrange;
  v_busy tstzmultirange;
begin
  if coalesce(pg_catalog.cardinality(p_starts), 0) = 0 then
    return;
  end if;
  v_window := pg_catalog.tstzrange((select min(x) from pg_catalog.unnest(p_starts) as x),
                                   (select max(x) from pg_catalog.unnest(p_starts) as x) + p_length, '[)');
  select coalesce(pg_catalog.range_agg(b.during), '{}') into v_busy
  from (select a.blocked_during
        from public.appointments as a
        where a.organization_id = p_organization_id and a.staff_member_id is null and a.is_active
          and a.blocked_during && v_window
        union all
        select a.blocked_during
        from public.staff_members as s
        join public.appointments as a on a.staff_member_id = s.id and a.is_active and a.blocked_during && v_window
        where s.organization_id = p_organization_id) as b(during);
  return query
    select c.start_at
    from pg_catalog.unnest(p_starts) as c(start_at)
    where not (v_busy && pg_catalog.tstzrange(c.start_at, c.start_at + p_length, '[)'));
end;
$$;

/**
  * Puts a job on the calendar; the caller holds the calendar lock. In an organization with staff it goes to the free
  * qualified staff member (p_staff_member_id only, p_prefer first, else the fairest); otherwise on the one calendar,
  * which the jobs of its inactive staff members still hold. Raises exclusion_violation when nobody is free, exactly
  * like a lost race: the caller answers "taken".
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
  elsif not exists (select from private.free_calendar_starts(p_call.organization_id, array[p_job.start_time],
                                                             coalesce(p_job.blocked_until, p_job.end_time)
                                                               - p_job.start_time)) then
    raise sqlstate '23P01'; -- appointments_no_overlap covers only the jobs without a staff member
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

-- Runs as the writer (an admin or the secret key: both read appointments), so no security definer. At the writer's
-- COMMIT (deferred) and under the calendar lock, as the time-off warning (20261205171700): a booking of that person
-- committing meanwhile is named too.
create function private.warn_inactive_staff_with_jobs()
  returns trigger
  language plpgsql
  set search_path = ''
as $$
declare
  v_ids uuid[];
begin
  if not exists (select from public.staff_members as s where s.id = new.id and not s.is_active) then
    return null; -- made active again later in the same transaction
  end if;
  perform private.wait_for_calendar(new.organization_id);
  select pg_catalog.array_agg(a.id order by a.start_time, a.id) into v_ids
  from public.appointments as a
  where a.staff_member_id = new.id and a.is_active and a.end_time > pg_catalog.now();
  perform private.warn_about_jobs('staff_members ' || new.id, pg_catalog.format(
    '%s upcoming active appointment(s) stay with inactive staff member %s: reassign or cancel them',
    pg_catalog.cardinality(v_ids), new.id), v_ids);
  return null;
end;
$$;
revoke all on function private.warn_inactive_staff_with_jobs() from public, anon, authenticated, service_role;

create constraint trigger staff_members_warns_inactive_with_jobs after update of is_active on public.staff_members
  deferrable initially deferred
  for each row when (old.is_active and not new.is_active) execute function private.warn_inactive_staff_with_jobs();
