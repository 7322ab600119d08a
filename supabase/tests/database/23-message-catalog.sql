-- The spoken message catalog (issue 11): every key in English and Spanish with the same placeholders, every key the
-- tools use exists, no English left in Spanish, and every tool answers the Plumbing demo tenant (primary_language
-- 'es') in Spanish with unchanged JSON keys, machine values and byte-identical replays.
begin;
select plan(26);

-- Words that must never be heard in a Spanish answer.
create function pg_temp.english(p_text text) returns boolean language sql immutable as $$
  select p_text ~* '\m(the|and|is|are|at|on|for|with|that|time|times|open|booked|nothing|appointment|please|again|we|you|was|has|been|am|pm|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|june|july|august|september|october|november|december)\M' $$;
create function pg_temp.placeholders(p_text text) returns text[] language sql immutable as $$
  select coalesce(array_agg(m[1] order by m[1]), '{}') from regexp_matches(p_text, '\{([a-z_]+)[}|]', 'g') as m $$;

-- =====================================================================================================================
-- Section - The catalog itself
-- =====================================================================================================================
select set_eq($$ select key from private.message_catalog where language = 'es' $$,
              $$ select key from private.message_catalog where language = 'en' $$, 'Spanish has exactly the English keys (none missing either way)');
select is_empty($$ select e.key from private.message_catalog as e join private.message_catalog as s on s.key = e.key and s.language = 'es'
                   where e.language = 'en' and pg_temp.placeholders(e.template) <> pg_temp.placeholders(s.template) $$,
  'every Spanish template has the same {placeholders} as the English one');
select is_empty($$ select key, template from private.message_catalog where language = 'es' and pg_temp.english(template) $$,
  'no English word in any Spanish template');
-- Every 'area.key' literal in the tool functions is a catalog key (a missing one would make private.say return null).
select is_empty($$
  select distinct k[1] from pg_proc as p join pg_namespace as n on n.oid = p.pronamespace,
       regexp_matches(p.prosrc, '''([a-z]+\.[a-z_]+)''', 'g') as k
  where n.nspname = 'private' and p.prosrc like '%private.say%' and k[1] !~ '^(pg_catalog|public|private)\.'
    and not exists (select 1 from private.message_catalog as m where m.language = 'en' and m.key = k[1]) $$,
  'every catalog key the tools use exists');
select is(private.say('fr', 'slot.taken'), 'That time is already taken.', 'a language the catalog lacks falls back to English');

-- =====================================================================================================================
-- Section - Every tool in Spanish on the Plumbing demo tenant (Mon–Sat 07:00–19:00 Los Angeles)
-- =====================================================================================================================
create function pg_temp.tuesday() returns text language sql stable
as $$ select to_char(date_trunc('week', (now() at time zone 'America/Los_Angeles')::date + 14)::date + 1, 'YYYY-MM-DD') $$;
create function pg_temp.call(p_tool text, p_call text, p_tc text, p_args jsonb, p_caller text default null) returns jsonb
language sql as $$ select tests.tool_call(p_tool, 'asst_plumbing_company_assistant', p_call, p_args, p_caller, p_tc) $$;
create temp table rpc (k text primary key, r jsonb);
-- What the caller hears: a result's `message` when the result is JSON, else the result or error text.
create function pg_temp.spoken(p_k text) returns text language sql as $$
  select coalesce(case when r->>'result' like '{%' then (r->>'result')::jsonb->>'message' end, r->>'result', r->>'error')
  from rpc where k = p_k $$;

insert into rpc values ('avail', pg_temp.call('check', 'cat_es1', 'tc1', jsonb_build_object('date', pg_temp.tuesday())));
insert into rpc values ('book', pg_temp.call('book', 'cat_es1', 'tc2', jsonb_build_object('start_time', pg_temp.tuesday() || 'T15:30', 'customer_name', 'Lucía Gómez', 'service', 'fuga en la cocina'), '+15557650101'));
insert into rpc values ('replay', pg_temp.call('book', 'cat_es1', 'tc2', jsonb_build_object('start_time', pg_temp.tuesday() || 'T15:30', 'customer_name', 'Lucía Gómez')));
insert into rpc values ('taken', pg_temp.call('book', 'cat_es2', 'tc1', jsonb_build_object('start_time', pg_temp.tuesday() || 'T16:00', 'customer_name', 'Pedro Ruiz')));
insert into rpc values ('closed', pg_temp.call('book', 'cat_es2', 'tc2', jsonb_build_object('start_time', pg_temp.tuesday() || 'T21:00', 'customer_name', 'Pedro Ruiz')));
insert into rpc values ('noname', pg_temp.call('book', 'cat_es2', 'tc3', jsonb_build_object('start_time', pg_temp.tuesday() || 'T11:00')));
insert into rpc values ('move', pg_temp.call('reschedule', 'cat_es3', 'tc1', jsonb_build_object('new_start_time', pg_temp.tuesday() || 'T10:00'), '+15557650101'));
insert into rpc values ('cancel', pg_temp.call('cancel', 'cat_es3', 'tc2', '{}', '+15557650101'));
insert into rpc values ('again', pg_temp.call('cancel', 'cat_es3', 'tc3', jsonb_build_object('appointment_id', (select (r->>'result')::jsonb->>'appointment_id' from rpc where k = 'move'))));
insert into rpc values ('notfound', pg_temp.call('cancel', 'cat_es3', 'tc4', '{}', '+15557659999'));

