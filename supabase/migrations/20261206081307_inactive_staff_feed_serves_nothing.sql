-- A staff member made inactive (someone who left) kept a live calendar feed: their upcoming and past jobs — customer
-- names and phone numbers — were still served to whoever held the URL until an admin revoked it (helper-119 #3). Their
-- feed now answers as a revoked one does (the same 404) for as long as they are inactive; made active again, the same
-- URL serves again. An organization's whole feed is unchanged. CREATE OR REPLACE keeps grants.

/**
  * The calendar behind a feed token, or null when the token is unknown, revoked or expired, or its staff member is
  * inactive (one answer for all, found by equality on the token's hash: no timing depends on how much of a guessed
  * token is right).
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
    and (f.expires_at is null or f.expires_at > pg_catalog.now())
    and (f.staff_member_id is null or s.is_active);
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

/**
  * A new private feed of one organization (or of one of its staff members) until p_expires_at (null: no expiry).
  * Returns the token, shown this once: the feed URL is `…/functions/v1/calendar-feed/<token>.ics`. The token is
  * 32 random bytes in base64url (43 characters). Refuses an unknown organization, a staff member of another
  * organization or an inactive one (their feed would serve nothing), and an expiry that is not in the future.
  */
create or replace function public.create_calendar_feed(
  p_organization_id uuid, p_staff_member_id uuid default null, p_expires_at timestamptz default null)
  returns text
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
declare
  v_token text;
begin
  if not exists (select 1 from public.organizations as o where o.id = p_organization_id) then
    raise exception 'create_calendar_feed: organization % does not exist', p_organization_id
      using errcode = 'foreign_key_violation';
  end if;
  if p_staff_member_id is not null and not exists (
    select 1 from public.staff_members as s where s.id = p_staff_member_id and s.organization_id = p_organization_id
  ) then
    raise exception 'create_calendar_feed: staff member % does not belong to organization %',
      p_staff_member_id, p_organization_id using errcode = 'foreign_key_violation';
  end if;
  if exists (select 1 from public.staff_members as s where s.id = p_staff_member_id and not s.is_active) then
    raise exception 'create_calendar_feed: staff member % is inactive (their feed would serve nothing)',
      p_staff_member_id using errcode = 'invalid_parameter_value';
  end if;
  if p_expires_at is not null and p_expires_at <= pg_catalog.now() then
    raise exception 'create_calendar_feed: the expiry % is not in the future', p_expires_at
      using errcode = 'invalid_parameter_value';
  end if;

  v_token := pg_catalog.translate(
    pg_catalog.rtrim(pg_catalog.encode(extensions.gen_random_bytes(32), 'base64'), '='), '+/', '-_');
  insert into public.calendar_feeds (organization_id, staff_member_id, token_hash, expires_at)
  values (p_organization_id, p_staff_member_id, private.calendar_feed_token_hash(v_token), p_expires_at);
  return v_token;
end;
$$;
revoke all on function public.create_calendar_feed(uuid, uuid, timestamptz) from public, anon, authenticated;
grant execute on function public.create_calendar_feed(uuid, uuid, timestamptz) to service_role;
