-- =====================================================================================================================
-- Section - A number Twilio cannot text is not tried again
-- =====================================================================================================================
-- A text Twilio refused because its number is not valid (21211) or cannot receive texts (21614: a landline) failed, but
-- every later text to that number — the reminder, each move's notice — was tried again and refused the same way
-- (helper-93 #4). The dispatcher now records such a refusal as `undeliverable`: the text fails and the number joins
-- the organization's sms_opt_outs with source 'undeliverable', so its later texts are skipped (last_error
-- 'undeliverable') like an opt-out's. A corrected customer_phone re-addresses the texts not yet sent; deleting the row
-- texts the number again. CREATE OR REPLACE keeps grants.

alter table public.sms_opt_outs
  drop constraint sms_opt_outs_source_known,
  add constraint sms_opt_outs_source_known check (source in ('keyword', 'provider', 'admin', 'undeliverable'));

/** The skipped text's last_error for a number in sms_opt_outs: why it is not texted (plpgsql: its plan is cached). */
create function private.opt_out_reason(p_source text)
  returns text
  language plpgsql
  immutable
  set search_path = ''
as $$
begin
  return case when p_source = 'undeliverable' then 'undeliverable' else 'opted_out' end;
end;
$$;
revoke all on function private.opt_out_reason(text) from public;

/**
  * Adds `p_phone` to the opt-outs of each organization, as `p_source`. A number already there keeps its row, except
  * one only marked 'undeliverable': the customer's own word (a STOP, Twilio's 21610 for one) outranks that guess, so
  * deleting undeliverable rows later never drops it.
  */
create function private.add_opt_outs(p_organization_ids uuid[], p_phone text, p_source text)
  returns void
  language plpgsql
  volatile
  set search_path = ''
as $$
begin
  insert into public.sms_opt_outs (organization_id, phone, source)
  select o, p_phone, p_source from pg_catalog.unnest(p_organization_ids) as o
  on conflict (organization_id, phone) do update set source = excluded.source
    where public.sms_opt_outs.source = 'undeliverable' and excluded.source <> 'undeliverable';
end;
$$;
revoke all on function private.add_opt_outs(uuid[], text, text) from public;

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
    set status = 'pending', send_after = v_next, lease_expires_at = null, last_error = p_error
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

/**
  * Queues one text about p_appointment. One due now to a number that opted out of this organization is `skipped`
  * (opted_out) at once; a later one (a reminder) is queued `pending` and checked when it comes due
  * (claim_notifications), so a customer who opts back in before then still gets it.
  */
create or replace function private.queue_sms(
  p_appointment public.appointments, p_kind text, p_send_after timestamptz, p_body text)
  returns void
  language plpgsql
  volatile
  set search_path = ''
as $$
begin
  insert into public.notifications (organization_id, appointment_id, kind, to_phone, body, send_after, status, last_error,
                                    describes_start)
  select p_appointment.organization_id, p_appointment.id, p_kind, p_appointment.customer_phone, p_body, p_send_after,
         case when o.phone is null or p_send_after > pg_catalog.now() then 'pending' else 'skipped' end,
         case when o.phone is not null and p_send_after <= pg_catalog.now() then private.opt_out_reason(o.source) end,
         p_appointment.start_time
  from (select 1) as one
  left join public.sms_opt_outs as o
    on o.organization_id = p_appointment.organization_id and o.phone = p_appointment.customer_phone
  where p_appointment.customer_phone is not null; -- an e164: its domain checked it
end;
$$;

/**
  * Claims up to p_limit texts for one dispatcher run (FOR UPDATE SKIP LOCKED: concurrent runs never get the same
  * row) and marks them `sending` under a lease: due `pending` texts (reconcile = false: send them) and `unknown` ones
  * older than 2 minutes (reconcile = true: look them up at Twilio first; last_attempt_at = when the lost send began).
  * Before that: expired leases become `unknown`, due texts to opted-out or undeliverable numbers or about appointments that already
  * started become `skipped`, and due reminders inside the organization's quiet hours wait for their end. p_organization_ids limits the claim to organizations the caller can send for (null = all).
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
  v_checked uuid[];
begin
  update public.notifications as n
  set status = case when n.reconciliations >= 3 then 'failed' else 'unknown' end, unknown_since = pg_catalog.now(),
      lease_expires_at = null, last_error = 'outcome_unknown: no result recorded before the lease expired'
  where n.status = 'sending' and n.lease_expires_at < pg_catalog.now();

  update public.notifications as n set status = 'skipped', last_error = private.opt_out_reason(o.source)
  from public.sms_opt_outs as o
  where n.status = 'pending' and n.send_after <= pg_catalog.now()
    and o.organization_id = n.organization_id and o.phone = n.to_phone;

  -- A reminder is never sent in quiet hours, also when it comes due late (a retry after a 429, a dispatcher backlog):
  -- it waits for their end as when it was queued (private.reminder_time), and is skipped below if that is too late.
  -- Only the reminders this claim could take are looked at (a backlog costs each claim no more than its batch).
  select pg_catalog.array_agg(r.id) into v_checked
  from (select r.id from public.notifications as r
        where r.status = 'pending' and r.kind = 'reminder' and r.send_after <= pg_catalog.now()
          and (p_organization_ids is null or r.organization_id = any (p_organization_ids))
        order by r.send_after
        limit greatest(least(p_limit, 100), 1)) as r;
  update public.notifications as n set send_after = q.at
  from (select r.id, private.after_quiet_hours(pg_catalog.now(), o.timezone, s.quiet_start, s.quiet_end) as at
        from public.notifications as r
        join public.organizations as o on o.id = r.organization_id
        cross join lateral private.sms_settings(r.organization_id) as s
        where r.id = any (v_checked)) as q
  where n.id = q.id and n.status = 'pending' and q.at > pg_catalog.now();

  update public.notifications as n set status = 'skipped', last_error = 'appointment_started'
  where n.status = 'pending' and n.send_after <= pg_catalog.now()
    and exists (select 1 from public.appointments as a where a.id = n.appointment_id and a.start_time <= pg_catalog.now());

  return query
  with due as (
    select n.id, n.status = 'unknown' as reconcile from public.notifications as n
    where ((n.status = 'pending' and n.send_after <= pg_catalog.now()
            and (n.kind <> 'reminder' or n.id = any (v_checked))) -- a reminder only once looked at above
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
