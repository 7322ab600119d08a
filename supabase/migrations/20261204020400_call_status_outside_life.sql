-- =====================================================================================================================
-- Section - Vapi's `not-found` and `deletion-failed` statuses are not recorded as a live call
-- =====================================================================================================================
-- A status-update whose status lies outside a call's life (`not-found`, `deletion-failed`: the SDK's status list has
-- both) created the call's row with the column default `in-progress`: a call Vapi could not find showed as live for
-- good. The event that records the call now keeps that status; any life status (queued … ended) replaces it later,
-- and it never replaces one. The table accepts the two values. CREATE OR REPLACE keeps grants; the time budget SETs
-- are restated.
alter table public.call_logs drop constraint call_logs_status_known;
alter table public.call_logs add constraint call_logs_status_known
  check (status in ('scheduled', 'queued', 'ringing', 'in-progress', 'forwarding', 'ended', 'not-found',
                    'deletion-failed'));

/**
  * status-update, end-of-call-report and language-change-detected → the call's call_logs row, in ONE transaction.
  * Events may arrive late, twice or out of order: the row is created by whichever comes first, a status only moves
  * forward in message time (or in life order when an event has no usable time) and never away from `ended`, report
  * fields fill in, and a replayed event changes nothing (`changed: false`).
  * Refused, nothing written: unknown tenant (`organization_not_found`), no call id, and a call id recorded for
  * ANOTHER organization (`call_of_another_organization`): an event never changes another tenant's call.
  * A detected language is recorded only when the call's configuration speaks it (`language_not_configured`
  * otherwise); one the catalog lacks is recorded but answered in English (`language_not_in_catalog`).
  * p_event: { type, timestamp (ISO), status, endedReason, startedAt, endedAt, durationSeconds, cost, summary,
  *            transcript, recordingUrl, structuredData, successEvaluation, language }.
  * Answer: { ok, changed, reason, organization_id, resolved_by, language (what this call is answered in) }.
  */
create or replace function public.record_call_event(
  p_assistant_id text default null,
  p_phone_number text default null,
  p_vapi_call_id text default null,
  p_event jsonb default '{}'::jsonb,
  p_phone_number_id text default null)
  returns jsonb
  language plpgsql
  volatile
  security definer
  set search_path = ''
  set lock_timeout = '1s' -- the webhook RPCs' time budget (20261129130000_rpc_time_budget.sql)
  set statement_timeout = '4s'
as $$
declare
  v_event jsonb := case when pg_catalog.jsonb_typeof(p_event) = 'object' then p_event else '{}'::jsonb end;
  v_call_id text := nullif(pg_catalog.btrim(p_vapi_call_id), '');
  v_at timestamptz := private.event_time(v_event ->> 'timestamp');
  v_status text := case
    when v_event ->> 'type' = 'end-of-call-report' then 'ended'
    when private.call_status_rank(v_event ->> 'status') is not null then v_event ->> 'status'
  end;
  -- Vapi's statuses outside a call's life: kept only by the event that records the call (never over a life status).
  v_aside_status text := case when v_event ->> 'status' in ('not-found', 'deletion-failed') then v_event ->> 'status' end;
  v_detected text := nullif(pg_catalog.btrim(v_event ->> 'language'), '');
  v_duration numeric := private.json_number(v_event -> 'durationSeconds');
  v_cost numeric := private.json_number(v_event -> 'cost');
  v_language text;
  v_reason text;
  v_organization_id uuid;
  v_resolved_by text;
  v_created boolean;
  v_old public.call_logs;
  v_new public.call_logs;
