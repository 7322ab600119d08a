-- Texts (helper-63): a reminder queued for a number that had opted out was `skipped` for good at booking time, so a
-- customer who replied START before it came due never got it — only a text due now is skipped at once; a later one
-- waits as `pending` and claim_notifications skips it if the number is still opted out then. A move to another staff
-- member at the same time texted "moved from 9:00 to 9:00": a move that keeps the time sends no notice (the reminder
-- is queued anew). A move before the booking's confirmation went out cancelled that confirmation and, with changes
-- off, left the customer without any text: the move is then confirmed at its new time. A corrected `customer_phone`
-- re-addresses the texts not yet sent. CREATE OR REPLACE keeps grants.

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
         case when o.phone is not null and p_send_after <= pg_catalog.now() then 'opted_out' end,
         p_appointment.start_time
  from (select 1) as one
  left join public.sms_opt_outs as o
    on o.organization_id = p_appointment.organization_id and o.phone = p_appointment.customer_phone
  where p_appointment.customer_phone ~ '^\+[1-9][0-9]{6,14}$';
end;
$$;

/**
  * True when an appointment's confirmation was queued but never went out (withdrawn unsent by a change): a customer
  * who has heard of no time by text is confirmed at the new one rather than told it moved.
  */
create function private.never_confirmed(p_appointment_id uuid)
  returns boolean
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return exists (select 1 from public.notifications as n
                 where n.appointment_id = p_appointment_id and n.kind = 'confirmation')
         and not exists (select 1 from public.notifications as n
                         where n.appointment_id = p_appointment_id and n.status in ('sent', 'sending', 'unknown'));
end;
$$;

/**
  * After an appointment is booked, moved or cancelled: voids texts about its old state and queues the new ones
  * (confirmation / reschedule / cancellation, and a reminder outside quiet hours), in the booking call's language.
  * A move of a booking whose confirmation never went out is confirmed at its new time (private.never_confirmed); a
  * move that keeps the time (another staff member) sends no notice, only the new reminder.
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
    if old.customer_phone is distinct from new.customer_phone then
      -- A corrected number (the e164 domain: any number is valid) gets the texts not yet sent; none is left without one.
      update public.notifications as n
      set to_phone = coalesce(new.customer_phone, n.to_phone),
          status = case when new.customer_phone is null then 'cancelled' else n.status end,
          last_error = case when new.customer_phone is null then 'customer phone removed' else n.last_error end
      where n.appointment_id = new.id and n.status = 'pending';
    end if;
    if v_was_active = v_active and old.start_time = new.start_time then
      return null;
    end if;
    perform private.cancel_pending_notifications(new.id, 'appointment changed');
    if v_active and v_was_active then
      v_kind := case when private.never_confirmed(new.id) then 'confirmation' else 'reschedule' end;
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
    v_kind := case when private.never_confirmed(new.rescheduled_from) then 'confirmation' else 'reschedule' end;
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

  if (v_kind = 'confirmation' and v_settings.confirmation)
     or (v_kind <> 'confirmation' and v_settings.changes and v_previous_start is distinct from new.start_time) then
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

-- The number a text goes to follows a corrected `customer_phone` (helper-63 #6): the trigger fires for it too.
drop trigger appointments_queue_notifications on public.appointments;
create trigger appointments_queue_notifications
  after insert or update of status, start_time, customer_phone on public.appointments
  for each row execute function private.queue_appointment_notifications();
