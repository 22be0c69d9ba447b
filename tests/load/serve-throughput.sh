#!/usr/bin/env bash
# serve's throughput and memory, measured (not asserted): requests a second and latency percentiles for GET /hello and
# GET /items/{id} through ./fn serve, at --connections (10) and at --many (500) connections, each after a warm-up run;
# then serve's RSS idle before the load, right after it, and --settle (30) seconds after it.
#
#   tests/load/serve-throughput.sh [--connections 10] [--many 500] [--seconds 10] [--runs 2] [--settle 30] [--mode aot|r2r|jit] [--cpu lambda|host]
#
# --cpu lambda (serve's default) holds each instance to its memory size's share of a vCPU, as Lambda does: a function
# that spends CPU on each invocation (Items.Get signs and sends a DynamoDB request) then caps the rate at
# instances x share / CPU per invocation, as it would on Lambda. --cpu host lets them use the machine.
#
# Needs curl and wrk (./fn setup installs wrk). Starts its own ./fn serve on a free port, with its data in memory.
set -euo pipefail

connections=10 many=500 seconds=10 runs=2 settle=30 mode=aot cpu=lambda
while [ $# -gt 0 ]; do
  case "$1" in
    --connections) connections="$2"; shift 2 ;;
    --many) many="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --settle) settle="$2"; shift 2 ;;
    --mode) mode="$2"; shift 2 ;;
    --cpu) cpu="$2"; shift 2 ;;
    *) echo "usage: $0 [--connections N] [--many N] [--seconds N] [--runs N] [--settle S] [--mode aot|r2r|jit] [--cpu lambda|host]" >&2; exit 2 ;;
  esac
done
source "$(dirname "${BASH_SOURCE[0]}")/serve-lib.sh"
require_wrk

# One wrk run: "<requests/s> req/s, p50 <ms>, p99 <ms>, <errors>".
measure() {
  local path="$1" conns="$2" out
  out="$(wrk -t2 -c"$conns" -d"${seconds}s" --latency "$url$path")"
  awk -v conns="$conns" '
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
    /Non-2xx or 3xx/ { errors = errors $0 }
    /Socket errors/ { errors = errors $0 }
    END { printf "%5d connections: %9.0f req/s, p50 %s, p99 %s%s\n", conns, rps, p50, p99, errors ? " (" errors ")" : "" }' <<<"$out"
}

start_serve "$mode" --cpu "$cpu"

token="$("$root/fn" token --scope items:write)"
id="$(curl -sf -X POST "$url/items" -H "authorization: Bearer $token" -H 'content-type: application/json' \
  -d '{"name":"Espresso cup","price":12.5}' | sed -E 's/.*"id":"([^"]+)".*/\1/')"
curl -sf -o /dev/null "$url/hello"
curl -sf -o /dev/null "$url/items/$id"
sleep 2
idle="$(rss_mib)"

echo "serve ($mode, --cpu $cpu), wrk -t2 for ${seconds} s a run, after a warm-up run of each:"
for path in /hello "/items/$id"; do
  echo "GET $path"
  for conns in "$connections" "$many"; do
    wrk -t2 -c"$conns" -d"${seconds}s" "$url$path" >/dev/null
    for _ in $(seq "$runs"); do measure "$path" "$conns"; done
  done
done
after="$(rss_mib)"
sleep "$settle"
echo "serve's RSS: idle ${idle} MiB, right after the load ${after} MiB, ${settle} s later $(rss_mib) MiB"
