-- =====================================================================================================================
-- Section - A STOP or START to the number an organization's own Twilio account texts from is that organization's
-- =====================================================================================================================
-- An organization texting through its own account (TWILIO_ORG_CREDENTIALS) from a number of that account's own
-- (`fromNumber`, or a Messaging Service) never heard its customers' STOP or START: the reply's `To` is that number,
-- which no configuration lists (not the Vapi line, not sms_preferences.from_number), so it was `unknown_line` — the
-- STOP counted only once Twilio refused the next text (21610), and START never (helper-93 #1). sms-inbound knows those
-- senders: it passes the organizations whose own account signed the reply and texts from its `To` number or its
-- Messaging Service as p_sender_organization_ids, and their opt-outs change whatever their configurations list. New
-- signature: the five-argument form is dropped.

drop function public.record_inbound_sms(text, text, text, uuid[], uuid[]);

/**
  * STOP-style keywords add the sender to the opt-outs of the organizations owning the `To` line (their Vapi number
  * or SMS sender) and of p_sender_organization_ids (their own account texts from it), START-style keywords remove it;
  * anything else is ignored. With p_organization_ids, only those organizations count (an organization's own account
  * signed); p_except_organization_ids are left out (the platform's account signed: it does not send for them).
  * Answers opted_out, opted_in, ignored or unknown_line.
  */
create function public.record_inbound_sms(
  p_to_phone text, p_from_phone text, p_body text, p_organization_ids uuid[] default null,
  p_except_organization_ids uuid[] default null, p_sender_organization_ids uuid[] default null)
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
  select pg_catalog.array_agg(distinct m.organization_id) into v_orgs
  from (
    select c.organization_id
    from public.customer_configurations as c
    where c.is_active
      and (c.vapi_phone_number = v_to or private.normalize_e164(c.sms_preferences ->> 'from_number') = v_to)
    union all
    select o.id from public.organizations as o where o.id = any (p_sender_organization_ids)
  ) as m
  where (p_organization_ids is null or m.organization_id = any (p_organization_ids))
    and not coalesce(m.organization_id = any (p_except_organization_ids), false);
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
revoke all on function public.record_inbound_sms(text, text, text, uuid[], uuid[], uuid[]) from public, anon, authenticated;
grant execute on function public.record_inbound_sms(text, text, text, uuid[], uuid[], uuid[]) to service_role;
