-- The caller's language (helper-54): a caller detected as "es" speaks Spanish where the business lists "es-MX"; a
-- caller who switched to a language the catalog lacks hears the business's primary language, not English; and what a
-- caller says is spoken as said, never read as a placeholder (20261204205200, 20261204205220).
begin;
select plan(5);

insert into public.organizations (id, name, timezone) values
  ('82000000-0000-4000-8000-00000000000a', 'Regional Co', 'UTC'),
  ('82000000-0000-4000-8000-00000000000b', 'Primary Spanish Co', 'UTC');
insert into public.customer_configurations (organization_id, vapi_assistant_id, primary_language, secondary_languages) values
  ('82000000-0000-4000-8000-00000000000a', 'asst_regional', 'en', '{es-MX}'),
  ('82000000-0000-4000-8000-00000000000b', 'asst_primary_es', 'es', '{en,fr}');

select is(private.configured_language('82000000-0000-4000-8000-00000000000a', 'asst_regional', 'es'), 'es-MX',
  'detected "es", configured "es-MX": the configured code');
select is(private.configured_language('82000000-0000-4000-8000-00000000000a', 'asst_regional', 'fr'), null,
  'a language the configuration does not list is still not taken');

insert into public.call_logs (organization_id, vapi_call_id, resolved_by, language) values
  ('82000000-0000-4000-8000-00000000000b', 'call_82_fr', 'assistant_id', 'fr');
select is(private.call_language('82000000-0000-4000-8000-00000000000b', 'call_82_fr', 'asst_primary_es'), 'es',
  'switched to fr (not in the catalog): the business''s primary language, not English');
select is(private.call_language('82000000-0000-4000-8000-00000000000b', 'call_82_none', 'asst_primary_es'), 'es',
  'no language recorded: the primary language, as before');

select is(private.say('en', 'book.booked', jsonb_build_object('name', '{when} {days|x|y}', 'details', '', 'when', 'Monday',
                                                               'zone', 'UTC time')),
  'Booked (when) (days|x|y) on Monday (UTC time).', 'a name that looks like a placeholder is said as a name');

select * from finish();
rollback;
