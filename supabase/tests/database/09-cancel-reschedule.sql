-- cancel_appointment and reschedule_appointment (*_cancel_reschedule_rpcs.sql): only within the resolved tenant,
-- idempotent cancel, past appointments kept, reschedule = cancel + re-book atomically.
-- Dates are relative to now() (psql variables below): a winter week at least 8 weeks ahead, when New York is on EST.
begin;
select plan(40);

-- A: New York, Mon–Fri 08:00–18:00. B: New York, open 24/7.
insert into public.organizations (id, name, timezone) values
  ('09000000-0000-4000-8000-00000000000a', 'Cancel A', 'America/New_York'),
  ('09000000-0000-4000-8000-00000000000b', 'Cancel B', 'America/New_York');
insert into public.customer_configurations (organization_id, vapi_assistant_id) values
  ('09000000-0000-4000-8000-00000000000a', 'asst_cx_a'), ('09000000-0000-4000-8000-00000000000b', 'asst_cx_b');
insert into public.business_hours (organization_id, weekday, opens_at, closes_at)
select '09000000-0000-4000-8000-00000000000a', d, '08:00', '18:00' from generate_series(1, 5) as d;

-- tue…sat of a week and mon2, tue2, wed2 of the next (YYYY-MM-DD, New York dates), all on EST (-05:00): the week of the
-- first Monday at least 8 weeks ahead when that Monday falls between January 1 and February 20, else of the first
-- Monday of the next January.
select to_char(m + 1, 'YYYY-MM-DD') as tue, to_char(m + 2, 'YYYY-MM-DD') as wed, to_char(m + 3, 'YYYY-MM-DD') as thu,
       to_char(m + 4, 'YYYY-MM-DD') as fri, to_char(m + 5, 'YYYY-MM-DD') as sat, to_char(m + 7, 'YYYY-MM-DD') as mon2,
       to_char(m + 8, 'YYYY-MM-DD') as tue2, to_char(m + 9, 'YYYY-MM-DD') as wed2
from (select case when extract(month from m1) <= 2 and m1 <= make_date(extract(year from m1)::int, 2, 20) then m1
                  else make_date(extract(year from m1)::int + 1, 1, 1)
                       + (8 - extract(isodow from make_date(extract(year from m1)::int + 1, 1, 1))::int) % 7 end as m
      from (select s + (8 - extract(isodow from s)::int) % 7 as m1
            from (select (now() at time zone 'America/New_York')::date + 56 as s) as s) as m1) as m \gset

-- p_day at p_time New York winter time, written with an explicit -05 (EST) like a client would.
create function pg_temp.est(p_day text, p_time text) returns timestamptz language sql as $$
  select (p_day || ' ' || p_time || '-05')::timestamptz $$;

