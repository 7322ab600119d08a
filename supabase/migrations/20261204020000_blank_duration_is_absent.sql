-- =====================================================================================================================
-- Section - An empty `duration_minutes` is an absent one
-- =====================================================================================================================
-- Language models fill optional parameters with "" (every other optional argument already reads "" as absent; text
-- arguments are trimmed first, so "  " is "" too). `duration_minutes: ""` refused the booking with "the appointment
-- length must be between 5 minutes and 8 hours" — even when a service sets the length. CREATE OR REPLACE keeps grants.

/** `duration_minutes` as whole minutes between 5 and 480 (given as a number or a string); the default when absent. */
create or replace function private.parse_duration_minutes(p_value jsonb, p_default integer)
  returns integer
  language plpgsql
  immutable
  set search_path = ''
as $$
begin
  return case
    when p_value is null or p_value = 'null'::jsonb or p_value = '""'::jsonb then p_default
    when (p_value #>> '{}') ~ '^[0-9]{1,3}(\.0*)?$' and (p_value #>> '{}')::numeric between 5 and 480
      then (p_value #>> '{}')::numeric::integer
  end;
end;
$$;
