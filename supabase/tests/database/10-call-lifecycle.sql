-- status-update and end-of-call-report through public.record_call_event (*_call_lifecycle_rpc.sql): the call_logs
-- row is created by whichever event comes first, statuses only move forward in message time and never away from
-- `ended`, replays change nothing, unknown tenants write nothing; members see only their own organization's calls.
begin;
select plan(32);

insert into public.organizations (id, name, timezone) values
  ('10000000-0000-4000-8000-00000000000a', 'Calls A', 'America/New_York'),
  ('10000000-0000-4000-8000-00000000000b', 'Calls B', 'America/Los_Angeles');
insert into public.customer_configurations (organization_id, vapi_assistant_id, vapi_phone_number) values
  ('10000000-0000-4000-8000-00000000000a', 'asst_calls_a', '+15557100001'),
  ('10000000-0000-4000-8000-00000000000b', 'asst_calls_b', '+15557100002');
select tests.create_supabase_user('calls_member_a') as member_a_id \gset
select tests.create_supabase_user('calls_member_b') as member_b_id \gset
insert into public.organization_members (organization_id, user_id, role) values
  ('10000000-0000-4000-8000-00000000000a', tests.get_supabase_uid('calls_member_a'), 'owner'),
  ('10000000-0000-4000-8000-00000000000b', tests.get_supabase_uid('calls_member_b'), 'member');

create temp table rpc (k text primary key, r jsonb);
grant select, insert on rpc to service_role;

-- d: a Tuesday about 8 weeks ago (New York date; event times ahead of now are not trusted); every event time below is on that day, in UTC.
select to_char(s + (9 - extract(isodow from s)::int) % 7, 'YYYY-MM-DD') as d
from (select (now() at time zone 'America/New_York')::date - 63 as s) as s \gset
-- fd: a Tuesday at least 8 weeks ahead, for the availability question.
select to_char(s + (9 - extract(isodow from s)::int) % 7, 'YYYY-MM-DD') as fd
from (select (now() at time zone 'America/New_York')::date + 56 as s) as s \gset

-- =====================================================================================================================
-- Section - service_role: status-update, then end-of-call-report, then its replay
-- =====================================================================================================================
select tests.authenticate_as_service_role();
insert into rpc values ('status', public.record_call_event('asst_calls_a', null, 'call_lc1', jsonb_build_object(
  'type', 'status-update', 'status', 'in-progress', 'timestamp', :'d' || 'T15:00:00Z', 'startedAt', :'d' || 'T14:59:58Z')));
reset role;

select results_eq($$ select (r->>'ok')::boolean, (r->>'changed')::boolean, r->>'reason', r->>'resolved_by', r->>'organization_id' from rpc where k = 'status' $$,
  $$ values (true, true, 'created', 'assistant_id', '10000000-0000-4000-8000-00000000000a') $$,
  'status-update: ok, changed, reason created, resolved by assistant id, organization A');
select results_eq($$ select organization_id, status, resolved_by, vapi_assistant_id, started_at, last_event_at from public.call_logs where vapi_call_id = 'call_lc1' $$,
  format($$ values ('10000000-0000-4000-8000-00000000000a'::uuid, 'in-progress'::text, 'assistant_id'::text, 'asst_calls_a'::text,
                    timestamptz %L, timestamptz %L) $$, :'d' || 'T14:59:58Z', :'d' || 'T15:00:00Z'),
  'status-update: the row has organization A, status in-progress, resolved_by assistant_id, the assistant, started_at and the event time');

select tests.authenticate_as_service_role();
insert into rpc values ('report', public.record_call_event('asst_calls_a', null, 'call_lc1', jsonb_build_object(
  'type', 'end-of-call-report', 'timestamp', :'d' || 'T15:05:00Z', 'endedReason', 'customer-ended-call',
  'endedAt', :'d' || 'T15:04:30Z', 'durationSeconds', 272.5, 'cost', 0.42, 'summary', 'Booked a furnace repair.',
  'transcript', 'AI: Hello. User: Hi.', 'recordingUrl', 'https://storage.vapi.ai/call_lc1.wav')));
reset role;

select results_eq($$ select (r->>'ok')::boolean, (r->>'changed')::boolean, r->>'reason' from rpc where k = 'report' $$,
  $$ values (true, true, 'recorded') $$, 'end-of-call-report: ok, changed, reason recorded');
