-- =====================================================================================================================
-- Section - A configured language is understood in any case
-- =====================================================================================================================
-- 20261204060000 read a configured `ES` or `es_us` as a code when a caller switched to it, but the catalog lookup
-- behind routing, tool answers and texts matched codes exactly: a configuration whose primary language is `ES` was
-- answered in English (helper-23). The lookup now reads codes as private.language_code writes them (pgTAP 57).

/** The catalog's language for a code (`es-MX` → `es-MX` if the catalog has it, else `es`), in any case; else null. */
create or replace function private.catalog_language(p_language text)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_code text := private.language_code(p_language);
begin
  return (
    select u.language
    from pg_catalog.unnest(array[v_code, pg_catalog.split_part(v_code, '-', 1)]) with ordinality as u(language, rank)
    where exists (select 1 from private.message_catalog as m where m.language = u.language)
    order by u.rank
    limit 1);
end;
$$;
