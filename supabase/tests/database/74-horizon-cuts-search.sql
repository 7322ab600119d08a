-- "No open times in the two weeks from then" only when those weeks could be booked (20261204150330_horizon_cuts_search.sql):
-- a search the booking horizon cut short says the horizon instead, for a refused booking and for availability alike.
begin;
select plan(5);

insert into public.organizations (id, name, timezone, max_advance_days) values
  ('74000000-0000-4000-8000-00000000000a', 'Near Horizon', 'UTC', 20),
  ('74000000-0000-4000-8000-00000000000b', 'Far Horizon', 'UTC', 365),
  ('74000000-0000-4000-8000-00000000000c', 'Horizonte Cercano', 'UTC', 20);
insert into public.customer_configurations (organization_id, vapi_assistant_id) values
  ('74000000-0000-4000-8000-00000000000a', 'asst_near_horizon'), ('74000000-0000-4000-8000-00000000000b', 'asst_far_horizon');
insert into public.customer_configurations (organization_id, vapi_assistant_id, primary_language) values
  ('74000000-0000-4000-8000-00000000000c', 'asst_horizonte', 'es');
-- Both are open round the clock except on closed dates: from day 14 to day 40 from today.
insert into public.closed_dates (organization_id, closed_on)
select o, current_date + d from generate_series(14, 40) as d,
  unnest(array['74000000-0000-4000-8000-00000000000a', '74000000-0000-4000-8000-00000000000b',
                '74000000-0000-4000-8000-00000000000c']::uuid[]) as o;
select (current_date + 16)::text as day \gset
create function pg_temp.call(p_assistant text, p_tool text, p_call text, p_args jsonb) returns text language sql
as $$ select coalesce(r->>'reason', '') || ' ' || coalesce(r->>'result', r->>'error', '')
      from tests.tool_call(p_tool, p_assistant, p_call, p_args) as r $$;

select alike(pg_temp.call('asst_near_horizon', 'book', 'nh_1', jsonb_build_object('start_time', :'day' || 'T10:00', 'customer_name', 'Ivy')),
  'outside_hours %from then until the end of our booking window: we take bookings up to 20 days in advance.%',
  'a refused booking whose two weeks run past the horizon says the horizon');
select unalike(pg_temp.call('asst_near_horizon', 'book', 'nh_2', jsonb_build_object('start_time', :'day' || 'T11:00', 'customer_name', 'Ivy')),
  '%two weeks from then%', '… not "no open times in the two weeks from then"');
select alike(pg_temp.call('asst_near_horizon', 'check', 'nh_3', jsonb_build_object('date', :'day')),
  'unavailable We are closed that day. There are no open times from then until the end of our booking window%',
  'availability too (that day is a closed date: 20261204214520)');
select alike(pg_temp.call('asst_far_horizon', 'book', 'fh_1', jsonb_build_object('start_time', :'day' || 'T10:00', 'customer_name', 'Jon')),
  'outside_hours %There are no open times in the two weeks from then.%', 'within the horizon: two weeks with nothing open, as before');
select alike(pg_temp.call('asst_horizonte', 'check', 'hz_1', jsonb_build_object('date', :'day')),
  'unavailable %desde entonces hasta el final de nuestro plazo de reservas: solo reservamos con hasta 20 días de antelación.%',
  'in Spanish');

select * from finish();
rollback;
