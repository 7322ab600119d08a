-- =====================================================================================================================
-- Section - Fewer statements per tool call (issue 13): the same answers, with fewer queries run inside the functions
-- (each costs 10–60 µs; pg_stat_statements with track = all counts them). CREATE OR REPLACE keeps grants.
-- =====================================================================================================================

/**
  * A catalog sentence with its {placeholders} filled in, one query: the parameters are walked as a jsonb array
  * (keyvalue() keeps jsonb_each_text's key order, so a value that looks like a placeholder is treated as before).
  */
create or replace function private.say(p_language text, p_key text, p_params jsonb default '{}'::jsonb)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_text text;
  v_pairs jsonb := pg_catalog.jsonb_path_query_array(coalesce(p_params, '{}'::jsonb), '$.keyvalue()');
begin
  select m.template into v_text
  from private.message_catalog as m
  where m.key = p_key and m.language in (p_language, 'en')
  order by m.language = p_language desc
  limit 1;
  for i in 0 .. pg_catalog.jsonb_array_length(v_pairs) - 1 loop
    v_text := pg_catalog.replace(v_text, '{' || (v_pairs -> i ->> 'key') || '}',
                                 coalesce(v_pairs -> i ->> 'value', ''));
  end loop;
  return v_text;
end;
$$;

/**
  * Whether [p_start, p_end) lies inside one opening interval (private.opening_intervals: business hours, else whole
  * days; never on a closed date) — one query instead of three.
  */
create or replace function private.is_within_business_hours(
  p_organization_id uuid, p_timezone text, p_start timestamptz, p_end timestamptz)
  returns boolean
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return exists (
    select 1
    from pg_catalog.generate_series(pg_catalog.date_trunc('day', p_start at time zone p_timezone) - interval '1 day',
                                    p_start at time zone p_timezone, interval '1 day') as d(day)
    join public.business_hours as h on h.organization_id = p_organization_id and h.weekday = extract(dow from d.day)
    where (d.day + h.opens_at) at time zone p_timezone <= p_start
      and p_start < (d.day + h.closes_at) at time zone p_timezone
      and p_end <= (d.day + h.closes_at) at time zone p_timezone
      and not exists (select 1 from public.closed_dates as c
                      where c.organization_id = p_organization_id and c.closed_on = d.day::date)
    union all
    select 1
    from pg_catalog.generate_series(pg_catalog.date_trunc('day', p_start at time zone p_timezone) - interval '1 day',
                                    p_start at time zone p_timezone, interval '1 day') as d(day)
    where not exists (select 1 from public.business_hours as h where h.organization_id = p_organization_id)
      and d.day at time zone p_timezone <= p_start
      and p_start < (d.day + interval '1 day') at time zone p_timezone
      and not exists (select 1 from public.closed_dates as c
                      where c.organization_id = p_organization_id and c.closed_on = d.day::date));
end;
$$;

/**
  * Resolves the tenant and claims (call id, tool call id) for this transaction (20261129120200_tool_call_ledger_v2.sql,
  * unchanged in effect). The organization and the call's language (private.call_language mapped onto the catalog by
  * private.catalog_language) are read in one query: the tools use the organization carried here, never re-read it.
  */
create or replace function private.begin_tool_call(
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
    -- The seed guide's wording (no tenant, so no tenant language); nothing is written.
    v_context.answer := private.tool_response(false, 'Organization not found for this assistant',
                                              'organization_not_found', null, null, 'en');
    return v_context;
  end if;
  select o,
         coalesce((select m.language from private.message_catalog as m
                   where m.language in (w.language, pg_catalog.split_part(w.language, '-', 1))
                   order by m.language = w.language desc
                   limit 1), 'en')
    into v_context.organization, v_context.language
  from public.organizations as o
  cross join lateral (select coalesce(
    (select l.language from public.call_logs as l
     where l.vapi_call_id = v_context.vapi_call_id and l.organization_id = o.id),
    (select c.primary_language from public.customer_configurations as c
     where c.organization_id = o.id and c.is_active
     order by c.vapi_assistant_id is not distinct from v_context.assistant_id desc, c.created_at
     limit 1)) as language) as w
  where o.id = v_context.organization_id;
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
             else private.tool_response(false, private.say(v_context.language, 'tool.conflict'), 'tool_call_conflict',
                                        v_context.organization_id, v_context.resolved_by, v_context.language)
           end
      into v_context.answer
    from public.tool_call_executions as e
    where e.vapi_call_id = v_context.vapi_call_id and e.tool_call_id = v_context.tool_call_key;
  end if;
  return v_context;
end;
$$;

/**
  * Ends a claimed tool call with its outcome: a kept one stores its response for replays and records the call
  * (private.remember_call's insert: first writer wins) in ONE statement; any other releases the claim.
  */
create or replace function private.finish_tool_call(p_context private.tool_call_context, p_outcome private.tool_outcome)
  returns jsonb
  language plpgsql
  volatile
  set search_path = ''
as $$
declare
  v_response jsonb := private.tool_response(p_outcome.ok, p_outcome.text, p_outcome.reason,
    p_context.organization_id, p_context.resolved_by, p_context.language);
begin
  if p_context.vapi_call_id is null then
    return v_response;
  end if;
  if p_outcome.keep then
    with stored as (
      update public.tool_call_executions as e set response = v_response
      where e.vapi_call_id = p_context.vapi_call_id and e.tool_call_id = p_context.tool_call_key)
    insert into public.call_logs (organization_id, vapi_call_id, resolved_by, vapi_assistant_id)
    values (p_context.organization_id, p_context.vapi_call_id, p_context.resolved_by, p_context.assistant_id)
    on conflict (vapi_call_id) do nothing;
  else
    delete from public.tool_call_executions as e
    where e.vapi_call_id = p_context.vapi_call_id and e.tool_call_id = p_context.tool_call_key;
  end if;
  return v_response;
end;
$$;
