-- =====================================================================================================================
-- Section - Zones said the way they run (helper-36)
-- =====================================================================================================================
-- Etc/GMT+5 was said "GMT+5 time" although it runs five hours BEHIND UTC (POSIX names count west as positive): a
-- caller heard a time ten hours off the one stored. Such zones are now said as their offset from UTC ("UTC minus 5"),
-- every other name for UTC as UTC, and a few city names as a caller writes them (St. John's; Katmandú, Dublín in
-- Spanish). CREATE OR REPLACE keeps grants.

/**
  * A zone named the way a caller understands it: en `New York time`, es `hora de Nueva York`; `UTC minus 5` for
  * Etc/GMT+5. The city is the zone's last part; a few cities have their written or Spanish names.
  */
create or replace function private.spoken_zone(p_timezone text, p_language text)
  returns text
  language plpgsql
  immutable
  set search_path = ''
as $$
declare
  v_es boolean := pg_catalog.split_part(p_language, '-', 1) = 'es';
  v_city text := pg_catalog.replace(pg_catalog.regexp_replace(p_timezone, '^.*/', ''), '_', ' ');
  v_west text := pg_catalog.substring(p_timezone, '^(?:Etc/)?GMT([+-][0-9]{1,2})$');
begin
  if v_west in ('+0', '-0') or p_timezone ~ '^(Etc/)?(UTC|UCT|Universal|Zulu|GMT0?|Greenwich)$' then
    return case when v_es then 'hora UTC' else 'UTC' end;
  end if;
  if v_west is not null then
    return case when v_es then 'hora UTC ' else 'UTC ' end
        || case when v_west like '+%' then case when v_es then 'menos ' else 'minus ' end
                else case when v_es then 'más ' else 'plus ' end end
        || pg_catalog.ltrim(pg_catalog.substr(v_west, 2), '0');
  end if;
  if v_city = 'St Johns' then
    v_city := 'St. John''s';
  end if;
  if v_es then
    return 'hora de ' || case v_city
      when 'New York' then 'Nueva York'
      when 'Los Angeles' then 'Los Ángeles'
      when 'Mexico City' then 'Ciudad de México'
      when 'Havana' then 'La Habana'
      when 'Sao Paulo' then 'São Paulo'
      when 'Bogota' then 'Bogotá'
      when 'London' then 'Londres'
      when 'Kathmandu' then 'Katmandú'
      when 'Dublin' then 'Dublín'
      else v_city end;
  end if;
  return v_city || ' time';
end;
$$;
