-- =====================================================================================================================
-- Section - A message found by its primary key (issue 13). The catalog is two pages, so the planner's page-based costs
-- chose to read all of it — every row tested against the language list, the list built again for each row — over the
-- (language, key) primary key: ~24 µs a message against ~9 µs, and a booking says 2 to 6 of them (callgrind: 4.58 →
-- 4.23 M instructions a booking). `enable_seqscan = off` only steers this function's two probes. Same answers
-- (pgTAP 23-message-catalog). CREATE OR REPLACE keeps grants.
-- =====================================================================================================================

/**
  * The catalog's template for `p_key` in `p_language`, else in English, with each `{name}` replaced by the value of
  * `p_params ->> name`.
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
begin
  for i in 0 .. pg_catalog.jsonb_array_length(v_pairs) - 1 loop
    v_text := pg_catalog.replace(v_text, '{' || (v_pairs -> i ->> 'key') || '}',
                                 coalesce(v_pairs -> i ->> 'value', ''));
  end loop;
  return v_text;
end;
$$;
