-- An event time is a written date, never one of PostgreSQL's special words (helper-41): `"startedAt": "epoch"` stored
-- 1970-01-01 and a 57-year call; `now`, `today`, `tomorrow`, `allballs` and Julian days (`J2451187`) were read as real
-- times too. Only an ISO-8601-like date (a time and an offset optional) is cast; anything else is unreadable (null),
-- as `2026-02-30` already was. CREATE OR REPLACE keeps grants.

/** A written date and time as timestamptz, or null when it is not one (or does not exist). */
create or replace function private.try_timestamptz(p_value text)
  returns timestamptz
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  if p_value !~ '^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?)?\s*(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)?\s*$' then
    return null;
  end if;
  return p_value::timestamptz;
exception
  when others then
    return null;
end;
$$;