insert into public.appointments (id, organization_id, start_time, end_time, status, customer_name, customer_phone, service, notes)
values
  -- cancel by id / by phone + time / already cancelled / other tenant / past
  ('09a00000-0000-4000-8000-000000000001', '09000000-0000-4000-8000-00000000000a', pg_temp.est(:'tue', '10:00'), pg_temp.est(:'tue', '11:00'), 'scheduled', 'Ada', '+15551110001', null, null),
  ('09a00000-0000-4000-8000-000000000002', '09000000-0000-4000-8000-00000000000a', pg_temp.est(:'tue', '13:00'), pg_temp.est(:'tue', '14:00'), 'scheduled', 'Bob', '+15551110002', null, null),
  ('09a00000-0000-4000-8000-000000000003', '09000000-0000-4000-8000-00000000000a', pg_temp.est(:'tue', '15:00'), pg_temp.est(:'tue', '16:00'), 'cancelled', 'Cy', '+15551110003', null, null),
  ('09b00000-0000-4000-8000-000000000001', '09000000-0000-4000-8000-00000000000b', pg_temp.est(:'tue', '10:00'), pg_temp.est(:'tue', '11:00'), 'scheduled', 'Bea', '+15551110009', null, null),
  ('09a00000-0000-4000-8000-000000000004', '09000000-0000-4000-8000-00000000000a', now() - interval '2 days', now() - interval '2 days' + interval '1 hour', 'scheduled', 'Old', '+15551110004', null, null),
  -- reschedule: success / blocked by another appointment / within its own window / cancelled / outside hours
  ('09a00000-0000-4000-8000-000000000011', '09000000-0000-4000-8000-00000000000a', pg_temp.est(:'wed', '10:00'), pg_temp.est(:'wed', '11:00'), 'scheduled', 'Rita', '+15551110011', 'AC tune-up', 'Gate code 12'),
  ('09a00000-0000-4000-8000-000000000012', '09000000-0000-4000-8000-00000000000a', pg_temp.est(:'thu', '10:00'), pg_temp.est(:'thu', '11:00'), 'scheduled', 'Rob', '+15551110012', null, null),
  ('09a00000-0000-4000-8000-000000000019', '09000000-0000-4000-8000-00000000000a', pg_temp.est(:'thu', '12:00'), pg_temp.est(:'thu', '13:00'), 'scheduled', 'Blocker', null, null, null),
  ('09a00000-0000-4000-8000-000000000013', '09000000-0000-4000-8000-00000000000a', pg_temp.est(:'fri', '10:00'), pg_temp.est(:'fri', '11:00'), 'scheduled', 'Rae', '+15551110013', null, null),
  ('09a00000-0000-4000-8000-000000000014', '09000000-0000-4000-8000-00000000000a', pg_temp.est(:'tue2', '10:00'), pg_temp.est(:'tue2', '11:00'), 'cancelled', 'Ron', '+15551110014', null, null),
  ('09a00000-0000-4000-8000-000000000015', '09000000-0000-4000-8000-00000000000a', pg_temp.est(:'mon2', '10:00'), pg_temp.est(:'mon2', '11:00'), 'scheduled', 'Roy', '+15551110015', null, null);

create temp table rpc (k text primary key, r jsonb);
grant select, insert on rpc to service_role;

-- =====================================================================================================================
-- Section - cancel_appointment (service_role, as assistant A)
-- =====================================================================================================================
select tests.authenticate_as_service_role();
insert into rpc values ('by_id', public.resolve_org_and_cancel('asst_cx_a', null, 'call_cx', 'tc_by_id',
  jsonb_build_object('appointment_id', '09a00000-0000-4000-8000-000000000001')));
insert into rpc values ('by_phone', public.resolve_org_and_cancel('asst_cx_a', null, 'call_cx', 'tc_by_phone',
  jsonb_build_object('customer_phone', '+1 555 111 0002', 'start_time', :'tue' || 'T13:00')));
insert into rpc values ('by_phone_utc', public.resolve_org_and_cancel('asst_cx_a', null, 'call_cx', 'tc_by_phone_utc',
  jsonb_build_object('customer_phone', '+15551110001', 'start_time', :'tue' || 'T10:00Z')));
insert into rpc values ('already', public.resolve_org_and_cancel('asst_cx_a', null, 'call_cx', 'tc_already',
  jsonb_build_object('appointment_id', '09a00000-0000-4000-8000-000000000003')));
insert into rpc values ('other_org', public.resolve_org_and_cancel('asst_cx_a', null, 'call_cx', 'tc_other_org',
  jsonb_build_object('appointment_id', '09b00000-0000-4000-8000-000000000001')));
insert into rpc values ('past', public.resolve_org_and_cancel('asst_cx_a', null, 'call_cx', 'tc_past',
  jsonb_build_object('appointment_id', '09a00000-0000-4000-8000-000000000004')));
insert into rpc values ('by_id_replay', public.resolve_org_and_cancel('asst_cx_a', null, 'call_cx', 'tc_by_id',
  jsonb_build_object('appointment_id', '09a00000-0000-4000-8000-000000000001')));
insert into rpc values ('unknown', public.resolve_org_and_cancel('asst_nobody', null, 'call_cx_unknown', 'tc_1',
  jsonb_build_object('appointment_id', '09b00000-0000-4000-8000-000000000001')));
