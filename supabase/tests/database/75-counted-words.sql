-- A count agrees with its word (20261204163200_counted_words.sql): "up to 1 day in advance", "at least 1 minute of
-- notice", in English and Spanish; other counts keep the plural. (Times are whole minutes: the next one is under a
-- minute away.) Whole hours of notice are said in hours (20261205202402_notice_in_hours.sql).
begin;
select plan(9);

insert into public.organizations (id, name, timezone, max_advance_days, min_notice_minutes) values
  ('75000000-0000-4000-8000-00000000000a', 'One Day Ahead', 'UTC', 1, 1),
  ('75000000-0000-4000-8000-00000000000b', 'Un Día', 'UTC', 1, 1),
  ('75000000-0000-4000-8000-00000000000c', 'Two Days Ahead', 'UTC', 2, 2);
insert into public.customer_configurations (organization_id, vapi_assistant_id, primary_language) values
  ('75000000-0000-4000-8000-00000000000a', 'asst_one_day', 'en'), ('75000000-0000-4000-8000-00000000000b', 'asst_un_dia', 'es'),
  ('75000000-0000-4000-8000-00000000000c', 'asst_two_days', 'en');
create function pg_temp.call(p_assistant text, p_call text, p_start timestamptz) returns text language sql
as $$ select coalesce(r->>'reason', '') || ' ' || coalesce(r->>'result', r->>'error', '')
      from tests.tool_call('book', p_assistant, p_call,
                           jsonb_build_object('start_time', to_char(p_start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                                              'customer_name', 'Ivy')) as r $$;

select alike(pg_temp.call('asst_one_day', 'cw_1', now() + interval '5 days'),
  'beyond_horizon That is too far ahead: we take bookings up to 1 day in advance.%', 'one day, not "1 days"');
select alike(pg_temp.call('asst_un_dia', 'cw_2', now() + interval '5 days'),
  'beyond_horizon Esa fecha queda demasiado lejos: solo reservamos con hasta 1 día de antelación.%', 'un día, not "1 días"');
select alike(pg_temp.call('asst_two_days', 'cw_3', now() + interval '5 days'),
  'beyond_horizon That is too far ahead: we take bookings up to 2 days in advance.%', 'other counts keep the plural');
select alike(pg_temp.call('asst_one_day', 'cw_4', date_trunc('minute', now()) + interval '1 minute'),
  'too_soon That is too soon: we need at least 1 minute of notice.%', 'one minute, not "1 minutes"');
select alike(pg_temp.call('asst_un_dia', 'cw_5', date_trunc('minute', now()) + interval '1 minute'),
  'too_soon Es demasiado pronto: necesitamos al menos 1 minuto de antelación.%', 'un minuto, not "1 minutos"');
select alike(pg_temp.call('asst_two_days', 'cw_6', date_trunc('minute', now()) + interval '1 minute'),
  'too_soon That is too soon: we need at least 2 minutes of notice.%', '2 minutes');

update public.organizations set min_notice_minutes = 60 where id = '75000000-0000-4000-8000-00000000000a';
update public.organizations set min_notice_minutes = 120 where id in ('75000000-0000-4000-8000-00000000000b',
                                                                      '75000000-0000-4000-8000-00000000000c');
select alike(pg_temp.call('asst_one_day', 'cw_7', date_trunc('minute', now()) + interval '30 minutes'),
  'too_soon That is too soon: we need at least 1 hour of notice.%', 'an hour, not "60 minutes"');
select alike(pg_temp.call('asst_two_days', 'cw_8', date_trunc('minute', now()) + interval '30 minutes'),
  'too_soon That is too soon: we need at least 2 hours of notice.%', '2 hours, not "120 minutes"');
select alike(pg_temp.call('asst_un_dia', 'cw_9', date_trunc('minute', now()) + interval '30 minutes'),
  'too_soon Es demasiado pronto: necesitamos al menos 2 horas de antelación.%', '2 horas');

select * from finish();
rollback;
