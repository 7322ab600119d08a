-- =====================================================================================================================
-- Section - A start time read without a capturing regex (issue 13): regexp_match with capture groups costs ~7 µs a
-- call here (PostgreSQL dissects every group), a plain `~` match ~1 µs; once the shape is checked the parts sit at
-- fixed places. Same answers (pgTAP 05-time-zones, 22-tool-arguments). CREATE OR REPLACE keeps grants.
-- =====================================================================================================================

/**
  * `YYYY-MM-DD[T ]HH:MM[:SS[.ffffff]]` in the organization's zone, or with `Z` / `±HH[:MM]` as given; null for any
  * other shape or an impossible date or offset (2027-02-30, +16:00).
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
    return (pg_catalog.left(v_text, 10) || ' ' || v_rest)::timestamp at time zone p_timezone;
  end if;
  return (pg_catalog.left(v_text, 10) || ' ' || pg_catalog.upper(v_rest))::timestamptz;
exception
  when data_exception then
    return null; -- e.g. 2027-02-30T10:00, or an offset beyond ±15:59
end;
$$;
