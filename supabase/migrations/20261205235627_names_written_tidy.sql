-- =====================================================================================================================
-- Section - Service and staff names are written as they are said: no outer spaces, single spaces between words
-- =====================================================================================================================
-- ' AC repair ' passed services_active_name_key beside 'AC repair' (the key is lower(name), spaces kept), and callers
-- heard "We offer:  AC repair , AC repair, …" (helper-91 #4); the tools match names with spacing ignored, so such a
-- name is a twin nobody can tell apart. A name written or changed untidy — outer white space, a run of it, or a
-- non-breaking, next-line or invisible space (helper-95, helper-96) — is now refused (23514, with the tidy form as
-- the hint). A trigger, not a CHECK: rows written before keep working — retiring one (`set is_active = false`), or
-- writing its row back whole (`set name = name`), must not fail on a name nobody is changing (helper-94 #4).

/** Refuses a new or changed name that is not written as it is said, saying how to write it. */
create function private.refuse_untidy_name()
  returns trigger
  language plpgsql
  set search_path = ''
as $$
declare
  v_tidy text := pg_catalog.btrim(pg_catalog.regexp_replace(
    new.name, '[\s\u0085\u00a0\u1680\u180e\u2000-\u200b\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]+', ' ', 'g'));
begin
  if new.name is distinct from v_tidy and (tg_op = 'INSERT' or new.name is distinct from old.name) then
    raise exception '%.name must be written without outer, double or unusual spaces: %', tg_table_name,
      pg_catalog.quote_literal(new.name)
      using errcode = '23514', hint = 'Write it as ' || pg_catalog.quote_literal(v_tidy) || '.';
  end if;
  return new;
end;
$$;
revoke all on function private.refuse_untidy_name() from public;

-- The WHEN clause (an expression, the same test as the function's) spares a bulk insert of tidy names a PL/pgSQL call
-- per row; the function still decides, as only it can see whether an UPDATE changed the name.
create trigger services_name_tidy
  before insert or update of name on public.services
  for each row
  when (new.name is distinct from pg_catalog.btrim(pg_catalog.regexp_replace(
    new.name, '[\s\u0085\u00a0\u1680\u180e\u2000-\u200b\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]+', ' ', 'g')))
  execute function private.refuse_untidy_name();

create trigger staff_members_name_tidy
  before insert or update of name on public.staff_members
  for each row
  when (new.name is distinct from pg_catalog.btrim(pg_catalog.regexp_replace(
    new.name, '[\s\u0085\u00a0\u1680\u180e\u2000-\u200b\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]+', ' ', 'g')))
  execute function private.refuse_untidy_name();
