#!/usr/bin/env bash
# Make sure PostgreSQL's server programs (initdb, pg_ctl) are here for the tests that
# run the store on a throw-away PostgreSQL. On Debian as root it installs the
# `postgresql` package; elsewhere it prints the command.
set -u
for b in /usr/lib/postgresql/*/bin/initdb "$(command -v initdb 2>/dev/null)"; do
  if [ -n "$b" ] && [ -x "$b" ]; then exit 0; fi
done
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's postgresql for the store's PostgreSQL tests…" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  status=$?
  # the package starts a cluster of its own; the tests start their own server
  if command -v pg_lsclusters >/dev/null 2>&1; then
    pg_lsclusters -h 2>/dev/null | while read -r version name _; do
      pg_ctlcluster "$version" "$name" stop 2>/dev/null || true
    done
  fi
  exit $status
fi
echo "No PostgreSQL server programs found: the store's PostgreSQL tests are skipped." >&2
echo "Enable them with: sudo apt-get install postgresql" >&2
exit 1
