-- =====================================================================================================================
-- Section - The dispatcher's RPCs (service_role only): claim due texts, record each outcome, inbound STOP/START
-- =====================================================================================================================
-- Delivery guarantee: EXACTLY ONCE per notification, by reconciliation. Twilio's Messages API has no idempotency key,
-- so a claim commits `sending` BEFORE the request, and a send whose answer never arrived (timeout, lost connection, a
-- crash between send and record: the lease runs out) becomes `unknown`, is never resent blindly. RECONCILE_AFTER
-- later a dispatcher looks for it in Twilio's message list (same recipient, same body, created since the attempt):
-- found → `sent` with that SID; absent → sent again; the list unreachable 3 times → `failed` (outcome_unknown).

/** Backoff before retry n (1-based): 30 s · 2^(n-1), capped at 30 min, with jitter (50–100 %); Retry-After wins if longer. */
create or replace function private.notification_retry_delay(p_attempt integer, p_retry_after_seconds integer default null)
  returns interval
  language sql
  volatile
  set search_path = ''
as $$
  select pg_catalog.make_interval(secs => greatest(
    least(30 * power(2, greatest(p_attempt, 1) - 1), 1800) * (0.5 + random() / 2),
    least(coalesce(p_retry_after_seconds, 0), 3600)))
$$;

/**
  * Claims up to p_limit texts for one dispatcher run (FOR UPDATE SKIP LOCKED: concurrent runs never get the same
  * row) and marks them `sending` under a lease: due `pending` texts (reconcile = false: send them) and `unknown` ones
  * older than 2 minutes (reconcile = true: look them up at Twilio first; last_attempt_at = when the lost send began).
  * Before that: expired leases become `unknown`, due texts to opted-out numbers or about appointments that already
  * started become `skipped`. p_organization_ids limits the claim to organizations the caller can send for (null = all).
  */
create or replace function public.claim_notifications(
  p_limit integer default 20, p_lease_seconds integer default 120, p_organization_ids uuid[] default null)
  returns table (id uuid, claim_id uuid, organization_id uuid, kind text, to_phone text, from_phone text, body text,
                 attempts integer, reconcile boolean, last_attempt_at timestamptz)
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
#variable_conflict use_column
declare
  v_claim uuid := gen_random_uuid();
begin
  update public.notifications as n
  set status = case when n.reconciliations >= 3 then 'failed' else 'unknown' end, unknown_since = pg_catalog.now(),
      lease_expires_at = null, last_error = 'outcome_unknown: no result recorded before the lease expired'
  where n.status = 'sending' and n.lease_expires_at < pg_catalog.now();

  update public.notifications as n set status = 'skipped', last_error = 'opted_out'
  where n.status = 'pending' and n.send_after <= pg_catalog.now()
    and exists (select 1 from public.sms_opt_outs as o where o.organization_id = n.organization_id and o.phone = n.to_phone);

  update public.notifications as n set status = 'skipped', last_error = 'appointment_started'
  where n.status = 'pending' and n.send_after <= pg_catalog.now()
    and exists (select 1 from public.appointments as a where a.id = n.appointment_id and a.start_time <= pg_catalog.now());

  return query
  with due as (
    select n.id, n.status = 'unknown' as reconcile from public.notifications as n
    where ((n.status = 'pending' and n.send_after <= pg_catalog.now())
           or (n.status = 'unknown' and n.unknown_since <= pg_catalog.now() - interval '2 minutes'))
      and (p_organization_ids is null or n.organization_id = any (p_organization_ids))
    order by n.send_after
    limit greatest(least(p_limit, 100), 1)
    for update skip locked
  )
  update public.notifications as n
  set status = 'sending', claim_id = v_claim,
      attempts = n.attempts + case when due.reconcile then 0 else 1 end,
      reconciliations = n.reconciliations + case when due.reconcile then 1 else 0 end,
      last_attempt_at = case when due.reconcile then n.last_attempt_at else pg_catalog.now() end,
      lease_expires_at = pg_catalog.now() + pg_catalog.make_interval(secs => greatest(p_lease_seconds, 10))
  from due
  where n.id = due.id
  returning n.id, n.claim_id, n.organization_id, n.kind, n.to_phone,
            (select s.from_phone from private.sms_settings(n.organization_id) as s), n.body, n.attempts, due.reconcile,
            n.last_attempt_at;
end;
$$;
revoke all on function public.claim_notifications(integer, integer, uuid[]) from public, anon, authenticated;
grant execute on function public.claim_notifications(integer, integer, uuid[]) to service_role;

/**
  * Records what the provider answered for one claimed text; only the claim that holds it may (p_claim_id).
  *   sent      → `sent` + provider message id (also after the lease expired: the real outcome wins); also what a
  *               reconciliation that found the message records
  *   retry     → (429, 5xx, not connected, or a reconciliation that did not find it: the provider did not take it)
  *               `pending` again after the backoff, or `failed` after 5 attempts or when the next try would be after
  *               the appointment starts
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

  if p_outcome = 'retry' then
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
revoke all on function public.record_notification_result(uuid, uuid, text, text, text, integer)
  from public, anon, authenticated;
grant execute on function public.record_notification_result(uuid, uuid, text, text, text, integer) to service_role;

/**
  * An inbound text to a tenant's line (the sms-inbound webhook, after Twilio's signature was verified): Twilio's
  * opt-out keywords add the sender to that organization's sms_opt_outs, its opt-in keywords remove it.
  * Returns 'opted_out', 'opted_in', 'ignored' (another message) or 'unknown_line' (no active configuration sends from
  * p_to_phone: nothing written).
  */
create or replace function public.record_inbound_sms(p_to_phone text, p_from_phone text, p_body text)
  returns text
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
declare
  v_to text := private.normalize_e164(p_to_phone);
  v_from text := private.normalize_e164(p_from_phone);
  v_word text := pg_catalog.upper(pg_catalog.regexp_replace(coalesce(p_body, ''), '[[:space:][:punct:]]', '', 'g'));
  v_org uuid;
begin
  select c.organization_id into v_org
  from public.customer_configurations as c
  where c.is_active and (c.vapi_phone_number = v_to or private.normalize_e164(c.sms_preferences ->> 'from_number') = v_to)
  order by c.created_at
  limit 1;
  if v_org is null or v_from is null then
    return 'unknown_line';
  elsif v_word in ('STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE') then
    insert into public.sms_opt_outs (organization_id, phone, source) values (v_org, v_from, 'keyword')
    on conflict do nothing;
    return 'opted_out';
  elsif v_word in ('START', 'YES', 'UNSTOP') then
    delete from public.sms_opt_outs as o where o.organization_id = v_org and o.phone = v_from;
    return 'opted_in';
  end if;
  return 'ignored';
end;
$$;
revoke all on function public.record_inbound_sms(text, text, text) from public, anon, authenticated;
grant execute on function public.record_inbound_sms(text, text, text) to service_role;
