-- A business with an English line and a Spanish line (each a configuration, the English one older): a call found by
-- its Spanish line is the Spanish line's — its answers, its call log, its texts, its transfer — and a booking's first
-- tool call texts in its call's language although no event logged the call before (20261206060342–060344,
-- helper-114 #1). Another organization's rows are untouched.
begin;
select plan(22);

insert into public.organizations (id, name, timezone) values
  ('a0000000-0000-4000-8000-00000000000a', 'Two Lines Co', 'UTC'),
  ('a0000000-0000-4000-8000-00000000000b', 'Other Co', 'UTC');
insert into public.customer_configurations (organization_id, vapi_assistant_id, vapi_phone_number, vapi_phone_number_id,
                                            primary_language, transfer_phone_number, sms_preferences, created_at)
values
  ('a0000000-0000-4000-8000-00000000000a', 'asst_line_en', '+15551000101', 'pn-line-en', 'en', '+15551000901',
   '{"enabled": true, "quiet_hours": null}', now() - interval '1 year'),
  ('a0000000-0000-4000-8000-00000000000a', 'asst_line_es', '+15551000102', 'pn-line-es', 'es', '+15551000902',
   '{"enabled": true, "quiet_hours": null}', now()),
  ('a0000000-0000-4000-8000-00000000000b', 'asst_line_other', '+15551000103', 'pn-line-other', 'es', null,
   '{"enabled": true, "quiet_hours": null}', now());
insert into public.business_hours (organization_id, weekday, opens_at, closes_at)
select o, d, '00:00', '24:00'
from unnest(array['a0000000-0000-4000-8000-00000000000a', 'a0000000-0000-4000-8000-00000000000b']::uuid[]) as o,
     generate_series(0, 6) as d;
select to_char(now()::date + 10, 'YYYY-MM-DD') as day \gset
select private.spoken_time((:'day' || 'T10:00Z')::timestamptz, 'UTC', 'es') as es_10,
       private.spoken_time((:'day' || 'T11:00Z')::timestamptz, 'UTC', 'es') as es_11 \gset
select tests.authenticate_as_service_role();

-- Found by its Spanish line's number, no assistant named: Spanish, although the English configuration is older.
select is(public.resolve_org_and_book(p_phone_number => '+15551000102', p_vapi_call_id => 'call_line_es_1',
            p_tool_call_id => 'tc1', p_arguments => '{"customer_name": "Ana"}') ->> 'language', 'es',
  'found by the Spanish line''s number: answered in Spanish');
select is(public.resolve_org_and_check_availability(p_phone_number_id => 'pn-line-es', p_vapi_call_id => 'call_line_es_2',
            p_tool_call_id => 'tc1', p_arguments => jsonb_build_object('date', :'day')) ->> 'language', 'es',
  'found by the Spanish line''s id: answered in Spanish');
select is(public.resolve_org_and_check_availability(p_phone_number_id => 'pn-line-en', p_vapi_call_id => 'call_line_en_1',
            p_tool_call_id => 'tc1', p_arguments => jsonb_build_object('date', :'day')) ->> 'language', 'en',
  'found by the English line''s id: English');
select is(public.resolve_org_and_check_availability(p_assistant_id => 'asst_line_en', p_phone_number => '+15551000102',
            p_vapi_call_id => 'call_line_en_2', p_tool_call_id => 'tc1', p_arguments => jsonb_build_object('date', :'day'))
            ->> 'language', 'en',
  'an assistant named still decides before the line');

-- A first tool call that books, on the Spanish line: the call is the line's assistant's, its confirmation Spanish.
select is(public.resolve_org_and_book(p_phone_number => '+15551000102', p_vapi_call_id => 'call_line_es_3',
            p_tool_call_id => 'tc1', p_caller_phone => '+15551000555',
            p_arguments => jsonb_build_object('start_time', :'day' || 'T10:00', 'customer_name', 'Ana')) ->> 'reason',
  'booked', 'booked by the Spanish line');
select is((select vapi_assistant_id from public.call_logs where vapi_call_id = 'call_line_es_3'), 'asst_line_es',
  'its call log names the Spanish line''s assistant');
select alike((select n.body from public.notifications as n join public.appointments as a on a.id = n.appointment_id
              where a.vapi_call_id = 'call_line_es_3' and n.kind = 'confirmation'),
  '%' || :'es_10' || '%',
  'its confirmation text is Spanish');

-- By its assistant, the call's first tool call (no status-update came first): texted in the assistant's language.
select is(public.resolve_org_and_book(p_assistant_id => 'asst_line_es', p_vapi_call_id => 'call_line_es_4',
            p_tool_call_id => 'tc1', p_caller_phone => '+15551000556',
            p_arguments => jsonb_build_object('start_time', :'day' || 'T11:00', 'customer_name', 'Eva')) ->> 'reason',
  'booked', 'booked by the Spanish assistant, first event of its call');
