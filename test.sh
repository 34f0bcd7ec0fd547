#!/usr/bin/env bash
# Runs every test: ./test.sh (extra arguments go to dotnet test, e.g. ./test.sh --filter FullyQualifiedName~Ics).
#
# The tests need a few Debian packages beside the .NET SDK:
#   chromium     the page tests drive it headless (Playwright cannot download its own browser here)
#   fonts-nanum  a Korean font, so that the pages' screenshots are legible
#   postgresql   its server binaries; tests start a throwaway cluster from them (initdb, pg_ctl)
#   nginx-light  the reverse proxy in front of two API processes in the scale-out test (bench/scale-out/run-cluster.sh)
# When one is missing this script installs it (as root with apt-get, quietly, once: the next run finds it and
# installs nothing), or else stops at once and prints the exact command to run.
#
# Where to look can be changed, for a check or an unusual machine: MATCHMAKER_CHROMIUM (the browser the page tests
# start, default /usr/bin/chromium), MATCHMAKER_POSTGRES_BIN (a folder with initdb and pg_ctl, default the newest
# /usr/lib/postgresql/*/bin), MATCHMAKER_FONTS (where fonts-nanum is looked for, default /usr/share/fonts/truetype/nanum),
# MATCHMAKER_NGINX (the nginx binary, default /usr/sbin/nginx).
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

chromium=${MATCHMAKER_CHROMIUM:-/usr/bin/chromium}
fonts=${MATCHMAKER_FONTS:-/usr/share/fonts/truetype/nanum}
export MATCHMAKER_NGINX=${MATCHMAKER_NGINX:-/usr/sbin/nginx}
postgres_bin=${MATCHMAKER_POSTGRES_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)}

find_missing() {
  missing=()
  [ -x "$chromium" ] || missing+=(chromium)
  compgen -G "$fonts/*.ttf" >/dev/null || missing+=(fonts-nanum)
  { [ -n "$postgres_bin" ] && [ -x "$postgres_bin/initdb" ] && [ -x "$postgres_bin/pg_ctl" ]; } || missing+=(postgresql)
  [ -x "$MATCHMAKER_NGINX" ] || missing+=(nginx-light)
}
find_missing

if [ ${#missing[@]} -gt 0 ]; then
  install="apt-get update && apt-get install -y ${missing[*]}"
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: missing Debian packages: ${missing[*]}" >&2
    echo "test.sh: install them as root, then run ./test.sh again:" >&2
    echo "  $install" >&2
    exit 2
  fi
  echo "test.sh: installing ${missing[*]} (apt-get, once) ..." >&2
  log=$(mktemp)
  if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
         DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    echo "test.sh: could not install ${missing[*]}; try by hand: $install" >&2
    rm -f "$log"
    exit 2
  fi
  rm -f "$log"
  postgres_bin=${MATCHMAKER_POSTGRES_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)}
  find_missing
  if [ ${#missing[@]} -gt 0 ]; then
    echo "test.sh: installed, but still not found: ${missing[*]} (check MATCHMAKER_CHROMIUM, MATCHMAKER_FONTS, MATCHMAKER_POSTGRES_BIN, MATCHMAKER_NGINX)" >&2
    exit 2
  fi
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET 10 SDK is missing (dotnet is not on PATH); see global.json for the version" >&2
  exit 2
fi

# dotnet test prints one 'Passed!/Failed! - Failed: N, Passed: N, Skipped: N' line per test assembly; the closing
# line sums them, so that a run reads at a glance (and CI can grep it).
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test Matchmaker.sln "$@" 2>&1 | tee "$log" || status=$?
sum() { grep -oE "$1: +[0-9]+" "$log" | awk '{s+=$2} END {print s+0}'; }
echo "$(sum Passed) passed, $(sum Failed) failed, $(sum Skipped) skipped"
exit $status
