-- =====================================================================================================================
-- Section - A wall-clock time said twice on a fall-back night says which one it is
-- =====================================================================================================================
-- On the night the clocks go back, 01:00–01:59 happens twice (in New York first at -04:00, then at -05:00), and both
-- were said "1:30 AM": the open times listed "1:00 AM, 1:30 AM, 1:00 AM" and a caller could not tell which one was
-- booked (helper-25). Such a time now says which: "1:00 AM, before the clocks go back" / "after the clocks go back",
-- "la 1:00, antes del cambio de hora" / "después del cambio de hora". Every other time is said as before.
-- CREATE OR REPLACE keeps grants and signature (pgTAP 70).

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
  v_spanish boolean := pg_catalog.split_part(p_language, '-', 1) = 'es';
  v_text text;
  v_offsets interval[];
  v_offset interval;
  v_twin timestamptz;
begin
  if v_spanish then
    v_text := 'el ' || (array['domingo', 'lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado'])
                         [extract(dow from v_local)::integer + 1]
      || ' ' || extract(day from v_local)::integer
      || ' de ' || (array['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre',
                          'octubre', 'noviembre', 'diciembre'])[extract(month from v_local)::integer]
      || case when v_with_year then ' de ' || pg_catalog.to_char(v_local, 'FMYYYY') else '' end
      || case when extract(hour from v_local) = 1 then ' a la ' else ' a las ' end
      || pg_catalog.to_char(v_local, 'FMHH24:MI');
  else
    v_text := pg_catalog.to_char(v_local, case when v_with_year then 'FMDay, FMMonth FMDD, FMYYYY "at" FMHH12:MI AM'
                                               else 'FMDay, FMMonth FMDD "at" FMHH12:MI AM' end);
  end if;
  if not pg_catalog.isfinite(p_at) then
    return v_text;
  end if;
  -- The zone's offsets three hours before and after (no zone shifts more within that); when they differ, the same
  -- wall-clock time at the other offset, if it is another instant showing it, means the clocks went back in between.
  v_offsets := array[(p_at - interval '3 hours') at time zone p_timezone - (p_at - interval '3 hours') at time zone 'UTC',
                     (p_at + interval '3 hours') at time zone p_timezone - (p_at + interval '3 hours') at time zone 'UTC'];
  if v_offsets[1] <> v_offsets[2] then
    foreach v_offset in array v_offsets loop
      v_twin := (v_local - v_offset) at time zone 'UTC';
      if v_twin <> p_at and v_twin at time zone p_timezone = v_local then
        return v_text || case when v_spanish then case when p_at < v_twin then ', antes del cambio de hora'
                                                       else ', después del cambio de hora' end
                              else case when p_at < v_twin then ', before the clocks go back'
                                        else ', after the clocks go back' end end;
      end if;
    end loop;
  end if;
  return v_text;
end;
$$;
