-- A call's events in message order, also when they arrive out of it (20261204050000_call_event_order.sql): a row a
-- tool call created moves only forward until an event's status is taken; a field takes the newest event's value and
-- an older event only fills gaps; a worked-out duration follows the call's end; a life status replaces not-found.
begin;
select plan(15);

insert into public.organizations (id, name, timezone) values
  ('54000000-0000-4000-8000-00000000000a', 'Order A', 'America/New_York');
insert into public.customer_configurations (organization_id, vapi_assistant_id, vapi_phone_number) values
  ('54000000-0000-4000-8000-00000000000a', 'asst_order_a', '+15557540001');

-- d: a day about 8 weeks ago (event times ahead of now are not trusted); every event time below is on it, in UTC.
select to_char(now() - interval '56 days', 'YYYY-MM-DD') as d \gset

create temp table ev (call_id text, at text, event jsonb, seq serial);
insert into ev (call_id, at, event) values
  -- A tool call records call_o1 (below); then a ringing stamped earlier, a forwarding stamped later, a ringing after it.
  ('call_o1', 'T15:00:00Z', '{"type": "status-update", "status": "ringing"}'),
  ('call_o1', 'T15:02:00Z', '{"type": "status-update", "status": "forwarding"}'),
  ('call_o1', 'T15:03:00Z', '{"type": "status-update", "status": "in-progress"}'),
  -- The report, then an older status-update ended with another reason and end.
  ('call_o2', 'T15:00:00Z', '{"type": "status-update", "status": "in-progress", "startedAt": "%sT15:00:00Z"}'),
  ('call_o2', 'T15:05:00Z', '{"type": "end-of-call-report", "endedReason": "customer-ended-call", "endedAt": "%sT15:04:30Z", "summary": "Booked."}'),
  ('call_o2', 'T15:04:00Z', '{"type": "status-update", "status": "ended", "endedReason": "silence-timed-out", "endedAt": "%sT15:03:59Z"}'),
  -- A report without durationSeconds, then a newer one that moves the end.
  ('call_o3', 'T15:00:00Z', '{"type": "status-update", "status": "in-progress", "startedAt": "%sT15:00:00Z"}'),
  ('call_o3', 'T15:05:00Z', '{"type": "end-of-call-report", "endedAt": "%sT15:04:00Z"}'),
  ('call_o3', 'T15:06:00Z', '{"type": "end-of-call-report", "endedAt": "%sT15:05:00Z"}'),
  -- not-found first, then an older-stamped status of the call's life.
  ('call_o4', 'T15:10:00Z', '{"type": "status-update", "status": "not-found"}'),
  ('call_o4', 'T15:05:00Z', '{"type": "status-update", "status": "in-progress"}');
update ev set event = jsonb_set(replace(event::text, '%s', :'d')::jsonb, '{timestamp}', to_jsonb(:'d' || at));

-- call_o1 first comes in through a tool call (its row has no event time).
select private.remember_call('call_o1', '54000000-0000-4000-8000-00000000000a', 'assistant_id', 'asst_order_a');

create temp table seen (call_id text, seq int, status text, ended_reason text, ended_at timestamptz,
                        duration_seconds numeric);
create function pg_temp.send(p_seq int) returns void language plpgsql as $$
begin
  perform public.record_call_event('asst_order_a', null, e.call_id, e.event) from ev as e where e.seq = p_seq;
  insert into seen select l.vapi_call_id, p_seq, l.status, l.ended_reason, l.ended_at, l.duration_seconds
  from public.call_logs as l join ev as e on e.call_id = l.vapi_call_id where e.seq = p_seq;
end;
$$;
select pg_temp.send(seq) from ev order by seq;

select is((select status from seen where seq = 1), 'in-progress',
  'a row a tool call created is not moved back by an older-stamped ringing');
select is((select status from seen where seq = 2), 'forwarding',
  'it moves forward in life order (forwarding)');
select is((select status from seen where seq = 3), 'in-progress',
  'once an event''s status is taken, message time decides again (a later in-progress)');
select results_eq($$ select ended_reason, ended_at from seen where seq = 6 $$,
  format($$ values ('customer-ended-call'::text, timestamptz %L) $$, :'d' || 'T15:04:30Z'),
  'an older status-update ended does not overwrite the report''s ended_reason and ended_at');
select is((select summary from public.call_logs where vapi_call_id = 'call_o2'), 'Booked.',
  'the report''s summary stays');
