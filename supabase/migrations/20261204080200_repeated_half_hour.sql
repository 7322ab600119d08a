-- =====================================================================================================================
-- Section - A repeated wall-clock time is its first occurrence however long the repeat (Lord Howe: 30 minutes)
-- =====================================================================================================================
-- 20261204080000 looked one hour back for the same wall-clock time; Australia/Lord_Howe falls back by 30 minutes, so
-- 01:45 on its fall-back night was read as the second 01:45 (+10:30) while check_availability lists the first (+11:00)
-- (helper-25 #7). The step back is now the zone's own change of offset. Only that changes (pgTAP 61).

/** An ISO-8601 start: with an offset that instant; without one wall-clock time in p_timezone (a repeated time's first). */
create or replace function private.parse_start_time(p_value text, p_timezone text)
  returns timestamptz
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_text text := pg_catalog.btrim(p_value);
  v_rest text; -- from the hour on: the time, then the offset if any (its first Z, z, + or -)
  v_local timestamp;
  v_at timestamptz;
  v_before timestamptz;
  v_fall_back interval; -- how far the clock went back just before v_at (zero on an ordinary day)
begin
  if v_text is null or v_text !~ ('^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ](?:[01][0-9]|2[0-3]):[0-5][0-9]'
                                  '(?::[0-5][0-9](?:\.[0-9]{1,6})?)?(?:[Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)?$') then
    return null;
  end if;
  v_rest := pg_catalog.substr(v_text, 12);
  if pg_catalog.strpos(pg_catalog.translate(pg_catalog.upper(v_rest), '+-', 'ZZ'), 'Z') = 0 then
    v_local := pg_catalog.date_trunc('minute', (pg_catalog.left(v_text, 10) || ' ' || v_rest)::timestamp);
    v_at := v_local at time zone p_timezone; -- PostgreSQL takes a repeated time's second occurrence
    -- UTC offsets three hours earlier and at v_at (no zone changes twice within three hours): their difference is
    -- the fall-back; the same wall-clock time that much earlier is the first pass through it.
    v_before := v_at - interval '3 hours';
    v_fall_back := ((v_before at time zone p_timezone) - (v_before at time zone 'UTC'))
                 - ((v_at at time zone p_timezone) - (v_at at time zone 'UTC'));
    if v_fall_back > interval '0' and (v_at - v_fall_back) at time zone p_timezone = v_local then
      v_at := v_at - v_fall_back;
    end if;
    return v_at;
  end if;
  return pg_catalog.date_trunc('minute', (pg_catalog.left(v_text, 10) || ' ' || pg_catalog.upper(v_rest))::timestamptz, 'UTC');
exception
  when data_exception then
    return null; -- e.g. 2027-02-30T10:00, or an offset beyond ±15:59
end;
$$;
