-- =====================================================================================================================
-- Section - Tables
-- =====================================================================================================================
-- A rescheduled appointment is cancelled and re-booked; the new row points at the one it replaced.
alter table public.appointments
  add column rescheduled_from uuid references public.appointments (id) on delete set null;
create index appointments_rescheduled_from_idx on public.appointments (rescheduled_from)
  where rescheduled_from is not null;

-- =====================================================================================================================
-- Section - Helpers
-- =====================================================================================================================

/**
  * The caller's appointment within ONE organization, locked for update: by `appointment_id`, or by `customer_phone`
  * plus `start_time` (wall-clock in the organization's zone unless an offset is given). An active appointment wins
  * over a cancelled one at the same time. `problem` is a spoken sentence when the arguments cannot identify one.
  */
create or replace function private.find_caller_appointment(
  p_organization public.organizations, p_arguments jsonb, out appointment public.appointments, out problem text)
  language plpgsql
  volatile
  set search_path = ''
as $$
declare
  v_id text := nullif(pg_catalog.btrim(p_arguments ->> 'appointment_id'), '');
  v_phone text := private.normalize_e164(p_arguments ->> 'customer_phone');
  v_start timestamptz := private.parse_start_time(p_arguments ->> 'start_time', p_organization.timezone);
begin
  if v_id is not null then
    if v_id !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
      problem := 'That appointment number does not look right.';
      return;
    end if;
    select a.* into appointment from public.appointments as a
    where a.id = v_id::uuid and a.organization_id = p_organization.id
    for update;
  elsif v_phone is not null and v_start is not null then
    select a.* into appointment from public.appointments as a
    where a.organization_id = p_organization.id and a.customer_phone = v_phone and a.start_time = v_start
    order by (a.status in ('scheduled', 'confirmed')) desc, a.created_at desc
    limit 1
    for update;
  else
    problem := 'I need the appointment number, or the phone number and the time of the booking.';
    return;
  end if;
  if appointment.id is null then
    problem := 'I could not find that appointment.';
  end if;
end;
$$;

-- =====================================================================================================================
-- Section - The tools
-- =====================================================================================================================

/**
  * cancel_appointment within the resolved organization only. Idempotent: cancelling a cancelled appointment is a
  * success (`already_cancelled`), and a redelivered tool call replays its first answer.
  */
create or replace function private.cancel_appointment(p_call private.tool_call_context)
  returns jsonb
  language plpgsql
  volatile
  set search_path = ''
as $$
declare
  v_org public.organizations := p_call.organization;
  v_found record := private.find_caller_appointment(p_call.organization, p_call.arguments);
  v_appointment public.appointments := v_found.appointment;
  v_status text := 'already_cancelled';
begin
  if v_found.problem is not null then
    return private.refuse_tool_call(p_call, v_found.problem, 'not_found');
  elsif v_appointment.status <> 'cancelled'
        and (v_appointment.status not in ('scheduled', 'confirmed') or v_appointment.start_time <= pg_catalog.now()) then
    return private.refuse_tool_call(p_call, 'That appointment has already taken place, so it cannot be cancelled.',
                                    'past_appointment');
  elsif v_appointment.status <> 'cancelled' then
    update public.appointments as a set status = 'cancelled', cancelled_at = pg_catalog.now()
    where a.id = v_appointment.id;
    v_status := 'cancelled';
  end if;

  return private.answer_tool_call(p_call, true, pg_catalog.jsonb_build_object(
      'status', v_status,
      'appointment_id', v_appointment.id,
      'start_time', private.to_local_iso(v_appointment.start_time, v_org.timezone),
      'timezone', v_org.timezone,
      'message', case when v_status = 'cancelled' then 'Cancelled the appointment on '
                      else 'That appointment was already cancelled: ' end
                 || private.to_spoken_time(v_appointment.start_time, v_org.timezone)
                 || ' (' || v_org.timezone || ').')::text,
    v_status);
end;
$$;

/**
  * reschedule_appointment: cancel the caller's appointment and book `new_start_time` (same customer, service, notes;
  * same length unless `duration_minutes` is given) atomically — when the new time is taken both are undone.
  */
create or replace function private.reschedule_appointment(p_call private.tool_call_context)
  returns jsonb
  language plpgsql
  volatile
  set search_path = ''
