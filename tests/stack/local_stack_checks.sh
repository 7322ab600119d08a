# shellcheck shell=bash
# Sourced by scripts/test: the local stack exactly as a user runs it — scripts/dev --reset on spare ports, the
# README's curl, simulated calls on each demo tenant (scripts/call), scripts/doctor, the onboarding template — then
# SIGTERM and a check that nothing is left running. Uses pass/fail from scripts/test.

STACK_API_PORT=${STACK_API_PORT:-54341}
STACK_DB_PORT=${STACK_DB_PORT:-54342}
STACK_PG_DIR="$(pg_home)/test-dev-pg"
STACK_SECRET=stack-test-secret
STACK_URL="http://127.0.0.1:$STACK_API_PORT/functions/v1/vapi-webhook"
STACK_DB_URL=$(db_url "$STACK_DB_PORT")

check() {
  local description=$1; shift
  if "$@" >>.local/stack-checks.log 2>&1; then pass 1; else fail 1 "$description (see .local/stack-checks.log)"; fi
}
check_fails() {
  local description=$1; shift
  if "$@" >>.local/stack-checks.log 2>&1; then fail 1 "$description (expected a failure)"; else pass 1; fi
}

readme_curl_books() {
  local reply
  reply=$(curl -sS -X POST "$STACK_URL" -H "Content-Type: application/json" -H "X-Vapi-Secret: $STACK_SECRET" \
    -d @examples/book-appointment.tool-calls.json)
  echo "$reply"
  grep -q '\\"status\\": \\"booked\\"' <<<"$reply" &&
    [ "$(psql -X -At "$STACK_DB_URL" -c "select count(*) from appointments where vapi_call_id = 'readme-demo-call-0001' and start_time = '2030-03-05 15:00:00+00'")" = 1 ]
}

readme_calendar_feed() { # the README's SQL makes a feed URL that answers text/calendar with scripts/call's booking
  local token headers
  token=$(psql -X -At "$STACK_DB_URL" -c "select public.create_calendar_feed('d91e4aa4-914a-4d76-b5b7-2ee26e09b2a2')")
  headers=$(curl -sS -D - -o .local/stack-feed.ics "http://127.0.0.1:$STACK_API_PORT/functions/v1/calendar-feed/$token.ics")
  grep -qi '^content-type: text/calendar' <<<"$headers" && grep -q '^BEGIN:VCALENDAR' .local/stack-feed.ics &&
    grep -q '^SUMMARY:simulated visit – Sam Simulator' .local/stack-feed.ics && ! grep -q "$token" .local/stack-dev.log
}

template_with() { # organization uuid, assistant id, line → the filled-in template on stdout
  sed -e "s/'REPLACE_ME_ORGANIZATION_UUID'/'$1'/" -e "s/'REPLACE_ME Company name'/'Template Test Co'/" \
    -e "s/'REPLACE_ME_VAPI_ASSISTANT_ID'/'$2'/" -e "s/v_vapi_phone_number text := null;/v_vapi_phone_number text := '$3';/" \
    supabase/templates/onboard_tenant.sql
}

stdout_is_json_lines() {
  [ -s "$1" ] && deno eval --quiet 'const lines = Deno.readTextFileSync(Deno.args[0]).trim().split("\n");
    for (const l of lines) { const o = JSON.parse(l); if (typeof o !== "object" || !o.request_id) throw new Error(l); }' "$1"
}
: >.local/stack-checks.log
LOCAL_API_PORT=$STACK_API_PORT LOCAL_DB_PORT=$STACK_DB_PORT DEV_PG_DIR=$STACK_PG_DIR VAPI_WEBHOOK_SECRET=$STACK_SECRET \
  scripts/dev --reset >.local/stack-dev.out 2>.local/stack-dev.log &
