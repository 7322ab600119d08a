-- A staff member made inactive (someone who left) has their feed answer as a revoked one does — null, the same 404 —
-- while inactive, and again when made active; the organization's whole feed still shows their jobs. A new feed for an
-- inactive staff member is refused, saying why. Another organization's feed is untouched.
begin;
select plan(8);

insert into public.organizations (id, name, timezone) values
  ('a2000000-0000-4000-8000-00000000000a', 'Feed Org', 'America/New_York'),
  ('a2000000-0000-4000-8000-00000000000b', 'Other Org', 'Europe/London');
insert into public.staff_members (id, organization_id, name) values
  ('a2000000-0000-4000-8000-0000000000a1', 'a2000000-0000-4000-8000-00000000000a', 'Sam'),
  ('a2000000-0000-4000-8000-0000000000a2', 'a2000000-0000-4000-8000-00000000000a', 'Kim'),
  ('a2000000-0000-4000-8000-0000000000b1', 'a2000000-0000-4000-8000-00000000000b', 'Sam');
insert into public.appointments (organization_id, staff_member_id, start_time, end_time, customer_name)
values ('a2000000-0000-4000-8000-00000000000a', 'a2000000-0000-4000-8000-0000000000a1',
        date_trunc('hour', now()) + interval '2 days', date_trunc('hour', now()) + interval '2 days 1 hour', 'Ann');

select public.create_calendar_feed('a2000000-0000-4000-8000-00000000000a', 'a2000000-0000-4000-8000-0000000000a1')
  as sam \gset
select public.create_calendar_feed('a2000000-0000-4000-8000-00000000000a', 'a2000000-0000-4000-8000-0000000000a2')
  as kim \gset
select public.create_calendar_feed('a2000000-0000-4000-8000-00000000000a') as whole \gset
select public.create_calendar_feed('a2000000-0000-4000-8000-00000000000b', 'a2000000-0000-4000-8000-0000000000b1')
  as other \gset

select is(jsonb_array_length(public.calendar_feed_events(:'sam') -> 'events'), 1, 'an active staff member''s feed serves');

update public.staff_members set is_active = false where id = 'a2000000-0000-4000-8000-0000000000a1';
select is(public.calendar_feed_events(:'sam'), null, 'made inactive: their feed answers as a revoked one (null → 404)');
select isnt(public.calendar_feed_events(:'kim'), null, 'another staff member''s feed still serves');
select is(jsonb_array_length(public.calendar_feed_events(:'whole') -> 'events'), 1,
  'the organization''s whole feed still shows the inactive member''s job');
select isnt(public.calendar_feed_events(:'other'), null, 'another organization''s feed is untouched');
select throws_ok(
  $$select public.create_calendar_feed('a2000000-0000-4000-8000-00000000000a', 'a2000000-0000-4000-8000-0000000000a1')$$,
  '22023', 'create_calendar_feed: staff member a2000000-0000-4000-8000-0000000000a1 is inactive (their feed would serve nothing)',
  'a new feed for an inactive staff member is refused, saying why');

update public.staff_members set is_active = true where id = 'a2000000-0000-4000-8000-0000000000a1';
select is(jsonb_array_length(public.calendar_feed_events(:'sam') -> 'events'), 1, 'made active again: the same URL serves');
select lives_ok(
  $$select public.create_calendar_feed('a2000000-0000-4000-8000-00000000000a', 'a2000000-0000-4000-8000-0000000000a1')$$,
  'an active staff member gets a new feed');

select * from finish();
rollback;
