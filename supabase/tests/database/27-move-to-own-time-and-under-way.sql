-- A move to the time the appointment already has (20261205213938_move_to_its_own_time.sql): nothing is written and the
-- caller hears it is already then — unless this call moved it there (a retry of that move hears its first answer). An
-- appointment under way (20261205213638): "cancel / move my appointment" hears it has already started, not "not found".
begin;
select plan(9);

select tests.future_weekday('America/New_York') as day \gset
\set hvac 'asst_hvac_company_assistant'

select is(tests.tool_call('book', :'hvac', 'own_time_1', jsonb_build_object('start_time', :'day' || 'T09:00',
            'customer_name', 'Noor Ali'), '+15553660101')->>'reason', 'booked', 'Noor books 9:00');
select count(*) as texts_before from public.notifications where to_phone = '+15553660101' \gset
create temp table answer (k text primary key, r jsonb);
insert into answer values ('same time', tests.tool_call('reschedule', :'hvac', 'own_time_2',
  jsonb_build_object('new_start_time', :'day' || 'T09:00'), '+15553660101'));
select results_eq($$ select (r->>'ok')::boolean, r->>'reason', (r->>'result')::jsonb->>'status' from answer where k = 'same time' $$,
  $$ values (true, 'unchanged', 'unchanged') $$, 'a move to the time it already has (another call): unchanged');
select alike((select (r->>'result')::jsonb->>'message' from answer where k = 'same time'),
  'The appointment of Noor Ali is already on %9:00 AM (New York time); nothing was changed.',
  '… and the caller hears it is already then');
select results_eq($$ select count(*)::int, count(*) filter (where status = 'scheduled')::int from public.appointments
                    where customer_phone = '+15553660101' $$, $$ values (1, 1) $$, '… nothing written: the one booking');
select is((select count(*) from public.notifications where to_phone = '+15553660101'), :'texts_before'::bigint,
  '… and no text queued');

-- Moved in this call, then asked again (a retry whose answer was lost): the first answer, as before.
select is(tests.tool_call('reschedule', :'hvac', 'own_time_3', jsonb_build_object('new_start_time', :'day' || 'T11:00'),
            '+15553660101', 'm1')->>'reason', 'rescheduled', 'moved to 11:00');
select is(tests.tool_call('reschedule', :'hvac', 'own_time_3', jsonb_build_object('new_start_time', :'day' || 'T11:00'),
            '+15553660101', 'm2')->>'reason', 'rescheduled', 'the same move again in that call: "rescheduled" (its first answer)');

-- Under way: started 20 minutes ago, ends in 40.
insert into public.appointments (organization_id, start_time, end_time, customer_name, customer_phone)
values ('d91e4aa4-914a-4d76-b5b7-2ee26e09b2a2', date_trunc('minute', now()) - interval '20 minutes',
        date_trunc('minute', now()) + interval '40 minutes', 'Ivo Petrov', '+15553660202');
select is(tests.tool_call('cancel', :'hvac', 'under_way_1', '{}', '+15553660202')->>'error',
  'That appointment has already started or taken place, so it can no longer be cancelled.',
  '"cancel my appointment" during it: already started (not "I could not find that appointment")');
select is(tests.tool_call('reschedule', :'hvac', 'under_way_2', jsonb_build_object('new_start_time', :'day' || 'T15:00'),
            '+15553660202')->>'error',
  'That appointment has already started or taken place, so it can no longer be moved.', '"move my appointment" during it: the same');

select * from finish();
rollback;