select results_eq($$ select status, ended_at, ended_reason, duration_seconds, cost, summary, transcript, recording_url
                     from public.call_logs where vapi_call_id = 'call_lc1' $$,
  format($$ values ('ended'::text, timestamptz %L, 'customer-ended-call'::text, 272.5::numeric, 0.42::numeric,
                    'Booked a furnace repair.'::text, 'AI: Hello. User: Hi.'::text, 'https://storage.vapi.ai/call_lc1.wav'::text) $$,
         :'d' || 'T15:04:30Z'),
  'end-of-call-report: status ended; ended_at, ended_reason, duration, cost, summary, transcript, recording_url stored');

-- Mark updated_at without firing the trigger, so a silent UPDATE by the replay would be visible. As the table's owner,
-- not with session_replication_role (a superuser's setting: hosted Supabase's postgres may not set it everywhere). The
-- deferred deadline trigger's pending events would block ALTER TABLE: fired first (every deferrable constraint here is
-- initially deferred, so `all deferred` restores them).
set constraints all immediate;
alter table public.call_logs disable trigger call_logs_set_updated_at;
update public.call_logs set updated_at = timestamptz '2001-01-01 00:00Z' where vapi_call_id = 'call_lc1';
alter table public.call_logs enable trigger call_logs_set_updated_at;
set constraints all deferred;

select tests.authenticate_as_service_role();
insert into rpc values ('report_replay', public.record_call_event('asst_calls_a', null, 'call_lc1', jsonb_build_object(
  'type', 'end-of-call-report', 'timestamp', :'d' || 'T15:05:00Z', 'endedReason', 'customer-ended-call',
  'endedAt', :'d' || 'T15:04:30Z', 'durationSeconds', 272.5, 'cost', 0.42, 'summary', 'Booked a furnace repair.',
  'transcript', 'AI: Hello. User: Hi.', 'recordingUrl', 'https://storage.vapi.ai/call_lc1.wav')));
reset role;

select results_eq($$ select (r->>'ok')::boolean, (r->>'changed')::boolean, r->>'reason' from rpc where k = 'report_replay' $$,
  $$ values (true, false, 'unchanged') $$, 'replayed end-of-call-report: ok, changed=false, reason unchanged');
select is((select updated_at from public.call_logs where vapi_call_id = 'call_lc1'), timestamptz '2001-01-01 00:00Z',
  'replayed end-of-call-report: the row was not updated (updated_at unchanged)');
select tests.authenticate_as_service_role();
insert into rpc values ('newer_in_progress', public.record_call_event('asst_calls_a', null, 'call_lc1', jsonb_build_object(
  'type', 'status-update', 'status', 'in-progress', 'timestamp', :'d' || 'T16:00:00Z')));
insert into rpc values ('untimed_in_progress', public.record_call_event(null, null, 'call_lc1', jsonb_build_object(
  'type', 'status-update', 'status', 'in-progress')));
reset role;
select is((select status from public.call_logs where vapi_call_id = 'call_lc1'), 'ended',
  'ended is final: a NEWER in-progress status-update (and an untimed one) does not move the call back');

-- =====================================================================================================================
-- Section - Out of order and report-first
-- =====================================================================================================================
select tests.authenticate_as_service_role();
insert into rpc values ('lc2_newer', public.record_call_event(null, '+1 (555) 710-0001', 'call_lc2', jsonb_build_object(
  'type', 'status-update', 'status', 'forwarding', 'timestamp', :'d' || 'T15:10:00Z')));
insert into rpc values ('lc2_older', public.record_call_event(null, '+1 (555) 710-0001', 'call_lc2', jsonb_build_object(
  'type', 'status-update', 'status', 'in-progress', 'timestamp', :'d' || 'T15:09:00Z')));
insert into rpc values ('lc3_report_first', public.record_call_event('asst_calls_a', null, 'call_lc3', jsonb_build_object(
  'type', 'end-of-call-report', 'timestamp', :'d' || 'T15:20:00Z', 'endedReason', 'assistant-ended-call',
  'summary', 'Asked for prices.')));
insert into rpc values ('lc3_late_status', public.record_call_event('asst_calls_a', null, 'call_lc3', jsonb_build_object(
  'type', 'status-update', 'status', 'in-progress', 'timestamp', :'d' || 'T15:15:00Z')));
reset role;

select is((select r->>'resolved_by' from rpc where k = 'lc2_newer'), 'phone_number',
  'out of order: the first event resolves by the tenant''s formatted line (resolved_by phone_number)');
select results_eq($$ select status, last_event_at from public.call_logs where vapi_call_id = 'call_lc2' $$,
  format($$ values ('forwarding'::text, timestamptz %L) $$, :'d' || 'T15:10:00Z'),
  'out of order: an older in-progress after a newer forwarding does not overwrite status or last_event_at');
