-- =====================================================================================================================
-- Section - Services named as callers say them
-- =====================================================================================================================
-- "Furnace tune up", "furnace tuneup", "A.C. repair", "checkups", "a check-up", "hygiene appointment" heard "We do
-- not offer Furnace tune up. We offer: … Furnace tune-up …" (helper-86 #4): a service was found only by its name or an
-- alias, case and outer spaces aside. When neither matches as written, a service is now found by its words (case,
-- accents and punctuation aside; titles kept: "Sr. Haircut" is not "Haircut"), joined ("tune up" = "tuneup"), without
-- a leading article (a, an, the, el, la, un, una…) or a closing "appointment", "service", "visit", "cita", "servicio",
-- "visita", and without a plural's closing s — when exactly one service has those words; several alike, or words that
-- leave only an article ("una cita"), find none, and the caller hears the list (helper-87 #1); so does an alias two
-- services share, or one that is another service's words (helper-89 #3). The name as written still wins; the hot
-- path (a name given as listed) is one probe, as before. CREATE OR REPLACE keeps grants.

/** A service name's key: its words (case, accents and punctuation aside) joined, without a closing generic word or a
    plural's s; with p_drop_article, also without a leading article ("a check-up"; "a.c. repair" keeps its "a" the
    other way). Null when nothing but an article or a generic word would be left ("una cita"). */
create function private.service_key(p_name text, p_drop_article boolean default false)
  returns text
  language plpgsql
  immutable
  set search_path = ''
as $$
declare
  v_articles text[] := array['a', 'an', 'the', 'el', 'la', 'los', 'las', 'un', 'una', 'unos', 'unas'];
  v_words text[] := pg_catalog.regexp_split_to_array(pg_catalog.btrim(pg_catalog.regexp_replace(
    pg_catalog.regexp_replace(pg_catalog.normalize(pg_catalog.lower(coalesce(p_name, '')), 'NFD'), '[\u0300-\u036f''’]',
                              '', 'g'), '[^[:alnum:]]+', ' ', 'g')), ' ');
  v_given integer := pg_catalog.cardinality(v_words);
  v_key text;
begin
  if p_drop_article and v_given > 1 and v_words[1] = any (v_articles) then
    v_words := v_words[2:];
  end if;
  while pg_catalog.cardinality(v_words) > 1 and v_words[pg_catalog.cardinality(v_words)] = any (
    array['appointment', 'appointments', 'service', 'services', 'visit', 'visits', 'cita', 'citas', 'servicio',
          'servicios', 'visita', 'visitas']) loop
    v_words := v_words[1:pg_catalog.cardinality(v_words) - 1];
  end loop;
  if pg_catalog.cardinality(v_words) < v_given and pg_catalog.cardinality(v_words) = 1 and v_words[1] = any (v_articles)
  then
    return null; -- "una cita": nothing of a service's name is left
  end if;
  v_key := pg_catalog.array_to_string(v_words, '');
  return nullif(case when v_key ~ '[^s]s$' then pg_catalog.left(v_key, -1) else v_key end, '');
end;
$$;
revoke all on function private.service_key(text, boolean) from public;

/** The organization's active service called p_name: its name as written (case-insensitive), else the one service with
    that alias or those words (private.service_key); null when none or several are — "exam", an alias of two, or
    "tune up", an alias of one and the words of another, is not guessed (helper-89 #3). */
create or replace function private.find_service(p_organization_id uuid, p_name text)
  returns public.services
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_service public.services;
  v_said text := pg_catalog.lower(pg_catalog.btrim(p_name));
  v_keys text[];
  v_ids uuid[];
begin
  select s.* into v_service
  from public.services as s
  where s.organization_id = p_organization_id and s.is_active and pg_catalog.lower(s.name) = v_said
  limit 1;
  if v_service.id is not null or p_name is null then
    return v_service;
  end if;
  v_keys := pg_catalog.array_remove(array[private.service_key(p_name), private.service_key(p_name, true)], null);
  select pg_catalog.array_agg(s.id) into v_ids
  from public.services as s
  where s.organization_id = p_organization_id and s.is_active
    and (exists (select from pg_catalog.unnest(s.aliases) as a where pg_catalog.lower(pg_catalog.btrim(a)) = v_said)
         or private.service_key(s.name) = any (v_keys)
         or exists (select from pg_catalog.unnest(s.aliases) as a where private.service_key(a) = any (v_keys)));
  if pg_catalog.cardinality(v_ids) = 1 then -- several alike: none is guessed
    select s.* into v_service from public.services as s where s.id = v_ids[1];
  end if;
  return v_service;
end;
$$;
