-- Staff are found the way callers name them (20261205194402_staff_named_as_people_say_them.sql): words in order,
-- letter case, accents, punctuation and spoken titles aside; an exact name wins; of several, the one who performs the
-- service; else asked which. Nothing is booked by a name that finds no one or several.
begin;
select plan(39);

select is(private.name_words('  Dr. María  López-Núñez '), array['maria', 'lopez', 'nunez'],
  'name_words: lower case, no accents, punctuation as spaces, no title');
select is(private.name_words('Doctor'), array['doctor'], 'name_words: a name that is only a title keeps it');
select is(private.name_words('O''Brien'), array['obrien'], 'name_words: an apostrophe joins');
select is(private.name_words('O’Brien', true), array['o', 'brien'], '… or, asked to, separates');
select is(private.name_words('The Dr. Minh La'), array['minh', 'la'],
  'name_words: an article goes only before a title ("La" is a surname here)');
select ok(private.words_in_order(array['dr', 'shah'], array['dr', 'amelia', 'shah']), 'words_in_order: words may lie between');
select ok(not private.words_in_order(array['shah', 'amelia'], array['dr', 'amelia', 'shah']), 'words_in_order: in order only');
select ok(not private.words_in_order(array['amelia', 'amelia'], array['amelia', 'shah']), 'words_in_order: each word once');

-- A clinic: Dr Amelia Shah does everything; Tom Baker hygiene, Tom Okafor check-ups; María López; Sam and Sam Hill.
insert into public.organizations (id, name, timezone, min_notice_minutes) values
  ('24000000-0000-4000-8000-00000000000a', 'Clinic', 'Europe/London', 0);
insert into public.customer_configurations (organization_id, vapi_assistant_id) values
  ('24000000-0000-4000-8000-00000000000a', 'asst_clinic_24');
insert into public.business_hours (organization_id, weekday, opens_at, closes_at)
select '24000000-0000-4000-8000-00000000000a', d, '08:00', '18:00' from generate_series(0, 6) as d;
insert into public.staff_members (id, organization_id, name) values
  ('24000000-0000-4000-8000-0000000000a1', '24000000-0000-4000-8000-00000000000a', 'Dr Amelia Shah'),
  ('24000000-0000-4000-8000-0000000000a2', '24000000-0000-4000-8000-00000000000a', 'Tom Baker'),
  ('24000000-0000-4000-8000-0000000000a3', '24000000-0000-4000-8000-00000000000a', 'Tom Okafor'),
  ('24000000-0000-4000-8000-0000000000a4', '24000000-0000-4000-8000-00000000000a', 'María López'),
  ('24000000-0000-4000-8000-0000000000a5', '24000000-0000-4000-8000-00000000000a', 'Sam'),
  ('24000000-0000-4000-8000-0000000000a6', '24000000-0000-4000-8000-00000000000a', 'Sam Hill');
insert into public.services (id, organization_id, name, duration_minutes) values
  ('24000000-0000-4000-8000-0000000000c1', '24000000-0000-4000-8000-00000000000a', 'Hygiene', 45),
  ('24000000-0000-4000-8000-0000000000c2', '24000000-0000-4000-8000-00000000000a', 'Check-up', 30);
insert into public.staff_services (organization_id, staff_member_id, service_id) values
  ('24000000-0000-4000-8000-00000000000a', '24000000-0000-4000-8000-0000000000a2', '24000000-0000-4000-8000-0000000000c1'),
  ('24000000-0000-4000-8000-00000000000a', '24000000-0000-4000-8000-0000000000a3', '24000000-0000-4000-8000-0000000000c2');

-- Who a booking at its own hour of day 10 goes to, or the refusal.
create function pg_temp.booked(p_staff text, p_service text, p_hour integer) returns text language sql as $$
  select coalesce(((r->>'result')::jsonb)->>'staff_name', r->>'error')
  from tests.tool_call('book', 'asst_clinic_24', 'call_24_' || p_staff || p_hour, jsonb_build_object(
    'start_time', to_char((now() at time zone 'Europe/London')::date + 10, 'YYYY-MM-DD') || 'T' || lpad(p_hour::text, 2, '0') || ':00',
    'customer_name', 'Pat', 'service', p_service, 'staff_name', p_staff)) as r $$;

