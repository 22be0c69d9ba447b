#!/usr/bin/env bash
# Warm invocations of the DummyFunction (JIT) against a Runtime API that writes each response as two sends with Nagle
# and delayed ACKs on (tests/Functions.Tests/Runtime/Fixtures/two_send_runtime_api.py): p50 and p90 of the time
# between two /next requests. Usage: tests/load/runtime-two-send.sh [INVOCATIONS] (default 200).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
n="${1:-200}"
dotnet build "$root/tests/Fixtures/DummyFunction" -c Release --nologo -v quiet >&2
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
python3 "$root/tests/Functions.Tests/Runtime/Fixtures/two_send_runtime_api.py" "$n" >"$out" &
api=$!
while [ ! -s "$out" ]; do sleep 0.05; done
AWS_LAMBDA_RUNTIME_API="127.0.0.1:$(head -1 "$out")" AWS_LAMBDA_FUNCTION_NAME=Dummy \
  dotnet "$root/tests/Fixtures/DummyFunction/bin/Release/net10.0/DummyFunction.dll" >/dev/null 2>&1 || true # It ends when the API closes.
wait "$api"
tail -n +2 "$out" | sort -n | awk '{ a[NR] = $1 } END { printf "%d warm invocations: p50 %s ms, p90 %s ms\n", NR, a[int(NR * 0.5) + 1], a[int(NR * 0.9) + 1] }'
