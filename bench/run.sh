#!/usr/bin/env bash
# Comparative benchmark: Orleans.Xmpp vs Prosody vs ejabberd, same machine, same run, interleaved.
# Builds Release, installs the peers from Debian packages if missing, creates every server's
# accounts once (data under $WORK, configs from bench/anchors), then REPS times: for each server
# in turn (the order rotating between repetitions) starts it alone on loopback, runs every
# scenario against it and stops it. One server at a time, as its users would run it: an idle
# server beside the measured one still wakes up (Orleans' membership probes, BEAM's schedulers),
# which showed in the tail at 2,000 msg/s (bench/findings.md, "Everyday load"). Writes
# docs/BENCHMARKS.md.
#
#   bench/run.sh                       # the full run (about 35 minutes on 2 cores)
#   REPS=1 DURATION=5 bench/run.sh     # a quick look (sizes below are all overridable)
#   SERVERS="orleans-xmpp prosody" bench/run.sh
#   SCENARIOS="chat-rate" OUT=/tmp/b.md bench/run.sh   # some scenarios (still rewrites bench/results/latest.jsonl)
#   SCENARIOS="pep-fanout pubsub-fanout" SERVERS="orleans-xmpp prosody ejabberd" REPS=1 OUT=/tmp/x.md bench/run.sh
#   WORK=/tmp/other PORT_OFFSET=2000 bench/run.sh   # beside another run: its own data and ports (an offset
#                                                    # must not map one port onto another default: 1000 does)
#
# pep-fanout and pubsub-fanout (publish-subscribe) are not in the default list: they need 10,000
# more accounts and about 2 minutes per server; name them in SCENARIOS. pep-fanout uses accounts
# of their own (pep1 publishes to pep2..pep1001, mutually subscribed: rosters that would
# change what the other scenarios measure on bench*); pubsub-fanout subscribes bench1..benchN to a
# node that admin (an administrator in ours and Prosody's configs) creates and publishes to.
#
# The fixed-rate scenarios (chat-rate-200, chat-rate at $RATE, chat-rate-20000) come right after
# the logins, on a server that has not been saturated yet, from idle towards saturation; the
# saturated chat and groupchat follow.
#
# orleans-xmpp-2silo is our server as a two-process cluster on this machine (Azure Storage
# clustering and Azure Tables storage on an Azurite started here and kept running): user i
# connects to process i mod 2, so every chat pair and every room spans both; CPU and memory are
# both processes'. orleans-xmpp-mam is our server with message archives on (XEP-0313, both
# parties' archives, in its SQLite file), which the peers' configs leave off; it runs the chat
# scenarios only.
#
# Needs root (or sudo) only to install prosody/ejabberd. Traffic goes to 127.0.0.1 only; every
# load loop is bounded in count and time (xmpp-bench --timeout).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ART="${ART:-/tmp/art-bench}"
WORK="${WORK:-/tmp/xmpp-bench}"
OUT="${OUT:-$ROOT/docs/BENCHMARKS.md}"
REPS="${REPS:-3}"
SCENARIOS="${SCENARIOS:-login login-plain chat-rate-200 chat-rate chat-rate-20000 chat muc idle}"
SERVERS="${SERVERS:-orleans-xmpp orleans-xmpp-mam orleans-xmpp-2silo prosody ejabberd}"
LOGIN_N="${LOGIN_N:-1000}"; LOGIN_C="${LOGIN_C:-50}"
PAIRS="${PAIRS:-100}"; W="${W:-10}"; DURATION="${DURATION:-20}"; RATE="${RATE:-2000}"
OCCUPANTS="${OCCUPANTS:-50}"; SENDERS="${SENDERS:-5}"
IDLE_N="${IDLE_N:-2000}"; SETTLE="${SETTLE:-10}"
PEP_CONTACTS="${PEP_CONTACTS:-1000}"; PEP_K="${PEP_K:-200}"
PUBSUB_SUBSCRIBERS="${PUBSUB_SUBSCRIBERS:-10000}"; PUBSUB_K="${PUBSUB_K:-50}"
PORT_OFFSET="${PORT_OFFSET:-0}"
wants() { [[ " $SCENARIOS " == *" $1 "* ]]; }
USERS=$(( IDLE_N > LOGIN_N ? IDLE_N : LOGIN_N )); USERS=$(( USERS > 2 * PAIRS ? USERS : 2 * PAIRS ))
if wants pubsub-fanout; then USERS=$(( USERS > PUBSUB_SUBSCRIBERS ? USERS : PUBSUB_SUBSCRIBERS )); fi
PEP_USERS=0; if wants pep-fanout; then PEP_USERS=$(( PEP_CONTACTS + 1 )); fi
PASSWORD=bench