reset role;

select results_eq($$ select (r->>'ok')::boolean, r->>'reason', (r->>'result')::jsonb->>'status', (r->>'result')::jsonb->>'start_time' from rpc where k = 'by_id' $$,
  format($$ values (true, 'cancelled', 'cancelled', %L) $$, :'tue' || 'T10:00:00-05:00'),
  'cancel by appointment_id: ok, reason cancelled, result names the local start time');
select results_eq($$ select status, cancelled_at is not null from public.appointments where id = '09a00000-0000-4000-8000-000000000001' $$,
  $$ values ('cancelled'::text, true) $$, 'cancel by appointment_id: the row is cancelled with cancelled_at set');
select results_eq($$ select r->>'reason', (r->>'result')::jsonb->>'appointment_id' from rpc where k = 'by_phone' $$,
  $$ values ('cancelled', '09a00000-0000-4000-8000-000000000002') $$,
  'cancel by customer_phone (formatted) + start_time (New York wall clock): cancels that appointment');
select is((select status from public.appointments where id = '09a00000-0000-4000-8000-000000000002'), 'cancelled',
  'cancel by customer_phone + start_time: the row is cancelled');
select results_eq($$ select (r->>'ok')::boolean, r->>'reason', r->>'error' from rpc where k = 'by_phone_utc' $$,
  $$ values (false, 'not_found', 'I could not find that appointment.') $$,
  'cancel by phone + start_time: 10:00Z is a different instant than 10:00 New York → not_found');
select results_eq($$ select (r->>'ok')::boolean, r->>'reason', (r->>'result')::jsonb->>'status' from rpc where k = 'already' $$,
  $$ values (true, 'already_cancelled', 'already_cancelled') $$,
  'cancel an already cancelled appointment: ok, reason already_cancelled');
select results_eq($$ select (r->>'ok')::boolean, r->>'reason', r->>'error' from rpc where k = 'other_org' $$,
  $$ values (false, 'not_found', 'I could not find that appointment.') $$,
  'cancel another organization''s appointment id: not_found');
select is((select status from public.appointments where id = '09b00000-0000-4000-8000-000000000001'), 'scheduled',
  'cancel another organization''s appointment id: B''s row stays scheduled');
select results_eq($$ select (r->>'ok')::boolean, r->>'reason', r->>'error' from rpc where k = 'past' $$,
  $$ values (false, 'past_appointment', 'That appointment has already started or taken place, so it can no longer be cancelled.') $$,
  'cancel a past appointment: refused with reason past_appointment');
select is((select status from public.appointments where id = '09a00000-0000-4000-8000-000000000004'), 'scheduled',
  'cancel a past appointment: the row is unchanged');
select results_eq($$ select r->>'result', (r->>'replayed')::boolean from rpc where k = 'by_id_replay' $$,
  $$ select r->>'result', true from rpc where k = 'by_id' $$,
  'cancel replay: the same (call id, tool call id) returns the identical result (status cancelled), replayed=true');
select results_eq($$ select (r->>'ok')::boolean, r->>'reason', r->>'error' from rpc where k = 'unknown' $$,
  $$ values (false, 'organization_not_found', 'Organization not found for this assistant') $$,
  'cancel with an unknown assistant: organization_not_found, nothing touched');

-- =====================================================================================================================
-- Section - reschedule_appointment (service_role, as assistant A)
-- =====================================================================================================================
select tests.authenticate_as_service_role();
insert into rpc values ('move', public.resolve_org_and_reschedule('asst_cx_a', null, 'call_rs', 'tc_move',
  jsonb_build_object('appointment_id', '09a00000-0000-4000-8000-000000000011', 'new_start_time', :'wed' || 'T14:00')));
insert into rpc values ('taken', public.resolve_org_and_reschedule('asst_cx_a', null, 'call_rs', 'tc_taken',
  jsonb_build_object('appointment_id', '09a00000-0000-4000-8000-000000000012', 'new_start_time', :'thu' || 'T11:30')));
