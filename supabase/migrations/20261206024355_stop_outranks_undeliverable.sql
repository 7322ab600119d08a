-- =====================================================================================================================
-- Section - A STOP from a number marked undeliverable is recorded as the customer's
-- =====================================================================================================================
-- A number Twilio once refused (21211/21614: 20261206015215) sits in sms_opt_outs as 'undeliverable', and an admin may
-- delete such rows once the number can take texts. A STOP from it was left under that source (`on conflict do
-- nothing`), so deleting it lost the customer's opt-out (helper-100). A STOP now turns an 'undeliverable' row into a
-- 'keyword' one (private.add_opt_outs, the rule record_notification_result's 21610 follows too); other sources stay as
-- they are. CREATE OR REPLACE keeps grants.

/**
  * STOP-style keywords add the sender to the opt-outs of the organizations owning the `To` line (their Vapi number
  * or SMS sender) and of p_sender_organization_ids (their own account texts from it), START-style keywords remove it;
  * anything else is ignored. With p_organization_ids, only those organizations count (an organization's own account
  * signed); p_except_organization_ids are left out (the platform's account signed: it does not send for them).
  * Answers opted_out, opted_in, ignored or unknown_line.
  */
create or replace function public.record_inbound_sms(
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
    perform private.add_opt_outs(v_orgs, v_from, 'keyword');
    return 'opted_out';
  elsif v_word in ('START', 'YES', 'UNSTOP', 'ALTA') then
    delete from public.sms_opt_outs as o where o.organization_id = any (v_orgs) and o.phone = v_from;
    return 'opted_in';
  end if;
  return 'ignored';
end;
$$;
