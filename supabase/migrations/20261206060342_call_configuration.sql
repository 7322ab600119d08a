-- =====================================================================================================================
-- Section - A call found by its line is answered in its line's language, and transferred to its line's person
-- =====================================================================================================================
-- An organization with two lines (an English one and a Spanish one, each a configuration) answered a call found by
-- its Spanish line in the language of its OLDEST configuration: the configuration a call came through was chosen by
-- assistant id only, and a call found by its line often names none (helper-114 #1: "I need the date and time…" to
-- the Spanish line's caller, its confirmation text in English, a transfer to the English line's person). The
-- configuration a call came through is now, in this order: its assistant's, its line's (for a call found by its
-- line), the one its call log names (the assistant an assistant-request routed it to), else the oldest. One helper,
-- call_configuration, holds that order; the call's language, the languages a caller may switch to and the transfer
-- destination read it. The tool calls and call events pass the line (20261206060343, 20261206060344).
-- CREATE OR REPLACE keeps grants; transfer_destination's settings (time budget, no JIT) are repeated with it.

/**
  * The configuration of `p_organization_id` a call came through: its assistant's (`p_assistant_id`), else its line's
  * (Vapi's line id, else its number), else the one its call log names (`p_logged_assistant_id`; one without an
  * assistant when no assistant is named at all), else the oldest. Active ones only; with `p_with_transfer`, only those
  * with a transfer number.
  */
create function private.call_configuration(
  p_organization_id uuid, p_assistant_id text, p_phone_number_id text, p_phone_number text,
  p_logged_assistant_id text, p_with_transfer boolean default false)
  returns public.customer_configurations
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_configuration public.customer_configurations;
  v_line_id text := nullif(pg_catalog.btrim(p_phone_number_id), '');
  -- Normalized only when given (a call found by its line): the other calls skip the work.
  v_phone text := case when p_phone_number is not null then private.normalize_e164(p_phone_number) end;
