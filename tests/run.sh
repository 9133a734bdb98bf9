#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what it needs, starts the AWS emulator (moto's
# server) on a free loopback port, runs fmt, clippy, cfn-lint and every test, then the LocalStack
# stage (tests/localstack.sh: the SAM stack deployed to LocalStack and the journeys through it), and
# stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
venv="$root/.venv"
started=$(date +%s)
say() { printf '\n== %s (%ss)\n' "$*" "$(( $(date +%s) - started ))"; }

say "Python tools: moto's server, cfn-lint and the SAM CLI in $venv"
bash tests/venv.sh

say "Browser: Debian's chromium and chromium-driver, axe-core from npm"
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  as_root=""
  [ "$(id -u)" -eq 0 ] || as_root="sudo"
  $as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq chromium chromium-driver
fi
/usr/bin/chromium --version
if [ ! -f tests/e2e/node_modules/axe-core/axe.min.js ] \
    || ! cmp -s tests/e2e/package-lock.json tests/e2e/node_modules/.installed-lock 2>/dev/null; then
  npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error
  cp tests/e2e/package-lock.json tests/e2e/node_modules/.installed-lock
fi

say "AWS emulator"
mkdir -p "$root/target"
port=$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# One request at a time (tests/moto_server.py): moto's conditional writes race otherwise.
"$venv/bin/python" "$root/tests/moto_server.py" -H 127.0.0.1 -p "$port" > "$root/target/moto.log" 2>&1 &
moto_pid=$!
trap 'kill "$moto_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  if "$venv/bin/python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/moto-api/')" 2>/dev/null; then
    break
  fi
  kill -0 "$moto_pid" 2>/dev/null || { cat "$root/target/moto.log"; echo "moto's server did not start" >&2; exit 1; }
  sleep 0.2
done
export AWS_ENDPOINT_URL="http://127.0.0.1:$port"
# The IAM test starts its own moto server, with IAM enforced, from here.
export DK_MOTO_SERVER="$venv/bin/moto_server"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
echo "moto's server on $AWS_ENDPOINT_URL"

say "cargo fmt --check"
cargo fmt --all -- --check

say "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

say "layers (tests/layers.sh: the domain links no adapter, HTTP or template crate; no module cycle in any crate)"
bash tests/layers.sh

say "cfn-lint infra/template.yaml"
"$venv/bin/cfn-lint" infra/template.yaml

say "cargo test (unit, contract on memory and emulator, black-box, template)"
cargo test --workspace --locked -- --nocapture 2>&1 | tee "$root/target/test.log"

contract_runs=$(grep -c 'contract passed against' "$root/target/test.log" || true)
if [ "$contract_runs" -lt 4 ]; then
  echo "the contract suites ran $contract_runs times, not 4 (memory and emulator, store and mailer)" >&2
  exit 1
fi
if ! grep -q 'wizard journey passed against' "$root/target/test.log"; then
  echo "the wizard journey did not run against the emulator" >&2
  exit 1
fi
browser_runs=$(grep -c 'pages scanned with axe-core' "$root/target/test.log" || true)
if [ "$browser_runs" -lt 6 ]; then
  echo "the browser suite ran $browser_runs of its 6 journeys" >&2
  exit 1
fi
if ! grep -q 'browser OpenID Connect journeys: .* no CSP violation' "$root/target/test.log"; then
  echo "the browser suite did not run the public services' journeys through the provider" >&2
  exit 1
fi
if ! grep -q 'guide texts: .* pages walked in 4 languages' "$root/target/test.log"; then
  echo "the browser did not walk the guide's pages for their texts" >&2
  exit 1
fi
echo "screenshots: $root/target/e2e/screenshots/<lang>/<step>.png (phone width under <lang>/phone/; the guide's pages under guide/)"
if ! grep -q 'OpenID Connect: Authlib validated' "$root/target/test.log"; then
  echo "the OpenID Connect journeys did not run against Authlib" >&2
  exit 1
fi
if ! grep -q 'journeys passed with each function holding only its own role' "$root/target/test.log"; then
  echo "the IAM test did not run the journeys on the IAM-enforcing emulator" >&2
  exit 1
fi

kill "$moto_pid" 2>/dev/null || true
unset AWS_ENDPOINT_URL
say "LocalStack stage"
bash tests/localstack.sh

say "all checks passed"
