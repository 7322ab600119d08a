-- =====================================================================================================================
-- Section - A move's text says it moved from the time the customer was last texted
-- =====================================================================================================================
-- Confirmed by text for 22 Dec, moved to 23 Dec (that notice still pending), moved again to 24 Dec: the 23 Dec notice
-- was withdrawn unsent, and the one text that went out read "moved from Wednesday, December 23 … to Thursday,
-- December 24" — a time no text had given (helper-91 #6). The notice now names the time of the last text that went
-- out (or may have: sending, unknown) about this appointment or those it was moved from; moved back to that very time,
-- no notice is sent (the new reminder still is). The walk back along the moves (private.move_chain) is shared with
-- the texts' language, which follows it to the call that first booked. CREATE OR REPLACE keeps grants.

/** An appointment and the ones it was moved from (rescheduled_from), nearest first: depth 0 is the appointment. */
create function private.move_chain(p_appointment_id uuid, p_organization_id uuid)
  returns table (id uuid, vapi_call_id text, depth integer)
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return query
    with recursive chain (id, rescheduled_from, vapi_call_id, depth) as (
      select a.id, a.rescheduled_from, a.vapi_call_id, 0
      from public.appointments as a
      where a.id = p_appointment_id and a.organization_id = p_organization_id
      union all
      select a.id, a.rescheduled_from, a.vapi_call_id, c.depth + 1
      from chain as c
      join public.appointments as a on a.id = c.rescheduled_from and a.organization_id = p_organization_id
      where c.depth < 32 -- rescheduled_from is admin-writable: a hand-made cycle must not spin
    )
    select c.id, c.vapi_call_id, c.depth from chain as c;
end;
$$;
revoke all on function private.move_chain(uuid, uuid) from public;

/** The start time the latest text that went out (or may have) about this appointment or the ones it was moved from
    gave the customer; null when none did. */
create function private.last_texted_start(p_appointment_id uuid, p_organization_id uuid)
  returns timestamptz
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return (
    select n.describes_start
    from private.move_chain(p_appointment_id, p_organization_id) as c
    join public.notifications as n on n.appointment_id = c.id
    where n.status in ('sent', 'sending', 'unknown') and n.kind <> 'cancellation' and n.describes_start is not null
    order by coalesce(n.sent_at, n.last_attempt_at, n.created_at) desc, c.depth -- a tie: the latest in the chain
    limit 1);
end;
$$;
revoke all on function private.last_texted_start(uuid, uuid) from public;

/**
  * After an appointment is booked, moved or cancelled: voids texts about its old state and queues the new ones
  * (confirmation / reschedule / cancellation, and a reminder outside quiet hours), in the language of the call that
  * first booked it (a move keeps it), naming the customer, service and staff member.
  * A move of a booking whose confirmation never went out is confirmed at its new time (private.never_confirmed); a
  * move's notice says it moved from the time the customer's last text gave (a notice withdrawn unsent told nothing),
  * and a move back to that time sends none; a move that keeps the time (another staff member) sends no notice, only
  * the new reminder.
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
  v_booking_call text; -- the call that first booked it: a moved appointment's chain leads back to it
  v_whose text;
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
      -- The same job renamed, or given to someone else, in place (an admin's UPDATE): the texts not sent yet are said
      -- again as the job stands now (helper-89 #6); nothing new is sent.
      if not v_active
         or (old.customer_name, old.service_id, old.staff_member_id)
            is not distinct from (new.customer_name, new.service_id, new.staff_member_id)
         or not exists (select from public.notifications as n
                        where n.appointment_id = new.id and n.status = 'pending'
                          and n.kind in ('confirmation', 'reminder')) then
        return null;
      end if;
      v_kind := 'restate';
    else
      perform private.cancel_pending_notifications(new.id, 'appointment changed');
      if v_active and v_was_active then
        v_kind := case when private.never_confirmed(new.id) then 'confirmation' else 'reschedule' end;
        v_previous_start := coalesce(private.last_texted_start(new.id, new.organization_id), old.start_time);
      elsif v_active then
        v_kind := 'confirmation';
      elsif v_was_active and new.status = 'cancelled' and new.start_time > pg_catalog.now()
            and not exists (select 1 from public.appointments as a where a.rescheduled_from = new.id) then
        v_kind := 'cancellation';
      end if;
    end if;
  elsif v_active and new.rescheduled_from is not null then
    -- A reschedule is cancel + insert in one transaction: the old row's cancellation notice was queued moments ago
    -- (it cannot be older: only an active appointment can be moved) and becomes this one notice.
    delete from public.notifications as n
    where n.appointment_id = new.rescheduled_from and n.kind = 'cancellation' and n.status in ('pending', 'skipped');
    perform private.cancel_pending_notifications(new.rescheduled_from, 'appointment rescheduled');
    v_previous_start := coalesce(private.last_texted_start(new.rescheduled_from, new.organization_id),
                                 (select a.start_time from public.appointments as a where a.id = new.rescheduled_from));
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
  -- The booking call's language: the one the caller switched to, else its own configuration's (call_language). A
  -- moved appointment's texts keep the language of the call that first booked it, as its cancellation does.
  v_booking_call := new.vapi_call_id;
  if new.rescheduled_from is not null then
    select c.vapi_call_id into v_booking_call from private.move_chain(new.id, new.organization_id) as c
    where c.vapi_call_id is not null
    order by c.depth desc limit 1;
  end if;
  v_language := case when v_booking_call is null then v_settings.language
                     else private.call_language(new.organization_id, v_booking_call,
                            (select l.vapi_assistant_id from public.call_logs as l
                             where l.vapi_call_id = v_booking_call and l.organization_id = new.organization_id)) end;
  select o.* into v_org from public.organizations as o where o.id = new.organization_id;
  v_whose := private.sms_whose(new, v_language);
  v_params := pg_catalog.jsonb_build_object(
    'business', v_org.name,
    'whose', v_whose,
    'when', private.spoken_time(new.start_time, v_org.timezone, v_language),
    'previous', private.spoken_time(coalesce(v_previous_start, new.start_time), v_org.timezone, v_language));

  if v_kind = 'restate' then
    update public.notifications as n set body = private.say(v_language, 'sms.' || n.kind, v_params)
    where n.appointment_id = new.id and n.status = 'pending' and n.kind in ('confirmation', 'reminder');
    return null;
  end if;
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
