-- start_time with its offset after a space ("2027-05-07 10:00 -05:00", "… 10:00 Z", as PostgreSQL and some models
-- print it) was "I could not understand that date and time"; it is read as with the offset attached. pgTAP 91.

/**
  * An ISO-8601 date and time (extended or basic form; hours, minutes, seconds, any fraction; an offset also after a
  * space) as an instant, else null.
  */
create or replace function private.parse_start_time(p_value text, p_timezone text)
  returns timestamptz
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  -- year, month, day, hour, minute (may be absent), offset (may be absent)
  v_part text[] := pg_catalog.regexp_match(pg_catalog.btrim(p_value),
    '^([0-9]{4})-?([0-9]{2})-?([0-9]{2})[Tt ]([01][0-9]|2[0-3])(?::?([0-5][0-9])(?::?[0-5][0-9](?:[.,][0-9]+)?)?)?'
    ' ?([Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)?$');
  v_local timestamp;
begin
  if v_part is null then
    return null;
  end if;
  v_local := pg_catalog.make_timestamp(v_part[1]::integer, v_part[2]::integer, v_part[3]::integer,
                                       v_part[4]::integer, coalesce(v_part[5], '0')::integer, 0);
  if v_part[6] is null then
    return private.wall_clock_instant(v_local, p_timezone);
  end if;
  return (pg_catalog.to_char(v_local, 'YYYY-MM-DD HH24:MI') || pg_catalog.upper(v_part[6]))::timestamptz;
exception
  when data_exception then
    return null; -- e.g. 2027-02-30T10:00, or an offset beyond ±15:59
end;
$$;
