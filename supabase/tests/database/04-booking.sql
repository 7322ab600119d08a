-- book_appointment through public.resolve_org_and_book (README, docs/rpc-contract.md):
-- success shape, idempotent replay, no double booking per organization, validation, past and closed times.
begin;
select plan(59);

-- Fixture tenants open 24/7; the seeded HVAC tenant (Mon–Fri 08:00–18:00 New York) for business hours.
insert into public.organizations (id, name, timezone) values
  ('04000000-0000-4000-8000-00000000000a', 'Booking A', 'America/New_York'),
  ('04000000-0000-4000-8000-00000000000b', 'Booking B', 'America/New_York');
insert into public.customer_configurations (organization_id, vapi_assistant_id) values
  ('04000000-0000-4000-8000-00000000000a', 'asst_book_a'), ('04000000-0000-4000-8000-00000000000b', 'asst_book_b');

-- d: a day ~6 weeks ahead; mon/fri/sat: a week three weeks ahead (New York dates); past: yesterday, explicit Z.
select to_char(l + 42, 'YYYY-MM-DD') as d,
       to_char(date_trunc('week', l + 21)::date, 'YYYY-MM-DD') as mon,
       to_char(date_trunc('week', l + 14)::date + 4, 'YYYY-MM-DD') as fri,
       to_char(date_trunc('week', l + 14)::date + 5, 'YYYY-MM-DD') as sat,
       to_char((now() - interval '1 day') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as past
from (select (now() at time zone 'America/New_York')::date as l) as x \gset

create temp table rpc (k text primary key, r jsonb);
grant select, insert on rpc to service_role;

-- =====================================================================================================================
-- Section - service_role books, replays, collides
-- =====================================================================================================================
select tests.authenticate_as_service_role();
insert into rpc values ('book', public.resolve_org_and_book('asst_book_a', null, 'call_b1', 'tc_1', jsonb_build_object(
  'start_time', :'d' || 'T10:00', 'customer_name', 'Ada Lovelace', 'customer_phone', '+1 (555) 123-4567',
  'service', 'Furnace repair', 'notes', 'Side door')));
insert into rpc values ('replay', public.resolve_org_and_book('asst_book_a', null, 'call_b1', 'tc_1', jsonb_build_object(
  'start_time', :'d' || 'T10:00', 'customer_name', 'Ada Lovelace', 'customer_phone', '+1 (555) 123-4567',
  'service', 'Furnace repair', 'notes', 'Side door')));
insert into rpc values ('replay_changed', public.resolve_org_and_book('asst_book_a', null, 'call_b1', 'tc_1',
  jsonb_build_object('start_time', :'d' || 'T13:00', 'customer_name', 'Someone Else')));
insert into rpc values ('overlap', public.resolve_org_and_book('asst_book_a', null, 'call_b2', 'tc_1',
  jsonb_build_object('start_time', :'d' || 'T10:30', 'customer_name', 'Bob')));
insert into rpc values ('overlap_same_call', public.resolve_org_and_book('asst_book_a', null, 'call_b1', 'tc_2',
  jsonb_build_object('start_time', :'d' || 'T10:59', 'customer_name', 'Ada Lovelace', 'duration_minutes', 5)));
insert into rpc values ('other_org', public.resolve_org_and_book('asst_book_b', null, 'call_b3', 'tc_1',
  jsonb_build_object('start_time', :'d' || 'T10:00', 'customer_name', 'Bea')));
insert into rpc values ('touch_after', public.resolve_org_and_book('asst_book_a', null, 'call_b4', 'tc_1',
  jsonb_build_object('start_time', :'d' || 'T11:00', 'customer_name', 'Tom')));
insert into rpc values ('touch_before', public.resolve_org_and_book('asst_book_a', null, 'call_b4', 'tc_2',
  jsonb_build_object('start_time', :'d' || 'T09:00', 'customer_name', 'Tia', 'duration_minutes', '60')));
reset role;

select results_eq($$ select (r->>'ok')::boolean, r->>'reason', (r->>'replayed')::boolean, r->>'resolved_by', r->>'organization_id', r->>'error' from rpc where k = 'book' $$,
  $$ values (true, 'booked', false, 'assistant_id', '04000000-0000-4000-8000-00000000000a', null::text) $$,
  'book: ok, reason booked, not replayed, resolved by assistant id, organization A, no error');
select is(((select r from rpc where k = 'book')->>'result')::jsonb->>'status', 'booked', 'book: result is a JSON string with status booked');
select is(((select r from rpc where k = 'book')->>'result')::jsonb->>'organization_id', '04000000-0000-4000-8000-00000000000a',
  'book: result names the organization_id');
select is(((select r from rpc where k = 'book')->>'result')::jsonb->>'appointment_id',
  (select id::text from public.appointments where vapi_call_id = 'call_b1' and tool_call_id = 'tc_1'), 'book: result appointment_id is the stored row');
select matches(((select r from rpc where k = 'book')->>'result')::jsonb->>'start_time', '^' || :'d' || 'T10:00:00-0[45]:00$',
  'book: result start_time is 10:00 local with New York''s offset');
select is((((select r from rpc where k = 'book')->>'result')::jsonb->>'start_time')::timestamptz,
  (select start_time from public.appointments where vapi_call_id = 'call_b1' and tool_call_id = 'tc_1'), 'book: result start_time is the stored instant');
select unalike((select r from rpc where k = 'book')->>'result', E'%\n%', 'book: result is a single line');
select results_eq($$ select start_time, end_time, status from public.appointments where vapi_call_id = 'call_b1' and tool_call_id = 'tc_1' $$,
  format($$ values (timestamp %L at time zone 'America/New_York', timestamp %L at time zone 'America/New_York' + interval '60 minutes', 'scheduled'::text) $$,
         :'d' || ' 10:00', :'d' || ' 10:00'),
  'book: the row starts at 10:00 New York (UTC instant), lasts the default 60 minutes, status scheduled');
select results_eq($$ select organization_id, customer_name, customer_phone, service, notes, tool_call_id from public.appointments where vapi_call_id = 'call_b1' and tool_call_id = 'tc_1' $$,
  $$ values ('04000000-0000-4000-8000-00000000000a'::uuid, 'Ada Lovelace'::text, '+15551234567'::public.e164, 'Furnace repair'::text, 'Side door'::text, 'tc_1'::text) $$,
  'book: the row keeps the organization, name, E.164-normalised phone, service, notes and tool call id');
select results_eq($$ select organization_id, resolved_by, vapi_assistant_id from public.call_logs where vapi_call_id = 'call_b1' $$,
  $$ values ('04000000-0000-4000-8000-00000000000a'::uuid, 'assistant_id'::text, 'asst_book_a'::text) $$,
  'book: the call is logged under A so later events resolve by call id');
select is((select response from public.tool_call_executions where vapi_call_id = 'call_b1' and tool_call_id = 'tc_1'),
  (select r from rpc where k = 'book'), 'book: the ledger keeps the exact response for replays');

select is((select r->>'result' from rpc where k = 'replay'), (select r->>'result' from rpc where k = 'book'),
  'replay: the same (call id, tool call id) returns the identical result text');
select is((select (r->>'replayed')::boolean from rpc where k = 'replay'), true, 'replay: marked replayed=true');
select is((select r->>'result' from rpc where k = 'replay_changed'), (select r->>'result' from rpc where k = 'book'),
  'replay: a redelivery with altered arguments still returns the first result (keyed by ids, not arguments)');
-- Organization B presenting A's (call id, tool call id) must not receive A's stored booking.
select tests.authenticate_as_service_role();
insert into rpc values ('cross_tenant', public.resolve_org_and_book('asst_book_b', null, 'call_b1', 'tc_1',
  jsonb_build_object('start_time', :'d' || 'T13:00', 'customer_name', 'Bea')));
reset role;
select ok(coalesce((select r->>'organization_id' from rpc where k = 'cross_tenant'), '') <> '04000000-0000-4000-8000-00000000000a'
          and coalesce((select r->>'result' from rpc where k = 'cross_tenant'), '') not like '%Ada Lovelace%',
  'replay: organization B presenting A''s (call id, tool call id) never receives A''s stored response');
select is((select count(*)::int from public.appointments where vapi_call_id = 'call_b1' and tool_call_id = 'tc_1'
             and organization_id = '04000000-0000-4000-8000-00000000000a'), 1,
  'replay: exactly one appointment of A for the tool call after three deliveries (B''s key is its own: 66)');

select results_eq($$ select (r->>'ok')::boolean, r->>'reason', r->>'result' from rpc where k = 'overlap' $$,
  $$ values (false, 'slot_taken', null::text) $$, 'overlap: another tool call for 10:30 is refused with reason slot_taken');
select alike((select r->>'error' from rpc where k = 'overlap'), 'That time is already taken.%Nothing was booked.',
  'overlap: the error says the time is already taken and nothing was booked');
select alike((select r->>'error' from rpc where k = 'overlap'), '%Nearest open times: %(' || :'d' || 'T11:00:00-0_:00)%',
  'overlap: the error offers the nearest open time (11:00, right after the booked hour)');
select is_empty($$ select 1 from public.appointments where vapi_call_id = 'call_b2' $$, 'overlap: no appointment row was written');
select is((select r->>'reason' from rpc where k = 'overlap_same_call'), 'slot_taken',
  'overlap: a second tool call of the same call overlapping by one minute is refused too');
select results_eq($$ select r->>'reason', r->>'organization_id' from rpc where k = 'other_org' $$,
  $$ values ('booked', '04000000-0000-4000-8000-00000000000b') $$, 'other org: the same 10:00 slot books for organization B');
select is((select r->>'reason' from rpc where k = 'touch_after'), 'booked', 'touching: 11:00 (starts when 10:00–11:00 ends) books');
select is((select r->>'reason' from rpc where k = 'touch_before'), 'booked', 'touching: 09:00–10:00 (ends when 10:00 starts) books');

-- A cancelled appointment frees its slot.
update public.appointments set status = 'cancelled', cancelled_at = now() where vapi_call_id = 'call_b1' and tool_call_id = 'tc_1';
select tests.authenticate_as_service_role();
insert into rpc values ('after_cancel', public.resolve_org_and_book('asst_book_a', null, 'call_b5', 'tc_1',
  jsonb_build_object('start_time', :'d' || 'T10:00', 'customer_name', 'Cal', 'duration_minutes', 30)));
reset role;
select is((select r->>'reason' from rpc where k = 'after_cancel'), 'booked', 'cancelled: the cancelled 10:00 slot books again');

-- =====================================================================================================================
-- Section - Invalid input, past and closed times: a spoken error, nothing written
-- =====================================================================================================================
select tests.authenticate_as_service_role();
insert into rpc select 'bad_' || c.k, public.resolve_org_and_book('asst_book_a', null, 'call_bad', 'tc_' || c.k, c.args)
from (values
  ('no_start', jsonb_build_object('customer_name', 'Ann')),
  ('garbage_start', jsonb_build_object('start_time', 'next tuesday at 3', 'customer_name', 'Ann')),
  ('feb30', jsonb_build_object('start_time', '2027-02-30T10:00', 'customer_name', 'Ann')),
  ('no_name', jsonb_build_object('start_time', :'d' || 'T14:00')),
  ('blank_name', jsonb_build_object('start_time', :'d' || 'T14:00', 'customer_name', '   ')),
  ('bad_phone', jsonb_build_object('start_time', :'d' || 'T14:00', 'customer_name', 'Ann', 'customer_phone', 'call me maybe')),
  ('zero_minutes', jsonb_build_object('start_time', :'d' || 'T14:00', 'customer_name', 'Ann', 'duration_minutes', 0)),
  ('long_minutes', jsonb_build_object('start_time', :'d' || 'T14:00', 'customer_name', 'Ann', 'duration_minutes', 481)),
  ('not_object', '"book me at 2"'::jsonb)) as c(k, args);
insert into rpc values ('past', public.resolve_org_and_book('asst_book_a', null, 'call_bad', 'tc_past',
  jsonb_build_object('start_time', :'past', 'customer_name', 'Ann')));
reset role;

select results_eq(format('select r->>%L, r->>%L from rpc where k = %L', 'reason', 'error', 'bad_' || c.k),
  format('values (%L, %L)', 'invalid_arguments', c.err), format('invalid (%s): reason invalid_arguments, "%s"', c.k, c.err))
from (values
  ('no_start', 'I need the date and time for the appointment.'),
  ('garbage_start', 'I could not understand that date and time. Please say the day and the time again.'),
  ('feb30', 'I could not understand that date and time. Please say the day and the time again.'),
  ('no_name', 'I need the name for the appointment.'),
  ('blank_name', 'I need the name for the appointment.'),
  ('bad_phone', 'That phone number does not look right. Please say it again with the country code.'),
  ('zero_minutes', 'The appointment length must be a whole number of minutes, from 5 minutes to 8 hours.'),
  ('long_minutes', 'The appointment length must be a whole number of minutes, from 5 minutes to 8 hours.'),
  ('not_object', 'I could not understand some of the details. Please say them again.')) as c(k, err);
select results_eq($$ select r->>'reason', r->>'error' from rpc where k = 'past' $$,
  $$ select 'past_time', 'That time has already passed: it is now '
       || private.spoken_time(date_trunc('minute', now()), o.timezone, 'en')
       || ' (' || private.to_local_iso(date_trunc('minute', now()), o.timezone) || '). Please choose a time in the future. Nothing was booked.'
     from public.organizations as o where o.id = '04000000-0000-4000-8000-00000000000a' $$,
  'past: a time before now is refused with reason past_time, saying the organization''s date and time now');
select lives_ok(format($f$ do $do$ begin
    if (public.resolve_org_and_book('asst_book_a', null, 'call_bad', 'tc_offset',
          jsonb_build_object('start_time', %L, 'customer_name', 'Ann')) ->> 'reason') is distinct from 'invalid_arguments' then
      raise exception 'reason is not invalid_arguments';
    end if;
  end $do$ $f$, :'d' || 'T10:00+16:00'),
  'invalid (offset +16:00 out of range): returned as reason invalid_arguments, never raised');
select is_empty($$ select 1 from public.appointments where vapi_call_id = 'call_bad' $$, 'invalid/past: no appointment row');
select is_empty($$ select 1 from public.tool_call_executions where vapi_call_id = 'call_bad' $$,
  'invalid/past: no ledger row (a corrected retry of the same tool call runs again)');
select is_empty($$ select 1 from public.call_logs where vapi_call_id = 'call_bad' $$, 'invalid/past: no call_logs row');

select tests.authenticate_as_service_role();
insert into rpc select 'hvac_' || c.k, public.resolve_org_and_book('asst_hvac_company_assistant', null, 'call_hvac', 'tc_' || c.k,
  jsonb_build_object('start_time', c.st, 'customer_name', 'Hal'))
from (values ('saturday', :'sat' || 'T10:00'), ('night', :'mon' || 'T21:00'), ('early', :'mon' || 'T07:30'),
             ('overrun', :'mon' || 'T17:30'), ('last', :'mon' || 'T17:00'), ('first', :'mon' || 'T08:00')) as c(k, st);
reset role;
select is((select r->>'reason' from rpc where k = 'hvac_' || c.k), c.want, format('hours: HVAC %s → %s', c.what, c.want))
from (values ('saturday', 'outside_hours', 'Saturday 10:00'), ('night', 'outside_hours', 'Monday 21:00'),
             ('early', 'outside_hours', 'Monday 07:30 (before 08:00)'), ('overrun', 'outside_hours', 'Monday 17:30 for 60 min (past 18:00)'),
             ('last', 'booked', 'Monday 17:00 for 60 min (ends at closing)'), ('first', 'booked', 'Monday 08:00 (opening)')) as c(k, want, what);
select alike((select r->>'error' from rpc where k = 'hvac_saturday'),
  'We are closed that day. Nearest open times: %(' || :'fri' || 'T17:00:00-0_:00)%Times are in New York time. Nothing was booked.',
  'hours: the Saturday refusal offers Friday''s last open slot and names the zone');
select is((select count(*)::int from public.appointments where vapi_call_id = 'call_hvac'), 2,
  'hours: only the two in-hours HVAC requests wrote appointments');

-- =====================================================================================================================
-- Section - Legacy function-call (no tool call id): replay keyed by the arguments
-- =====================================================================================================================
select tests.authenticate_as_service_role();
insert into rpc values ('legacy', public.resolve_org_and_book('asst_book_a', null, 'call_legacy', null,
  jsonb_build_object('start_time', :'d' || 'T15:00', 'customer_name', 'Lee')));
insert into rpc values ('legacy_again', public.resolve_org_and_book('asst_book_a', null, 'call_legacy', null,
  jsonb_build_object('customer_name', 'Lee', 'start_time', :'d' || 'T15:00')));
insert into rpc values ('legacy_other', public.resolve_org_and_book('asst_book_a', null, 'call_legacy', null,
  jsonb_build_object('start_time', :'d' || 'T16:00', 'customer_name', 'Lee')));
reset role;
select is((select r->>'reason' from rpc where k = 'legacy'), 'booked', 'legacy: a function-call without tool call id books');
select results_eq($$ select r->>'result', (r->>'replayed')::boolean from rpc where k = 'legacy_again' $$,
  $$ select r->>'result', true from rpc where k = 'legacy' $$,
  'legacy: the same arguments (any key order) replay the identical result with replayed=true');
select is((select r->>'reason' from rpc where k = 'legacy_other'), 'booked', 'legacy: different arguments are a new booking');
select is((select count(*)::int from public.appointments where vapi_call_id = 'call_legacy'), 2,
  'legacy: three deliveries, two distinct argument sets → two appointments');
select is((select count(*)::int from public.tool_call_executions
           where vapi_call_id = 'call_legacy' and tool_call_id like 'function-call:book_appointment:%'), 2,
  'legacy: the ledger keys each argument set by a derived function-call id');

-- Without an id a request is known only by its arguments: a later identical request after another tool call of the
-- call (book → cancel → book again) is asked anew, never answered with the first, now stale, reply.
select tests.authenticate_as_service_role();
insert into rpc values ('legacy_cancel', public.resolve_org_and_cancel('asst_book_a', null, 'call_legacy', null,
  jsonb_build_object('appointment_id', (select r->>'result' from rpc where k = 'legacy')::jsonb->>'appointment_id')));
insert into rpc values ('legacy_rebook', public.resolve_org_and_book('asst_book_a', null, 'call_legacy', null,
  jsonb_build_object('start_time', :'d' || 'T15:00', 'customer_name', 'Lee')));
insert into rpc values ('legacy_rebook_again', public.resolve_org_and_book('asst_book_a', null, 'call_legacy', null,
  jsonb_build_object('start_time', :'d' || 'T15:00', 'customer_name', 'Lee')));
reset role;
select is((select r->>'reason' from rpc where k = 'legacy_cancel'), 'cancelled', 'legacy: the booking is cancelled');
select ok((select r->>'reason' = 'booked' and not (r->>'replayed')::boolean
             and (r->>'result')::jsonb->>'appointment_id' <> (select (r->>'result')::jsonb->>'appointment_id'
                                                               from rpc where k = 'legacy')
           from rpc where k = 'legacy_rebook'),
  'legacy: the same booking asked again after the cancel books anew (not the stale replay)');
select is((select count(*)::int from public.appointments where vapi_call_id = 'call_legacy' and is_active), 2,
  'legacy: 15:00 is booked again and 16:00 still stands');
select results_eq($$ select r->>'result', (r->>'replayed')::boolean from rpc where k = 'legacy_rebook_again' $$,
  $$ select r->>'result', true from rpc where k = 'legacy_rebook' $$,
  'legacy: a redelivery of the new request (nothing in between) replays its answer');

-- =====================================================================================================================
-- Section - The exclusion constraint itself
-- =====================================================================================================================
select throws_ok(format($$ insert into public.appointments (organization_id, start_time, end_time, customer_name)
  values ('04000000-0000-4000-8000-00000000000a', timestamp %L at time zone 'America/New_York',
          timestamp %L at time zone 'America/New_York', 'Direct') $$, :'d' || ' 11:30', :'d' || ' 12:30'),
  '23P01', 'conflicting key value violates exclusion constraint "appointments_no_overlap"',
  'constraint: a direct insert overlapping an active appointment of the same organization is rejected');
select lives_ok(format($$ insert into public.appointments (organization_id, start_time, end_time, customer_name)
  values ('04000000-0000-4000-8000-00000000000b', timestamp %L at time zone 'America/New_York',
          timestamp %L at time zone 'America/New_York', 'Direct') $$, :'d' || ' 11:30', :'d' || ' 12:30'),
  'constraint: the same overlapping interval in another organization is accepted');
select lives_ok(format($$ insert into public.appointments (organization_id, start_time, end_time, customer_name, status)
  values ('04000000-0000-4000-8000-00000000000a', timestamp %L at time zone 'America/New_York',
          timestamp %L at time zone 'America/New_York', 'Direct', 'cancelled') $$, :'d' || ' 11:30', :'d' || ' 12:30'),
  'constraint: an overlapping CANCELLED appointment does not conflict');

select * from finish();
rollback;
