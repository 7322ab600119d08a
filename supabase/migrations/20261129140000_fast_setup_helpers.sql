-- =====================================================================================================================
-- Section - Fast setup helpers (issue 13)
-- =====================================================================================================================
-- PostgreSQL 15 never inlines a `language sql` function that has a `set search_path` clause, and re-parses and
-- re-plans its body in every statement that calls it; plpgsql compiles once per session and caches its plans.
-- The small helpers below run several times per tool call (or once per organizations row), so they become plpgsql
-- with the same results, still `set search_path = ''`.

/**
  * The IANA region zones this server's time-zone database had when the migration ran. `pg_timezone_names` reads the
  * zone files from disk on every query (~40 ms); this index answers the organizations CHECK in microseconds.
  */
create table private.iana_time_zones (
  name text primary key
);
insert into private.iana_time_zones (name)
select z.name
from pg_catalog.pg_timezone_names as z
where (z.name = 'UTC' or z.name ~ '^[A-Za-z]+/[A-Za-z0-9_+/-]+$')
  and z.name !~ '^(posix|right|SystemV)/'
on conflict do nothing;
revoke all on table private.iana_time_zones from public, anon, authenticated, service_role;
-- The CHECK runs with the inserting role's privileges.
grant select on table private.iana_time_zones to service_role;

/**
  * True for a region zone of the IANA database (`America/New_York`) or `UTC`; false for offsets, typos and the
  * legacy abbreviations (`EST`, `EST5EDT`) that have no or the wrong daylight-saving rules for a business.
  * Known zones are found in private.iana_time_zones; only a name missing there (a typo, or a zone added to the server's
  * tzdata later) pays for the scan of pg_timezone_names.
  */
create or replace function private.is_iana_timezone(p_name text)
  returns boolean
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  if p_name is null or not (p_name = 'UTC' or p_name ~ '^[A-Za-z]+/[A-Za-z0-9_+/-]+$')
     or p_name ~ '^(posix|right|SystemV)/' then
    return false;
  end if;
  return exists (select 1 from private.iana_time_zones as z where z.name = p_name)
      or exists (select 1 from pg_catalog.pg_timezone_names as z where z.name = p_name);
end;
$$;

/**
  * The E.164 form of a phone number as people and Vapi write it (spaces, dashes, dots, brackets, a leading 00),
  * or null when it is not a valid E.164 number. Never guesses a country code.
  */
create or replace function private.normalize_e164(p_raw text)
  returns text
  language plpgsql
  immutable
  set search_path = ''
as $$
declare
  v text := pg_catalog.regexp_replace(
    pg_catalog.regexp_replace(pg_catalog.btrim(p_raw), '[[:space:]().-]', '', 'g'), '^00', '+');
begin
  return case when v ~ '^\+[1-9][0-9]{6,14}$' then v end;
end;
$$;

/** ISO-8601 with the zone's own offset at that instant, e.g. `2026-01-08T15:30:00-05:00`. */
create or replace function private.to_local_iso(p_at timestamptz, p_timezone text)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_local timestamp := p_at at time zone p_timezone;
  v_offset interval := v_local - (p_at at time zone 'UTC');
begin
  return pg_catalog.to_char(v_local, 'YYYY-MM-DD"T"HH24:MI:SS')
      || case when v_offset < interval '0' then '-' else '+' end
      || pg_catalog.to_char(case when v_offset < interval '0' then -v_offset else v_offset end, 'HH24:MI');
end;
$$;

/** How an assistant says a time: `Thursday, January 8 at 3:30 PM`. */
create or replace function private.to_spoken_time(p_at timestamptz, p_timezone text)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return pg_catalog.to_char(p_at at time zone p_timezone, 'FMDay, FMMonth FMDD "at" FMHH12:MI AM');
end;
$$;

/** A JSON number as numeric; null for anything else. */
create or replace function private.json_number(p_value jsonb)
  returns numeric
  language plpgsql
  immutable
  set search_path = ''
as $$
begin
  return case when pg_catalog.jsonb_typeof(p_value) = 'number' then (p_value #>> '{}')::numeric end;
end;
$$;

/** Position of a call status in Vapi's lifecycle (a call never moves back). */
create or replace function private.call_status_rank(p_status text)
  returns integer
  language plpgsql
  immutable
  set search_path = ''
as $$
begin
  return pg_catalog.array_position(
    array['scheduled', 'queued', 'ringing', 'in-progress', 'forwarding', 'ended'], p_status);
end;
$$;

/** `duration_minutes` as whole minutes between 5 and 480 (given as a number or a string); the default when absent. */
create or replace function private.parse_duration_minutes(p_value jsonb, p_default integer)
  returns integer
  language plpgsql
  immutable
  set search_path = ''
as $$
begin
  return case
    when p_value is null or p_value = 'null'::jsonb then p_default
    when (p_value #>> '{}') ~ '^[0-9]{1,3}(\.0*)?$' and (p_value #>> '{}')::numeric between 5 and 480
      then (p_value #>> '{}')::numeric::integer
  end;
end;
$$;

/** The catalog language for a configured language code: exact (`es-MX`), else its base (`es`), else null. */
create or replace function private.catalog_language(p_language text)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return (
    select m.language
    from private.message_catalog as m
    where m.language in (p_language, pg_catalog.split_part(p_language, '-', 1))
    order by m.language = p_language desc
    limit 1);
end;
$$;

/**
  * The organizations the signed-in user belongs to. Security definer so that policies on organization_members
  * itself do not recurse; it only ever reads the caller's own membership rows.
  */
create or replace function private.current_user_organization_ids()
  returns setof uuid
  language plpgsql
  stable
  security definer
  set search_path = ''
as $$
begin
  return query
    select m.organization_id
    from public.organization_members as m
    where m.user_id = (select auth.uid());
end;
$$;
