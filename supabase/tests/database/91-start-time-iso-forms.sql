-- start_time in the ISO-8601 forms clients write (20261205002800_start_time_iso_forms.sql, an offset
-- after a space: 20261205173214): extended and basic form,
-- any fraction, a decimal comma, hours only; kept to the minute; without an offset, the organization's wall clock.
begin;
select plan(16);

select is(private.parse_start_time(c.input, 'America/New_York'), c.want::timestamptz, c.what)
from (values
  ('2027-05-07T12:00:00.1234567Z', '2027-05-07 12:00Z', '.NET round-trip format: 7 fraction digits'),
  ('2027-05-07T14:00:00.0000000+00:00', '2027-05-07 14:00Z', '7 fraction digits with an offset'),
  ('2027-05-07T13:00:00,5Z', '2027-05-07 13:00Z', 'a decimal comma'),
  ('20270501T130000Z', '2027-05-01 13:00Z', 'basic format with seconds'),
  ('20270501T1300+0200', '2027-05-01 11:00Z', 'basic format with a basic offset'),
  ('20270501T1300', '2027-05-01 17:00Z', 'basic format without an offset: New York''s wall clock (EDT)'),
  ('2027-05-07T16Z', '2027-05-07 16:00Z', 'hours only, UTC'),
  ('2027-05-07T16', '2027-05-07 20:00Z', 'hours only, wall clock'),
  ('2027-11-07T01:30:00.999999', '2027-11-07 05:30Z', 'a repeated wall-clock time is its first occurrence (EDT)'),
  ('2027-05-07 10:00 -05:00', '2027-05-07 15:00Z', 'an offset after a space'),
  ('2027-05-07T10:00:00 Z', '2027-05-07 10:00Z', 'Z after a space')
) as c(input, want, what);

select is(private.parse_start_time(c.input, 'America/New_York'), null::timestamptz, c.what)
from (values
  ('0000-01-01T10:00', 'year 0 does not exist'),
  ('2027-05-07T10:00+16:00', 'an offset beyond ±15:59'),
  ('2027-5-07T10:00', 'a one-digit month'),
  ('2027-05-07T10:00:60', 'second 60'),
  ('2027-05-07T10:00:00.', 'a decimal point without digits')
) as c(input, what);

select * from finish();
rollback;
