-- A configuration's languages are language codes (`en`, `es-MX`, `es_mx`): `spanish` or `English` is refused when
-- written, not silently read as English at every call (helper-54, helper-56; 20261204215500).
begin;
select plan(13);

insert into public.organizations (id, name, timezone) values ('87000000-0000-4000-8000-00000000000a', 'Lingo Co', 'UTC');
create function pg_temp.add(p_primary text, p_secondary text[]) returns void language sql as $$
  insert into public.customer_configurations (organization_id, vapi_assistant_id, primary_language, secondary_languages)
  values ('87000000-0000-4000-8000-00000000000a', 'asst_87_' || md5(random()::text), p_primary, p_secondary) $$;

select lives_ok($$ select pg_temp.add('en', '{}') $$, 'en, no secondary languages');
select lives_ok($$ select pg_temp.add('es-MX', array['en', 'pt_BR', 'zh-Hant-TW']) $$, 'regional codes, either separator');
select lives_ok($$ select pg_temp.add(' EN ', array['ES']) $$, 'case and surrounding spaces as language_code reads them');
select lives_ok($$ select pg_temp.add('es-419', array['en-US-x-twain', 'de-CH-1901']) $$, 'longer codes');
select throws_ok($$ select pg_temp.add('spanish', '{}') $$, '23514', null, 'a language name as primary_language');
select throws_ok($$ select pg_temp.add('English', '{}') $$, '23514', null, '… capitalised too');
select throws_ok($$ select pg_temp.add('en', array['es', 'french']) $$, '23514', null, 'a name among secondary_languages');
select throws_ok($$ select pg_temp.add('en', array[null]) $$, '23514', null, 'a null secondary language');
select throws_ok($$ select pg_temp.add(E'es\t', '{}') $$, '23514', null, 'a tab around it (language_code trims spaces only)');
select throws_ok($$ select pg_temp.add('en|es', '{}') $$, '23514', null, 'two codes in one value');
select throws_ok($$ select pg_temp.add('en', array['es|fr']) $$, '23514', null, '… among secondary_languages too');
select lives_ok($$ update public.customer_configurations set is_active = false
                   where organization_id = '87000000-0000-4000-8000-00000000000a' $$,
  'another column of rows with codes is updated as before');
select throws_ok($$ update public.customer_configurations set primary_language = 'en us'
                    where organization_id = '87000000-0000-4000-8000-00000000000a' $$,
  '23514', null, 'an update is checked too');

select * from finish();
rollback;
