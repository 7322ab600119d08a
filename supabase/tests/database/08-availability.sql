-- check_availability through public.resolve_org_and_check_availability (*_availability_rpc.sql): open start times
-- of the resolved tenant in its own zone, booked slots excluded, closed days answered with the next open times,
-- past and unreadable dates refused, nothing ever booked, replays identical.
-- Dates are relative to now() (psql variables below): a winter week at least 8 weeks ahead, when New York is on EST.
begin;
select plan(28);

-- Seeded HVAC Company: America/New_York, Mon–Fri 08:00–18:00, 30-minute grid, 60-minute appointments.
\set hvac '''d91e4aa4-914a-4d76-b5b7-2ee26e09b2a2'''

-- tue, wed, thu, sun of a week and mon2, the Monday after (YYYY-MM-DD, New York dates), all on EST (-05:00): the week of
-- the first Monday at least 8 weeks ahead when that Monday falls between January 1 and February 20, else of the first
-- Monday of the next January. *_md: the same dates as spoken ("January 26").
select to_char(m + 1, 'YYYY-MM-DD') as tue, to_char(m + 2, 'YYYY-MM-DD') as wed, to_char(m + 3, 'YYYY-MM-DD') as thu,
       to_char(m + 6, 'YYYY-MM-DD') as sun, to_char(m + 7, 'YYYY-MM-DD') as mon2,
       to_char(m + 1, 'FMMonth FMDD') as tue_md, to_char(m + 2, 'FMMonth FMDD') as wed_md,
       to_char(m + 3, 'FMMonth FMDD') as thu_md, to_char(m + 7, 'FMMonth FMDD') as mon2_md
from (select case when extract(month from m1) <= 2 and m1 <= make_date(extract(year from m1)::int, 2, 20) then m1
                  else make_date(extract(year from m1)::int + 1, 1, 1)
                       + (8 - extract(isodow from make_date(extract(year from m1)::int + 1, 1, 1))::int) % 7 end as m
      from (select s + (8 - extract(isodow from s)::int) % 7 as m1
            from (select (now() at time zone 'America/New_York')::date + 56 as s) as s) as m1) as m \gset
-- past_mon: last week's Monday (an HVAC working day, over).
select to_char(date_trunc('week', now() at time zone 'America/New_York')::date - 7, 'YYYY-MM-DD') as past_mon \gset

-- Wednesday 08:00–09:30 is already booked.
insert into public.appointments (organization_id, start_time, end_time, customer_name)
values (:hvac, (:'wed' || ' 08:00-05')::timestamptz, (:'wed' || ' 09:30-05')::timestamptz, 'Early Bird');

create temp table rpc (k text primary key, r jsonb);
grant select, insert on rpc to service_role;

-- =====================================================================================================================
-- Section - service_role asks the HVAC assistant
-- =====================================================================================================================
select tests.authenticate_as_service_role();
insert into rpc select c.k, public.resolve_org_and_check_availability('asst_hvac_company_assistant', null, 'call_av1', 'tc_' || c.k, c.args)
from (values
  ('tuesday', jsonb_build_object('date', :'tue')),
  ('wednesday', jsonb_build_object('date', :'wed')),
  ('sunday', jsonb_build_object('date', :'sun')),
  ('window', jsonb_build_object('from', :'thu' || 'T14:00', 'to', :'thu' || 'T16:00')),
  ('past', jsonb_build_object('date', :'past_mon')),
  ('garbage', jsonb_build_object('date', 'next tuesday')),
  ('date_time', jsonb_build_object('date', :'tue' || 'T16:30:00')),
  ('date_late', jsonb_build_object('date', :'tue' || 'T23:00')),
  ('date_utc', jsonb_build_object('date', :'tue' || 'T00:00:00.000Z')),
  ('reversed', jsonb_build_object('from', :'thu' || 'T16:00', 'to', :'thu' || 'T14:00')),
  ('window5', jsonb_build_object('from', :'thu' || 'T14:00', 'to', :'thu' || 'T16:30')),
  ('window6', jsonb_build_object('from', :'thu' || 'T14:00', 'to', :'thu' || 'T17:00'))) as c(k, args);
insert into rpc values ('by_line', public.resolve_org_and_check_availability(null, '+1 (555) 010-0001', 'call_av2', 'tc_1',
  jsonb_build_object('date', :'tue')));
insert into rpc values ('es_day', public.resolve_org_and_check_availability('asst_plumbing_company_assistant', null, 'call_av4',
  'tc_1', jsonb_build_object('date', :'tue')));
insert into rpc values ('unknown', public.resolve_org_and_check_availability('asst_nobody', null, 'call_av3', 'tc_1',
  jsonb_build_object('date', :'tue')));
reset role;

select results_eq($$ select (r->>'ok')::boolean, r->>'reason', r->>'resolved_by', r->>'organization_id', r->>'error' from rpc where k = 'tuesday' $$,
  $$ values (true, 'available', 'assistant_id', 'd91e4aa4-914a-4d76-b5b7-2ee26e09b2a2', null::text) $$,
  'date (Tuesday): ok, reason available, resolved by assistant id, HVAC, no error');
