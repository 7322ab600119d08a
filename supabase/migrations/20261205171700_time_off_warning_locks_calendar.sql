-- =====================================================================================================================
-- Section - The time-off warning sees a booking committing at the same moment
-- =====================================================================================================================
-- The WARNING for time off entered over booked jobs (20261205142600) read the appointments without the calendar lock:
-- a booking of that person still uncommitted then was neither warned about nor kept out of the time off it could not
-- see yet (helper-71 #3). The trigger now takes the organization's calendar lock first, as every booking does, and
-- reads the appointments afterwards with a fresh snapshot: a booking before it is named, one after it sees the time off.

alter function private.appointments_in_time_off(public.staff_time_off) volatile;
grant execute on function private.lock_calendar(uuid) to service_role; -- the time-off trigger's writer

create or replace function private.warn_time_off_over_bookings()
  returns trigger
  language plpgsql
  set search_path = ''
as $$
declare
  v_ids uuid[];
begin
  perform private.lock_calendar(new.organization_id);
  v_ids := private.appointments_in_time_off(new);
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
