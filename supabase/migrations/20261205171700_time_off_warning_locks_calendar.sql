-- =====================================================================================================================
-- Section - The time-off warning sees a booking committing at the same moment
-- =====================================================================================================================
-- The WARNING for time off entered over booked jobs (20261205142600) read the appointments when the row was written,
-- without the calendar lock: a booking of that person still uncommitted then — or made while the admin's transaction
-- stayed open, which could not see the time off yet — was never named (helper-71 #3, helper-73 #3). The check now runs
-- at the admin's COMMIT (a deferred constraint trigger), under the organization's calendar lock as every booking
-- takes it (waited for longer than a booking may hold it), with a fresh snapshot: every job in the time off by then is
-- named — at READ COMMITTED; a REPEATABLE READ transaction sees only its own snapshot. Holding the lock only at commit
-- keeps a long admin transaction from stalling bookings.

alter function private.appointments_in_time_off(public.staff_time_off) volatile;

/**
  * The calendar lock of private.lock_calendar (the same key), waited for up to 5 s — longer than any booking's 4 s
  * budget — for a check at COMMIT that must see every booking made meanwhile; past that it goes on without it.
  */
create function private.wait_for_calendar(p_organization_id uuid)
  returns void
  language plpgsql
  volatile
  set search_path = ''
  set lock_timeout = '5s'
as $$
begin
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('appointments:' || p_organization_id::text, 0));
exception
  when lock_not_available then
    null; -- only an admin session can hold it this long; the warning then names what has committed
end;
$$;
revoke all on function private.wait_for_calendar(uuid) from public;
grant execute on function private.wait_for_calendar(uuid) to service_role; -- the warning triggers' writer

/**
  * Raises the WARNING p_message about the active jobs p_ids (none: nothing), ids only in its DETAIL — it reaches
  * PostgreSQL's log, which never gets customer names or numbers — and once a transaction for the same p_subject and
  * jobs: a deferred check fires once per change of its row, and every firing at COMMIT reads the same state (the
  * warnings given are kept for the transaction, one per line).
  */
create function private.warn_about_jobs(p_subject text, p_message text, p_ids uuid[])
  returns void
  language plpgsql
  volatile
  set search_path = ''
as $$
declare
  v_key text := p_subject || ': ' || p_ids::text;
  v_given text := coalesce(pg_catalog.current_setting('private.warned', true), '');
begin
  if p_ids is null or pg_catalog.strpos(v_given, E'\n' || v_key || E'\n') > 0 then
    return;
  end if;
  v_given := pg_catalog.set_config('private.warned', coalesce(nullif(v_given, ''), E'\n') || v_key || E'\n', true);
  raise warning '%', p_message using detail = 'appointments.id: ' || pg_catalog.array_to_string(p_ids, ', ');
end;
$$;
revoke all on function private.warn_about_jobs(text, text, uuid[]) from public;
grant execute on function private.warn_about_jobs(text, text, uuid[]) to service_role; -- the warning triggers' writer

create or replace function private.warn_time_off_over_bookings()
  returns trigger
  language plpgsql
  set search_path = ''
as $$
declare
  v_time_off public.staff_time_off;
  v_ids uuid[];
begin
  -- At commit: the row as it stands now (a later statement of the transaction may have moved or removed it).
  select t.* into v_time_off from public.staff_time_off as t where t.id = new.id;
  if not found then
    return null;
  end if;
  perform private.wait_for_calendar(v_time_off.organization_id);
  v_ids := private.appointments_in_time_off(v_time_off);
  perform private.warn_about_jobs('staff_time_off ' || new.id, pg_catalog.format(
    '%s active appointment(s) of staff member %s fall in this time off: reassign or reschedule them',
    pg_catalog.cardinality(v_ids), v_time_off.staff_member_id), v_ids);
  return null;
end;
$$;
revoke all on function private.warn_time_off_over_bookings() from public, anon, authenticated, service_role;

drop trigger staff_time_off_warns_over_bookings on public.staff_time_off;
create constraint trigger staff_time_off_warns_over_bookings
  after insert or update of starts_at, ends_at, staff_member_id on public.staff_time_off
  deferrable initially deferred
  for each row execute function private.warn_time_off_over_bookings();