insert into rpc values ('own_window', public.resolve_org_and_reschedule('asst_cx_a', null, 'call_rs', 'tc_own_window',
  jsonb_build_object('customer_phone', '+15551110013', 'start_time', :'fri' || 'T10:00', 'new_start_time', :'fri' || 'T10:30')));
insert into rpc values ('cancelled', public.resolve_org_and_reschedule('asst_cx_a', null, 'call_rs', 'tc_cancelled',
  jsonb_build_object('appointment_id', '09a00000-0000-4000-8000-000000000014', 'new_start_time', :'wed2' || 'T10:00')));
insert into rpc values ('closed', public.resolve_org_and_reschedule('asst_cx_a', null, 'call_rs', 'tc_closed',
  jsonb_build_object('appointment_id', '09a00000-0000-4000-8000-000000000015', 'new_start_time', :'sat' || 'T10:00')));
reset role;

select results_eq($$ select (r->>'ok')::boolean, r->>'reason', (r->>'result')::jsonb->>'start_time', (r->>'result')::jsonb->>'previous_appointment_id' from rpc where k = 'move' $$,
  format($$ values (true, 'rescheduled', %L, '09a00000-0000-4000-8000-000000000011') $$, :'wed' || 'T14:00:00-05:00'),
  'reschedule: ok, reason rescheduled, new local start time, previous appointment id');
select results_eq($$ select status, cancelled_at is not null from public.appointments where id = '09a00000-0000-4000-8000-000000000011' $$,
  $$ values ('cancelled'::text, true) $$, 'reschedule: the old row is cancelled');
select results_eq($$ select status, start_time, end_time - start_time, customer_name, customer_phone, service, notes
                     from public.appointments where rescheduled_from = '09a00000-0000-4000-8000-000000000011' $$,
  format($$ values ('scheduled'::text, timestamptz %L, interval '60 minutes', 'Rita'::text, '+15551110011'::public.e164, 'AC tune-up'::text, 'Gate code 12'::text) $$,
         :'wed' || ' 14:00-05'),
  'reschedule: one new scheduled row, rescheduled_from = old id, same customer/service/notes, same 60-minute length');
select is((select id::text from public.appointments where rescheduled_from = '09a00000-0000-4000-8000-000000000011'),
  (select (r->>'result')::jsonb->>'appointment_id' from rpc where k = 'move'),
  'reschedule: the result''s appointment_id is the new row');

select results_eq($$ select (r->>'ok')::boolean, r->>'reason' from rpc where k = 'taken' $$,
  $$ values (false, 'slot_taken') $$, 'reschedule onto ANOTHER appointment (11:30 overlaps 12:00–13:00): reason slot_taken');
select alike((select r->>'error' from rpc where k = 'taken'), 'That time is already taken. %The original appointment is unchanged.',
  'reschedule onto another appointment: the error says the time is taken and the original is unchanged');
select is((select status from public.appointments where id = '09a00000-0000-4000-8000-000000000012'), 'scheduled',
  'reschedule onto another appointment: the old row is still scheduled (the cancellation was undone)');
select is_empty($$ select 1 from public.appointments where rescheduled_from = '09a00000-0000-4000-8000-000000000012' $$,
  'reschedule onto another appointment: no new row');

select results_eq($$ select r->>'reason', (r->>'result')::jsonb->>'start_time', (r->>'result')::jsonb->>'end_time' from rpc where k = 'own_window' $$,
  format($$ values ('rescheduled', %L, %L) $$, :'fri' || 'T10:30:00-05:00', :'fri' || 'T11:30:00-05:00'),
  'reschedule within its own window (10:00 → 10:30 of a 60-minute appointment, found by phone + time): rescheduled');
select results_eq($$ select status from public.appointments where id = '09a00000-0000-4000-8000-000000000013'
                    union all select status from public.appointments where rescheduled_from = '09a00000-0000-4000-8000-000000000013' $$,
  $$ values ('cancelled'::text), ('scheduled') $$,
  'reschedule within its own window: old row cancelled, new 10:30 row scheduled');

