-- A booking refused for its time (closed, past, too soon, too far) ends like a taken slot's refusal: "Nothing was
-- booked." (20261204050100_closed_says_nothing_booked.sql) — and nothing is.
begin;
select plan(8);

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
select alike((select r->>'error' from rpc where k = 'closed'), 'We are closed that day. Nearest open times: %. Nothing was booked.',
  'closed: the nearest open times, then "Nothing was booked."');
select alike((select r->>'error' from rpc where k = 'past'), 'That time has already passed: it is now % Nothing was booked.',
  'past: ends with "Nothing was booked."');
select alike((select r->>'error' from rpc where k = 'too_far'), 'That is too far ahead: %. Nothing was booked.',
  'too far: ends with "Nothing was booked."');
select alike((select r->>'error' from rpc where k = 'closed_es'), 'Ese día estamos cerrados.% No he reservado nada.',
  'in Spanish: "No he reservado nada."');
select is_empty($$ select 1 from public.appointments where vapi_call_id like 'call_nb_%' $$, 'and nothing was booked');

-- This call's own booking, asked for again (a new tool call id) once the notice window has moved past it: confirmed,
-- not refused with "Nothing was booked.".
-- soon: 13:00 on the first weekday at least 2 days ahead (at most 4), when HVAC is open.
select to_char(s + case extract(isodow from s)::int when 6 then 2 when 7 then 1 else 0 end + time '13:00',
               'YYYY-MM-DD"T"HH24:MI') as soon
from (select (now() at time zone 'America/New_York')::date + 2 as s) as s \gset
update public.organizations set min_notice_minutes = 60 where id = 'd91e4aa4-914a-4d76-b5b7-2ee26e09b2a2';
select tests.authenticate_as_service_role();
insert into rpc values ('own_1', public.resolve_org_and_book('asst_hvac_company_assistant', null, 'call_nb_own', 'tc_own_1',
  jsonb_build_object('start_time', :'soon', 'customer_name', 'Nora Notice')));
reset role;
update public.organizations set min_notice_minutes = 5 * 24 * 60 where id = 'd91e4aa4-914a-4d76-b5b7-2ee26e09b2a2';
select tests.authenticate_as_service_role();
insert into rpc values ('own_2', public.resolve_org_and_book('asst_hvac_company_assistant', null, 'call_nb_own', 'tc_own_2',
  jsonb_build_object('start_time', :'soon', 'customer_name', 'Nora Notice')));
reset role;
select results_eq($$ select k, (r->>'ok')::boolean, r->>'reason' from rpc where k like 'own_%' order by k $$,
  $$ values ('own_1', true, 'booked'), ('own_2', true, 'already_booked') $$,
  'asked again after the notice window moved past it, the call''s own booking is confirmed');
select is((select count(*)::int from public.appointments where vapi_call_id = 'call_nb_own'), 1, 'and made once');

select * from finish();
rollback;
