-- =====================================================================================================================
-- Section - The calendar lock waits briefly, never queues a storm behind one organization
-- =====================================================================================================================
-- Same signature and purpose as in 20261125122954_appointments.sql; only the wait changes. Before, 200 callers for one
-- slot queued on this lock and many losers ran out of the RPC budget ("couldn't reach" instead of "taken"). Now a
-- caller waits at most 0.5 s for it; after that it goes on without the lock and the exclusion constraint decides
-- (its conflict with the already committed winner is immediate). Only callers of the same organization ever wait
-- here: the key is the organization id.
create or replace function private.lock_calendar(p_organization_id uuid)
  returns void
  language plpgsql
  volatile
  set search_path = ''
  set lock_timeout = '500ms'
as $$
begin
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('appointments:' || p_organization_id::text, 0));
exception
  when lock_not_available then
    null; -- busy for over half a second: the exclusion constraint alone decides this one
end;
$$;
revoke all on function private.lock_calendar(uuid) from public;
