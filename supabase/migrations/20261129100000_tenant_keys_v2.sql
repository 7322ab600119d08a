-- =====================================================================================================================
-- Section - Vapi's id of the tenant's line, and the caller's number, as inputs of every webhook RPC
-- =====================================================================================================================
-- Vapi identifies a phone call's line by `call.phoneNumberId` / `phoneNumber.id` (the most stable line key: it does not
-- change when a number is re-formatted or re-imported). A DB admin records it beside the E.164 number.
alter table public.customer_configurations
  add column vapi_phone_number_id text constraint customer_configurations_phone_number_id_not_blank
    check (vapi_phone_number_id is null
           or (pg_catalog.btrim(vapi_phone_number_id) = vapi_phone_number_id and vapi_phone_number_id <> ''));
create unique index customer_configurations_active_phone_number_id_key
  on public.customer_configurations (vapi_phone_number_id) where is_active and vapi_phone_number_id is not null;

-- The caller's own number (`customer.number`): never a tenant key, but the booking's phone when none was given.
alter type private.tool_call_context add attribute caller_phone text;

/**
  * Which organization a Vapi event belongs to, and how, in the contract's order (inactive configurations never match):
  *   1. assistant id → vapi_assistant_id
  *   2. the tenant's own line: Vapi's line id → vapi_phone_number_id, else its E.164 number → vapi_phone_number
  *      (`resolved_by` is 'phone_number' for both)
  *   3. call id → call_logs.vapi_call_id written by an earlier event of the same call
  * Both outputs are null when nothing matches. There is no default tenant; the caller's number is never an input.
  */
drop function private.resolve_organization(text, text, text);
create function private.resolve_organization(
  p_assistant_id text, p_phone_number text, p_vapi_call_id text, p_phone_number_id text default null,
  out organization_id uuid, out resolved_by text)
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_assistant_id text := nullif(pg_catalog.btrim(p_assistant_id), '');
  v_line_id text := nullif(pg_catalog.btrim(p_phone_number_id), '');
  v_phone text := private.normalize_e164(p_phone_number);
  v_call_id text := nullif(pg_catalog.btrim(p_vapi_call_id), '');
begin
  if v_assistant_id is not null then
    select c.organization_id into organization_id
    from public.customer_configurations as c
    where c.vapi_assistant_id = v_assistant_id and c.is_active;
    if found then
      resolved_by := 'assistant_id';
      return;
    end if;
  end if;

  if v_line_id is not null then
    select c.organization_id into organization_id
    from public.customer_configurations as c
    where c.vapi_phone_number_id = v_line_id and c.is_active;
    if found then
      resolved_by := 'phone_number';
      return;
    end if;
  end if;

  if v_phone is not null then
    select c.organization_id into organization_id
    from public.customer_configurations as c
    where c.vapi_phone_number = v_phone and c.is_active;
    if found then
      resolved_by := 'phone_number';
      return;
    end if;
  end if;

  if v_call_id is not null then
    select l.organization_id into organization_id
    from public.call_logs as l
    where l.vapi_call_id = v_call_id;
    if found then
      resolved_by := 'call_id';
      return;
    end if;
  end if;

  organization_id := null;
  resolved_by := null;
end;
$$;

/**
  * Resolves the tenant and claims (call id, tool call id) for this transaction (see the first version of this
  * function for the replay rules, unchanged). New: the line id as a tenant key and the caller's number in the context.
  */
drop function private.begin_tool_call(text, text, text, text, text, jsonb);
create function private.begin_tool_call(
  p_assistant_id text, p_phone_number text, p_vapi_call_id text, p_tool_call_id text, p_tool_name text,
  p_arguments jsonb, p_phone_number_id text, p_caller_phone text)
  returns private.tool_call_context
  language plpgsql
  volatile
  set search_path = ''
as $$
declare
  v_context private.tool_call_context;
