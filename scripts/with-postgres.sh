#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server: `scripts/with-postgres.sh CMD [ARGS...]`.
#
# If COFFER_PG_URL is already set, CMD runs against that server and nothing is started. Otherwise the script
# finds Debian's binaries under /usr/lib/postgresql/<version>/bin (or COFFER_PG_BIN), runs initdb into a fresh
# temp folder owned by the `postgres` user, starts the server on a free loopback port with trust auth and
# fsync off (the data is thrown away, so durability only costs time), creates the database `coffer`, exports
# COFFER_PG_URL=postgres://postgres@127.0.0.1:PORT/coffer, runs CMD, then stops the server and removes the
# folder, whatever happens. The exit status is CMD's.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi

if [ -n "${COFFER_PG_URL:-}" ]; then
  exec "$@"
fi

log() { printf 'with-postgres: %s\n' "$*" >&2; }

bin="${COFFER_PG_BIN:-}"
if [ -z "$bin" ]; then
  # The newest installed major version wins.
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ]; then
      bin="$d"
      break
    fi
  done
fi
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  log "no PostgreSQL binaries found under /usr/lib/postgresql/*/bin (apt-get install postgresql-15, or set COFFER_PG_URL)"
  exit 127
fi

# The server refuses to run as root: as root, run its commands as `postgres`; as anyone else, as ourselves.
if [ "$(id -u)" -eq 0 ]; then
  pg_user=postgres
  as_pg() { runuser -u postgres -- "$@"; }
else
  pg_user="$(id -un)"
  as_pg() { "$@"; }
fi

dir="$(mktemp -d "${TMPDIR:-/tmp}/coffer-pg.XXXXXX")"
started=0
cleanup() {
  local status=$?
  if [ "$started" -eq 1 ]; then
    as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if [ "$(id -u)" -eq 0 ]; then chown "$pg_user" "$dir"; fi

# A free loopback port: bind port 0 and read what the kernel chose. (A race with another process taking it
# before the server does is possible but rare; the server then fails to start and we say so.)
port="${COFFER_PG_PORT:-$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}"

if ! as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
  >"$dir/initdb.log" 2>&1; then
  log "initdb failed:"
  cat "$dir/initdb.log" >&2
  exit 1
fi

# Settings for a disposable test server: no durability, no network beyond loopback, enough connections for
# the concurrency tests (50+ clients) and several test files at once.
if ! as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-k $dir -h 127.0.0.1 -p $port -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
  start >/dev/null; then
  log "the server did not start:"
  cat "$dir/server.log" >&2 || true
  exit 1
fi
started=1

for _ in $(seq 1 100); do
  if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then break; fi
  sleep 0.1
done
"$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres coffer

export COFFER_PG_URL="postgres://postgres@127.0.0.1:$port/coffer"
log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') at $COFFER_PG_URL"

# Not exec: the trap must stop the server after CMD. `|| status=$?` keeps set -e from exiting early.
status=0
"$@" || status=$?
exit "$status"