begin
  select c.* into v_configuration
  from public.customer_configurations as c
  where c.organization_id = p_organization_id and c.is_active
    and (not p_with_transfer or c.transfer_phone_number is not null)
  order by coalesce(c.vapi_assistant_id = nullif(pg_catalog.btrim(p_assistant_id), ''), false) desc,
           coalesce(c.vapi_phone_number_id = v_line_id, false) desc,
           coalesce(c.vapi_phone_number = v_phone, false) desc,
           -- The call log's assistant, else the message's; when neither names one, a configuration without one (a
           -- line set up for assistant-request routing, or with Vapi's assistant left out), as before.
           c.vapi_assistant_id is not distinct from coalesce(p_logged_assistant_id,
                                                             nullif(pg_catalog.btrim(p_assistant_id), '')) desc,
           c.created_at
  limit 1;
  return v_configuration;
end;
$$;
revoke all on function private.call_configuration(uuid, text, text, text, text, boolean)
  from public, anon, authenticated;

drop function private.call_language(uuid, text, text);

/**
  * The call's language: the one its log records (this organization's), else the primary language of its assistant's
  * configuration (looked up at once: most calls), else the one this transaction's tool call of the call for this
  * organization speaks (noted by begin_tool_call, 20261206060343: a booking's texts are written before a new call is
  * logged), else the primary language of call_configuration's choice (given the line for a call found by its line,
  * and the call log's assistant); 'en' otherwise. One statement: a booking costs what it did (callgrind, +0.6 %).
  */
create function private.call_language(
  p_organization_id uuid, p_vapi_call_id text, p_assistant_id text, p_phone_number_id text default null,
  p_phone_number text default null)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  -- '<language>\n<organization id>\n<call id>'
  v_noted text := pg_catalog.current_setting('private.call_language', true);
begin
  return coalesce(
    (select private.catalog_language(l.language) -- the catalog is asked only about a language there is
     from public.call_logs as l
     where l.vapi_call_id = p_vapi_call_id and l.organization_id = p_organization_id and l.language is not null),
    (select private.catalog_language(c.primary_language)
     from public.customer_configurations as c
     where c.vapi_assistant_id = pg_catalog.btrim(p_assistant_id) and c.organization_id = p_organization_id
       and c.is_active),
    case when pg_catalog.substr(v_noted, pg_catalog.strpos(v_noted, E'\n') + 1)
              = p_organization_id::text || E'\n' || p_vapi_call_id
         then pg_catalog.split_part(v_noted, E'\n', 1) end,
    private.catalog_language((private.call_configuration(p_organization_id, p_assistant_id, p_phone_number_id,
      p_phone_number, (select l.vapi_assistant_id from public.call_logs as l
                       where l.vapi_call_id = p_vapi_call_id and l.organization_id = p_organization_id)))
      .primary_language),
    'en');
end;
$$;
revoke all on function private.call_language(uuid, text, text, text, text) from public, anon, authenticated;

create or replace function public.transfer_destination(
  p_assistant_id text default null,
  p_phone_number text default null,
  p_vapi_call_id text default null,
  p_phone_number_id text default null)
  returns jsonb
  language plpgsql
  stable
  security definer
  set search_path = ''
  set lock_timeout = '1s' -- the webhook RPCs' time budget (20261202080000) and no JIT (20261206040954)
  set statement_timeout = '4s'
  set jit = off
as $$
declare
  v_organization_id uuid;
  v_resolved_by text;
  v_call_id text := nullif(pg_catalog.btrim(p_vapi_call_id), '');
  v_by_line boolean;
  v_logged_assistant_id text;
  v_destination text;
begin
  select r.organization_id, r.resolved_by into v_organization_id, v_resolved_by
  from private.resolve_organization(p_assistant_id, p_phone_number, v_call_id, p_phone_number_id) as r;
  if v_organization_id is null then
    return pg_catalog.jsonb_build_object('ok', false, 'reason', 'organization_not_found', 'language', 'en',
      'organization_id', null, 'resolved_by', null);
  end if;
  v_by_line := v_resolved_by = 'phone_number';
  select l.vapi_assistant_id into v_logged_assistant_id
  from public.call_logs as l
  where l.vapi_call_id = v_call_id and l.organization_id = v_organization_id;
  v_destination := (private.call_configuration(v_organization_id, p_assistant_id,
    case when v_by_line then p_phone_number_id end, case when v_by_line then p_phone_number end,
    v_logged_assistant_id, true)).transfer_phone_number;
  return pg_catalog.jsonb_build_object('ok', v_destination is not null,
    'reason', case when v_destination is null then 'no_transfer_destination' else 'transfer' end,
    'destination', v_destination,
    'language', private.call_language(v_organization_id, v_call_id, p_assistant_id,
                                      case when v_by_line then p_phone_number_id end,
                                      case when v_by_line then p_phone_number end),
    'organization_id', v_organization_id, 'resolved_by', v_resolved_by);
end;
$$;

drop function private.configured_language(uuid, text, text);

/**
  * The language code the configuration a call came through (call_configuration) speaks for `p_language` (a code or
  * its base: `es-MX` or `es_MX` → `es`), primary or secondary; null when it speaks none of it.
  */
create function private.configured_language(
  p_organization_id uuid, p_assistant_id text, p_language text, p_phone_number_id text default null,
  p_phone_number text default null)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_configuration public.customer_configurations :=
    private.call_configuration(p_organization_id, p_assistant_id, p_phone_number_id, p_phone_number, null);
  -- Read as configured codes are ('es_MX' is 'es-MX'; helper-113 #4: it was "not configured").
  v_language text := pg_catalog.lower(private.language_code(p_language));
begin
  return (
    select l.code
    from pg_catalog.unnest(v_configuration.primary_language || v_configuration.secondary_languages) as r (raw)
    cross join lateral (select private.language_code(r.raw) as code) as l
    where l.code ~ '^[a-z]{2,3}(-[A-Z]{2})?$'
      and (pg_catalog.lower(l.code) in (v_language, pg_catalog.split_part(v_language, '-', 1))
           or pg_catalog.lower(pg_catalog.split_part(l.code, '-', 1)) = v_language)
    order by pg_catalog.lower(l.code) = v_language desc
    limit 1);
end;
$$;
revoke all on function private.configured_language(uuid, text, text, text, text) from public, anon, authenticated;

