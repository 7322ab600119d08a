-- transfer_destination (20261129110200) is called by vapi-webhook too, so it carries the same database-side budget
-- as the other webhook RPCs (20261129130000_rpc_time_budget.sql): the database gives up before the function does.
alter function public.transfer_destination(text, text, text, text) set lock_timeout = '1s';
alter function public.transfer_destination(text, text, text, text) set statement_timeout = '4s';
