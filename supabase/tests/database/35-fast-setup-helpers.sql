-- Fast setup helpers (issue 13): the organizations time-zone check reads private.iana_time_zones instead of scanning
-- pg_timezone_names, and the small helpers that run on every tool call are plpgsql (plans cached per session) with
-- the same answers as before, still with an empty search_path.
begin;
select plan(40);

-- =====================================================================================================================
-- Section - private.is_iana_timezone and the zone table
-- =====================================================================================================================
select ok((select count(*) > 300 from private.iana_time_zones), 'the zone table holds the server''s IANA region zones');
select ok(not exists (select 1 from private.iana_time_zones where name ~ '^(posix|right|SystemV)/' or name !~ '/|^UTC$'),
  'the zone table holds no posix/right/SystemV names and no abbreviations');

select is(private.is_iana_timezone(c.name), c.want, c.what)
from (values
  ('America/New_York', true, 'a region zone is IANA'),
  ('UTC', true, 'UTC is accepted'),
  ('America/Argentina/Buenos_Aires', true, 'a three-part zone is IANA'),
  ('Etc/GMT+5', true, 'an Etc zone from the database is IANA'),
  ('america/new_york', false, 'the wrong letter case is refused (exact names only)'),
  ('EST', false, 'an abbreviation is refused'),
  ('EST5EDT', false, 'a POSIX-style legacy zone is refused'),
  ('posix/America/New_York', false, 'posix/ copies are refused'),
  ('Mars/Olympus_Mons', false, 'an unknown region is refused'),
  ('+05:00', false, 'an offset is refused'),
  ('', false, 'an empty name is refused')
) as c(name, want, what);
select is(private.is_iana_timezone(null), false, 'null is refused (false, so the CHECK fails rather than passes)');

-- A zone the server knows but the table lacks (tzdata updated after the migration) is still accepted.
delete from private.iana_time_zones where name = 'Europe/Lisbon';
select is(private.is_iana_timezone('Europe/Lisbon'), true, 'a zone missing from the table falls back to pg_timezone_names');

select lives_ok($$ insert into public.organizations (name, timezone)
  select 'Bulk ' || g, 'America/Chicago' from generate_series(1, 500) as g $$,
  'a bulk insert of organizations in a valid zone passes the CHECK');
select throws_ok($$ insert into public.organizations (name, timezone) values ('Typo Inc', 'America/Chicgo') $$,
  '23514', null, 'an organization in an unknown zone is still refused by the CHECK');
select throws_ok($$ update public.organizations set timezone = 'EST' where name = 'Bulk 1' $$,
  '23514', null, 'changing an organization to an abbreviation is still refused');

-- =====================================================================================================================
-- Section - the same answers as before
-- =====================================================================================================================
select is(private.normalize_e164(c.raw), c.want, c.what)
from (values
  ('+1 (555) 010-0001', '+15550100001', 'spaces, brackets and dashes are removed'),
  ('0044 20 7946 0958', '+442079460958', 'a leading 00 becomes +'),
  ('  +1.555.010.0002 ', '+15550100002', 'dots and surrounding blanks are removed'),
  ('555-0100', null, 'a number without a country code is not E.164'),
  ('+0 555 010 0001', null, 'a country code cannot start with 0'),
  ('+44 (0)7700 900124', '+447700900124', 'a trunk 0 written after the calling code goes (UK)'),
  ('+49 0151 12345678', '+4915112345678', '… also without brackets (Germany)'),
  ('+353 (0)87 123 4567', '+353871234567', '… after a three-digit code (Ireland)'),
  ('+39 06 1234 5678', '+390612345678', 'Italy''s 0 belongs to the number: kept'),
  ('+229 01 95 12 34 56', '+2290195123456', '… as Benin''s (since 2024)'),
  ('+241 06 03 12 34', '+24106031234', '… and Gabon''s'),
  ('+1 202 555 0100', '+12025550100', 'a 0 inside a +1 number is not a trunk 0'),
  ('+44 20 7946 0958', '+442079460958', 'a 0 later in the number stays')
) as c(raw, want, what);
select is(private.normalize_e164(null), null, 'null stays null');

select is(private.to_local_iso('2027-01-08 20:30Z', 'America/New_York'), '2027-01-08T15:30:00-05:00',
  'to_local_iso: a negative offset');
select is(private.to_local_iso('2027-01-08 20:30Z', 'Asia/Kolkata'), '2027-01-09T02:00:00+05:30',
  'to_local_iso: a half-hour positive offset');
select is(to_regprocedure('private.to_spoken_time(timestamptz, text)'), null,
  'to_spoken_time is gone (unused: the tools speak through private.spoken_time)');
select is(private.parse_duration_minutes('"45"', 30), 45, 'parse_duration_minutes: a string number');
select is(private.parse_duration_minutes('1000', 30), null, 'parse_duration_minutes: out of range → null');
select is(private.json_number('"5"'), null, 'json_number: a JSON string is not a number');
select is(private.call_status_rank('ended') > private.call_status_rank('ringing'), true, 'call_status_rank: ended is later');

-- =====================================================================================================================
-- Section - how they run
-- =====================================================================================================================
select is(array_agg(p.proname::text order by p.proname), array[
    'call_status_rank', 'catalog_language', 'current_user_organization_ids', 'is_iana_timezone', 'json_number',
    'normalize_e164', 'parse_duration_minutes', 'to_local_iso'],
  'the helpers are plpgsql with search_path = ''''')
from pg_catalog.pg_proc as p
where p.pronamespace = 'private'::regnamespace
  and p.proname in ('call_status_rank', 'catalog_language', 'current_user_organization_ids', 'is_iana_timezone',
                    'json_number', 'normalize_e164', 'parse_duration_minutes', 'to_local_iso')
  and p.prolang = (select oid from pg_catalog.pg_language where lanname = 'plpgsql')
  and p.proconfig = array['search_path=""'];

select * from finish();
rollback;
