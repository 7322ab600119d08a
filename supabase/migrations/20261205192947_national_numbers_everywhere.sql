-- =====================================================================================================================
-- Section - A number said the way it is dialled at home is understood in every country, not only North America
-- =====================================================================================================================
-- 20261205173000 read ten NANP digits in a +1 call; a London caller who says "07700 900123" still heard "say it again
-- with the country code". The caller's country is the calling code of their number (or, with the number hidden, the one
-- code all of the organization's active lines share); a number said with that country's trunk prefix — 0 in most
-- countries, 8 in Russia and Kazakhstan, 06 in Hungary — is read as +<code> and the rest. Where the 0 belongs to the
-- number itself (Italy, San Marino, the Vatican, Côte d'Ivoire, Congo) it is kept. Digits without a trunk prefix are
-- still asked for with the country code outside North America: "44 7700 900123" and a national "7700 900123" cannot be
-- told apart. CREATE OR REPLACE keeps grants.

/**
  * The country calling code an E.164 number starts with (ITU-T E.164: 1 and 7 are one digit, zones 2–9 assign the
  * two-digit codes listed here, every other code has three digits); null for null.
  */
create function private.calling_code(p_e164 text)
  returns text
  language plpgsql
  immutable
  set search_path = ''
as $$
begin
  return case
    when p_e164 ~ '^\+[17]' then pg_catalog.substr(p_e164, 2, 1)
    when p_e164 ~ '^\+(2[07]|3[0-469]|4[013-9]|5[1-8]|6[0-6]|8[1246]|9[0-58])' then pg_catalog.substr(p_e164, 2, 2)
    else pg_catalog.substr(p_e164, 2, 3)
  end;
end;
$$;
revoke all on function private.calling_code(text) from public;

/**
  * A phone number as the caller gave it, in E.164: written so (or with 00), or said as it is dialled inside the
  * caller's country — a +1 caller's ten NANP digits (with or without the leading 1), anyone else's number with their
  * trunk prefix. The caller's country is their number's calling code; with the number hidden, the code every active
  * line of the organization shares (none when they differ).
  */
create or replace function private.given_phone(p_call private.tool_call_context, p_raw text)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  -- The digits as normalize_e164 cleans them (spaces, dots, dashes, brackets dropped); the 1 put before them lets a
  -- leading 0 through its "no number starts with 0" rule and is taken off again.
  v_digits text := pg_catalog.substr(private.normalize_e164('+1' || pg_catalog.btrim(p_raw)), 3);
  v_code text;
begin
  if private.normalize_e164(p_raw) is not null or v_digits is null then
    return private.normalize_e164(p_raw);
  end if;
  v_code := private.calling_code(p_call.caller_phone);
  if v_code is null then
    select pg_catalog.min(private.calling_code(c.vapi_phone_number)) into v_code
    from public.customer_configurations as c
    where c.organization_id = p_call.organization_id and c.is_active
    having pg_catalog.count(distinct private.calling_code(c.vapi_phone_number)) = 1;
  end if;
  return private.normalize_e164('+' || v_code || case
    when v_code = '1' then pg_catalog.substring(v_digits, '^1?([2-9][0-9]{2}[2-9][0-9]{6})$')
    when v_code in ('39', '378', '379', '225', '242') then pg_catalog.substring(v_digits, '^(0[1-9].*)$')
    when v_code = '7' then pg_catalog.substring(v_digits, '^8([0-9]{10})$')
    when v_code = '36' then pg_catalog.substring(v_digits, '^06([1-9].*)$')
    else pg_catalog.substring(v_digits, '^0([1-9].*)$')
  end);
end;
$$;
