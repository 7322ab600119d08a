-- Another number's appointment is found only with its time: a caller who knows a number can neither cancel nor move
-- that customer's appointment, nor hear its times (20261204080400_another_number_needs_its_time.sql).
begin;
select plan(9);

create function pg_temp.day(n integer) returns text language sql stable
as $$ select to_char((now() at time zone 'America/New_York')::date + n, 'YYYY-MM-DD') $$;
create function pg_temp.call(p_tool text, p_call text, p_args jsonb, p_caller text default null,
                             p_assistant text default 'asst_hvac_company_assistant')
returns jsonb language sql as $$ select tests.tool_call(p_tool, p_assistant, p_call, p_args, p_caller) $$;
create temp table rpc (k text primary key, r jsonb);

-- The victim's two upcoming appointments (weekdays 10 and 11 days ahead are not both weekend days; HVAC is open Mon–Fri).
select d as day1 from (select pg_temp.day(n) as d from generate_series(10, 20) as n) as x
 where extract(isodow from d::date) < 6 limit 1 \gset
select d as day2 from (select pg_temp.day(n) as d from generate_series(21, 30) as n) as x
 where extract(isodow from d::date) < 6 limit 1 \gset
insert into rpc values ('v1', pg_temp.call('book', 'nt_v1', jsonb_build_object('start_time', :'day1' || 'T10:00', 'customer_name', 'Vera'), '+15557770101'));
insert into rpc values ('v2', pg_temp.call('book', 'nt_v2', jsonb_build_object('start_time', :'day2' || 'T10:00', 'customer_name', 'Vera'), '+15557770101'));

insert into rpc values
  ('cancel', pg_temp.call('cancel', 'nt_a1', '{"customer_phone": "+15557770101"}', '+15558880202')),
  ('move', pg_temp.call('reschedule', 'nt_a2', jsonb_build_object('customer_phone', '+1 555 777 0101', 'new_start_time', :'day2' || 'T13:00'), '+15558880202')),
  ('web', pg_temp.call('cancel', 'nt_a3', '{"customer_phone": "+15557770101"}')),
  ('es', pg_temp.call('cancel', 'nt_a4', '{"customer_phone": "+15557770101"}', '+15558880202', 'asst_plumbing_company_assistant'));
select results_eq($$ select k, r->>'reason', r->>'error' from rpc where k in ('cancel', 'move', 'web') order by k $$,
  $$ values ('cancel', 'invalid_arguments', 'To find a booking by that phone number I also need its date and time.'),
            ('move', 'invalid_arguments', 'To find a booking by that phone number I also need its date and time.'),
            ('web', 'invalid_arguments', 'To find a booking by that phone number I also need its date and time.') $$,
  'another caller''s number alone (from another phone, or a call without one) finds nothing: its time is asked for');
select is((select r->>'error' from rpc where k = 'es'),
  'Para encontrar una cita por ese número de teléfono necesito también su fecha y hora.', '… in the call''s language');
select is((select count(*)::int from public.appointments where vapi_call_id in ('nt_v1', 'nt_v2') and is_active), 2,
  'both of the victim''s appointments stand');
select is((select count(*)::int from public.appointments where vapi_call_id like 'nt_a%'), 0, 'and nothing was booked');

-- With the time, as the README says (customer_phone + start_time), another number's appointment is found.
insert into rpc values ('with_time', pg_temp.call('cancel', 'nt_a5',
  jsonb_build_object('customer_phone', '+15557770101', 'start_time', :'day1' || 'T10:00'), '+15558880202'));
select is((select r->>'reason' from rpc where k = 'with_time'), 'cancelled', 'number and time: cancelled');

-- The caller's own number, given or not, still finds their one upcoming appointment (and lists several).
insert into rpc values ('w1', pg_temp.call('book', 'nt_w1', jsonb_build_object('start_time', :'day1' || 'T14:00', 'customer_name', 'Will'), '+15559990303'));
insert into rpc values ('w2', pg_temp.call('book', 'nt_w2', jsonb_build_object('start_time', :'day2' || 'T14:00', 'customer_name', 'Will'), '+15559990303'));
select alike(pg_temp.call('cancel', 'nt_w3', '{}', '+15559990303')->>'error',
  'There are several upcoming appointments for this number: %', 'the caller''s own number: several are listed to them');
select alike(pg_temp.call('cancel', 'nt_w4', '{"customer_phone": "+1 (555) 999-0303"}', '+15559990303')->>'error',
  'There are several upcoming appointments for this number: %', '… also when they say it themselves');
insert into rpc values ('own_time', pg_temp.call('cancel', 'nt_w5', jsonb_build_object('start_time', :'day1' || 'T14:00'), '+15559990303'));
insert into rpc values ('own', pg_temp.call('cancel', 'nt_w6', '{"customer_phone": "+15559990303"}', '+15559990303'));
select results_eq($$ select k, r->>'reason' from rpc where k in ('own_time', 'own') order by k $$,
  $$ values ('own', 'cancelled'), ('own_time', 'cancelled') $$, 'and their one upcoming appointment is cancelled');
select is((select count(*)::int from public.appointments where vapi_call_id in ('nt_w1', 'nt_w2') and is_active), 0,
  'both of the caller''s own appointments are cancelled');

select * from finish();
rollback;
