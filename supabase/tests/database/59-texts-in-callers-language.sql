-- Texts follow the language of the call that booked the appointment when the caller switched to one the catalog has
-- (20261204070200_texts_in_the_callers_language.sql); otherwise the configuration's language.
begin;
select plan(4);

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
  'Lingo HVAC: su cita está confirmada para el %', 'the caller who switched to Spanish gets the confirmation in Spanish');
select alike((select body from public.notifications where to_phone = '+15551590002' and kind = 'confirmation'),
  'Lingo HVAC: your appointment on % is confirmed.%', 'a caller who did not switch: the configuration''s English');
select alike((select body from public.notifications where to_phone = '+15551590003' and kind = 'confirmation'),
  'Lingo HVAC: your appointment on % is confirmed.%', 'booked without a call: English');

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
  'Lingo HVAC: su cita está confirmada para el %', 'a call on the Spanish line: Spanish texts');

select * from finish();
rollback;
