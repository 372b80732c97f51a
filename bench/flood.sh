#!/usr/bin/env bash
# Abuse limits under load (issue 19): does a flood raise anyone else's latency? Our server alone,
# with its default rate limits (Gateway:RateLimits 10 KB/s per connection, Xmpp:Limits 100
# stanzas/s per account) and, for comparison, without them (the bench anchor's setting). Each
# run: 100 pairs chat at 2,000 msg/s in all for 20 s (the everyday-load scenario of run.sh),
# beside FLOODERS more accounts that each send chat messages to one victim as fast as their
# sockets take them. Prints one line per run: the pairs' latency and the server's CPU per
# message, and how much of the flood got through. REPS repetitions, the settings interleaved.
#
#   bench/flood.sh                    # REPS=3 FLOODERS=10 (about 5 minutes)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
REPS="${REPS:-3}"
FLOODERS="${FLOODERS:-10}"
WORK="${WORK:-/tmp/xmpp-bench-flood}"
ART="${ART:-/tmp/xmpp-bench-art}"
PORT="${PORT:-17222}"

for project in src/Xmpp.Server bench/Xmpp.Bench bench/Xmpp.Bench.Provision; do
    dotnet build "$ROOT/$project" -c Release --artifacts-path "$ART" -nologo -v quiet >/dev/null
done

rm -rf "$WORK" && mkdir -p "$WORK"
dotnet "$ART/bin/Xmpp.Bench.Provision/release/Xmpp.Bench.Provision.dll" "$WORK/xmpp.db" bench $((200 + FLOODERS + 1)) bench >&2

declare -A LIMITS=(
    [limits-on]="--Gateway:RateLimits:Tcp:BytesPerSecond=10240 --Xmpp:Limits:StanzasPerSecond=100"
    [limits-off]="--Gateway:RateLimits:Tcp:BytesPerSecond=0 --Xmpp:Limits:StanzasPerSecond=0")

run() { # label flooders limits
    # shellcheck disable=SC2086 # the limits are separate arguments
    dotnet "$ART/bin/Xmpp.Server/release/Xmpp.Server.dll" --config "$ROOT/bench/anchors/orleans-xmpp.json" --DataDirectory="$WORK" \
        --c2s-port "$PORT" --management-port 0 --Orleans:SiloPort=$((PORT + 1)) --Orleans:GatewayPort=$((PORT + 2)) $3 >"$WORK/$1.log" 2>&1 &
    local pid=$!
    for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
    dotnet "$ART/bin/Xmpp.Bench/release/Xmpp.Bench.dll" chat --port "$PORT" --mech SCRAM-SHA-1 --pairs 100 --rate 2000 --duration 20 \
        --flooders "$2" --server-pid "$pid" --server-name orleans-xmpp --label "$1" --out "$WORK/results.jsonl" >/dev/null
    kill "$pid"; wait "$pid" 2>/dev/null || true
    python3 - "$WORK/results.jsonl" <<'PY'
import json, sys
with open(sys.argv[1]) as results:
    r = json.loads(results.readlines()[-1])
m = r["Metrics"]
print("%-24s p50 %8.2f ms  p99 %8.2f ms  %6.1f us CPU/msg  flood in %6.0f msg/s" % (
    r["Scenario"], m["latency_p50_ms"], m["latency_p99_ms"], m["server_cpu_us_per_delivery"], m.get("flood_delivered_per_s", 0)))
PY
}

for rep in $(seq 1 "$REPS"); do
    for limits in limits-on limits-off; do
        run "$limits-quiet-$rep" 0 "${LIMITS[$limits]}"
        run "$limits-flood-$rep" "$FLOODERS" "${LIMITS[$limits]}"
    done
done