select is((select r->>'result' from rpc where k = 'tuesday'),
  format('Open times: Tuesday, %1$s at 8:00 AM (%2$sT08:00:00-05:00); Tuesday, %1$s at 8:30 AM (%2$sT08:30:00-05:00); '
    || 'Tuesday, %1$s at 9:00 AM (%2$sT09:00:00-05:00); Tuesday, %1$s at 9:30 AM (%2$sT09:30:00-05:00); '
    || 'Tuesday, %1$s at 10:00 AM (%2$sT10:00:00-05:00). There are more open times after these. '
    || 'Times are in New York time. Nothing was booked by this check.', :'tue_md', :'tue'),
  'date (Tuesday): the first five open times from opening, spoken and ISO with New York''s offset, and that more follow');
select alike((select r->>'result' from rpc where k = 'tuesday'), '% Times are in New York time. %',
  'date (Tuesday): the text names the zone ("Times are in America/New_York")');
select alike((select r->>'result' from rpc where k = 'tuesday'), '%Nothing was booked by this check.',
  'date (Tuesday): the text says nothing has been booked yet');
select unalike((select r->>'result' from rpc where k = 'tuesday'), E'%\n%', 'date (Tuesday): the result is a single line');

-- Booked slots are excluded.
select alike((select r->>'result' from rpc where k = 'wednesday'),
  format('Open times: Wednesday, %s at 9:30 AM (%sT09:30:00-05:00); %%', :'wed_md', :'wed'),
  'booked: with 08:00–09:30 taken, Wednesday''s first open 60-minute time is 9:30 AM');
select is((select array_agg(t order by t) from (values ('T08:00'), ('T08:30'), ('T09:00')) as v(t)
           where (select r->>'result' from rpc where k = 'wednesday') like '%' || :'wed' || t || '%'), null,
  'booked: 08:00, 08:30 and 09:00 (overlapping the booking) are not offered');

-- A closed day: the next open times.
select results_eq($$ select (r->>'ok')::boolean, r->>'reason' from rpc where k = 'sunday' $$,
  $$ values (true, 'unavailable') $$, 'closed day (Sunday for HVAC): ok, reason unavailable');
select is((select r->>'result' from rpc where k = 'sunday'),
  format('We are closed that day. The next open times are: Monday, %1$s at 8:00 AM (%2$sT08:00:00-05:00); '
    || 'Monday, %1$s at 8:30 AM (%2$sT08:30:00-05:00); Monday, %1$s at 9:00 AM (%2$sT09:00:00-05:00). '
    || 'Times are in New York time. Nothing was booked by this check.', :'mon2_md', :'mon2'),
  'closed day (Sunday for HVAC): the text offers Monday''s first open times');

-- from/to window (local wall-clock, no offset).
select is((select r->>'result' from rpc where k = 'window'),
  format('Open times: Thursday, %1$s at 2:00 PM (%2$sT14:00:00-05:00); Thursday, %1$s at 2:30 PM (%2$sT14:30:00-05:00); '
    || 'Thursday, %1$s at 3:00 PM (%2$sT15:00:00-05:00); Thursday, %1$s at 3:30 PM (%2$sT15:30:00-05:00). '
    || 'Times are in New York time. Nothing was booked by this check.', :'thu_md', :'thu'),
  'from/to: 14:00–16:00 New York offers only start times inside that window');
select is((select r->>'result' from rpc where k = 'window5'),
  format('Open times: Thursday, %1$s at 2:00 PM (%2$sT14:00:00-05:00); Thursday, %1$s at 2:30 PM (%2$sT14:30:00-05:00); '
    || 'Thursday, %1$s at 3:00 PM (%2$sT15:00:00-05:00); Thursday, %1$s at 3:30 PM (%2$sT15:30:00-05:00); '
    || 'Thursday, %1$s at 4:00 PM (%2$sT16:00:00-05:00). Times are in New York time. Nothing was booked by this check.',
    :'thu_md', :'thu'),
  'from/to with exactly five open starts: all five, no "more"');
select is((select r->>'result' from rpc where k = 'window6'),
  replace((select r->>'result' from rpc where k = 'window5'), ' Times are',
          ' There are more open times after these. Times are'),
  'from/to with six open starts: the same five, then "There are more open times after these."');
select alike((select r->>'result' from rpc where k = 'es_day'), 'Horarios disponibles: % Hay más horarios disponibles después de estos. %',
  'es: a whole day with more than five open starts says so in Spanish');

-- Refusals.
select results_eq($$ select (r->>'ok')::boolean, r->>'reason', r->>'error' from rpc where k = 'past' $$,
  $$ values (false, 'past_time', 'That is already in the past: it is now '
       || private.spoken_time(date_trunc('minute', now()), 'America/New_York', 'en')
       || ' (' || private.to_local_iso(date_trunc('minute', now()), 'America/New_York') || '). Please choose a day or time in the future. Nothing was booked by this check.') $$,
  'past date: ok=false, reason past_time, spoken refusal');
