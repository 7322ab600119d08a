-- A text's reconciliations (lookups in Twilio's message list after a send whose answer was lost) were counted over its
-- whole life, never reset: after three lost answers that each came back "not in the list" — the list reachable every
-- time — the fourth went to `failed` (outcome_unknown) without a lookup, before the 5 attempts retries allow, even when
-- that send had been delivered (helper-109). The count is now per doubt: a retry — the provider refused the text, or a
-- lookup found it was not taken — ends the doubt and sets it back to 0, so "list unreachable 3 times → failed" means
-- three lookups of one doubt that could not ask. pgTAP 42. CREATE OR REPLACE keeps grants.

/**
  * Records what the provider answered for one claimed text; only the claim that holds it may (p_claim_id).
  *   sent      → `sent` + provider message id (also after the lease expired: the real outcome wins); also what a
  *               reconciliation that found the message records
  *   retry     → (429, 503, not connected, or a reconciliation that did not find it: the provider did not take it)
  *               `pending` again after the backoff, or `failed` after 5 attempts or when the next try would be after
  *               the appointment starts; `cancelled` when the appointment changed meanwhile (withdrawn_at)
  *   failed    → `failed` with the reason (a permanent 4xx)
  *   opted_out → `failed` and the number joins sms_opt_outs (Twilio error 21610)
  *   undeliverable → `failed` and the number joins sms_opt_outs as 'undeliverable' (21211 not valid, 21614 no texts)
  *   unknown   → `unknown` (the request may have reached the provider: timeout, lost connection, or the
  *               reconciliation could not ask): reconciled later; `failed` after 3 reconciliations of one doubt (a
  *               retry — the provider refused it, or its list lacks it — ends the doubt and its count)
  * Returns the row's status afterwards; null when the claim does not hold the row.
  */
create or replace function public.record_notification_result(
  p_id uuid, p_claim_id uuid, p_outcome text, p_provider_message_id text default null, p_error text default null,
  p_retry_after_seconds integer default null)
  returns text
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
declare
  v_row public.notifications;
  v_next timestamptz;
  v_start timestamptz;
begin
  if p_outcome not in ('sent', 'retry', 'failed', 'opted_out', 'undeliverable', 'unknown') then
    raise exception 'unknown outcome %', p_outcome using errcode = '22023';
  end if;
  select n.* into v_row from public.notifications as n where n.id = p_id and n.claim_id = p_claim_id for update;
  if found and p_outcome = 'sent' and p_provider_message_id is not null and exists (
       select 1 from public.notifications as o where o.provider_message_id = p_provider_message_id and o.id <> p_id) then
    -- A reconciliation matched the same words sent earlier for another text (a cancel and a rebook of one time read
    -- alike): that message is not this text's, which was never taken.
    p_outcome := 'retry';
    p_error := 'the message found at the provider is another text''s (' || p_provider_message_id || ')';
  end if;
  if not found then
    return null;
  elsif p_outcome = 'sent' and v_row.status in ('sending', 'unknown', 'failed', 'cancelled') then
    -- Cancelled by hand while this claim was sending it (README): it went out, and that is what is recorded.
    update public.notifications as n
    set status = 'sent', provider_message_id = p_provider_message_id, sent_at = pg_catalog.now(), last_error = null,
        lease_expires_at = null
    where n.id = p_id;
    return 'sent';
  elsif v_row.status <> 'sending' then
    return v_row.status;
  end if;

  if p_outcome = 'retry' and v_row.withdrawn_at is not null and not exists (
       select 1 from public.appointments as a
       where a.id = v_row.appointment_id and a.start_time = v_row.describes_start
         and (a.status in ('scheduled', 'confirmed')) = (v_row.kind <> 'cancellation')) then
    -- Not sent, and about an appointment that is no longer as the text says: never sent later (a newer text says what
    -- is true). Moved and moved back, it still is: retried as any text.
    update public.notifications as n
    set status = 'cancelled', lease_expires_at = null,
        last_error = 'withdrawn: the appointment changed while this text was being sent'
    where n.id = p_id;
    return 'cancelled';
  elsif p_outcome = 'retry' then
    v_next := pg_catalog.now() + private.notification_retry_delay(v_row.attempts, p_retry_after_seconds);
    select a.start_time into v_start from public.appointments as a where a.id = v_row.appointment_id;
    if v_row.attempts >= 5 or v_next >= v_start then
      update public.notifications as n
      set status = 'failed', lease_expires_at = null,
          last_error = 'gave up after ' || v_row.attempts || ' attempts: ' || coalesce(p_error, 'retryable error')
      where n.id = p_id;
      return 'failed';
    end if;
    update public.notifications as n
    set status = 'pending', send_after = v_next, lease_expires_at = null, last_error = p_error, reconciliations = 0
    where n.id = p_id;
    return 'pending';
  end if;

  if p_outcome = 'unknown' and v_row.reconciliations < 3 then
    update public.notifications as n
    set status = 'unknown', unknown_since = pg_catalog.now(), lease_expires_at = null, last_error = p_error
    where n.id = p_id;
    return 'unknown';
  elsif p_outcome in ('opted_out', 'undeliverable') then
    perform private.add_opt_outs(array[v_row.organization_id], v_row.to_phone,
                                 case p_outcome when 'opted_out' then 'provider' else 'undeliverable' end);
  end if;
  update public.notifications as n
  set status = 'failed', lease_expires_at = null, last_error = coalesce(p_error, p_outcome)
  where n.id = p_id;
  return 'failed';
end;
$$;
