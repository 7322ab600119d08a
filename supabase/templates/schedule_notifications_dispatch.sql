-- Supabase Cron → the SMS dispatcher every minute, on a HOSTED project (not a migration: it needs pg_cron + pg_net,
-- which local PostgreSQL here does not have). First enable the pg_cron and pg_net extensions (Dashboard → Database →
-- Extensions) and deploy the function:
--   scripts/supabase functions deploy notifications-dispatch --no-verify-jwt --use-api
-- then fill in the project URL below and run this file once, in the SQL editor or with psql. It makes the dispatch
-- secret itself, in Vault: no secret is written in this file or in any statement, so no failure — of one statement or
-- of the whole file sent as one batch, as the SQL editor does — can put it into PostgreSQL's log. Its last query shows
-- the command that gives the function the same secret:
--   scripts/supabase secrets set NOTIFICATIONS_DISPATCH_SECRET=<shown>
-- Running it again keeps the secret and updates the URL and the job (cron.schedule replaces a job of the same name).
-- The unedited file refuses to run.
do $$
declare
  v_project_url text := 'REPLACE_ME https://<project-ref>.supabase.co';
begin
  if (select count(*) from pg_catalog.pg_extension where extname in ('pg_cron', 'pg_net')) < 2 then
    raise exception 'enable the pg_cron and pg_net extensions first (Dashboard → Database → Extensions)';
  elsif v_project_url !~ '^https?://[^/\s]+$' then
    raise exception 'fill in the project URL in this file first (https://<project-ref>.supabase.co)';
  end if;
  -- Both live in Vault, never in the job's text (cron.job is readable by more roles than the secret should be).
  if exists (select 1 from vault.secrets where name = 'project_url') then
    perform vault.update_secret((select id from vault.secrets where name = 'project_url'), v_project_url);
  else
    perform vault.create_secret(v_project_url, 'project_url');
  end if;
  if not exists (select 1 from vault.secrets where name = 'notifications_dispatch_secret') then
    -- 244 random bits (two version-4 UUIDs), made here so that the value appears in no statement
    perform vault.create_secret(pg_catalog.replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''),
                                'notifications_dispatch_secret');
  end if;
  perform cron.schedule('notifications-dispatch', '* * * * *', $job$
    select net.http_post(
      url := (select decrypted_secret from vault.decrypted_secrets where name = 'project_url')
             || '/functions/v1/notifications-dispatch',
      headers := jsonb_build_object(
        'Content-Type', 'application/json',
        'Authorization', 'Bearer ' || (select decrypted_secret from vault.decrypted_secrets
                                       where name = 'notifications_dispatch_secret')),
      body := '{}'::jsonb,
      timeout_milliseconds := 60000)
  $job$);
  -- pg_cron keeps a row for every run (1 440 a day, never deleted by itself): keep these two jobs' last 7 days.
  perform cron.schedule('notifications-dispatch-history', '17 3 * * *', $job$
    delete from cron.job_run_details
    where jobid in (select jobid from cron.job
                    where jobname in ('notifications-dispatch', 'notifications-dispatch-history'))
      and coalesce(end_time, start_time) < now() - interval '7 days' -- a run cut off by a restart has no end
  $job$);
end;
$$;

-- Run the command this shows in your shell (a query's result is not logged).
select 'scripts/supabase secrets set NOTIFICATIONS_DISPATCH_SECRET=' || decrypted_secret as run_this
from vault.decrypted_secrets
where name = 'notifications_dispatch_secret';
