#!/usr/bin/env bash
# The layers under shared/ keep their direction, read from `cargo tree`: the domain (keys-domain)
# depends on no adapter (AWS SDK, lettre), HTTP (axum, hyper, http, lambda_http, reqwest, cookie)
# or template/translation (askama, fluent) crate, nor on another layer of ours; the web layer
# (keys-web) on no AWS adapter. Exits 1 and names the crates when one does; then the module-cycle
# check (tests/module_cycles.py) of every crate.
set -euo pipefail
cd "$(dirname "$0")/.."

# The crates a package links in normal builds (no dev or build dependencies), one name a line.
linked() {
    cargo tree --locked -p "$1" -e normal --prefix none --format '{p}' | awk '{print $1}' | sort -u
}

failed=0
check() {
    local package=$1 forbidden=$2 what=$3 found
    found=$(linked "$package" | grep -E "$forbidden" || true)
    if [ -n "$found" ]; then
        echo "layers: $package must not depend on $what, but links: $(echo $found)" >&2
        failed=1
    fi
}

check keys-domain \
    '^(aws-|aws_|lettre$|axum|hyper|http$|http-|tower|lambda_|reqwest|cookie$|askama|fluent|keys-(web|aws|core|testkit)$)' \
    'an adapter, HTTP or template crate'
check keys-web '^(aws-|aws_sdk|lettre$|keys-(aws|core|testkit)$)' 'an AWS adapter'

if [ "$failed" = 0 ]; then
    echo "layers: keys-domain links no adapter, HTTP or template crate; keys-web no AWS adapter"
fi

# Inside every crate, no two modules depend on each other, however indirectly (a key method
# depends on the flows it takes part in, never the other way round).
python3 tests/module_cycles.py || failed=1
exit "$failed"
