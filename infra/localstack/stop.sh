#!/usr/bin/env bash
# Stops the LocalStack that start.sh started: SIGTERM, then SIGKILL after
# $DK_LOCALSTACK_STOP_TIMEOUT seconds (default 15); then SIGKILL to whatever it had started that
# is still there (DynamoDB Local's java, kinesis-local's node and Lambda bootstraps run in
# sessions of their own) and to Lambda processes listed in target/localstack/lambda-pids.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
state=${DK_LOCALSTACK_DIR:-$root/target/localstack}
timeout=${DK_LOCALSTACK_STOP_TIMEOUT:-15}
pidfile=$state/localstack.pid

alive() { # running, not a zombie waiting for its parent (init here) to reap it
  local st
  st=$(awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$st" ] && [ "$st" != Z ]
}
start_time() { awk '{ sub(/^.*\) /, ""); print $20 }' "/proc/$1/stat" 2>/dev/null; }
descendants() { # "<pid> <start time>" of every process below $1
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    echo "$child $(start_time "$child")"
    descendants "$child"
  done
}
kill_if_same() { # pid, start time: SIGKILL its group (or itself) if it is still that process
  [ -n "$1" ] && [ -n "$2" ] && alive "$1" && [ "$(start_time "$1")" = "$2" ] || return 1
  kill -KILL -- "-$1" 2>/dev/null || kill -KILL "$1" 2>/dev/null
}

if [ -s "$pidfile" ]; then
  pid=$(cat "$pidfile")
  if alive "$pid"; then
    children=$(descendants "$pid")
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq $((timeout * 10))); do
      alive "$pid" || break
      sleep 0.1
    done
    if alive "$pid"; then
      echo "LocalStack (pid $pid) still running after ${timeout}s; SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null
    fi
    kill -KILL -- "-$pid" 2>/dev/null # its own process group (start.sh runs it with setsid)
    for _ in $(seq 50); do alive "$pid" || break; sleep 0.1; done
    echo "LocalStack stopped (pid $pid)"
    while read -r cpid cstart; do
      kill_if_same "$cpid" "$cstart" && echo "killed leftover process $cpid"
    done <<< "$children"
  else
    echo "LocalStack not running (stale pid file)"
  fi
  rm -f "$pidfile"
else
  echo "LocalStack not running (no pid file)"
fi

# Lambda processes: each pid file holds "<pid> <start time>"; the pid leads its own process group.
for f in "$state"/lambda-pids/*.pid; do
  [ -e "$f" ] || continue
  read -r lpid lstart < "$f" || true
  kill_if_same "${lpid:-}" "${lstart:-}" && echo "killed Lambda process $lpid"
  rm -f "$f"
done

# Last sweep: anything still running from this state directory (DynamoDB Local's and
# kinesis-local's files under fs/, Lambda code under tmp/lambda/) was started by that LocalStack,
# e.g. a backend it restarted while shutting down.
for p in /proc/[0-9]*; do
  p=${p#/proc/}
  [ "$p" = $$ ] && continue
  cmd=$(tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null) || continue
  case "$cmd" in
    *"$state/fs/"* | *"$state/tmp/lambda/"*)
      alive "$p" && kill -KILL "$p" 2>/dev/null && echo "killed leftover process $p: ${cmd:0:80}" ;;
  esac
done
exit 0
