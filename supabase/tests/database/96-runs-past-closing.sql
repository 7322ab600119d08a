-- A job that would start inside the hours but end after closing is told so (20261205*_runs_past_closing.sql), not
-- "We are not open at that time"; a start outside the hours still is.
begin;
select plan(4);

insert into public.organizations (id, name, timezone, default_appointment_minutes) values
  ('96000000-0000-4000-8000-00000000000a', 'Closes At Five', 'America/Denver', 60);
insert into public.customer_configurations (organization_id, vapi_assistant_id, primary_language) values
  ('96000000-0000-4000-8000-00000000000a', 'asst_closes_at_five', 'en');
insert into public.business_hours (organization_id, weekday, opens_at, closes_at)
select '96000000-0000-4000-8000-00000000000a', d, '09:00', '17:00' from generate_series(0, 6) as d;
select to_char((now() at time zone 'America/Denver')::date + 10, 'YYYY-MM-DD') as day \gset
create function pg_temp.refusal(p_at text, p_language text default 'en') returns text language sql as $$
  select r ->> 'reason' || ': ' || split_part(split_part(r ->> 'error', ' Nearest', 1), ' Los horarios', 1)
  from (select tests.tool_call('book', 'asst_closes_at_five', 'close_' || p_at || p_language,
                               jsonb_build_object('start_time', p_at, 'customer_name', 'Ola')) as r) as x $$;

select is(pg_temp.refusal(:'day' || 'T16:30'), 'outside_hours: That would not finish within our opening hours.',
  'an hour from 16:30 when closing is 17:00: runs past closing');
select is(pg_temp.refusal(:'day' || 'T17:30'), 'outside_hours: We are not open at that time.',
  'a start after closing: not open');
select is(tests.tool_call('book', 'asst_closes_at_five', 'close_fits', jsonb_build_object('start_time', :'day' || 'T16:00',
            'customer_name', 'Ola')) ->> 'reason', 'booked', 'an hour from 16:00 ends at closing: booked');
update public.customer_configurations set primary_language = 'es' where vapi_assistant_id = 'asst_closes_at_five';
select is(pg_temp.refusal(:'day' || 'T16:45', 'es'), 'outside_hours: No terminaría dentro de nuestro horario de atención.',
  'in Spanish');

select * from finish();
rollback;
