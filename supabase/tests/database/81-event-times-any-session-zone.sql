-- Call-event times are read the same whatever the database session's time zone (20261204202100): a time with a zone
-- or offset is that instant; one without is UTC (Vapi's times are UTC), not the session's wall clock — a database
-- whose default zone was changed (`alter database … set timezone`) read it hours off before.
begin;
select plan(4);

set local timezone = 'America/New_York';
select results_eq($$ select private.try_timestamptz(w) from unnest(array['2026-12-04 16:00', '2026-12-04T16:00:00',
                                                                          '20261204T160000', '2026-12-04']) as w $$,
  $$ values ('2026-12-04T16:00:00Z'::timestamptz), ('2026-12-04T16:00:00Z'), ('2026-12-04T16:00:00Z'), ('2026-12-04T00:00:00Z') $$,
  'New York session: a time without a zone is UTC');
select is_empty($$ select w from unnest(array['2026-12-04T16:00:00Z', '2026-12-04T11:00:00-05:00', '2026-12-04 16:00:00 UTC',
                                             '2026-12-04T21:45:00+05:45:00', '2026-12-04t16:00:00gmt']) as w
                   where private.try_timestamptz(w) is distinct from '2026-12-04T16:00:00Z' $$,
  'New York session: a time with a zone or offset is that instant');
set local timezone = 'Asia/Tokyo';
select is(private.try_timestamptz('2026-12-04 16:00'), '2026-12-04T16:00:00Z'::timestamptz, 'Tokyo session: UTC too');
select is(private.try_timestamptz('2026-02-30 10:00'), null, 'a date that does not exist is still unreadable');

select * from finish();
rollback;
