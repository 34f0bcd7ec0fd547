#!/usr/bin/env bash
# The README's "Running on several machines", on one machine over loopback: a PostgreSQL cluster of its own (Debian's
# binaries, under a temporary folder), a role and a database for Matchmaker, N API processes with
# Matchmaker:Worker:InProcess=false, M standalone workers, and nginx in front with deploy/nginx/matchmaker.conf. The
# first API process to start migrates the empty database, loads the sample expo and scores it (under an advisory lock:
# the others wait and find it done). Used by bench/scale-out/run.sh and by ScaleOutTests.
#
# Usage: bench/scale-out/run-cluster.sh [--apis N=2] [--workers M=2] [--folder DIR] [--built-config Debug|Release]
#          [--no-nginx] [--watch-pid PID] [-- --Matchmaker:Setting=value ...]
#   --folder       where everything lives (default: a new temporary folder, deleted at the end)
#   --built-config run the build outputs src/*/bin/<config>/net10.0 as they are (default: dotnet build -c Release first)
#   --watch-pid    stop everything when that process ends (a test that started this script)
#   after --       settings given to every API process and worker
# Prints one line "READY <folder>/cluster.env" when every process answers; that file has PROXY_URL, API_URLS,
# CONNECTION_STRING, DATA_FOLDER, ORGANISER_TOKEN and the workers' command line (WORKER_COMMAND, to add one). Runs until interrupted
# (or the watched process ends), then stops the processes and the server and deletes the folder it created.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)

apis=2 workers=2 folder="" built_config="" use_nginx=1 watch_pid=""
while [ $# -gt 0 ]; do
  case "$1" in
    --apis) apis=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    --folder) folder=$2; shift 2 ;;
    --built-config) built_config=$2; shift 2 ;;
    --no-nginx) use_nginx=0; shift ;;
    --watch-pid) watch_pid=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "run-cluster.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
extra=("$@")

pg_bin=${MATCHMAKER_POSTGRES_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)}
[ -x "$pg_bin/initdb" ] || { echo "run-cluster.sh: needs PostgreSQL's server binaries: apt-get install -y postgresql" >&2; exit 2; }
nginx=${MATCHMAKER_NGINX:-nginx}
if [ $use_nginx = 1 ] && ! command -v "$nginx" >/dev/null; then
  echo "run-cluster.sh: needs nginx: apt-get install -y nginx-light (or --no-nginx)" >&2; exit 2
fi

pids=() own_folder=0
as_postgres=()
[ "$(id -u)" = 0 ] && as_postgres=(runuser -u postgres --)
cleanup() {
  trap - EXIT INT TERM
  [ -f "$folder/nginx/nginx.pid" ] && kill "$(cat "$folder/nginx/nginx.pid")" 2>/dev/null || true
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  [ -n "$folder" ] && [ -f "$folder/pg/data/postmaster.pid" ] && "${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$folder/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  if [ "$own_folder" = 1 ]; then rm -rf "$folder"; fi
}
trap cleanup EXIT
trap 'exit 0' INT TERM

if [ -z "$folder" ]; then folder=$(mktemp -d /tmp/matchmaker-cluster.XXXXXX); own_folder=1; fi
mkdir -p "$folder/logs" "$folder/data" "$folder/nginx"
folder=$(cd "$folder" && pwd)
chmod 755 "$folder"
pg_data="$folder/pg/data"

# The applications, built once (not published: the README's deployment publishes them); each process runs its dll from
# its project folder, the API's content root (appsettings.json, the pages' wwwroot/; the samples are copied beside its
# dll); the worker reads its settings beside its dll. --built-config takes the outputs of a build already done (a test's).
config=${built_config:-Release}
if [ -z "$built_config" ]; then
  dotnet build -c Release "$repo/src/Matchmaker.Api" -v q -nologo >"$folder/logs/build.log"   # builds the worker too
fi
api_dir="$repo/src/Matchmaker.Api" api_dll="bin/$config/net10.0/Matchmaker.Api.dll"
worker_dir="$repo/src/Matchmaker.Worker" worker_dll="bin/$config/net10.0/Matchmaker.Worker.dll"

# A port nothing listens on (and not handed out before in this run).
used_ports=" "
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 40000))
    case "$used_ports" in *" $p "*) continue ;; esac
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && continue
    used_ports+="$p "; echo "$p"; return
  done
}


# 1. PostgreSQL. On a server this is Debian's own cluster (apt-get install postgresql); here a throwaway one, run as the
#    postgres user (initdb refuses root), local connections trusted, TCP on 127.0.0.1 with a password.
pg_port=$(free_port)
mkdir -p "$folder/pg"
[ "$(id -u)" = 0 ] && chown postgres: "$folder/pg"
"${as_postgres[@]}" "$pg_bin/initdb" -D "$pg_data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
  -E UTF8 --locale=C.UTF-8 >"$folder/logs/initdb.log" 2>&1
"${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$pg_data" -l "$folder/pg/server.log" -w -t 60 start \
  -o "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$folder/pg -c max_connections=200" >/dev/null