select is(pg_temp.booked('Amelia Shah', 'Hygiene', 8), 'Dr Amelia Shah', '"Amelia Shah" finds Dr Amelia Shah');
select is(pg_temp.booked('Dr. Shah', 'Hygiene', 9), 'Dr Amelia Shah', '"Dr. Shah" finds her');
select is(pg_temp.booked('Doctor Shah', 'Hygiene', 10), 'Dr Amelia Shah', '"Doctor Shah" finds her');
select is(pg_temp.booked('amelia', 'Hygiene', 11), 'Dr Amelia Shah', '"amelia" finds her');
select is(pg_temp.booked('Maria', 'Check-up', 8), 'María López', '"Maria" finds María López');
select is(pg_temp.booked('maría lópez', 'Check-up', 9), 'María López', '"maría lópez" finds her');
select is(pg_temp.booked('Tom', 'Check-up', 10), 'Tom Okafor', '"Tom" for a check-up: the one Tom who does check-ups');
select is(pg_temp.booked('Tom', 'Hygiene', 11), 'Tom Baker', '"Tom" for hygiene: the other Tom');
select is(pg_temp.booked('Sam', 'Check-up', 12), 'Sam', '"Sam" is said exactly: Sam, not Sam Hill');
select is(pg_temp.booked('Hill', 'Check-up', 13), 'Sam Hill', '"Hill" finds Sam Hill');
insert into public.staff_members (organization_id, name) values ('24000000-0000-4000-8000-00000000000a', 'Jean-Luc O''Brien');
select is(pg_temp.booked('O Brien', 'Check-up', 8), 'Jean-Luc O''Brien', '"O Brien" (speech-to-text) finds O''Brien');
select is(pg_temp.booked('jean luc obrien', 'Check-up', 9), 'Jean-Luc O''Brien', '… and "jean luc obrien"');
update public.staff_members set is_active = false where name = 'Jean-Luc O''Brien';
select is(pg_temp.booked('Tom Okafor', 'Hygiene', 14),
  'Tom Okafor does not do Hygiene; it is done by: Dr Amelia Shah, María López, Sam, Sam Hill, Tom Baker.',
  'a full name found who does not do the service: said so, and who does (those without a list do everything)');

select is(pg_temp.booked('Dr Tom', 'Check-up', 15), 'Tom Okafor', '"Dr Tom" for a check-up: the title aside, as "Tom"');
select is(pg_temp.booked('Sr. Sam', 'Check-up', 16), 'Sam', '"Sr. Sam" is Sam exactly (a Spanish title aside), not Sam Hill');

-- Sam does hygiene only: asked for a check-up, "Sam" is told so — never swapped for Sam Hill, who does check-ups.
insert into public.staff_services (organization_id, staff_member_id, service_id) values
  ('24000000-0000-4000-8000-00000000000a', '24000000-0000-4000-8000-0000000000a5', '24000000-0000-4000-8000-0000000000c1');
select is(pg_temp.booked('Sam', 'Check-up', 17),
  'Sam does not do Check-up; it is done by: Dr Amelia Shah, María López, Sam Hill, Tom Okafor.',
  '"Sam" for a service he does not do: said so, and who does');
-- Two Sarahs who do hygiene only: "Sarah" for a check-up is not asked "which one?" (either would be refused).
insert into public.staff_members (id, organization_id, name) values
  ('24000000-0000-4000-8000-0000000000b1', '24000000-0000-4000-8000-00000000000a', 'Sarah Jones'),
  ('24000000-0000-4000-8000-0000000000b2', '24000000-0000-4000-8000-00000000000a', 'Sarah Brown');
insert into public.staff_services (organization_id, staff_member_id, service_id) values
  ('24000000-0000-4000-8000-00000000000a', '24000000-0000-4000-8000-0000000000b1', '24000000-0000-4000-8000-0000000000c1'),
  ('24000000-0000-4000-8000-00000000000a', '24000000-0000-4000-8000-0000000000b2', '24000000-0000-4000-8000-0000000000c1');
select is(pg_temp.booked('Sarah', 'Check-up', 17),
  'None of them (Sarah Brown, Sarah Jones) does Check-up; it is done by: Dr Amelia Shah, María López, Sam Hill, Tom Okafor.',
  'several of that name, none doing the service: said so, and who does (not "which one?")');
select is(pg_temp.booked('Nobody', 'Check-up', 17),
  'There is no one called Nobody on our team. Our team: Dr Amelia Shah, María López, Sam Hill, Tom Okafor.',
  'an unknown name with a service: the team named is who does it');
