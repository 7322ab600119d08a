# shellcheck shell=bash
# Shared by scripts/dev and scripts/test: install what is missing (idempotently), run throw-away PostgreSQL
# clusters, and build a database the way a Supabase user does (bootstrap stand-in + `supabase db reset --db-url`).

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TOOLS_DIR="$ROOT/.local/tools"
PG_BIN=/usr/lib/postgresql/15/bin
DENO_VERSION=2.9.6
SUPABASE_CLI_VERSION=3.1.0
export PATH="$TOOLS_DIR/node_modules/.bin:$PATH"
export DENO_NO_UPDATE_CHECK=1 SUPABASE_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1

# usage_of SCRIPT: the script's header comment (every line after the shebang up to the first non-comment line).
usage_of() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$1"; }

log() { printf '[%s] %s\n' "$(basename "$0")" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# pg_home: where this checkout's PostgreSQL clusters live. Normally $ROOT/.local; but as root the server runs as the
# `postgres` OS user, which cannot enter a checkout under a private folder such as /root (mode 700). Then the
# clusters live in /var/tmp/vapi-webhook-<checkout hash> instead (the user's folder permissions stay untouched).
pg_home() {
  mkdir -p "$ROOT/.local"
  if [ "$(id -u)" != 0 ] || runuser -u postgres -- test -x "$ROOT/.local" 2>/dev/null; then
    echo "$ROOT/.local"
  else
    local base
    base="/var/tmp/vapi-webhook-$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"
    mkdir -p "$base" && chmod 755 "$base"
    echo "$ROOT" >"$base/checkout" # says whose clusters these are (scripts/uninstall-style cleanup, README)
    echo "$base"
  fi
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Runs a PostgreSQL server binary as the `postgres` OS user when we are root (initdb refuses root).
# From / : the postgres user may not enter the folder we run in (it complained on every run).
as_pg() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }

ensure_apt_packages() {
  local missing=() pkg
  for pkg in postgresql-15 postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl postgresql-15-plpgsql-check; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  command -v curl >/dev/null || missing+=(curl)
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]} (apt)"
  local out="$ROOT/.local/apt-install.log"
  mkdir -p "$ROOT/.local"
  { as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
    >"$out" 2>&1 || { cat "$out" >&2; die "apt-get install ${missing[*]} failed (log above)"; }
}

# npm install into .local/tools. --prefix alone also moves npm's global config to <prefix>/etc/npmrc: the machine's
# own (a proxy's CA file or registry set there, which every other npm command reads) is named explicitly.
npm_install_tools() {
  npm install --prefix "$TOOLS_DIR" --globalconfig "$(npm config get globalconfig)" --no-audit --no-fund "$@"
}

ensure_npm_tools() {
  # Versions from the installed package.json files: running the CLI just to ask costs ~2 s.
  installed() { sed -n 's/^[[:space:]]*"version":[[:space:]]*"\([^"]*\)".*/\1/p' "$TOOLS_DIR/node_modules/$1/package.json" 2>/dev/null | head -1; }
  if [ -x "$TOOLS_DIR/node_modules/.bin/deno" ] && [ -x "$TOOLS_DIR/node_modules/.bin/supabase" ] &&
    [ "$(installed deno)" = "$DENO_VERSION" ] && [ "$(installed supabase)" = "$SUPABASE_CLI_VERSION" ]; then
    return 0
  fi
  command -v npm >/dev/null || die "npm is required (Node.js 20)"
  log "installing deno@$DENO_VERSION and supabase@$SUPABASE_CLI_VERSION (npm, into .local/tools)"
  mkdir -p "$TOOLS_DIR"
  [ -f "$TOOLS_DIR/package.json" ] || echo '{"private": true}' >"$TOOLS_DIR/package.json"
  # Quiet when it works, the installer's own words when it does not.
  npm_install_tools --loglevel=error \
    "deno@$DENO_VERSION" "supabase@$SUPABASE_CLI_VERSION" >"$ROOT/.local/npm-install.log" 2>&1 ||
    { cat "$ROOT/.local/npm-install.log" >&2; die "npm install failed (log above; is the npm registry reachable?)"; }
}

