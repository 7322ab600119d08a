-- "we take bookings up to 1 days in advance", "at least 1 minutes of notice": a template names the counted word's
-- singular and plural after its number, `{days|day|days}`, and private.say picks the one that agrees with the value.
-- The rule lives once, here; templates without a `|` are untouched. CREATE OR REPLACE keeps grants.

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
    v_value := coalesce(v_pairs -> i ->> 'value', '');
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

insert into private.message_catalog (language, key, template) values
  ('en', 'time.too_soon', 'That is too soon: we need at least {minutes|minute|minutes} of notice.'),
  ('es', 'time.too_soon', 'Es demasiado pronto: necesitamos al menos {minutes|minuto|minutos} de antelación.'),
  ('en', 'time.too_far', 'That is too far ahead: we take bookings up to {days|day|days} in advance.'),
  ('es', 'time.too_far', 'Esa fecha queda demasiado lejos: solo reservamos con hasta {days|día|días} de antelación.'),
  ('en', 'slots.none_to_horizon',
   'There are no open times from then until the end of our booking window: we take bookings up to {days|day|days} in advance.'),
  ('es', 'slots.none_to_horizon',
   'No quedan huecos libres desde entonces hasta el final de nuestro plazo de reservas: solo reservamos con hasta {days|día|días} de antelación.')
on conflict (language, key) do update set template = excluded.template;