select alike((select n.body from public.notifications as n join public.appointments as a on a.id = n.appointment_id
              where a.vapi_call_id = 'call_line_es_4' and n.kind = 'confirmation'),
  '%' || :'es_11' || '%',
  'its confirmation text is Spanish too (not the older English configuration''s)');

-- Transfers and call events found by the line.
select is(public.transfer_destination(p_phone_number => '+15551000102', p_vapi_call_id => 'call_line_es_5')
            - 'organization_id',
  '{"ok": true, "reason": "transfer", "language": "es", "destination": "+15551000902", "resolved_by": "phone_number"}'::jsonb,
  'a transfer found by the Spanish line goes to its person, said in Spanish');
select is(public.record_call_event(p_phone_number_id => 'pn-line-es', p_vapi_call_id => 'call_line_es_6',
            p_event => '{"type": "status-update", "status": "in-progress"}') ->> 'language', 'es',
  'a status-update found by the Spanish line: Spanish');
select is((select vapi_assistant_id from public.call_logs where vapi_call_id = 'call_line_es_6'), 'asst_line_es',
  'and its call log names the line''s assistant');
select is(public.record_call_event(p_phone_number_id => 'pn-line-en', p_vapi_call_id => 'call_line_en_3',
            p_event => '{"type": "status-update", "status": "in-progress"}') ->> 'language', 'en',
  'one found by the English line: English');

-- A caller's switch is one the call's own configuration speaks, detected as any configured code is written.
update public.customer_configurations set secondary_languages = '{en-US}' where vapi_assistant_id = 'asst_line_es';
select is(public.record_call_event(p_phone_number_id => 'pn-line-es', p_vapi_call_id => 'call_line_es_6',
            p_event => '{"type": "language-change-detected", "language": "en_us"}') ->> 'language', 'en',
  'the Spanish line''s call switches to en_us (its line speaks en-US)');
select is(public.record_call_event(p_phone_number_id => 'pn-line-en', p_vapi_call_id => 'call_line_en_3',
            p_event => '{"type": "language-change-detected", "language": "es_MX"}') ->> 'reason',
  'language_not_configured', 'the English line''s call does not switch to Spanish (its line speaks none)');

-- A line set up without an assistant (Spanish), beside an older English configuration with one: a call found by that
-- line stays its line's when later messages name only the call (helper-115 #1).
reset role;
insert into public.organizations (id, name, timezone) values ('a0000000-0000-4000-8000-00000000000c', 'No Assistant Co', 'UTC');
insert into public.customer_configurations (organization_id, vapi_assistant_id, vapi_phone_number, primary_language,
                                            transfer_phone_number, created_at)
values ('a0000000-0000-4000-8000-00000000000c', 'asst_c_en', '+15551000201', 'en', '+15551000911', now() - interval '1 year'),
       ('a0000000-0000-4000-8000-00000000000c', null, '+15551000202', 'es', '+15551000912', now());
select tests.authenticate_as_service_role();
select is(public.resolve_org_and_check_availability(p_phone_number => '+15551000202', p_vapi_call_id => 'call_c_1',
            p_tool_call_id => 'tc1', p_arguments => jsonb_build_object('date', :'day')) ->> 'language', 'es',
  'found by the line without an assistant: Spanish');
select is(public.resolve_org_and_check_availability(p_vapi_call_id => 'call_c_1', p_tool_call_id => 'tc2',
            p_arguments => jsonb_build_object('date', :'day')) ->> 'language', 'es',
  'the same call, named by its id only: still Spanish');
select is(public.transfer_destination(p_vapi_call_id => 'call_c_1') ->> 'destination', '+15551000912',
  'and transferred to that line''s person');
select is(public.record_call_event(p_vapi_call_id => 'call_c_1',
            p_event => '{"type": "language-change-detected", "language": "es"}') ->> 'reason', 'recorded',
  'a switch to Spanish is one its configuration speaks');

-- Two tool calls of one call id in one transaction (a script's batch): what one noted never decides the other's.
select is(public.resolve_org_and_check_availability(p_phone_number => '+15551000102', p_vapi_call_id => 'call_tx_1',
            p_tool_call_id => 'tc1', p_arguments => jsonb_build_object('date', :'day')) ->> 'language', 'es',
  'by the Spanish line: Spanish');
select is(public.resolve_org_and_check_availability(p_assistant_id => 'asst_line_en', p_vapi_call_id => 'call_tx_1',
            p_tool_call_id => 'tc2', p_arguments => jsonb_build_object('date', :'day')) ->> 'language', 'en',
  'then by the English assistant, same call id, same transaction: English');

select is((select count(*)::int from public.call_logs where organization_id = 'a0000000-0000-4000-8000-00000000000b'),
  0, 'the other organization has no call log from any of it');

select * from finish();
rollback;
