-- =====================================================================================================================
-- Section - The warning about a language without a catalog says what its callers hear
-- =====================================================================================================================
-- 20261206000009 warned "callers are answered in English there" for every language the catalog lacks, but a caller
-- who switches to a SECONDARY language without one hears the configuration's primary language (call_language), not
-- English (helper-114: primary `es`, secondary `fr` → Spanish). A primary language without a catalog is still said
-- as English (so are the secondary ones of such a configuration: its callers hear English whatever they switch to);
-- the other secondary ones are named apart, with what their callers hear.

create or replace function private.warn_languages_without_catalog()
  returns trigger
  language plpgsql
  security definer -- the catalog is private: service_role writes configurations but cannot read it
  set search_path = ''
as $$
declare
  v_primary text; -- the languages whose callers hear English
  v_secondary text; -- the secondary languages whose callers hear the primary language
begin
  -- English: primary languages without a catalog, and secondary ones of a configuration whose primary has none either;
  -- the primary language: secondary ones of a configuration whose primary has one. Each language is looked up once.
  with pairs as (
    select distinct c.primary_language, s.language as secondary_language
    from new_rows as c
    left join lateral pg_catalog.unnest(c.secondary_languages) as s (language) on true
    where c.is_active),
  missing as (
    select l.language
    from (select p.primary_language from pairs as p union select p.secondary_language from pairs as p) as l (language)
    where l.language is not null and private.catalog_language(l.language) is null)
  select pg_catalog.string_agg(distinct l.language, ', ' order by l.language) filter (where not l.heard_in_primary),
         pg_catalog.string_agg(distinct l.language, ', ' order by l.language) filter (where l.heard_in_primary)
    into v_primary, v_secondary
  from (select p.primary_language, false from pairs as p
        union all
        select p.secondary_language, p.primary_language not in (select m.language from missing as m)
        from pairs as p) as l (language, heard_in_primary)
  where l.language in (select m.language from missing as m);
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
