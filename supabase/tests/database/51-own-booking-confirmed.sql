-- A caller is never refused by, nor double-booked next to, their own booking (20261202120000_own_booking_confirmed.sql):
-- Vapi's retry of a booking whose answer was lost carries a new tool call id, so the ledger cannot replay it.
begin;
select plan(9);

create function pg_temp.book(p_assistant text, p_call text, p_tc text, p_args jsonb) returns jsonb language sql as $$
  select public.resolve_org_and_book(p_assistant_id => p_assistant, p_vapi_call_id => p_call, p_tool_call_id => p_tc,
                                     p_arguments => p_args) $$;
-- A weekday two weeks ahead, in each demo tenant's own zone.
create function pg_temp.weekday(p_zone text) returns text language sql stable as $$
  select to_char(date_trunc('week', (now() at time zone p_zone)::date + 14)::date + 1, 'YYYY-MM-DD') $$;
create temp table answers (k text primary key, r jsonb);

-- One-calendar tenant (HVAC demo).
insert into answers values
  ('first', pg_temp.book('asst_hvac_company_assistant', 'own51-a', 'tc1',
     jsonb_build_object('start_time', pg_temp.weekday('America/New_York') || 'T10:00', 'customer_name', 'Ann Own'))),
  ('retry', pg_temp.book('asst_hvac_company_assistant', 'own51-a', 'tc2',
     jsonb_build_object('start_time', pg_temp.weekday('America/New_York') || 'T10:00', 'customer_name', 'ann own'))),
  ('other_name', pg_temp.book('asst_hvac_company_assistant', 'own51-a', 'tc3',
     jsonb_build_object('start_time', pg_temp.weekday('America/New_York') || 'T10:00', 'customer_name', 'Bo Other'))),
  ('other_call', pg_temp.book('asst_hvac_company_assistant', 'own51-b', 'tc1',
     jsonb_build_object('start_time', pg_temp.weekday('America/New_York') || 'T10:00', 'customer_name', 'Ann Own')));

select is((select r->>'reason' from answers where k = 'first'), 'booked', 'the first booking is made');
select is((select r->>'reason' from answers where k = 'retry'), 'already_booked',
  'the same call asking again with a new tool call id (same customer, any case) hears it is booked (already_booked), not taken');
select is((select (r->>'result')::jsonb->>'appointment_id' from answers where k = 'retry'),
          (select (r->>'result')::jsonb->>'appointment_id' from answers where k = 'first'),
  'and it is the same appointment');
select is((select r->>'reason' from answers where k = 'other_name'), 'slot_taken', 'another name in the same call is refused');
select is((select r->>'reason' from answers where k = 'other_call'), 'slot_taken', 'another call is refused');
select is((select count(*)::int from public.appointments where vapi_call_id in ('own51-a', 'own51-b')), 1,
  'one appointment in all');

-- Tenant with three technicians (Metro HVAC demo): a retry must not take a second technician.
insert into answers values
  ('crew_first', pg_temp.book('asst_metro_hvac_assistant', 'own51-c', 'tc1', jsonb_build_object(
     'start_time', pg_temp.weekday('America/Chicago') || 'T10:00', 'customer_name', 'Cy Crew', 'service', 'AC repair'))),
  ('crew_retry', pg_temp.book('asst_metro_hvac_assistant', 'own51-c', 'tc2', jsonb_build_object(
     'start_time', pg_temp.weekday('America/Chicago') || 'T10:00', 'customer_name', 'Cy Crew', 'service', 'AC repair')));
select results_eq($$ select r->>'reason' from answers where k in ('crew_first', 'crew_retry') order by k $$,
  $$ values ('booked'), ('already_booked') $$, 'both answers say booked (the retry: already_booked)');
select is((select count(*)::int from public.appointments where vapi_call_id = 'own51-c'), 1,
  'with free technicians left, the retry still books nobody else');
select is((select (r->>'result')::jsonb->>'staff_name' from answers where k = 'crew_retry'),
          (select (r->>'result')::jsonb->>'staff_name' from answers where k = 'crew_first'),
  'the retry names the technician of the first booking');

select * from finish();
rollback;
