-- =====================================================================================================================
-- Section - A configuration in a language the catalog lacks is said once, when it is written
-- =====================================================================================================================
-- A configuration whose primary language is `fr` (a valid code, no catalog rows) was answered in English — as meant
-- — but nothing ever said so: no log line, no warning (helper-91 #2). Writing one now raises a WARNING naming the
-- languages its callers will hear in English (the admin sees it; PostgreSQL's log keeps it once). Statement-level
-- triggers: one query per statement, so onboarding thousands of tenants in one INSERT checks them in one pass.

create function private.warn_languages_without_catalog()
  returns trigger
  language plpgsql
  security definer -- the catalog is private: service_role writes configurations but cannot read it
  set search_path = ''
as $$
declare
  v_missing text;
begin
  select pg_catalog.string_agg(l.language, ', ' order by l.language) into v_missing
  from (select c.primary_language as language from new_rows as c where c.is_active -- each language looked up once
        union
        select pg_catalog.unnest(c.secondary_languages) from new_rows as c where c.is_active) as l
  where l.language is not null and private.catalog_language(l.language) is null;
  if v_missing is not null then
    raise warning 'customer_configurations: no message catalog for %: callers are answered in English there', v_missing
      using hint = 'Add the language''s rows to private.message_catalog (README "Languages"), or configure another.';
  end if;
  return null;
end;
$$;
revoke all on function private.warn_languages_without_catalog() from public;

create trigger customer_configurations_languages_inserted
  after insert on public.customer_configurations
  referencing new table as new_rows
  for each statement execute function private.warn_languages_without_catalog();

create trigger customer_configurations_languages_updated
  after update on public.customer_configurations
  referencing new table as new_rows
  for each statement execute function private.warn_languages_without_catalog();