# All below Linux's ephemeral range (32768 and up): a client socket on 35222 once kept ejabberd from
# binding it (eaddrinuse). PORT_OFFSET moves every port (c2s, Orleans silo and gateway, Azurite)
# and ejabberd's Erlang node name, so that a second run can go on beside one with the defaults.
O=$PORT_OFFSET
declare -A PORT=([orleans-xmpp]=$((15222 + O)) [orleans-xmpp-mam]=$((15242 + O)) [orleans-xmpp-2silo]=$((15232 + O)),$((15233 + O)) [prosody]=$((25222 + O)) [ejabberd]=$((26222 + O)))
declare -A ONLY=([orleans-xmpp-mam]="chat chat-rate")   # a server listed here runs only these scenarios
# The two-silo cluster's fan-out has not been set up (its accounts and rosters live in Azurite).
declare -A SKIP=([orleans-xmpp-2silo]="pep-fanout pubsub-fanout")
AZURITE_PORT=$((10112 + O))
EJABBERD_NODE="ejabberd-bench$( [ "$O" -eq 0 ] || echo "$O")"
# SASL: ours and Prosody store SCRAM keys (hashed) and are driven with SCRAM-SHA-1 (the client
# caches its salted password, as real clients do); ejabberd stores plaintext and gets PLAIN, its
# cheapest path. The login-plain scenario drives every server with PLAIN.
declare -A MECH=([orleans-xmpp]=SCRAM-SHA-1 [orleans-xmpp-mam]=SCRAM-SHA-1 [orleans-xmpp-2silo]=SCRAM-SHA-1 [prosody]=SCRAM-SHA-1 [ejabberd]=PLAIN)
declare -A PID=()   # comma-separated when a server is several processes

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
sudo_if_needed=""; [ "$(id -u)" -eq 0 ] || sudo_if_needed="sudo"

log() { echo "[run.sh $(date +%T)] $*" >&2; }

log "building Release into $ART"
for project in src/Xmpp.Server bench/Xmpp.Bench bench/Xmpp.Bench.Provision; do
    dotnet build "$ROOT/$project" -c Release --artifacts-path "$ART" -nologo -v quiet >/dev/null
done
BENCH=(dotnet "$ART/bin/Xmpp.Bench/release/Xmpp.Bench.dll")
PROVISION=(dotnet "$ART/bin/Xmpp.Bench.Provision/release/Xmpp.Bench.Provision.dll")
SERVER_DLL="$ART/bin/Xmpp.Server/release/Xmpp.Server.dll"

for pkg in prosody ejabberd; do
    case " $SERVERS " in *" $pkg "*) ;; *) continue ;; esac
    if ! dpkg -s "$pkg" >/dev/null 2>&1; then
        log "installing $pkg from the Debian archive"
        $sudo_if_needed apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo_if_needed apt-get install -y -qq "$pkg" >/dev/null
    fi
done

wait_port() { # port seconds
    for _ in $(seq 1 $(( $2 * 10 ))); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.1
    done
    log "nothing listens on port $1"; return 1
}

# Our accounts: bench1..benchN, and for the fan-out scenarios pep1..pepM and admin.
provision_orleans() { # store
    "${PROVISION[@]}" "$1" bench "$USERS" "$PASSWORD" >&2
    [ "$PEP_USERS" -eq 0 ] || "${PROVISION[@]}" "$1" pep "$PEP_USERS" "$PASSWORD" >&2
    ! wants pubsub-fanout || "${PROVISION[@]}" "$1" admin 0 "$PASSWORD" >&2
}

# The peers' accounts, by in-band registration.
register_peer() { # port
    "${BENCH[@]}" register --port "$1" --n "$USERS" --c 20 --password "$PASSWORD" >&2
    [ "$PEP_USERS" -eq 0 ] || "${BENCH[@]}" register --port "$1" --user-prefix pep --n "$PEP_USERS" --c 20 --password "$PASSWORD" >&2
    ! wants pubsub-fanout || "${BENCH[@]}" register --port "$1" --name admin --password "$PASSWORD" >&2
}

