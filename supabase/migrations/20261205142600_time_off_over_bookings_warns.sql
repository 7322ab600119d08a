-- =====================================================================================================================
-- Section - Time off entered over existing bookings says so
-- =====================================================================================================================
-- staff_time_off is entered by DB admins with SQL; new bookings avoid it, but the jobs already booked in that time
-- stayed with that person without a word (helper-66). The insert or change now raises a WARNING naming how many
-- active appointments of that staff member fall in the time off, so the admin reassigns or reschedules them. It does
-- not refuse: a sick day is true whether or not someone was booked.

/** The active appointments (ids, by start) of the time off's staff member that overlap it, buffers included. */
create function private.appointments_in_time_off(p_time_off public.staff_time_off)
  returns uuid[]
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return (select pg_catalog.array_agg(a.id order by a.start_time, a.id)
          from public.appointments as a
          where a.organization_id = p_time_off.organization_id and a.staff_member_id = p_time_off.staff_member_id
            and a.is_active
            and a.blocked_during && pg_catalog.tstzrange(p_time_off.starts_at, p_time_off.ends_at, '[)'));
end;
$$;
revoke all on function private.appointments_in_time_off(public.staff_time_off) from public, anon, authenticated;
grant execute on function private.appointments_in_time_off(public.staff_time_off) to service_role; -- its trigger's writer

-- Runs as the writer (an admin or the secret key: both read appointments), so no security definer.
create function private.warn_time_off_over_bookings()
  returns trigger
  language plpgsql
  set search_path = ''
as $$
declare
  v_ids uuid[] := private.appointments_in_time_off(new);
begin
  if v_ids is not null then
    -- Ids only: the message reaches PostgreSQL's log, which never gets customer names or numbers.
    raise warning '% active appointment(s) of staff member % fall in this time off: reassign or reschedule them',
      pg_catalog.cardinality(v_ids), new.staff_member_id
      using detail = 'appointments.id: ' || pg_catalog.array_to_string(v_ids, ', ');
  end if;
  return null;
end;
$$;
revoke all on function private.warn_time_off_over_bookings() from public, anon, authenticated, service_role;

create trigger staff_time_off_warns_over_bookings after insert or update of starts_at, ends_at, staff_member_id
  on public.staff_time_off
  for each row execute function private.warn_time_off_over_bookings();
