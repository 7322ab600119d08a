-- A number said without its country code, as it is dialled at home: ten NANP digits where the caller's number is +1
-- (20261205173000_national_numbers_in_north_america.sql), a number with its country's trunk prefix anywhere else
-- (20261205192947_national_numbers_everywhere.sql). The caller's country is their number's, or — no caller number —
-- the one all active lines of the organization share. Digits without a trunk prefix outside North America, and ten
-- digits that are no NANP number, are still asked for with the country code.
begin;
select plan(38);

create function pg_temp.day(n integer) returns text language sql stable
as $$ select to_char((now() at time zone 'America/New_York')::date + n, 'YYYY-MM-DD') $$;
select d as day from (select pg_temp.day(n) as d from generate_series(10, 20) as n) as x
 where extract(isodow from d::date) < 6 limit 1 \gset
create function pg_temp.book(p_call text, p_time text, p_phone text, p_caller text) returns jsonb language sql
as $$ select tests.tool_call('book', 'asst_hvac_company_assistant', p_call, jsonb_build_object(
  'start_time', p_time, 'customer_name', 'Nat', 'customer_phone', p_phone), p_caller) $$;
create function pg_temp.phone(p_call text) returns text language sql
as $$ select customer_phone from public.appointments where vapi_call_id = p_call $$;

select is(pg_temp.book('nn_1', :'day' || 'T09:00', '(555) 201-3344', '+15557776666')->>'reason', 'booked',
  'ten digits from a +1 caller: booked');
select is(pg_temp.phone('nn_1'), '+15552013344', '… as +1 555 201 3344');
select is(pg_temp.book('nn_2', :'day' || 'T10:00', '1-555-201-3345', '+15557776666')->>'reason', 'booked',
  'eleven digits with the leading 1: booked');
select is(pg_temp.phone('nn_2'), '+15552013345', '… as +1 555 201 3345');
select is(pg_temp.book('nn_3', :'day' || 'T11:00', '5552013346', null)->>'reason', 'booked',
  'no caller number (a web call) to an organization with a +1 line: booked');
select is(pg_temp.phone('nn_3'), '+15552013346', '… as +1');
select is(pg_temp.book('nn_4', :'day' || 'T12:00', '9876543210', '+919812345678')->>'reason', 'invalid_arguments',
  'a caller from India: ten digits are not taken for +1');
select is(pg_temp.book('nn_5', :'day' || 'T12:00', '555 012 3456', '+15557776666')->>'reason', 'invalid_arguments',
  'an exchange starting with 0 is no NANP number: asked again');
select is((tests.tool_call('cancel', 'asst_hvac_company_assistant', 'nn_6',
                           jsonb_build_object('customer_phone', '555.201.3344', 'start_time', :'day' || 'T09:00'),
                           '+15558880202'))->>'reason', 'cancelled',
  'cancel finds a booking by a number given without +1 and its time');
select is((tests.tool_call('cancel', 'asst_hvac_company_assistant', 'nn_7',
                           jsonb_build_object('customer_phone', '555 201 3345'), '+15558880202'))->>'reason',
  'invalid_arguments', 'another number without its time still finds nothing: its time is asked for (as with +1)');

select is((tests.tool_call('cancel', 'asst_hvac_company_assistant', 'nn_10',
                           jsonb_build_object('customer_phone', '5552013344', 'start_time', :'day' || 'T09:00'),
                           '+447700900123'))->>'error',
  'That phone number does not look right. Please say it again with the country code.',
  'cancel from outside North America with ten digits: asked for the country code, not for the number again');

-- A Mexican organization that once had a US line (now inactive): a hidden caller's "55 1234 5678" is not taken for +1.
insert into public.organizations (id, name, timezone) values ('15000000-0000-4000-8000-00000000000a', 'CDMX', 'America/Mexico_City');
insert into public.customer_configurations (organization_id, vapi_assistant_id, vapi_phone_number, is_active) values
  ('15000000-0000-4000-8000-00000000000a', 'asst_cdmx', '+525512340000', true),
  ('15000000-0000-4000-8000-00000000000a', 'asst_cdmx_old', '+15125550000', false);
select is((tests.tool_call('book', 'asst_cdmx', 'nn_8', jsonb_build_object('start_time', :'day' || 'T11:00',
                           'customer_name', 'Nat', 'customer_phone', '55 1234 5678')))->>'reason', 'invalid_arguments',
  'a hidden caller to an organization whose active line is not +1: asked again (its old +1 line does not count)');
