-- Each statement of a tool call is planned once per connection, not at every call (20261204094000_planned_once.sql):
-- pg_stat_statements (scripts/test starts PostgreSQL with it, as hosted Supabase does) counts how often every
-- statement inside the tool functions was planned; twenty calls of each tool must not plan any statement twenty times.
-- Also the staff-hours rule that the change rewrote: overlapping rows hold a job that spans them, and a row inside a
-- spring-forward gap is empty, not an error; and an organization with texts off gets only "off" and its sender
-- (20261204100000_texts_off_stop_early.sql). Call events too (20261204100500_helpers_as_plpgsql.sql).
begin;
select plan(17);

select ok(current_setting('shared_preload_libraries') ~ 'pg_stat_statements',
  'pg_stat_statements is loaded (shared_preload_libraries)');
-- Counting nested plans needs a role that may set pg_stat_statements.track (a superuser: scripts/test's `postgres`;
-- not the `postgres` role of a Supabase project, where `supabase test db` skips the counts).
select case when current_setting('shared_preload_libraries') ~ 'pg_stat_statements'
            then has_parameter_privilege('pg_stat_statements.track', 'SET')
                 and has_parameter_privilege('pg_stat_statements.track_planning', 'SET')
            else false end as can_count \gset

-- Statistics as autovacuum keeps them in production (custom plans can look cheaper once tables have them).
analyze public.organizations, public.customer_configurations, public.business_hours, public.closed_dates,
  public.staff_members, public.staff_hours, public.staff_services, public.staff_time_off, public.services,
  public.appointments, public.call_logs, public.tool_call_executions, public.notifications;
insert into public.organizations (id, name, timezone) values
  ('69000000-0000-4000-8000-00000000000a', 'Planned Once', 'America/New_York');
insert into public.customer_configurations (organization_id, vapi_assistant_id, sms_preferences) values
  ('69000000-0000-4000-8000-00000000000a', 'asst_planned_once', '{"enabled": true}'); -- texts: confirmation, reminder
insert into public.business_hours (organization_id, weekday, opens_at, closes_at)
select '69000000-0000-4000-8000-00000000000a', d, '08:00', '17:00' from generate_series(0, 6) as d;
insert into public.staff_members (id, organization_id, name)
select ('69000000-0000-4000-8000-0000000000b' || i)::uuid, '69000000-0000-4000-8000-00000000000a', 'Tech ' || i
from generate_series(1, 3) as i;
insert into public.staff_hours (organization_id, staff_member_id, weekday, opens_at, closes_at)
select '69000000-0000-4000-8000-00000000000a', ('69000000-0000-4000-8000-0000000000b' || i)::uuid, d, '08:00', '17:00'
from generate_series(0, 6) as d, generate_series(1, 3) as i;
insert into public.services (organization_id, name, duration_minutes, buffer_minutes) values
  ('69000000-0000-4000-8000-00000000000a', 'Repair', 60, 30);

/** Twenty calls of one tool for customers 1..20 on days 15..34 from now; the distinct reasons they were answered. */
create function pg_temp.twenty(p_tool text, p_time text, p_args jsonb) returns text language sql as $$
  select string_agg(distinct tests.tool_call(p_tool, 'asst_planned_once', 'planned_' || p_tool || p_time || i,
           p_args || jsonb_build_object('start_time', (current_date + 14 + i)::text || 'T' || p_time,
                                        'new_start_time', (current_date + 14 + i)::text || 'T13:00',
                                        'date', (current_date + 14 + i)::text, 'customer_name', 'Customer ' || i),
           '+1555010' || (1000 + i))->>'reason', ',')
  from generate_series(1, 20) as i $$;

