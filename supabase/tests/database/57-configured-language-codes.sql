-- A configured language written `ES`, `es-us` or `es_MX` is recorded as a code; one that is no code is not configured;
-- neither makes the event fail (20261204060000_configured_language_as_a_code.sql).
begin;
select plan(8);

insert into public.organizations (id, name, timezone) values
  ('57000000-0000-4000-8000-00000000000a', 'Codes A', 'America/New_York'),
  ('57000000-0000-4000-8000-00000000000b', 'Codes B', 'America/New_York'),
  ('57000000-0000-4000-8000-00000000000c', 'Codes C', 'America/New_York');
insert into public.customer_configurations (organization_id, vapi_assistant_id, primary_language, secondary_languages) values
  ('57000000-0000-4000-8000-00000000000a', 'asst_codes_a', 'en', array['ES']),
  ('57000000-0000-4000-8000-00000000000b', 'asst_codes_b', 'en', array['es-us']);
-- Written before 20261204215500 refused such values (its check is NOT VALID: the row stays, and is read as no code).
alter table public.customer_configurations drop constraint customer_configurations_language_codes;
insert into public.customer_configurations (organization_id, vapi_assistant_id, primary_language, secondary_languages) values
  ('57000000-0000-4000-8000-00000000000c', 'asst_codes_c', 'en', array['Spanish']);

create temp table rpc (k text primary key, r jsonb);
grant select, insert on rpc to service_role;
select tests.authenticate_as_service_role();
insert into rpc select k, public.record_call_event(a, null, c, '{"type": "language-change-detected", "language": "es"}')
from (values ('a', 'asst_codes_a', 'call_codes_a'), ('b', 'asst_codes_b', 'call_codes_b'),
             ('c', 'asst_codes_c', 'call_codes_c')) as v(k, a, c);
insert into rpc values ('b_region', public.record_call_event('asst_codes_b', null, 'call_codes_b2',
  '{"type": "language-change-detected", "language": "es-US"}'));
reset role;

select results_eq($$ select vapi_call_id, language from public.call_logs where vapi_call_id like 'call_codes_%' order by 1 $$,
  $$ values ('call_codes_a', 'es'), ('call_codes_b', 'es-US'), ('call_codes_b2', 'es-US'), ('call_codes_c', null) $$,
  'configured ES / es-us are recorded as es / es-US (a detected plain es matches es-us too: 20261204205200); Spanish is not a code');
select is((select r->>'reason' from rpc where k = 'a'), 'created', 'ES: the event is recorded');
select is((select r->>'reason' from rpc where k = 'c'), 'language_not_configured', 'Spanish: not configured');
select is(private.configured_language('57000000-0000-4000-8000-00000000000b', 'asst_codes_b', 'ES-us'), 'es-US',
  'es-us matches a detected ES-us, given as es-US');
select is(private.configured_language('57000000-0000-4000-8000-00000000000a', 'asst_codes_a', 'fr'), null,
  'a language not configured: null');

select is(private.catalog_language('ES'), 'es', 'the catalog reads ES as es');
select is(private.catalog_language('es_mx'), 'es', 'and es_mx as es (the catalog has no es-MX)');
update public.customer_configurations set primary_language = 'ES' where vapi_assistant_id = 'asst_codes_c';
select is(private.call_language('57000000-0000-4000-8000-00000000000c', null, 'asst_codes_c'), 'es',
  'a configuration whose primary language is ES is answered in Spanish');

select * from finish();
rollback;