stack_pid=$!
for _ in $(seq 600); do grep -q ready .local/stack-dev.log && break; kill -0 "$stack_pid" 2>/dev/null || break; sleep 0.2; done
if grep -q ready .local/stack-dev.log; then
  pass 1
  check_fails "a secret from the environment is never printed" grep -q "$STACK_SECRET" .local/stack-dev.log
  check "README curl books for the HVAC demo tenant" readme_curl_books
  check "README curl again replays, still one appointment" readme_curl_books
  check "scripts/call: HVAC by assistant id" scripts/call --url "$STACK_URL" --secret "$STACK_SECRET" \
    --assistant asst_hvac_company_assistant
  check "scripts/call: Plumbing by its line, then call id only" scripts/call --url "$STACK_URL" \
    --secret "$STACK_SECRET" --phone "+1 (555) 010-0002" --call-id-only
  check "scripts/call: web call of the Plumbing assistant" scripts/call --url "$STACK_URL" --secret "$STACK_SECRET" \
    --web --assistant asst_plumbing_company_assistant
  check "README calendar feed URL answers text/calendar with the simulated booking (token not logged)" readme_calendar_feed
  check "scripts/call: Metro HVAC (staff, services) with a service and a named technician" scripts/call \
    --url "$STACK_URL" --secret "$STACK_SECRET" --assistant asst_metro_hvac_assistant --service "AC repair" --staff Maria
  check_fails "scripts/call: unknown assistant must fail" scripts/call --url "$STACK_URL" --secret "$STACK_SECRET" \
    --assistant asst_nobody
  check_fails "scripts/call: wrong secret must fail" scripts/call --url "$STACK_URL" --secret wrong
  check "scripts/doctor resolves the HVAC assistant" scripts/doctor asst_hvac_company_assistant --db-url "$STACK_DB_URL"
  check_fails "scripts/doctor explains an unknown key" scripts/doctor asst_nobody --db-url "$STACK_DB_URL"
  check_fails "the unedited onboarding template refuses to run" \
    psql -X -q -v ON_ERROR_STOP=1 -1 "$STACK_DB_URL" -f supabase/templates/onboard_tenant.sql
  check_fails "the template refuses a line that is not E.164" psql -X -q -v ON_ERROR_STOP=1 -1 "$STACK_DB_URL" \
    -f <(template_with 7c0d5a38-2f1e-4b8e-9d77-3f0a1b2c3d4e asst_template_test 555-0100)
  check_fails "the template refuses an assistant id already active elsewhere" \
    psql -X -q -v ON_ERROR_STOP=1 -1 "$STACK_DB_URL" \
    -f <(template_with 7c0d5a38-2f1e-4b8e-9d77-3f0a1b2c3d4e asst_hvac_company_assistant +15550100077)
  check "the filled-in onboarding template onboards a tenant" psql -X -q -v ON_ERROR_STOP=1 -1 "$STACK_DB_URL" \
    -f <(template_with 7c0d5a38-2f1e-4b8e-9d77-3f0a1b2c3d4e asst_template_test +15550100077)
  check "the onboarded tenant takes a simulated call" scripts/call --url "$STACK_URL" --secret "$STACK_SECRET" \
    --phone +15550100077
  check "notifications-dispatch is served and refuses a request without its secret" \
    test "$(curl -s -o /dev/null -w '%{http_code}' -X POST "${STACK_URL%/vapi-webhook}/notifications-dispatch")" = 401
  check "notifications-dispatch runs with the development secret (no Twilio account: claims nothing)" \
    grep -q '"claimed":0' <(curl -sS -X POST -H "Authorization: Bearer dev-dispatch-secret-change-me" \
      "${STACK_URL%/vapi-webhook}/notifications-dispatch")
  check_fails "the unedited Supabase Cron template refuses to run" \
    psql -X -q -v ON_ERROR_STOP=1 "$STACK_DB_URL" -f supabase/templates/schedule_notifications_dispatch.sql
  check "the filled-in Supabase Cron template parses and asks for pg_cron + pg_net" bash -c "sed -e \"s|'REPLACE_ME[^']*'|'https://cron-template.supabase.co'|\" \
    supabase/templates/schedule_notifications_dispatch.sql | psql -X -q -v ON_ERROR_STOP=1 '$STACK_DB_URL' 2>&1 | grep -q 'enable the pg_cron and pg_net'"
  check "… also sent whole as one batch, as the SQL editor does" bash -c "psql -X -q '$STACK_DB_URL' \
    -c \"\$(sed -e \"s|'REPLACE_ME[^']*'|'https://cron-template.supabase.co'|\" supabase/templates/schedule_notifications_dispatch.sql)\" 2>&1 |
    grep -q 'enable the pg_cron and pg_net'"
  check "… and it holds no secret to fill in: the only value is the project URL (Vault makes the secret)" \
    test "$(grep -c "REPLACE_ME" supabase/templates/schedule_notifications_dispatch.sql):$(grep -c "REPLACE_ME https://<project-ref>.supabase.co" supabase/templates/schedule_notifications_dispatch.sql)" = "1:1"
  check "sms-inbound refuses an unsigned request" \
    test "$(curl -s -o /dev/null -w '%{http_code}' -X POST -d 'Body=STOP' "${STACK_URL%/vapi-webhook}/sms-inbound")" = 401
  check "the template onboards services and staff" psql -X -q -v ON_ERROR_STOP=1 -1 "$STACK_DB_URL" -f <(
    template_with 7c0d5a38-2f1e-4b8e-9d77-3f0a1b2c3d4f asst_template_staff +15550100078 |
      sed -e "s/v_services jsonb := '\[\]';/v_services jsonb := '[{\"name\": \"Tune-up\", \"duration_minutes\": 45}]';/" \
        -e "s/v_staff jsonb := '\[\]';/v_staff jsonb := '[{\"name\": \"Maria Lopez\", \"services\": [\"Tune-up\"]}]';/")
  check "the onboarded staffed tenant books a named technician" scripts/call --url "$STACK_URL" \
    --secret "$STACK_SECRET" --phone +15550100078 --service tune-up --staff maria
  check_fails "…nor logged" grep -q "$STACK_SECRET" .local/stack-dev.out
  check "scripts/dev's stdout is only JSON log lines (scripts/dev | jq works)" stdout_is_json_lines .local/stack-dev.out
else
  fail 1 "scripts/dev never printed ready (see .local/stack-dev.log)"
fi
kill -TERM "$stack_pid" 2>/dev/null
wait "$stack_pid" 2>/dev/null
stack_left_running() {
  (exec 3<>"/dev/tcp/127.0.0.1/$STACK_API_PORT") 2>/dev/null || (exec 3<>"/dev/tcp/127.0.0.1/$STACK_DB_PORT") 2>/dev/null
}
check_fails "SIGTERM stops everything scripts/dev started" stack_left_running
says_start_dev() { local out; out=$(env LOCAL_API_PORT="$STACK_API_PORT" LOCAL_DB_PORT="$STACK_DB_PORT" "$@" 2>&1 || true); grep -q "start the local stack" <<<"$out"; }
check "without a stack, scripts/call says to start scripts/dev" says_start_dev scripts/call
check "without a stack, scripts/doctor says to start scripts/dev" says_start_dev scripts/doctor asst_x
