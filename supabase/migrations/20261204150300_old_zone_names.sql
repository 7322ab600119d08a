-- =====================================================================================================================
-- Section - Old zone names said as a caller knows them (helper-39)
-- =====================================================================================================================
-- Link names PostgreSQL accepts said nonsense: Mexico/General "hora de General", Brazil/East "East time",
-- Chile/Continental "hora de Continental", America/North_Dakota/Center "Center time", US/Eastern in Spanish "hora de
-- Eastern". They are said as the zone they stand for (Mexico City, São Paulo, Santiago, North Dakota) and the US and
-- Canadian regions in Spanish as callers say them (hora del Este, del Pacífico…). CREATE OR REPLACE keeps grants.

/**
  * A zone named the way a caller understands it: en `New York time`, es `hora de Nueva York`; `UTC minus 5` for
  * Etc/GMT+5; `Eastern time` / `hora del Este` for US/Eastern. The city is the zone's last part (of the zone an old
  * link name stands for); a few cities have their written or Spanish names.
  */
create or replace function private.spoken_zone(p_timezone text, p_language text)
  returns text
  language plpgsql
  immutable
  set search_path = ''
as $$
declare
  v_es boolean := pg_catalog.split_part(p_language, '-', 1) = 'es';
  -- Old link names say a region, not a city: read as the zone they stand for.
  v_zone text := case p_timezone when 'Mexico/General' then 'America/Mexico_City' when 'Brazil/East' then 'America/Sao_Paulo'
                   when 'Chile/Continental' then 'America/Santiago' when 'America/North_Dakota/Center' then 'North_Dakota'
                   else p_timezone end;
  v_city text := pg_catalog.replace(pg_catalog.regexp_replace(v_zone, '^.*/', ''), '_', ' ');
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
  if v_es and p_timezone ~ '^(US|Canada)/' then -- US/Eastern: "Eastern time" in English, "hora del Este" in Spanish
    return 'hora ' || case v_city
      when 'Eastern' then 'del Este' when 'Central' then 'del Centro' when 'Mountain' then 'de la Montaña'
      when 'Pacific' then 'del Pacífico' when 'Atlantic' then 'del Atlántico' when 'Newfoundland' then 'de Terranova'
      when 'Hawaii' then 'de Hawái' else 'de ' || v_city end;
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
