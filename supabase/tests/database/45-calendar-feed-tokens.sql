-- Calendar feed tokens (issue 15): random, stored only as a SHA-256, revocable, optional expiry, a staff member only
-- of the token's own organization; unknown / revoked / expired tokens all answer null through ONE hash-equality
-- lookup; only DB admins (postgres, service_role) create, revoke and read feeds.
begin;
select plan(37);

insert into public.organizations (id, name, timezone) values
  ('45000000-0000-4000-8000-00000000000a', 'Feed Org A', 'America/New_York'),
  ('45000000-0000-4000-8000-00000000000b', 'Feed Org B', 'Europe/Madrid');
insert into public.staff_members (id, organization_id, name) values
  ('45000000-0000-4000-8000-0000000000a1', '45000000-0000-4000-8000-00000000000a', 'Sam A'),
  ('45000000-0000-4000-8000-0000000000b1', '45000000-0000-4000-8000-00000000000b', 'Bea B');

-- =====================================================================================================================
-- Section - Shape: only a hash is stored
-- =====================================================================================================================
select has_table('public', 'calendar_feeds', 'public.calendar_feeds exists');
select col_type_is('public', 'calendar_feeds', 'token_hash', 'bytea', 'the token is stored as a bytea hash');
select is_empty($$ select column_name from information_schema.columns
                   where table_schema = 'public' and table_name = 'calendar_feeds'
                     and data_type in ('text', 'character varying', 'character') $$,
  'calendar_feeds has no text column that could hold a token');
select function_returns('public', 'create_calendar_feed', array['uuid', 'uuid', 'timestamp with time zone'], 'text',
  'create_calendar_feed(uuid, uuid default null, timestamptz default null) returns the token');

select public.create_calendar_feed('45000000-0000-4000-8000-00000000000a') as org_token \gset
select matches(:'org_token'::text, '^[A-Za-z0-9_-]{43}$', 'a token is 43 base64url characters (32 random bytes)');
select is((select count(*)::int from public.calendar_feeds
           where token_hash = pg_catalog.sha256(pg_catalog.convert_to(:'org_token', 'UTF8'))), 1,
  'the row holds the SHA-256 of the token');
select is((select count(*)::int from public.calendar_feeds
           where position(convert_to(:'org_token', 'UTF8') in token_hash) > 0), 0,
  'the token itself is stored nowhere in the row');
select is((select count(distinct t)::int
           from (select public.create_calendar_feed('45000000-0000-4000-8000-00000000000a') as t
                 from pg_catalog.generate_series(1, 50)) as tokens), 50, '50 new tokens are 50 different tokens');
select is((select staff_member_id from public.calendar_feeds
           where token_hash = private.calendar_feed_token_hash(:'org_token')), null,
  'without a staff member the feed is the whole organization''s');

-- =====================================================================================================================
-- Section - Creation rules
-- =====================================================================================================================
select lives_ok($$ select public.create_calendar_feed('45000000-0000-4000-8000-00000000000a',
                                                      '45000000-0000-4000-8000-0000000000a1') $$,
  'a feed for a staff member of the same organization');
select throws_ok($$ select public.create_calendar_feed('45000000-0000-4000-8000-00000000000a',
                                                       '45000000-0000-4000-8000-0000000000b1') $$,
  '23503', 'create_calendar_feed: staff member 45000000-0000-4000-8000-0000000000b1 does not belong to organization 45000000-0000-4000-8000-00000000000a',
  'another organization''s staff member is refused');
select throws_ok($$ insert into public.calendar_feeds (organization_id, staff_member_id, token_hash)
                    values ('45000000-0000-4000-8000-00000000000a', '45000000-0000-4000-8000-0000000000b1',
                            pg_catalog.sha256('x')) $$,
  '23503', null, 'the table refuses another organization''s staff member too (composite foreign key)');
select throws_ok($$ select public.create_calendar_feed('45000000-0000-4000-8000-0000000000ff') $$,
  '23503', null, 'an unknown organization is refused');
select throws_ok($$ select public.create_calendar_feed('45000000-0000-4000-8000-00000000000a', null, now() - interval '1 second') $$,
  '22023', null, 'an expiry in the past is refused');
select throws_ok($$ insert into public.calendar_feeds (organization_id, token_hash) values ('45000000-0000-4000-8000-00000000000a', '\x00') $$,
  '23514', null, 'a token_hash that is not a SHA-256 is refused');
select is((select count(*)::int from public.calendar_feeds where staff_member_id = '45000000-0000-4000-8000-0000000000b1'), 0,
  'the refused creations wrote nothing');

-- =====================================================================================================================
-- Section - Lookup: valid, unknown, guessed, revoked, expired
-- =====================================================================================================================
select is(public.calendar_feed_events(:'org_token') ->> 'organization_id', '45000000-0000-4000-8000-00000000000a',
  'a valid token opens its organization''s feed');
