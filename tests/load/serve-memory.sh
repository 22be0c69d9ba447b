#!/usr/bin/env bash
# Serve's memory under load, measured (not asserted): idle RSS, the peak and the RSS after a burst of large bodies,
# after a burst of large Invoke API calls, and the same under many connections of small requests. The goal: the peak stays under twice the bytes in
# flight plus the idle size, and after the burst RSS returns to within 10 % of idle.
#
#   tests/load/serve-memory.sh [--bodies 20] [--body-mib 10] [--invokes 60] [--connections 500] [--seconds 10] [--mode aot|r2r|jit]
#
# Needs curl and wrk (./fn setup installs wrk). Starts its own ./fn serve on a free port, with its data in memory.
set -euo pipefail

bodies=20 body_mib=10 invokes=60 connections=500 seconds=10 mode=aot
while [ $# -gt 0 ]; do
  case "$1" in
    --bodies) bodies="$2"; shift 2 ;;
    --body-mib) body_mib="$2"; shift 2 ;;
    --invokes) invokes="$2"; shift 2 ;;
    --mode) mode="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    *) echo "usage: $0 [--bodies N] [--body-mib N] [--invokes N] [--connections N] [--seconds N] [--mode aot|r2r|jit]" >&2; exit 2 ;;
  esac
done
source "$(dirname "${BASH_SOURCE[0]}")/serve-lib.sh"
require_wrk

# Samples serve's RSS every 50 ms into $1 until $2 exists.
sample_peak() {
  local out="$1" stop="$2" peak=0 now
  while [ ! -e "$stop" ]; do
    now="$(rss_mib)"; [ "$now" -le "$peak" ] || peak="$now"
    sleep 0.05
  done
  echo "$peak" >"$out"
}

# Waits for RSS to settle (two readings 1 s apart within 2 MiB, at most 30 s) and prints it.
settled_rss() {
  local before after i
  before="$(rss_mib)"
  for i in $(seq 30); do
    sleep 1; after="$(rss_mib)"
    [ $((after - before)) -gt 2 ] || [ $((before - after)) -gt 2 ] || break
    before="$after"
  done
  echo "$after"
}

start_serve "$mode"
# Idle is read with the instances the burst will use already warm (they stay warm after it, as on Lambda): each one
# costs serve its own Runtime API listener, which is not the burst's memory.
for _ in $(seq "$bodies"); do curl -s -o /dev/null "$url/hello" & done
wait $(jobs -p | grep -v "^$serve_pid$") 2>/dev/null || true
idle="$(settled_rss)"

# JSON-like text, quotes and all: the event escapes them, so it is larger than the body.
yes '{"name":"widget","price":12.5},' | head -c $((body_mib * 1024 * 1024)) >"$work/body" || true # yes ends on SIGPIPE
sample_peak "$work/peak" "$work/stop" &
sampler=$!
for _ in $(seq "$bodies"); do
  curl -s -o /dev/null -w '%{http_code}\n' -X GET --data-binary "@$work/body" -H 'Content-Type: text/plain' "$url/hello" >>"$work/codes" &
done
wait $(jobs -p | grep -v "^$sampler$" | grep -v "^$serve_pid$") 2>/dev/null || true
touch "$work/stop"; wait "$sampler"
burst_peak="$(cat "$work/peak")"
after_burst="$(settled_rss)"
in_flight=$((bodies * body_mib))

# Invoke API calls at Lambda's event limit (6,291,456 bytes, valid JSON), all at once: they share the front door's bound.
{ printf '{"pad":"'; head -c $((6291456 - 10)) /dev/zero | tr '\0' 'x'; printf '"}'; } >"$work/event"
rm -f "$work/stop"
sample_peak "$work/peak" "$work/stop" &
sampler=$!
# Signed as AWS's SDKs sign (any credentials do): serve's Invoke API refuses an unsigned request.
for _ in $(seq "$invokes"); do
  curl -s -o /dev/null -w '%{http_code}\n' --aws-sigv4 aws:amz:us-east-1:lambda -u local:local -X POST --data-binary "@$work/event" "$invoke_url/2015-03-31/functions/Hello/invocations" >>"$work/invoke-codes" &
done
wait $(jobs -p | grep -v "^$sampler$" | grep -v "^$serve_pid$") 2>/dev/null || true
touch "$work/stop"; wait "$sampler"
invoke_peak="$(cat "$work/peak")"
after_invokes="$(settled_rss)"

rm -f "$work/stop"
sample_peak "$work/peak" "$work/stop" &
sampler=$!
wrk -t 2 -c "$connections" -d "${seconds}s" "$url/hello" >"$work/wrk" 2>&1 || true
touch "$work/stop"; wait "$sampler"
conn_peak="$(cat "$work/peak")"
after_conn="$(settled_rss)"

echo "serve idle RSS: ${idle} MiB"
echo "burst: ${bodies} x ${body_mib} MiB bodies (${in_flight} MiB in flight), answers: $(sort "$work/codes" | uniq -c | awk '{printf "%s x %s  ", $1, $2}')"
echo "  peak RSS ${burst_peak} MiB (goal < 2 x ${in_flight} + ${idle} = $((2 * in_flight + idle)) MiB), after ${after_burst} MiB (goal <= $((idle * 110 / 100)) MiB)"
echo "invokes: ${invokes} x 6,291,456-byte events at once, answers: $(sort "$work/invoke-codes" | uniq -c | awk '{printf "%s x %s  ", $1, $2}')"
echo "  peak RSS ${invoke_peak} MiB, after ${after_invokes} MiB"
echo "connections: ${connections} for ${seconds} s: $(grep -E 'Requests/sec|Non-2xx' "$work/wrk" | tr -s ' ' | tr '\n' ' ')"
echo "  peak RSS ${conn_peak} MiB, after ${after_conn} MiB"
