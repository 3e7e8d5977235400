# Sourced by .ci/run: a throwaway PostgreSQL server for the results store's PostgreSQL test
# (harness PostgresResultStoreTest), started without systemd and stopped when the sourcing shell exits.
#   pg_binaries_present       whether initdb and pg_ctl can be found (else: apt-get install postgresql)
#   start_test_postgres       initdb + start on 127.0.0.1:54329, create database revbench_test, export
#                             REVBENCH_TEST_PG_URL / REVBENCH_TEST_PG_USER, stop it on EXIT
# Debian installs the server binaries under /usr/lib/postgresql/<major>/bin, off the PATH.

TEST_PG_PORT=54329
TEST_PG_DB=revbench_test

# The directory holding initdb and pg_ctl: the PATH's, else the newest Debian major version's.
pg_bin_dir() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"
    return 0
  fi
  local d found=""
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && found="$d"
  done
  [ -n "$found" ] && echo "$found"
}

pg_binaries_present() {
  pg_bin_dir >/dev/null
}

# Runs a server binary as the cluster's owner: initdb and postgres refuse to run as root.
as_pg_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start_test_postgres() {
  local bin
  bin="$(pg_bin_dir)" || { echo "PostgreSQL server binaries (initdb, pg_ctl) not found" >&2; return 1; }
  if [ "$(id -u)" -eq 0 ] && ! id -u postgres >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent postgres
  fi
  TEST_PG_DIR="$(mktemp -d /tmp/revbench-pg.XXXXXX)"
  mkdir -p "$TEST_PG_DIR/data" "$TEST_PG_DIR/sock"
  [ "$(id -u)" -eq 0 ] && chown -R postgres: "$TEST_PG_DIR"
  trap stop_test_postgres EXIT
  # a throwaway cluster: no fsync, trust on the loopback only
  as_pg_owner "$bin/initdb" -D "$TEST_PG_DIR/data" -U postgres --auth=trust --no-sync -E UTF8 --locale=C \
    >"$TEST_PG_DIR/initdb.log" 2>&1 || { cat "$TEST_PG_DIR/initdb.log" >&2; return 1; }
  as_pg_owner "$bin/pg_ctl" -D "$TEST_PG_DIR/data" -l "$TEST_PG_DIR/server.log" \
    -o "-p $TEST_PG_PORT -k $TEST_PG_DIR/sock -c listen_addresses=127.0.0.1 -c fsync=off" -w start >/dev/null \
    || { cat "$TEST_PG_DIR/server.log" >&2; return 1; }
  TEST_PG_BIN="$bin"
  "$bin/createdb" -h 127.0.0.1 -p "$TEST_PG_PORT" -U postgres "$TEST_PG_DB"
  export REVBENCH_TEST_PG_URL="jdbc:postgresql://127.0.0.1:$TEST_PG_PORT/$TEST_PG_DB"
  export REVBENCH_TEST_PG_USER=postgres
  echo "test PostgreSQL at $REVBENCH_TEST_PG_URL ($("$bin/pg_ctl" --version))"
}

stop_test_postgres() {
  if [ -n "${TEST_PG_DIR:-}" ] && [ -d "$TEST_PG_DIR" ]; then
    if [ -n "${TEST_PG_BIN:-}" ]; then
      as_pg_owner "$TEST_PG_BIN/pg_ctl" -D "$TEST_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$TEST_PG_DIR"
  fi
}
