-- =====================================================================================================================
-- Section - Fewer statements per tool call (issue 13): the same answers, with fewer queries run inside the functions
-- (each costs 10–60 µs; pg_stat_statements with track = all counts them). CREATE OR REPLACE keeps grants.
-- =====================================================================================================================

/**
  * A catalog sentence with its {placeholders} filled in, one query: the parameters are walked as a jsonb array
  * (keyvalue() keeps jsonb_each_text's key order, so a value that looks like a placeholder is treated as before).
  */
create or replace function private.say(p_language text, p_key text, p_params jsonb default '{}'::jsonb)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_text text;
  v_pairs jsonb := pg_catalog.jsonb_path_query_array(coalesce(p_params, '{}'::jsonb), '$.keyvalue()');
begin
  select m.template into v_text
  from private.message_catalog as m
  where m.key = p_key and m.language in (p_language, 'en')
  order by m.language = p_language desc
  limit 1;
  for i in 0 .. pg_catalog.jsonb_array_length(v_pairs) - 1 loop
    v_text := pg_catalog.replace(v_text, '{' || (v_pairs -> i ->> 'key') || '}',
                                 coalesce(v_pairs -> i ->> 'value', ''));
  end loop;
  return v_text;
end;
$$;

/**
  * Whether [p_start, p_end) lies inside one opening interval (private.opening_intervals: business hours, else whole
  * days; never on a closed date) — one query instead of three.
  */
create or replace function private.is_within_business_hours(
  p_organization_id uuid, p_timezone text, p_start timestamptz, p_end timestamptz)
  returns boolean
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return exists (
    select 1
    from pg_catalog.generate_series(pg_catalog.date_trunc('day', p_start at time zone p_timezone) - interval '1 day',
                                    p_start at time zone p_timezone, interval '1 day') as d(day)
    join public.business_hours as h on h.organization_id = p_organization_id and h.weekday = extract(dow from d.day)
    where (d.day + h.opens_at) at time zone p_timezone <= p_start
      and p_start < (d.day + h.closes_at) at time zone p_timezone
      and p_end <= (d.day + h.closes_at) at time zone p_timezone
      and not exists (select 1 from public.closed_dates as c
                      where c.organization_id = p_organization_id and c.closed_on = d.day::date)
    union all
    select 1
    from pg_catalog.generate_series(pg_catalog.date_trunc('day', p_start at time zone p_timezone) - interval '1 day',
                                    p_start at time zone p_timezone, interval '1 day') as d(day)
    where not exists (select 1 from public.business_hours as h where h.organization_id = p_organization_id)
      and d.day at time zone p_timezone <= p_start
      and p_start < (d.day + interval '1 day') at time zone p_timezone
      and not exists (select 1 from public.closed_dates as c
                      where c.organization_id = p_organization_id and c.closed_on = d.day::date));
end;
$$;
