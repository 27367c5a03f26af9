#!/usr/bin/env bash
# Local MongoDB-wire database for Boyin: FerretDB 1.24 (embedded, SQLite backend),
# built from deploy/ferretdb/main.go into the git-ignored cache.
#
# Usage: deploy/ferretdb/ferretdb.sh {install|start|stop|restart|status|wait|reset|uri|logs}
#
#   install  build the binary if missing or if *.go/go.mod/go.sum/Go version changed
#   start    install, then start in the background unless already running and answering;
#            returns once a MongoDB "ping" succeeds (timeout BOYIN_FERRETDB_TIMEOUT, 60 s)
#   stop     SIGTERM, wait, SIGKILL fallback (idempotent)
#   restart  install, stop, start
#   status   exit 0 if running and answering ping, 3 if not, 4 if this cache's server is not
#            running but the port is held by another process (it says which pid and command)
#   start refuses to start on a port held by anything but this cache's server
#   wait     wait until ping succeeds (same timeout)
#   reset    stop and wipe the data directory (start again yourself)
#   uri      print the connection string
#   logs     print the end of the log
#
# Environment:
#   BOYIN_CACHE              cache root (default: <repo>/.cache); files go to $BOYIN_CACHE/ferretdb
#   BOYIN_MONGO_PORT         TCP port on 127.0.0.1 (default 37017)
#   BOYIN_FERRETDB_TIMEOUT   seconds to wait for ping (default 60)
#   BOYIN_FERRETDB_LOG_LEVEL debug|info|warn|error (default error; warn dumps every failed
#                            command, info also logs every connection)
#   GO                       go binary (default: go on PATH, else /usr/local/go/bin/go)
set -euo pipefail

SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd -- "$SCRIPT_DIR/../.." && pwd -P)"
CACHE_ROOT="${BOYIN_CACHE:-$REPO_ROOT/.cache}"
[[ "$CACHE_ROOT" == /* ]] || CACHE_ROOT="$PWD/$CACHE_ROOT"
CACHE="$CACHE_ROOT/ferretdb"
BIN_DIR="$CACHE/bin"
BIN="$BIN_DIR/boyin-ferretdb"
STAMP="$BIN_DIR/boyin-ferretdb.sha256"
DATA_DIR="$CACHE/data"
LOG_FILE="$CACHE/ferretdb.log"
PID_FILE="$CACHE/ferretdb.pid"
LOCK_FILE="$CACHE/.lock"
PORT="${BOYIN_MONGO_PORT:-37017}"
ADDR="127.0.0.1:$PORT"
URI="mongodb://$ADDR/?directConnection=true"
TIMEOUT="${BOYIN_FERRETDB_TIMEOUT:-60}"
LOG_LEVEL="${BOYIN_FERRETDB_LOG_LEVEL:-error}"

# shellcheck source=../lib/ports.sh
source "$SCRIPT_DIR/../lib/ports.sh"

log() { echo "ferretdb: $*" >&2; }
die() { log "error: $*"; exit 1; }

case "$PORT" in '' | *[!0-9]*) die "BOYIN_MONGO_PORT must be a number, got '$PORT'" ;; esac
case "$TIMEOUT" in '' | *[!0-9]*) die "BOYIN_FERRETDB_TIMEOUT must be whole seconds, got '$TIMEOUT'" ;; esac

find_go() {
	if [[ -n "${GO:-}" ]]; then
		echo "$GO"
	elif command -v go >/dev/null 2>&1; then
		command -v go
	elif [[ -x /usr/local/go/bin/go ]]; then
		echo /usr/local/go/bin/go
	else
		die "Go (>= 1.24) not found; set GO=/path/to/go"
	fi
}

# Serialise install/start/stop between concurrent callers (flock is in util-linux).
with_lock() {
	mkdir -p "$CACHE"
	if command -v flock >/dev/null 2>&1; then
		exec 9>"$LOCK_FILE"
		flock -w 300 9 || die "could not lock $LOCK_FILE"
	fi
	"$@"
}

source_hash() {
	local go_bin="$1"
	{
		# everything the binary depends on: sources, module files, toolchain, build flags
		cat "$SCRIPT_DIR"/*.go "$SCRIPT_DIR/go.mod" "$SCRIPT_DIR/go.sum"
		"$go_bin" version
		echo "CGO_ENABLED=0 -trimpath -mod=readonly"
	} | sha256sum | cut -d' ' -f1
}

do_install() {
	local go_bin want
	go_bin="$(find_go)"
	want="$(source_hash "$go_bin")"
	if [[ -x "$BIN" && -f "$STAMP" && "$(cat "$STAMP")" == "$want" ]]; then
		return 0
	fi
	mkdir -p "$BIN_DIR"
	log "building $BIN ($("$go_bin" version | cut -d' ' -f3)); the first build takes about a minute"
	local start=$SECONDS
	(
		cd "$SCRIPT_DIR"
		CGO_ENABLED=0 GOTOOLCHAIN=local GOWORK=off \
			"$go_bin" build -mod=readonly -buildvcs=false -trimpath -o "$BIN.tmp" .
	) </dev/null || die "go build failed"
	mv -f "$BIN.tmp" "$BIN"
	echo "$want" >"$STAMP"
	log "built in $((SECONDS - start)) s"
}

ping_ok() {
	[[ -x "$BIN" ]] && "$BIN" ping -q -addr "$ADDR" -timeout 1s </dev/null >/dev/null 2>&1
}

# pid_running PID: exists and is not a zombie
pid_running() {
	local pid="$1" state
	[[ -n "$pid" && -d "/proc/$pid" ]] || return 1
	state="$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)"
	[[ -n "$state" && "$state" != Z && "$state" != X ]]
}

# pid_alive PID: running and is our binary
pid_alive() {
	local pid="$1"
	pid_running "$pid" || return 1
	tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q -- "boyin-ferretdb" || return 1
}

# The pid from the pid file if alive; else any process of our binary listening on our address
# (e.g. after the pid file was lost). Prints nothing if there is none.
current_pid() {
	local pid=""
	if [[ -f "$PID_FILE" ]]; then
		pid="$(tr -dc '0-9' <"$PID_FILE" || true)"
		if pid_alive "$pid"; then
			echo "$pid"
			return 0
		fi
	fi
	local d args
	for d in /proc/[0-9]*; do
		# builtins only (no fork per process): argv is NUL-separated
		args=()
		mapfile -d '' -n 3 args 2>/dev/null <"$d/cmdline" || continue
		if [[ "${args[0]:-}" == "$BIN" && "${args[1]:-}" == -listen && "${args[2]:-}" == "$ADDR" ]] &&
			pid_alive "${d#/proc/}"; then
			echo "${d#/proc/}"
			return 0
		fi
	done
	return 0
}

log_tail() {
	if [[ -f "$LOG_FILE" ]]; then
		log "last lines of $LOG_FILE:"
		tail -n 30 "$LOG_FILE" >&2
	fi
}

# wait_ready PID_OR_EMPTY: wait for ping; fail early if PID dies.
wait_ready() {
	local pid="${1:-}" deadline=$((SECONDS + TIMEOUT))
	while ((SECONDS < deadline)); do
		# pid_running, not pid_alive: right after the fork the child is not yet our binary
		if [[ -n "$pid" ]] && ! pid_running "$pid"; then
			log "process $pid exited before answering on $ADDR"
			log_tail
			return 1
		fi
		if ping_ok; then
			return 0
		fi
		sleep 0.1
	done
	log "no ping answer on $ADDR after ${TIMEOUT} s"
	log_tail
	return 1
}

do_stop() {
	local pid
	pid="$(current_pid)"
	if [[ -z "$pid" ]]; then
		rm -f "$PID_FILE"
		return 0
	fi
	log "stopping pid $pid"
	kill -TERM "$pid" 2>/dev/null || true
	local i
	for ((i = 0; i < 150; i++)); do # 15 s
		pid_alive "$pid" || break
		sleep 0.1
	done
	if pid_alive "$pid"; then
		log "pid $pid did not stop after SIGTERM; sending SIGKILL"
		kill -KILL "$pid" 2>/dev/null || true
		for ((i = 0; i < 50; i++)); do
			pid_alive "$pid" || break
			sleep 0.1
		done
		pid_alive "$pid" && die "pid $pid survived SIGKILL"
	fi
	rm -f "$PID_FILE"
}

# Dies when nothing of this cache runs but the port is held (by a server of another
# checkout or anything else): starting would collide with it, using it would mix data.
refuse_held_port() {
	local holder
	holder="$(port_holder "$PORT")"
	if [[ -n "$holder" ]]; then
		log "port $PORT is held by $holder"
		die "not starting: $ADDR is held by a process that is not this cache's server ($BIN); stop it, or set BOYIN_MONGO_PORT, or use its cache (BOYIN_CACHE)"
	fi
}

do_start() {
	[[ -n "$(current_pid)" ]] || refuse_held_port
	do_install
	local pid
	pid="$(current_pid)"
	if [[ -n "$pid" && ! -d "$DATA_DIR" ]]; then
		# a server whose data directory was deleted (a checkout removed and made again in
		# the same place) answers pings but cannot open a database: replace it
		log "pid $pid serves a data directory that is gone ($DATA_DIR); restarting it"
		do_stop
		pid=""
	fi
	if [[ -n "$pid" ]]; then
		if wait_ready_quiet "$pid"; then
			log "already running (pid $pid) on $ADDR"
			echo "$pid" >"$PID_FILE"
			return 0
		fi
		log "pid $pid runs but does not answer on $ADDR; restarting it"
		do_stop
	fi

	mkdir -p "$DATA_DIR"
	# keep the log bounded: rotate once past 10 MiB
	if [[ -f "$LOG_FILE" ]] && (($(stat -c %s "$LOG_FILE") > 10485760)); then
		mv -f "$LOG_FILE" "$LOG_FILE.1"
	fi
	nohup "$BIN" -listen "$ADDR" -sqlite-dir "$DATA_DIR" -log-level "$LOG_LEVEL" \
		</dev/null >>"$LOG_FILE" 2>&1 9>&- &
	pid=$!
	echo "$pid" >"$PID_FILE"
	local start=$SECONDS
	if ! wait_ready "$pid"; then
		do_stop || true
		die "FerretDB did not start"
	fi
	log "started pid $pid on $ADDR in $((SECONDS - start)) s (data $DATA_DIR, log $LOG_FILE)"
}

# A process that is already there gets 10 s to answer (it may be starting).
wait_ready_quiet() {
	local pid="$1" deadline=$((SECONDS + 10))
	while ((SECONDS < deadline)); do
		ping_ok && return 0
		pid_alive "$pid" || return 1
		sleep 0.2
	done
	return 1
}

do_status() {
	local pid
	pid="$(current_pid)"
	if ping_ok; then
		if [[ -n "$pid" ]]; then
			echo "running: pid $pid, $URI, data $DATA_DIR ($(du -sh "$DATA_DIR" 2>/dev/null | cut -f1)), log $LOG_FILE"
			return 0
		fi
	fi
	if [[ -n "$pid" ]]; then
		echo "not answering: pid $pid runs but ping on $ADDR fails"
		return 3
	fi
	local holder
	holder="$(port_holder "$PORT")"
	if [[ -n "$holder" ]]; then
		echo "not running from this cache ($CACHE), but port $PORT is held by $holder"
		echo "  (another checkout's server? use its BOYIN_CACHE, or another BOYIN_MONGO_PORT)"
		return 4
	fi
	echo "stopped"
	return 3
}

do_wait() {
	[[ -x "$BIN" ]] || die "not installed; run: $0 start"
	wait_ready "$(current_pid)"
}

do_restart() {
	do_install # build before stopping, to keep the downtime short
	do_stop
	do_start
}

do_reset() {
	do_stop
	log "wiping $DATA_DIR"
	rm -rf "$DATA_DIR"
}

usage() {
	sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
	exit 2
}

cmd="${1:-}"
case "$cmd" in
install) with_lock do_install ;;
start) with_lock do_start ;;
stop) with_lock do_stop ;;
restart) with_lock do_restart ;;
status) do_status ;;
wait) do_wait ;;
reset) with_lock do_reset ;;
uri) echo "$URI" ;;
logs) tail -n "${2:-50}" "$LOG_FILE" ;;
*) usage ;;
esac
