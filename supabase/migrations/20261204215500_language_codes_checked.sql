-- A configuration's primary_language and secondary_languages are read as language codes (private.language_code:
-- `es-MX`, `es_mx`); anything else (`spanish`, `English`) matched no catalog and was silently spoken as English
-- (helper-54). Such a value is now refused when written (check_violation, pgTAP 87). NOT VALID: rows already there are
-- not re-read, so this migration cannot fail on a live project; once they are fixed,
-- `alter table public.customer_configurations validate constraint customer_configurations_language_codes;`.

alter table public.customer_configurations
  add constraint customer_configurations_language_codes check (
    -- each language followed by '|': one pattern for them all; a null one becomes '?', which fails it
    pg_catalog.array_to_string(pg_catalog.array_prepend(primary_language, secondary_languages), '|', '?') || '|'
      ~ '^(\s*[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*\s*\|)+$') not valid;
