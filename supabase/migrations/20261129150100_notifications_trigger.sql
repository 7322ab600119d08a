-- =====================================================================================================================
-- Section - Appointment changes → texts, in the same transaction (the transactional outbox's write side)
-- =====================================================================================================================
-- A trigger, not code in each tool function: every way an appointment is booked, cancelled or moved (the tool RPCs,
-- an admin's UPDATE) queues the same texts, and a rolled-back tool call queues nothing.
--
--   new active appointment                  → confirmation now + reminder (lead time before, out of quiet hours)
--   new active appointment rescheduled_from → ONE reschedule notice (the old row's cancellation notice is withdrawn)
--   active → cancelled (future)             → cancellation notice, unless a replacement points at it (a reschedule)
--   start_time of an active one changes     → reschedule notice + a new reminder
--   any change of status or time            → pending texts of the old state are cancelled (stale reminders)
create or replace function private.queue_appointment_notifications()
  returns trigger
  language plpgsql
  security definer
  set search_path = ''
as $$
declare
  v_active boolean := new.status in ('scheduled', 'confirmed');
  v_was_active boolean;
  v_kind text;
  v_previous_start timestamptz;
  v_settings record;
  v_org public.organizations;
  v_params jsonb;
  v_reminder_at timestamptz;
begin
  if tg_op = 'UPDATE' then
    v_was_active := old.status in ('scheduled', 'confirmed');
    if v_was_active = v_active and old.start_time = new.start_time then
      return null;
    end if;
    perform private.cancel_pending_notifications(new.id, 'appointment changed');
    if v_active and v_was_active then
      v_kind := 'reschedule';
      v_previous_start := old.start_time;
    elsif v_active then
      v_kind := 'confirmation';
    elsif v_was_active and new.status = 'cancelled' and new.start_time > pg_catalog.now()
          and not exists (select 1 from public.appointments as a where a.rescheduled_from = new.id) then
      v_kind := 'cancellation';
    end if;
  elsif v_active and new.rescheduled_from is not null then
    -- A reschedule is cancel + insert in one transaction: the old row's cancellation notice was queued moments ago
    -- (it cannot be older: only an active appointment can be moved) and becomes this one notice.
    delete from public.notifications as n
    where n.appointment_id = new.rescheduled_from and n.kind = 'cancellation' and n.status in ('pending', 'skipped');
    perform private.cancel_pending_notifications(new.rescheduled_from, 'appointment rescheduled');
    select a.start_time into v_previous_start from public.appointments as a where a.id = new.rescheduled_from;
    v_kind := 'reschedule';
  elsif v_active then
    v_kind := 'confirmation';
  end if;

  if v_kind is null or new.customer_phone is null then
    return null;
  end if;
  select s.* into v_settings from private.sms_settings(new.organization_id) as s;
  if not v_settings.enabled then
    return null;
  end if;
  select o.* into v_org from public.organizations as o where o.id = new.organization_id;
  v_params := pg_catalog.jsonb_build_object(
    'business', v_org.name,
    'when', private.spoken_time(new.start_time, v_org.timezone, v_settings.language),
    'previous', private.spoken_time(coalesce(v_previous_start, new.start_time), v_org.timezone, v_settings.language));

  if (v_kind = 'confirmation' and v_settings.confirmation) or (v_kind <> 'confirmation' and v_settings.changes) then
    perform private.queue_sms(new, v_kind, pg_catalog.now(), private.say(v_settings.language, 'sms.' || v_kind, v_params));
  end if;
  if v_active and v_settings.reminder then
    v_reminder_at := private.reminder_time(new.start_time, v_settings.reminder_lead, v_org.timezone,
                                           v_settings.quiet_start, v_settings.quiet_end);
    if v_reminder_at is not null then
      perform private.queue_sms(new, 'reminder', v_reminder_at, private.say(v_settings.language, 'sms.reminder', v_params));
    end if;
  end if;
  return null;
end;
$$;
revoke all on function private.queue_appointment_notifications() from public;

create trigger appointments_queue_notifications
  after insert or update of status, start_time on public.appointments
  for each row execute function private.queue_appointment_notifications();
