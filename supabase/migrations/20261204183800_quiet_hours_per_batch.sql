-- 20261204173700 looked at every due reminder of every organization on each claim, reading the organization's texts
-- settings once per row (helper-46: 10 000 due reminders after a Twilio outage made a claim of 20 take ~0.5 s instead
-- of 13 ms, growing with the backlog). Only the reminders one claim could take are looked at now, and only those are
-- taken. CREATE OR REPLACE keeps grants.

/**
  * Claims up to p_limit texts for one dispatcher run (FOR UPDATE SKIP LOCKED: concurrent runs never get the same
  * row) and marks them `sending` under a lease: due `pending` texts (reconcile = false: send them) and `unknown` ones
  * older than 2 minutes (reconcile = true: look them up at Twilio first; last_attempt_at = when the lost send began).
  * Before that: expired leases become `unknown`, due texts to opted-out numbers or about appointments that already
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

  update public.notifications as n set status = 'skipped', last_error = 'opted_out'
  where n.status = 'pending' and n.send_after <= pg_catalog.now()
    and exists (select 1 from public.sms_opt_outs as o where o.organization_id = n.organization_id and o.phone = n.to_phone);

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
