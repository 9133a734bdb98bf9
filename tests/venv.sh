#!/usr/bin/env bash
# The Python tools of the test suite in .venv (tests/requirements.txt): moto's server, cfn-lint,
# the SAM CLI and Authlib (the OpenID Connect client of tests/oidc.rs). Installed on a fresh
# machine, reinstalled when the requirements change.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="$(pwd)/.venv"
if ! "$venv/bin/python" -c 'import moto, cfnlint, samcli, authlib' 2>/dev/null \
    || ! cmp -s tests/requirements.txt "$venv/.requirements" 2>/dev/null; then
  echo "installing tests/requirements.txt into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/requirements.txt
  cp tests/requirements.txt "$venv/.requirements"
fi
