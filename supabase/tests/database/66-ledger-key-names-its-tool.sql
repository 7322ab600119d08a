-- What a ledger key (call id, tool call id) replays (20261205143400_reused_tool_call_ids.sql, 20261205171300): the same tool that
-- writes replays whatever its arguments (nothing is done twice); check_availability replays only the same question and
-- serves another one under `<id>#<hash>` (a model back end reusing "0" each turn hears the day it asked about); another
-- write under a used key is a conflict, so a replayed "booked" never stands beside a served cancel; a question and a
-- write sharing a key are each served (a back end numbering each turn's calls "0" can book after asking: 20261205171300).
begin;
select plan(26);

select d as day from (select (current_date + n)::text as d from generate_series(10, 16) as n) as x
 where extract(isodow from d::date) < 6 limit 1 \gset
select (:'day'::date + 1)::text as next_day \gset
create temp table rpc (k text primary key, r jsonb);
grant select, insert on rpc to service_role;
select tests.authenticate_as_service_role();
insert into rpc values ('book', public.resolve_org_and_book('asst_hvac_company_assistant', null, 'call_ledger_66', 'same-id',
  jsonb_build_object('start_time', :'day' || 'T09:00', 'customer_name', 'Kim'), null, '+15557776666'));
insert into rpc values ('again', public.resolve_org_and_book('asst_hvac_company_assistant', null, 'call_ledger_66', 'same-id',
  jsonb_build_object('start_time', :'day' || 'T09:00', 'customer_name', 'Kim'), null, '+15557776666'));
insert into rpc values ('altered', public.resolve_org_and_book('asst_hvac_company_assistant', null, 'call_ledger_66', 'same-id',
  jsonb_build_object('start_time', :'day' || 'T13:00', 'customer_name', 'Kim'), null, '+15557776666'));
insert into rpc values ('ask', public.resolve_org_and_check_availability('asst_hvac_company_assistant', null, 'call_ledger_66',
  'q-0', jsonb_build_object('date', :'day'), null, '+15557776666'));
insert into rpc values ('ask again', public.resolve_org_and_check_availability('asst_hvac_company_assistant', null,
  'call_ledger_66', 'q-0', jsonb_build_object('date', :'day'), null, '+15557776666'));
insert into rpc values ('ask other', public.resolve_org_and_check_availability('asst_hvac_company_assistant', null,
  'call_ledger_66', 'q-0', jsonb_build_object('date', :'next_day'), null, '+15557776666'));
insert into rpc values ('cancel', public.resolve_org_and_cancel('asst_hvac_company_assistant', null, 'call_ledger_66', 'same-id',
  '{}', null, '+15557776666'));
insert into rpc values ('cancel again', public.resolve_org_and_cancel('asst_hvac_company_assistant', null, 'call_ledger_66',
  'same-id', '{}', null, '+15557776666'));
reset role;

select is((select r->>'reason' from rpc where k = 'book'), 'booked', 'booked');
select is((select (r->>'replayed')::boolean from rpc where k = 'again'), true, 'the same tool again under the key: replayed');
select is((select r - 'replayed' from rpc where k = 'altered'), (select r - 'replayed' from rpc where k = 'book'),
  'the same writing tool with other arguments: the first answer (the key alone decides nothing is done twice)');
select is((select (r->>'replayed')::boolean from rpc where k = 'ask again'), true, 'the same question again: replayed');
select ok((select r->>'result' <> (select r->>'result' from rpc where k = 'ask')
                  and not coalesce((r->>'replayed')::boolean, false)
           from rpc where k = 'ask other'), 'another question under the same key: served, not the first day''s answer');
select is((select r->>'reason' from rpc where k = 'cancel'), 'tool_call_conflict',
  'another tool under a booking''s key: a conflict, not the booking''s "booked"');
select is((select status from public.appointments where vapi_call_id = 'call_ledger_66'), 'scheduled',
  '… nothing is cancelled');
select is((select r->>'reason' from rpc where k = 'cancel again'), 'tool_call_conflict', 'its redelivery too…');
select is((select count(*)::int from public.tool_call_executions
           where vapi_call_id = 'call_ledger_66' and tool_call_id like 'same-id#%'), 0, '… and no key of its own');
select is((select count(*)::int from public.appointments where vapi_call_id = 'call_ledger_66'), 1,
  'one booking under "same-id" in all');
select is((select count(*)::int from public.tool_call_executions
           where vapi_call_id = 'call_ledger_66' and tool_call_id like 'q-0#%'), 1,
  'the other question is kept under the key of its own request');

-- Keys are each organization's own (20261205213133): another organization presenting the key is served as its own
-- tool call, on its own rows, and claims nothing of HVAC's — HVAC's key still replays, and a key another organization
-- claimed first under HVAC's call id is still HVAC's to use (helper-84 #2; its tenant's own call log untouched: 04, 59).
select tests.authenticate_as_service_role();
insert into rpc values ('other org', public.resolve_org_and_cancel('asst_plumbing_company_assistant', null, 'call_ledger_66',
  'same-id', '{}', null, '+15557776666'));
insert into rpc values ('again after other', public.resolve_org_and_book('asst_hvac_company_assistant', null,
  'call_ledger_66', 'same-id', jsonb_build_object('start_time', :'day' || 'T09:00', 'customer_name', 'Kim'), null,
  '+15557776666'));
insert into rpc values ('other first', public.resolve_org_and_check_availability('asst_plumbing_company_assistant', null,
  'call_ledger_66b', 'x3', jsonb_build_object('date', :'day'), null, '+15557776666'));
insert into rpc values ('own after other', public.resolve_org_and_book('asst_hvac_company_assistant', null,
  'call_ledger_66b', 'x3', jsonb_build_object('start_time', :'day' || 'T15:00', 'customer_name', 'Kim'), null,
  '+15557776666'));
-- A tool call without an id: its derived key counts only its own organization's tool calls in the call (helper-85 #3).
insert into rpc values ('no id', public.resolve_org_and_check_availability('asst_hvac_company_assistant', null,
  'call_ledger_66c', null, jsonb_build_object('date', :'day'), null, '+15557776666'));
insert into rpc values ('no id other org', public.resolve_org_and_check_availability('asst_plumbing_company_assistant',
  null, 'call_ledger_66c', null, jsonb_build_object('date', :'next_day'), null, '+15557776666'));
insert into rpc values ('no id again', public.resolve_org_and_check_availability('asst_hvac_company_assistant', null,
  'call_ledger_66c', null, jsonb_build_object('date', :'day'), null, '+15557776666'));
reset role;
select is((select (r->>'replayed')::boolean from rpc where k = 'no id again'), true,
  'an id-less tool call redelivered after another organization''s under its call id: still replayed');
select results_eq($$ select r->>'reason', r->>'organization_id' from rpc where k = 'other org' $$,
  $$ values ('not_found', '6d593c7a-b00f-47be-8f77-cc4d1231f706') $$,
  'another organization under HVAC''s key: served as its own (nothing of its to cancel), not a conflict');
select is((select array_agg(status) from public.appointments where vapi_call_id = 'call_ledger_66' and customer_name = 'Kim'
             and start_time = (:'day' || ' 09:00')::timestamp at time zone 'America/New_York'),
  array['scheduled'], '… HVAC''s booking stands');
select is((select r - 'replayed' from rpc where k = 'again after other'), (select r - 'replayed' from rpc where k = 'book'),
  '… and HVAC''s key still replays its booking');
select results_eq($$ select r->>'reason', r->>'organization_id' from rpc where k = 'own after other' $$,
  $$ values ('booked', 'd91e4aa4-914a-4d76-b5b7-2ee26e09b2a2') $$,
  'a key another organization claimed first under a call id: HVAC''s own tool call under it is served (booked)');

-- A question, then a booking under the same id "t-0": booked under a key of its own; its redelivery replays; a cancel
-- under "t-0" is still a conflict (the booking holds the id's family); a question under the booking's key is answered.
select tests.authenticate_as_service_role();
insert into rpc values ('t ask', public.resolve_org_and_check_availability('asst_hvac_company_assistant', null,
  'call_ledger_66', 't-0', jsonb_build_object('date', :'next_day'), null, '+15557776666'));
insert into rpc values ('t book', public.resolve_org_and_book('asst_hvac_company_assistant', null, 'call_ledger_66', 't-0',
  jsonb_build_object('start_time', :'next_day' || 'T11:00', 'customer_name', 'Lee'), null, '+15557776665'));
insert into rpc values ('t book again', public.resolve_org_and_book('asst_hvac_company_assistant', null, 'call_ledger_66',
  't-0', jsonb_build_object('start_time', :'next_day' || 'T11:00', 'customer_name', 'Lee'), null, '+15557776665'));
insert into rpc values ('t book other', public.resolve_org_and_book('asst_hvac_company_assistant', null, 'call_ledger_66',
  't-0', jsonb_build_object('start_time', :'next_day' || 'T14:00', 'customer_name', 'Lee'), null, '+15557776665'));
insert into rpc values ('t cancel', public.resolve_org_and_cancel('asst_hvac_company_assistant', null, 'call_ledger_66',
  't-0', '{}', null, '+15557776665'));
insert into rpc values ('ask under a booking', public.resolve_org_and_check_availability('asst_hvac_company_assistant',
  null, 'call_ledger_66', 'same-id', jsonb_build_object('date', :'next_day'), null, '+15557776666'));
reset role;
select is((select r->>'reason' from rpc where k = 't book'), 'booked', 'a booking under a question''s id: booked');
select is((select tool_name from public.tool_call_executions
           where vapi_call_id = 'call_ledger_66' and tool_call_id like 't-0#%'), 'book_appointment',
  '… under a key of its own');
select is((select (r->>'replayed')::boolean from rpc where k = 't book again'), true, 'its redelivery: replayed');
select is((select r - 'replayed' from rpc where k = 't book other'), (select r - 'replayed' from rpc where k = 't book'),
  'the same writing tool with other arguments under that id: the first answer, as under any id');
select is((select (r->>'replayed')::boolean from rpc where k = 't book other'), true, '… replayed');
select is((select r->>'reason' from rpc where k = 't cancel'), 'tool_call_conflict',
  'a cancel under that id: a conflict (another write holds it)');
select is((select count(*)::int from public.appointments
           where vapi_call_id = 'call_ledger_66' and status = 'scheduled'), 2, '… the two bookings stand');
select ok((select r->>'reason' in ('available', 'unavailable') from rpc where k = 'ask under a booking'),
  'a question under a booking''s id: answered');

-- A key the call cannot claim never runs unrecorded: a question under "w" whose own key `w#<its hash>` the client
-- already used for yet another question (helper-71 #4).
select (:'day'::date + 2)::text as third_day \gset
select 'w#' || md5('check_availability:' || private.trimmed_arguments(jsonb_build_object('date', :'third_day'))::text)
  as taken_key \gset
select tests.authenticate_as_service_role();
insert into rpc values ('w', public.resolve_org_and_check_availability('asst_hvac_company_assistant', null, 'call_ledger_66',
  'w', jsonb_build_object('date', :'day'), null, '+15557776666'));
insert into rpc values ('w#', public.resolve_org_and_check_availability('asst_hvac_company_assistant', null, 'call_ledger_66',
  :'taken_key', jsonb_build_object('date', :'next_day'), null, '+15557776666'));
insert into rpc values ('w third', public.resolve_org_and_check_availability('asst_hvac_company_assistant', null,
  'call_ledger_66', 'w', jsonb_build_object('date', :'third_day'), null, '+15557776666'));
reset role;
select is((select r->>'reason' from rpc where k = 'w third'), 'tool_call_conflict',
  'both keys taken by other questions: a conflict, not an unrecorded run');
select is((select count(*)::int from public.tool_call_executions
           where vapi_call_id = 'call_ledger_66' and tool_call_id like 'w%'), 2, '… and no third ledger row');

select * from finish();
rollback;
