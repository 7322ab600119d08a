-- =====================================================================================================================
-- Section - Service and staff names are written as they are said: no outer spaces, single spaces between words
-- =====================================================================================================================
-- ' AC repair ' passed services_active_name_key beside 'AC repair' (the key is lower(name), spaces kept), and callers
-- heard "We offer:  AC repair , AC repair, …" (helper-91 #4); the tools match names with spacing ignored, so such a
-- name is a duplicate nobody can tell apart. A name is now refused unless written tidy. NOT VALID: rows written
-- before are kept as they are (their next UPDATE must tidy them); `update services set name = …` tidies one.

alter table public.services
  add constraint services_name_tidy
  check (name = pg_catalog.btrim(pg_catalog.regexp_replace(name, '\s+', ' ', 'g'))) not valid;

alter table public.staff_members
  add constraint staff_members_name_tidy
  check (name = pg_catalog.btrim(pg_catalog.regexp_replace(name, '\s+', ' ', 'g'))) not valid;
