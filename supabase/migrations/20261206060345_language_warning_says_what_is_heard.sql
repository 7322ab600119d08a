-- =====================================================================================================================
-- Section - The warning about a language without a catalog says what its callers hear
-- =====================================================================================================================
-- 20261206000009 warned "callers are answered in English there" for every language the catalog lacks, but a caller
-- who switches to a SECONDARY language without one hears the configuration's primary language (call_language), not
-- English (helper-114: primary `es`, secondary `fr` → Spanish). A primary language without a catalog is still said
-- as English; secondary ones are named apart, with what their callers hear.

create or replace function private.warn_languages_without_catalog()
  returns trigger
  language plpgsql
  security definer -- the catalog is private: service_role writes configurations but cannot read it
  set search_path = ''
as $$
declare
  v_primary text;
  v_secondary text;
begin
  select pg_catalog.string_agg(l.language, ', ' order by l.language) filter (where l.is_primary),
         pg_catalog.string_agg(l.language, ', ' order by l.language) filter (where not l.is_primary)
    into v_primary, v_secondary
  from (select c.primary_language as language, true as is_primary from new_rows as c where c.is_active
        union -- each language looked up once
        select pg_catalog.unnest(c.secondary_languages), false from new_rows as c where c.is_active) as l
  where l.language is not null and private.catalog_language(l.language) is null;
  if v_primary is not null then
    raise warning 'customer_configurations: no message catalog for %: callers are answered in English there', v_primary
      using hint = 'Add the language''s rows to private.message_catalog (README "Languages"), or configure another.';
  end if;
  if v_secondary is not null then
    raise warning 'customer_configurations: no message catalog for % (a secondary language): callers who switch to it '
                  'are answered in the configuration''s primary language', v_secondary
      using hint = 'Add the language''s rows to private.message_catalog (README "Languages"), or configure another.';
  end if;
  return null;
end;
$$;
