-- =====================================================================================================================
-- Section - Private iCalendar feed tokens (issue 15)
-- =====================================================================================================================
-- A feed URL is `…/functions/v1/calendar-feed/<token>.ics`; calendar apps send no JWT, so the token is the
-- credential. Only its SHA-256 is stored: a leaked table (or backup) yields no working URL, and lookup is an
-- equality on the hash, so the time taken never depends on how much of a guessed token is right.
create extension if not exists pgcrypto with schema extensions;

-- A staff member's feed filters on appointments.staff_member_id. The calendar model migration owns that column and
-- its constraints; it is added here bare, only when absent, so feeds work whichever of the two lands first.
alter table public.appointments add column if not exists staff_member_id uuid;

create table public.calendar_feeds (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  -- null: the whole organization's calendar; else one staff member's, who must belong to the same organization.
  staff_member_id uuid,
  token_hash bytea not null constraint calendar_feeds_token_hash_key unique
    constraint calendar_feeds_token_hash_is_sha256 check (pg_catalog.octet_length(token_hash) = 32),
  expires_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz not null default now(),
  constraint calendar_feeds_staff_member_same_organization foreign key (organization_id, staff_member_id)
    references public.staff_members (organization_id, id) on delete cascade
);
create index calendar_feeds_organization_id_staff_member_id_idx
  on public.calendar_feeds (organization_id, staff_member_id);

-- Members may see which feeds exist for their organizations (whose, until when, revoked or not), never the hash.
alter table public.calendar_feeds enable row level security;
revoke all on table public.calendar_feeds from anon, authenticated, service_role;
grant select (id, organization_id, staff_member_id, expires_at, revoked_at, created_at)
  on table public.calendar_feeds to authenticated;
grant select, insert, update, delete on table public.calendar_feeds to service_role;
create policy "Members can view their organizations' calendar feeds" on public.calendar_feeds
  for select to authenticated
  using (organization_id in (select private.current_user_organization_ids()));

-- =====================================================================================================================
-- Section - Token functions (DB admins: postgres and service_role only)
-- =====================================================================================================================

/** The stored form of a feed token: SHA-256 of its UTF-8 bytes (the one place this rule is written). */
create or replace function private.calendar_feed_token_hash(p_token text)
  returns bytea
  language sql
  immutable
  set search_path = ''
as $$
  select pg_catalog.sha256(pg_catalog.convert_to(coalesce(p_token, ''), 'UTF8'))
$$;
revoke all on function private.calendar_feed_token_hash(text) from public;

/**
  * A new private feed of one organization (or of one of its staff members) until p_expires_at (null: no expiry).
  * Returns the token, shown this once: the feed URL is `…/functions/v1/calendar-feed/<token>.ics`. The token is
  * 32 random bytes in base64url (43 characters). Refuses an unknown organization, a staff member of another
  * organization and an expiry that is not in the future.
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

/** Revokes the feed of p_token for good. True when a live feed was revoked; false for unknown or already revoked. */
create or replace function public.revoke_calendar_feed(p_token text)
  returns boolean
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
begin
  update public.calendar_feeds as f set revoked_at = pg_catalog.now()
  where f.token_hash = private.calendar_feed_token_hash(p_token) and f.revoked_at is null;
  return found;
end;
$$;
revoke all on function public.revoke_calendar_feed(text) from public, anon, authenticated;
grant execute on function public.revoke_calendar_feed(text) to service_role;
