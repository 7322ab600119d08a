-- =====================================================================================================================
-- Section - A call event found by its line is its line's assistant's call
-- =====================================================================================================================
-- As a tool call is (20261206060343): a status-update or end-of-call report found by its line (the message named no
-- assistant of the organization) records the call as its line's assistant's, and answers in its line's language —
-- which the function remembers for the call's own fallback sentences. A language the caller switches to is one the
-- line's configuration speaks (configured_language, 20261206060342). CREATE OR REPLACE keeps grants; the settings
-- (time budget, no JIT) are repeated.

/**
  * status-update, end-of-call-report and language-change-detected → the call's call_logs row, in ONE transaction.
  * Events may arrive late, twice or out of order: the row is created by whichever comes first, a status only moves
  * forward in message time (in life order when the event or the row has no usable time) and never away from `ended`,
  * a field takes the newest event's value (an older one only fills in), and a replayed event changes nothing.
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
  set lock_timeout = '1s' -- the webhook RPCs' time budget (20261129130000) and no JIT (20261206040954)
  set statement_timeout = '4s'
  set jit = off
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
  v_newer boolean; -- this event is the newest heard of the call
  v_old_at timestamptz;
  v_old_span numeric;
  v_status_taken boolean;
  v_old public.call_logs;
  v_new public.call_logs;
  v_assistant_id text := p_assistant_id; -- the call's assistant: for a call found by its line, the line's
  v_line_id text; -- the line's keys, for a call found by its line (its configuration: call_configuration)
  v_line text;
begin
  select r.organization_id, r.resolved_by into v_organization_id, v_resolved_by
  from private.resolve_organization(p_assistant_id, p_phone_number, v_call_id, p_phone_number_id) as r;
  if v_organization_id is null or v_call_id is null then
    return pg_catalog.jsonb_build_object('ok', false, 'changed', false, 'organization_id', v_organization_id,
      'resolved_by', v_resolved_by,
      'reason', case when v_organization_id is null then 'organization_not_found' else 'no_call_id' end);
  end if;
  if v_resolved_by = 'phone_number' then
    v_line_id := p_phone_number_id;
    v_line := p_phone_number;
    v_assistant_id := coalesce((private.call_configuration(v_organization_id, null, v_line_id, v_line, null))
                                 .vapi_assistant_id, p_assistant_id);
  end if;

  v_created := private.remember_call(v_call_id, v_organization_id, v_resolved_by, v_assistant_id);
  select l.* into v_old from public.call_logs as l where l.vapi_call_id = v_call_id for update;
  if v_old.organization_id <> v_organization_id then
    -- The call id is another tenant's (remember_call inserted nothing): not this event's to change.
    return pg_catalog.jsonb_build_object('ok', false, 'changed', false, 'reason', 'call_of_another_organization',
      'organization_id', v_organization_id, 'resolved_by', v_resolved_by);
  end if;
  v_new := v_old;
  -- Neither can be negative, and no call lasts a day (Vapi's maxDurationSeconds tops out at 12 h): not recorded.
  if v_duration < 0 or v_duration > 86400 then v_duration := null; end if;
  if v_cost < 0 then v_cost := null; end if;

  -- The time the row's status was set by: none yet for a row a tool call created, nor for not-found/deletion-failed
  -- (outside the call's life, they do not hold back its statuses).
  v_old_at := case when v_old.status not in ('not-found', 'deletion-failed') then v_old.last_event_at end;
  -- The end-of-call report is Vapi's final word on its fields, stamped or not.
  v_newer := v_created or (v_at is not null and (v_old_at is null or v_at >= v_old_at))
             or (v_at is null and v_event ->> 'type' = 'end-of-call-report');
  -- `ended` is final and always wins (a report stamped a little before the last status-update still ends the call);
  -- the event that created the row sets its status whatever the time; a life status replaces not-found or
  -- deletion-failed. Otherwise message time decides — or life order, when this event or the row has no time yet
  -- (a row a tool call created: the call was being served then, so an older `ringing` must not move it back).
  v_status_taken := v_status is not null and v_old.status <> 'ended' and (
       v_created or v_status = 'ended' or v_old.status in ('not-found', 'deletion-failed')
       or (v_at is not null and v_old_at is not null and v_newer)
       or ((v_at is null or v_old_at is null)
           and private.call_status_rank(v_status) >= coalesce(private.call_status_rank(v_old.status), 0)));
  if v_status_taken then
    v_new.status := v_status;
  elsif v_created and v_status is null and v_aside_status is not null then
    v_new.status := v_aside_status;
  end if;
  -- Only events that carry a status move the row's time (a language change does not hold back a delayed status);
  -- a row without a time gets one from the first event whose status it takes.
  v_new.last_event_at := case
    when v_status is null and not v_created then v_old.last_event_at
    when v_old_at is not null or v_created or v_status_taken then greatest(v_old_at, v_at)
    else v_old_at
  end;
  v_new.started_at := coalesce(v_old.started_at, private.event_time(v_event ->> 'startedAt'));
  v_new.ended_at := private.newest(v_newer, private.event_time(v_event ->> 'endedAt'), v_old.ended_at);
  v_new.ended_reason := private.newest(v_newer, nullif(v_event ->> 'endedReason', ''), v_old.ended_reason);
  -- A duration Vapi gives is taken like any field; one worked out from start and end (it equals their span) follows
  -- them when they move — Vapi's own is never replaced by a worked-out one.
  v_old_span := pg_catalog.round(extract(epoch from v_old.ended_at - v_old.started_at), 3);
  v_new.duration_seconds := case
    when v_duration is not null and (v_newer or v_old.duration_seconds is null) then v_duration
    when v_old.duration_seconds is null
         or (v_old.duration_seconds = v_old_span and (v_new.ended_at is distinct from v_old.ended_at
                                                      or v_new.started_at is distinct from v_old.started_at))
      then coalesce(case when v_new.ended_at >= v_new.started_at
                      then pg_catalog.round(extract(epoch from v_new.ended_at - v_new.started_at), 3) end,
                    v_old.duration_seconds)
    else v_old.duration_seconds
  end;
  v_new.cost := private.newest(v_newer, v_cost, v_old.cost);
  v_new.summary := private.newest(v_newer, nullif(v_event ->> 'summary', ''), v_old.summary);
  v_new.transcript := private.newest(v_newer, nullif(v_event ->> 'transcript', ''), v_old.transcript);
  v_new.recording_url := private.newest(v_newer, nullif(v_event ->> 'recordingUrl', ''), v_old.recording_url);
  v_new.structured_data := private.newest(v_newer, case when pg_catalog.jsonb_typeof(v_event -> 'structuredData') = 'object'
                                                   then v_event -> 'structuredData' end, v_old.structured_data);
  v_new.success_evaluation := private.newest(v_newer, nullif(v_event ->> 'successEvaluation', ''),
                                             v_old.success_evaluation);
  if v_event ->> 'type' = 'language-change-detected' and v_detected is not null then
    v_language := private.configured_language(v_organization_id, coalesce(v_old.vapi_assistant_id, v_assistant_id),
                                              v_detected, v_line_id, v_line);
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
    'language', private.call_language(v_organization_id, v_call_id, coalesce(v_old.vapi_assistant_id, v_assistant_id),
                                      v_line_id, v_line));
end;
$$;
