-- =====================================================================================================================
-- Section - Still more places said in Spanish
-- =====================================================================================================================
-- "hora de Sydney" (Sídney), "hora de Johannesburg" (Johannesburgo), "hora de Cordoba" (Córdoba): zone cities a Spanish
-- speaker says otherwise, or with accents the zone names drop, in Oceania, Africa, Eastern Europe, Asia and the
-- Americas. Only the city map changes (pgTAP 73). CREATE OR REPLACE keeps grants.

create or replace function private.spoken_zone(p_timezone text, p_language text)
  returns text
  language plpgsql
  immutable
  set search_path = ''
as $$
declare
  v_es boolean := pg_catalog.split_part(p_language, '-', 1) = 'es';
  -- Old link names that say a region or a shortened place: read as the zone they stand for (only `Area/Name` zones
  -- are accepted for an organization, so GB, NZ, EST5EDT… never reach here).
  v_zone text := coalesce('{
      "Mexico/General": "America/Mexico_City", "Mexico/BajaNorte": "America/Tijuana", "Mexico/BajaSur": "America/Mazatlan",
      "Brazil/East": "America/Sao_Paulo", "Brazil/West": "America/Manaus", "Brazil/DeNoronha": "America/Noronha",
      "Chile/Continental": "America/Santiago", "Chile/EasterIsland": "Pacific/Easter",
      "America/North_Dakota/Center": "North_Dakota", "America/Knox_IN": "America/Indiana/Knox",
      "America/Argentina/ComodRivadavia": "America/Argentina/Comodoro_Rivadavia",
      "US/East-Indiana": "US/Indianapolis", "US/Indiana-Starke": "US/Knox", "US/Aleutian": "US/Aleutian Islands",
      "Australia/ACT": "Australia/Canberra", "Australia/NSW": "Australia/Sydney", "Australia/LHI": "Australia/Lord_Howe",
      "Australia/North": "Australia/Darwin", "Australia/South": "Australia/Adelaide", "Australia/West": "Australia/Perth",
      "Australia/Victoria": "Australia/Melbourne", "Australia/Yancowinna": "Australia/Broken_Hill"
    }'::jsonb ->> p_timezone, p_timezone);
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
  v_city := case v_city when 'St Johns' then 'St. John''s' when 'Easter' then 'Easter Island'
                        when 'Canary' then 'Canary Islands' else v_city end;
  if v_es and v_zone ~ '^(US|Canada)/' then -- US/Eastern: "Eastern time" in English, "hora del Este" in Spanish
    return 'hora ' || case v_city
      when 'Eastern' then 'del Este' when 'Central' then 'del Centro' when 'Mountain' then 'de la Montaña'
      when 'Pacific' then 'del Pacífico' when 'Atlantic' then 'del Atlántico' when 'Newfoundland' then 'de Terranova'
      when 'Hawaii' then 'de Hawái' when 'Aleutian Islands' then 'de las Aleutianas' else 'de ' || v_city end;
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
      when 'Easter Island' then 'la Isla de Pascua'
      when 'Tokyo' then 'Tokio'
      when 'Warsaw' then 'Varsovia'
      when 'Lisbon' then 'Lisboa'
      when 'Moscow' then 'Moscú'
      when 'Cairo' then 'El Cairo'
      when 'Tehran' then 'Teherán'
      when 'Jerusalem' then 'Jerusalén'
      when 'Istanbul' then 'Estambul'
      when 'Seoul' then 'Seúl'
      when 'Shanghai' then 'Shanghái'
      when 'Canary Islands' then 'Canarias'
      when 'Rome' then 'Roma'
      when 'Paris' then 'París'
      when 'Brussels' then 'Bruselas'
      when 'Berlin' then 'Berlín'
      when 'Athens' then 'Atenas'
      when 'Copenhagen' then 'Copenhague'
      when 'Stockholm' then 'Estocolmo'
      when 'Vienna' then 'Viena'
      when 'Prague' then 'Praga'
      when 'Amsterdam' then 'Ámsterdam'
      when 'Zurich' then 'Zúrich'
      when 'Belgrade' then 'Belgrado'
      when 'Bucharest' then 'Bucarest'
      when 'Sofia' then 'Sofía'
      when 'Luxembourg' then 'Luxemburgo'
      when 'Monaco' then 'Mónaco'
      when 'Reykjavik' then 'Reikiavik'
      when 'Cancun' then 'Cancún'
      when 'Panama' then 'Panamá'
      when 'Asuncion' then 'Asunción'
      when 'Merida' then 'Mérida'
      when 'Mazatlan' then 'Mazatlán'
      when 'Bahia Banderas' then 'Bahía de Banderas'
      when 'Port of Spain' then 'Puerto España'
      when 'Singapore' then 'Singapur'
      when 'Kolkata' then 'Calcuta'
      when 'Dubai' then 'Dubái'
      when 'Riyadh' then 'Riad'
      when 'Baghdad' then 'Bagdad'
      when 'Damascus' then 'Damasco'
      when 'Amman' then 'Ammán'
      when 'Jakarta' then 'Yakarta'
      when 'Sydney' then 'Sídney'
      when 'Adelaide' then 'Adelaida'
      when 'Fiji' then 'Fiyi'
      when 'Noumea' then 'Numea'
      when 'Galapagos' then 'Galápagos'
      when 'Kiev' then 'Kiev'
      when 'Kyiv' then 'Kiev'
      when 'Vilnius' then 'Vilna'
      when 'Chisinau' then 'Chisináu'
      when 'Ljubljana' then 'Liubliana'
      when 'Tirane' then 'Tirana'
      when 'Taipei' then 'Taipéi'
      when 'Tashkent' then 'Taskent'
      when 'Tbilisi' then 'Tiflis'
      when 'Yerevan' then 'Ereván'
      when 'Baku' then 'Bakú'
      when 'Qatar' then 'Catar'
      when 'Johannesburg' then 'Johannesburgo'
      when 'Algiers' then 'Argel'
      when 'Tunis' then 'Túnez'
      when 'Khartoum' then 'Jartum'
      when 'Addis Ababa' then 'Adís Abeba'
      when 'Cordoba' then 'Córdoba'
      when 'Tucuman' then 'Tucumán'
      when 'Ciudad Juarez' then 'Ciudad Juárez'
      when 'Bahia' then 'Bahía'
      when 'Belem' then 'Belém'
      when 'Maceio' then 'Maceió'
      when 'Cuiaba' then 'Cuiabá'
      when 'Santarem' then 'Santarém'
      when 'Cayenne' then 'Cayena'
      when 'Martinique' then 'Martinica'
      when 'Guadeloupe' then 'Guadalupe'
      when 'Port-au-Prince' then 'Puerto Príncipe'
      when 'Belize' then 'Belice'
      when 'Curacao' then 'Curazao'
      else v_city end;
  end if;
  return v_city || ' time';
end;
$$;
