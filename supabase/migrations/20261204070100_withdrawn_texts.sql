-- =====================================================================================================================
-- Section - A text about an appointment that changed while it was being sent is never sent later
-- =====================================================================================================================
-- cancel_pending_notifications voided only `pending` texts. A text being sent (`sending`) or whose outcome was unknown
-- (`unknown`) when its appointment was cancelled or moved went back to `pending` after a retryable answer or a
-- reconciliation that did not find it, and "… is confirmed" for the old time went out after the change (helper-22 F2).
-- Such a text is now marked withdrawn; if it turns out not to have been sent and its appointment is no longer at the
-- time and in the state it describes (`describes_start`, the kind), it is cancelled instead of retried (moved and
-- moved back, it is retried as before; if it was sent, `sent` is recorded: that is what happened). And a reconciliation that matched a message already
-- recorded for another text (the same words: a cancel and a rebook of one time) is not this text's: it was never
-- taken, so it is retried — recording it failed on the unique provider id and left the text unknown (F3). pgTAP 58.

alter table public.notifications add column withdrawn_at timestamptz;
comment on column public.notifications.withdrawn_at is
  'When its appointment changed while the text was being sent or its outcome unknown: if not sent, it is retried only '
  'if the appointment is back at the time and state the text describes.';
alter table public.notifications add column describes_start timestamptz;
comment on column public.notifications.describes_start is 'The appointment start the text speaks of, when it was queued.';

/** Queues one text about p_appointment: `skipped` (reason opted_out) when the number opted out of this organization. */
create or replace function private.queue_sms(
  p_appointment public.appointments, p_kind text, p_send_after timestamptz, p_body text)
  returns void
  language sql
  volatile
  set search_path = ''
as $$
  insert into public.notifications (organization_id, appointment_id, kind, to_phone, body, send_after, status, last_error,
                                    describes_start)
  select p_appointment.organization_id, p_appointment.id, p_kind, p_appointment.customer_phone, p_body, p_send_after,
         case when o.phone is null then 'pending' else 'skipped' end,
         case when o.phone is not null then 'opted_out' end,
         p_appointment.start_time
  from (select 1) as one
  left join public.sms_opt_outs as o
    on o.organization_id = p_appointment.organization_id and o.phone = p_appointment.customer_phone
  where p_appointment.customer_phone ~ '^\+[1-9][0-9]{6,14}$'
$$;

/** Texts about an appointment are void once it changes: pending ones now, ones in flight if they were not sent. */
create or replace function private.cancel_pending_notifications(p_appointment_id uuid, p_reason text)
  returns void
  language sql
  volatile
  set search_path = ''
as $$
  update public.notifications as n
  set status = case when n.status = 'pending' then 'cancelled' else n.status end,
      last_error = case when n.status = 'pending' then p_reason else n.last_error end,
      withdrawn_at = case when n.status = 'pending' then n.withdrawn_at else pg_catalog.now() end
  where n.appointment_id = p_appointment_id and n.status in ('pending', 'sending', 'unknown')
$$;

/**
  * Records what the provider answered for one claimed text; only the claim that holds it may (p_claim_id).
  *   sent      → `sent` + provider message id (also after the lease expired: the real outcome wins); also what a
  *               reconciliation that found the message records
  *   retry     → (429, 503, not connected, or a reconciliation that did not find it: the provider did not take it)
  *               `pending` again after the backoff, or `failed` after 5 attempts or when the next try would be after
  *               the appointment starts; `cancelled` when the appointment changed meanwhile (withdrawn_at)
  *   failed    → `failed` with the reason (a permanent 4xx)
  *   opted_out → `failed` and the number joins sms_opt_outs (Twilio error 21610)
  *   unknown   → `unknown` (the request may have reached the provider: timeout, lost connection, or the
  *               reconciliation could not ask): reconciled later; `failed` after 3 reconciliations
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
  if p_outcome not in ('sent', 'retry', 'failed', 'opted_out', 'unknown') then
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
  elsif p_outcome = 'sent' and v_row.status in ('sending', 'unknown', 'failed') then
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
    set status = 'pending', send_after = v_next, lease_expires_at = null, last_error = p_error
    where n.id = p_id;
    return 'pending';
  end if;

  if p_outcome = 'unknown' and v_row.reconciliations < 3 then
    update public.notifications as n
    set status = 'unknown', unknown_since = pg_catalog.now(), lease_expires_at = null, last_error = p_error
    where n.id = p_id;
    return 'unknown';
  elsif p_outcome = 'opted_out' then
    insert into public.sms_opt_outs (organization_id, phone, source)
    values (v_row.organization_id, v_row.to_phone, 'provider')
    on conflict do nothing;
  end if;
  update public.notifications as n
  set status = 'failed', lease_expires_at = null, last_error = coalesce(p_error, p_outcome)
  where n.id = p_id;
  return 'failed';
end;
$$;
