-- Business hours (20261125122953_business_hours.sql, private.open_slots in *_appointments.sql, private.time_problem in
-- *_booking_rpc.sql): weekly windows read in the organization's own zone, closing time inclusive for the end, closed
-- dates, "no hours = open 24/7", the slot grid and DST.
-- Dates are relative to now() (psql variables below): a winter week at least 8 weeks ahead, when New York is on EST
-- (-05:00), and the next US DST changes.
begin;
select plan(25);

-- Seeded tenants: HVAC Company (America/New_York, Mon–Fri 08:00–18:00), Plumbing Company (America/Los_Angeles,
-- Mon–Sat 07:00–19:00). Fixtures: an emergency line without hours (24/7) and a tenant on a 20-minute grid.
select tests.create_organization('Hours 24/7', 'America/New_York', 'asst_bh_247') as org247 \gset
select tests.create_organization('Hours Grid 20', 'America/New_York', 'asst_bh_grid') as orggrid \gset
update public.organizations set slot_minutes = 20 where id = :'orggrid';
\set hvac '''d91e4aa4-914a-4d76-b5b7-2ee26e09b2a2'''
\set plumb '''6d593c7a-b00f-47be-8f77-cc4d1231f706'''

-- tue…sun of a week and wed2, the Wednesday after (YYYY-MM-DD, New York dates), all on EST (-05:00): the week of the
-- first Monday at least 8 weeks ahead when that Monday falls between January 1 and February 20, else of the first
-- Monday of the next January. fri_md: Friday as spoken ("January 29").
select to_char(m + 1, 'YYYY-MM-DD') as tue, to_char(m + 2, 'YYYY-MM-DD') as wed, to_char(m + 3, 'YYYY-MM-DD') as thu,
       to_char(m + 4, 'YYYY-MM-DD') as fri, to_char(m + 5, 'YYYY-MM-DD') as sat, to_char(m + 6, 'YYYY-MM-DD') as sun,
       to_char(m + 9, 'YYYY-MM-DD') as wed2, to_char(m + 4, 'FMMonth FMDD') as fri_md
from (select case when extract(month from m1) <= 2 and m1 <= make_date(extract(year from m1)::int, 2, 20) then m1
                  else make_date(extract(year from m1)::int + 1, 1, 1)
                       + (8 - extract(isodow from make_date(extract(year from m1)::int + 1, 1, 1))::int) % 7 end as m
      from (select s + (8 - extract(isodow from s)::int) % 7 as m1
            from (select (now() at time zone 'America/New_York')::date + 56 as s) as s) as m1) as m \gset

-- sp / fa: the next US DST spring-forward (2nd Sunday of March) and fall-back (1st Sunday of November) Sundays whose
-- Saturday is still ahead in New York, so every slot from that Saturday 00:00 on is in the future.
select to_char(sp - 1, 'YYYY-MM-DD') as sp_sat, to_char(sp, 'YYYY-MM-DD') as sp, to_char(sp + 2, 'YYYY-MM-DD') as sp_tue,
       to_char(fa - 1, 'YYYY-MM-DD') as fa_sat, to_char(fa + 2, 'YYYY-MM-DD') as fa_tue
from (select min(s) filter (where s - 1 > l) as sp, min(f) filter (where f - 1 > l) as fa
      from (select (now() at time zone 'America/New_York')::date as l) as t,
           lateral (select make_date(y, 3, 1) + (7 - extract(dow from make_date(y, 3, 1))::int) % 7 + 7 as s,
                           make_date(y, 11, 1) + (7 - extract(dow from make_date(y, 11, 1))::int) % 7 as f
                    from generate_series(extract(year from l)::int, extract(year from l)::int + 1) as y) as d) as d \gset

-- [start, end) in New York wall-clock time, as timestamptz.
create function pg_temp.ny(p_local text) returns timestamptz language sql as $$
  select p_local::timestamp at time zone 'America/New_York' $$;

create temp table rpc (k text primary key, r jsonb);
grant select, insert on rpc to service_role;

-- =====================================================================================================================
-- Section - private.is_within_business_hours: HVAC, Mon–Fri 08:00–18:00 New York
-- =====================================================================================================================
select is(private.is_within_business_hours(:hvac, 'America/New_York', pg_temp.ny(:'tue' || ' 10:00'), pg_temp.ny(:'tue' || ' 11:00')),
  true, 'HVAC: Tuesday 10:00–11:00 is inside opening hours');
select is(private.is_within_business_hours(:hvac, 'America/New_York', pg_temp.ny(:'tue' || ' 08:00'), pg_temp.ny(:'tue' || ' 09:00')),
  true, 'HVAC: Tuesday 08:00 (exactly at opening) is inside opening hours');
select is(private.is_within_business_hours(:hvac, 'America/New_York', pg_temp.ny(:'tue' || ' 07:30'), pg_temp.ny(:'tue' || ' 08:30')),
  false, 'HVAC: Tuesday 07:30 (before opening) is refused');
