-- An event time is a written date (20261204164200_event_times_are_dates.sql): PostgreSQL's special words (`epoch`,
-- `now`, `today`, `allballs`, Julian days) are unreadable, not 1970 or the moment of the insert; real ISO-8601 times
-- are read as before, in every form PostgreSQL reads (20261204173500).
begin;
select plan(5);

select is_empty($$ select w from unnest(array['epoch', 'now', 'today', 'tomorrow', 'yesterday', 'allballs', 'J2451187',
                                             'infinity', '-infinity', ' epoch ', 'Dec 4 2026', '1796400000']) as w
                   where private.try_timestamptz(w) is not null $$,
  'special words, Julian days, other date styles and bare numbers are unreadable');
select results_eq($$ select private.try_timestamptz(w) from unnest(array['2026-12-04T16:00:00Z', '2026-12-04T11:00:00.250-05:00',
                                                                          '2026-12-04 16:00', '2026-12-04T17:00:00+0100']) as w $$,
  $$ values ('2026-12-04T16:00:00Z'::timestamptz), ('2026-12-04T16:00:00.250Z'), ('2026-12-04T16:00:00Z'), ('2026-12-04T16:00:00Z') $$,
  'ISO-8601 times are read as before');
select is_empty($$ select w from unnest(array['2026-12-04t16:00:00z', '20261204T160000Z', '2026-12-04 16:00:00 UTC',
                                             '2026-12-04T16:00:00GMT', '2026-12-04T21:45:00+05:45:00']) as w
                   where private.try_timestamptz(w) is distinct from '2026-12-04T16:00:00Z' $$,
  'other ISO-8601 forms are read (lower-case t and z, basic form, UTC/GMT, an offset with seconds) (20261204173500)');
select is(private.try_timestamptz('2026-02-30T10:00:00Z'), null, 'a date that does not exist is unreadable, as before');

insert into public.organizations (id, name, timezone) values ('76000000-0000-4000-8000-00000000000a', 'Epoch Heating', 'UTC');
insert into public.customer_configurations (organization_id, vapi_assistant_id) values
  ('76000000-0000-4000-8000-00000000000a', 'asst_epoch_heating');
select public.record_call_event('asst_epoch_heating', null, 'call_epoch_1',
  jsonb_build_object('type', 'end-of-call-report', 'startedAt', 'epoch', 'endedAt', to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')));
select results_eq($$ select started_at, duration_seconds from public.call_logs where vapi_call_id = 'call_epoch_1' $$,
  $$ values (null::timestamptz, null::numeric) $$, 'a report whose startedAt is "epoch" stores no start and no 57-year duration');

select * from finish();
rollback;
