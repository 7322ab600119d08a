-- A refused move offers open times that count the appointment being moved as free (helper-66 #3), whether the new
-- time is taken or outside hours; the original booking stands and nothing else is written.
begin;
select plan(5);

insert into public.organizations (id, name, timezone) values ('81000000-0000-4000-8000-00000000000a', 'Mover', 'America/New_York');
insert into public.customer_configurations (organization_id, vapi_assistant_id) values
  ('81000000-0000-4000-8000-00000000000a', 'asst_mover');
insert into public.business_hours (organization_id, weekday, opens_at, closes_at)
select '81000000-0000-4000-8000-00000000000a', d, '08:00', '18:00' from generate_series(1, 5) as d;
-- A Tuesday at least two weeks ahead.
select to_char(d + (9 - extract(isodow from d)::int) % 7, 'YYYY-MM-DD') as tue
from (select (now() at time zone 'America/New_York')::date + 14 as d) as x \gset

create function pg_temp.book(p_call text, p_at text) returns text language sql as $$
  select (tests.tool_call('book', 'asst_mover', p_call, jsonb_build_object('start_time', p_at, 'customer_name', 'Kim'))
          ->> 'result')::jsonb ->> 'appointment_id' $$;
select pg_temp.book('move_a', :'tue' || 'T08:00') as a \gset
select pg_temp.book('move_b', :'tue' || 'T09:00') is not null as b_booked \gset
-- The open times a refusal lists (local HH:MM, from their ISO form).
create function pg_temp.offered(p_answer jsonb) returns text language sql as $$
  select string_agg(m[1], ' ' order by m[1]) from regexp_matches(p_answer ->> 'error', 'T(\d\d:\d\d):00', 'g') as m $$;

select ok(:'b_booked'::boolean, 'A at 08:00 and B at 09:00 are booked');
create temp table moved as
select tests.tool_call('reschedule', 'asst_mover', 'move_a1', jsonb_build_object('appointment_id', :'a',
         'new_start_time', :'tue' || 'T08:30')) as taken,
       tests.tool_call('reschedule', 'asst_mover', 'move_a2', jsonb_build_object('appointment_id', :'a',
         'new_start_time', :'tue' || 'T07:30')) as closed;
select is((select taken ->> 'reason' from moved), 'slot_taken', 'moving A to 08:30 overlaps B: refused');
select ok((select pg_temp.offered(taken) ~ '08:00' from moved),
  'its nearest open times include 08:00, A''s own time: ' || (select pg_temp.offered(taken) from moved));
select ok((select closed ->> 'reason' = 'outside_hours' and pg_temp.offered(closed) ~ '^08:00' from moved),
  'moving A to 07:30 (before opening) offers 08:00 first, A''s own time: ' || (select closed ->> 'error' from moved));
select results_eq($$ select status::text, to_char(start_time at time zone 'America/New_York', 'HH24:MI')
                     from public.appointments where organization_id = '81000000-0000-4000-8000-00000000000a'
                     order by start_time $$,
  $$ values ('scheduled', '08:00'), ('scheduled', '09:00') $$, 'both refusals left A and B as they were');

select * from finish();
rollback;
