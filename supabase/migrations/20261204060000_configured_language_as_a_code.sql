-- =====================================================================================================================
-- Section - A configured language is recorded in its canonical form
-- =====================================================================================================================
-- customer_configurations' language columns are free text (the seed guide's), but call_logs.language only takes a
-- code like `es` or `es-US`. A configuration listing `ES` or `es-us` made every language-change-detected event of its
-- calls fail on that CHECK — and PostgreSQL logged the whole failing call_logs row (summary, transcript: names and
-- phone numbers) in its DETAIL. The configured code is now given as `es` / `es-US`; one that is no code at all
-- (`Spanish`) is not configured (`language_not_configured`). Found by a security review (pgTAP 57).

/** A language code as the catalog and call_logs write it: `ES` → `es`, `es_us` → `es-US` (its form is not checked). */
create function private.language_code(p_written text)
  returns text
  language sql
  immutable
  set search_path = ''
as $$
  select pg_catalog.lower(pg_catalog.split_part(w.written, '-', 1))
         || coalesce('-' || nullif(pg_catalog.upper(pg_catalog.split_part(w.written, '-', 2)), ''), '')
  from (select pg_catalog.translate(pg_catalog.btrim(p_written), '_', '-') as written) as w
$$;

/**
  * The configured language (primary first, then secondary) of the organization's active configuration for that
  * assistant that matches p_language exactly or by its base (`es-MX` → `es`), as a code (`es`, `es-US`); null if none.
  */
create or replace function private.configured_language(p_organization_id uuid, p_assistant_id text, p_language text)
  returns text
  language sql
  stable
  set search_path = ''
as $$
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
  limit 1
$$;
