-- Test-only helpers for the pgTAP suites (never a migration), in the spirit of usebasejump/supabase-test-helpers:
-- named users, and impersonation that only sets transaction-local `role` and `request.jwt.claims`, exactly what
-- PostgREST does per request, so ROLLBACK clears it.
create extension if not exists pgtap with schema extensions;
-- The migrations revoke PUBLIC's EXECUTE default for every function `postgres` creates, pgTAP's included; tests
-- assert while impersonating the API roles.
grant execute on all functions in schema extensions to anon, authenticated, service_role;
create schema if not exists tests;
grant usage on schema tests to anon, authenticated, service_role;

create or replace function tests.create_supabase_user(p_identifier text)
  returns uuid
  language plpgsql
  security definer
  set search_path = ''
as $$
declare
  v_id uuid := extensions.uuid_generate_v5(extensions.uuid_ns_url(), 'test-user:' || p_identifier);
begin
  insert into auth.users (id, email, raw_user_meta_data)
  values (v_id, p_identifier || '@test.local', pg_catalog.jsonb_build_object('test_identifier', p_identifier))
  on conflict (id) do nothing;
  return v_id;
end;
$$;

create or replace function tests.get_supabase_uid(p_identifier text)
  returns uuid
  language sql
  stable
  security definer
  set search_path = ''
as $$
  select u.id from auth.users as u where u.raw_user_meta_data ->> 'test_identifier' = p_identifier
$$;

create or replace function tests.authenticate_as(p_identifier text)
  returns void
  language plpgsql
  set search_path = ''
as $$
declare
  v_id uuid := tests.get_supabase_uid(p_identifier);
begin
  if v_id is null then
    raise exception 'tests.authenticate_as: no test user %', p_identifier;
  end if;
  perform pg_catalog.set_config('request.jwt.claims',
    pg_catalog.jsonb_build_object('sub', v_id, 'role', 'authenticated', 'email', p_identifier || '@test.local')::text, true);
  perform pg_catalog.set_config('role', 'authenticated', true);
end;
$$;

create or replace function tests.authenticate_as_service_role()
  returns void
  language plpgsql
  set search_path = ''
as $$
begin
  perform pg_catalog.set_config('request.jwt.claims', '{"role": "service_role"}', true);
  perform pg_catalog.set_config('role', 'service_role', true);
end;
$$;

create or replace function tests.clear_authentication()
  returns void
  language plpgsql
  set search_path = ''
as $$
begin
  perform pg_catalog.set_config('request.jwt.claims', '{"role": "anon"}', true);
  perform pg_catalog.set_config('role', 'anon', true);
end;
$$;

/** Adds a fixture organization with an active configuration; returns its id. */
create or replace function tests.create_organization(
  p_name text, p_timezone text, p_assistant_id text, p_phone text default null)
  returns uuid
  language plpgsql
  security definer
  set search_path = ''
as $$
declare
  v_id uuid;
begin
  insert into public.organizations (name, timezone) values (p_name, p_timezone) returning id into v_id;
  insert into public.customer_configurations (organization_id, vapi_assistant_id, vapi_phone_number, primary_language)
  values (v_id, p_assistant_id, p_phone, 'en');
  return v_id;
end;
$$;

/**
  * One tool call as the webhook makes it (`book`, `check`, `cancel`, `reschedule` → public.resolve_org_and_*), by
  * assistant id; its answer. Runs as whoever calls it (the RPCs are service_role's: tests call it as postgres or after
  * tests.authenticate_as_service_role()).
  */
create or replace function tests.tool_call(
  p_tool text, p_assistant_id text, p_call_id text, p_arguments jsonb, p_caller_phone text default null,
  p_tool_call_id text default 'tc')
  returns jsonb
  language sql
  set search_path = ''
as $$
  select case p_tool
    when 'book' then public.resolve_org_and_book(p_assistant_id => p_assistant_id, p_vapi_call_id => p_call_id,
      p_tool_call_id => p_tool_call_id, p_arguments => p_arguments, p_caller_phone => p_caller_phone)
    when 'check' then public.resolve_org_and_check_availability(p_assistant_id => p_assistant_id,
      p_vapi_call_id => p_call_id, p_tool_call_id => p_tool_call_id, p_arguments => p_arguments,
      p_caller_phone => p_caller_phone)
    when 'cancel' then public.resolve_org_and_cancel(p_assistant_id => p_assistant_id, p_vapi_call_id => p_call_id,
      p_tool_call_id => p_tool_call_id, p_arguments => p_arguments, p_caller_phone => p_caller_phone)
    when 'reschedule' then public.resolve_org_and_reschedule(p_assistant_id => p_assistant_id,
      p_vapi_call_id => p_call_id, p_tool_call_id => p_tool_call_id, p_arguments => p_arguments,
      p_caller_phone => p_caller_phone)
  end
$$;

/** The first Monday–Friday at least p_days_ahead days from today in p_timezone, as YYYY-MM-DD (a working day of the
    demo tenants, inside their notice and horizon). */
create or replace function tests.future_weekday(p_timezone text, p_days_ahead integer default 10)
  returns text
  language sql
  stable
  set search_path = ''
as $$
  select pg_catalog.to_char(d, 'YYYY-MM-DD')
  from (select (pg_catalog.now() at time zone p_timezone)::date + n as d
        from pg_catalog.generate_series(p_days_ahead, p_days_ahead + 6) as n) as x
  where extract(isodow from d) between 1 and 5
  order by d
  limit 1
$$;

grant execute on all functions in schema tests to anon, authenticated, service_role;
