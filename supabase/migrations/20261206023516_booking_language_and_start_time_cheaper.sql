-- =====================================================================================================================
-- Section - A booking's language and start time read with fewer instructions (issue 13, SQL booked p50)
-- =====================================================================================================================
-- Same answers, less work per booking (callgrind, docs/performance.md):
-- - call_language asks the catalog only about a language there is: a call not yet logged (every first tool call) no
--   longer costs a catalog_language(null) call, which answered null after a query of its own.
-- - parse_start_time checks the form with the same pattern without capture groups (PostgreSQL's regex engine
--   dissects capture groups by backtracking: ~0.2 M instructions for this one) and reads the parts, whose places the
--   pattern has fixed, by position (the same answer for each of 7.3 M generated forms, 63 504 of them readable).
-- - resolve_organization normalizes the line's number only when it is read (below).
-- Per booking (a service named, staff picked; 2 000 tenants, scripts/bench): 5.97 M → 5.71 M instructions (−4.4 %, with
-- this stop's per-request advisory lock added). catalog_language keeps its sorted form: two plain probes of the small
-- message catalog were planned as sequential scans.

/** The call's language: the one its log records (this organization's), else the organization's; 'en' otherwise. */
create or replace function private.call_language(p_organization_id uuid, p_vapi_call_id text, p_assistant_id text)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return coalesce(
    (select private.catalog_language(l.language)
     from public.call_logs as l
     where l.vapi_call_id = p_vapi_call_id and l.organization_id = p_organization_id and l.language is not null),
    (select private.catalog_language(c.primary_language)
     from (select c.primary_language from public.customer_configurations as c
           where c.organization_id = p_organization_id and c.is_active
           order by c.vapi_assistant_id is not distinct from p_assistant_id desc, c.created_at
           limit 1) as c
     where c.primary_language is not null),
    'en');
end;
$$;

create or replace function private.parse_start_time(p_value text, p_timezone text)
  returns timestamptz
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_value text := pg_catalog.btrim(p_value);
  -- year, month, day (each separated by an optional '-'), hour, minute (may be absent; after an optional ':'), seconds
  -- (ignored), offset (may be absent; after an optional space)
  v_form constant text :=
    '^[0-9]{4}-?[0-9]{2}-?[0-9]{2}[Tt ](?:[01][0-9]|2[0-3])(?::?[0-5][0-9](?::?[0-5][0-9](?:[.,][0-9]+)?)?)?'
    ' ?(?:[Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)?$';
  v_date text; -- the 8 digits of the date
  v_at integer; -- where the hour starts: after the date, its separators and the 'T'
  v_rest text; -- what follows the hour
  v_minute text;
  v_offset_at integer;
  v_offset text;
  v_local timestamp;
begin
  if not coalesce(v_value ~ v_form, false) then
    return null;
  end if;
  -- Only the date may hold a '-' within the first 10 characters (an offset comes after the hour).
  v_date := pg_catalog.replace(pg_catalog.left(v_value, 10), '-', '');
  v_at := 10 + (10 - pg_catalog.length(v_date));
  v_rest := pg_catalog.substr(v_value, v_at + 2);
  if pg_catalog.left(v_rest, 1) = ':' then
    v_rest := pg_catalog.substr(v_rest, 2); -- a ':' after the hour is always the minute's
  end if;
  if pg_catalog.left(v_rest, 1) <> '' and pg_catalog.strpos('0123456789', pg_catalog.left(v_rest, 1)) > 0 then
    v_minute := pg_catalog.left(v_rest, 2);
  end if;
  -- The offset is the tail from its first character: no other part holds a Z, + or -.
  v_offset_at := pg_catalog.strpos(pg_catalog.translate(v_rest, 'z+-', 'ZZZ'), 'Z');
  if v_offset_at > 0 then
    v_offset := pg_catalog.substr(v_rest, v_offset_at);
  end if;
  v_local := pg_catalog.make_timestamp(pg_catalog.substr(v_date, 1, 4)::integer, pg_catalog.substr(v_date, 5, 2)::integer,
                                       pg_catalog.substr(v_date, 7, 2)::integer,
                                       pg_catalog.substr(v_value, v_at, 2)::integer, coalesce(v_minute, '0')::integer, 0);
  if v_offset is null then
    return private.wall_clock_instant(v_local, p_timezone);
  end if;
  return (pg_catalog.to_char(v_local, 'YYYY-MM-DD HH24:MI') || pg_catalog.upper(v_offset))::timestamptz;
exception
  when data_exception then
    return null; -- e.g. 2027-02-30T10:00, or an offset beyond ±15:59
end;
$$;

-- resolve_organization normalizes the line's number only when it is read: a tool call found by its assistant (as
-- nearly every one is) no longer pays for a normalize_e164 call whose answer it never uses.
create or replace function private.resolve_organization(
  p_assistant_id text, p_phone_number text, p_vapi_call_id text, p_phone_number_id text default null,
  out organization_id uuid, out resolved_by text)
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_assistant_id text := nullif(pg_catalog.btrim(p_assistant_id), '');
  v_line_id text := nullif(pg_catalog.btrim(p_phone_number_id), '');
  v_phone text;
  v_call_id text := nullif(pg_catalog.btrim(p_vapi_call_id), '');
begin
  if v_assistant_id is not null then
    select c.organization_id into organization_id
    from public.customer_configurations as c
    where c.vapi_assistant_id = v_assistant_id and c.is_active;
    if found then
      resolved_by := 'assistant_id';
      return;
    end if;
  end if;

  if v_line_id is not null then
    select c.organization_id into organization_id
    from public.customer_configurations as c
    where c.vapi_phone_number_id = v_line_id and c.is_active;
    if found then
      resolved_by := 'phone_number';
      return;
    end if;
  end if;

  v_phone := private.normalize_e164(p_phone_number);
  if v_phone is not null then
    select c.organization_id into organization_id
    from public.customer_configurations as c
    where c.vapi_phone_number = v_phone and c.is_active;
    if found then
      resolved_by := 'phone_number';
      return;
    end if;
  end if;

  if v_call_id is not null then
    select l.organization_id into organization_id
    from public.call_logs as l
    where l.vapi_call_id = v_call_id
      and exists (select 1 from public.customer_configurations as c
                  where c.organization_id = l.organization_id and c.is_active);
    if found then
      resolved_by := 'call_id';
      return;
    end if;
  end if;

  organization_id := null;
  resolved_by := null;
end;
$$;
