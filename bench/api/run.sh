#!/usr/bin/env bash
# Read latency of the participant endpoints under load, on loopback only: the API (Release, sample expo, published
# timetable) and wrk with 200 connections against SME recommendations and itineraries, each request with its own SME's
# token. Then the mixed-write run (bench/Matchmaker.LoadTest): requests, decisions and outcomes at once, nothing lost.
# Usage: bench/api/run.sh [seconds=30] [connections=200]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-30}
connections=${2:-200}
port=5090
token=mm_bench_organiser
data=$(mktemp -d)
command -v wrk >/dev/null || { echo "needs wrk: apt-get install -y wrk" >&2; exit 1; }

dotnet build -c Release src/Matchmaker.Api -v q -nologo >/dev/null
dotnet build -c Release bench/Matchmaker.LoadTest -v q -nologo >/dev/null
# The per-participant rate limit (600/min) would turn most benchmark traffic into 429s: raised for the measurement.
dotnet src/Matchmaker.Api/bin/Release/net10.0/Matchmaker.Api.dll --urls "http://127.0.0.1:$port" \
  --Matchmaker:Store:DataFolder="$data" --Matchmaker:Access:OrganiserToken=$token \
  --Matchmaker:RateLimits:PerParticipantPerMinute=100000000 --Logging:LogLevel:Default=Warning >"$data/api.log" 2>&1 &
api=$!
trap 'kill $api 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.5; done
auth="Authorization: Bearer $token"
base="http://127.0.0.1:$port/api/events/busan-2026"
job=$(curl -sf -X POST -H "$auth" "$base/timetable" | python3 -c 'import sys,json; print(json.load(sys.stdin)["jobId"])')
for _ in $(seq 1 120); do
  state=$(curl -sf -H "$auth" "http://127.0.0.1:$port/api/jobs/$job" | python3 -c 'import sys,json; print(json.load(sys.stdin)["state"])')
  [ "$state" = succeeded ] && break; sleep 0.5
done
curl -sf -X POST -H "$auth" "$base/timetable/publish" >/dev/null

# 100 SMEs, each with its own token; each wrk request is sent as one of them.
. bench/wrk/participants.sh
participant_scripts "http://127.0.0.1:$port" $token busan-2026 "$data"
for endpoint in recommendations itinerary; do
  wrk -t1 -c1 -d3s -s "$data/$endpoint.lua" "http://127.0.0.1:$port" >/dev/null  # warm-up: JIT and caches
  echo "RESULT $endpoint $(wrk -t2 -c"$connections" -d"${seconds}s" -s "$data/$endpoint.lua" "http://127.0.0.1:$port" | tail -n 1)"
done

echo "mixed writes for ${seconds}s (after a 5 s warm-up of the write paths with another seed):"
loadtest=bench/Matchmaker.LoadTest/bin/Release/net10.0/Matchmaker.LoadTest.dll
dotnet $loadtest --url "http://127.0.0.1:$port" --organiser-token $token --seconds 5 --concurrency 32 --seed 3 >/dev/null
dotnet $loadtest --url "http://127.0.0.1:$port" --organiser-token $token --seconds "$seconds" --concurrency 32 | tail -1
