-- =====================================================================================================================
-- Section - The helpers of call events, languages and availability are plpgsql
-- =====================================================================================================================
-- A `language sql` function with `set search_path` is not inlined, and PostgreSQL 15 parses and plans its body at
-- every call. record_call_event — every status update and end-of-call report — called twelve (newest ×8, event_time
-- ×3, configured_language): a report took 0.34 ms, now 0.21 ms (pg_stat_statements mean of 1 000 reports).
-- Each booking called language_code twice; check_availability local_day_end; an id-less tool call
-- derived_tool_call_key. Same bodies in plpgsql, whose plans and expressions are cached (pgTAP 69).
-- CREATE OR REPLACE keeps signatures and grants.

/** An event's value when the event is the newest heard of the call (`p_newer`), else the stored one; each fills a gap. */
create or replace function private.newest(p_newer boolean, p_event_value anyelement, p_stored anyelement)
  returns anyelement
  language plpgsql
  immutable
  set search_path = ''
as $$
begin
  return case when p_newer then coalesce(p_event_value, p_stored) else coalesce(p_stored, p_event_value) end;
end;
$$;

/**
  * An event's moment from untrusted text, or null: unreadable, `infinity`, or more than a day in the future (a clock
  * that far ahead is wrong, and trusting it would make every later real event look older and freeze the call).
  */
create or replace function private.event_time(p_value text)
  returns timestamptz
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_at timestamptz := private.try_timestamptz(p_value);
begin
  return case when pg_catalog.isfinite(v_at) and v_at <= pg_catalog.now() + interval '1 day' then v_at end;
end;
$$;

/** A language code as the catalog and call_logs write it: `ES` → `es`, `es_us` → `es-US` (its form is not checked). */
create or replace function private.language_code(p_written text)
  returns text
  language plpgsql
  immutable
  set search_path = ''
as $$
declare
  v_written text := pg_catalog.translate(pg_catalog.btrim(p_written), '_', '-');
begin
  return pg_catalog.lower(pg_catalog.split_part(v_written, '-', 1))
         || coalesce('-' || nullif(pg_catalog.upper(pg_catalog.split_part(v_written, '-', 2)), ''), '');
end;
$$;

/**
  * The configured language (primary first, then secondary) of the organization's active configuration for that
  * assistant that matches p_language exactly or by its base (`es-MX` → `es`), as a code (`es`, `es-US`); null if none.
  */
create or replace function private.configured_language(p_organization_id uuid, p_assistant_id text, p_language text)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return (
    select l.code
    from (select c.primary_language, c.secondary_languages
          from public.customer_configurations as c
          where c.organization_id = p_organization_id and c.is_active
          order by c.vapi_assistant_id is not distinct from p_assistant_id desc, c.created_at
          limit 1) as c
    cross join lateral pg_catalog.unnest(c.primary_language || c.secondary_languages) as r (raw)
    cross join lateral (select private.language_code(r.raw) as code) as l
    where l.code ~ '^[a-z]{2,3}(-[A-Z]{2})?$'
      and pg_catalog.lower(l.code) in (pg_catalog.lower(p_language), pg_catalog.lower(pg_catalog.split_part(p_language, '-', 1)))
    order by pg_catalog.lower(l.code) = pg_catalog.lower(p_language) desc
    limit 1);
end;
$$;

/**
  * The end of the local day that starts at p_day_start: the next day's start as parse_start_time reads it (23 or 25
  * hours on a DST change; where a fall-back repeats midnight, as in Havana, its first occurrence).
  */
create or replace function private.local_day_end(p_day_start timestamptz, p_timezone text)
  returns timestamptz
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return private.parse_start_time(
    pg_catalog.to_char((p_day_start at time zone p_timezone)::date + 1, 'YYYY-MM-DD') || 'T00:00', p_timezone);
end;
$$;

/** The ledger key of a tool call without an id: its tool, its arguments and how many other tool calls came first. */
create or replace function private.derived_tool_call_key(p_vapi_call_id text, p_tool_name text, p_arguments jsonb)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_base text := 'function-call:' || p_tool_name || ':' || pg_catalog.md5(p_arguments::text);
begin
  return v_base || '#' || (select pg_catalog.count(*)
                           from public.tool_call_executions as e
                           where e.vapi_call_id = p_vapi_call_id
                             and pg_catalog.left(e.tool_call_id, pg_catalog.length(v_base)) <> v_base);
end;
$$;