ensure_tools() {
  ensure_apt_packages
  ensure_npm_tools
  # Fetch npm: dependencies once, up front, so the first test or request does not pay for it.
  (cd "$ROOT" && deno cache --quiet supabase/functions/vapi-webhook/index.ts local-stack/*.ts 2>/dev/null) || true
}

# start_cluster DIR PORT [extra postgres -c options...]: init (once) and start a loopback-only cluster.
start_cluster() {
  local dir=$1 port=$2; shift 2
  local opts="-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c max_connections=100 $*"
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_pg "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; die "initdb failed in $dir (log above)"; }
  fi
  if as_pg "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    return 0
  fi
  # Our ports lie in Linux's ephemeral range: a client socket can hold one, so a busy port is retried. Seen here: an
  # outgoing connection that used the port as its source, in TIME-WAIT, which Linux keeps 60 s — so up to 70 s.
  local attempt attempts=35
  for attempt in $(seq "$attempts"); do
    as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -o "$opts" -w -t 30 start >/dev/null && return 0
    tail -n 5 "$dir/postgres.log" 2>/dev/null | grep -q "Address already in use" || break
    echo "[${TAG:-stack}] port $port is busy (attempt $attempt of $attempts: $(port_holder "$port")); retrying" >&2
    sleep 2
  done
  die "PostgreSQL did not start on port $port (see $dir/postgres.log)"
}

# port_holder PORT: the sockets using PORT locally, for a "port is busy" message (empty when ss is missing).
port_holder() { ss -Htanp "( sport = :$1 )" 2>/dev/null | awk '{print $1, $4, "->", $5, $6}' | paste -sd';' -; }

stop_cluster() {
  local dir=$1
  [ -f "$dir/data/PG_VERSION" ] || return 0
  as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

# The webhook secret every local tool uses, decided in this one place and in the same order as scripts/dev:
# VAPI_WEBHOOK_SECRET from the environment, else from supabase/functions/.env, else the development default.
export_local_secret() {
  local file="$ROOT/supabase/functions/.env"
  if [ -z "${VAPI_WEBHOOK_SECRET:-}" ] && [ -f "$file" ]; then
    # Deno's own --env-file parser, as scripts/dev hands the file to the function (comments, quotes, `export`).
    ensure_npm_tools
    # --no-config: whatever deno.json the current folder has, it is not read.
    VAPI_WEBHOOK_SECRET=$(env -u VAPI_WEBHOOK_SECRET deno eval --no-config --env-file="$file" \
      'console.log(Deno.env.get("VAPI_WEBHOOK_SECRET") ?? "")') || die "cannot read $file"
  fi
  export VAPI_WEBHOOK_SECRET=${VAPI_WEBHOOK_SECRET:-$DEV_WEBHOOK_SECRET}
}
DEV_WEBHOOK_SECRET=dev-vapi-secret-change-me

port_is_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# --- long-running tools (scripts/bench, scripts/stress) ----------------------------------------------------------------
# claim_run NAME: one run of NAME at a time (its pid in pg_home), so a second run stops at once and touches nothing of
# the first; a pid that is gone (a run killed -9) frees the name. release_run NAME at the end.
claim_run() {
  local file; file="$(pg_home)/$1.pid"
  mkdir -p "$(pg_home)"
  if [ -f "$file" ] && kill -0 "$(cat "$file")" 2>/dev/null; then die "another run uses $1 (pid $(cat "$file"))"; fi
  echo $$ >"$file"
}
release_run() { rm -f "$(pg_home)/$1.pid"; }
# run_interruptibly CMD…: CMD in the background, waited for — bash runs a trap only after its foreground child has
# ended, so a Ctrl-C or SIGTERM would otherwise wait for the whole step.
run_interruptibly() { "$@" & wait $!; }
# stop_children [PID]: every process below PID (default: this script), deepest first.
stop_children() {
  local child
  for child in $(pgrep -P "${1:-$$}"); do stop_children "$child"; kill -TERM "$child" 2>/dev/null || true; done
}

db_url() { echo "postgresql://postgres:postgres@127.0.0.1:$1/postgres?sslmode=disable"; }

psql_port() { local port=$1; shift; PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres "$@"; }

# build_database PORT: a brand-new `postgres` database, the Supabase stand-in, then migrations + seed applied
# by the Supabase CLI exactly as on a hosted project (`db push`). Not `db reset`: without Docker it also drops
# the stand-in `auth` schema that the migrations reference.
build_database() {
  local port=$1
  psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d template1 \
    -c 'drop database if exists postgres with (force)' -c 'create database postgres' >/dev/null
  push_migrations "$port" --include-seed
}

# push_migrations PORT [flags]: apply pending migrations with `supabase db push` (keeps data).
push_migrations() {
  local port=$1 output; shift
  psql_port "$port" -f "$ROOT/scripts/sql/local-supabase-bootstrap.sql" >/dev/null
  # The CLI's output is shown only when it fails (nothing is left behind per port).
  output=$(cd "$ROOT" && supabase db push --remote="$(db_url "$port")" --yes --include-all "$@" 2>&1) ||
    { printf '%s\n' "$output" >&2
      die "supabase db push failed: the migration named above did not apply (nothing of it was kept, each file is one" \
        "transaction); fix that file in supabase/migrations, or delete it, and run the command again"; }
}

# generate_types PORT OUT: supabase-js types of the `public` schema as the migrations built it (`supabase gen types`,
# Docker-free against a database URL), formatted like the rest of the code.
generate_types() {
  local port=$1 out=$2
  (cd "$ROOT" && supabase gen types typescript --remote="$(db_url "$port")" --schema public \
    >"$ROOT/.local/gen-types.raw.ts" 2>"$ROOT/.local/gen-types.log") ||
    { cat "$ROOT/.local/gen-types.log" >&2; die "supabase gen types failed"; }
  # Through stdin: the config's fmt excludes (.local/) must not decide whether the output gets formatted.
  (cd "$ROOT" && deno fmt --ext ts - <"$ROOT/.local/gen-types.raw.ts" >"$out")
}
TYPES_FILE=supabase/functions/_shared/database.types.ts

# --- Twilio's API contract, offline (scripts/test) -------------------------------------------------------------------
# Prism serves a mock of Twilio's own OpenAPI spec (shipped in @twilio-alpha/mcp) that answers 422 to any request the
# spec does not allow; the SMS tests send through it.
PRISM_VERSION=5.16.0
TWILIO_MCP_VERSION=0.7.0
TWILIO_SPEC="$TOOLS_DIR/node_modules/@twilio-alpha/mcp/twilio-oai/spec/json/twilio_api_v2010.json"

ensure_twilio_mock_tools() {
  if [ -f "$TWILIO_SPEC" ] && [ -x "$TOOLS_DIR/node_modules/.bin/prism" ] &&
    grep -q "\"version\": \"$TWILIO_MCP_VERSION\"" "$TOOLS_DIR/node_modules/@twilio-alpha/mcp/package.json" &&
    [ "$(prism --version 2>/dev/null)" = "$PRISM_VERSION" ]; then
    return 0
  fi
  log "installing @stoplight/prism-cli@$PRISM_VERSION and @twilio-alpha/mcp@$TWILIO_MCP_VERSION (npm, into .local/tools)"
  mkdir -p "$TOOLS_DIR"
  [ -f "$TOOLS_DIR/package.json" ] || echo '{"private": true}' >"$TOOLS_DIR/package.json"
  npm_install_tools --silent \
    "@stoplight/prism-cli@$PRISM_VERSION" "@twilio-alpha/mcp@$TWILIO_MCP_VERSION" >/dev/null
}

# start_twilio_mock PORT LOGFILE: Prism on 127.0.0.1:PORT (dynamic examples: every message gets its own SID);
# prints its pid. Waits until it listens.
start_twilio_mock() {
  local port=$1 logfile=$2 pid
  prism mock --dynamic --errors --host 127.0.0.1 --port "$port" "$TWILIO_SPEC" >"$logfile" 2>&1 &
  pid=$!
  for _ in $(seq 240); do
    grep -q "Prism is listening" "$logfile" && { echo "$pid"; return 0; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  kill "$pid" 2>/dev/null
  cat "$logfile" >&2
  die "the Twilio mock did not start on port $port"
}
