#!/usr/bin/env bash
# SQLite in one process against PostgreSQL with two API processes behind nginx, on this machine in one run:
#   1. reads: wrk at 200 connections on SME recommendations and itineraries (each request as one of 100 SMEs)
#   2. mixed writes: bench/Matchmaker.LoadTest (requests, accepts/declines, outcomes; 32 at once), ops/s and p99
#   3. ten events (copies of the sample expo) rescored at the same moment, by one worker and then by two (PostgreSQL)
# The PostgreSQL side is bench/scale-out/run-cluster.sh (the README's "Running on several machines" on loopback).
# Figures are printed, not checked; bench/scale-out/RESULTS.md keeps a run. Usage: bench/scale-out/run.sh [seconds=15]
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
seconds=${1:-15}
connections=200
events=10
command -v wrk >/dev/null || { echo "needs wrk: apt-get install -y wrk" >&2; exit 1; }
work=$(mktemp -d /tmp/matchmaker-scaleout.XXXXXX)
children=()
finish() {
  for pid in "${children[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${children[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap finish EXIT
trap 'exit 130' INT TERM

echo "machine: $(nproc) cores; $(uptime | sed 's/.*load average/load average/') at start"
dotnet build -c Release src/Matchmaker.Api -v q -nologo >/dev/null
dotnet build -c Release bench/Matchmaker.LoadTest -v q -nologo >/dev/null
loadtest="$repo/bench/Matchmaker.LoadTest/bin/Release/net10.0/Matchmaker.LoadTest.dll"
# The per-participant rate limit (600/min) would turn most benchmark traffic into 429s: raised for the measurement.
unlimited=--Matchmaker:RateLimits:PerParticipantPerMinute=100000000

json() { python3 -c "import sys,json; v=json.load(sys.stdin); print($1)"; }
wait_job() { # base token jobId
  for _ in $(seq 1 600); do
    state=$(curl -sf -H "Authorization: Bearer $2" "$1/api/jobs/$3" | json 'v["state"]')
    [ "$state" = succeeded ] && return 0
    [ "$state" = failed ] && { echo "job $3 failed" >&2; return 1; }
    sleep 0.2
  done
  echo "job $3 did not finish" >&2; return 1
}

# A published timetable, and 100 SMEs with a token each for wrk's scripts (bench/wrk/participants.sh).
. bench/wrk/participants.sh
prepare_reads() { # base token label
  local base=$1 token=$2 label=$3 auth="Authorization: Bearer $2"
  wait_job "$base" "$token" "$(curl -sf -X POST -H "$auth" "$base/api/events/busan-2026/timetable" | json 'v["jobId"]')"
  curl -sf -X POST -H "$auth" "$base/api/events/busan-2026/timetable/publish" >/dev/null
  mkdir -p "$work/$label"
  participant_scripts "$base" "$token" busan-2026 "$work/$label"
}

# Where the CPU of the mixed writes goes: each process's user + system ticks (/proc/PID/stat) before and after, by group;
# the groups are set before measure() as "name:pid pid …" words in cpu_groups (a pid that appears only afterwards, a
# new PostgreSQL backend, counts from zero), and the load generator's own time is taken by bash's `time`.
cpu_groups=()
snapshot() {
  local group name pid
  for group in "${cpu_groups[@]}"; do
    name=${group%%:*}
    for pid in $(eval "${group#*:}"); do
      [ -r "/proc/$pid/stat" ] && echo "$name $pid $(sed 's/.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')"
    done
  done
  awk '/^cpu /{print "machine busy", $2 + $3 + $4 + $7 + $8; print "machine idle", $5 + $6}' /proc/stat
}

measure() { # base token label
  local base=$1 token=$2 label=$3 result loadgen
  for endpoint in recommendations itinerary; do
    wrk -t1 -c1 -d3s -s "$work/$label/$endpoint.lua" "$base" >/dev/null  # warm-up: JIT and prepared answers
    echo "RESULT $label reads $endpoint $(wrk -t2 -c$connections -d"${seconds}s" -s "$work/$label/$endpoint.lua" "$base" | tail -n 1)"
  done
  # Warm-up of the write paths too (JIT, prepared statements), so that the figure is not partly start-up; another seed.
  dotnet "$loadtest" --url "$base" --organiser-token "$token" --seconds 5 --concurrency 32 --seed 3 >/dev/null
  snapshot >"$work/$label-cpu-before"
  loadgen=$( { TIMEFORMAT='%U %S'; time dotnet "$loadtest" --url "$base" --organiser-token "$token" --seconds "$seconds" --concurrency 32 \
    >"$work/$label-writes.out"; } 2>&1 )
  snapshot >"$work/$label-cpu-after"
  result=$(tail -n 1 "$work/$label-writes.out")
  echo "RESULT $label writes $result"
  # CPU milliseconds per operation, by group, and how busy the machine's cores were meanwhile.
  echo "RESULT $label writes-cpu $(awk -v ops="$(echo "$result" | json 'v["operations"]')" -v hz="$(getconf CLK_TCK)" -v loadgen="$loadgen" '
    FNR == NR { before[$1 " " $2] = $3; next }
    $1 == "machine" { machine[$2] = $3 - before[$1 " " $2]; next }
    { used[$1] += $3 - before[$1 " " $2] }
    END {
      split(loadgen, l, " ")
      printf "{\"machine_busy\": %.2f", machine["busy"] / (machine["busy"] + machine["idle"])
      for (g in used) printf ", \"%s_ms_per_op\": %.2f", g, used[g] * 1000 / hz / ops
      printf ", \"load_generator_ms_per_op\": %.2f}\n", (l[1] + l[2]) * 1000 / ops
    }' "$work/$label-cpu-before" "$work/$label-cpu-after")"
}

# 1-2. SQLite: one process, jobs in-process (the default).
port=$((20000 + RANDOM % 40000))
token=mm_bench_organiser
mkdir -p "$work/sqlite"
(cd src/Matchmaker.Api && exec dotnet bin/Release/net10.0/Matchmaker.Api.dll --urls "http://127.0.0.1:$port" --Matchmaker:Store:DataFolder="$work/sqlite" \
  --Matchmaker:Access:OrganiserToken=$token $unlimited --Logging:LogLevel:Default=Warning) >"$work/sqlite.log" 2>&1 &
sqlite_api=$!
children+=($sqlite_api)
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.5; done
prepare_reads "http://127.0.0.1:$port" $token sqlite
cpu_groups=("matchmaker:echo $sqlite_api")
measure "http://127.0.0.1:$port" $token sqlite
kill $sqlite_api; wait $sqlite_api 2>/dev/null || true

# 1-2. PostgreSQL: two API processes behind nginx; one worker at first (the second joins for step 3).
bench/scale-out/run-cluster.sh --built-config Release --workers 1 -- $unlimited >"$work/cluster.out" 2>&1 &
children+=($!)
for _ in $(seq 1 600); do grep -q '^READY' "$work/cluster.out" && break; kill -0 "${children[-1]}" 2>/dev/null || break; sleep 0.5; done
grep -q '^READY' "$work/cluster.out" || { cat "$work/cluster.out" >&2; exit 1; }
# shellcheck disable=SC1090
. "$(sed -n 's/^READY //p' "$work/cluster.out")"
prepare_reads "$PROXY_URL" "$ORGANISER_TOKEN" postgres
cluster=$(dirname "$(sed -n 's/^READY //p' "$work/cluster.out")")
postmaster=$(head -n 1 "$cluster/pg/data/postmaster.pid")
nginx_master=$(cat "$cluster/nginx/nginx.pid")
cpu_groups=("matchmaker:echo $PROCESS_IDS" "postgres:echo $postmaster; pgrep -P $postmaster" "nginx:echo $nginx_master; pgrep -P $nginx_master")
measure "$PROXY_URL" "$ORGANISER_TOKEN" postgres

# 3. Ten events rescored at once: one worker (two job threads), then two workers (four).
/usr/bin/python3 bench/scale-out/rescore.py setup "$PROXY_URL" "$ORGANISER_TOKEN" $events
echo "RESULT postgres rescoring 1-worker $(/usr/bin/python3 bench/scale-out/rescore.py run "$PROXY_URL" "$ORGANISER_TOKEN" $events)"
sh -c "$WORKER_COMMAND" >"$work/worker-2.log" 2>&1 &
children=("$!" "${children[@]}")
sleep 10  # started, migrated (nothing to do) and checked in to the clustered job store
echo "RESULT postgres rescoring 2-workers $(/usr/bin/python3 bench/scale-out/rescore.py run "$PROXY_URL" "$ORGANISER_TOKEN" $events)"
echo "machine: $(uptime | sed 's/.*load average/load average/') at the end"
