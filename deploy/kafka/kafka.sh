#!/usr/bin/env bash
# Local single-node Apache Kafka (KRaft, combined broker+controller) for Boyin
# development and CI, run straight from Maven Central jars: no tarball, no
# ZooKeeper, no Docker.
#
#   deploy/kafka/kafka.sh install   copy the broker jars into the cache (once)
#   deploy/kafka/kafka.sh start     install if needed, format storage on the
#                                   first start, start in the background and
#                                   wait until it answers metadata requests
#   deploy/kafka/kafka.sh stop      SIGTERM, up to 30 s, then SIGKILL
#   deploy/kafka/kafka.sh restart | status | wait | reset | logs | bootstrap
#
# `status` exits 0 running and answering, 1 running but not answering, 3 not running,
# 4 not running from this cache but its ports are held (it says by which pid and
# command); `start` refuses to start on a port held by anything but this cache's broker.
#
# Environment:
#   BOYIN_CACHE                   cache root (default: <repo>/.cache); Kafka
#                                 lives in $BOYIN_CACHE/kafka/{lib,data,logs}
#   BOYIN_KAFKA_PORT              PLAINTEXT listener port   (default 19092)
#   BOYIN_KAFKA_CONTROLLER_PORT   KRaft controller port     (default 19093)
#   BOYIN_KAFKA_START_TIMEOUT     seconds `start`/`wait` wait (default 90)
#   BOYIN_KAFKA_STOP_TIMEOUT      seconds before SIGKILL      (default 30)
#   BOYIN_KAFKA_HEAP_OPTS         default "-Xmx512m -Xms256m"
#   BOYIN_KAFKA_JVM_OPTS          extra JVM options
#   BOYIN_MVN_ARGS                extra Maven arguments for `install`
#                                 (e.g. -Dmaven.repo.local=/some/dir)
#   JAVA_HOME                     Java 17+ to use (default: java on PATH)
#   BOYIN_PYTHON                  Python 3 for the readiness probe (python3)
#
# Clients connect to 127.0.0.1:$BOYIN_KAFKA_PORT (`kafka.sh bootstrap`).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
CACHE_ROOT="${BOYIN_CACHE:-$REPO_ROOT/.cache}"
KDIR="$CACHE_ROOT/kafka"
LIB="$KDIR/lib"
DATA="$KDIR/data"
LOGS="$KDIR/logs"
PIDFILE="$KDIR/kafka.pid"
CONFIG="$KDIR/server.properties"
LOCKFILE="$KDIR/.lock"

HOST=127.0.0.1
PORT="${BOYIN_KAFKA_PORT:-19092}"
CPORT="${BOYIN_KAFKA_CONTROLLER_PORT:-19093}"
START_TIMEOUT="${BOYIN_KAFKA_START_TIMEOUT:-90}"
STOP_TIMEOUT="${BOYIN_KAFKA_STOP_TIMEOUT:-30}"
# Option lists from the environment, split on whitespace.
read -r -a HEAP_OPTS <<<"${BOYIN_KAFKA_HEAP_OPTS:--Xmx512m -Xms256m}"
read -r -a JVM_OPTS <<<"${BOYIN_KAFKA_JVM_OPTS:-}"
read -r -a MVN_ARGS <<<"${BOYIN_MVN_ARGS:-}"
PYTHON="${BOYIN_PYTHON:-python3}"
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
  JAVA="$JAVA_HOME/bin/java"
else
  JAVA=java
fi

POM="$SCRIPT_DIR/pom.xml"
LOG4J_CONFIG="$SCRIPT_DIR/log4j2.yaml"
PROBE="$SCRIPT_DIR/probe.py"
KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM" | head -n1)"

# shellcheck source=../lib/ports.sh
source "$SCRIPT_DIR/../lib/ports.sh"

