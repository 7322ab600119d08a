-- =====================================================================================================================
-- Section - Helpers
-- =====================================================================================================================

/** A timestamptz from untrusted text, or null (a malformed field must not fail a whole event). */
create or replace function private.try_timestamptz(p_value text)
  returns timestamptz
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return nullif(pg_catalog.btrim(p_value), '')::timestamptz;
exception
  when others then
    return null;
end;
$$;

/** A JSON number as numeric, or null for anything else. */
create or replace function private.json_number(p_value jsonb)
  returns numeric
  language sql
  immutable
  set search_path = ''
as $$
  select case when pg_catalog.jsonb_typeof(p_value) = 'number' then (p_value #>> '{}')::numeric end
$$;

/** Position of a Vapi call status in a call's life, for events that carry no timestamp. */
create or replace function private.call_status_rank(p_status text)
  returns integer
  language sql
  immutable
  set search_path = ''
as $$
  select pg_catalog.array_position(array['scheduled', 'queued', 'ringing', 'in-progress', 'forwarding', 'ended'], p_status)
$$;

-- =====================================================================================================================
-- Section - Public functions (the webhook RPC)
-- =====================================================================================================================

/**
  * status-update and end-of-call-report → the call's call_logs row, in ONE transaction. Events may arrive late, twice
  * or out of order: the row is created by whichever comes first, a status only moves forward in message time (or in
  * life order when an event has no timestamp) and never away from `ended`, report fields fill in, and a replayed
  * event changes nothing (`changed: false`). Unknown tenant → `ok: false`, nothing written.
  * p_event: { type, timestamp (ISO), status, endedReason, startedAt, endedAt, durationSeconds, cost, summary,
  *            transcript, recordingUrl }.
  */
create or replace function public.record_call_event(
  p_assistant_id text default null,
  p_phone_number text default null,
  p_vapi_call_id text default null,
  p_event jsonb default '{}'::jsonb)
  returns jsonb
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
declare
  v_event jsonb := case when pg_catalog.jsonb_typeof(p_event) = 'object' then p_event else '{}'::jsonb end;
  v_call_id text := nullif(pg_catalog.btrim(p_vapi_call_id), '');
  v_at timestamptz := private.try_timestamptz(v_event ->> 'timestamp');
  v_status text := case
    when v_event ->> 'type' = 'end-of-call-report' then 'ended'
    when private.call_status_rank(v_event ->> 'status') is not null then v_event ->> 'status'
  end;
  v_organization_id uuid;
  v_resolved_by text;
  v_created boolean;
  v_old public.call_logs;
  v_new public.call_logs;
begin
  select r.organization_id, r.resolved_by into v_organization_id, v_resolved_by
  from private.resolve_organization(p_assistant_id, p_phone_number, v_call_id) as r;
  if v_organization_id is null or v_call_id is null then
    return pg_catalog.jsonb_build_object('ok', false, 'changed', false, 'organization_id', null, 'resolved_by', null,
      'reason', case when v_organization_id is null then 'organization_not_found' else 'no_call_id' end);
  end if;

  v_created := private.remember_call(v_call_id, v_organization_id, v_resolved_by, p_assistant_id);
  select l.* into v_old from public.call_logs as l where l.vapi_call_id = v_call_id for update;
  v_new := v_old;

  -- `ended` is final and always wins (a report stamped a little before the last status-update still ends the call).
  if v_status is not null and v_old.status <> 'ended' and (
       v_status = 'ended'
       or (v_at is not null and (v_old.last_event_at is null or v_at >= v_old.last_event_at))
       or (v_at is null and private.call_status_rank(v_status) >= private.call_status_rank(v_old.status))) then
    v_new.status := v_status;
  end if;
  v_new.last_event_at := greatest(v_old.last_event_at, v_at);
  v_new.started_at := coalesce(v_old.started_at, private.try_timestamptz(v_event ->> 'startedAt'));
  v_new.ended_at := coalesce(private.try_timestamptz(v_event ->> 'endedAt'), v_old.ended_at);
  v_new.ended_reason := coalesce(nullif(v_event ->> 'endedReason', ''), v_old.ended_reason);
  v_new.duration_seconds := coalesce(private.json_number(v_event -> 'durationSeconds'), v_old.duration_seconds);
  v_new.cost := coalesce(private.json_number(v_event -> 'cost'), v_old.cost);
  v_new.summary := coalesce(nullif(v_event ->> 'summary', ''), v_old.summary);
  v_new.transcript := coalesce(nullif(v_event ->> 'transcript', ''), v_old.transcript);
  v_new.recording_url := coalesce(nullif(v_event ->> 'recordingUrl', ''), v_old.recording_url);

  if v_new is distinct from v_old then
    update public.call_logs as l
    set status = v_new.status, last_event_at = v_new.last_event_at, started_at = v_new.started_at,
        ended_at = v_new.ended_at, ended_reason = v_new.ended_reason, duration_seconds = v_new.duration_seconds,
        cost = v_new.cost, summary = v_new.summary, transcript = v_new.transcript, recording_url = v_new.recording_url
    where l.id = v_old.id;
  end if;
  return pg_catalog.jsonb_build_object('ok', true,
    'changed', v_created or v_new is distinct from v_old,
    'reason', case when v_created then 'created' when v_new is distinct from v_old then 'recorded' else 'unchanged' end,
    'organization_id', v_organization_id, 'resolved_by', v_resolved_by);
end;
$$;
revoke all on function public.record_call_event(text, text, text, jsonb) from public, anon, authenticated;
grant execute on function public.record_call_event(text, text, text, jsonb) to service_role;
