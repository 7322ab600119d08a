-- =====================================================================================================================
-- Section - Service and staff names are written as they are said: no outer spaces, single spaces between words
-- =====================================================================================================================
-- ' AC repair ' passed services_active_name_key beside 'AC repair' (the key is lower(name), spaces kept), and callers
-- heard "We offer:  AC repair , AC repair, …" (helper-91 #4); the tools match names with spacing ignored, so such a
-- name is a twin nobody can tell apart. A name written or rewritten untidy is now refused (23514, with the tidy form as
-- the hint). A trigger on the name alone, not a CHECK: rows written before keep working — retiring one
-- (`set is_active = false`) must not fail on a name nobody is changing (helper-94 #4). The test is the WHEN clause, an
-- expression (no function call per row: a bulk onboarding pays what a CHECK would).

/** Refuses the name its trigger's WHEN found untidy, saying how to write it. */
create function private.refuse_untidy_name()
  returns trigger
  language plpgsql
  set search_path = ''
as $$
begin
  raise exception '%.name must be written without outer or double spaces: %', tg_table_name,
    pg_catalog.quote_literal(new.name)
    using errcode = '23514',
          hint = 'Write it as '
                 || pg_catalog.quote_literal(pg_catalog.btrim(pg_catalog.regexp_replace(new.name, '\s+', ' ', 'g')))
                 || '.';
end;
$$;
revoke all on function private.refuse_untidy_name() from public;

create trigger services_name_tidy
  before insert or update of name on public.services
  for each row when (new.name is distinct from pg_catalog.btrim(pg_catalog.regexp_replace(new.name, '\s+', ' ', 'g')))
  execute function private.refuse_untidy_name();

create trigger staff_members_name_tidy
  before insert or update of name on public.staff_members
  for each row when (new.name is distinct from pg_catalog.btrim(pg_catalog.regexp_replace(new.name, '\s+', ' ', 'g')))
  execute function private.refuse_untidy_name();
