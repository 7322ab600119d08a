-- Supabase Cron → the SMS dispatcher every minute, on a HOSTED project (not a migration: it holds a secret and needs
-- pg_cron + pg_net, which local PostgreSQL here does not have). Run once in the SQL editor or with psql, after:
--   scripts/supabase secrets set NOTIFICATIONS_DISPATCH_SECRET=<long random string> TWILIO_ACCOUNT_SID=... ...
--   scripts/supabase functions deploy notifications-dispatch --no-verify-jwt --use-api
-- and enabling the pg_cron and pg_net extensions (Dashboard → Database → Extensions). Running it again updates the
-- stored URL and secret and the job (cron.schedule replaces a job of the same name). The unedited file refuses to run.
do $$
declare
  v_project_url text := 'REPLACE_ME https://<project-ref>.supabase.co';
  v_dispatch_secret text := 'REPLACE_ME the NOTIFICATIONS_DISPATCH_SECRET value';
  v_name text;
  v_value text;
begin
  if v_project_url like 'REPLACE_ME%' or v_dispatch_secret like 'REPLACE_ME%' then
    raise exception 'fill in v_project_url and v_dispatch_secret at the top of this file first';
  end if;
  if (select count(*) from pg_catalog.pg_extension where extname in ('pg_cron', 'pg_net')) < 2 then
    raise exception 'enable the pg_cron and pg_net extensions first (Dashboard → Database → Extensions)';
  end if;

  -- Both values live in Vault, never in the job's text (cron.job is readable by more roles than the secret should be).
  for v_name, v_value in
    select * from (values ('project_url', v_project_url), ('notifications_dispatch_secret', v_dispatch_secret)) as s
  loop
    if exists (select 1 from vault.secrets where name = v_name) then
      perform vault.update_secret((select id from vault.secrets where name = v_name), v_value);
    else
      perform vault.create_secret(v_value, v_name);
    end if;
  end loop;

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
end;
$$;