select is(private.is_within_business_hours(:hvac, 'America/New_York', pg_temp.ny(:'tue' || ' 17:00'), pg_temp.ny(:'tue' || ' 18:00')),
  true, 'HVAC: Tuesday 17:00–18:00 (ends exactly at closing) is inside opening hours');
select is(private.is_within_business_hours(:hvac, 'America/New_York', pg_temp.ny(:'tue' || ' 17:30'), pg_temp.ny(:'tue' || ' 18:30')),
  false, 'HVAC: Tuesday 17:30–18:30 (runs past closing) is refused');
select is(private.is_within_business_hours(:hvac, 'America/New_York', pg_temp.ny(:'sat' || ' 10:00'), pg_temp.ny(:'sat' || ' 11:00')),
  false, 'HVAC: Saturday 10:00 is refused (closed on weekends)');
select is(private.is_within_business_hours(:hvac, 'America/New_York', pg_temp.ny(:'sun' || ' 10:00'), pg_temp.ny(:'sun' || ' 11:00')),
  false, 'HVAC: Sunday 10:00 is refused (closed on weekends)');

-- A closed date shuts the whole local day, and only that day.
insert into public.closed_dates (organization_id, closed_on, reason) values (:hvac, :'wed', 'Staff training');
select is(private.is_within_business_hours(:hvac, 'America/New_York', pg_temp.ny(:'wed' || ' 08:00'), pg_temp.ny(:'wed' || ' 09:00')),
  false, format('HVAC closed date: Wednesday %s 08:00 is refused', :'wed'));
select is(private.is_within_business_hours(:hvac, 'America/New_York', pg_temp.ny(:'wed' || ' 17:00'), pg_temp.ny(:'wed' || ' 18:00')),
  false, format('HVAC closed date: Wednesday %s 17:00 is refused too (the whole day)', :'wed'));
select is(private.is_within_business_hours(:hvac, 'America/New_York', pg_temp.ny(:'thu' || ' 08:00'), pg_temp.ny(:'thu' || ' 09:00')),
  true, format('HVAC closed date: the next day (Thursday %s) is open again', :'thu'));

-- =====================================================================================================================
-- Section - No business_hours rows: open around the clock, except closed dates
-- =====================================================================================================================
select is(private.is_within_business_hours(:'org247', 'America/New_York', pg_temp.ny(:'sun' || ' 03:00'), pg_temp.ny(:'sun' || ' 04:00')),
  true, '24/7: Sunday 03:00 is open for an organization without hours');
select is(private.is_within_business_hours(:'org247', 'America/New_York', pg_temp.ny(:'sat' || ' 23:30'), pg_temp.ny(:'sun' || ' 00:30')),
  true, '24/7: Saturday 23:30 across midnight is open');
insert into public.closed_dates (organization_id, closed_on, reason) values (:'org247', :'wed2', 'Holiday');
select is(private.is_within_business_hours(:'org247', 'America/New_York', pg_temp.ny(:'wed2' || ' 12:00'), pg_temp.ny(:'wed2' || ' 13:00')),
  false, '24/7: a closed date still refuses the whole day');

-- =====================================================================================================================
-- Section - Hours are read in the organization's own zone
-- =====================================================================================================================
-- Tuesday 08:30 New York (EST) = 13:30 UTC = 05:30 Los Angeles (PST).
select is(private.is_within_business_hours(:plumb, 'America/Los_Angeles', pg_temp.ny(:'tue' || ' 08:30'), pg_temp.ny(:'tue' || ' 09:30')),
  false, 'zone: 08:30 New York (05:30 Los Angeles) is refused for Plumbing, which opens 07:00 Los Angeles');
select is(private.is_within_business_hours(:hvac, 'America/New_York', pg_temp.ny(:'tue' || ' 08:30'), pg_temp.ny(:'tue' || ' 09:30')),
  true, 'zone: the same instant is open for HVAC, which opens 08:00 New York');

select tests.authenticate_as_service_role();
insert into rpc values ('plumb_0830_ny', public.resolve_org_and_book('asst_plumbing_company_assistant', null, 'call_bh_zone', 'tc_1',
  jsonb_build_object('start_time', :'tue' || 'T08:30:00-05:00', 'customer_name', 'Zoe')));
insert into rpc values ('hvac_0830_ny', public.resolve_org_and_book('asst_hvac_company_assistant', null, 'call_bh_zone', 'tc_2',
  jsonb_build_object('start_time', :'tue' || 'T08:30:00-05:00', 'customer_name', 'Zoe')));
insert into rpc values ('hvac_saturday', public.resolve_org_and_book('asst_hvac_company_assistant', null, 'call_bh_sat', 'tc_1',
  jsonb_build_object('start_time', :'sat' || 'T10:00', 'customer_name', 'Sam')));
reset role;

select is((select r->>'reason' from rpc where k = 'plumb_0830_ny'), 'outside_hours',
  'zone (RPC): booking 08:30-05:00 for Plumbing is refused as outside_hours');
select is((select r->>'reason' from rpc where k = 'hvac_0830_ny'), 'booked',
  'zone (RPC): booking 08:30-05:00 for HVAC is booked');

