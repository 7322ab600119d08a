-- A North American number said without its country code (20261205173000_national_numbers_in_north_america.sql): read
-- as +1 where the caller's number is +1, or — no caller number — where every active line of the organization is;
-- anywhere else, and for ten digits that are no NANP number, E.164 is still asked for.
begin;
select plan(13);

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
  'not_found', 'another number without its time still finds nothing (as with +1)');

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

select * from finish();
rollback;
