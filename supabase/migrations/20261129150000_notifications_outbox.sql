-- =====================================================================================================================
-- Section - Tables: the SMS outbox and the opt-out list
-- =====================================================================================================================
-- A transactional outbox: rows are written by the trigger below in the SAME transaction as the booking, cancellation
-- or reschedule that implies them (so a rolled-back booking never texts), and sent later by the
-- notifications-dispatch Edge Function. `sending` = claimed by a dispatcher; its outcome is recorded by that claim only.
-- `unknown` = the request may have reached Twilio without an answer: it is reconciled against Twilio's message list
-- (found → `sent`, absent → sent again), never blindly resent.
create table public.notifications (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  appointment_id uuid references public.appointments (id) on delete cascade,
  kind text not null constraint notifications_kind_known
    check (kind in ('confirmation', 'reminder', 'cancellation', 'reschedule')),
  to_phone text not null constraint notifications_to_phone_is_e164 check (to_phone ~ '^\+[1-9][0-9]{6,14}$'),
  body text not null constraint notifications_body_not_blank check (pg_catalog.btrim(body) <> ''),
  send_after timestamptz not null default now(),
  status text not null default 'pending' constraint notifications_status_known
    check (status in ('pending', 'sending', 'unknown', 'sent', 'failed', 'cancelled', 'skipped')),
  attempts integer not null default 0 constraint notifications_attempts_not_negative check (attempts >= 0),
  claim_id uuid,
  lease_expires_at timestamptz,
  last_attempt_at timestamptz,
  unknown_since timestamptz,
  reconciliations integer not null default 0,
  provider_message_id text,
  last_error text,
  sent_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index notifications_due_idx on public.notifications (send_after) where status = 'pending';
create index notifications_lease_idx on public.notifications (lease_expires_at) where status = 'sending';
create index notifications_unknown_idx on public.notifications (unknown_since) where status = 'unknown';
create index notifications_appointment_id_idx on public.notifications (appointment_id);
create index notifications_organization_id_created_at_idx on public.notifications (organization_id, created_at);
create unique index notifications_provider_message_id_key on public.notifications (provider_message_id)
  where provider_message_id is not null;

create trigger notifications_set_updated_at before update on public.notifications
  for each row execute function private.set_updated_at();

-- Numbers that must never be texted by an organization: STOP replies (sms-inbound) and Twilio's 21610 answers.
create table public.sms_opt_outs (
  organization_id uuid not null references public.organizations (id) on delete cascade,
  phone text not null constraint sms_opt_outs_phone_is_e164 check (phone ~ '^\+[1-9][0-9]{6,14}$'),
  source text not null default 'keyword' constraint sms_opt_outs_source_known
    check (source in ('keyword', 'provider', 'admin')),
  created_at timestamptz not null default now(),
  primary key (organization_id, phone)
);

-- =====================================================================================================================
-- Section - Grants and RLS
-- =====================================================================================================================
alter table public.notifications enable row level security;
revoke all on table public.notifications from anon, authenticated, service_role;
grant select on table public.notifications to authenticated;
grant select on table public.notifications to service_role;
create policy "Members can view their organizations' notifications" on public.notifications
  for select to authenticated
  using (organization_id in (select private.current_user_organization_ids()));

alter table public.sms_opt_outs enable row level security;
revoke all on table public.sms_opt_outs from anon, authenticated, service_role;
grant select on table public.sms_opt_outs to authenticated;
grant select, insert, delete on table public.sms_opt_outs to service_role;
create policy "Members can view their organizations' SMS opt-outs" on public.sms_opt_outs
  for select to authenticated
  using (organization_id in (select private.current_user_organization_ids()));

-- =====================================================================================================================
-- Section - The texts (message catalog, en + es)
-- =====================================================================================================================
insert into private.message_catalog (language, key, template) values
  ('en', 'sms.confirmation', '{business}: your appointment on {when} is confirmed. Reply STOP to opt out.'),
  ('en', 'sms.reminder', '{business}: reminder of your appointment on {when}. Reply STOP to opt out.'),
  ('en', 'sms.cancellation', '{business}: your appointment on {when} has been cancelled. Reply STOP to opt out.'),
  ('en', 'sms.reschedule', '{business}: your appointment has been moved from {previous} to {when}. Reply STOP to opt out.'),
  ('es', 'sms.confirmation', '{business}: su cita está confirmada para {when}. Responda STOP para no recibir más mensajes.'),
  ('es', 'sms.reminder', '{business}: le recordamos su cita, {when}. Responda STOP para no recibir más mensajes.'),
  ('es', 'sms.cancellation', '{business}: se ha cancelado su cita prevista para {when}. Responda STOP para no recibir más mensajes.'),
  ('es', 'sms.reschedule', '{business}: su cita ha cambiado: ahora es {when} (antes {previous}). Responda STOP para no recibir más mensajes.');

-- =====================================================================================================================
-- Section - Helpers
-- =====================================================================================================================

/** A boolean of a jsonb object, `p_default` when the key is missing or not a JSON boolean. */
create or replace function private.jsonb_flag(p_object jsonb, p_key text, p_default boolean)
  returns boolean
  language sql
  immutable
  set search_path = ''
as $$
  select case when pg_catalog.jsonb_typeof(p_object -> p_key) = 'boolean' then (p_object ->> p_key)::boolean
              else p_default end
$$;

/** `HH:MM` (00:00–23:59) as a time, else null: a typo in a configuration must never break a booking. */
create or replace function private.parse_clock(p_text text)
  returns time
  language sql
  immutable
  set search_path = ''
as $$
  select case when p_text ~ '^([01]?[0-9]|2[0-3]):[0-5][0-9]$' then p_text::time end
$$;

/**
  * An organization's SMS settings, from its oldest active configuration's `sms_preferences`:
  *   enabled (default false), confirmation / reminder (default true), changes (cancel/reschedule notices, default =
  *   confirmation), reminder_hours_before (default 24, > 0 and ≤ 720), quiet_hours {"start","end"} local HH:MM
  *   (default 21:00–08:00; JSON null = none), from_number (E.164; default: the configuration's Vapi line).
  * Invalid values fall back to the defaults. language = the configuration's primary language on the catalog.
  */
create or replace function private.sms_settings(p_organization_id uuid,
  out enabled boolean, out confirmation boolean, out reminder boolean, out changes boolean,
  out reminder_lead interval, out quiet_start time, out quiet_end time, out language text, out from_phone text)
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_config public.customer_configurations;
  v_prefs jsonb;
  v_hours numeric;
begin
  select c.* into v_config from public.customer_configurations as c
  where c.organization_id = p_organization_id and c.is_active
  order by c.created_at, c.id
  limit 1;
  v_prefs := case when pg_catalog.jsonb_typeof(v_config.sms_preferences) = 'object' then v_config.sms_preferences
                  else '{}'::jsonb end;
  enabled := private.jsonb_flag(v_prefs, 'enabled', false);
  confirmation := private.jsonb_flag(v_prefs, 'confirmation', true);
  reminder := private.jsonb_flag(v_prefs, 'reminder', true);
  changes := private.jsonb_flag(v_prefs, 'changes', confirmation);
  if pg_catalog.jsonb_typeof(v_prefs -> 'reminder_hours_before') = 'number' then
    v_hours := (v_prefs ->> 'reminder_hours_before')::numeric;
  end if;
  reminder_lead := pg_catalog.make_interval(
    secs => (case when v_hours > 0 and v_hours <= 720 then v_hours else 24 end * 3600)::double precision);
  if v_prefs ? 'quiet_hours' and pg_catalog.jsonb_typeof(v_prefs -> 'quiet_hours') = 'null' then
    quiet_start := time '00:00';
    quiet_end := time '00:00';
  else
    quiet_start := coalesce(private.parse_clock(v_prefs #>> '{quiet_hours,start}'), time '21:00');
    quiet_end := coalesce(private.parse_clock(v_prefs #>> '{quiet_hours,end}'), time '08:00');
  end if;
  language := coalesce(private.catalog_language(v_config.primary_language), 'en');
  from_phone := coalesce(private.normalize_e164(v_prefs ->> 'from_number'), v_config.vapi_phone_number);
end;
$$;

/**
  * p_at, or the end of the quiet hours it falls in (local wall-clock [start, end), may wrap midnight; start = end
  * means none): a text is never sent at night, it waits for the morning.
  */
create or replace function private.after_quiet_hours(p_at timestamptz, p_timezone text, p_start time, p_end time)
  returns timestamptz
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_local timestamp := p_at at time zone p_timezone;
  v_clock time := v_local::time;
begin
  if p_start = p_end then
    return p_at;
  elsif p_start > p_end and v_clock >= p_start then
    return ((v_local::date + 1) + p_end) at time zone p_timezone;
  elsif (p_start > p_end and v_clock < p_end) or (p_start < p_end and v_clock >= p_start and v_clock < p_end) then
    return (v_local::date + p_end) at time zone p_timezone;
  end if;
  return p_at;
end;
$$;

/**
  * When to remind of an appointment starting at p_start: lead time before it, moved out of quiet hours; null when
  * that moment has passed (booked inside the lead time: the confirmation is the reminder) or is not before the start.
  */
create or replace function private.reminder_time(
  p_start timestamptz, p_lead interval, p_timezone text, p_quiet_start time, p_quiet_end time)
  returns timestamptz
  language sql
  stable
  set search_path = ''
as $$
  select case when r.at > pg_catalog.now() and r.at < p_start then r.at end
  from (select private.after_quiet_hours(p_start - p_lead, p_timezone, p_quiet_start, p_quiet_end) as at) as r
$$;

/** Queues one text about p_appointment: `skipped` (reason opted_out) when the number opted out of this organization. */
create or replace function private.queue_sms(
  p_appointment public.appointments, p_kind text, p_send_after timestamptz, p_body text)
  returns void
  language sql
  volatile
  set search_path = ''
as $$
  insert into public.notifications (organization_id, appointment_id, kind, to_phone, body, send_after, status, last_error)
  select p_appointment.organization_id, p_appointment.id, p_kind, p_appointment.customer_phone, p_body, p_send_after,
         case when o.phone is null then 'pending' else 'skipped' end,
         case when o.phone is not null then 'opted_out' end
  from (select 1) as one
  left join public.sms_opt_outs as o
    on o.organization_id = p_appointment.organization_id and o.phone = p_appointment.customer_phone
  where p_appointment.customer_phone ~ '^\+[1-9][0-9]{6,14}$'
$$;

/** Texts not yet handed to the provider about an appointment are void once it changes. */
create or replace function private.cancel_pending_notifications(p_appointment_id uuid, p_reason text)
  returns void
  language sql
  volatile
  set search_path = ''
as $$
  update public.notifications as n set status = 'cancelled', last_error = p_reason
  where n.appointment_id = p_appointment_id and n.status = 'pending'
$$;