-- =====================================================================================================================
-- Section - Booking outside hours: reason, spoken error with open times and zone, nothing written
-- =====================================================================================================================
select results_eq($$ select (r->>'ok')::boolean, r->>'reason', r->>'result', r->>'resolved_by' from rpc where k = 'hvac_saturday' $$,
  $$ values (false, 'outside_hours', null::text, 'assistant_id') $$,
  'outside hours: Saturday 10:00 for HVAC → ok=false, reason outside_hours, no result');
-- Nearest to Saturday 10:00 (one day back to two weeks ahead) are Friday's last three 60-minute starts.
select is((select r->>'error' from rpc where k = 'hvac_saturday'),
  format('We are closed that day. Nearest open times: Friday, %1$s at 4:00 PM (%2$sT16:00:00-05:00); '
    || 'Friday, %1$s at 4:30 PM (%2$sT16:30:00-05:00); Friday, %1$s at 5:00 PM (%2$sT17:00:00-05:00). '
    || 'Times are in New York time. Nothing was booked.', :'fri_md', :'fri'),
  'outside hours: the error lists the nearest open times (spoken and ISO with offset) and names the zone');
select is((select count(*)::int from public.appointments where vapi_call_id = 'call_bh_sat')
        + (select count(*)::int from public.tool_call_executions where vapi_call_id = 'call_bh_sat')
        + (select count(*)::int from public.call_logs where vapi_call_id = 'call_bh_sat'), 0,
  'outside hours: nothing written (no appointment, no ledger row, no call log)');

-- =====================================================================================================================
-- Section - Slot grid: organizations.slot_minutes
-- =====================================================================================================================
select results_eq(format($$ select * from private.open_slots(%L, %L, %L, interval '20 minutes', 10) $$,
    :'orggrid', pg_temp.ny(:'tue' || ' 10:00'), pg_temp.ny(:'tue' || ' 11:00')),
  format($$ values (%L::timestamptz), (%L), (%L) $$,
    pg_temp.ny(:'tue' || ' 10:00'), pg_temp.ny(:'tue' || ' 10:20'), pg_temp.ny(:'tue' || ' 10:40')),
  'grid: slot_minutes = 20 offers 10:00, 10:20, 10:40 in one hour');
select results_eq(format($$ select * from private.open_slots(%L, %L, %L, interval '20 minutes', 10) $$,
    :'org247', pg_temp.ny(:'tue' || ' 10:00'), pg_temp.ny(:'tue' || ' 11:00')),
  format($$ values (%L::timestamptz), (%L) $$, pg_temp.ny(:'tue' || ' 10:00'), pg_temp.ny(:'tue' || ' 10:30')),
  'grid: the default slot_minutes = 30 offers 10:00 and 10:30 in the same hour');

-- =====================================================================================================================
-- Section - DST: the grid is laid in local wall-clock time
-- =====================================================================================================================
-- Spring forward (Sunday sp): 02:00 EST → 03:00 EDT; 02:00–02:59 does not exist in New York.
select results_eq(format($$ select private.to_local_iso(s, 'America/New_York') from private.open_slots(%L, %L, %L, interval '30 minutes', 20) as s $$,
    :'org247', pg_temp.ny(:'sp' || ' 00:00'), pg_temp.ny(:'sp' || ' 05:00')),
  format($$ values ('%1$sT00:00:00-05:00'), ('%1$sT00:30:00-05:00'), ('%1$sT01:00:00-05:00'), ('%1$sT01:30:00-05:00'),
                   ('%1$sT03:00:00-04:00'), ('%1$sT03:30:00-04:00'), ('%1$sT04:00:00-04:00'), ('%1$sT04:30:00-04:00') $$, :'sp'),
  'DST spring forward: slots stay on local :00/:30, skip the missing hour, and are not duplicated');
select is((select count(*)::int || ' slots, ' || count(*) filter (where extract(minute from s at time zone 'America/New_York') not in (0, 30)) || ' off grid'
           from private.open_slots(:'org247', pg_temp.ny(:'sp_sat' || ' 00:00'), pg_temp.ny(:'sp_tue' || ' 00:00'), interval '30 minutes', 500) as s),
  '142 slots, 0 off grid',
  format('DST spring forward: %s…%s offers 3 × 48 − 2 slots (one local hour missing), none off the local :00/:30 grid',
         :'sp_sat', :'sp_tue'::date - 1));
-- Fall back (the Sunday after fa_sat): 02:00 EDT → 01:00 EST.
select is((select count(*) filter (where extract(minute from s at time zone 'America/New_York') not in (0, 30))::int
           from private.open_slots(:'org247', pg_temp.ny(:'fa_sat' || ' 00:00'), pg_temp.ny(:'fa_tue' || ' 00:00'), interval '30 minutes', 500) as s
           having count(*) > 0), 0,
  format('DST fall back: %s…%s offers slots, none off the local :00/:30 grid', :'fa_sat', :'fa_tue'::date - 1));

select * from finish();
rollback;
