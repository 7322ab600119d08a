-- A line whose active configuration has no assistant yet is refused in that configuration's language (helper-54 #4;
-- 20261204211600); a line nobody has stays English (no tenant, no language); nothing is written.
begin;
select plan(3);

insert into public.organizations (id, name, timezone) values ('84000000-0000-4000-8000-00000000000a', 'Sin Asistente', 'UTC');
insert into public.customer_configurations (organization_id, vapi_assistant_id, vapi_phone_number, primary_language) values
  ('84000000-0000-4000-8000-00000000000a', null, '+15550184001', 'es');

select tests.authenticate_as_service_role();
select is(public.route_assistant_request('+15550184001', 'call_84_a') ->> 'error',
  'Lo siento, este número todavía no atiende llamadas. Inténtelo más tarde.', 'the line''s own language');
select is(public.route_assistant_request('+15550184999', 'call_84_b') ->> 'error',
  'Sorry, this number is not set up to take calls yet. Please try again later.', 'an unknown line: English, as before');
reset role;
select is((select count(*)::int from public.call_logs where vapi_call_id in ('call_84_a', 'call_84_b')), 0, 'nothing written');

select * from finish();
rollback;