begin
  v_context.vapi_call_id := nullif(pg_catalog.btrim(p_vapi_call_id), '');
  v_context.assistant_id := nullif(pg_catalog.btrim(p_assistant_id), '');
  v_context.caller_phone := private.normalize_e164(p_caller_phone);
  v_context.arguments := case when pg_catalog.jsonb_typeof(p_arguments) = 'object' then p_arguments else '{}' end;
  select r.organization_id, r.resolved_by into v_context.organization_id, v_context.resolved_by
  from private.resolve_organization(p_assistant_id, p_phone_number, v_context.vapi_call_id, p_phone_number_id) as r;
  if v_context.organization_id is null then
    -- The seed guide's wording; nothing is written.
    v_context.answer := private.tool_response(false, 'Organization not found for this assistant',
                                              'organization_not_found', null, null);
    return v_context;
  end if;
  select o into v_context.organization from public.organizations as o where o.id = v_context.organization_id;
  -- private.call_language: next migration (the language this call is answered in).
  v_context.language := private.call_language(v_context.organization_id, v_context.vapi_call_id,
                                              v_context.assistant_id);
  if v_context.vapi_call_id is null then
    return v_context;
  end if;

  v_context.tool_call_key := coalesce(nullif(pg_catalog.btrim(p_tool_call_id), ''),
    'function-call:' || p_tool_name || ':' || pg_catalog.md5(v_context.arguments::text));
  insert into public.tool_call_executions (vapi_call_id, tool_call_id, organization_id, tool_name)
  values (v_context.vapi_call_id, v_context.tool_call_key, v_context.organization_id, p_tool_name)
  on conflict (vapi_call_id, tool_call_id) do nothing;
  if not found then
    select case
             when e.organization_id = v_context.organization_id
               then e.response || pg_catalog.jsonb_build_object('replayed', true)
             else private.tool_response(false, 'I could not complete that request. Please try again.',
                                        'tool_call_conflict', v_context.organization_id, v_context.resolved_by)
           end
      into v_context.answer
    from public.tool_call_executions as e
    where e.vapi_call_id = v_context.vapi_call_id and e.tool_call_id = v_context.tool_call_key;
  end if;
  return v_context;
end;
$$;

-- =====================================================================================================================
-- Section - The four tool RPCs, with the two new keys (named arguments; the old five keep their meaning)
-- =====================================================================================================================
drop function public.resolve_org_and_book(text, text, text, text, jsonb);
drop function public.resolve_org_and_check_availability(text, text, text, text, jsonb);
drop function public.resolve_org_and_cancel(text, text, text, text, jsonb);
drop function public.resolve_org_and_reschedule(text, text, text, text, jsonb);

/** book_appointment in ONE transaction: resolve → replay → book → remember the call (docs/rpc-contract.md). */
create function public.resolve_org_and_book(
  p_assistant_id text default null, p_phone_number text default null, p_vapi_call_id text default null,
  p_tool_call_id text default null, p_arguments jsonb default '{}'::jsonb, p_phone_number_id text default null,
  p_caller_phone text default null)
  returns jsonb
  language sql
  volatile
  security definer
  set search_path = ''
as $$
  select coalesce(c.answer, private.book_appointment(c))
  from private.begin_tool_call(p_assistant_id, p_phone_number, p_vapi_call_id, p_tool_call_id, 'book_appointment',
                               p_arguments, p_phone_number_id, p_caller_phone) as c
$$;
revoke all on function public.resolve_org_and_book(text, text, text, text, jsonb, text, text) from public, anon, authenticated;
grant execute on function public.resolve_org_and_book(text, text, text, text, jsonb, text, text) to service_role;

/** check_availability in ONE transaction: resolve → replay → answer (docs/rpc-contract.md). */
create function public.resolve_org_and_check_availability(
  p_assistant_id text default null, p_phone_number text default null, p_vapi_call_id text default null,
  p_tool_call_id text default null, p_arguments jsonb default '{}'::jsonb, p_phone_number_id text default null,
  p_caller_phone text default null)
  returns jsonb
  language sql
  volatile
  security definer
  set search_path = ''
as $$
  select coalesce(c.answer, private.check_availability(c))
  from private.begin_tool_call(p_assistant_id, p_phone_number, p_vapi_call_id, p_tool_call_id, 'check_availability',
                               p_arguments, p_phone_number_id, p_caller_phone) as c
$$;
revoke all on function public.resolve_org_and_check_availability(text, text, text, text, jsonb, text, text)
  from public, anon, authenticated;
grant execute on function public.resolve_org_and_check_availability(text, text, text, text, jsonb, text, text)
  to service_role;

