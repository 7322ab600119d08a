-- Supabase Cron → the SMS dispatcher every minute, on a HOSTED project (not a migration: it holds a secret and needs
-- pg_cron + pg_net, which local PostgreSQL here does not have). Run once in the SQL editor or with psql, after:
--   scripts/supabase secrets set NOTIFICATIONS_DISPATCH_SECRET=<long random string> TWILIO_ACCOUNT_SID=... ...
--   scripts/supabase functions deploy notifications-dispatch --no-verify-jwt --use-api
-- and enabling the pg_cron and pg_net extensions (Dashboard → Database → Extensions). Fill in the two values in the
-- keep_in_vault lines below. Running it again updates the stored URL and secret and the job (cron.schedule replaces a
-- job of the same name). The unedited file refuses to run.
--
-- PostgreSQL logs a failing statement whole: each value appears only in its own statement, after every check that can
-- fail, so a mistake never puts the secret into the database's log.
do $$
begin
  if (select count(*) from pg_catalog.pg_extension where extname in ('pg_cron', 'pg_net')) < 2 then
    raise exception 'enable the pg_cron and pg_net extensions first (Dashboard → Database → Extensions)';
  end if;
end;
$$;

-- Both values live in Vault, never in the job's text (cron.job is readable by more roles than the secret should be).
create function pg_temp.keep_in_vault(p_name text, p_value text)
  returns void
  language plpgsql
as $$
begin
  if p_value ~ '^REPLACE_ME' then
    raise exception 'fill in the value of % in this file first', p_name;
  elsif exists (select 1 from vault.secrets where name = p_name) then
    perform vault.update_secret((select id from vault.secrets where name = p_name), p_value);
  else
    perform vault.create_secret(p_value, p_name);
  end if;
end;
$$;

select pg_temp.keep_in_vault('project_url', 'REPLACE_ME https://<project-ref>.supabase.co');
select pg_temp.keep_in_vault('notifications_dispatch_secret', 'REPLACE_ME the NOTIFICATIONS_DISPATCH_SECRET value');

select cron.schedule('notifications-dispatch', '* * * * *', $job$
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