select results_eq($$ select (r->>'ok')::boolean, r->>'reason', r->>'error' from rpc where k = 'garbage' $$,
  $$ values (false, 'invalid_arguments', 'I could not understand that date. Please say the day again.') $$,
  'garbage date: ok=false, reason invalid_arguments, spoken refusal');
select is((select r->>'result' from rpc where k = 'date_time'),
  format('Open times: Tuesday, %1$s at 4:30 PM (%2$sT16:30:00-05:00); Tuesday, %1$s at 5:00 PM (%2$sT17:00:00-05:00). '
    || 'Times are in New York time. Nothing was booked by this check.', :'tue_md', :'tue'),
  'a date with a time (as models write it): that day from that time, not "I could not understand that date"');
select is((select r->>'result' from rpc where k = 'date_utc'), (select r->>'result' from rpc where k = 'tuesday'),
  'a date at midnight UTC (`…T00:00:00.000Z`) asks about the day written, not the evening before in New York');
select is((select r->>'reason' from rpc where k = 'date_late'), 'unavailable',
  'a date with a time after closing: nothing left that day (the window ends with the day)');
select results_eq($$ select r->>'reason', r->>'error' from rpc where k = 'reversed' $$,
  $$ values ('invalid_arguments', 'The end of that range is before its start. Please say the range again.') $$,
  'reversed window: reason invalid_arguments');
select is_empty($$ select 1 from public.tool_call_executions where vapi_call_id = 'call_av1' and tool_call_id in ('tc_past', 'tc_garbage', 'tc_reversed') $$,
  'refusals: no ledger row is kept, so a corrected retry of the same tool call runs again');

-- Other tenant keys.
select results_eq($$ select r->>'reason', r->>'resolved_by', r->>'result' from rpc where k = 'by_line' $$,
  $$ select 'available', 'phone_number', r->>'result' from rpc where k = 'tuesday' $$,
  'tenant line (formatted): resolves by phone_number to the same answer');
select results_eq($$ select (r->>'ok')::boolean, r->>'reason', r->>'error', r->>'organization_id' from rpc where k = 'unknown' $$,
  $$ values (false, 'organization_not_found', 'Organization not found for this assistant', null::text) $$,
  'unknown tenant: ok=false, organization_not_found, the seed guide''s wording');
select is((select count(*)::int from public.tool_call_executions where vapi_call_id = 'call_av3')
        + (select count(*)::int from public.call_logs where vapi_call_id = 'call_av3'), 0,
  'unknown tenant: nothing written (no ledger row, no call log)');

-- It never books.
select results_eq($$ select customer_name from public.appointments where organization_id = 'd91e4aa4-914a-4d76-b5b7-2ee26e09b2a2' $$,
  $$ values ('Early Bird'::text) $$, 'never books: HVAC still has only its one fixture appointment');
select is((select count(*)::int from public.appointments where vapi_call_id in ('call_av1', 'call_av2', 'call_av3')), 0,
  'never books: no appointment carries an availability call id');
select results_eq($$ select organization_id, resolved_by from public.call_logs where vapi_call_id = 'call_av1' $$,
  $$ values ('d91e4aa4-914a-4d76-b5b7-2ee26e09b2a2'::uuid, 'assistant_id'::text) $$,
  'served: the call is logged under HVAC so later events resolve by call id');

-- =====================================================================================================================
-- Section - Replay: the same tool call returns the stored text even after the calendar changed
-- =====================================================================================================================
insert into public.appointments (organization_id, start_time, end_time, customer_name)
values (:hvac, (:'tue' || ' 08:00-05')::timestamptz, (:'tue' || ' 09:00-05')::timestamptz, 'Came Later');
select tests.authenticate_as_service_role();
insert into rpc values ('tuesday_replay', public.resolve_org_and_check_availability('asst_hvac_company_assistant', null, 'call_av1', 'tc_tuesday',
  jsonb_build_object('date', :'tue')));
insert into rpc values ('tuesday_new', public.resolve_org_and_check_availability('asst_hvac_company_assistant', null, 'call_av1', 'tc_tuesday_2',
  jsonb_build_object('date', :'tue')));
reset role;
select results_eq($$ select r->>'result', (r->>'replayed')::boolean from rpc where k = 'tuesday_replay' $$,
  $$ select r->>'result', true from rpc where k = 'tuesday' $$,
  'replay: the same (call id, tool call id) returns the identical text, replayed=true');
select alike((select r->>'result' from rpc where k = 'tuesday_new'),
  format('Open times: Tuesday, %s at 9:00 AM (%sT09:00:00-05:00); %%', :'tue_md', :'tue'),
  'replay: a NEW tool call sees the 08:00 booking and starts at 9:00 AM');

select * from finish();
rollback;
