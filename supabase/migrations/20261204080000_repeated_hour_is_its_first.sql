-- =====================================================================================================================
-- Section - A wall-clock time a fall-back night repeats is its first occurrence
-- =====================================================================================================================
-- PostgreSQL reads an ambiguous local time (01:30 on the first Sunday of November in New York happens at -04:00 and
-- again at -05:00) as the second one: book_appointment booked 01:30-05:00 while check_availability listed 01:30-04:00
-- first, and asking about 01:30 then answered "no open times" although the first 01:30 was free (helper-24 F1). A
-- wall-clock start now means the first occurrence, as the calendar lists them; an offset still picks either. Only
-- that changes (pgTAP 60).

/** An ISO-8601 start: with an offset that instant; without one wall-clock time in p_timezone (a repeated hour's first). */
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
begin
  if v_text is null or v_text !~ ('^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ](?:[01][0-9]|2[0-3]):[0-5][0-9]'
                                  '(?::[0-5][0-9](?:\.[0-9]{1,6})?)?(?:[Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)?$') then
    return null;
  end if;
  v_rest := pg_catalog.substr(v_text, 12);
  if pg_catalog.strpos(pg_catalog.translate(pg_catalog.upper(v_rest), '+-', 'ZZ'), 'Z') = 0 then
    v_local := pg_catalog.date_trunc('minute', (pg_catalog.left(v_text, 10) || ' ' || v_rest)::timestamp);
    v_at := v_local at time zone p_timezone;
    -- The same wall-clock time an hour earlier too: the fall-back night's first pass through it.
    if (v_at - interval '1 hour') at time zone p_timezone = v_local then
      v_at := v_at - interval '1 hour';
    end if;
    return v_at;
  end if;
  return pg_catalog.date_trunc('minute', (pg_catalog.left(v_text, 10) || ' ' || pg_catalog.upper(v_rest))::timestamptz, 'UTC');
exception
  when data_exception then
    return null; -- e.g. 2027-02-30T10:00, or an offset beyond ±15:59
end;
$$;
