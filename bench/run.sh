#!/usr/bin/env bash
# SkillQuest load benchmark, one command.
#
#   bench/run.sh                 # full run (1M users): starts PostgreSQL, Redis, server and worker (-Xmx256m each),
#                                # seeds, measures, compares with pgbench / redis-benchmark; ~10-15 min
#   bench/run.sh --quick         # 100k users, 5 s per scenario; ~4 min, for iteration
#   bench/run.sh --jfr           # also record JFR on server and worker and print their hottest frames
#   bench/run.sh --keep          # leave PostgreSQL, Redis, server and worker running afterwards
#   bench/run.sh http://127.0.0.1:8080
#                                # measure an already running SkillQuest instead; seeding needs its stores:
#                                # SKILLQUEST_DB_URL/USER/PASSWORD and SKILLQUEST_REDIS_URL (use a scratch database!)
#   bench/run.sh --no-http       # seeding + raw limits only (no server needed; schema applied from sql/)
#   bench/run.sh --grader        # instead of LoadRun: grader results beside submits, API-client auth cost (GraderRun)
#   bench/run.sh --events        # only the event outbox: award throughput with events on vs off, webhook
#                                # throughput to a local receiver (EventsBench; bench/results/events.md)
#
# Results: bench/results/latest.md; the SPEC 8 table (measured / limit / ratio / target / verdict) is printed at
# the end. Logs and data: $BENCH_WORK (default /tmp/skillquest-bench).
# Ports (all 127.0.0.1): PostgreSQL 55432, Redis 56379, HTTP 18080 (BENCH_PG_PORT, BENCH_REDIS_PORT, BENCH_HTTP_PORT).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
quick="" jfr="" keep="" nohttp="" base="" grader="" events=""
for arg in "$@"; do
  case "$arg" in
    --quick) quick="--quick" ;;
    --jfr) jfr=1 ;;
    --keep) keep=1 ;;
    --no-http) nohttp="--no-http" ;;
    --grader) grader=1 ;;
    --events) events=1 ;;
    http://*|https://*) base="$arg" ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (see bench/run.sh --help)" >&2; exit 2 ;;
  esac
done

WORK="${BENCH_WORK:-/tmp/skillquest-bench}"
PG_PORT="${BENCH_PG_PORT:-55432}"
REDIS_PORT="${BENCH_REDIS_PORT:-56379}"
HTTP_PORT="${BENCH_HTTP_PORT:-18080}"
RESULTS="${BENCH_RESULTS:-$here/results}"
mkdir -p "$WORK" "$RESULTS"
say() { printf '[%(%T)T] %s\n' -1 "$*"; }