select is((select duration_seconds from seen where seq = 8), 240.000,
  'a duration is worked out from start and end when Vapi gives none');
select is((select duration_seconds from seen where seq = 9), 300.000,
  'a newer report that moves the end without durationSeconds moves the worked-out duration');
select is((select status from seen where seq = 11), 'in-progress',
  'a status of the call''s life replaces not-found even when stamped before it');

-- An older event only fills gaps: a report stamped before the last status-update adds what was missing.
select public.record_call_event('asst_order_a', null, 'call_o5', jsonb_build_object('type', 'status-update',
  'status', 'ended', 'timestamp', :'d' || 'T15:10:00Z', 'endedReason', 'customer-ended-call'));
select public.record_call_event('asst_order_a', null, 'call_o5', jsonb_build_object('type', 'end-of-call-report',
  'timestamp', :'d' || 'T15:09:00Z', 'endedReason', 'assistant-ended-call', 'summary', 'Cancelled a visit.',
  'durationSeconds', 61));
select results_eq($$ select status, ended_reason, summary, duration_seconds from public.call_logs where vapi_call_id = 'call_o5' $$,
  $$ values ('ended'::text, 'customer-ended-call'::text, 'Cancelled a visit.'::text, 61::numeric) $$,
  'an older report fills the summary and duration but keeps the newer ended_reason');
select is(private.newest(false, 'event'::text, null), 'event', 'private.newest: an older value fills a gap');
select public.record_call_event('asst_order_a', null, 'call_o6', jsonb_build_object('type', 'end-of-call-report',
  'timestamp', :'d' || 'T15:09:00Z', 'startedAt', :'d' || 'T15:00:00Z', 'endedAt', :'d' || 'T15:02:00Z',
  'durationSeconds', 1e297));
select is((select duration_seconds from public.call_logs where vapi_call_id = 'call_o6'), 120.000,
  'a duration over a day is not a call''s: not recorded (worked out from start and end instead)');

-- Orderings from a second review: each failed before its fix.
create temp table ev2 (k text, call_id text, at text, event jsonb, seq serial);
insert into ev2 (k, call_id, at, event) values
  ('a', 'call_o7', 'T15:00:05Z', '{"type": "status-update", "status": "not-found"}'),
  ('a', 'call_o7', 'T15:00:01Z', '{"type": "status-update", "status": "ringing"}'),
  ('a', 'call_o7', 'T15:00:02Z', '{"type": "status-update", "status": "in-progress"}'),
  ('b', 'call_o8', 'T15:05:00Z', '{"type": "end-of-call-report", "durationSeconds": 61.5, "endedAt": "%sT15:04:50Z"}'),
  ('b', 'call_o8', 'T15:03:40Z', '{"type": "status-update", "status": "in-progress", "startedAt": "%sT15:03:40Z"}'),
  ('c', 'call_o9', 'T15:05:00Z', '{"type": "status-update", "status": "ended", "cost": 0.02}'),
  ('c', 'call_o9', null,         '{"type": "end-of-call-report", "cost": 0.31, "summary": "Moved a visit."}'),
  ('d', 'call_o10', 'T15:00:01Z', '{"type": "status-update", "status": "in-progress"}'),
  ('d', 'call_o10', 'T15:00:03Z', '{"type": "language-change-detected", "language": "es"}'),
  ('d', 'call_o10', 'T15:00:02Z', '{"type": "status-update", "status": "forwarding"}');
update ev2 set event = replace(event::text, '%s', :'d')::jsonb;
update ev2 set event = jsonb_set(event, '{timestamp}', to_jsonb(:'d' || at)) where at is not null;
select public.record_call_event('asst_order_a', null, e.call_id, e.event) from ev2 as e order by e.seq;
select is((select status from public.call_logs where vapi_call_id = 'call_o7'), 'in-progress',
  'a not-found''s time does not hold back the life statuses after it (ringing, then in-progress)');
select is((select duration_seconds from public.call_logs where vapi_call_id = 'call_o8'), 61.5,
  'Vapi''s own duration stays when an older event fills in the start');
select results_eq($$ select cost, summary from public.call_logs where vapi_call_id = 'call_o9' $$,
  $$ values (0.31::numeric, 'Moved a visit.'::text) $$,
  'an unstamped end-of-call report is still the final word on its fields (cost)');
select is((select status from public.call_logs where vapi_call_id = 'call_o10'), 'forwarding',
  'a language change does not hold back a delayed status stamped before it');

select * from finish();
rollback;
