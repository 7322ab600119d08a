-- =====================================================================================================================
-- Section - A value is never read as a placeholder
-- =====================================================================================================================
-- private.say replaced one parameter after another, so a customer name `{when}` became the booking's time and a
-- service named `{services}` the whole service list (helper-54 #7). A value's braces are now said as parentheses, so
-- no later placeholder can match inside it. pgTAP 82. CREATE OR REPLACE keeps grants.

/**
  * The catalog's template for `p_key` in `p_language`, else in English, with each `{name}` replaced by the value of
  * `p_params ->> name` and each `{name|one|other}` by that value and `one` when it is 1, else `other`.
  */
create or replace function private.say(p_language text, p_key text, p_params jsonb default '{}'::jsonb)
  returns text
  language plpgsql
  stable
  set search_path = ''
  set enable_seqscan = off
as $$
declare
  v_text text := coalesce(
    (select m.template from private.message_catalog as m where m.language = p_language and m.key = p_key),
    (select m.template from private.message_catalog as m where m.language = 'en' and m.key = p_key));
  v_pairs jsonb := pg_catalog.jsonb_path_query_array(coalesce(p_params, '{}'::jsonb), '$.keyvalue()');
  v_name text;
  v_value text;
begin
  for i in 0 .. pg_catalog.jsonb_array_length(v_pairs) - 1 loop
    v_name := v_pairs -> i ->> 'key';
    -- What the caller said is said as said: its braces are never read as a later placeholder.
    v_value := pg_catalog.translate(coalesce(v_pairs -> i ->> 'value', ''), '{}', '()');
    v_text := pg_catalog.replace(v_text, '{' || v_name || '}', v_value);
    if pg_catalog.strpos(v_text, '{' || v_name || '|') > 0 then -- parameter names are the tools' own identifiers
      v_text := pg_catalog.regexp_replace(v_text, '\{' || v_name || '\|([^|}]*)\|([^}]*)\}',
                                          pg_catalog.replace(v_value, '\', '\\') || ' '
                                            || case when v_value = '1' then '\1' else '\2' end, 'g');
    end if;
  end loop;
  return v_text;
end;
$$;
