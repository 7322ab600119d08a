-- A booking refused for its time (closed, past, too soon, too far) ends like a taken slot's refusal: "Nothing was
-- booked." (20261204050100_closed_says_nothing_booked.sql) — and nothing is.
begin;
select plan(6);

-- sun: the first Sunday at least 8 weeks ahead (New York date), when the seed's HVAC companies are closed.
select to_char(s + (7 - extract(isodow from s)::int), 'YYYY-MM-DD') as sun
from (select (now() at time zone 'America/New_York')::date + 56 as s) as s \gset

create temp table rpc (k text primary key, r jsonb);
grant select, insert on rpc to service_role;
select tests.authenticate_as_service_role();
insert into rpc select b.k, public.resolve_org_and_book(b.asst, null, 'call_nb_' || b.k, 'tc_nb_' || b.k, b.args)
from (values
  ('closed', 'asst_hvac_company_assistant', jsonb_build_object('start_time', :'sun' || 'T03:00', 'customer_name', 'Night Caller')),
  ('past', 'asst_hvac_company_assistant', jsonb_build_object('start_time', (current_date - 3)::text || 'T10:00', 'customer_name', 'Late Caller')),
  ('too_far', 'asst_metro_hvac_assistant', jsonb_build_object('start_time', (current_date + 120)::text || 'T10:00', 'customer_name', 'Planner', 'service', 'AC repair')),
  ('closed_es', 'asst_plumbing_company_assistant', jsonb_build_object('start_time', :'sun' || 'T03:00', 'customer_name', 'Noche'))
) as b(k, asst, args);
reset role;

select results_eq($$ select k, r->>'reason' from rpc order by k $$,
  $$ values ('closed', 'outside_hours'), ('closed_es', 'outside_hours'), ('past', 'past_time'), ('too_far', 'beyond_horizon') $$,
  'each booking is refused for its time');
select alike((select r->>'error' from rpc where k = 'closed'), 'We are not open at that time. Nearest open times: %. Nothing was booked.',
  'closed: the nearest open times, then "Nothing was booked."');
select alike((select r->>'error' from rpc where k = 'past'), 'That time has already passed.% Nothing was booked.',
  'past: ends with "Nothing was booked."');
select alike((select r->>'error' from rpc where k = 'too_far'), 'That is too far ahead: %. Nothing was booked.',
  'too far: ends with "Nothing was booked."');
select alike((select r->>'error' from rpc where k = 'closed_es'), 'A esa hora estamos cerrados.% No he reservado nada.',
  'in Spanish: "No he reservado nada."');
select is_empty($$ select 1 from public.appointments where vapi_call_id like 'call_nb_%' $$, 'and nothing was booked');

select * from finish();
rollback;
