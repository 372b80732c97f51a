#!/usr/bin/env bash
# Cross-checks the chat-rate scenario with an independent load generator, tsung (Debian package):
# 200 users log in with SASL PLAIN and each sends a chat message to a random online user every
# 100 ms (2,000 msg/s in all, bench/tsung/chat.xml.in); the server's CPU is read from /proc over
# 8 s of steady load and given per message. Runs this server, then ejabberd, each alone and fresh,
# REPS times. Accounts ts1..ts200 with passwords pw1..pw200 (tsung's naming), created once.
#
#   bench/tsung/cross-check.sh            # about 4 minutes
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
ART="${ART:-/tmp/art-bench}"
WORK="${WORK:-/tmp/xmpp-tsung}"
REPS="${REPS:-2}"
USERS=200
sudo_if_needed=""; [ "$(id -u)" -eq 0 ] || sudo_if_needed="sudo"
log() { echo "[cross-check $(date +%T)] $*" >&2; }

for pkg in tsung ejabberd; do
    dpkg -s "$pkg" >/dev/null 2>&1 || { $sudo_if_needed apt-get update -qq; DEBIAN_FRONTEND=noninteractive $sudo_if_needed apt-get install -y -qq "$pkg" >/dev/null; }
done
for project in src/Xmpp.Server bench/Xmpp.Bench.Provision; do
    dotnet build "$ROOT/$project" -c Release --artifacts-path "$ART" -nologo -v quiet >/dev/null
done

wait_port() { for _ in $(seq 1 $(( $2 * 10 ))); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; log "nothing listens on port $1"; return 1; }

# tsung against PORT; prints the CPU of PID per message over seconds 26-34 (every user sends then).
measure() { # port pid label
    local port=$1 pid=$2 label=$3 tck c0 c1
    sed -e "s/@PORT@/$port/" -e "s/@LOOPS@/200/" "$ROOT/bench/tsung/chat.xml.in" >"$WORK/chat-$label.xml"
    mkdir -p "$WORK/log-$label"
    (cd "$WORK" && tsung -f "$WORK/chat-$label.xml" -l "$WORK/log-$label" start >"$WORK/tsung-$label.txt" 2>&1) &
    local tsung=$!
    sleep 26; c0=$(awk '{print $14+$15}' "/proc/$pid/stat"); sleep 8; c1=$(awk '{print $14+$15}' "/proc/$pid/stat")
    wait "$tsung"
    tck=$(getconf CLK_TCK)
    awk -v l="$label" -v c="$(( c1 - c0 ))" -v t="$tck" 'BEGIN { printf "%s: %.2f CPU-s in 8 s, %.1f us per message at 2,000 msg/s\n", l, c / t, c / t / 8 / 2000 * 1e6 }'
}

rm -rf "$WORK"; mkdir -p "$WORK/orleans" "$WORK/ejabberd/etc" "$WORK/ejabberd/spool" "$WORK/ejabberd/logs"
dotnet "$ART/bin/Xmpp.Bench.Provision/release/Xmpp.Bench.Provision.dll" "$WORK/orleans/xmpp.db" ts "$USERS" 'pw{i}' >&2
cp "$ROOT"/bench/anchors/ejabberd/* "$WORK/ejabberd/etc/"
chown -R ejabberd:ejabberd "$WORK/ejabberd" 2>/dev/null || true
as_user=(su -s /bin/sh ejabberd -c); [ "$(id -u)" -eq 0 ] || as_user=(sh -c)
ejabberdctl_() { "${as_user[@]}" "ejabberdctl --config-dir '$WORK/ejabberd/etc' --spool '$WORK/ejabberd/spool' --logs '$WORK/ejabberd/logs' $*"; }
start_ejabberd() {
    "${as_user[@]}" "ulimit -n $(ulimit -n); exec ejabberdctl --config-dir '$WORK/ejabberd/etc' --spool '$WORK/ejabberd/spool' --logs '$WORK/ejabberd/logs' foreground" >"$WORK/ejabberd/stdout.log" 2>&1 &
    wait_port 26222 90
    pgrep -f 'beam.smp.*ejabberd-bench' | head -1
}
stop() { kill "$1" 2>/dev/null || true; for _ in $(seq 1 200); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done; kill -9 "$1" 2>/dev/null || true; }

pid=$(start_ejabberd)
log "registering $USERS accounts on ejabberd"
for i in $(seq 1 "$USERS"); do ejabberdctl_ register "ts$i" localhost "pw$i" >/dev/null; done
stop "$pid"

for rep in $(seq 1 "$REPS"); do
    (cd "$WORK" && exec dotnet "$ART/bin/Xmpp.Server/release/Xmpp.Server.dll" --config "$ROOT/bench/anchors/orleans-xmpp.json" --DataDirectory="$WORK/orleans" >"$WORK/orleans/stdout.log" 2>&1) &
    pid=$!
    wait_port 15222 60
    measure 15222 "$pid" "orleans-xmpp-$rep"
    stop "$pid"
    pid=$(start_ejabberd)
    measure 26222 "$pid" "ejabberd-$rep"
    stop "$pid"
done