select is(public.calendar_feed_events(overlay(:'org_token' placing
            case when right(:'org_token', 1) = 'A' then 'B' else 'A' end from 43 for 1)), null,
  'the token with its last character changed opens nothing');
select is(public.calendar_feed_events(left(:'org_token', 42)), null, 'a prefix of the token opens nothing');
select is(public.calendar_feed_events(:'org_token' || 'x'), null, 'the token with one more character opens nothing');
select is(public.calendar_feed_events(''), null, 'the empty string opens nothing');
select is(public.calendar_feed_events(null), null, 'null opens nothing');

select public.create_calendar_feed('45000000-0000-4000-8000-00000000000a', null, now() + interval '1 hour') as expiring \gset
select isnt(public.calendar_feed_events(:'expiring'), null, 'a token before its expiry works');
update public.calendar_feeds set expires_at = now() - interval '1 second'
where token_hash = private.calendar_feed_token_hash(:'expiring');
select is(public.calendar_feed_events(:'expiring'), null, 'an expired token opens nothing');

select public.create_calendar_feed('45000000-0000-4000-8000-00000000000a') as revoked \gset
select is(public.revoke_calendar_feed(:'revoked'), true, 'revoke_calendar_feed answers true for a live feed');
select is(public.calendar_feed_events(:'revoked'), null, 'a revoked token opens nothing');
select is(public.revoke_calendar_feed(:'revoked'), false, 'revoking twice answers false');
select is(public.revoke_calendar_feed('no-such-token'), false, 'revoking an unknown token answers false');
select isnt(public.calendar_feed_events(:'org_token'), null, 'revoking one feed leaves the others working');

-- =====================================================================================================================
-- Section - Guessing: the time taken cannot depend on how much of a token matches (structure, not a stopwatch)
-- =====================================================================================================================
-- The token is used only through its SHA-256, and the hash is found by equality in the unique btree index: a guess
-- sharing a prefix with a real token shares nothing with its hash.
select is((select pg_catalog.array_length(pg_catalog.regexp_split_to_array(p.prosrc, 'p_token'), 1) - 1
           from pg_catalog.pg_proc as p where p.oid = 'public.calendar_feed_events(text)'::regprocedure), 1,
  'calendar_feed_events uses the token exactly once');
select matches((select p.prosrc from pg_catalog.pg_proc as p where p.oid = 'public.calendar_feed_events(text)'::regprocedure),
  'f\.token_hash = private\.calendar_feed_token_hash\(p_token\)', '… and that once is an equality on its hash');
create function pg_temp.plan_of(p_query text) returns text language plpgsql as $$
declare
  v_line text;
  v_plan text := '';
begin
  for v_line in execute 'explain ' || p_query loop
    v_plan := v_plan || v_line || ' ';
  end loop;
  return v_plan;
end;
$$;
set local enable_seqscan = off; -- a handful of rows would make a scan cheaper; the question is what serves the key
select matches(pg_temp.plan_of($$ select 1 from public.calendar_feeds as f
                                  where f.token_hash = private.calendar_feed_token_hash('guess') $$),
  'Index (Only )?Scan using calendar_feeds_token_hash_key', 'the hash is found by a probe of its unique index');
reset enable_seqscan;

-- =====================================================================================================================
-- Section - Who may call the token functions
-- =====================================================================================================================
select tests.clear_authentication();
select throws_ok($$ select public.create_calendar_feed('45000000-0000-4000-8000-00000000000a') $$,
  '42501', 'permission denied for function create_calendar_feed', 'anon cannot create a feed');
select throws_ok($$ select public.calendar_feed_events('x') $$,
  '42501', 'permission denied for function calendar_feed_events', 'anon cannot read a feed through the RPC');
reset role;
select count(tests.create_supabase_user('feed_owner')) as created_users \gset
insert into public.organization_members (organization_id, user_id, role)
values ('45000000-0000-4000-8000-00000000000a', tests.get_supabase_uid('feed_owner'), 'owner');
select tests.authenticate_as('feed_owner');
select throws_ok($$ select public.create_calendar_feed('45000000-0000-4000-8000-00000000000a') $$,
  '42501', 'permission denied for function create_calendar_feed', 'an organization owner (authenticated) cannot create a feed');
select throws_ok($$ select public.revoke_calendar_feed('x') $$,
  '42501', 'permission denied for function revoke_calendar_feed', 'authenticated cannot revoke a feed');
reset role;
select tests.authenticate_as_service_role();
select matches(public.create_calendar_feed('45000000-0000-4000-8000-00000000000b', '45000000-0000-4000-8000-0000000000b1'),
  '^[A-Za-z0-9_-]{43}$', 'service_role creates feeds');
reset role;

select * from finish();
rollback;
