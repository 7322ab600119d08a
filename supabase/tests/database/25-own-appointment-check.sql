-- "Is 10:30 free?" from a caller whose own 10:00 job holds it (20261205204852_own_appointment_said.sql): still not free
-- (a second job could not go there), and the answer says it is the caller's own appointment — which a move can take.
-- Another caller asking the same hears nothing of it. Nothing is written by a check.
begin;
select plan(5);

select tests.future_weekday('America/New_York') as day \gset
create function pg_temp.check(p_call text, p_time text, p_caller text) returns jsonb language sql
as $$ select tests.tool_call('check', 'asst_hvac_company_assistant', p_call,
                             jsonb_build_object('from', p_time, 'to', p_time), p_caller) $$;

select is(tests.tool_call('book', 'asst_hvac_company_assistant', 'own_1',
            jsonb_build_object('start_time', :'day' || 'T10:00', 'customer_name', 'Shay'), '+15553330101')->>'reason',
  'booked', 'the caller books 10:00');
select alike(pg_temp.check('own_2', :'day' || 'T10:30', '+15553330101')->>'result',
  'There are no open times then. % That time overlaps your own appointment on %10:00 AM. %',
  '"is 10:30 free?" from that caller: not free, and their own appointment is named');
select unalike(pg_temp.check('own_3', :'day' || 'T10:30', '+15553339999')->>'result',
  '%your own appointment%', 'another caller hears nothing of it');
select is(tests.tool_call('reschedule', 'asst_hvac_company_assistant', 'own_4',
            jsonb_build_object('new_start_time', :'day' || 'T10:30'), '+15553330101')->>'reason',
  'rescheduled', '… and moving the appointment there succeeds, as the answer lets the assistant offer');
select is((select count(*)::int from public.appointments where customer_phone = '+15553330101' and is_active), 1,
  'one active appointment: checks wrote nothing');

select * from finish();
rollback;