start_orleans() {
    mkdir -p "$WORK/orleans"
    [ -n "${RESTART:-}" ] || provision_orleans "$WORK/orleans/xmpp.db"
    dotnet "$SERVER_DLL" --config "$ROOT/bench/anchors/orleans-xmpp.json" --DataDirectory="$WORK/orleans" --c2s-port "${PORT[orleans-xmpp]}" \
        --management-port $((19464 + O)) --Orleans:SiloPort=$((11111 + O)) --Orleans:GatewayPort=$((30000 + O)) >"$WORK/orleans/stdout.log" 2>&1 &
    PID[orleans-xmpp]=$!
    wait_port "${PORT[orleans-xmpp]}" 60
}

start_orleans_mam() {
    mkdir -p "$WORK/orleans-mam"
    [ -n "${RESTART:-}" ] || "${PROVISION[@]}" "$WORK/orleans-mam/xmpp.db" bench "$USERS" "$PASSWORD" >&2
    dotnet "$SERVER_DLL" --config "$ROOT/bench/anchors/orleans-xmpp.json" --DataDirectory="$WORK/orleans-mam" --c2s-port "${PORT[orleans-xmpp-mam]}" \
        --management-port $((19465 + O)) --Orleans:SiloPort=$((11131 + O)) --Orleans:GatewayPort=$((30031 + O)) --Xmpp:Archive:Enabled=true --Xmpp:Muc:ArchiveByDefault=true \
        >"$WORK/orleans-mam/stdout.log" 2>&1 &
    PID[orleans-xmpp-mam]=$!
    wait_port "${PORT[orleans-xmpp-mam]}" 60
}

start_orleans_2silo() {
    local azure="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:$AZURITE_PORT/devstoreaccount1;"
    if [ -z "${RESTART:-}" ]; then
        command -v azurite-table >/dev/null || $sudo_if_needed npm install -g --silent azurite@3.37.0 >/dev/null
        mkdir -p "$WORK/azurite"
        azurite-table --tableHost 127.0.0.1 --tablePort "$AZURITE_PORT" --location "$WORK/azurite" --silent >"$WORK/azurite/stdout.log" 2>&1 &
        AZURITE_PID=$!
        wait_port "$AZURITE_PORT" 30
        "${PROVISION[@]}" "$azure" bench "$USERS" "$PASSWORD" >&2
    fi
    local pids=() i
    for i in 0 1; do
        mkdir -p "$WORK/orleans-2silo/$i"
        dotnet "$SERVER_DLL" --config "$ROOT/bench/anchors/orleans-xmpp.json" --DataDirectory="$WORK/orleans-2silo/$i" \
            --c2s-port $(( 15232 + O + i )) --management-port $(( 19466 + O + i )) --Orleans:SiloPort=$(( 11121 + O + i )) --Orleans:GatewayPort=$(( 30021 + O + i )) \
            --Orleans:Clustering:Provider=AzureStorage "--Orleans:Clustering:ConnectionString=$azure" --Orleans:AdvertisedAddress=127.0.0.1 \
            --Storage:Provider=AzureTables "--Storage:ConnectionString=$azure" >"$WORK/orleans-2silo/$i/stdout.log" 2>&1 &
        pids+=($!)
        wait_port $(( 15232 + O + i )) 60
    done
    PID[orleans-xmpp-2silo]=$(IFS=,; echo "${pids[*]}")
}

start_prosody() {
    mkdir -p "$WORK/prosody/data"
    sed -e "s#@DATA@#$WORK/prosody#g" -e "s#c2s_ports = { 25222 }#c2s_ports = { ${PORT[prosody]} }#" "$ROOT/bench/anchors/prosody.cfg.lua" >"$WORK/prosody/prosody.cfg.lua"
    prosody --config "$WORK/prosody/prosody.cfg.lua" -F >"$WORK/prosody/stdout.log" 2>&1 &
    PID[prosody]=$!
    wait_port "${PORT[prosody]}" 60
    [ -n "${RESTART:-}" ] || register_peer "${PORT[prosody]}"
}

