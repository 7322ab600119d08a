-- check_availability of a range whose last day comes before its first, given as bare days, is refused as such — not
-- read as the one start `from` = `to` asks about (20261206064627, helper-114); a bare day for both, or a `to` that
-- names the same time as `from`, is still what it was.
begin;
select plan(4);

select d1, to_char(d1::date - 1, 'YYYY-MM-DD') as d0
from (select tests.future_weekday('America/New_York', 20) as d1) as d \gset
select private.say('en', 'availability.reversed') as reversed \gset

select is(tests.tool_call('check', 'asst_hvac_company_assistant', 'rev_days', jsonb_build_object('from', :'d1', 'to', :'d0'))
            - 'replayed' - 'organization_id' - 'resolved_by' - 'language',
  jsonb_build_object('ok', false, 'reason', 'invalid_arguments', 'result', null, 'error', :'reversed'),
  'from a day to the day before: the range ends before it starts');
select is(tests.tool_call('check', 'asst_hvac_company_assistant', 'rev_midnight',
            jsonb_build_object('from', :'d1' || 'T00:00', 'to', :'d0')) ->> 'error', :'reversed',
  'from that day''s midnight to the day before: the same');
select is(tests.tool_call('check', 'asst_hvac_company_assistant', 'same_day', jsonb_build_object('from', :'d1', 'to', :'d1'))
            ->> 'reason', 'available', 'from a day to the same day: that whole day');
select is(tests.tool_call('check', 'asst_hvac_company_assistant', 'one_start',
            jsonb_build_object('from', :'d1' || 'T00:00', 'to', :'d1' || 'T00:00')) ->> 'reason', 'unavailable',
  'from = to with a time: that one start (midnight: closed)');

select * from finish();
rollback;
