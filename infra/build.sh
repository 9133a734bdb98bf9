#!/usr/bin/env bash
# Builds every function's `bootstrap` in one cargo invocation (profile `lambda-release`:
# size-optimised, LTO, stripped) and lays them out as the template's CodeUri expects:
# target/lambda/<function>/bootstrap, plus target/lambda/<function>.zip to show what AWS receives.
#
#   infra/build.sh            arm64 for AWS: cargo-lambda (pip install cargo-lambda, which brings
#                             zig) and the target (rustup target add aarch64-unknown-linux-gnu)
#   infra/build.sh host       this machine's architecture, for LocalStack running on it
#
# Then `sam deploy` (samconfig.toml) zips and uploads those folders; no `sam build` is needed.
set -euo pipefail
cd "$(dirname "$0")/.."
arch=${1:-arm64}
functions=(login login-token login-email login-app my-keys confirm-email select-key
  activate-email activate-app confirmation mail-dispatch
  oidc-discovery oidc-authorize oidc-token oidc-userinfo oidc-logout oidc-backchannel
  office activation-letter)
packages=()
for f in "${functions[@]}"; do packages+=(-p "$f"); done
started=$(date +%s)

case "$arch" in
  host)
    cargo build --locked --profile lambda-release "${packages[@]}"
    out=target/lambda-release
    ;;
  arm64)
    command -v cargo-lambda >/dev/null || {
      echo "cargo-lambda is missing: pip install cargo-lambda (and rustup target add aarch64-unknown-linux-gnu)" >&2
      exit 1
    }
    # cargo-lambda moves each binary to target/lambda/<function>/bootstrap itself.
    cargo lambda build --locked --profile lambda-release --arm64 "${packages[@]}"
    out=
    ;;
  *)
    echo "usage: infra/build.sh [arm64|host]" >&2
    exit 2
    ;;
esac

printf '%-16s %12s %12s\n' function bootstrap zip
for f in "${functions[@]}"; do
  mkdir -p "target/lambda/$f"
  [ -z "$out" ] || cp "$out/$f" "target/lambda/$f/bootstrap"
  [ -s "target/lambda/$f/bootstrap" ] || { echo "no bootstrap for $f" >&2; exit 1; }
  # Deflated as SAM and cargo-lambda zip it (python3, present wherever this builds).
  python3 -c 'import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    info = zipfile.ZipInfo("bootstrap", date_time=(1980, 1, 1, 0, 0, 0))
    info.external_attr = 0o755 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    z.writestr(info, open(sys.argv[2], "rb").read(), compresslevel=9)' \
    "target/lambda/$f.zip" "target/lambda/$f/bootstrap"
  printf '%-16s %12s %12s\n' "$f" "$(stat -c %s "target/lambda/$f/bootstrap")" "$(stat -c %s "target/lambda/$f.zip")"
done
echo "built ${#functions[@]} functions for $arch in $(( $(date +%s) - started )) s"