select results_eq($$ select (r->>'ok')::boolean, r->>'reason', r->>'error' from rpc where k = 'cancelled' $$,
  $$ values (false, 'invalid_arguments', 'That appointment is no longer active, so it cannot be moved. I can book a new one instead.') $$,
  'reschedule a cancelled appointment: refused');
select is_empty($$ select 1 from public.appointments where rescheduled_from = '09a00000-0000-4000-8000-000000000014' $$,
  'reschedule a cancelled appointment: no new row');

select results_eq($$ select (r->>'ok')::boolean, r->>'reason' from rpc where k = 'closed' $$,
  $$ values (false, 'outside_hours') $$, 'reschedule to Saturday (A is closed): reason outside_hours');
select alike((select r->>'error' from rpc where k = 'closed'), 'We are closed that day. Nearest open times: %Times are in New York time. The appointment was not changed.',
  'reschedule outside hours: the error offers open times, names the zone and says nothing changed');
select results_eq($$ select status, start_time from public.appointments where id = '09a00000-0000-4000-8000-000000000015'
                    union all select status, start_time from public.appointments where rescheduled_from = '09a00000-0000-4000-8000-000000000015' $$,
  format($$ values ('scheduled'::text, timestamptz %L) $$, :'mon2' || ' 10:00-05'),
  'reschedule outside hours: the old row is untouched and no new row exists');

-- A past appointment is kept as it is, like cancel refuses it.
select tests.authenticate_as_service_role();
insert into rpc values ('past_move', public.resolve_org_and_reschedule('asst_cx_a', null, 'call_rs', 'tc_past_move',
  jsonb_build_object('appointment_id', '09a00000-0000-4000-8000-000000000004', 'new_start_time', :'wed2' || 'T10:00')));
reset role;
select results_eq($$ select (r->>'ok')::boolean, r->>'reason', r->>'error' from rpc where k = 'past_move' $$,
  $$ values (false, 'past_appointment', 'That appointment has already started or taken place, so it can no longer be moved.') $$,
  'reschedule a past appointment: refused with reason past_appointment, like cancel');
select results_eq($$ select status from public.appointments where id = '09a00000-0000-4000-8000-000000000004'
                    union all select status from public.appointments where rescheduled_from = '09a00000-0000-4000-8000-000000000004' $$,
  $$ values ('scheduled'::text) $$,
  'reschedule a past appointment: the row is untouched and no new row exists');

-- A moved appointment is found by its old id or old time: the caller means the booking that replaced it.
select tests.authenticate_as_service_role();
insert into rpc values ('move_again', public.resolve_org_and_reschedule('asst_cx_a', null, 'call_rs', 'tc_move_again',
  jsonb_build_object('appointment_id', '09a00000-0000-4000-8000-000000000011', 'new_start_time', :'wed' || 'T16:00')));
-- Vapi's retry of that move (a new tool call id: the first answer was lost) finds the moved booking already there.
insert into rpc values ('move_again_retry', public.resolve_org_and_reschedule('asst_cx_a', null, 'call_rs', 'tc_move_again_retry',
  jsonb_build_object('appointment_id', '09a00000-0000-4000-8000-000000000011', 'new_start_time', :'wed' || 'T16:00')));
select count(*) as rita_rows from public.appointments where customer_name = 'Rita' \gset
insert into rpc values ('cancel_old_id', public.resolve_org_and_cancel('asst_cx_a', null, 'call_rs', 'tc_cancel_old_id',
  jsonb_build_object('appointment_id', '09a00000-0000-4000-8000-000000000011')));
insert into rpc values ('cancel_old_time', public.resolve_org_and_cancel('asst_cx_a', null, 'call_rs', 'tc_cancel_old_time',
  jsonb_build_object('customer_phone', '+15551110011', 'start_time', :'wed' || 'T10:00')));
reset role;
select results_eq($$ select r->>'reason', (r->>'result')::jsonb->>'start_time', (r->>'result')::jsonb->>'previous_appointment_id' from rpc where k = 'move_again' $$,
  format($$ values ('rescheduled', %L, %L) $$, :'wed' || 'T16:00:00-05:00', (select (r->>'result')::jsonb->>'appointment_id' from rpc where k = 'move')),
  'reschedule by the ORIGINAL id after a move: the moved booking (14:00) is moved again, to 16:00');
