-- A booking confirmed rather than made — a retry under a new tool call id, a redial — answers with reason
-- `already_booked` (20261206082833, helper-118 #1): the log line tells it from a new booking. Its status stays
-- `booked`, its appointment is the first one, and nothing is inserted; a replay of the first tool call is its first
-- answer (`booked`).
begin;
select plan(6);

select tests.future_weekday('America/New_York', 12) || 'T10:00' as at \gset
select jsonb_build_object('start_time', :'at', 'customer_name', 'Dana Ortiz', 'service', 'Furnace tune-up') as args \gset

select tests.tool_call('book', 'asst_hvac_company_assistant', 'cb_call', :'args', '+15550104444', 'tc_first') as first \gset
select is(:'first'::jsonb ->> 'reason', 'booked', 'a new booking: booked');
select tests.tool_call('book', 'asst_hvac_company_assistant', 'cb_call', :'args', '+15550104444', 'tc_retry') as retry \gset
select is((:'retry'::jsonb ->> 'reason') || ' ' || ((:'retry'::jsonb ->> 'result')::jsonb ->> 'status'),
  'already_booked booked', 'the same call, a new tool call id: already_booked (status booked)');
select is((:'retry'::jsonb ->> 'result')::jsonb ->> 'appointment_id', (:'first'::jsonb ->> 'result')::jsonb ->> 'appointment_id',
  '… the same appointment');
select is(tests.tool_call('book', 'asst_hvac_company_assistant', 'cb_redial', :'args', '+15550104444', 'tc_1')
            ->> 'reason', 'already_booked', 'a redial (a new call) from the same number: already_booked');
select is((select count(*)::int from public.appointments where customer_phone = '+15550104444'), 1, 'one appointment');
select is(tests.tool_call('book', 'asst_hvac_company_assistant', 'cb_call', :'args', '+15550104444', 'tc_first')
            ->> 'reason', 'booked', 'a replay of the first tool call: its first answer');

select * from finish();
rollback;
