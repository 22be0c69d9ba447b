#!/usr/bin/env bash
# The edit loop, measured (not asserted): ./fn serve --watch runs, Hello's message is edited, and the time from the
# file's save to /hello answering the new text is printed, once per edit. Hello.cs is put back when the script ends.
#
#   tests/load/serve-reload.sh [--mode jit|aot|r2r] [--edits 5] [--no-build-servers]
#
# Starts its own ./fn serve on a free port, with its data in memory.
set -euo pipefail

mode=jit edits=5 servers=""
while [ $# -gt 0 ]; do
  case "$1" in
    --mode) mode="$2"; shift 2 ;;
    --edits) edits="$2"; shift 2 ;;
    --no-build-servers) servers="--no-build-servers"; shift ;;
    *) echo "usage: $0 [--mode jit|aot|r2r] [--edits N] [--no-build-servers]" >&2; exit 2 ;;
  esac
done

source "$(dirname "${BASH_SOURCE[0]}")/serve-lib.sh"
source_file="$root/lambdas/Hello/Hello.cs"
cp "$source_file" "$work/Hello.cs"
trap 'cp "$work/Hello.cs" "$source_file"; cleanup' EXIT

start_serve "$mode" --watch $servers
# With build servers, serve starts them once every function is built: the edits begin after that.
if [ -z "$servers" ]; then
  for _ in $(seq 600); do grep -q "Build servers started" "$work/serve.log" && break; sleep 0.1; done
fi
curl -sf -o /dev/null "$url/hello"

for edit in $(seq "$edits"); do
  text="edited $edit at $(date +%s%N)"
  sed "s/new MessageBody(\"[^\"]*\")/new MessageBody(\"$text\")/" "$work/Hello.cs" >"$work/edited.cs"
  saved=$(date +%s%N)
  cp "$work/edited.cs" "$source_file"
  until curl -s --max-time 60 "$url/hello" | grep -q "$text"; do
    sleep 0.1 # each curl is a process: polling faster takes CPU from the build it waits for
    [ $(( ($(date +%s%N) - saved) / 1000000000 )) -lt 300 ] || { echo "edit $edit: not served after 300 s" >&2; tail -20 "$work/serve.log" >&2; exit 1; }
  done
  answered=$(date +%s%N)
  build="$(grep -oE "built Hello \([^)]*\) in [0-9.]+ s" "$work/serve.log" | tail -1 | grep -oE "[0-9.]+ s$" || true)"
  printf 'edit %d (%s%s): served %.2f s after the save (build %s)\n' "$edit" "$mode" "${servers:+, no build servers}" "$(echo "($answered - $saved) / 1000000000" | bc -l)" "$build"
done