select is_empty($$ select k from rpc where r->>'language' is distinct from 'es' $$, 'every answer names its language: es');
select is_empty($$ select k, pg_temp.spoken(k) from rpc where pg_temp.english(pg_temp.spoken(k)) $$, 'no English word in any Spanish answer');
select matches(pg_temp.spoken('avail'), '^Horarios disponibles: el martes [0-9]+ de [a-z]+ a las 7:00 \(' || pg_temp.tuesday() || 'T07:00:00-0[78]:00\); ',
  'check_availability: "Horarios disponibles: el martes 2 de marzo a las 7:00 (ISO)"');
select alike(pg_temp.spoken('avail'), '%. Los horarios corresponden a la hora de Los Ángeles. Esta consulta no ha reservado nada.', 'check_availability: the zone and "nothing booked yet" in Spanish');
select matches(pg_temp.spoken('book'), '^Listo, cita reservada para Lucía Gómez, fuga en la cocina: el martes [0-9]+ de [a-z]+ a las 15:30 \(hora de Los Ángeles\)\.$',
  'book_appointment: the confirmation in Spanish, 24-hour time');
select results_eq($$ select (r->>'result')::jsonb->>'status', (r->>'result')::jsonb->>'start_time', r->>'reason' from rpc where k = 'book' $$,
  format($$ values ('booked'::text, %L::text, 'booked'::text) $$, (select (r->>'result')::jsonb->>'start_time' from rpc where k = 'book')),
  'book_appointment: JSON keys and machine values unchanged (status booked, ISO start_time)');
select matches((select (r->>'result')::jsonb->>'start_time' from rpc where k = 'book'), '^' || pg_temp.tuesday() || 'T15:30:00-0[78]:00$', 'the ISO time is not translated');
select is((select r - 'replayed' from rpc where k = 'replay'), (select r - 'replayed' from rpc where k = 'book'), 'a replay in Spanish is byte-identical');
select alike(pg_temp.spoken('taken'), 'Esa hora ya está ocupada. Los horarios disponibles más cercanos son: el martes % Los horarios corresponden a la hora de Los Ángeles. No he reservado nada.',
  'slot taken, in Spanish with the nearest open times');
select alike(pg_temp.spoken('closed'), 'A esa hora estamos cerrados. Los horarios disponibles más cercanos son: %', 'outside hours, in Spanish');
select is(pg_temp.spoken('noname'), 'Necesito el nombre para la cita.', 'a missing name, in Spanish');
select matches(pg_temp.spoken('move'), '^Listo, he cambiado la cita de Lucía Gómez, fuga en la cocina: ahora es el martes [0-9]+ de [a-z]+ a las 10:00 \(hora de Los Ángeles\)\.$',
  'reschedule_appointment (found by the caller''s number), in Spanish');
select matches(pg_temp.spoken('cancel'), '^He cancelado la cita de Lucía Gómez, fuga en la cocina: el martes [0-9]+ de [a-z]+ a las 10:00 \(hora de Los Ángeles\)\.$', 'cancel_appointment, in Spanish');
select alike(pg_temp.spoken('again'), 'Esa cita ya estaba cancelada: Lucía Gómez, fuga en la cocina, el martes % a las 10:00 (hora de Los Ángeles).', 'an already cancelled appointment, in Spanish');
select is(pg_temp.spoken('notfound'), 'No encuentro esa cita.', 'not found, in Spanish');
select is((select (r->>'result')::jsonb->>'status' from rpc where k = 'again'), 'already_cancelled', 'status codes stay English');

-- =====================================================================================================================
-- Section - The call's language: a switch to English, and a language the catalog lacks
-- =====================================================================================================================
update public.call_logs set language = 'en' where vapi_call_id = 'cat_es1';
insert into rpc values ('switched', pg_temp.call('check', 'cat_es1', 'tc9', jsonb_build_object('date', pg_temp.tuesday())));
select results_eq($$ select r->>'language', pg_temp.spoken('switched') like 'Open times: Tuesday, %' from rpc where k = 'switched' $$,
  $$ values ('en'::text, true) $$, 'after the caller switched to English, the same call is answered in English');
select is((select r - 'replayed' from rpc where k = 'replay'), (select r - 'replayed' from rpc where k = 'book'), 'earlier answers keep their language on replay');
insert into public.organizations (id, name) values ('23000000-0000-4000-8000-00000000000a', 'Francophone');
insert into public.customer_configurations (organization_id, vapi_assistant_id, primary_language) values ('23000000-0000-4000-8000-00000000000a', 'asst_fr', 'fr');
select results_eq($$ select r->>'language', r->>'result' like 'Open times: %' from (select public.resolve_org_and_check_availability(p_assistant_id => 'asst_fr', p_vapi_call_id => 'cat_fr', p_tool_call_id => 'tc1') as r) as x $$,
  $$ values ('en'::text, true) $$, 'a primary language the catalog lacks (fr) is answered in English, and says so');
select is((public.resolve_org_and_book(p_assistant_id => 'asst_unknown_anywhere', p_arguments => '{}'))->>'language', 'en',
  'unknown tenant: the guide''s English wording, language en');
select is((select count(*) from private.message_catalog where language = 'en'), (select count(*) from private.message_catalog where language = 'es'),
  'both languages have the same number of sentences');

select * from finish();
rollback;
