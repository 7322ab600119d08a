-- RLS and grants of public.calendar_feeds: a member sees which feeds their organization has (whose, until when,
-- revoked or not) but never a token hash, and writes nothing; another tenant's member and anon see nothing.
begin;
select plan(16);

insert into public.organizations (id, name, timezone) values
  ('46000000-0000-4000-8000-00000000000a', 'Feed RLS A', 'America/New_York'),
  ('46000000-0000-4000-8000-00000000000b', 'Feed RLS B', 'America/Los_Angeles');
insert into public.staff_members (id, organization_id, name) values
  ('46000000-0000-4000-8000-0000000000a1', '46000000-0000-4000-8000-00000000000a', 'Sam A');
select count(*) as feeds from (
  select public.create_calendar_feed('46000000-0000-4000-8000-00000000000a'),
         public.create_calendar_feed('46000000-0000-4000-8000-00000000000a', '46000000-0000-4000-8000-0000000000a1',
                                     now() + interval '30 days'),
         public.create_calendar_feed('46000000-0000-4000-8000-00000000000b')) as f \gset

select count(tests.create_supabase_user(u)) as users from unnest(array['feed_alice', 'feed_bob', 'feed_carol']) as u \gset
insert into public.organization_members (organization_id, user_id, role) values
  ('46000000-0000-4000-8000-00000000000a', tests.get_supabase_uid('feed_alice'), 'member'),
  ('46000000-0000-4000-8000-00000000000b', tests.get_supabase_uid('feed_bob'), 'owner');

select policies_are('public', 'calendar_feeds', array['Members can view their organizations'' calendar feeds'],
  'calendar_feeds has exactly the members'' read policy');
select ok((select c.relrowsecurity from pg_catalog.pg_class as c where c.oid = 'public.calendar_feeds'::regclass),
  'RLS is enabled on calendar_feeds');

-- =====================================================================================================================
-- Section - A member of A
-- =====================================================================================================================
select tests.authenticate_as('feed_alice');
select results_eq($$ select organization_id, staff_member_id, expires_at is not null from public.calendar_feeds
                     where organization_id is not null order by staff_member_id nulls first $$,
  $$ values ('46000000-0000-4000-8000-00000000000a'::uuid, null::uuid, false),
            ('46000000-0000-4000-8000-00000000000a'::uuid, '46000000-0000-4000-8000-0000000000a1'::uuid, true) $$,
  'alice sees her organization''s two feeds (whose, until when) and not B''s');
select lives_ok($$ select id, organization_id, staff_member_id, expires_at, revoked_at, created_at
                   from public.calendar_feeds $$, 'alice may read every metadata column');
select throws_ok($$ select token_hash from public.calendar_feeds $$,
  '42501', 'permission denied for table calendar_feeds', 'alice cannot read a token hash');
select throws_ok($$ select * from public.calendar_feeds $$,
  '42501', 'permission denied for table calendar_feeds', 'select * is refused too (it includes the hash)');
select throws_ok($$ insert into public.calendar_feeds (organization_id, token_hash)
                    values ('46000000-0000-4000-8000-00000000000a', pg_catalog.sha256('mine')) $$,
  '42501', 'permission denied for table calendar_feeds', 'alice cannot add a feed (a token she would choose)');
select throws_ok($$ update public.calendar_feeds set expires_at = null $$,
  '42501', 'permission denied for table calendar_feeds', 'alice cannot extend a feed');
select throws_ok($$ delete from public.calendar_feeds $$,
  '42501', 'permission denied for table calendar_feeds', 'alice cannot delete feeds');
reset role;

-- =====================================================================================================================
-- Section - A member of B, a user of no organization, anon
-- =====================================================================================================================
select tests.authenticate_as('feed_bob');
select results_eq($$ select organization_id from public.calendar_feeds $$,
  $$ values ('46000000-0000-4000-8000-00000000000b'::uuid) $$, 'bob sees only B''s feed');
select is_empty($$ select 1 from public.calendar_feeds where organization_id = '46000000-0000-4000-8000-00000000000a' $$,
  'bob sees none of A''s feeds');
reset role;
select tests.authenticate_as('feed_carol');
select is_empty($$ select 1 from public.calendar_feeds $$, 'a user of no organization sees no feed');
reset role;
select tests.clear_authentication();
select throws_ok($$ select id from public.calendar_feeds $$,
  '42501', 'permission denied for table calendar_feeds', 'anon cannot read calendar_feeds at all');
select throws_ok($$ select public.revoke_calendar_feed('x') $$,
  '42501', 'permission denied for function revoke_calendar_feed', 'anon cannot revoke a feed');
reset role;

-- =====================================================================================================================
-- Section - service_role (the admin's API key) sees and manages everything
-- =====================================================================================================================
select tests.authenticate_as_service_role();
select is((select count(*)::int from public.calendar_feeds
           where organization_id in ('46000000-0000-4000-8000-00000000000a', '46000000-0000-4000-8000-00000000000b')
             and pg_catalog.octet_length(token_hash) = 32), 3, 'service_role sees all three feeds with their hashes');
select lives_ok($$ update public.calendar_feeds set revoked_at = now()
                   where organization_id = '46000000-0000-4000-8000-00000000000b' $$,
  'service_role may revoke feeds by organization (lost token)');
reset role;

select * from finish();
rollback;
