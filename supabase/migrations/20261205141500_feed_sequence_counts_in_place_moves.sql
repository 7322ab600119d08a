-- A calendar feed's SEQUENCE counted reschedules (a chain of rows) and a cancellation, but not an appointment whose
-- time was changed in place (an admin's SQL, the dashboard): the event moved with the same SEQUENCE, which calendar
-- apps may ignore as "no newer version" (helper-63 #4). Each row now counts its in-place changes in `revision`
-- (start, end, staff member; a cancelled row made active again counts 2, so SEQUENCE still rises past the
-- cancellation's +1), and the feed adds the chain's revisions. CREATE OR REPLACE keeps grants.

alter table public.appointments
  add column revision integer not null default 0 constraint appointments_revision_not_negative check (revision >= 0);
comment on column public.appointments.revision is
  'In-place changes of this row''s times or staff member (counted by a trigger); part of the calendar feed''s SEQUENCE.';

create function private.count_appointment_revision()
  returns trigger
  language plpgsql
  set search_path = ''
as $$
begin
  -- Only the trigger writes it: a direct write of revision is put back.
  new.revision := old.revision + case
    when old.status = 'cancelled' and new.status <> 'cancelled' then 2
    when old.start_time is distinct from new.start_time or old.end_time is distinct from new.end_time
      or old.staff_member_id is distinct from new.staff_member_id then 1
    else 0 end;
  return new;
end;
$$;
revoke all on function private.count_appointment_revision() from public, anon, authenticated, service_role;

-- Fires only for rows whose times or staff member change, whose cancellation is undone, or whose revision is written:
-- another status change (a cancel, a reschedule's old row, a confirmation) is not a new version of the time.
create trigger appointments_count_revision before update on public.appointments
  for each row
  when (old.start_time is distinct from new.start_time
        or old.end_time is distinct from new.end_time
        or old.staff_member_id is distinct from new.staff_member_id
        or (old.status = 'cancelled' and new.status <> 'cancelled')
        or old.revision is distinct from new.revision)
  execute function private.count_appointment_revision();

/**
  * The calendar behind a feed token, or null when the token is unknown, revoked or expired (one answer for all
  * three, found by equality on the token's hash: no timing depends on how much of a guessed token is right).
  *
  * Events: the organization's appointments (or the feed's staff member's) ending after now - 30 days and starting
  * before now + 365 days, ascending; at most 5000 — those not yet over first, then the most recent past ones. A
  * reschedule cancels the old row and inserts a new one pointing back at it (rescheduled_from); a calendar app should
  * see ONE event move, so each chain of reschedules is one event: `uid_id` is the chain's first appointment, the row
  * shown is its newest, superseded rows are left out, and `sequence` counts the changes (one per reschedule, one per
  * in-place change of a row's times or staff member — `revision` — and one more when the newest is cancelled), as
  * RFC 5545 SEQUENCE requires. Times are UTC ISO-8601 to the second.
  */
create or replace function public.calendar_feed_events(p_token text)
  returns jsonb
  language plpgsql
  stable
  security definer
  set search_path = ''
as $$
declare
  v_feed record;
  v_events jsonb;
  v_last_modified timestamptz;
begin
  select f.id, f.organization_id, f.staff_member_id, f.created_at, o.name as organization_name, o.timezone,
         s.name as staff_name
    into v_feed
  from public.calendar_feeds as f
  join public.organizations as o on o.id = f.organization_id
  left join public.staff_members as s on s.id = f.staff_member_id
  where f.token_hash = private.calendar_feed_token_hash(p_token)
    and f.revoked_at is null
    and (f.expires_at is null or f.expires_at > pg_catalog.now());
  if not found then
    return null;
  end if;

  with recursive heads as (
    select a.*
    from public.appointments as a
    where a.organization_id = v_feed.organization_id
      and (v_feed.staff_member_id is null or a.staff_member_id = v_feed.staff_member_id)
      and a.end_time > pg_catalog.now() - interval '30 days'
      and a.start_time < pg_catalog.now() + interval '365 days'
      and not exists (select 1 from public.appointments as n where n.rescheduled_from = a.id)
    -- Upcoming first (soonest first), then the most recent past: the cap never drops tomorrow's job for old rows.
    order by a.end_time <= pg_catalog.now(), case when a.end_time > pg_catalog.now() then a.start_time end,
             a.start_time desc
    limit 5000
  ), chain as (
    select h.id as head_id, h.id as link_id, h.created_at, h.rescheduled_from, 0 as depth, h.revision
    from heads as h
    union all
    select c.head_id, p.id, p.created_at, p.rescheduled_from, c.depth + 1, p.revision
    from chain as c
    join public.appointments as p on p.id = c.rescheduled_from
    where c.depth < 1000
  ), roots as (
    select distinct on (c.head_id) c.head_id, c.link_id as root_id, c.created_at as root_created_at,
           c.depth + pg_catalog.sum(c.revision) over (partition by c.head_id) as changes
    from chain as c
    order by c.head_id, c.depth desc
  )
  select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
           'uid_id', r.root_id,
           'appointment_id', h.id,
           'sequence', r.changes + case when h.status = 'cancelled' then 1 else 0 end,
           'status', h.status,
           'start_time', private.to_utc_iso(h.start_time),
           'end_time', private.to_utc_iso(h.end_time),
           'created_at', private.to_utc_iso(r.root_created_at),
           'updated_at', private.to_utc_iso(h.updated_at),
           'customer_name', h.customer_name,
           'customer_phone', h.customer_phone,
           'service', h.service,
           'notes', h.notes,
           'vapi_call_id', h.vapi_call_id,
           'staff_name', s.name) order by h.start_time, h.id), '[]'::jsonb),
         pg_catalog.max(h.updated_at)
    into v_events, v_last_modified
  from heads as h
  join roots as r on r.head_id = h.id
  left join public.staff_members as s on s.id = h.staff_member_id and s.organization_id = h.organization_id;

  return pg_catalog.jsonb_build_object(
    'organization_id', v_feed.organization_id,
    'organization_name', v_feed.organization_name,
    'timezone', v_feed.timezone,
    'staff_name', v_feed.staff_name,
    'last_modified', private.to_utc_iso(greatest(v_last_modified, v_feed.created_at)),
    'events', v_events);
end;
$$;
