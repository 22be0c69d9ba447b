# Sourced by the serve-*.sh load scripts: their own ./fn serve on a free port with its data in memory, stopped when the
# script ends, and its RSS. Sets root, work (a temporary folder), serve_pid, url and invoke_url.

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d)"
serve_pid=""
cleanup() { [ -z "$serve_pid" ] || kill "$serve_pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

require_wrk() { command -v wrk >/dev/null || { echo "wrk is missing: run ./fn setup (or apt-get install wrk)." >&2; exit 1; }; }

rss_mib() { awk '/^VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$serve_pid/status"; }

# start_serve MODE [SERVE OPTION...]: builds every function first (the figures are of serving, not building), starts
# serve and returns once every function is served. Its log is $work/serve.log.
start_serve() {
  local mode="$1"; shift
  "$root/fn" build --mode "$mode" >/dev/null
  "$root/fn" serve --port 0 --in-memory --mode "$mode" "$@" >"$work/serve.log" 2>&1 &
  serve_pid=$!
  for _ in $(seq 3000); do
    grep -q "functions are built and served\|did not build" "$work/serve.log" && break
    kill -0 "$serve_pid" 2>/dev/null || break
    sleep 0.1
  done
  grep -q "functions are built and served" "$work/serve.log" || { echo "serve did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }
  url="$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$work/serve.log" | head -1)"
  invoke_url="$(grep -oE 'Invoke API on http://127\.0\.0\.1:[0-9]+' "$work/serve.log" | head -1 | sed 's/Invoke API on //')"
}
