-- =====================================================================================================================
-- Section - An inbound text changes only the opt-outs of organizations whose Twilio account signed it
-- =====================================================================================================================
-- sms-inbound checked the signature with whichever configured account the request named, then changed the opt-outs
-- of every organization owning the `To` line: a tenant with its own Twilio account (TWILIO_ORG_CREDENTIALS) could sign
-- a START for another tenant's line and undo its customers' STOPs (security review, helper-22 F1). The function
-- now passes the organizations whose account signed the request (null when the platform's own account did: it sends
-- for everyone); a line of any other organization is `unknown_line` and nothing is written. New signature: the
-- three-argument form is dropped (pgTAP 58).

drop function public.record_inbound_sms(text, text, text);

/**
  * STOP-style keywords add the sender to the opt-outs of the organizations owning the `To` line (their Vapi number
  * or SMS sender), START-style keywords remove it; anything else is ignored. With p_organization_ids, only those
  * organizations' lines count. Answers opted_out, opted_in, ignored or unknown_line.
  */
create function public.record_inbound_sms(
  p_to_phone text, p_from_phone text, p_body text, p_organization_ids uuid[] default null)
  returns text
  language plpgsql
  volatile
  security definer
  set search_path = ''
as $$
declare
  v_to text := private.normalize_e164(p_to_phone);
  v_from text := private.normalize_e164(p_from_phone);
  v_word text := pg_catalog.upper(pg_catalog.regexp_replace(coalesce(p_body, ''), '[[:space:][:punct:]]', '', 'g'));
  v_orgs uuid[];
begin
  select pg_catalog.array_agg(distinct c.organization_id) into v_orgs
  from public.customer_configurations as c
  where c.is_active and (c.vapi_phone_number = v_to or private.normalize_e164(c.sms_preferences ->> 'from_number') = v_to)
    and (p_organization_ids is null or c.organization_id = any (p_organization_ids));
  if v_orgs is null or v_from is null then
    return 'unknown_line';
  elsif v_word in ('STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE',
                   'BAJA', 'ALTO', 'PARAR', 'CANCELAR') then
    insert into public.sms_opt_outs (organization_id, phone, source)
    select o, v_from, 'keyword' from pg_catalog.unnest(v_orgs) as o
    on conflict do nothing;
    return 'opted_out';
  elsif v_word in ('START', 'YES', 'UNSTOP', 'ALTA') then
    delete from public.sms_opt_outs as o where o.organization_id = any (v_orgs) and o.phone = v_from;
    return 'opted_in';
  end if;
  return 'ignored';
end;
$$;
revoke all on function public.record_inbound_sms(text, text, text, uuid[]) from public, anon, authenticated;
grant execute on function public.record_inbound_sms(text, text, text, uuid[]) to service_role;
