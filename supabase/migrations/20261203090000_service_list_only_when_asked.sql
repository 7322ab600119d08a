-- =====================================================================================================================
-- Section - The list of services is read only when the caller has to hear it: a booking that names a service finds
-- it first (one index probe) and never builds the "we offer …" list (one statement and a sort fewer per booking).
-- Same answers: no services → no service and no problem; a name that matches → that service; otherwise the problem.
-- =====================================================================================================================

create or replace function private.resolve_service(
  p_call private.tool_call_context, p_name text, p_required boolean, out service public.services, out problem text)
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_offered text;
begin
  if p_name is not null then
    service := private.find_service(p_call.organization_id, p_name);
    if service.id is not null then
      return;
    end if;
  end if;
  select pg_catalog.string_agg(s.name, ', ' order by s.name) into v_offered
  from public.services as s where s.organization_id = p_call.organization_id and s.is_active;
  if v_offered is null or (p_name is null and not p_required) then
    return;
  end if;
  problem := private.say(p_call.language, case when p_name is null then 'service.which' else 'service.unknown' end,
                         pg_catalog.jsonb_build_object('service', p_name, 'services', v_offered));
end;
$$;
