#!/usr/bin/env bash
# Starts LocalStack on the host (no Docker) in the background, on loopback only, and waits until
# it is healthy. Usage: infra/localstack/start.sh [PORT]   (default 4566, or $DK_LOCALSTACK_PORT)
# Runs setup.sh first (quick when nothing changed; DK_LOCALSTACK_SKIP_SETUP=1 skips it).
# Pid file and log: target/localstack/localstack.pid, target/localstack/localstack.log.
# Lambda functions run as host processes through the plugin's `host` executor (see HOST.md).
# Extra LocalStack settings can be passed in the environment (e.g. DEBUG=1,
# DYNAMODB_REMOVE_EXPIRED_ITEMS=1, LAMBDA_KEEPALIVE_MS).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
venv=${DK_LOCALSTACK_VENV:-$root/.venv-localstack}
state=${DK_LOCALSTACK_DIR:-$root/target/localstack}
port=${1:-${DK_LOCALSTACK_PORT:-4566}}
timeout=${DK_LOCALSTACK_START_TIMEOUT:-90}
pidfile=$state/localstack.pid
log=$state/localstack.log
url=http://127.0.0.1:$port
alive() { # running, not a zombie waiting to be reaped
  local st
  st=$(awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$st" ] && [ "$st" != Z ]
}

[ "${DK_LOCALSTACK_SKIP_SETUP:-}" = 1 ] || "$here/setup.sh"
mkdir -p "$state/tmp" "$state/lambda-pids"

if [ -s "$pidfile" ] && alive "$(cat "$pidfile")"; then
  if curl -fsS -o /dev/null "$url/_localstack/health"; then
    echo "LocalStack already running (pid $(cat "$pidfile")) at $url"
    exit 0
  fi
  echo "LocalStack pid $(cat "$pidfile") is alive but $url does not answer; run stop.sh first" >&2
  exit 1
fi
if curl -fsS -o /dev/null --max-time 2 "$url/_localstack/health" 2>/dev/null; then
  echo "something else already answers at $url" >&2
  exit 1
fi

export OVERRIDE_IN_DOCKER=0 # this host may look like a container (/.dockerenv); it is not LocalStack's
export FILESYSTEM_ROOT=$state/fs
export GATEWAY_LISTEN=127.0.0.1:$port GATEWAY_SERVER=hypercorn
export LOCALSTACK_HOST=127.0.0.1:$port SQS_ENDPOINT_STRATEGY=path
export DNS_ADDRESS=0 DISABLE_EVENTS=1 SKIP_SSL_CERT_DOWNLOAD=1
export LAMBDA_RUNTIME_EXECUTOR=host DK_LAMBDA_PID_DIR=$state/lambda-pids
export TMPDIR=$state/tmp
# The config endpoint (POST /_localstack/config) lets the fault run turn DynamoDB's and SES's
# injected errors on and off (DYNAMODB_ERROR_PROBABILITY, DK_SES_ERROR_PROBABILITY); loopback only.
export ENABLE_CONFIG_UPDATES=${ENABLE_CONFIG_UPDATES:-1}
# LocalStack's stream poller reads at most one batch (10 records) of the table's stream a poll
# interval, and the stream carries every write of the table, not only the outbox's: at its default
# of 1 s the notification mails of a load run queue up for minutes. 0.1 s reads 100 records a
# second (AWS reads a shard about four times a second, up to 1,000 records each time).
export LAMBDA_EVENT_SOURCE_MAPPING_POLL_INTERVAL_SEC=${LAMBDA_EVENT_SOURCE_MAPPING_POLL_INTERVAL_SEC:-0.1}
# LocalStack's own AWS clients must not pick up a developer's real credentials or profile.
unset AWS_PROFILE AWS_ENDPOINT_URL

started=$(date +%s.%N)
: > "$log"
setsid "$venv/bin/python" -m localstack.runtime.main >> "$log" 2>&1 < /dev/null &
pid=$!
echo "$pid" > "$pidfile"

deadline=$(( $(date +%s) + timeout ))
while :; do
  if ! alive "$pid"; then
    echo "LocalStack exited during startup; last lines of $log:" >&2
    tail -n 40 "$log" >&2
    rm -f "$pidfile"
    exit 1
  fi
  if curl -fsS -o /dev/null --max-time 2 "$url/_localstack/health" 2>/dev/null \
    && curl -fsS --max-time 2 "$url/_localstack/init/ready" 2>/dev/null | grep -q '"completed": *true'; then
    break
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "LocalStack not healthy at $url after ${timeout}s; last lines of $log:" >&2
    tail -n 40 "$log" >&2
    "$here/stop.sh" >&2 || true
    exit 1
  fi
  sleep 0.2
done
printf 'LocalStack ready at %s (pid %s, %.1fs; log %s)\n' "$url" "$pid" \
  "$(echo "$(date +%s.%N) - $started" | bc)" "$log"