-- Nobody active does it: the refusal alone, never "it is done by: ." (helper-87 #3).
update public.staff_members set is_active = false
  where organization_id = '24000000-0000-4000-8000-00000000000a' and name not in ('Sarah Jones', 'Sarah Brown');
select is(pg_temp.booked('Sarah', 'Check-up', 17), 'None of them (Sarah Brown, Sarah Jones) does Check-up.',
  'nobody active does the service: no list of who does');
update public.staff_members set is_active = true
  where organization_id = '24000000-0000-4000-8000-00000000000a' and name <> 'Jean-Luc O''Brien';
delete from public.staff_members where id in ('24000000-0000-4000-8000-0000000000b1', '24000000-0000-4000-8000-0000000000b2');
delete from public.staff_services where staff_member_id = '24000000-0000-4000-8000-0000000000a5';

-- Two names alike but for their accents: the one as written wins; without accents either could be meant.
insert into public.staff_members (organization_id, name) values ('24000000-0000-4000-8000-00000000000a', 'Maria Lopez');
select is(pg_temp.booked('María López', 'Check-up', 11), 'María López', 'as written, with accents: María López');
select is(pg_temp.booked('maria lopez', 'Check-up', 12), 'Maria Lopez', 'as written, without: Maria Lopez');
select is(pg_temp.booked('Maria López', 'Check-up', 13),
  'More than one person called Maria López is on our team: Maria Lopez, María López. Which one would you like?',
  'neither as written: asked which');
-- Maria Lopez does hygiene only: for a check-up the María López who does them is meant however it is written.
insert into public.staff_services (organization_id, staff_member_id, service_id)
select '24000000-0000-4000-8000-00000000000a', s.id, '24000000-0000-4000-8000-0000000000c1'
from public.staff_members as s where s.name = 'Maria Lopez' and s.organization_id = '24000000-0000-4000-8000-00000000000a';
select is(pg_temp.booked('maria lopez', 'Check-up', 14), 'María López',
  'for a service only María López does, "maria lopez" is her, not the Maria Lopez who does not do it');
select is(pg_temp.booked('MARIA LÓPEZ', 'Check-up', 15), 'María López', '… and so is "MARIA LÓPEZ"');
select is(pg_temp.booked('la doctora Shah', 'Check-up', 16), 'Dr Amelia Shah', '"la doctora Shah": the article and title aside');
update public.staff_members set is_active = false
where name = 'Maria Lopez' and organization_id = '24000000-0000-4000-8000-00000000000a';

-- Asked which: two Toms for a service neither performs alone (none named for it), or nobody of that name.
update public.staff_services set service_id = '24000000-0000-4000-8000-0000000000c1'
where staff_member_id = '24000000-0000-4000-8000-0000000000a3';
select is(pg_temp.booked('Tom', 'Hygiene', 17),
  'More than one person called Tom is on our team: Tom Baker, Tom Okafor. Which one would you like?',
  'two Toms who both do hygiene: asked which');
select is(pg_temp.booked('Dr Who', 'Hygiene', 16),
  'There is no one called Dr Who on our team. Our team: Dr Amelia Shah, María López, Sam, Sam Hill, Tom Baker, Tom Okafor.',
  'a name nobody has: the team is named');
select is(pg_temp.booked('Amelia Hill', 'Hygiene', 17) like 'There is no one called Amelia Hill%', true,
  'words of two people''s names find neither');
select is((select count(*)::int from public.appointments where organization_id = '24000000-0000-4000-8000-00000000000a'), 19,
  'the nineteen bookings above, and nothing when the name finds no one, several or someone who does not do it');
select alike(tests.tool_call('check', 'asst_clinic_24', 'call_24_next', jsonb_build_object(
    'from', to_char((now() at time zone 'Europe/London')::date + 10, 'YYYY-MM-DD') || 'T17:30',
    'to', to_char((now() at time zone 'Europe/London')::date + 10, 'YYYY-MM-DD') || 'T18:00',
    'service', 'Hygiene', 'staff_name', 'baker'))->>'result',
  'There are no open times then. The next open times with Tom Baker are: %',
  'times asked for with a person name the person found, also the next ones');
select is(private.name_words(null), null, 'name_words: null stays null');

select * from finish();
rollback;
