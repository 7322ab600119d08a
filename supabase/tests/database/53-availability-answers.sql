-- check_availability answers a caller can act on (20261204020000–020200): a window past the booking horizon says
-- so, `from` = `to` asks about that one start, an empty `duration_minutes` is an absent one, and the hour a fall-back
-- day repeats is offered both times.
begin;
select plan(13);

\set hvac '''d91e4aa4-914a-4d76-b5b7-2ee26e09b2a2'''
-- tue: the first Tuesday at least 8 weeks ahead (New York date); far: 120 days ahead (Metro HVAC takes 90 days).
select to_char(s + (9 - extract(isodow from s)::int) % 7, 'YYYY-MM-DD') as tue,
       to_char(s + 64, 'YYYY-MM-DD') as far
from (select (now() at time zone 'America/New_York')::date + 56 as s) as s \gset
-- Next year's US DST Sundays: spring forward (2nd Sunday of March), fall back (1st Sunday of November).
select to_char(make_date(y, 3, 1) + (7 - extract(dow from make_date(y, 3, 1))::int) % 7 + 7, 'YYYY-MM-DD') as sp_sun,
       to_char(make_date(y, 11, 1) + (7 - extract(dow from make_date(y, 11, 1))::int) % 7, 'YYYY-MM-DD') as fa_sun
from (select extract(year from now())::int + 1 as y) as y \gset

-- A New York organization open around the clock (no hours), taking bookings ten years ahead.
insert into public.organizations (id, name, timezone, max_advance_days) values
  ('53000000-0000-4000-8000-00000000000a', 'Night Owl NY', 'America/New_York', 3650);
insert into public.customer_configurations (organization_id, vapi_assistant_id)
values ('53000000-0000-4000-8000-00000000000a', 'asst_night_owl');

create temp table rpc (k text primary key, r jsonb);
grant select, insert on rpc to service_role;
select tests.authenticate_as_service_role();
insert into rpc values ('taken_first', public.resolve_org_and_book('asst_hvac_company_assistant', null, 'call_aa1', 'tc_b1',
  jsonb_build_object('start_time', :'tue' || 'T11:00', 'customer_name', 'Early Bird')));
insert into rpc select c.k, public.resolve_org_and_check_availability(c.asst, null, 'call_aa1', 'tc_' || c.k, c.args)
from (values
  ('beyond', 'asst_metro_hvac_assistant', jsonb_build_object('date', (current_date + 120)::text)),
  ('beyond_es', 'asst_plumbing_company_assistant', jsonb_build_object('date', (current_date + 400)::text)),
  ('within', 'asst_metro_hvac_assistant', jsonb_build_object('date', (current_date + 30)::text)),
  ('one_free', 'asst_hvac_company_assistant', jsonb_build_object('from', :'tue' || 'T10:00', 'to', :'tue' || 'T10:00')),
  ('one_taken', 'asst_hvac_company_assistant', jsonb_build_object('from', :'tue' || 'T11:00', 'to', :'tue' || 'T11:00')),
  ('blank_length', 'asst_hvac_company_assistant', jsonb_build_object('date', :'tue', 'duration_minutes', ' ')),
  ('fall_back', 'asst_night_owl', jsonb_build_object('from', :'fa_sun' || 'T05:00:00Z', 'to', :'fa_sun' || 'T06:30:00Z',
                                                     'duration_minutes', 30)),
  ('old_from', 'asst_night_owl', jsonb_build_object('from', (current_date - 400)::text, 'to', (current_date + 7)::text)),
  ('spring', 'asst_night_owl', jsonb_build_object('from', :'sp_sun' || 'T06:00:00Z', 'to', :'sp_sun' || 'T08:00:00Z',
                                                  'duration_minutes', 30))) as c(k, asst, args);
insert into rpc values ('blank_book', public.resolve_org_and_book('asst_hvac_company_assistant', null, 'call_aa1', 'tc_b2',
  jsonb_build_object('start_time', :'tue' || 'T14:00', 'customer_name', 'Blank Length', 'duration_minutes', '')));
reset role;

-- Past the horizon: the booking tool's sentence and reason, in the call's language.
select results_eq($$ select (r->>'ok')::boolean, r->>'reason', r->>'error' from rpc where k = 'beyond' $$,
  $$ values (false, 'beyond_horizon', 'That is too far ahead: we take bookings up to 90 days in advance. Nothing was booked by this check.') $$,
  'a day past the horizon (Metro HVAC, 90 days): "too far ahead", not "no open times"');
select results_eq($$ select (r->>'ok')::boolean, r->>'reason', r->>'error' from rpc where k = 'beyond_es' $$,
  $$ values (false, 'beyond_horizon', 'Esa fecha queda demasiado lejos: solo reservamos con hasta 365 días de antelación. Esta consulta no ha reservado nada.') $$,
  'past the horizon in Spanish (Plumbing, 365 days)');
select isnt((select r->>'reason' from rpc where k = 'within'), 'beyond_horizon', 'a day inside the horizon is looked at');

-- from = to: that one start.
select matches((select r->>'result' from rpc where k = 'one_free'),
  '^Open times: Tuesday, [A-Za-z]+ [0-9]+ at 10:00 AM \(' || :'tue' || 'T10:00:00-0[45]:00\)\. Times are in New York time\.',
  'from = to at a free 10:00: that one time is open');
select is((select r->>'reason' from rpc where k = 'one_free'), 'available', 'from = to, free: reason available');
select results_eq($$ select r->>'reason', (r->>'result') like 'There are no open times then.%' from rpc where k = 'one_taken' $$,
  $$ values ('unavailable', true) $$, 'from = to at a taken 11:00: no open times then (and the next ones)');

-- duration_minutes "" (or white space) is absent: the default length.
select is((select r->>'reason' from rpc where k = 'blank_length'), 'available', 'check_availability: blank length is the default');
select is((select r->>'reason' from rpc where k = 'blank_book'), 'booked', 'book_appointment: duration_minutes "" books');
select is((select end_time - start_time from public.appointments where tool_call_id = 'tc_b2'), interval '60 minutes',
  'book_appointment: duration_minutes "" takes the organization''s default length (60 minutes)');

-- DST: real instants on a grid from the top of the local hour.
select matches((select r->>'result' from rpc where k = 'fall_back'),
  'at 1:00 AM, before the clocks go back \(' || :'fa_sun' || 'T01:00:00-04:00\).* at 1:30 AM, before the clocks go back \('
    || :'fa_sun' || 'T01:30:00-04:00\).* at 1:00 AM, after the clocks go back \(' || :'fa_sun' || 'T01:00:00-05:00\)\.',
  'fall back: 01:00 and 01:30 EDT are offered, then 01:00 EST (the repeated hour, both times)');
select unalike((select r->>'result' from rpc where k = 'fall_back'), '%T01:30:00-05:00%',
  'fall back: 01:30 EST (06:30Z) is the window''s end, not offered');
select matches((select r->>'result' from rpc where k = 'spring'),
  'T01:00:00-05:00\).*T01:30:00-05:00\).*T03:00:00-04:00\).*T03:30:00-04:00\)\.',
  'spring forward: 01:00, 01:30 EST then 03:00, 03:30 EDT (on the grid, no 02:xx)');

-- A window that starts long ago still looks at the days ahead.
select is((select r->>'reason' from rpc where k = 'old_from'), 'available',
  'from 400 days ago to next week (open around the clock): open times, not "none" (the month counts from now)');

select * from finish();
rollback;
