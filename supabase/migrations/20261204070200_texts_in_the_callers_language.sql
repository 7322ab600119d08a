-- =====================================================================================================================
-- Section - Texts in the caller's own language
-- =====================================================================================================================
-- A caller who switched language during the call (language-change-detected, recorded on call_logs.language) heard
-- the booking in Spanish and then got the confirmation and reminder texts in the tenant's configured language
-- (helper-22 F6). Texts about an appointment now follow the language of the call that booked it — the one the caller
-- switched to, else that call's own configuration's (an organization may have an English and a Spanish line) —
-- and, booked without a call, the configuration's as before. Only that changes (pgTAP 59).

/**
  * After an appointment is booked, moved or cancelled: voids texts about its old state and queues the new ones
  * (confirmation / reschedule / cancellation, and a reminder outside quiet hours), in the booking call's language.
  */
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
  v_language text;
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
  -- The booking call's language: the one the caller switched to, else its own configuration's (call_language).
  v_language := case when new.vapi_call_id is null then v_settings.language
                     else private.call_language(new.organization_id, new.vapi_call_id,
                            (select l.vapi_assistant_id from public.call_logs as l
                             where l.vapi_call_id = new.vapi_call_id and l.organization_id = new.organization_id)) end;
  select o.* into v_org from public.organizations as o where o.id = new.organization_id;
  v_params := pg_catalog.jsonb_build_object(
    'business', v_org.name,
    'when', private.spoken_time(new.start_time, v_org.timezone, v_language),
    'previous', private.spoken_time(coalesce(v_previous_start, new.start_time), v_org.timezone, v_language));

  if (v_kind = 'confirmation' and v_settings.confirmation) or (v_kind <> 'confirmation' and v_settings.changes) then
    perform private.queue_sms(new, v_kind, pg_catalog.now(), private.say(v_language, 'sms.' || v_kind, v_params));
  end if;
  if v_active and v_settings.reminder then
    v_reminder_at := private.reminder_time(new.start_time, v_settings.reminder_lead, v_org.timezone,
                                           v_settings.quiet_start, v_settings.quiet_end);
    if v_reminder_at is not null then
      perform private.queue_sms(new, 'reminder', v_reminder_at, private.say(v_language, 'sms.reminder', v_params));
    end if;
  end if;
  return null;
end;
$$;