begin
  select r.organization_id, r.resolved_by into v_organization_id, v_resolved_by
  from private.resolve_organization(p_assistant_id, p_phone_number, v_call_id, p_phone_number_id) as r;
  if v_organization_id is null or v_call_id is null then
    return pg_catalog.jsonb_build_object('ok', false, 'changed', false, 'organization_id', v_organization_id,
      'resolved_by', v_resolved_by,
      'reason', case when v_organization_id is null then 'organization_not_found' else 'no_call_id' end);
  end if;

  v_created := private.remember_call(v_call_id, v_organization_id, v_resolved_by, p_assistant_id);
  select l.* into v_old from public.call_logs as l where l.vapi_call_id = v_call_id for update;
  if v_old.organization_id <> v_organization_id then
    -- The call id is another tenant's (remember_call inserted nothing): not this event's to change.
    return pg_catalog.jsonb_build_object('ok', false, 'changed', false, 'reason', 'call_of_another_organization',
      'organization_id', v_organization_id, 'resolved_by', v_resolved_by);
  end if;
  v_new := v_old;
  if v_duration < 0 then v_duration := null; end if; -- neither can be negative: not recorded
  if v_cost < 0 then v_cost := null; end if;

  -- `ended` is final and always wins (a report stamped a little before the last status-update still ends the call).
  -- The event that created the row (with remember_call's default status) sets its status whatever the time.
  if v_status is not null and v_old.status <> 'ended' and (
       v_created or v_status = 'ended'
       or (v_at is not null and (v_old.last_event_at is null or v_at >= v_old.last_event_at))
       or (v_at is null and private.call_status_rank(v_status) >= coalesce(private.call_status_rank(v_old.status), 0))) then
    v_new.status := v_status;
  elsif v_created and v_status is null and v_aside_status is not null then
    v_new.status := v_aside_status;
  end if;
  v_new.last_event_at := greatest(v_old.last_event_at, v_at);
  v_new.started_at := coalesce(v_old.started_at, private.event_time(v_event ->> 'startedAt'));
  v_new.ended_at := coalesce(private.event_time(v_event ->> 'endedAt'), v_old.ended_at);
  v_new.ended_reason := coalesce(nullif(v_event ->> 'endedReason', ''), v_old.ended_reason);
  v_new.duration_seconds := coalesce(v_duration, v_old.duration_seconds,
    case when v_new.ended_at >= v_new.started_at
      then pg_catalog.round(extract(epoch from v_new.ended_at - v_new.started_at), 3) end);
  v_new.cost := coalesce(v_cost, v_old.cost);
  v_new.summary := coalesce(nullif(v_event ->> 'summary', ''), v_old.summary);
  v_new.transcript := coalesce(nullif(v_event ->> 'transcript', ''), v_old.transcript);
  v_new.recording_url := coalesce(nullif(v_event ->> 'recordingUrl', ''), v_old.recording_url);
  v_new.structured_data := coalesce(case when pg_catalog.jsonb_typeof(v_event -> 'structuredData') = 'object'
                                         then v_event -> 'structuredData' end, v_old.structured_data);
  v_new.success_evaluation := coalesce(nullif(v_event ->> 'successEvaluation', ''), v_old.success_evaluation);
  if v_event ->> 'type' = 'language-change-detected' and v_detected is not null then
    v_language := private.configured_language(v_organization_id, coalesce(v_old.vapi_assistant_id, p_assistant_id),
                                              v_detected);
    if v_language is null then
      v_reason := 'language_not_configured';
    else
      v_new.language := v_language;
      if private.catalog_language(v_language) is null then
        v_reason := 'language_not_in_catalog';
      end if;
    end if;
  end if;

  if v_new is distinct from v_old then
    update public.call_logs as l
    set status = v_new.status, last_event_at = v_new.last_event_at, started_at = v_new.started_at,
        ended_at = v_new.ended_at, ended_reason = v_new.ended_reason, duration_seconds = v_new.duration_seconds,
        cost = v_new.cost, summary = v_new.summary, transcript = v_new.transcript, recording_url = v_new.recording_url,
        structured_data = v_new.structured_data, success_evaluation = v_new.success_evaluation,
        language = v_new.language
    where l.id = v_old.id;
  end if;
  return pg_catalog.jsonb_build_object('ok', true,
    'changed', v_created or v_new is distinct from v_old,
    'reason', coalesce(v_reason,
      case when v_created then 'created' when v_new is distinct from v_old then 'recorded' else 'unchanged' end),
    'organization_id', v_organization_id, 'resolved_by', v_resolved_by,
    'language', private.call_language(v_organization_id, v_call_id, coalesce(v_old.vapi_assistant_id, p_assistant_id)));
end;
$$;