update public.customer_configurations set is_active = true where vapi_assistant_id = 'asst_cdmx_old';
select is((tests.tool_call('book', 'asst_cdmx', 'nn_9', jsonb_build_object('start_time', :'day' || 'T11:00',
                           'customer_name', 'Nat', 'customer_phone', '5125550199')))->>'reason', 'invalid_arguments',
  '… nor with a +1 line beside the Mexican one: where the hidden caller is stays unknown');

select is(pg_temp.book('nn_11', :'day' || 'T13:00', '07700 900456', '+447700900123')->>'reason', 'booked',
  'a caller from the UK gives their number as dialled at home: booked');
select is(pg_temp.phone('nn_11'), '+447700900456', '… as +44 7700 900456');

-- Trunk prefixes: the caller's country decides how a number said at home reads.
create function pg_temp.read(p_said text, p_caller text, p_org uuid default 'd91e4aa4-914a-4d76-b5b7-2ee26e09b2a2')
  returns text language sql
as $$ select private.given_phone(jsonb_populate_record(null::private.tool_call_context,
  jsonb_build_object('organization_id', p_org, 'caller_phone', p_caller)), p_said) $$;
select is(pg_temp.read('07700 900456', '+447700900123'), '+447700900456', 'UK: 07700 900456 → +44 7700 900456');
select is(pg_temp.read('0151 2345 6789', '+4915112345678'), '+4915123456789', 'Germany: 0151 … → +49 151 …');
select is(pg_temp.read('0412 345 678', '+61298765432'), '+61412345678', 'Australia: 0412 345 678 → +61 412 345 678');
select is(pg_temp.read('06 12 34 56 78', '+33612345670'), '+33612345678', 'France: 06 12 34 56 78 → +33 6 …');
select is(pg_temp.read('8 (916) 765-43-21', '+79161234567'), '+79167654321', 'Russia: trunk 8 → +7 916 …');
select is(pg_temp.read('06 30 765 4321', '+36301234567'), '+36307654321', 'Hungary: trunk 06 → +36 30 …');
select is(pg_temp.read('06 1234 5678', '+393331234567'), '+390612345678', 'Italy: the 0 belongs to the number');
select is(pg_temp.read('087 123 4567', '+353861234567'), '+353871234567', 'Ireland (a three-digit code): 087 → +353 87 …');
select is(pg_temp.read('0044 7700 900456', '+4915112345678'), '+447700900456', 'a number with 00 is international');
select is(pg_temp.read('011 44 7700 900456', '+15557776666'), '+447700900456', 'a +1 caller''s 011 is the international prefix');
select is(pg_temp.read('011 44 7700 900456', '+447700900123'), null, '… a UK caller''s 011 is no number');
select is(pg_temp.read('+44 (0)7700 900456', '+15557776666'), '+447700900456', 'a written (0) after +44 goes');
select is(pg_temp.read('011 15 1234 5678', '+5491112345678'), null, 'Argentina (a mobile''s 15 changes the number): asked again');
select is(pg_temp.read('7700 900456', '+447700900123'), null, 'UK: digits without the trunk 0 are asked for again');
select is(pg_temp.read('00 7700', '+447700900123'), null, '… and too few digits are no number');
select is(pg_temp.read('0412 345 678', '+15557776666'), null, 'a +1 caller''s number starting with 0 is no NANP number');

insert into public.organizations (id, name, timezone) values ('15000000-0000-4000-8000-00000000000b', 'Bondi Dental', 'Australia/Sydney');
insert into public.customer_configurations (organization_id, vapi_assistant_id, vapi_phone_number, is_active) values
  ('15000000-0000-4000-8000-00000000000b', 'asst_bondi', '+61291234567', true),
  ('15000000-0000-4000-8000-00000000000b', 'asst_bondi_2', '+61391234567', true),
  ('15000000-0000-4000-8000-00000000000b', 'asst_bondi_old', '+6493001234', false);
select is(pg_temp.read('0412 345 678', null, '15000000-0000-4000-8000-00000000000b'), '+61412345678',
  'a hidden caller to an organization whose active lines are all +61 (an inactive +64 line aside): +61');
select is(pg_temp.read('021 123 4567', null, '15000000-0000-4000-8000-00000000000a'), null,
  'a hidden caller to an organization with +52 and +1 lines: where the caller is stays unknown');

select is(private.calling_code('+15557776666'), '1', 'calling code: +1');
select is(private.calling_code('+79161234567'), '7', '… +7');
select is(private.calling_code('+862012345678'), '86', '… +86');
select is(private.calling_code('+85221234567'), '852', '… +852 (Hong Kong, not +85)');
select is(private.calling_code('+380441234567'), '380', '… +380 (Ukraine, not +38)');

select * from finish();
rollback;
