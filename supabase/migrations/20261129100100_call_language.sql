-- =====================================================================================================================
-- Section - The language of a call (what the assistant speaks), and how times and zones are said in it
-- =====================================================================================================================
-- Set when Vapi reports that the caller switched language (to one of the configuration's secondary languages).
alter table public.call_logs
  add column language text constraint call_logs_language_is_code check (language ~ '^[a-z]{2,3}(-[A-Z]{2})?$');

alter type private.tool_call_context add attribute language text;

/** The catalog language for a configured language code: exact (`es-MX`), else its base (`es`), else null. */
create or replace function private.catalog_language(p_language text)
  returns text
  language sql
  stable
  set search_path = ''
as $$
  select m.language
  from private.message_catalog as m
  where m.language in (p_language, pg_catalog.split_part(p_language, '-', 1))
  order by m.language = p_language desc
  limit 1
$$;

/**
  * The language a call is answered in: the language the caller switched to (call_logs.language), else the primary
  * language of the configuration that took the call (by assistant id, else the organization's oldest active one),
  * mapped onto the catalog; English when the catalog lacks it.
  */
create or replace function private.call_language(p_organization_id uuid, p_vapi_call_id text, p_assistant_id text)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_wanted text;
begin
  select l.language into v_wanted
  from public.call_logs as l
  where l.vapi_call_id = p_vapi_call_id and l.organization_id = p_organization_id;
  if v_wanted is null then
    select c.primary_language into v_wanted
    from public.customer_configurations as c
    where c.organization_id = p_organization_id and c.is_active
    order by c.vapi_assistant_id is not distinct from p_assistant_id desc, c.created_at
    limit 1;
  end if;
  return coalesce(private.catalog_language(v_wanted), 'en');
end;
$$;

/**
  * How an assistant says a moment in the organization's zone, as a native speaker would on the phone:
  * en `Thursday, January 8 at 3:30 PM`, es `el jueves 8 de enero a las 15:30`. Other languages fall back to English.
  * Names are spelled out here, not taken from the server's lc_time (hosted databases run in English/C).
  */
create or replace function private.spoken_time(p_at timestamptz, p_timezone text, p_language text)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_local timestamp := p_at at time zone p_timezone;
begin
  if pg_catalog.split_part(p_language, '-', 1) = 'es' then
    return 'el ' || (array['domingo', 'lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado'])
                      [extract(dow from v_local)::integer + 1]
        || ' ' || extract(day from v_local)::integer
        || ' de ' || (array['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre',
                            'octubre', 'noviembre', 'diciembre'])[extract(month from v_local)::integer]
        || case when extract(hour from v_local) = 1 then ' a la ' else ' a las ' end
        || pg_catalog.to_char(v_local, 'FMHH24:MI');
  end if;
  return pg_catalog.to_char(v_local, 'FMDay, FMMonth FMDD "at" FMHH12:MI AM');
end;
$$;

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
