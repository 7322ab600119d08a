-- =====================================================================================================================
-- Section - Texts withdrawn by hand, also while they are being sent
-- =====================================================================================================================
-- The README told admins to withdraw queued texts with `update notifications set status = 'cancelled' … and status =
-- 'pending'`, and to run it again a few minutes later: a text being sent at that moment came back to `pending` after a
-- retryable answer (429, 5xx) and went out after all. Withdrawing `sending` and `unknown` texts too is now one statement
-- that holds: a retryable or failed answer leaves such a text cancelled (as before: only a `sending` row is retried),
-- a cancelled `unknown` text is not looked up again, and a text the provider did take while it was withdrawn is recorded
-- as `sent` with its id (what happened), which this function refused for a cancelled row. pgTAP 88.

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
