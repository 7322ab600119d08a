-- A line whose active configuration has no assistant yet is refused in that configuration's language (helper-54 #4;
-- 20261204211600); a line nobody has stays English (no tenant, no language); nothing is written.
begin;
select plan(6);

insert into public.organizations (id, name, timezone) values ('84000000-0000-4000-8000-00000000000a', 'Sin Asistente', 'UTC');
insert into public.customer_configurations (organization_id, vapi_assistant_id, vapi_phone_number, primary_language) values
  ('84000000-0000-4000-8000-00000000000a', null, '+15550184001', 'es');
-- One line twice, by number (older, Spanish) and by Vapi's line id (newer, English), neither with an assistant yet:
-- the older one says the refusal (20261204215300 keeps 211600's order; helper-56).
insert into public.customer_configurations (organization_id, vapi_assistant_id, vapi_phone_number, primary_language,
                                            created_at) values
  ('84000000-0000-4000-8000-00000000000a', null, '+15550184002', 'es', now() - interval '1 day');
insert into public.customer_configurations (organization_id, vapi_assistant_id, vapi_phone_number_id, primary_language)
values ('84000000-0000-4000-8000-00000000000a', null, 'pn_84_line', 'en');

select tests.authenticate_as_service_role();
select is(public.route_assistant_request('+15550184001', 'call_84_a') ->> 'error',
  'Lo siento, este número todavía no atiende llamadas. Inténtelo más tarde.', 'the line''s own language');
select is(public.route_assistant_request('+15550184999', 'call_84_b') ->> 'error',
  'Sorry, this number is not set up to take calls yet. Please try again later.', 'an unknown line: English, as before');
select is(public.route_assistant_request('+15550184002', 'call_84_c', 'pn_84_line') ->> 'error',
  'Lo siento, este número todavía no atiende llamadas. Inténtelo más tarde.', 'two without an assistant: the older');
reset role;
update public.customer_configurations set vapi_assistant_id = 'asst_84_by_number' where vapi_phone_number = '+15550184002';
select tests.authenticate_as_service_role();
select is(public.route_assistant_request('+15550184002', 'call_84_d', 'pn_84_line') ->> 'assistant_id',
  'asst_84_by_number', 'the one with an assistant is routed to, whichever key matched it');
reset role;
update public.customer_configurations set vapi_assistant_id = 'asst_84_by_id' where vapi_phone_number_id = 'pn_84_line';
select tests.authenticate_as_service_role();
select is(public.route_assistant_request('+15550184002', 'call_84_e', 'pn_84_line') ->> 'assistant_id',
  'asst_84_by_id', 'both with one: the line id''s, as before');
reset role;
select is((select count(*)::int from public.call_logs where vapi_call_id in ('call_84_a', 'call_84_b', 'call_84_c')), 0, 'nothing written');

select * from finish();
rollback;
