-- A configuration's primary_language and secondary_languages are read as language codes (private.language_code:
-- `es-MX`, `es_mx`); anything else (`spanish`, `English`) matched no catalog and was silently spoken as English
-- (helper-54). Such a value is now refused when written (check_violation, pgTAP 87). Rows already holding one are first
-- set to what they have been spoken as — primary English, the secondary values dropped (they never matched a caller) —
-- so the constraint holds for every row and an update of any other column of such a row still works (helper-56).

do $$
declare
  -- One language code, as private.language_code reads it: `en`, `es-419`, `zh-Hant-TW`, `es_mx`, spaces around.
  v_code constant text := '^ *[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})* *$';
begin
  update public.customer_configurations as c
  set primary_language = case when c.primary_language ~ v_code then c.primary_language else 'en' end,
      secondary_languages = array(select l.code from pg_catalog.unnest(c.secondary_languages) with ordinality as l(code, n)
                                  where l.code ~ v_code order by l.n)
  where c.primary_language !~ v_code
     or exists (select 1 from pg_catalog.unnest(c.secondary_languages) as l(code) where l.code is null or l.code !~ v_code);
  -- Every value, each followed by `|` (which no code holds, nor may a value): one pattern for them all; a null one is
  -- `?`, which fails it.
  execute pg_catalog.format($ddl$
    alter table public.customer_configurations add constraint customer_configurations_language_codes check (
      pg_catalog.strpos(pg_catalog.array_to_string(pg_catalog.array_prepend(primary_language, secondary_languages), ''),
                        '|') = 0
      and pg_catalog.array_to_string(pg_catalog.array_prepend(primary_language, secondary_languages), '|', '?') || '|'
            ~ %L)$ddl$,
    '^(' || pg_catalog.rtrim(pg_catalog.ltrim(v_code, '^'), '$') || '\|)+$');
end;
$$;