password=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
psql=("${as_postgres[@]}" "$pg_bin/psql" -h "$folder/pg" -p "$pg_port" -U postgres -v ON_ERROR_STOP=1 -q)
"${psql[@]}" -c "CREATE ROLE matchmaker LOGIN PASSWORD '$password'"
"${psql[@]}" -c "CREATE DATABASE matchmaker OWNER matchmaker TEMPLATE template0 LOCALE 'C.UTF-8' ENCODING 'UTF8'"
# Each process keeps at most 40 connections (Npgsql's pool, Quartz included): 4 processes stay under max_connections.
connection="Host=127.0.0.1;Port=$pg_port;Database=matchmaker;Username=matchmaker;Password=$password;Maximum Pool Size=40"

# 2. The processes. Every one gets the same store settings; the APIs only queue jobs, the workers run them.
common=(--Matchmaker:Store:Provider=postgres "--Matchmaker:Store:ConnectionString=$connection"
        "--Matchmaker:Store:DataFolder=$folder/data" --Logging:LogLevel:Default=Warning
        --Logging:LogLevel:Matchmaker.Api=Information "${extra[@]}")
api_urls=()
for i in $(seq 1 "$apis"); do
  port=$(free_port)
  (cd "$api_dir" && exec dotnet "$api_dll" --urls "http://127.0.0.1:$port" --Matchmaker:Worker:InProcess=false "${common[@]}") \
    >"$folder/logs/api-$i.log" 2>&1 &
  pids+=($!)
  api_urls+=("http://127.0.0.1:$port")
done
worker_command="cd '$worker_dir' && exec dotnet $worker_dll"
for a in "${common[@]}"; do worker_command+=" $(printf '%q' "$a")"; done
for i in $(seq 1 "$workers"); do
  sh -c "$worker_command" >"$folder/logs/worker-$i.log" 2>&1 &
  pids+=($!)
done

# 3. nginx with the committed configuration; only the ports and the paths of its own files differ.
proxy_url=""
if [ $use_nginx = 1 ]; then
  proxy_port=$(free_port)
  upstreams=""
  for url in "${api_urls[@]}"; do upstreams+="    server ${url#http://} max_fails=3 fail_timeout=10s;\n"; done
  # The upstream lines are replaced by this cluster's API processes, the listen port by a free one.
  sed -e '/^    server 127\.0\.0\.1:500[0-9]/d' -e "s|^upstream matchmaker_api {|upstream matchmaker_api {\n$upstreams|" \
      -e "s|^    listen 80;|    listen 127.0.0.1:$proxy_port;|" "$repo/deploy/nginx/matchmaker.conf" >"$folder/nginx/matchmaker.conf"
  mkdir -p "$folder/nginx/temp"
  cat >"$folder/nginx/nginx.conf" <<NGINX
# Main context for a loopback run (Debian's /etc/nginx/nginx.conf plays this part on a server).
worker_processes auto;
pid $folder/nginx/nginx.pid;
error_log $folder/logs/nginx-error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $folder/nginx/temp/body;
    proxy_temp_path $folder/nginx/temp/proxy;
    fastcgi_temp_path $folder/nginx/temp/fastcgi;
    uwsgi_temp_path $folder/nginx/temp/uwsgi;
    scgi_temp_path $folder/nginx/temp/scgi;
    include $folder/nginx/matchmaker.conf;
}
NGINX
  "$nginx" -p "$folder/nginx" -e "$folder/logs/nginx-error.log" -c "$folder/nginx/nginx.conf"
  proxy_url="http://127.0.0.1:$proxy_port"
fi

# 4. Wait until every process answers (the first API start loads and scores the samples: up to a minute or two).
for _ in $(seq 1 600); do
  up=1
  for url in "${api_urls[@]}" $proxy_url; do curl -sf -o /dev/null "$url/health" || { up=0; break; }; done
  [ $up = 1 ] && break
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "run-cluster.sh: a process ended at start; logs in $folder/logs:" >&2; tail -n 30 "$folder"/logs/*.log >&2; exit 1; }
  done
  sleep 0.5
done
[ $up = 1 ] || { echo "run-cluster.sh: not up after 5 minutes; logs in $folder/logs" >&2; exit 1; }
for _ in $(seq 1 100); do [ -s "$folder/data/organiser-token.txt" ] && break; sleep 0.1; done

cat >"$folder/cluster.env" <<ENV
PROXY_URL=$proxy_url
API_URLS="${api_urls[*]}"
CONNECTION_STRING="$connection"
DATA_FOLDER=$folder/data
ORGANISER_TOKEN=$(tr -d '\n' <"$folder/data/organiser-token.txt")
WORKER_COMMAND="$(printf '%s' "$worker_command" | sed 's/["$`\\]/\\&/g')"
PROCESS_IDS="${pids[*]}"
PG_PORT=$pg_port
ENV
echo "READY $folder/cluster.env"

while :; do
  sleep 1
  if [ -n "$watch_pid" ] && ! kill -0 "$watch_pid" 2>/dev/null; then exit 0; fi
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "run-cluster.sh: process $pid ended; logs in $folder/logs" >&2; exit 1; }
  done
done
