-- =====================================================================================================================
-- Section - The home trunk 0 written after the country code is dropped
-- =====================================================================================================================
-- "+44 (0)7700 900124" — the way UK, German, French, Swiss numbers are often printed — was kept as +4407700900124:
-- booked, texted to a number that does not exist, and never found again by the caller's real +447700900124 (helper-78).
-- "+49 0151 …" the same. A 0 right after the calling code is the home trunk prefix, never part of the number — except
-- where the 0 belongs to the number (Italy, San Marino, the Vatican, Côte d'Ivoire, Benin, Gabon, Congo) — so
-- normalize_e164 drops it; a national number said with its trunk 0 (given_phone) is read through the same rule, which is now written once.
-- A +1 call's "011 44 …" is the North American international prefix, read as "00" is. Numbers stored before this
-- migration are not rewritten (an UPDATE of appointments.customer_phone queues texts). CREATE OR REPLACE keeps grants.

/**
  * A phone number in E.164 (+ and 7–15 digits, no leading 0), or null when it is not one. Spaces, dots, dashes and
  * brackets go; a leading 00 is +; a trunk 0 written after the calling code ("+44 (0)20 …") goes, unless the number's
  * country keeps its 0. Never guesses a country code.
  */
create or replace function private.normalize_e164(p_raw text)
  returns text
  language plpgsql
  immutable
  set search_path = ''
as $$
declare
  v text := pg_catalog.regexp_replace(
    pg_catalog.regexp_replace(pg_catalog.btrim(p_raw), '[[:space:]().-]', '', 'g'), '^00', '+');
  v_code text;
begin
  if v ~ '^\+[2-689][0-9]{0,2}0' then -- a 0 within the first digits: after the calling code only if …
    v_code := private.calling_code(v);
    if pg_catalog.substr(v, pg_catalog.length(v_code) + 2, 1) = '0'
       and v_code not in ('39', '378', '379', '225', '229', '241', '242') then
      v := '+' || v_code || pg_catalog.substr(v, pg_catalog.length(v_code) + 3);
    end if;
  end if;
  return case when v ~ '^\+[1-9][0-9]{6,14}$' then v end;
end;
$$;

/**
  * A phone number as the caller gave it, in E.164: written so (or with 00, or 011 in a North American call), or said
  * as it is dialled inside the caller's country — a +1 caller's ten NANP digits (with or without the leading 1), anyone
  * else's number with their trunk prefix. The caller's country is their number's calling code; with the number hidden,
  * the code every active line of the organization shares (none when they differ).
  */
create or replace function private.given_phone(p_call private.tool_call_context, p_raw text)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_e164 text := private.normalize_e164(p_raw);
  v_digits text;
  v_code text;
begin
  if v_e164 is not null then
    return v_e164;
  end if;
  -- The digits as normalize_e164 cleans them (spaces, dots, dashes, brackets dropped); the 1 put before them lets a
  -- leading 0 through its "no number starts with 0" rule and is taken off again.
  v_digits := pg_catalog.substr(private.normalize_e164('+1' || pg_catalog.btrim(p_raw)), 3);
  v_code := private.calling_code(p_call.caller_phone);
  if v_code is null then
    select pg_catalog.min(private.calling_code(c.vapi_phone_number)) into v_code
    from public.customer_configurations as c
    where c.organization_id = p_call.organization_id and c.is_active
    having pg_catalog.count(distinct private.calling_code(c.vapi_phone_number)) = 1;
  end if;
  if v_code = '1' and pg_catalog.btrim(p_raw) ~ '^011' then
    return private.normalize_e164(pg_catalog.regexp_replace(pg_catalog.btrim(p_raw), '^011', '+'));
  end if;
  -- normalize_e164 drops the trunk 0 after the code, or keeps it where it belongs to the number.
  return private.normalize_e164('+' || v_code || case
    when v_code = '1' then pg_catalog.substring(v_digits, '^1?([2-9][0-9]{2}[2-9][0-9]{6})$')
    when v_code = '7' then pg_catalog.substring(v_digits, '^8([0-9]{10})$')
    when v_code = '36' then pg_catalog.substring(v_digits, '^06([1-9].*)$')
    -- Mexico dropped its prefixes, Argentina's mobiles and Brazil's carrier codes change the number: asked again.
    when v_code in ('52', '54', '55') then null
    else pg_catalog.substring(v_digits, '^(0[1-9].*)$')
  end);
end;
$$;
