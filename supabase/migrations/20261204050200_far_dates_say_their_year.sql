-- =====================================================================================================================
-- Section - A date far from today is spoken with its year
-- =====================================================================================================================
-- "Tuesday, March 5 at 10:00 AM" for a booking in 2030 (the HVAC seed takes bookings ten years ahead) told the caller
-- a day this coming March. A date outside the next ~10 months (or more than ~6 months ago) now says its year:
-- "Tuesday, March 5, 2030 at 10:00 AM", "el martes 5 de marzo de 2030 a las 10:00". Nearer dates are unchanged.

/** An instant as the organization's wall-clock time, spoken in the call's language (`es`, else English). */
create or replace function private.spoken_time(p_at timestamptz, p_timezone text, p_language text)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_local timestamp := p_at at time zone p_timezone;
  -- A few hours either way do not matter here: compared as instants, no second time zone conversion.
  v_with_year boolean := p_at not between pg_catalog.now() - interval '180 days' and pg_catalog.now() + interval '300 days';
begin
  if pg_catalog.split_part(p_language, '-', 1) = 'es' then
    return 'el ' || (array['domingo', 'lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado'])
                      [extract(dow from v_local)::integer + 1]
        || ' ' || extract(day from v_local)::integer
        || ' de ' || (array['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre',
                            'octubre', 'noviembre', 'diciembre'])[extract(month from v_local)::integer]
        || case when v_with_year then ' de ' || pg_catalog.to_char(v_local, 'FMYYYY') else '' end
        || case when extract(hour from v_local) = 1 then ' a la ' else ' a las ' end
        || pg_catalog.to_char(v_local, 'FMHH24:MI');
  end if;
  return pg_catalog.to_char(v_local, case when v_with_year then 'FMDay, FMMonth FMDD, FMYYYY "at" FMHH12:MI AM'
                                          else 'FMDay, FMMonth FMDD "at" FMHH12:MI AM' end);
end;
$$;