-- In one transaction (a pgTAP file) PostgreSQL keeps a `language sql` helper's plan between calls of a plpgsql
-- expression, so the counts below cannot see them; a tool call or call event is a transaction of its own, where they
-- are planned again at every call. Only cold paths (a calendar feed, a text's retry) may keep such helpers.
select is(array_agg(p.proname::text order by p.proname), array['calendar_feed_token_hash', 'notification_retry_delay', 'to_utc_iso'],
  'no other language sql function with set search_path (each call would be planned anew)')
from pg_proc as p
where p.pronamespace in ('public'::regnamespace, 'private'::regnamespace)
  and p.prolang = (select oid from pg_language where lanname = 'sql') and p.proconfig is not null;
-- A young database (a page a table) makes PostgreSQL prefer custom plans for the own-appointment check at every call;
-- a redefinition that drops its setting would bring that back (20261206051830_own_appointment_planned_once.sql).
select ok((select proconfig @> array['plan_cache_mode=force_generic_plan'] from pg_proc
           where oid = 'private.own_appointment_sentence(private.tool_call_context, timestamptz, timestamptz, uuid, uuid)'::regprocedure),
  'the own-appointment check is planned once per connection (force_generic_plan)');
\if :can_count
create extension if not exists pg_stat_statements;
set local pg_stat_statements.track = 'all';
set local pg_stat_statements.track_planning = on;
/**
 * Statements inside the functions that ran at least 20 times and were planned at each run, or that were JIT-compiled
 * at all (~250 ms each: 20261206040954_webhook_rpcs_without_jit.sql), since the last reset.
 */
create function pg_temp.planned_every_time() returns text[] language sql as $$
  select coalesce(array_agg(case when jit_functions > 0 then 'JIT ' else '' end || plans || '/' || calls || ' '
                            || left(regexp_replace(query, '\s+', ' ', 'g'), 100)), '{}')
  from pg_stat_statements where not toplevel and ((calls >= 20 and plans >= calls) or jit_functions > 0) $$;
select pg_stat_statements_reset();
select is(pg_temp.twenty('book', '10:00', '{"service": "Repair"}'), 'booked', 'twenty bookings');
select is(pg_temp.planned_every_time(), '{}', '… plan no statement at every call');
select pg_stat_statements_reset();
select is(pg_temp.twenty('book', '10:30', '{"service": "Repair", "staff_name": "Tech 1"}')
          || ' / ' || pg_temp.twenty('book', '03:00', '{"service": "Repair"}')
          || ' / ' || pg_temp.twenty('check', '', '{"service": "Repair"}'),
  'slot_taken / outside_hours / available', 'twenty refusals of each kind and twenty availability checks');
select is(pg_temp.planned_every_time(), '{}', '… plan no statement at every call');
select pg_stat_statements_reset();
select is(pg_temp.twenty('reschedule', '10:00', '{}') || ' / ' || pg_temp.twenty('cancel', '13:00', '{}'),
  'rescheduled / cancelled', 'twenty reschedules and twenty cancellations');
select is(pg_temp.planned_every_time(), '{}', '… plan no statement at every call');
select pg_stat_statements_reset();
select is((select string_agg(distinct public.record_call_event('asst_planned_once', null, 'planned_call_' || i % 5,
             jsonb_build_object('type', 'end-of-call-report', 'timestamp', (now() - interval '1 hour' + i * interval '1 second')::text,
               'startedAt', (now() - interval '2 hours')::text, 'endedAt', (now() - interval '1 hour')::text,
               'endedReason', 'customer-ended-call', 'cost', 0.42, 'summary', 'Booked.', 'transcript', 'AI: Hello.',
               'recordingUrl', 'https://storage.vapi.ai/planned.wav'))->>'ok', ',')
           from generate_series(1, 20) as i), 'true', 'twenty end-of-call reports');
select is(pg_temp.planned_every_time(), '{}', '… plan no statement at every call');
\else
select skip('this role may not set pg_stat_statements.track: plans are not counted', 8);
\endif

-- Staff hours: Nia works 08:00–12:00 and 10:00–14:00 (overlapping rows) every day, and 02:30–03:00 too, which on
-- the spring-forward Sunday does not exist (America/New_York goes from 02:00 to 03:00).
insert into public.organizations (id, name, timezone) values
  ('69000000-0000-4000-8000-00000000000c', 'Round The Clock', 'America/New_York');
insert into public.customer_configurations (organization_id, vapi_assistant_id) values
  ('69000000-0000-4000-8000-00000000000c', 'asst_round_the_clock');
insert into public.staff_members (id, organization_id, name) values
  ('69000000-0000-4000-8000-0000000000c1', '69000000-0000-4000-8000-00000000000c', 'Nia');
insert into public.staff_hours (organization_id, staff_member_id, weekday, opens_at, closes_at)
select '69000000-0000-4000-8000-00000000000c', '69000000-0000-4000-8000-0000000000c1', d, w.opens, w.closes
from generate_series(0, 6) as d,
  (values (time '08:00', time '12:00'), (time '10:00', time '14:00'), (time '02:30', time '03:00')) as w(opens, closes);
-- The next spring-forward Sunday (the second Sunday of March) at least a day ahead.
select to_char(s, 'YYYY-MM-DD') as spring from (
  select min(d) as s from generate_series(date_trunc('year', current_date), date_trunc('year', current_date) + interval '2 years', interval '1 day') as d
  where extract(month from d) = 3 and extract(dow from d) = 0 and extract(day from d) between 8 and 14 and d > current_date) as x \gset

select is(tests.tool_call('book', 'asst_round_the_clock', 'rtc_1', jsonb_build_object('start_time', (current_date + 5)::text || 'T09:00',
            'customer_name', 'Ola', 'duration_minutes', 240))->>'reason',
  'booked', '09:00–13:00 lies in 08:00–12:00 and 10:00–14:00 together: booked');
select is(tests.tool_call('check', 'asst_round_the_clock', 'rtc_2', jsonb_build_object('date', :'spring', 'duration_minutes', 30))->>'reason',
  'available', 'the spring-forward Sunday, with a row inside its missing hour, is answered');

-- Havana's fall-back repeats midnight: its first 00:00–01:00 belongs to the day before (a row closing at 24:00).
insert into public.organizations (id, name, timezone, max_advance_days) values
  ('69000000-0000-4000-8000-00000000000d', 'Havana Night', 'America/Havana', 3650);
insert into public.customer_configurations (organization_id, vapi_assistant_id) values
  ('69000000-0000-4000-8000-00000000000d', 'asst_havana_night');
insert into public.staff_members (id, organization_id, name) values
  ('69000000-0000-4000-8000-0000000000d1', '69000000-0000-4000-8000-00000000000d', 'Rey');
insert into public.staff_hours (organization_id, staff_member_id, weekday, opens_at, closes_at)
select '69000000-0000-4000-8000-00000000000d', '69000000-0000-4000-8000-0000000000d1', d, '00:00', '24:00'
from generate_series(0, 6) as d;
-- Next year's Havana fall-back: the first Sunday of November, 01:00 → 00:00.
select to_char(make_date(y, 11, 1) + (7 - extract(dow from make_date(y, 11, 1))::int) % 7, 'YYYY-MM-DD') as ha_sun
from (select extract(year from now())::int + 1 as y) as y \gset
select is(tests.tool_call('book', 'asst_havana_night', 'hn_1', jsonb_build_object('start_time', :'ha_sun' || 'T00:30:00-04:00',
            'customer_name', 'Ola', 'duration_minutes', 30))->>'reason',
  'booked', 'Havana: the first 00:30 of the fall-back night is Rey''s working time (his 24-hour day before it)');
select alike(tests.tool_call('check', 'asst_havana_night', 'hn_2', jsonb_build_object('date', :'ha_sun', 'duration_minutes', 30))->>'result',
  '%12:00 AM, before the clocks go back%', '… and the day''s first open time is the first midnight');

-- Texts off (Round The Clock has no sms_preferences): off, the line texts queued before go out from, nothing else.
update public.customer_configurations set vapi_phone_number = '+15550106900'
where organization_id = '69000000-0000-4000-8000-00000000000c';
select is((select row(s.enabled, s.from_phone, s.confirmation, s.reminder_lead, s.language)::text
           from private.sms_settings('69000000-0000-4000-8000-00000000000c') as s),
  row(false, '+15550106900', null::boolean, null::interval, null::text)::text, 'texts off: only "off" and the sender');
select is((select row(s.enabled, s.from_phone, s.confirmation, s.reminder_lead, s.quiet_start, s.language)::text
           from private.sms_settings('69000000-0000-4000-8000-00000000000a') as s),
  row(true, null::text, true, interval '24 hours', time '21:00', 'en')::text, 'texts on: every setting, as before');

select * from finish();
rollback;
