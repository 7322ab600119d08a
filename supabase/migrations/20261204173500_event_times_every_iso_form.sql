-- 20261204164200 read only the extended ISO-8601 form with an upper-case `T` (helper-45): `2026-12-04t16:00:00z`
-- (RFC 3339 allows the lower case), the basic form `20261204T160000Z`, a `UTC`/`GMT` suffix and an offset with seconds
-- had become unreadable. They are dates again; PostgreSQL's special words stay unreadable. CREATE OR REPLACE keeps
-- grants.

/** A written date and time as timestamptz, or null when it is not one (or does not exist). */
create or replace function private.try_timestamptz(p_value text)
  returns timestamptz
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  if p_value !~* '^\s*[0-9]{4}-?[0-9]{2}-?[0-9]{2}([T ][0-9]{2}(:?[0-9]{2}(:?[0-9]{2}(\.[0-9]+)?)?)?)?\s*(Z|UTC|GMT|[+-][0-9]{2}(:?[0-9]{2}(:?[0-9]{2})?)?)?\s*$' then
    return null;
  end if;
  return p_value::timestamptz;
exception
  when others then
    return null;
end;
$$;
