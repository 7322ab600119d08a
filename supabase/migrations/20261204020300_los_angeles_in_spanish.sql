-- =====================================================================================================================
-- Section - Los Ángeles, in Spanish
-- =====================================================================================================================
-- The Plumbing demo tenant (America/Los_Angeles, Spanish) said "hora de Los Angeles"; Spanish writes it with an
-- accent, as it already wrote Nueva York and Bogotá. CREATE OR REPLACE keeps grants.

/**
  * A zone named the way a caller understands it: en `New York time`, es `hora de Nueva York`. The city is the zone's
  * last part; a few common cities have their Spanish names.
  */
create or replace function private.spoken_zone(p_timezone text, p_language text)
  returns text
  language plpgsql
  immutable
  set search_path = ''
as $$
declare
  v_city text := pg_catalog.replace(pg_catalog.regexp_replace(p_timezone, '^.*/', ''), '_', ' ');
begin
  if p_timezone = 'UTC' then
    return case when pg_catalog.split_part(p_language, '-', 1) = 'es' then 'hora UTC' else 'UTC' end;
  end if;
  if pg_catalog.split_part(p_language, '-', 1) = 'es' then
    return 'hora de ' || case v_city
      when 'New York' then 'Nueva York'
      when 'Los Angeles' then 'Los Ángeles'
      when 'Mexico City' then 'Ciudad de México'
      when 'Havana' then 'La Habana'
      when 'Sao Paulo' then 'São Paulo'
      when 'Bogota' then 'Bogotá'
      when 'London' then 'Londres'
      else v_city end;
  end if;
  return v_city || ' time';
end;
$$;
