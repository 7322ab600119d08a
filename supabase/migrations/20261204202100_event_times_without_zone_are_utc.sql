-- =====================================================================================================================
-- Section - A call-event time without a zone is UTC, whatever the session's zone
-- =====================================================================================================================
-- private.try_timestamptz read a time without a zone or offset in the database session's time zone: UTC on a fresh
-- hosted project, but hours off on a database whose default zone was changed (`alter database … set timezone`), and
-- the tests that wrote such times passed only on a machine set to UTC (helper-51 #4). Vapi's times are UTC; one
-- without a zone is now read as UTC. Times with a zone or offset are read as before. pgTAP 81. CREATE OR REPLACE keeps
-- grants.

/** A written date and time as timestamptz (UTC when it names no zone), or null when it is not one (or does not exist). */
create or replace function private.try_timestamptz(p_value text)
  returns timestamptz
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  if p_value !~* '^\s*[0-9]{4}-?[0-9]{2}-?[0-9]{2}([T ][0-9]{2}(:?[0-9]{2}(:?[0-9]{2}(\.[0-9]+)?)?)?)?\s*(Z|UTC|GMT|[+-][0-9]{2}(:?[0-9]{2}(:?[0-9]{2})?)?)?\s*$' then
    return null;
  end if;
  -- A zone counts after a time only: the "-04" of a bare date "2026-12-04" is its day.
  if p_value ~* '[T ][0-9]{2}(:?[0-9]{2}(:?[0-9]{2}(\.[0-9]+)?)?)?\s*(Z|UTC|GMT|[+-][0-9]{2}(:?[0-9]{2}(:?[0-9]{2})?)?)\s*$' then
    return p_value::timestamptz;
  end if;
  return p_value::timestamp at time zone 'UTC';
exception
  when others then
    return null;
end;
$$;