select is((select (r->>'changed')::boolean from rpc where k = 'lc2_older'), false,
  'out of order: the older status-update reports changed=false');
select results_eq($$ select (r->>'ok')::boolean, (r->>'changed')::boolean, r->>'reason' from rpc where k = 'lc3_report_first' $$,
  $$ values (true, true, 'created') $$, 'report first: the end-of-call-report creates the row');
select results_eq($$ select organization_id, status, ended_reason, summary from public.call_logs where vapi_call_id = 'call_lc3' $$,
  $$ values ('10000000-0000-4000-8000-00000000000a'::uuid, 'ended'::text, 'assistant-ended-call'::text, 'Asked for prices.'::text) $$,
  'report first: the row is organization A, status ended, with the report fields; a late status-update keeps it ended');

-- `ended` is the last state of a call's life: a report whose message time is a little older than the last
-- status-update (clock skew between Vapi senders) still ends the call.
select tests.authenticate_as_service_role();
insert into rpc values ('lc6_status', public.record_call_event('asst_calls_a', null, 'call_lc6', jsonb_build_object(
  'type', 'status-update', 'status', 'in-progress', 'timestamp', :'d' || 'T15:40:00.500Z')));
insert into rpc values ('lc6_report', public.record_call_event('asst_calls_a', null, 'call_lc6', jsonb_build_object(
  'type', 'end-of-call-report', 'timestamp', :'d' || 'T15:40:00.000Z', 'endedReason', 'customer-ended-call')));
reset role;
select is((select status from public.call_logs where vapi_call_id = 'call_lc6'), 'ended',
  'report with a slightly older timestamp than the last status-update still ends the call');

-- =====================================================================================================================
-- Section - Refusals: unknown tenant, missing call id
-- =====================================================================================================================
select tests.authenticate_as_service_role();
insert into rpc values ('unknown', public.record_call_event('asst_nobody', '+15550199999', 'call_lc_unknown', jsonb_build_object(
  'type', 'status-update', 'status', 'in-progress', 'timestamp', :'d' || 'T15:00:00Z')));
insert into rpc values ('no_call_id', public.record_call_event('asst_calls_a', null, '  ', jsonb_build_object(
  'type', 'status-update', 'status', 'in-progress')));
reset role;

select results_eq($$ select (r->>'ok')::boolean, (r->>'changed')::boolean, r->>'reason', r->>'organization_id' from rpc where k = 'unknown' $$,
  $$ values (false, false, 'organization_not_found', null::text) $$, 'unknown tenant: ok=false, reason organization_not_found');
select is_empty($$ select 1 from public.call_logs where vapi_call_id = 'call_lc_unknown' $$, 'unknown tenant: no call_logs row');
select results_eq($$ select (r->>'ok')::boolean, r->>'reason' from rpc where k = 'no_call_id' $$,
  $$ values (false, 'no_call_id') $$, 'missing (blank) call id: ok=false, reason no_call_id');

-- =====================================================================================================================
-- Section - Later events and tool calls carrying only the call id
-- =====================================================================================================================
select tests.authenticate_as_service_role();
insert into rpc values ('lc5_status', public.record_call_event('asst_calls_a', null, 'call_lc5', jsonb_build_object(
  'type', 'status-update', 'status', 'ringing', 'timestamp', :'d' || 'T15:30:00Z')));
insert into rpc values ('lc5_tool', public.resolve_org_and_check_availability(null, null, 'call_lc5', 'tc_1',
  jsonb_build_object('date', :'fd')));
insert into rpc values ('lc5_event', public.record_call_event(null, null, 'call_lc5', jsonb_build_object(
  'type', 'status-update', 'status', 'in-progress', 'timestamp', :'d' || 'T15:31:00Z')));
insert into rpc values ('lcb_status', public.record_call_event('asst_calls_b', null, 'call_lcb', jsonb_build_object(
  'type', 'status-update', 'status', 'in-progress', 'timestamp', :'d' || 'T15:00:00Z')));
reset role;

select results_eq($$ select (r->>'ok')::boolean, r->>'reason', r->>'resolved_by', r->>'organization_id' from rpc where k = 'lc5_tool' $$,
  $$ values (true, 'available', 'call_id', '10000000-0000-4000-8000-00000000000a') $$,
  'call id only: a tool call after the status-update resolves to A by call_id');
select results_eq($$ select r->>'resolved_by', (r->>'changed')::boolean from rpc where k = 'lc5_event' $$,
  $$ values ('call_id', true) $$, 'call id only: a later status-update resolves by call_id and moves the call forward');
