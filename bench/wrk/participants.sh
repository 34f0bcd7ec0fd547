# Sourced by bench/api/run.sh and bench/scale-out/run.sh: the wrk scripts that send each GET as one of an event's SMEs.
#
#   participant_scripts BASE_URL ORGANISER_TOKEN EVENT_ID FOLDER
#
# issues a token for each of the first 100 SMEs of EVENT_ID and writes FOLDER/recommendations.lua and
# FOLDER/itinerary.lua: GET /api/events/EVENT_ID/smes/{id}/<endpoint>, round robin over the SMEs, each with its own
# token. wrk prints one last line "rps=… p50_ms=… p99_ms=… non2xx=… errors=…" (errors: socket errors, nearly all its
# 2 s timeouts).
participant_scripts() {
  local base=$1 token=$2 event=$3 folder=$4 auth="Authorization: Bearer $2" id t endpoint
  local list="$folder/participants.lua"
  echo "requests = {}" >"$list"
  for id in $(curl -sf -H "$auth" "$base/api/events/$event/smes?pageSize=100" \
              | python3 -c 'import sys,json; print(" ".join(str(s["id"]) for s in json.load(sys.stdin)["items"]))'); do
    t=$(curl -sf -X POST -H "$auth" -H 'Content-Type: application/json' -d "{\"role\":\"sme\",\"smeId\":$id}" \
        "$base/api/events/$event/tokens" | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')
    echo "table.insert(requests, {id=$id, token=\"$t\"})" >>"$list"
  done
  for endpoint in recommendations itinerary; do
    { cat "$list"; cat <<LUA
counter = 0
request = function()
  counter = counter + 1
  local r = requests[(counter % #requests) + 1]
  return wrk.format("GET", "/api/events/$event/smes/" .. r.id .. "/$endpoint", {Authorization = "Bearer " .. r.token})
end
done = function(summary, latency, requests)
  io.write(string.format("rps=%.0f p50_ms=%.2f p99_ms=%.2f non2xx=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
    } >"$folder/$endpoint.lua"
  done
}
