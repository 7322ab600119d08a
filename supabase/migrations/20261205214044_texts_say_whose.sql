-- =====================================================================================================================
-- Section - Texts say whose appointment, in the language of the call that booked it
-- =====================================================================================================================
-- - Two jobs at 10:00 on one family's number: "your appointment on Thursday at 10:00 AM has been cancelled" left both
--   wondering whose (helper-83 #2). Every text names the customer, the service and the staff member — only what the
--   business wrote (a service of its list, a staff member) and the customer's first name, letters only, at most 20:
--   a caller can book for any number, and a name like "call 555… to pay a deposit" must not reach it (helper-85 #6).
-- - A booking made in Spanish and moved in a later English call was texted its move and new reminder in English,
--   while a cancellation stayed Spanish (helper-83 #4); README: texts are in the language of the call that booked.
--   A moved appointment's texts now follow its chain of moves back to the first call in it (one booked without a
--   call, by an admin, takes the language of the call that moved it; helper-85 #7).
-- - A job renamed or given to someone else in place has its texts not yet sent said again (helper-89 #6).
-- CREATE OR REPLACE keeps grants.
update private.message_catalog as m set template = t.template
from (values
  ('en', 'sms.confirmation', '{business}: your appointment{whose} on {when} is confirmed. Reply STOP to opt out.'),
  ('en', 'sms.reminder', '{business}: reminder of your appointment{whose} on {when}. Reply STOP to opt out.'),
  ('en', 'sms.cancellation', '{business}: your appointment{whose} on {when} has been cancelled. Reply STOP to opt out.'),
  ('en', 'sms.reschedule', '{business}: your appointment{whose} has been moved from {previous} to {when}. Reply STOP to opt out.'),
  ('es', 'sms.confirmation', '{business}: su cita{whose} está confirmada para {when}. Responda STOP para no recibir más mensajes.'),
  ('es', 'sms.reminder', '{business}: le recordamos su cita{whose}, {when}. Responda STOP para no recibir más mensajes.'),
  ('es', 'sms.cancellation', '{business}: se ha cancelado su cita{whose} prevista para {when}. Responda STOP para no recibir más mensajes.'),
  ('es', 'sms.reschedule', '{business}: su cita{whose} ha cambiado: ahora es {when} (antes {previous}). Responda STOP para no recibir más mensajes.')
) as t (language, key, template)
where m.language = t.language and m.key = t.key;

/**
  * Whose appointment a text is about — " (Ann for Furnace tune-up with James Carter)" — with only the customer's first
  * name (the first word that is no title, "Dr." or "Sra.", letters only, at most 20) and what the business wrote (a
  * service of its list, a staff member); '' when there is nothing to say (helper-89 #7).
  */
create function private.sms_whose(p_appointment public.appointments, p_language text)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_first text := (
    select pg_catalog.left(pg_catalog.btrim(pg_catalog.regexp_replace(w.word, '[^[:alpha:]''’-]', '', 'g'), '''’-'), 20)
    from pg_catalog.regexp_split_to_table(pg_catalog.btrim(p_appointment.customer_name), '[[:space:]]+')
           with ordinality as w(word, n)
    where pg_catalog.regexp_replace(pg_catalog.normalize(pg_catalog.lower(w.word), 'NFD'), '[^[:alpha:]]', '', 'g') <> all (
            array['', 'dr', 'doctor', 'mr', 'mrs', 'ms', 'miss', 'prof', 'professor', 'dra', 'doctora', 'sr', 'sra',
                  'srta', 'senor', 'senora', 'senorita'])
    order by w.n
    limit 1);
  v_details text := private.appointment_details(p_language,
    (select v.name from public.services as v where v.id = p_appointment.service_id),
    (select m.name from public.staff_members as m where m.id = p_appointment.staff_member_id));
  v_whose text;
begin
  -- Without a name, " for Furnace tune-up" (", Furnace tune-up") loses its joint.
  v_whose := pg_catalog.btrim(case when coalesce(v_first, '') = '' then pg_catalog.regexp_replace(v_details, '^( for |, )', '')
                                   else v_first || v_details end, ' ,');
  return case when v_whose <> '' then ' (' || v_whose || ')' else '' end;
end;
$$;
revoke all on function private.sms_whose(public.appointments, text) from public;

/**
  * After an appointment is booked, moved or cancelled: voids texts about its old state and queues the new ones
  * (confirmation / reschedule / cancellation, and a reminder outside quiet hours), in the language of the call that
  * first booked it (a move keeps it), naming the customer, service and staff member.
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
        v_previous_start := old.start_time;
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
  -- The booking call's language: the one the caller switched to, else its own configuration's (call_language). A
  -- moved appointment's texts keep the language of the call that first booked it, as its cancellation does.
  v_booking_call := new.vapi_call_id;
  if new.rescheduled_from is not null then
    with recursive chain (id, rescheduled_from, vapi_call_id, depth) as (
      select new.id, new.rescheduled_from, new.vapi_call_id, 0
      union all
      select a.id, a.rescheduled_from, a.vapi_call_id, c.depth + 1
      from chain as c
      join public.appointments as a on a.id = c.rescheduled_from and a.organization_id = new.organization_id
      where c.depth < 32 -- rescheduled_from is admin-writable: a hand-made cycle must not spin
    )
    select c.vapi_call_id into v_booking_call from chain as c
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

-- The texts not sent yet follow a job renamed or given to someone else in place (helper-89 #6): the trigger fires for
-- those columns too.
drop trigger appointments_queue_notifications on public.appointments;
create trigger appointments_queue_notifications
  after insert or update of status, start_time, customer_phone, customer_name, service_id, staff_member_id
  on public.appointments
  for each row execute function private.queue_appointment_notifications();
