-- public.record_call_event v2 (*_call_events_v2.sql): an event never changes another organization's call, for every
-- event type; the line's Vapi id and number are tenant keys; implausible times are ignored; the report's analysis is
-- kept; a detected language is recorded only when the call's configuration speaks it.
begin;
select plan(21);

insert into public.organizations (id, name, timezone) values
  ('13000000-0000-4000-8000-00000000000a', 'Events A', 'America/New_York'),
  ('13000000-0000-4000-8000-00000000000b', 'Events B', 'America/Chicago');
insert into public.customer_configurations
  (organization_id, vapi_assistant_id, vapi_phone_number, vapi_phone_number_id, primary_language, secondary_languages) values
  ('13000000-0000-4000-8000-00000000000a', 'asst_ev_a', '+15557130001', 'pn_ev_a', 'en', '{es,fr}'),
  ('13000000-0000-4000-8000-00000000000b', 'asst_ev_b', '+15557130002', 'pn_ev_b', 'en', '{}');
-- The catalog languages this file relies on (h10's catalog may already have them).
insert into private.message_catalog (language, key, template) values
  ('en', 'test.ev_probe', 'probe'), ('es', 'test.ev_probe', 'sonda')
on conflict do nothing;

create temp table rpc (k text primary key, r jsonb);
grant select, insert on rpc to service_role;
create function pg_temp.ev(k text, a text, p text, c text, e jsonb, pid text default null) returns void
  language sql as $$ insert into rpc values (k, public.record_call_event(a, p, c, e, pid)) $$;
grant execute on function pg_temp.ev(text, text, text, text, jsonb, text) to service_role;

-- =====================================================================================================================
-- Section - A's call is not B's to change, whatever the event type and however B is identified
-- =====================================================================================================================
select tests.authenticate_as_service_role();
select pg_temp.ev('a1', 'asst_ev_a', null, 'call_ev_1', '{"type": "status-update", "status": "in-progress"}');
select pg_temp.ev('b_status', 'asst_ev_b', null, 'call_ev_1', '{"type": "status-update", "status": "ended"}');
select pg_temp.ev('b_report', 'asst_ev_b', null, 'call_ev_1',
  '{"type": "end-of-call-report", "summary": "written by B", "endedReason": "hacked", "cost": 9}');
select pg_temp.ev('b_lang', 'asst_ev_b', null, 'call_ev_1', '{"type": "language-change-detected", "language": "es"}');
select pg_temp.ev('b_line_id', null, null, 'call_ev_1', '{"type": "end-of-call-report", "summary": "B by line"}', 'pn_ev_b');
select pg_temp.ev('b_line', null, '+1 555 713 0002', 'call_ev_1', '{"type": "end-of-call-report", "summary": "B by number"}');
reset role;

select results_eq($$ select k, (r->>'ok')::boolean, (r->>'changed')::boolean, r->>'reason', r->>'organization_id'
                     from rpc where k like 'b\_%' order by k $$,
  $$ values ('b_lang', false, false, 'call_of_another_organization', '13000000-0000-4000-8000-00000000000b'),
            ('b_line', false, false, 'call_of_another_organization', '13000000-0000-4000-8000-00000000000b'),
            ('b_line_id', false, false, 'call_of_another_organization', '13000000-0000-4000-8000-00000000000b'),
            ('b_report', false, false, 'call_of_another_organization', '13000000-0000-4000-8000-00000000000b'),
            ('b_status', false, false, 'call_of_another_organization', '13000000-0000-4000-8000-00000000000b') $$,
  'every event type from B (by assistant, line id, line number) on A''s call: refused, nothing changed');
select results_eq($$ select organization_id, status, summary, ended_reason, cost, language from public.call_logs where vapi_call_id = 'call_ev_1' $$,
  $$ values ('13000000-0000-4000-8000-00000000000a'::uuid, 'in-progress'::text, null::text, null::text, null::numeric, null::text) $$,
  'A''s call is exactly as A left it');
select is((select count(*)::int from public.call_logs where vapi_call_id = 'call_ev_1'), 1, 'no second row for the call id');

select tests.authenticate_as_service_role();
select pg_temp.ev('a_report', 'asst_ev_a', null, 'call_ev_1', '{"type": "end-of-call-report", "summary": "by A"}');
reset role;
select results_eq($$ select status, summary from public.call_logs where vapi_call_id = 'call_ev_1' $$,
  $$ values ('ended'::text, 'by A'::text) $$, 'A''s own report still ends and fills its call');

-- =====================================================================================================================
-- Section - The line's keys
-- =====================================================================================================================
select tests.authenticate_as_service_role();
select pg_temp.ev('line_id', null, null, 'call_ev_2', '{"type": "status-update", "status": "ringing"}', 'pn_ev_a');
select pg_temp.ev('line_no', null, '+15557130001', 'call_ev_3', '{"type": "status-update", "status": "ringing"}');
select pg_temp.ev('caller', null, null, 'call_ev_4', '{"type": "status-update", "status": "ringing"}', 'pn_unknown');
reset role;
select results_eq($$ select k, r->>'reason', r->>'resolved_by', r->>'organization_id' from rpc where k in ('line_id', 'line_no', 'caller') order by k $$,
  $$ values ('caller', 'organization_not_found', null, null),
            ('line_id', 'created', 'phone_number', '13000000-0000-4000-8000-00000000000a'),
            ('line_no', 'created', 'phone_number', '13000000-0000-4000-8000-00000000000a') $$,
  'Vapi''s line id alone and the line number alone resolve A; an unknown line id resolves nothing');
select is_empty($$ select 1 from public.call_logs where vapi_call_id = 'call_ev_4' $$, 'unknown tenant: nothing written');

-- =====================================================================================================================
-- Section - Times that are not times
-- =====================================================================================================================
select tests.authenticate_as_service_role();
select pg_temp.ev('y9999', 'asst_ev_a', null, 'call_ev_5', '{"type": "status-update", "status": "ringing", "timestamp": "9999-12-31T00:00:00Z", "startedAt": "9999-12-31T00:00:00Z"}');
select pg_temp.ev('next', 'asst_ev_a', null, 'call_ev_5', jsonb_build_object('type', 'status-update', 'status', 'in-progress', 'timestamp', now()));
reset role;
select results_eq($$ select status, last_event_at is not null and last_event_at <= now() + interval '1 day', started_at from public.call_logs where vapi_call_id = 'call_ev_5' $$,
  $$ values ('in-progress'::text, true, null::timestamptz) $$,
  'a year-9999 time is ignored: the next real event still moves the call forward; no started_at in 9999');
select tests.authenticate_as_service_role();
select pg_temp.ev('inf', 'asst_ev_a', null, 'call_ev_6', '{"type": "status-update", "status": "in-progress", "timestamp": "infinity", "startedAt": "infinity", "endedAt": "-infinity"}');
select pg_temp.ev('inf2', 'asst_ev_a', null, 'call_ev_6', jsonb_build_object('type', 'status-update', 'status', 'forwarding', 'timestamp', now() - interval '1 minute'));
reset role;
select results_eq($$ select status, started_at, ended_at from public.call_logs where vapi_call_id = 'call_ev_6' $$,
  $$ values ('forwarding'::text, null::timestamptz, null::timestamptz) $$,
  '"infinity" is not a time: not stored, and it does not block a later real event');
select is(private.event_time('2999-01-01T00:00:00Z'), null, 'event_time: far future → null');
select is(private.event_time('2026-01-06T14:48:53.512Z'), timestamptz '2026-01-06T14:48:53.512Z', 'event_time: a real time is kept');

-- =====================================================================================================================
-- Section - What an end-of-call report carries
-- =====================================================================================================================
select tests.authenticate_as_service_role();
select pg_temp.ev('full', 'asst_ev_a', null, 'call_ev_7', '{"type": "end-of-call-report", "endedReason": "customer-ended-call",
  "startedAt": "2026-01-06T14:48:53.500Z", "endedAt": "2026-01-06T15:18:53.750Z", "cost": 1.25, "summary": "s",
  "transcript": "t", "recordingUrl": "https://storage.vapi.ai/r.wav", "structuredData": {"booked": true, "service": "repair"},
  "successEvaluation": "true"}');
reset role;
select results_eq($$ select status, duration_seconds, cost, recording_url, structured_data, success_evaluation from public.call_logs where vapi_call_id = 'call_ev_7' $$,
  $$ values ('ended'::text, 1800.250::numeric, 1.25::numeric, 'https://storage.vapi.ai/r.wav'::text,
             '{"booked": true, "service": "repair"}'::jsonb, 'true'::text) $$,
  'report: duration from startedAt/endedAt when not given, cost, recording, structured data, success evaluation');
select tests.authenticate_as_service_role();
select pg_temp.ev('dur', 'asst_ev_a', null, 'call_ev_8', '{"type": "end-of-call-report", "durationSeconds": 12.5, "structuredData": "not an object",
  "startedAt": "2026-01-06T14:00:00Z", "endedAt": "2026-01-06T15:00:00Z"}');
reset role;
select results_eq($$ select duration_seconds, structured_data from public.call_logs where vapi_call_id = 'call_ev_8' $$,
  $$ values (12.5::numeric, null::jsonb) $$, 'a given duration wins; structured data that is not an object is not kept');

-- =====================================================================================================================
-- Section - language-change-detected
-- =====================================================================================================================
select tests.authenticate_as_service_role();
select pg_temp.ev('l0', 'asst_ev_a', null, 'call_ev_9', '{"type": "status-update", "status": "in-progress"}');
select pg_temp.ev('l_es', null, null, 'call_ev_9', '{"type": "language-change-detected", "language": "es-US"}');
reset role;
select results_eq($$ select (r->>'ok')::boolean, r->>'reason', r->>'language', r->>'resolved_by' from rpc where k in ('l0', 'l_es') order by k $$,
  $$ values (true, 'created', 'en', 'assistant_id'), (true, 'recorded', 'es', 'call_id') $$,
  'answers carry the call''s language: en first, es after the caller switched to es-US (a configured secondary language)');
select is((select language from public.call_logs where vapi_call_id = 'call_ev_9'), 'es', 'the configured code es is recorded');
select tests.authenticate_as_service_role();
select pg_temp.ev('l_de', null, null, 'call_ev_9', '{"type": "language-change-detected", "language": "de"}');
reset role;
select results_eq($$ select (r->>'ok')::boolean, r->>'reason', r->>'language', (r->>'changed')::boolean from rpc where k = 'l_de' $$,
  $$ values (true, 'language_not_configured', 'es', false) $$, 'a language the configuration does not speak: not recorded');
select is((select language from public.call_logs where vapi_call_id = 'call_ev_9'), 'es', 'still es');
select tests.authenticate_as_service_role();
select pg_temp.ev('l_fr', null, null, 'call_ev_9', '{"type": "language-change-detected", "language": "FR"}');
reset role;
select results_eq($$ select r->>'reason', r->>'language' from rpc where k = 'l_fr' $$,
  $$ values ('language_not_in_catalog', 'en') $$,
  'configured but missing from the catalog: recorded, reported once as language_not_in_catalog, answered in English');
select is((select language from public.call_logs where vapi_call_id = 'call_ev_9'), 'fr', 'fr recorded as configured');
select tests.authenticate_as_service_role();
select pg_temp.ev('l_en', null, null, 'call_ev_9', '{"type": "language-change-detected", "language": "en"}');
reset role;
select results_eq($$ select r->>'reason', r->>'language' from rpc where k = 'l_en' $$, $$ values ('recorded', 'en') $$,
  'back to the primary language');

-- =====================================================================================================================
-- Section - Who may call it
-- =====================================================================================================================
select tests.create_supabase_user('nobody_13');
select tests.authenticate_as('nobody_13');
select throws_ok($$ select public.record_call_event('asst_ev_a', null, 'call_ev_x', '{"type": "status-update"}', 'pn_ev_a') $$,
  '42501', null, 'authenticated: may not execute record_call_event');
reset role;
set local role anon;
select throws_ok($$ select public.record_call_event('asst_ev_a', null, 'call_ev_x', '{"type": "status-update"}', 'pn_ev_a') $$,
  '42501', null, 'anon: may not execute record_call_event');
reset role;

select * from finish();
rollback;
