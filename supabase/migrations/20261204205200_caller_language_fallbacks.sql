-- =====================================================================================================================
-- Section - The caller's language: regional codes both ways, and the business's own language as the fallback
-- =====================================================================================================================
-- helper-54: (1) a business listing `es-MX` never matched a caller detected as plain `es` (only `es-MX` → `es` did),
-- so that caller stayed in English; the configured code now also matches when its language part is the one detected.
-- (2) A caller who switched to a language the catalog lacks (fr, pt-BR) heard English and got English texts; the
-- README says the configuration's primary language: catalog_language now looks at each in turn. pgTAP 82.
-- CREATE OR REPLACE keeps grants.

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
      and (pg_catalog.lower(l.code) in (pg_catalog.lower(p_language), pg_catalog.lower(pg_catalog.split_part(p_language, '-', 1)))
           or pg_catalog.lower(pg_catalog.split_part(l.code, '-', 1)) = pg_catalog.lower(p_language))
    order by pg_catalog.lower(l.code) = pg_catalog.lower(p_language) desc
    limit 1);
end;
$$;

create or replace function private.call_language(p_organization_id uuid, p_vapi_call_id text, p_assistant_id text)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return coalesce(
    private.catalog_language((select case when l.organization_id = p_organization_id then l.language end
                              from public.call_logs as l
                              where l.vapi_call_id = p_vapi_call_id)),
    private.catalog_language((select c.primary_language from public.customer_configurations as c
                              where c.organization_id = p_organization_id and c.is_active
                              order by c.vapi_assistant_id is not distinct from p_assistant_id desc, c.created_at
                              limit 1)),
    'en');
end;
$$;
