-- =====================================================================================================================
-- Section - Inbound STOP/START for every organization that texts from the number, in English and Spanish
-- =====================================================================================================================
-- Twilio blocks a number that replied STOP for the whole sending number, so when organizations share a sender
-- (sms_preferences.from_number) the opt-out is recorded for each of them, not for the oldest one only. Spanish
-- callers answer in Spanish: BAJA, ALTO, PARAR, CANCELAR opt out and ALTA opts back in, beside Twilio's own keywords.
create or replace function public.record_inbound_sms(p_to_phone text, p_from_phone text, p_body text)
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
  where c.is_active and (c.vapi_phone_number = v_to or private.normalize_e164(c.sms_preferences ->> 'from_number') = v_to);
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
revoke all on function public.record_inbound_sms(text, text, text) from public, anon, authenticated;
grant execute on function public.record_inbound_sms(text, text, text) to service_role;