select results_eq($$ select status, resolved_by from public.call_logs where vapi_call_id = 'call_lc5' $$,
  $$ values ('in-progress'::text, 'assistant_id'::text) $$,
  'call id only: the row advanced to in-progress and keeps how it was first resolved');

-- =====================================================================================================================
-- Section - RLS: a member of A
-- =====================================================================================================================
select tests.authenticate_as('calls_member_a');
select results_eq($$ select vapi_call_id from public.call_logs order by vapi_call_id $$,
  $$ values ('call_lc1'::text), ('call_lc2'), ('call_lc3'), ('call_lc5'), ('call_lc6') $$,
  'member of A: sees exactly A''s call logs');
select is_empty($$ select 1 from public.call_logs where organization_id = '10000000-0000-4000-8000-00000000000b' $$,
  'member of A: sees none of B''s call logs');

-- =====================================================================================================================
-- Section - RLS: a member of B
-- =====================================================================================================================
select tests.authenticate_as('calls_member_b');
select results_eq($$ select vapi_call_id from public.call_logs $$, $$ values ('call_lcb'::text) $$,
  'member of B: sees only B''s call log');
select throws_ok($$ select public.record_call_event('asst_calls_b', null, 'call_lcb_auth', '{"type": "status-update", "status": "ended"}') $$,
  '42501', 'permission denied for function record_call_event', 'authenticated: cannot execute record_call_event');
reset role;

-- =====================================================================================================================
-- Section - anon
-- =====================================================================================================================
select tests.clear_authentication();
select throws_ok($$ select 1 from public.call_logs $$, '42501', 'permission denied for table call_logs',
  'anon: permission denied on call_logs');
select throws_ok($$ select public.record_call_event('asst_calls_a', null, 'call_lc_anon', '{"type": "status-update", "status": "ended"}') $$,
  '42501', 'permission denied for function record_call_event', 'anon: cannot execute record_call_event');
reset role;

-- =====================================================================================================================
-- Section - Privileges as granted
-- =====================================================================================================================
select is(has_function_privilege('service_role', 'public.record_call_event(text, text, text, jsonb, text)', 'execute'), true,
  'service_role: may execute record_call_event');
select is_empty($$ select 1 from public.call_logs where vapi_call_id in ('call_lcb_auth', 'call_lc_anon') $$,
  'denied callers wrote nothing');

-- =====================================================================================================================
-- Section - The first event's own status; numbers that cannot be a duration or a cost
-- =====================================================================================================================
select tests.authenticate_as_service_role();
insert into rpc values ('queued_first', public.record_call_event('asst_calls_a', null, 'call_lc_queued', jsonb_build_object(
  'type', 'status-update', 'status', 'queued')));
insert into rpc values ('negative', public.record_call_event('asst_calls_a', null, 'call_lc_negative', jsonb_build_object(
  'type', 'end-of-call-report', 'durationSeconds', -5, 'cost', -1)));
insert into rpc values ('not_found', public.record_call_event('asst_calls_a', null, 'call_lc_not_found', jsonb_build_object(
  'type', 'status-update', 'status', 'not-found')));
insert into rpc values ('deletion_failed', public.record_call_event('asst_calls_a', null, 'call_lc_deletion', jsonb_build_object(
  'type', 'status-update', 'status', 'deletion-failed')));
insert into rpc values ('live_then_not_found', public.record_call_event('asst_calls_a', null, 'call_lc_queued', jsonb_build_object(
  'type', 'status-update', 'status', 'not-found')));
insert into rpc values ('not_found_then_live', public.record_call_event('asst_calls_a', null, 'call_lc_deletion', jsonb_build_object(
  'type', 'status-update', 'status', 'ringing')));
reset role;
select is((select status from public.call_logs where vapi_call_id = 'call_lc_queued'), 'queued',
  'a call first heard of as queued (no message time) is recorded as queued, not in-progress');
select results_eq($$ select status, duration_seconds, cost from public.call_logs where vapi_call_id = 'call_lc_negative' $$,
  $$ values ('ended'::text, null::numeric, null::numeric) $$,
  'a negative duration or cost is not recorded');
select is((select status from public.call_logs where vapi_call_id = 'call_lc_not_found'), 'not-found',
  'a call first heard of as not-found is recorded as not-found, not as a live in-progress call');
select is((select status from public.call_logs where vapi_call_id = 'call_lc_queued'), 'queued',
  'not-found never replaces a status of the call''s life');
select is((select status from public.call_logs where vapi_call_id = 'call_lc_deletion'), 'ringing',
  'a status of the call''s life (even without a message time) replaces deletion-failed');

select * from finish();
rollback;