select results_eq($$ select rescheduled_from::text from public.appointments where customer_name = 'Rita' order by start_time $$,
  format($$ values (null::text), ('09a00000-0000-4000-8000-000000000011'), (%L) $$,
         (select (r->>'result')::jsonb->>'appointment_id' from rpc where k = 'move')),
  'after two moves: three rows chained 10:00 → 14:00 → 16:00');
select is((select r->>'result' from rpc where k = 'move_again_retry'), (select r->>'result' from rpc where k = 'move_again'),
  'a retried move to where the booking already is: the first answer again, word for word');
select is(:rita_rows::int, 3, 'a retried move to where the booking already is: no new row (it changed nothing)');
select results_eq($$ select r->>'reason', (r->>'result')::jsonb->>'appointment_id', (r->>'result')::jsonb->>'start_time' from rpc where k = 'cancel_old_id' $$,
  format($$ values ('cancelled', %L, %L) $$, (select (r->>'result')::jsonb->>'appointment_id' from rpc where k = 'move_again'), :'wed' || 'T16:00:00-05:00'),
  'cancel by the ORIGINAL id after two moves: the current booking (16:00) is cancelled, not "already cancelled"');
select is_empty($$ select 1 from public.appointments where customer_name = 'Rita' and is_active $$,
  'cancel by the original id: no active booking of Rita''s is left');
select results_eq($$ select r->>'reason', (r->>'result')::jsonb->>'appointment_id' from rpc where k = 'cancel_old_time' $$,
  format($$ values ('already_cancelled', %L) $$, (select (r->>'result')::jsonb->>'appointment_id' from rpc where k = 'move_again')),
  'cancel by phone + the ORIGINAL time once everything is cancelled: already_cancelled, naming the last booking');

-- A hand-made cycle of rescheduled_from (admins can write it) ends the lookup instead of spinning.
update public.appointments set status = 'cancelled', rescheduled_from = '09a00000-0000-4000-8000-000000000002'
where id = '09a00000-0000-4000-8000-000000000001';
update public.appointments set rescheduled_from = '09a00000-0000-4000-8000-000000000001'
where id = '09a00000-0000-4000-8000-000000000002';
select tests.authenticate_as_service_role();
insert into rpc values ('cycle', public.resolve_org_and_cancel('asst_cx_a', null, 'call_rs', 'tc_cycle',
  jsonb_build_object('appointment_id', '09a00000-0000-4000-8000-000000000001')));
reset role;
select results_eq($$ select r->>'reason' from rpc where k = 'cycle' $$, $$ values ('already_cancelled') $$,
  'a rescheduled_from cycle between cancelled rows: the lookup stops and answers already_cancelled');

-- "Cancel my appointment" with nothing upcoming (20261205173000): Cy's cancelled Tuesday is named as already cancelled;
-- a caller with no appointment at all still hears "not found"; moving it says it is no longer active.
select results_eq($$ select r->>'reason', (r->>'result')::jsonb->>'appointment_id'
                     from tests.tool_call('cancel', 'asst_cx_a', 'call_my', '{}', '+15551110003', 'tc_my') as r $$,
  $$ values ('already_cancelled', '09a00000-0000-4000-8000-000000000003') $$,
  'my appointment, already cancelled: already_cancelled, naming it');
select is((tests.tool_call('cancel', 'asst_cx_a', 'call_my2', '{}', '+15551110077', 'tc_my'))->>'reason', 'not_found',
  'a caller without any appointment: not_found');
select is((tests.tool_call('reschedule', 'asst_cx_a', 'call_my3', jsonb_build_object('new_start_time', :'thu' || 'T10:00'),
                           '+15551110003', 'tc_my'))->>'error',
  'That appointment is no longer active, so it cannot be moved. I can book a new one instead.',
  'moving it: no longer active');

select * from finish();
rollback;