# ---------------------------------------------------------------- tools
need_apt=()
pgbin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
{ [[ -n "$pgbin" && -x "$pgbin/initdb" ]] && command -v pgbench >/dev/null; } || need_apt+=(postgresql postgresql-contrib)
command -v redis-server >/dev/null || need_apt+=(redis-server)
command -v redis-benchmark >/dev/null && command -v redis-cli >/dev/null || need_apt+=(redis-tools)
if ((${#need_apt[@]})); then
  say "installing ${need_apt[*]} with apt-get"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  pgbin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
fi
command -v jcmd >/dev/null || say "jcmd not found: memory figures will be partial"

# ---------------------------------------------------------------- build the harness
jar="$here/target/skillquest-bench.jar"
if [[ ! -f "$jar" || -n "$(find "$here/src" "$here/pom.xml" -newer "$jar" -print -quit)" ]]; then
  # the harness links against skillquest-core as a Maven artifact: install this tree's copy first,
  # so a stale one in ~/.m2 cannot break the build
  say "building bench/ (installs this tree's skillquest-core into ~/.m2 first)"
  (cd "$root" && mvn -B -q -DskipTests -pl skillquest-core install)
  mvn -B -q -f "$here/pom.xml" package -DskipTests
fi

loadrun() {
  # bounded: the harness stops itself, this is the backstop
  timeout --signal=TERM 1800 java -Xms512m -Xmx2g -cp "$jar" io.skillquest.bench.LoadRun $quick $nohttp "$@"
}

# ---------------------------------------------------------------- an already running SkillQuest
if [[ -n "$base" ]]; then
  say "measuring $base (stores from SKILLQUEST_DB_URL / SKILLQUEST_REDIS_URL)"
  BENCH_RESULTS="$RESULTS" BENCH_WORK="$WORK" loadrun "$base"
  exit $?
fi

# ---------------------------------------------------------------- our own PostgreSQL and Redis
pids=()
cleanup() {
  set +e
  # workers LoadRun restarted with other settings
  [[ -f "$WORK/extra.pids" ]] && while read -r pid; do pids+=("$pid"); done < "$WORK/extra.pids"
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null
  done
  if [[ -n "$jfr" ]]; then
    for f in "$RESULTS"/server.jfr "$RESULTS"/worker.jfr; do
      [[ -f "$f" ]] || continue
      out="${f%.jfr}-top-frames.txt"
      # the top frame of every execution sample, counted: where the CPU time went
      jfr print --events jdk.ExecutionSample "$f" | awk '/stackTrace = \[/{getline; print}' \
        | sed -E 's/^[[:space:]]+//; s/[[:space:]]+line:.*//' | sort | uniq -c | sort -rn | head -40 > "$out"
      say "JFR top frames: $out"; head -15 "$out"
      if [[ -f "$WORK/windows.tsv" ]]; then
        breakdown="${f%.jfr}-breakdown.txt"
        "$here/jfr-summary.sh" "$f" "$WORK/windows.tsv" > "$breakdown" 2>/dev/null || true
        say "CPU samples per scenario by library: $breakdown"; cat "$breakdown"
      fi
    done
  fi
  runuser -u postgres -- "$pgbin/pg_ctl" -D "$WORK/pg" -m fast stop >/dev/null 2>&1
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1
}

say "starting PostgreSQL ($pgbin) on 127.0.0.1:$PG_PORT and Redis on 127.0.0.1:$REDIS_PORT under $WORK"
runuser -u postgres -- "$pgbin/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true
redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
rm -rf "$WORK/pg" "$WORK/pgsock"
mkdir -p "$WORK/pg" "$WORK/pgsock"
chown postgres:postgres "$WORK/pg" "$WORK/pgsock"
chmod 755 "$WORK"
runuser -u postgres -- "$pgbin/initdb" -D "$WORK/pg" -U postgres -A trust -E UTF8 --no-sync >/dev/null
cat >> "$WORK/pg/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$WORK/pgsock'
max_connections = 200
shared_buffers = 1GB
max_wal_size = 4GB
checkpoint_timeout = 15min
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = top
pg_stat_statements.track_planning = on
EOF
trap cleanup EXIT
runuser -u postgres -- "$pgbin/pg_ctl" -D "$WORK/pg" -l "$WORK/pg/postgres.log" -w -t 60 start >/dev/null
psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 <<'EOF'
CREATE ROLE skillquest LOGIN PASSWORD 'skillquest';
CREATE DATABASE skillquest OWNER skillquest;
\c skillquest
CREATE EXTENSION pg_stat_statements;
EOF
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --dir "$WORK" --pidfile "$WORK/redis.pid" --logfile "$WORK/redis.log"
for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

export BENCH_RESULTS="$RESULTS" BENCH_WORK="$WORK"
export BENCH_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/skillquest" BENCH_DB_USER=postgres BENCH_DB_PASSWORD=""
export BENCH_APP_DB_ROLE=skillquest BENCH_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"

if [[ -n "$nohttp" ]]; then
  psql -q -h 127.0.0.1 -p "$PG_PORT" -U skillquest -d skillquest -v ON_ERROR_STOP=1 -f "$root/sql/V1__init.sql"
  loadrun
  exit $?
fi

if [[ -n "$events" ]]; then
  worker_jar="${BENCH_WORKER_JAR:-$root/skillquest-worker/target/skillquest-worker.jar}"
  [[ -f "$worker_jar" ]] || (cd "$root" && mvn -B -q -DskipTests package)
  SKILLQUEST_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/skillquest" SKILLQUEST_DB_USER=skillquest \
    SKILLQUEST_DB_PASSWORD=skillquest SKILLQUEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT" \
    BENCH_WORKER_JAR="$worker_jar" \
    timeout --signal=TERM 1800 java -Xmx1g -cp "$jar" io.skillquest.bench.EventsBench $quick
  exit $?
fi

# ---------------------------------------------------------------- SkillQuest, external mode, 256 MiB heaps
server_jar="${BENCH_SERVER_JAR:-$root/skillquest-server/target/skillquest-server.jar}"
worker_jar="${BENCH_WORKER_JAR:-$root/skillquest-worker/target/skillquest-worker.jar}"
if [[ ! -f "$server_jar" ]]; then
  say "building SkillQuest (mvn -B -q -DskipTests package at the root)"
  (cd "$root" && mvn -B -q -DskipTests package)
fi
separate_worker=""
if [[ -f "$worker_jar" ]] && unzip -l "$worker_jar" 'io/skillquest/worker/WorkerMain.class' >/dev/null 2>&1; then
  separate_worker=1
fi

export SKILLQUEST_ENV=production
export SKILLQUEST_PORT="$HTTP_PORT"
export SKILLQUEST_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/skillquest" SKILLQUEST_DB_USER=skillquest SKILLQUEST_DB_PASSWORD=skillquest
export SKILLQUEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT" SKILLQUEST_REDIS_PREFIX="skillquest:"
export SKILLQUEST_JWT_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d '\n')"
export SKILLQUEST_CORS_ORIGINS=""
export SKILLQUEST_ADMIN_USERNAME=admin SKILLQUEST_ADMIN_PASSWORD="bench-admin-$RANDOM$RANDOM"
export SKILLQUEST_BCRYPT_COST=10
export SKILLQUEST_WORKER_METRICS_PORT="${BENCH_WORKER_METRICS_PORT:-19091}"
# every request of the load comes from 127.0.0.1: the per-IP limit on /auth/* would measure only 429s
export SKILLQUEST_AUTH_IP_LIMIT="100000000/1s"
# every player logs in and starts attempts from 127.0.0.1 (LoadRun and GraderRun alike)
export SKILLQUEST_LOGIN_IP_LIMIT="${SKILLQUEST_LOGIN_IP_LIMIT:-100000000/1s}"
export SKILLQUEST_ATTEMPT_START_LIMIT="${SKILLQUEST_ATTEMPT_START_LIMIT:-100000000/1s}"
if [[ -n "$grader" ]]; then
  # one grader client sends the whole load
  export SKILLQUEST_CLIENT_RATE_LIMIT="${SKILLQUEST_CLIENT_RATE_LIMIT:-100000000/1s}"
fi
heap=(-Xms256m -Xmx256m -XX:+ExitOnOutOfMemoryError)

jfr_opt() { [[ -n "$jfr" ]] && echo "-XX:StartFlightRecording=filename=$RESULTS/$1.jfr,settings=profile,dumponexit=true" || true; }

say "starting server (-Xmx256m${separate_worker:+, worker separately}) on 127.0.0.1:$HTTP_PORT"
SKILLQUEST_RUN_WORKER=$([[ -n "$separate_worker" ]] && echo false || echo true) \
  java "${heap[@]}" $(jfr_opt server) -jar "$server_jar" > "$WORK/server.log" 2>&1 &
server_pid=$!
pids+=("$server_pid")
for _ in $(seq 1 240); do
  curl -fsS "http://127.0.0.1:$HTTP_PORT/api/v1/health" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { say "server exited:"; tail -40 "$WORK/server.log"; exit 1; }
  sleep 0.5
done
worker_pid=0
if [[ -n "$separate_worker" ]]; then
  say "starting worker (-Xmx256m)"
  java "${heap[@]}" $(jfr_opt worker) -jar "$worker_jar" > "$WORK/worker.log" 2>&1 &
  worker_pid=$!
  pids+=("$worker_pid")
fi

rm -f "$WORK/extra.pids"
export BENCH_SERVER_PID="$server_pid" BENCH_WORKER_PID="$worker_pid" BENCH_WORKER_JAR="${separate_worker:+$worker_jar}"
export BENCH_SERVER_LOG="$WORK/server.log" BENCH_WORKER_LOG="$WORK/worker.log"
export BENCH_BASE_URL="http://127.0.0.1:$HTTP_PORT"
status=0
if [[ -n "$grader" ]]; then
  timeout --signal=TERM 900 java -Xmx1g -cp "$jar" io.skillquest.bench.GraderRun "$BENCH_BASE_URL" || status=$?
else
  loadrun || status=$?
fi
if [[ -n "$keep" ]]; then
  say "--keep: leaving server ($server_pid), worker ($worker_pid), PostgreSQL and Redis running"
  trap - EXIT
fi
exit $status
