-- Texts follow the language of the call that booked the appointment when the caller switched to one the catalog has
-- (20261204070200_texts_in_the_callers_language.sql); otherwise the configuration's language.
begin;
select plan(11);

insert into public.organizations (id, name, timezone) values
  ('59000000-0000-4000-8000-00000000000a', 'Lingo HVAC', 'America/New_York');
insert into public.customer_configurations (organization_id, vapi_assistant_id, vapi_phone_number, primary_language,
                                            secondary_languages, sms_preferences) values
  ('59000000-0000-4000-8000-00000000000a', 'asst_lingo', '+15550159001', 'en', array['es'],
   '{"enabled": true, "reminder": false}');
select tests.authenticate_as_service_role();
select public.record_call_event('asst_lingo', null, 'call_lingo_es', '{"type": "language-change-detected", "language": "es"}');
select public.record_call_event('asst_lingo', null, 'call_lingo_en', '{"type": "status-update", "status": "in-progress"}');
reset role;

insert into public.appointments (organization_id, start_time, end_time, customer_name, customer_phone, vapi_call_id) values
  ('59000000-0000-4000-8000-00000000000a', now() + interval '3 days', now() + interval '3 days 1 hour', 'Lucía',
   '+15551590001', 'call_lingo_es'),
  ('59000000-0000-4000-8000-00000000000a', now() + interval '4 days', now() + interval '4 days 1 hour', 'Lucy',
   '+15551590002', 'call_lingo_en'),
  ('59000000-0000-4000-8000-00000000000a', now() + interval '5 days', now() + interval '5 days 1 hour', 'Lee',
   '+15551590003', null);

select alike((select body from public.notifications where to_phone = '+15551590001' and kind = 'confirmation'),
  'Lingo HVAC: su cita (Lucía) está confirmada para el %', 'the caller who switched to Spanish gets the confirmation in Spanish');
select alike((select body from public.notifications where to_phone = '+15551590002' and kind = 'confirmation'),
  'Lingo HVAC: your appointment (Lucy) on % is confirmed.%', 'a caller who did not switch: the configuration''s English');
select alike((select body from public.notifications where to_phone = '+15551590003' and kind = 'confirmation'),
  'Lingo HVAC: your appointment (Lee) on % is confirmed.%', 'booked without a call: English');

-- An organization with an English line (the older configuration) and a Spanish one: a call on the Spanish line gets
-- Spanish texts without switching.
insert into public.customer_configurations (organization_id, vapi_assistant_id, vapi_phone_number, primary_language,
                                            sms_preferences) values
  ('59000000-0000-4000-8000-00000000000a', 'asst_lingo_es', '+15550159002', 'es', '{"enabled": true, "reminder": false}');