as $$
declare
  v_org public.organizations := p_call.organization;
  v_found record := private.find_caller_appointment(p_call.organization, p_call.arguments);
  v_old public.appointments := v_found.appointment;
  v_new public.appointments;
  v_start timestamptz := private.parse_start_time(p_call.arguments ->> 'new_start_time', v_org.timezone);
  v_minutes integer := private.parse_duration_minutes(p_call.arguments -> 'duration_minutes',
    (extract(epoch from v_old.end_time - v_old.start_time) / 60)::integer);
  v_end timestamptz;
  v_problem record;
begin
  if v_found.problem is not null then
    return private.refuse_tool_call(p_call, v_found.problem, 'not_found');
  elsif v_old.status not in ('scheduled', 'confirmed') then
    return private.refuse_tool_call(p_call,
      'That appointment is no longer active, so it cannot be moved. I can book a new one instead.', 'invalid_arguments');
  elsif v_old.start_time <= pg_catalog.now() then
    return private.refuse_tool_call(p_call, 'That appointment has already taken place, so it cannot be moved.',
                                    'past_appointment');
  elsif v_start is null then
    return private.refuse_tool_call(p_call, 'I need the new date and time for the appointment.', 'invalid_arguments');
  elsif v_minutes is null then
    return private.refuse_tool_call(p_call, 'The appointment length must be between 5 minutes and 8 hours.',
                                    'invalid_arguments');
  end if;

  v_end := v_start + pg_catalog.make_interval(mins => v_minutes);
  v_problem := private.time_problem(v_org, v_start, v_end);
  if v_problem.reason is not null then
    return private.refuse_tool_call(p_call, v_problem.message || ' The appointment was not changed.', v_problem.reason);
  end if;

  perform private.lock_calendar(v_org.id);
  begin
    update public.appointments as a set status = 'cancelled', cancelled_at = pg_catalog.now() where a.id = v_old.id;
    insert into public.appointments (organization_id, start_time, end_time, customer_name, customer_phone, service,
                                     notes, vapi_call_id, tool_call_id, rescheduled_from)
    values (v_org.id, v_start, v_end, v_old.customer_name, v_old.customer_phone, v_old.service, v_old.notes,
            p_call.vapi_call_id, p_call.tool_call_key, v_old.id)
    returning * into v_new;
  exception
    when exclusion_violation then
      -- The block's subtransaction undid the cancellation too: the original booking stands.
      return private.answer_tool_call(p_call, false,
        private.slot_taken_message(v_org, v_start, v_end) || ' The original appointment is unchanged.', 'slot_taken');
  end;
  return private.answer_tool_call(p_call, true,
    (private.booked_result(v_org, v_new, 'rescheduled')::jsonb
      || pg_catalog.jsonb_build_object('previous_appointment_id', v_old.id,
           'previous_start_time', private.to_local_iso(v_old.start_time, v_org.timezone)))::text,
    'rescheduled');
end;
$$;

-- =====================================================================================================================
-- Section - Public functions (the webhook RPCs)
-- =====================================================================================================================

/** cancel_appointment in ONE transaction: resolve → replay → cancel (docs/rpc-contract.md). */
create or replace function public.resolve_org_and_cancel(
  p_assistant_id text default null,
  p_phone_number text default null,
  p_vapi_call_id text default null,
  p_tool_call_id text default null,
  p_arguments jsonb default '{}'::jsonb)
  returns jsonb
  language sql
  volatile
  security definer
  set search_path = ''
as $$
  select coalesce(c.answer, private.cancel_appointment(c))
  from private.begin_tool_call(p_assistant_id, p_phone_number, p_vapi_call_id, p_tool_call_id, 'cancel_appointment',
                               p_arguments) as c
$$;
revoke all on function public.resolve_org_and_cancel(text, text, text, text, jsonb) from public, anon, authenticated;
grant execute on function public.resolve_org_and_cancel(text, text, text, text, jsonb) to service_role;

/** reschedule_appointment in ONE transaction: resolve → replay → cancel + rebook atomically (docs/rpc-contract.md). */
create or replace function public.resolve_org_and_reschedule(
  p_assistant_id text default null,
  p_phone_number text default null,
  p_vapi_call_id text default null,
  p_tool_call_id text default null,
  p_arguments jsonb default '{}'::jsonb)
  returns jsonb
  language sql
  volatile
  security definer
  set search_path = ''
as $$
  select coalesce(c.answer, private.reschedule_appointment(c))
  from private.begin_tool_call(p_assistant_id, p_phone_number, p_vapi_call_id, p_tool_call_id,
                               'reschedule_appointment', p_arguments) as c
$$;
revoke all on function public.resolve_org_and_reschedule(text, text, text, text, jsonb) from public, anon, authenticated;
grant execute on function public.resolve_org_and_reschedule(text, text, text, text, jsonb) to service_role;