/** cancel_appointment in ONE transaction: resolve → replay → cancel (docs/rpc-contract.md). */
create function public.resolve_org_and_cancel(
  p_assistant_id text default null, p_phone_number text default null, p_vapi_call_id text default null,
  p_tool_call_id text default null, p_arguments jsonb default '{}'::jsonb, p_phone_number_id text default null,
  p_caller_phone text default null)
  returns jsonb
  language sql
  volatile
  security definer
  set search_path = ''
as $$
  select coalesce(c.answer, private.cancel_appointment(c))
  from private.begin_tool_call(p_assistant_id, p_phone_number, p_vapi_call_id, p_tool_call_id, 'cancel_appointment',
                               p_arguments, p_phone_number_id, p_caller_phone) as c
$$;
revoke all on function public.resolve_org_and_cancel(text, text, text, text, jsonb, text, text) from public, anon, authenticated;
grant execute on function public.resolve_org_and_cancel(text, text, text, text, jsonb, text, text) to service_role;

/** reschedule_appointment in ONE transaction: resolve → replay → cancel + rebook atomically (docs/rpc-contract.md). */
create function public.resolve_org_and_reschedule(
  p_assistant_id text default null, p_phone_number text default null, p_vapi_call_id text default null,
  p_tool_call_id text default null, p_arguments jsonb default '{}'::jsonb, p_phone_number_id text default null,
  p_caller_phone text default null)
  returns jsonb
  language sql
  volatile
  security definer
  set search_path = ''
as $$
  select coalesce(c.answer, private.reschedule_appointment(c))
  from private.begin_tool_call(p_assistant_id, p_phone_number, p_vapi_call_id, p_tool_call_id,
                               'reschedule_appointment', p_arguments, p_phone_number_id, p_caller_phone) as c
$$;
revoke all on function public.resolve_org_and_reschedule(text, text, text, text, jsonb, text, text)
  from public, anon, authenticated;
grant execute on function public.resolve_org_and_reschedule(text, text, text, text, jsonb, text, text) to service_role;

-- =====================================================================================================================
-- Section - Staff members (the calendar model builds on this; calendar feeds may be per staff member)
-- =====================================================================================================================
-- Anything that does one job at a time: a technician, a chair, a room.
create table public.staff_members (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  name text not null constraint staff_members_name_not_blank check (pg_catalog.btrim(name) <> ''),
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- Lets child tables reference (organization_id, id) so a row can never point at another tenant's staff member.
  constraint staff_members_organization_id_id_key unique (organization_id, id)
);
create trigger staff_members_set_updated_at before update on public.staff_members
  for each row execute function private.set_updated_at();

alter table public.staff_members enable row level security;
revoke all on table public.staff_members from anon, authenticated, service_role;
grant select on table public.staff_members to authenticated;
grant select, insert, update, delete on table public.staff_members to service_role;
create policy "Members can view their organizations' staff" on public.staff_members
  for select to authenticated
  using (organization_id in (select private.current_user_organization_ids()));

-- =====================================================================================================================
-- Section - The spoken message catalog (one row per language and key; 'en' is the fallback)
-- =====================================================================================================================
-- Adding a language is inserting its rows. Templates name their parameters in braces: 'Booked {name} on {when}.'
create table private.message_catalog (
  language text not null constraint message_catalog_language_is_code check (language ~ '^[a-z]{2,3}(-[A-Z]{2})?$'),
  key text not null constraint message_catalog_key_format check (key ~ '^[a-z][a-z0-9_.]*$'),
  template text not null constraint message_catalog_template_not_blank check (pg_catalog.btrim(template) <> ''),
  primary key (language, key)
);
revoke all on table private.message_catalog from public;

/**
  * The catalog's sentence `p_key` in `p_language` (else English), each `{name}` replaced by `p_params ->> name`.
  * Null when the key exists in neither language, so a missing entry shows up in tests rather than as silence.
  */
create or replace function private.say(p_language text, p_key text, p_params jsonb default '{}'::jsonb)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_text text;
  v_param record;
begin
  select m.template into v_text
  from private.message_catalog as m
  where m.key = p_key and m.language in (p_language, 'en')
  order by m.language = p_language desc
  limit 1;
  for v_param in select e.key, e.value from pg_catalog.jsonb_each_text(coalesce(p_params, '{}'::jsonb)) as e loop
    v_text := pg_catalog.replace(v_text, '{' || v_param.key || '}', coalesce(v_param.value, ''));
  end loop;
  return v_text;
end;
$$;
