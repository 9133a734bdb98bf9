#!/usr/bin/env bash
# The LocalStack stage: the stack of infra/template.yaml deployed with `sam deploy --config-env
# localstack` to real LocalStack running on this machine (no Docker: infra/localstack/), and the
# black-box journeys run through its API Gateway, step Lambdas, DynamoDB stream, mail-dispatch and
# SES. Runs alone (`tests/localstack.sh`) or from tests/run.sh; installs what it needs, ends with
# "N passed, M failed", stops everything it started, and fails loudly when anything cannot run.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
venv="$root/.venv"
log_dir="$root/target/localstack-stage"
mkdir -p "$log_dir"
started=$(date +%s)
say() { printf '\n== localstack: %s (%ss)\n' "$*" "$(( $(date +%s) - started ))"; }
free_port() { "$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

bash tests/venv.sh
say "LocalStack on the host (infra/localstack/setup.sh)"
infra/localstack/setup.sh

say "functions for the host's architecture (infra/build.sh host)"
infra/build.sh host | tee "$log_dir/build.txt"

say "cold start of every function (tests/benches/cold_start.rs, figures only)"
cargo bench --locked --profile dev -q -p blackbox --bench cold_start 2>&1 | tee "$log_dir/cold-start.txt"

port=$(free_port)
runner_pid=
cleanup() {
  [ -n "$runner_pid" ] && kill "$runner_pid" 2>/dev/null || true
  DK_LOCALSTACK_PORT=$port infra/localstack/stop.sh >/dev/null 2>&1 || true
}
trap cleanup EXIT
say "start LocalStack on 127.0.0.1:$port"
DK_LOCALSTACK_SKIP_SETUP=1 infra/localstack/start.sh "$port"

export AWS_ENDPOINT_URL="http://127.0.0.1:$port"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export AWS_EC2_METADATA_DISABLED=true SAM_CLI_TELEMETRY=0
unset AWS_PROFILE

say "deploy: the master secret, the sender, sam deploy --config-env localstack (infra/localstack/deploy.sh)"
deploy_started=$(date +%s)
DK_STACK_OUTPUTS="$log_dir/outputs.txt" infra/localstack/deploy.sh > "$log_dir/deploy.txt" 2>&1 \
  || { tail -n 60 "$log_dir/deploy.txt"; echo "the deployment failed" >&2; exit 1; }
echo "deployed in $(( $(date +%s) - deploy_started )) s"
# shellcheck source=/dev/null
. "$log_dir/outputs.txt"
base="http://$api_id.execute-api.localhost.localstack.cloud:$port/$stage"
echo "the API: $base (the test clients resolve that host to 127.0.0.1)"

say "the enrolment runner: the local runner on the stack's table and secret, redelivery off"
cargo build --locked -q -p local
runner_port=$(free_port)
STORE=dynamodb MAILER=ses TABLE_NAME="$table" MAIL_FROM=no-reply@digital-keys.localstack.cloud \
  MASTER_SECRET_ID=digital-keys/master-secret PORT="$runner_port" LOCAL_REDELIVERY=off \
  target/debug/local > "$log_dir/runner.txt" 2>&1 &
runner_pid=$!
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null "http://127.0.0.1:$runner_port/login" 2>/dev/null && break
  kill -0 "$runner_pid" 2>/dev/null || { cat "$log_dir/runner.txt"; echo "the enrolment runner did not start" >&2; exit 1; }
  sleep 0.2
done

say "journeys through the deployed API"
set +e
DK_BASE_URL="$base" DK_ADMIN_URL="http://127.0.0.1:$runner_port" \
  DK_SES_MAILBOX_URL="$AWS_ENDPOINT_URL/_aws/ses" DK_REGISTRATION_CODE_TTL_SECONDS=30 \
  DK_STACK_TABLE="$table" MASTER_SECRET_ID=digital-keys/master-secret TOKEN_SUNSET_AT=2027-03-01T00:00:00Z \
  cargo test --locked --no-fail-fast -p blackbox --test stack --test foundation -- --nocapture --test-threads 4 \
  2>&1 | tee "$log_dir/tests.txt"
status=${PIPESTATUS[0]}
set -e

say "a fuzz of the deployed API (tests/fuzz.rs: 10,000 requests over every route and odd methods, bodies, paths and cookies; no 5xx)"
set +e
DK_BASE_URL="$base" DK_ADMIN_URL="http://127.0.0.1:$runner_port" \
  DK_SES_MAILBOX_URL="$AWS_ENDPOINT_URL/_aws/ses" \
  cargo test --locked -p blackbox --test fuzz -- --nocapture 2>&1 | tee -a "$log_dir/tests.txt"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
set -e
if ! grep -q '^fuzz: seed .* requests over .* routes' "$log_dir/tests.txt"; then
  echo "the fuzz of the deployed API did not run" >&2
  status=1
fi

say "the deadline surge (surge load) and the bad day (surge faults) through the deployed API"
surge_env=(DK_BASE_URL="$base" DK_ADMIN_URL="http://127.0.0.1:$runner_port"
  DK_SES_MAILBOX_URL="$AWS_ENDPOINT_URL/_aws/ses" DK_STACK_TABLE="$table"
  MASTER_SECRET_ID=digital-keys/master-secret TOKEN_SUNSET_AT=2027-03-01T00:00:00Z
  MAIL_FROM=no-reply@digital-keys.localstack.cloud DK_MAIL_DLQ_URL="$mail_dlq"
  DK_LOCALSTACK_LOG="$root/target/localstack/localstack.log")
cargo build --locked -q -p blackbox --bin surge
set +e
env "${surge_env[@]}" target/debug/surge load 2>&1 | tee "$log_dir/surge-load.txt"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
env "${surge_env[@]}" target/debug/surge faults 2>&1 | tee "$log_dir/surge-faults.txt"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
set -e
for run in load faults; do
  grep -q "^surge $run: passed" "$log_dir/surge-$run.txt" || { echo "surge $run did not pass" >&2; status=1; }
done

say "what mail-dispatch did (CloudWatch Logs of the stack)"
"$venv/bin/python" - <<'PY' | tee "$log_dir/mail-dispatch.txt"
import boto3
logs = boto3.client("logs")
events = logs.filter_log_events(logGroupName="/aws/lambda/digital-keys-mail-dispatch").get("events", [])
print(f"mail-dispatch wrote {len(events)} log lines; the last ones:")
for event in events[-5:]:
    print("  " + event["message"].strip()[:200])
PY

passed=$(grep -Eo 'test result: [a-zA-Z]+\. [0-9]+ passed; [0-9]+ failed' "$log_dir/tests.txt" | awk '{s += $4} END {print s + 0}')
failed=$(grep -Eo 'test result: [a-zA-Z]+\. [0-9]+ passed; [0-9]+ failed' "$log_dir/tests.txt" | awk '{s += $6} END {print s + 0}')
journeys=$(grep -c '^stack: .* passed against the deployed stack' "$log_dir/tests.txt" || true)
if [ "$status" -eq 0 ] && [ "$journeys" -lt 7 ]; then
  echo "only $journeys of the 7 stack journeys said they ran against the deployed stack" >&2
  status=1
fi
echo "localstack stage in $(( $(date +%s) - started )) s"
echo "localstack: $passed passed, $failed failed"
exit "$status"
