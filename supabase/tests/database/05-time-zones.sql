-- Time zones (the README and docs/rpc-contract.md): a start_time without offset is wall-clock time in the organization's IANA
-- zone (DST-correct); with an offset or Z it is exactly that instant; results carry the organization's offset.
begin;
select plan(44);

-- =====================================================================================================================
-- Section - private.parse_start_time (fixed 2027 dates: US DST starts 2027-03-14, ends 2027-11-07)
-- =====================================================================================================================
select is(private.parse_start_time(c.input, c.tz), c.want::timestamptz, c.what)
from (values
  ('2027-03-12T10:00', 'America/New_York', '2027-03-12 15:00Z', 'NY 10:00 on Fri 2027-03-12 (EST, before spring forward) = 15:00Z'),
  ('2027-03-15T10:00', 'America/New_York', '2027-03-15 14:00Z', 'NY 10:00 on Mon 2027-03-15 (EDT, after spring forward) = 14:00Z'),
  ('2027-11-05T10:00', 'America/Los_Angeles', '2027-11-05 17:00Z', 'LA 10:00 on Fri 2027-11-05 (PDT, before fall back) = 17:00Z'),
  ('2027-11-08T10:00', 'America/Los_Angeles', '2027-11-08 18:00Z', 'LA 10:00 on Mon 2027-11-08 (PST, after fall back) = 18:00Z'),
  ('2027-03-15T10:00', 'America/Los_Angeles', '2027-03-15 17:00Z', 'the same wall-clock string in LA is a different instant (17:00Z)'),
  ('2027-03-15 10:00:30', 'America/New_York', '2027-03-15 14:00Z', 'a space separator and seconds are accepted as wall-clock time, kept to the minute'),
  ('2027-03-15T10:00:00.250', 'America/New_York', '2027-03-15 14:00Z', 'fractional seconds are dropped (appointments live on a minute grid)'),
  ('2027-03-15T10:00:00Z', 'America/Los_Angeles', '2027-03-15 10:00Z', 'an explicit Z is that UTC instant, whatever the org zone'),
  ('2027-03-15t10:00:00z', 'America/Los_Angeles', '2027-03-15 10:00Z', 'lower-case t and z are accepted'),
  ('2027-03-15T10:00:00-05:00', 'America/Los_Angeles', '2027-03-15 15:00Z', 'an explicit -05:00 is honoured in an LA org'),
  ('2027-03-15T10:00+0530', 'America/New_York', '2027-03-15 04:30Z', 'a compact +0530 offset is honoured'),
  ('2027-03-15T10:00+02', 'America/New_York', '2027-03-15 08:00Z', 'an hour-only +02 offset is honoured')
) as c(input, tz, want, what);

select is(private.parse_start_time(c.input, 'America/New_York'), null::timestamptz, c.what)
from (values
  ('2027-02-30T10:00', 'a date that does not exist (Feb 30) is not a time'),
  ('2027-03-15', 'a date without a time is not a start time'),
  ('10:00', 'a time without a date is not a start time'),
  ('tomorrow at 3pm', 'natural language is not parsed'),
  ('2027-03-15T25:00', 'hour 25 is not a time'),
  ('', 'an empty string is not a time')) as c(input, what);

select lives_ok($$ do $do$ begin
    if private.parse_start_time('2027-03-15T10:00+16:00', 'America/New_York') is not null then
      raise exception 'parsed an out-of-range offset';
    end if;
  end $do$ $$, 'an out-of-range offset (+16:00) is not a time (null), never an exception');

set local timezone = 'Asia/Tokyo';
select is(private.parse_start_time('2027-03-15T10:00', 'America/New_York'), '2027-03-15 14:00Z'::timestamptz,
  'wall-clock parsing ignores the session TimeZone (Asia/Tokyo here)');
select is(private.to_local_iso('2027-03-15 14:00Z', 'America/New_York'), '2027-03-15T10:00:00-04:00',
  'local ISO formatting ignores the session TimeZone (Asia/Tokyo here)');
reset timezone;

-- =====================================================================================================================
-- Section - private.to_local_iso: the organization's own offset at that instant
-- =====================================================================================================================
select is(private.to_local_iso(c.at::timestamptz, c.tz), c.want, c.what)
from (values
  ('2027-03-12 15:00Z', 'America/New_York', '2027-03-12T10:00:00-05:00', 'NY in winter is written with -05:00'),
  ('2027-03-15 14:00Z', 'America/New_York', '2027-03-15T10:00:00-04:00', 'NY in summer is written with -04:00'),
  ('2027-11-05 17:00Z', 'America/Los_Angeles', '2027-11-05T10:00:00-07:00', 'LA before fall back is written with -07:00'),
  ('2027-11-08 18:00Z', 'America/Los_Angeles', '2027-11-08T10:00:00-08:00', 'LA after fall back is written with -08:00'),
  ('2027-03-15 04:30Z', 'Asia/Kolkata', '2027-03-15T10:00:00+05:30', 'a half-hour zone east of UTC is written with +05:30'),
  ('2027-03-15 10:00Z', 'UTC', '2027-03-15T10:00:00+00:00', 'UTC is written with +00:00')) as c(at, tz, want, what);

