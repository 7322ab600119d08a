-- check_availability reads a range's ends given as wall-clock times as opening hours are read (20261206082257,
-- helper-120 #2): an end a spring-forward night skips is the jump itself (not the hour after, as a start time is read),
-- and a `to` the clock shows twice on a fall-back night is the pass at or after `from`. `from` = `to` is still the one
-- start a booking of that time takes. A New York organization open round the clock.
begin;
select plan(6);

select tests.create_organization('Round The Clock', 'America/New_York', 'asst_dst_range') as org \gset
create function pg_temp.night(p_hours int) returns text language sql as $$
  select to_char(d, 'YYYY-MM-DD')
  from generate_series((now() at time zone 'America/New_York')::date + 2, (now() at time zone 'America/New_York')::date + 400,
                       interval '1 day') as d
  where ((d + interval '1 day')::timestamp at time zone 'America/New_York')
        - (d::timestamp at time zone 'America/New_York') = make_interval(hours => p_hours)
  order by d limit 1
$$;
select pg_temp.night(23) as spring, pg_temp.night(25) as fall \gset
create function pg_temp.check(p_id text, p_args jsonb) returns jsonb language sql as $$
  select tests.tool_call('check', 'asst_dst_range', 'dst_range_' || p_id, p_args)
$$;

select pg_temp.check('a', jsonb_build_object('from', :'spring' || 'T02:30', 'to', :'spring' || 'T03:15',
                                             'duration_minutes', 30)) as a \gset
select ok(:'a'::jsonb ->> 'reason' = 'available' and strpos(:'a'::jsonb ->> 'result', '3:00 AM') > 0,
  'from a skipped 2:30 to 3:15: from the jump, 3:00 is offered (was "the end is before the start"): '
  || coalesce(:'a'::jsonb ->> 'result', :'a'::jsonb ->> 'error'));
select pg_temp.check('b', jsonb_build_object('from', :'spring' || 'T02:30', 'to', :'spring' || 'T03:30',
                                             'duration_minutes', 30)) as b \gset
select ok(strpos(:'b'::jsonb ->> 'result', 'Open times: ') > 0 and strpos(:'b'::jsonb ->> 'result', '3:00 AM') > 0,
  'from 2:30 to 3:30: a range from the jump (3:00 offered), not the one start 3:30: ' || (:'b'::jsonb ->> 'result'));
select pg_temp.check('c', jsonb_build_object('from', :'spring' || 'T01:45', 'to', :'spring' || 'T02:45',
                                             'duration_minutes', 30)) as c \gset
select ok(strpos(:'c'::jsonb ->> 'result', '1:45 AM') > 0 and strpos(:'c'::jsonb ->> 'result', '3:00 AM') = 0
          and strpos(:'c'::jsonb ->> 'result', '3:30 AM') = 0,
  'from 1:45 to a skipped 2:45: the range ends at the jump, nothing after it offered: ' || (:'c'::jsonb ->> 'result'));
select pg_temp.check('d', jsonb_build_object('from', :'fall' || 'T01:30-05:00', 'to', :'fall' || 'T01:45',
                                             'duration_minutes', 15)) as d \gset
select ok(:'d'::jsonb ->> 'reason' = 'available' and strpos(:'d'::jsonb ->> 'result', '1:30 AM') > 0,
  'from the second 1:30 to 1:45: the second 1:45 ends it (was "the end is before the start"): '
  || coalesce(:'d'::jsonb ->> 'result', :'d'::jsonb ->> 'error'));
select pg_temp.check('e', jsonb_build_object('from', :'spring' || 'T02:30', 'to', :'spring' || 'T02:30')) as e \gset
select ok(strpos(:'e'::jsonb ->> 'result', '3:30 AM') > 0,
  'is 2:30 free? on that night: the one start a booking of 2:30 takes, 3:30: ' || (:'e'::jsonb ->> 'result'));
select is(tests.tool_call('book', 'asst_dst_range', 'dst_range_book', jsonb_build_object('start_time', :'spring' || 'T02:30',
            'customer_name', 'Jump Test', 'duration_minutes', 30)) ->> 'result' like '%3:30 AM%', true,
  '… which is where a booking of it lands');

select * from finish();
rollback;
