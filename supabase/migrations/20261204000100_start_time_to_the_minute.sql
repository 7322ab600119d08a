-- =====================================================================================================================
-- Section - A start time is kept to the minute
-- =====================================================================================================================
-- `10:00:00.999` was stored as given while the answer said 10:00, and its end (11:00:00.999) then blocked the 11:00
-- slot. Appointments live on a minute grid (slots, hours, the spoken answer): seconds and fractions are dropped.
-- Truncating in UTC is exact for every offset in use (whole minutes). CREATE OR REPLACE keeps grants.

/**
  * `YYYY-MM-DD[T ]HH:MM[:SS[.ffffff]]` in the organization's zone, or with `Z` / `±HH[:MM]` as given, to the minute;
  * null for any other shape or an impossible date or offset (2027-02-30, +16:00).
  */
create or replace function private.parse_start_time(p_value text, p_timezone text)
  returns timestamptz
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_text text := pg_catalog.btrim(p_value);
  v_rest text; -- from the hour on: the time, then the offset if any (its first Z, z, + or -)
begin
  if v_text is null or v_text !~ ('^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ](?:[01][0-9]|2[0-3]):[0-5][0-9]'
                                  '(?::[0-5][0-9](?:\.[0-9]{1,6})?)?(?:[Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)?$') then
    return null;
  end if;
  v_rest := pg_catalog.substr(v_text, 12);
  if pg_catalog.strpos(pg_catalog.translate(pg_catalog.upper(v_rest), '+-', 'ZZ'), 'Z') = 0 then
    return pg_catalog.date_trunc('minute', (pg_catalog.left(v_text, 10) || ' ' || v_rest)::timestamp) at time zone p_timezone;
  end if;
  return pg_catalog.date_trunc('minute', (pg_catalog.left(v_text, 10) || ' ' || pg_catalog.upper(v_rest))::timestamptz, 'UTC');
exception
  when data_exception then
    return null; -- e.g. 2027-02-30T10:00, or an offset beyond ±15:59
end;
$$;