-- The English configuration is the older one (the texts' settings come from it).
update public.customer_configurations set created_at = now() - interval '1 day' where vapi_assistant_id = 'asst_lingo';
select tests.authenticate_as_service_role();
select public.record_call_event('asst_lingo_es', null, 'call_lingo_line_es', '{"type": "status-update", "status": "in-progress"}');
reset role;
insert into public.appointments (organization_id, start_time, end_time, customer_name, customer_phone, vapi_call_id) values
  ('59000000-0000-4000-8000-00000000000a', now() + interval '6 days', now() + interval '6 days 1 hour', 'Pilar',
   '+15551590004', 'call_lingo_line_es');
select alike((select body from public.notifications where to_phone = '+15551590004' and kind = 'confirmation'),
  'Lingo HVAC: su cita (Pilar) está confirmada para el %', 'a call on the Spanish line: Spanish texts');

-- A booking made in Spanish and moved in a later English call (20261205214044_texts_say_whose.sql): the move's notice
-- keeps the Spanish of the call that first booked it, as a cancellation does (helper-83 #4). Moved as
-- reschedule_appointment moves: the old row cancelled, the new one inserted by the moving call.
update public.notifications set status = 'sent' where to_phone = '+15551590001';
update public.appointments set status = 'cancelled', cancelled_at = now() where customer_phone = '+15551590001';
insert into public.appointments (organization_id, start_time, end_time, customer_name, customer_phone, vapi_call_id,
                                 rescheduled_from)
select organization_id, start_time + interval '2 hours', end_time + interval '2 hours', customer_name, customer_phone,
       'call_lingo_en', id
from public.appointments where customer_phone = '+15551590001';
select alike((select body from public.notifications where to_phone = '+15551590001' and kind = 'reschedule'),
  'Lingo HVAC: su cita (Lucía) ha cambiado: ahora es el %', 'moved in an English call: the notice in the booking''s Spanish');

-- Every text says whose appointment, for what and with whom (helper-83 #2: a family's two jobs at one time).
insert into public.staff_members (id, organization_id, name) values
  ('59000000-0000-4000-8000-0000000000f1', '59000000-0000-4000-8000-00000000000a', 'Sam Reyes');
insert into public.services (id, organization_id, name, duration_minutes) values
  ('59000000-0000-4000-8000-0000000000e1', '59000000-0000-4000-8000-00000000000a', 'Boiler check', 60);
insert into public.appointments (organization_id, start_time, end_time, customer_name, customer_phone, service,
                                 service_id, staff_member_id) values
  ('59000000-0000-4000-8000-00000000000a', now() + interval '7 days', now() + interval '7 days 1 hour', 'Tom Lee',
   '+15551590005', 'Boiler check', '59000000-0000-4000-8000-0000000000e1', '59000000-0000-4000-8000-0000000000f1');
select alike((select body from public.notifications where to_phone = '+15551590005' and kind = 'confirmation'),
  'Lingo HVAC: your appointment (Tom for Boiler check with Sam Reyes) on % is confirmed.%',
  'the confirmation names the customer (first name), the service and the staff member');
-- Only what the business wrote, and a first name of letters: a caller can book for any number (helper-85 #6).
insert into public.appointments (organization_id, start_time, end_time, customer_name, customer_phone, service) values
  ('59000000-0000-4000-8000-00000000000a', now() + interval '8 days', now() + interval '8 days 1 hour',
   'Call5550100: pay your deposit at evil.example', '+15551590006', 'pay at evil.example');
select alike((select body from public.notifications where to_phone = '+15551590006' and kind = 'confirmation'),
  'Lingo HVAC: your appointment (Call) on % is confirmed. Reply STOP to opt out.',
  'a caller''s name is cut to its first word''s letters; a free-text service is left out');
insert into public.appointments (organization_id, start_time, end_time, customer_name, customer_phone) values
  ('59000000-0000-4000-8000-00000000000a', now() + interval '9 days', now() + interval '9 days 1 hour', '555-0100',
   '+15551590007');
select alike((select body from public.notifications where to_phone = '+15551590007' and kind = 'confirmation'),
  'Lingo HVAC: your appointment on % is confirmed. Reply STOP to opt out.', 'nothing of the name left: no brackets');

-- helper-89 #7: a title is no first name.
insert into public.appointments (organization_id, start_time, end_time, customer_name, customer_phone) values
  ('59000000-0000-4000-8000-00000000000a', now() + interval '10 days', now() + interval '10 days 1 hour',
   'Dr. José Ramírez', '+15551590008');
select alike((select body from public.notifications where to_phone = '+15551590008' and kind = 'confirmation'),
  'Lingo HVAC: your appointment (José) on % is confirmed.%', '"Dr. José Ramírez" is José');

-- helper-89 #6: a job given to someone else in place (an admin's UPDATE): its text not sent yet names them; nothing new.
insert into public.staff_members (id, organization_id, name) values
  ('59000000-0000-4000-8000-0000000000f2', '59000000-0000-4000-8000-00000000000a', 'Kim Reyes');
update public.appointments set staff_member_id = '59000000-0000-4000-8000-0000000000f2'
  where customer_phone = '+15551590005';
select alike((select body from public.notifications where to_phone = '+15551590005' and kind = 'confirmation'),
  'Lingo HVAC: your appointment (Tom for Boiler check with Kim Reyes) on % is confirmed.%',
  'reassigned in place: the pending confirmation names the new staff member');
select is((select count(*)::int from public.notifications where to_phone = '+15551590005'), 1, '… and nothing new is queued');

select * from finish();
rollback;