-- =====================================================================================================================
-- Section - Through the RPC (24/7 fixture orgs), on next year's US DST weekends
-- =====================================================================================================================
insert into public.organizations (id, name, timezone) values
  ('05000000-0000-4000-8000-00000000000a', 'Zone NY', 'America/New_York'),
  ('05000000-0000-4000-8000-00000000000b', 'Zone LA', 'America/Los_Angeles');
insert into public.customer_configurations (organization_id, vapi_assistant_id) values
  ('05000000-0000-4000-8000-00000000000a', 'asst_tz_ny'), ('05000000-0000-4000-8000-00000000000b', 'asst_tz_la');

-- US rules: DST starts on the 2nd Sunday of March and ends on the 1st Sunday of November (2027: 03-14 and 11-07).
select to_char(s - 2, 'YYYY-MM-DD') as sp_fri, to_char(s + 1, 'YYYY-MM-DD') as sp_mon,
       to_char(f - 2, 'YYYY-MM-DD') as fa_fri, to_char(f + 1, 'YYYY-MM-DD') as fa_mon, to_char(f, 'YYYY-MM-DD') as fa_sun
from (select make_date(y, 3, 1) + (7 - extract(dow from make_date(y, 3, 1))::int) % 7 + 7 as s,
             make_date(y, 11, 1) + (7 - extract(dow from make_date(y, 11, 1))::int) % 7 as f
      from (select extract(year from now())::int + 1 as y) as y) as d \gset

create temp table rpc (k text primary key, r jsonb);
grant select, insert on rpc to service_role;
select tests.authenticate_as_service_role();
insert into rpc select c.k, public.resolve_org_and_book(c.asst, null, 'call_tz', 'tc_' || c.k, c.args)
from (values
  ('ny_fri', 'asst_tz_ny', jsonb_build_object('start_time', :'sp_fri' || 'T10:00', 'customer_name', 'Nia')),
  ('ny_mon', 'asst_tz_ny', jsonb_build_object('start_time', :'sp_mon' || 'T10:00', 'customer_name', 'Nia')),
  ('la_fri', 'asst_tz_la', jsonb_build_object('start_time', :'fa_fri' || 'T10:00', 'customer_name', 'Lia')),
  ('la_mon', 'asst_tz_la', jsonb_build_object('start_time', :'fa_mon' || 'T10:00', 'customer_name', 'Lia')),
  ('ny_z', 'asst_tz_ny', jsonb_build_object('start_time', :'sp_mon' || 'T18:00:00Z', 'customer_name', 'Zed')),
  ('ny_offset', 'asst_tz_ny', jsonb_build_object('start_time', :'sp_fri' || 'T09:00:00-08:00', 'customer_name', 'Oz')),
  ('la_night', 'asst_tz_la', jsonb_build_object('start_time', :'fa_sun' || 'T00:30', 'customer_name', 'Owl',
                                                'duration_minutes', 180))) as c(k, asst, args);
reset role;

select is((select start_time from public.appointments where tool_call_id = 'tc_' || c.k), (c.day || ' ' || c.utc || 'Z')::timestamptz,
  format('RPC %s: stored at %s UTC', c.what, c.utc))
from (values
  ('ny_fri', :'sp_fri', '15:00', 'NY 10:00 on the Friday before spring forward'),
  ('ny_mon', :'sp_mon', '14:00', 'NY 10:00 on the Monday after spring forward'),
  ('la_fri', :'fa_fri', '17:00', 'LA 10:00 on the Friday before fall back'),
  ('la_mon', :'fa_mon', '18:00', 'LA 10:00 on the Monday after fall back'),
  ('ny_z', :'sp_mon', '18:00', 'NY org given 18:00Z'),
  ('ny_offset', :'sp_fri', '17:00', 'NY org given 09:00-08:00'),
  ('la_night', :'fa_sun', '07:30', 'LA 00:30 on the fall-back Sunday')) as c(k, day, utc, what);

select is(((select r->>'result' from rpc where k = c.k)::jsonb ->> 'start_time'), c.day || 'T' || c.local,
  format('RPC %s: result start_time is %s', c.what, c.local))
from (values
  ('ny_fri', :'sp_fri', '10:00:00-05:00', 'NY before spring forward'),
  ('ny_mon', :'sp_mon', '10:00:00-04:00', 'NY after spring forward'),
  ('la_fri', :'fa_fri', '10:00:00-07:00', 'LA before fall back'),
  ('la_mon', :'fa_mon', '10:00:00-08:00', 'LA after fall back'),
  ('ny_z', :'sp_mon', '14:00:00-04:00', 'NY org given Z (shown in New York time)'),
  ('ny_offset', :'sp_fri', '12:00:00-05:00', 'NY org given -08:00 (shown in New York time)'),
  ('la_night', :'fa_sun', '00:30:00-07:00', 'LA booking spanning fall back (starts in PDT)')) as c(k, day, local, what);

select is(((select r->>'result' from rpc where k = 'la_night')::jsonb ->> 'end_time'), :'fa_sun' || 'T02:30:00-08:00',
  'RPC: a 3-hour LA booking across fall back ends at 02:30 PST (elapsed time, not wall-clock arithmetic)');
select is(((select r->>'result' from rpc where k = 'ny_mon')::jsonb ->> 'timezone'), 'America/New_York',
  'RPC: the result names the organization''s zone');
select is((select count(*)::int from public.appointments where vapi_call_id = 'call_tz'), 7,
  'RPC: all seven time-zone bookings were written');

select * from finish();
rollback;
