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

# 100 SMEs, each with its own token; the Lua script sends each request as one of them.
smes=$(curl -sf -H "$auth" "$base/smes?pageSize=100" | python3 -c 'import sys,json; print(" ".join(str(s["id"]) for s in json.load(sys.stdin)["items"]))')
lua="$data/participants.lua"
echo "requests = {}" >"$lua"
for id in $smes; do
  t=$(curl -sf -X POST -H "$auth" -H 'Content-Type: application/json' -d "{\"role\":\"sme\",\"smeId\":$id}" "$base/tokens" \
      | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')
  echo "table.insert(requests, {id=$id, token=\"$t\"})" >>"$lua"
done
cat >>"$lua" <<'LUA'
counter = 0
request = function()
  counter = counter + 1
  local r = requests[(counter % #requests) + 1]
  local path = "/api/events/busan-2026/smes/" .. r.id .. "/" .. ENDPOINT
  return wrk.format("GET", path, {Authorization = "Bearer " .. r.token})
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %s rps=%.0f p50_ms=%.2f p99_ms=%.2f non2xx=%d errors=%d\n", ENDPOINT,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
for endpoint in recommendations itinerary; do
  sed "s/ENDPOINT/\"$endpoint\"/g" "$lua" >"$data/$endpoint.lua"
  wrk -t1 -c1 -d3s -s "$data/$endpoint.lua" "http://127.0.0.1:$port" >/dev/null  # warm-up: JIT and caches
  wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$data/$endpoint.lua" "http://127.0.0.1:$port" | grep -E "^RESULT|Latency|Requests/sec"
done

echo "mixed writes for ${seconds}s:"
dotnet bench/Matchmaker.LoadTest/bin/Release/net10.0/Matchmaker.LoadTest.dll --url "http://127.0.0.1:$port" \
  --organiser-token $token --seconds "$seconds" --concurrency 32 | tail -1