start_ejabberd() {
    mkdir -p "$WORK/ejabberd/etc" "$WORK/ejabberd/spool" "$WORK/ejabberd/logs"
    cp "$ROOT"/bench/anchors/ejabberd/* "$WORK/ejabberd/etc/"
    sed -i "s#port: 26222#port: ${PORT[ejabberd]}#" "$WORK/ejabberd/etc/ejabberd.yml"
    sed -i "s#^ERLANG_NODE=ejabberd-bench@#ERLANG_NODE=$EJABBERD_NODE@#" "$WORK/ejabberd/etc/ejabberdctl.cfg"
    chown -R ejabberd:ejabberd "$WORK/ejabberd" 2>/dev/null || true
    # As root, ejabberdctl re-runs itself as the ejabberd user through su, which resets the
    # open-files limit to 1024 (too few for 2,000 idle sessions); run it as that user directly,
    # with the same limit as the other two servers.
    local as_user=(su -s /bin/sh ejabberd -c)
    [ "$(id -u)" -eq 0 ] || as_user=(sh -c)
    "${as_user[@]}" "ulimit -n $(ulimit -n); exec ejabberdctl --config-dir '$WORK/ejabberd/etc' --spool '$WORK/ejabberd/spool' --logs '$WORK/ejabberd/logs' foreground" \
        >"$WORK/ejabberd/stdout.log" 2>&1 &
    wait_port "${PORT[ejabberd]}" 90
    PID[ejabberd]=$(pgrep -f "beam.smp.*name $EJABBERD_NODE@" | head -1)
    grep -q "Max open files *$(ulimit -n)" "/proc/${PID[ejabberd]}/limits" || log "ejabberd runs with a lower open-files limit"
    [ -n "${RESTART:-}" ] || register_peer "${PORT[ejabberd]}"
}

stop_server() { # server
    local p
    for p in ${PID[$1]//,/ }; do kill "$p" 2>/dev/null || true; done
    for p in ${PID[$1]//,/ }; do
        for _ in $(seq 1 200); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$p" 2>/dev/null || true
    done
}

stop_all() {
    for s in "${!PID[@]}"; do stop_server "$s"; done
    [ -z "${AZURITE_PID:-}" ] || kill "$AZURITE_PID" 2>/dev/null || true
}
trap stop_all EXIT

# The idle scenario measures RSS growth per session; after the traffic scenarios every server's
# heap has room left over from them (which new sessions would fill without growing RSS), so each
# server is restarted (accounts kept) before its idle run.
restart_server() { # server
    local s=$1
    stop_server "$s"
    sleep 1
    RESTART=1
    start_server "$s"
    unset RESTART
}

rm -rf "$WORK"; mkdir -p "$WORK"
RESULTS="$WORK/results.jsonl"; : >"$RESULTS"
start_server() { # server
    case $1 in orleans-xmpp) start_orleans ;; orleans-xmpp-mam) start_orleans_mam ;; orleans-xmpp-2silo) start_orleans_2silo ;; prosody) start_prosody ;; ejabberd) start_ejabberd ;; esac
}

run() { # server rep label command args... (args may give another --timeout)
    local s=$1 rep=$2 label=$3 command=$4; shift 4
    log "rep $rep: $label on $s"
    "${BENCH[@]}" "$command" --timeout 300 "$@" --port "${PORT[$s]}" --password "$PASSWORD" --server-pid "${PID[$s]}" \
        --server-name "$s" --rep "$rep" --label "$label" --out "$RESULTS" >/dev/null \
        || log "scenario $label on $s exited with $?"
}

read -r -a order <<<"$SERVERS"
declare -A CREATED=()   # servers whose accounts exist: later starts keep them
for rep in $(seq 1 "$REPS"); do
    for s in "${order[@]}"; do
        log "rep $rep: starting $s"
        if [ -n "${CREATED[$s]:-}" ]; then RESTART=1; fi
        start_server "$s"
        unset RESTART
        CREATED[$s]=1
        m=${MECH[$s]}
        for label in $SCENARIOS; do
            [ -z "${ONLY[$s]:-}" ] || [[ " ${ONLY[$s]} " == *" $label "* ]] || continue
            [[ " ${SKIP[$s]:-} " != *" $label "* ]] || continue
            case $label in
                login)       run "$s" "$rep" login login --mech "$m" --n "$LOGIN_N" --c "$LOGIN_C" ;;
                login-plain) run "$s" "$rep" login-plain login --mech PLAIN --n "$LOGIN_N" --c "$LOGIN_C" --warmup "$LOGIN_N" ;;
                chat)        run "$s" "$rep" chat chat --mech "$m" --pairs "$PAIRS" --w "$W" --duration "$DURATION" ;;
                chat-rate)   run "$s" "$rep" chat-rate chat --mech "$m" --pairs "$PAIRS" --rate "$RATE" --duration "$DURATION" ;;
                chat-rate-*) run "$s" "$rep" "$label" chat --mech "$m" --pairs "$PAIRS" --rate "${label#chat-rate-}" --duration "$DURATION" ;;
                muc)         run "$s" "$rep" muc muc --mech "$m" --occupants "$OCCUPANTS" --senders "$SENDERS" --w "$W" --duration "$DURATION" --room "r$rep" ;;
                idle)        restart_server "$s"; run "$s" "$rep" idle idle --mech "$m" --n "$IDLE_N" --c 50 --settle "$SETTLE" ;;
                pep-fanout)  run "$s" "$rep" pep-fanout pep-fanout --mech "$m" --user-prefix pep --contacts "$PEP_CONTACTS" --publishes "$PEP_K" --timeout 900 ;;
                pubsub-fanout) run "$s" "$rep" pubsub-fanout pubsub-fanout --mech "$m" --subscribers "$PUBSUB_SUBSCRIBERS" --publishes "$PUBSUB_K" --timeout 900 ;;
            esac
        done
        stop_server "$s"
        unset "PID[$s]"
    done
    order=("${order[@]:1}" "${order[0]}")   # rotate who goes first
done

{
    echo '```'
    echo "date:     $(date -u +%FT%TZ)"
    echo "cpu:      $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) logical CPUs available)"
    echo "memory:   $(free -h | awk '/^Mem:/{print $2}')"
    echo "kernel:   $(uname -sr)"
    echo "dotnet:   $(dotnet --version)"
    echo "ours:     Orleans.Xmpp $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' + uncommitted changes'), Release, $SERVER_DLL"
    echo "prosody:  $(dpkg-query -W -f='${Version}' prosody 2>/dev/null) (Lua $(readlink -f "$(command -v lua5.4 || command -v lua)" 2>/dev/null))"
    echo "ejabberd: $(dpkg-query -W -f='${Version}' ejabberd 2>/dev/null) (Erlang/OTP $(cat /usr/lib/erlang/releases/*/OTP_VERSION 2>/dev/null | head -1))"
    echo "azurite:  $(azurite-table --version 2>/dev/null) (orleans-xmpp-2silo's clustering and storage; its CPU is not counted)"
    echo "load generator and all servers share this machine; the generator's own CPU is not counted"
    echo '```'
} >"$WORK/machine.txt"
cat >"$WORK/commands.txt" <<CMD
\`\`\`
SCENARIOS="$SCENARIOS" REPS=$REPS LOGIN_N=$LOGIN_N LOGIN_C=$LOGIN_C PAIRS=$PAIRS W=$W DURATION=$DURATION RATE=$RATE OCCUPANTS=$OCCUPANTS SENDERS=$SENDERS IDLE_N=$IDLE_N SETTLE=$SETTLE PEP_CONTACTS=$PEP_CONTACTS PEP_K=$PEP_K PUBSUB_SUBSCRIBERS=$PUBSUB_SUBSCRIBERS PUBSUB_K=$PUBSUB_K SERVERS="$SERVERS" bench/run.sh
\`\`\`
Server configs: bench/anchors/orleans-xmpp.json (orleans-xmpp-2silo: the same, with the cluster settings of start_orleans_2silo in bench/run.sh), bench/anchors/prosody.cfg.lua, bench/anchors/ejabberd/ejabberd.yml.
CMD
cp "$ROOT/bench/notes.md" "$WORK/notes.md"
cp "$RESULTS" "$ROOT/bench/results/latest.jsonl" 2>/dev/null || { mkdir -p "$ROOT/bench/results"; cp "$RESULTS" "$ROOT/bench/results/latest.jsonl"; }
mkdir -p "$(dirname "$OUT")"
"${BENCH[@]}" report --in "$RESULTS" --out "$OUT" --machine "$WORK/machine.txt" --commands "$WORK/commands.txt" --notes "$WORK/notes.md" --findings "$ROOT/bench/findings.md"
log "wrote $OUT"
