-- =====================================================================================================================
-- Section - Schemas, extensions and default privileges
-- =====================================================================================================================
-- `private` holds helpers that RLS policies and the webhook RPCs call. It is not in PostgREST's exposed schemas,
-- so nothing in it is reachable over the Data API.
create schema if not exists private;
revoke all on schema private from public;

-- btree_gist lets one exclusion constraint combine `organization_id =` with `tstzrange &&` (no double booking).
create extension if not exists btree_gist with schema extensions;

-- Postgres grants EXECUTE on new functions to PUBLIC, and older Supabase projects auto-grant new objects to the API
-- roles. Every grant in this project is explicit and sits next to its object instead.
-- (A per-schema default cannot take away PUBLIC's global EXECUTE, so the revoke from PUBLIC is global.)
alter default privileges revoke execute on functions from public;
alter default privileges in schema public revoke execute on functions from anon, authenticated;
alter default privileges in schema public revoke all on tables from anon, authenticated;

-- =====================================================================================================================
-- Section - Shared helpers
-- =====================================================================================================================

/**
  * The E.164 form of a phone number as people and Vapi write it (spaces, dashes, dots, brackets, a leading 00),
  * or null when it is not a valid E.164 number. Never guesses a country code.
  */
create or replace function private.normalize_e164(p_raw text)
  returns text
  language sql
  immutable
  set search_path = ''
as $$
  select case when v ~ '^\+[1-9][0-9]{6,14}$' then v end
  from (select pg_catalog.regexp_replace(
                 pg_catalog.regexp_replace(pg_catalog.btrim(p_raw), '[[:space:]().-]', '', 'g'),
                 '^00', '+') as v) as cleaned
$$;

/**
  * True for a region zone of the IANA database (`America/New_York`) or `UTC`; false for offsets, typos and the
  * legacy abbreviations (`EST`, `EST5EDT`) that have no or the wrong daylight-saving rules for a business.
  */
create or replace function private.is_iana_timezone(p_name text)
  returns boolean
  language sql
  stable
  set search_path = ''
as $$
  select p_name is not null
     and (p_name = 'UTC' or p_name ~ '^[A-Za-z]+/[A-Za-z0-9_+/-]+$')
     and p_name !~ '^(posix|right|SystemV)/'
     and exists (select 1 from pg_catalog.pg_timezone_names as z where z.name = p_name)
$$;
-- Evaluated by the CHECK constraint with the inserting role's privileges.
grant execute on function private.is_iana_timezone(text) to service_role;

/** ISO-8601 with the zone's own offset at that instant, e.g. `2026-01-08T15:30:00-05:00`. */
create or replace function private.to_local_iso(p_at timestamptz, p_timezone text)
  returns text
  language sql
  stable
  set search_path = ''
as $$
  select pg_catalog.to_char(p_at at time zone p_timezone, 'YYYY-MM-DD"T"HH24:MI:SS')
      || case when o.utc_offset < interval '0' then '-' else '+' end
      || pg_catalog.to_char(case when o.utc_offset < interval '0' then -o.utc_offset else o.utc_offset end, 'HH24:MI')
  from (select (p_at at time zone p_timezone) - (p_at at time zone 'UTC') as utc_offset) as o
$$;

/** How an assistant says a time: `Thursday, January 8 at 3:30 PM`. */
create or replace function private.to_spoken_time(p_at timestamptz, p_timezone text)
  returns text
  language sql
  stable
  set search_path = ''
as $$
  select pg_catalog.to_char(p_at at time zone p_timezone, 'FMDay, FMMonth FMDD "at" FMHH12:MI AM')
$$;

/** Keeps `updated_at` honest on every update. */
create or replace function private.set_updated_at()
  returns trigger
  language plpgsql
  set search_path = ''
as $$
begin
  new.updated_at := pg_catalog.now();
  return new;
end;
$$;