log() { printf '[kafka] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# One kafka.sh at a time per cache dir (parallel `start`s from several
# services are then safe). The lock fd is closed for the broker itself.
lock() {
  mkdir -p "$KDIR"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$LOCKFILE"
    flock -w 300 9 || die "could not lock $LOCKFILE within 300 s"
  fi
}

# ---------------------------------------------------------------- install

installed_stamp() {
  # The pom's checksum: editing kafka.version (or anything else) reinstalls.
  sha256sum "$POM" | cut -d' ' -f1
}

is_installed() {
  [[ -f "$LIB/.installed" && "$(cat "$LIB/.installed")" == "$(installed_stamp)" \
     && -f "$LIB/kafka_2.13-$KAFKA_VERSION.jar" ]]
}

do_install() {
  if is_installed; then
    log "Kafka $KAFKA_VERSION already installed in $LIB"
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "mvn not found (apt-get install -y maven)"
  # Swapping the jars under a running JVM breaks it; pom changed => restart.
  [[ -z "$(broker_pid)" ]] || die "broker is running on the old jars; run '$0 stop' first"
  local t0 tmp attempt
  t0="$(now)"
  tmp="$KDIR/lib.tmp.$$"
  rm -rf "$tmp"
  log "installing Kafka $KAFKA_VERSION jars from Maven Central into $LIB ..."
  for attempt in 1 2 3; do
    if mvn -q -B -ntp -Dstyle.color=never "${MVN_ARGS[@]}" -f "$POM" \
        dependency:copy-dependencies -DincludeScope=runtime \
        -DoutputDirectory="$tmp" </dev/null >"$KDIR/install.log" 2>&1; then
      break
    fi
    tail -n 30 "$KDIR/install.log" >&2
    [[ $attempt -lt 3 ]] || { rm -rf "$tmp"; die "mvn failed 3 times (log: $KDIR/install.log)"; }
    log "mvn failed (attempt $attempt), retrying in 5 s"
    sleep 5
  done
  [[ -f "$tmp/kafka_2.13-$KAFKA_VERSION.jar" ]] \
    || { rm -rf "$tmp"; die "kafka_2.13-$KAFKA_VERSION.jar missing after mvn"; }
  installed_stamp >"$tmp/.installed"
  rm -rf "$LIB"
  mv "$tmp" "$LIB"
  log "installed $(find "$LIB" -name '*.jar' | wc -l) jars ($(du -sh "$LIB" | cut -f1)) in $(elapsed "$t0") s"
}

# ---------------------------------------------------------------- process

# PID of our broker (from the pid file, else found by its exact config path),
# or nothing. A recycled pid that is not our broker does not count.
broker_pid() {
  local pid=""
  if [[ -f "$PIDFILE" ]]; then
    pid="$(cat "$PIDFILE" 2>/dev/null || true)"
    if [[ "$pid" =~ ^[0-9]+$ ]] && is_our_broker "$pid"; then
      echo "$pid"
      return 0
    fi
  fi
  local d
  for d in /proc/[0-9]*; do
    pid="${d#/proc/}"
    if is_our_broker "$pid"; then
      echo "$pid" >"$PIDFILE"
      echo "$pid"
      return 0
    fi
  done
  return 0
}

is_our_broker() {
  local cmdline
  cmdline="$({ tr '\0' ' ' <"/proc/$1/cmdline"; } 2>/dev/null)" || return 1
  [[ "$cmdline" == *" kafka.Kafka $CONFIG"* ]]
}

is_ready() {
  "$PYTHON" "$PROBE" "$HOST" "$PORT" --timeout 3 --quiet
}

# "port N is held by pid P: cmdline" for our ports that something other than our broker
# listens on; nothing when both are free.
held_ports() {
  local p holder
  for p in "$PORT" "$CPORT"; do
    holder="$(port_holder "$p")"
    [[ -n "$holder" ]] && echo "port $p is held by $holder"
  done
  return 0
}

write_config() {
  mkdir -p "$DATA" "$LOGS"
  cat >"$CONFIG.tmp" <<EOF
# Generated by deploy/kafka/kafka.sh on every start; edit the script, not this.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CPORT
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CPORT
advertised.listeners=PLAINTEXT://$HOST:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA
num.partitions=4
auto.create.topics.enable=true
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
  mv "$CONFIG.tmp" "$CONFIG"
}

format_storage() {
  if [[ -f "$DATA/meta.properties" ]]; then
    return 0
  fi
  local cluster_id
  cluster_id="$("$PYTHON" -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(16)).rstrip(b"=").decode())')"
  log "formatting $DATA (cluster id $cluster_id)"
  # No log4j2 config here: errors go to format.log, server.log stays the
  # broker's own.
  "$JAVA" "${HEAP_OPTS[@]}" -cp "$LIB/*" kafka.tools.StorageTool format --ignore-formatted \
    -t "$cluster_id" -c "$CONFIG" </dev/null >>"$LOGS/format.log" 2>&1 \
    || { tail -n 30 "$LOGS/format.log" >&2; die "storage format failed"; }
}

check_java() {
  command -v "$JAVA" >/dev/null 2>&1 || die "java not found (apt-get install -y openjdk-17-jre-headless)"
  local v
  v="$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  [[ "${v%%.*}" -ge 17 ]] 2>/dev/null || die "Kafka $KAFKA_VERSION needs Java 17+, $JAVA is ${v:-unknown}"
}

show_log_tail() {
  log "---- last lines of $LOGS/server.log ----"
  tail -n 40 "$LOGS/server.log" >&2 2>/dev/null || true
  if [[ -s "$LOGS/kafka.out" ]]; then
    log "---- last lines of $LOGS/kafka.out ----"
    tail -n 20 "$LOGS/kafka.out" >&2 || true
  fi
}

# Wait until the broker answers a metadata request; fails early if it died.
wait_ready() {
  local t0 deadline pid
  t0="$(now)"
  deadline=$((SECONDS + START_TIMEOUT))
  while ((SECONDS < deadline)); do
    if is_ready; then
      log "ready on $HOST:$PORT after $(elapsed "$t0") s"
      return 0
    fi
    pid="$(broker_pid)"
    if [[ -z "$pid" ]]; then
      show_log_tail
      die "broker is not running (exited or never started)"
    fi
    sleep 0.5
  done
  show_log_tail
  die "broker (pid $pid) did not answer on $HOST:$PORT within $START_TIMEOUT s; left running: '$0 wait' to keep waiting, '$0 stop' to end it"
}

do_start() {
  lock
  local pid t0
  pid="$(broker_pid)"
  if [[ -n "$pid" && ! -d "$DATA" ]]; then
    # a broker whose log directory was deleted (a checkout removed and made again in the
    # same place) cannot keep its data: replace it
    log "pid $pid serves a data directory that is gone ($DATA); restarting it"
    do_stop
    pid=""
  fi
  if [[ -n "$pid" ]]; then
    if is_ready; then
      log "already running (pid $pid) on $HOST:$PORT"
      return 0
    fi
    log "running (pid $pid) but not answering yet; waiting"
    wait_ready
    return 0
  fi
  rm -f "$PIDFILE"
  local held
  held="$(held_ports)"
  if [[ -n "$held" ]]; then
    log "$held"
    die "not starting: a port is held by a process that is not this cache's broker ($CONFIG); stop it, or set BOYIN_KAFKA_PORT / BOYIN_KAFKA_CONTROLLER_PORT, or use its cache (BOYIN_CACHE)"
  fi
  check_java
  do_install
  t0="$(now)"
  write_config
  format_storage
  [[ -f "$LOGS/kafka.out" ]] && mv -f "$LOGS/kafka.out" "$LOGS/kafka.out.prev"
  log "starting Kafka $KAFKA_VERSION on $HOST:$PORT (controller $CPORT), data in $DATA"
  nohup "$JAVA" "${HEAP_OPTS[@]}" -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    "${JVM_OPTS[@]}" \
    -Dlog4j2.configurationFile="$LOG4J_CONFIG" -Dkafka.logs.dir="$LOGS" \
    -cp "$LIB/*" kafka.Kafka "$CONFIG" \
    </dev/null >>"$LOGS/kafka.out" 2>&1 9>&- &
  echo $! >"$PIDFILE"
  log "pid $(cat "$PIDFILE")"
  wait_ready
  log "started in $(elapsed "$t0") s"
}

do_stop() {
  lock
  local pid t0 deadline
  pid="$(broker_pid)"
  if [[ -z "$pid" ]]; then
    rm -f "$PIDFILE"
    log "not running"
    return 0
  fi
  t0="$(now)"
  log "stopping pid $pid (SIGTERM, up to $STOP_TIMEOUT s)"
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "still running after $STOP_TIMEOUT s; SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -f "$PIDFILE"
  log "stopped in $(elapsed "$t0") s"
}

do_status() {
  local pid rss
  pid="$(broker_pid)"
  if [[ -z "$pid" ]]; then
    local held
    held="$(held_ports)"
    if [[ -n "$held" ]]; then
      echo "kafka: not running from this cache ($KDIR), but its ports are taken:"
      echo "$held" | sed 's/^/  /'
      echo "  (another checkout's broker? use its BOYIN_CACHE, or other BOYIN_KAFKA_PORT / BOYIN_KAFKA_CONTROLLER_PORT)"
      return 4
    fi
    echo "kafka: not running (cache $KDIR)"
    return 3
  fi
  rss="$(awk '/^VmRSS/ { printf "%d MiB", $2 / 1024 }' "/proc/$pid/status" 2>/dev/null || true)"
  echo "kafka: running, pid $pid, RSS ${rss:-?}, bootstrap $HOST:$PORT, version $KAFKA_VERSION"
  if "$PYTHON" "$PROBE" "$HOST" "$PORT" --timeout 3; then
    return 0
  fi
  return 1
}

do_wait() {
  if [[ -z "$(broker_pid)" ]]; then
    # Maybe started elsewhere (e.g. another cache dir) but answering.
    is_ready && { log "ready on $HOST:$PORT"; return 0; }
    die "not running; use: $0 start"
  fi
  wait_ready
}

do_reset() {
  do_stop
  log "deleting $DATA"
  rm -rf "$DATA"
}

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'
}

cmd="${1:-}"
case "$cmd" in
  install) lock; do_install ;;
  start) do_start ;;
  stop) do_stop ;;
  restart) do_stop; do_start ;;
  status) do_status ;;
  wait) do_wait ;;
  reset) do_reset ;;
  logs) tail -n "${2:-100}" "$LOGS/server.log" ;;
  bootstrap) echo "$HOST:$PORT" ;;
  -h | --help | help) usage ;;
  *) usage >&2; exit 2 ;;
esac
