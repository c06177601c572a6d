#!/usr/bin/env bash
# A local single-node Apache Kafka (KRaft) on 127.0.0.1:9092 for development and tests, run from
# Maven Central jars (see pom.xml) because no Kafka distribution or container can be fetched here.
#
#   kafka.sh up      start it (and the machine's PostgreSQL if that is down); idempotent
#   kafka.sh down    stop what `up` started
#   kafka.sh status  exit 0 if ours runs or any broker answers on 127.0.0.1:9092, 3 if none
#
# State lives in .infra/kafka/ (gitignored): data/, logs/, kafka.pid, classpath.txt. To start
# from an empty log: kafka.sh down && rm -rf .infra/kafka.
# Environment: KAFKA_HEAP_OPTS, KAFKA_JVM_PERFORMANCE_OPTS (as in Kafka's own bin scripts),
# KAFKA_READY_TIMEOUT_S (90); KAFKA_PORT (9092; the controller listens on the next port) and
# KAFKA_STATE_DIR (.infra/kafka) run a second broker beside the first (e.g. one a test may stop
# and start without touching the others').
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/infra/kafka"
PORT="${KAFKA_PORT:-9092}"
STATE="${KAFKA_STATE_DIR:-$ROOT/.infra/kafka}"
case "$STATE" in /*) ;; *) STATE="$ROOT/$STATE" ;; esac
DATA="$STATE/data"
LOGS="$STATE/logs"
PID_FILE="$STATE/kafka.pid"
CLASSPATH_FILE="$STATE/classpath.txt"
# Set when `up` had to start PostgreSQL, so that `down` stops it again and nothing else.
PG_MARKER="$ROOT/.infra/postgres.started-by-infra"
BROKER="127.0.0.1:$PORT"
# server.properties with this broker's ports and data directory, written by `up`.
CONFIG="$STATE/server.properties"
READY_TIMEOUT_S="${KAFKA_READY_TIMEOUT_S:-90}"
# Kafka's own default is 1 GiB; a dev/test broker with a handful of topics needs far less.
HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
# C1 only (TieredStopAtLevel=1): on a 2-core machine C2 compiling the broker's startup competes
# with the startup itself; C1 halves the time to ready (2-4 s instead of 6-7 s cached), and a
# dev/test broker never runs hot enough for C2 code to pay off.
JVM_OPTS="${KAFKA_JVM_PERFORMANCE_OPTS:--XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:TieredStopAtLevel=1 -Djava.awt.headless=true}"

say() { echo "[kafka] $*"; }
seconds_since() { awk -v start="$1" -v now="$EPOCHREALTIME" 'BEGIN { printf "%.1f", now - start }'; }

# Anything listening on the broker port, ours or not.
port_open() { timeout 1 bash -c "exec 3<>/dev/tcp/${BROKER%:*}/${BROKER#*:}" 2>/dev/null; }

# The pid of the broker this script started, if it is still that process (pids get reused).
our_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(<"$PID_FILE")"
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'kafka\.Kafka'; then
    echo "$pid"
    return 0
  fi
  rm -f "$PID_FILE"
  return 1
}

probe() { (cd "$ROOT" && node "$HERE/probe.js" "$BROKER" "$@"); }

ensure_postgres() {
  command -v pg_isready >/dev/null || { say "pg_isready not found: not managing PostgreSQL"; return 0; }
  pg_isready -h 127.0.0.1 -q && return 0
  local version
  version="$(ls /etc/postgresql 2>/dev/null | head -n 1)"
  if [[ -z "$version" ]]; then
    say "PostgreSQL is not running and no cluster is configured in /etc/postgresql"
    return 1
  fi
  say "starting PostgreSQL $version"
  # 9>&-: the server must not inherit (and hold forever) the lock of take_lock.
  pg_ctlcluster --skip-systemctl-redirect "$version" main start 9>&-
  mkdir -p "$(dirname "$PG_MARKER")"
  echo "$version" >"$PG_MARKER"
}

# Resolving through mvn costs ~4 s even offline, so the classpath is kept until pom.xml changes
# or a jar disappears from ~/.m2.
resolve_classpath() {
  if [[ -s "$CLASSPATH_FILE" && "$CLASSPATH_FILE" -nt "$HERE/pom.xml" ]]; then
    local jar missing=0
    while IFS= read -r -d: jar || [[ -n "$jar" ]]; do
      [[ -f "$jar" ]] || { missing=1; break; }
    done <"$CLASSPATH_FILE"
    [[ $missing == 0 ]] && return 0
  fi
  local goal=(-B -q -f "$HERE/pom.xml" dependency:build-classpath
    -Dmdep.includeScope=runtime "-Dmdep.outputFile=$CLASSPATH_FILE.tmp")
  # Offline first: when ~/.m2 already has everything this needs no network at all.
  if ! mvn -o "${goal[@]}" >"$LOGS/mvn.log" 2>&1; then
    say "resolving the broker's jars from Maven Central (first run; cached in ~/.m2 afterwards)"
    local started="$EPOCHREALTIME"
    mvn "${goal[@]}" >"$LOGS/mvn.log" 2>&1 || { cat "$LOGS/mvn.log" >&2; say "mvn failed"; return 1; }
    say "jars resolved in $(seconds_since "$started") s"
  fi
  mv "$CLASSPATH_FILE.tmp" "$CLASSPATH_FILE"
}

# KRaft needs its storage formatted once with a cluster id; --standalone makes this node the
# single voter of the (dynamic) controller quorum named by controller.quorum.bootstrap.servers.
write_config() {
  sed -e "s#127.0.0.1:9092#$BROKER#g" -e "s#127.0.0.1:9093#127.0.0.1:$((PORT + 1))#g" -e "s#^log.dirs=.*#log.dirs=$DATA#" \
    "$HERE/server.properties" >"$CONFIG"
}

format_storage() {
  [[ -f "$DATA/meta.properties" ]] && return 0
  local cluster_id
  # A cluster id is 16 random bytes in URL-safe base64 without padding (what `random-uuid` prints).
  # One that starts with '-' reads as an option to the tool's argument parser (1 in 64 draws), so
  # draw again, as Kafka's own Uuid.randomUuid does.
  cluster_id="-"
  while [[ $cluster_id == -* ]]; do
    cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
  done
  say "formatting $DATA (cluster id $cluster_id)"
  (cd "$ROOT" && java -XX:TieredStopAtLevel=1 -cp "$(<"$CLASSPATH_FILE")" "-Dlog4j2.configurationFile=$HERE/log4j2.properties" \
    "-Dkafka.logs.dir=$LOGS" kafka.tools.StorageTool format \
    --config "$CONFIG" --cluster-id "$cluster_id" --standalone) >"$LOGS/format.log" 2>&1 ||
    { cat "$LOGS/format.log" >&2; say "storage format failed"; return 1; }
}

start_broker() {
  # setsid + nohup: the broker outlives the npm/jest process that ran `up`, and its output goes to
  # a file so a caller reading this script's stdout is not held open by the JVM.
  (
    cd "$ROOT"
    # shellcheck disable=SC2086 # HEAP_OPTS and JVM_OPTS are lists of JVM flags
    setsid nohup java $HEAP_OPTS $JVM_OPTS \
      "-Dlog4j2.configurationFile=$HERE/log4j2.properties" "-Dkafka.logs.dir=$LOGS" \
      -cp "$(<"$CLASSPATH_FILE")" kafka.Kafka "$CONFIG" \
      </dev/null >"$LOGS/stdout.log" 2>&1 9>&- &
    echo $! >"$PID_FILE"
  )
}

# Waits for the broker, or gives up: prints its log, stops it and fails.
wait_ready() {
  local pid="$1"
  if ! probe --timeout "$READY_TIMEOUT_S" --pid "$pid"; then
    say "broker did not become ready; last lines of $LOGS:"
    tail -n 40 "$LOGS/stdout.log" "$LOGS/server.log" >&2 2>/dev/null || true
    stop_broker "$pid"
    return 1
  fi
}

stop_broker() {
  local pid="$1" waited=0
  kill -TERM "$pid" 2>/dev/null || true
  # A clean KRaft shutdown takes a few seconds; after 30 s give up on it.
  while kill -0 "$pid" 2>/dev/null; do
    if ((waited >= 300)); then
      say "broker $pid ignored SIGTERM for 30 s: killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  rm -f "$PID_FILE"
}

# Two `up`s at once (two test runs, two terminals) would both see a free port and start two JVMs
# on one data dir: up and down take turns on a lock. Daemons started under it close fd 9.
take_lock() {
  mkdir -p "$DATA" "$LOGS"
  exec 9>"$STATE/.lock"
  flock 9
}

up() {
  local started="$EPOCHREALTIME" pid
  take_lock
  ensure_postgres
  if pid="$(our_pid)"; then
    probe --timeout "$READY_TIMEOUT_S" --pid "$pid"
    say "already running (pid $pid) on $BROKER"
    return 0
  fi
  if port_open; then
    # Someone else's broker (or another checkout's): use it, never stop it.
    probe --timeout 10
    say "a broker not started by this script already answers on $BROKER: using it"
    return 0
  fi
  command -v java >/dev/null || { say "java not found (Kafka needs Java 17+)"; return 1; }
  command -v mvn >/dev/null || { say "mvn not found (it resolves the broker's jars)"; return 1; }
  resolve_classpath
  write_config
  format_storage
  start_broker
  pid="$(<"$PID_FILE")"
  wait_ready "$pid"
  say "kafka ready on $BROKER in $(seconds_since "$started") s (pid $pid, logs in ${LOGS#"$ROOT"/})"
}

down() {
  local pid
  take_lock
  if pid="$(our_pid)"; then
    local started="$EPOCHREALTIME"
    stop_broker "$pid"
    say "stopped (pid $pid) in $(seconds_since "$started") s"
  else
    say "not running (nothing started by this script)"
  fi
  if [[ -f "$PG_MARKER" ]]; then
    local version
    version="$(<"$PG_MARKER")"
    say "stopping PostgreSQL $version (started by kafka.sh up)"
    pg_ctlcluster --skip-systemctl-redirect "$version" main stop || true
    rm -f "$PG_MARKER"
  fi
}

status() {
  local pid
  if pid="$(our_pid)"; then
    say "running (pid $pid) on $BROKER"
  elif port_open; then
    say "a broker not started by this script answers on $BROKER"
  else
    say "not running"
    return 3
  fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *)
    echo "usage: $0 up|down|status" >&2
    exit 2
    ;;
esac
