# Shared helpers for bench/run.sh: knobs, logging, dependencies, builds, processes pinned to cores.
# Sourced, not executed.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
OUT="$BENCH_DIR/out"
DATA="$OUT/data"

# Cores: the proxy under test gets a core of its own; the load generator and the backend share the other, so the
# proxy's core measures the proxy alone and every proxy sees the same client and backend.
PROXY_CORE=${PROXY_CORE:-0}
LOAD_CORE=${LOAD_CORE:-1}

# Knobs. The defaults keep the whole default set under 15 minutes on 2 cores, build included (see bench/README.md for
# the arithmetic); raise them on a quiet machine for figures worth recording (REPEATS=5 DURATION=3 ...).
DURATION=${DURATION:-1}                   # whole seconds per maximum-throughput run (wrk, h2load, LoadGen --closed)
FIXED_DURATION=${FIXED_DURATION:-1.5}     # seconds per fixed-rate run (loadgen), after its own 0.5 s warm-up
WARMUP=${WARMUP:-3}                       # seconds of load on each proxy before its suite measures anything
JIT_SETTLE=${JIT_SETTLE:-30}              # then up to this many seconds more for OneHop, until its JIT is done (0: no more)
JIT_SETTLE_MIN=${JIT_SETTLE_MIN:-10}      # but never fewer than these: tiering may not have begun yet (see settle_jit)
REPEATS=${REPEATS:-3}                     # interleaved repetitions of every measurement
CONNECTIONS=${CONNECTIONS:-"8 64 256"}    # connection counts of the maximum-throughput runs
LARGE_CONNECTIONS=${LARGE_CONNECTIONS:-64} # connection counts of the 64 KiB runs (http1)
H2_STREAMS=${H2_STREAMS:-10}              # concurrent streams per HTTP/2 connection (h2load -m)
FIXED_CONNECTIONS=${FIXED_CONNECTIONS:-32} # connections of the open-loop generator at a fixed rate
RATE_FRACTION=${RATE_FRACTION:-0.5}       # fixed rate = this × the slowest proxy's maximum...
RATE_CAP=${RATE_CAP:-8000}                # ...but at most this: the generator shares its core with the backend
RATE=${RATE:-}                            # or exactly this many requests/s
HANDSHAKE_CONNECTIONS=${HANDSHAKE_CONNECTIONS:-64} # connection counts of the tls-handshake suite's maximum runs
HANDSHAKE_RATE_CAP=${HANDSHAKE_RATE_CAP:-300}      # its fixed rate at most this: a full handshake costs the client ~1 ms
PROXIES=${PROXIES:-"onehop onehop-yarp haproxy nginx bareyarp"}
ONEHOP_ARGS=${ONEHOP_ARGS:-}              # extra `onehop run` arguments for every OneHop target (e.g. --http1-forwarder yarp)
ONEHOP_ENV=${ONEHOP_ENV:-}                # extra environment for OneHop's processes (VAR=value ...), e.g. DOTNET_GCgen0size=0x400000
SPIN_ENV=${SPIN_ENV:-DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=70} # what the onehop-spin variant adds to ONEHOP_ENV: the runtime's default spin, which OneHop turns off
ONEHOP_OBS=${ONEHOP_OBS:-off}             # off | access-log (JSON lines to $OUT/access.log) | trace (OTLP to OTLP_ENDPOINT at 1%) | both
OTLP_ENDPOINT=${OTLP_ENDPOINT:-http://127.0.0.1:4318} # where ONEHOP_OBS=trace exports; nothing need listen (spans are then counted as lost)
RECORD=${RECORD:-0}                       # 1: append the report to bench/RESULTS.md

declare -A TARGET_LABEL=([direct]="pod directly" [onehop]="OneHop" [onehop-yarp]="OneHop on YARP's forwarder" [onehop-pool]="OneHop, thread-pool I/O" [onehop-aot]="OneHop, Native AOT" [onehop-sockets]="OneHop on .NET sockets" [onehop-spin]="OneHop, thread-pool spin" [haproxy]="HAProxy" [nginx]="nginx" [bareyarp]="bare YARP")

PIDS=()
LAST_PID=

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Debian packages, installed only when a command is missing (the machine may be fresh).
ensure_packages() {
  local missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  command -v nginx >/dev/null || missing+=(nginx-light)
  command -v haproxy >/dev/null || missing+=(haproxy)
  command -v h2load >/dev/null || missing+=(nghttp2-client)
  command -v taskset >/dev/null || missing+=(util-linux)
  command -v ip >/dev/null || missing+=(iproute2)
  command -v openssl >/dev/null || missing+=(openssl)
  command -v curl >/dev/null || missing+=(curl)
  command -v iptables >/dev/null || missing+=(iptables)
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# Release builds into bench/out. BareYarp and LoadGen are not in OneHop.slnx: they build here only. The Native AOT
# build only when PROXIES has onehop-aot.
build_all() {
  log "building OneHop, BareYarp and LoadGen (Release)"
  local project
  for project in "src/OneHop/OneHop.csproj:onehop" "bench/BareYarp/BareYarp.csproj:bareyarp" "bench/LoadGen/LoadGen.csproj:loadgen"; do
    dotnet publish "$REPO_DIR/${project%%:*}" -c Release -o "$OUT/${project##*:}" --nologo -v quiet >"$OUT/build-${project##*:}.log" 2>&1 ||
      { cat "$OUT/build-${project##*:}.log" >&2; die "build of ${project%%:*} failed"; }
  done
  [[ " $PROXIES " == *" onehop-aot "* ]] && build_aot
  return 0
}

# OneHop alone (Release) into $OUT/onehop, for the scripts that measure only OneHop; its log in $OUT/build.log.
build_onehop() {
  log "building OneHop (Release)"
  dotnet publish "$REPO_DIR/src/OneHop/OneHop.csproj" -c Release -o "$OUT/onehop" --nologo -v quiet >"$OUT/build.log" 2>&1 || die "build failed (see $OUT/build.log)"
}

# OneHop as one native executable (Native AOT, linux-x64) in $OUT/onehop-aot, its trim and AOT warnings in
# $OUT/build-onehop-aot.log. They are warnings of the libraries (KubernetesClient, YamlDotNet) and of code paths the
# bench does not take (bench/PROFILE.md), so warnings-as-errors is off for this publish only. Takes minutes.
# AOT_ARGS: more publish arguments, e.g. "-p:OptimizationPreference=Speed", to measure an ILCompiler setting.
build_aot() {
  log "building OneHop with Native AOT (Release, linux-x64)${AOT_ARGS:+ $AOT_ARGS}"
  # shellcheck disable=SC2086 # AOT_ARGS is a list of arguments
  dotnet publish "$REPO_DIR/src/OneHop/OneHop.csproj" -c Release -r linux-x64 -p:PublishAot=true -p:TreatWarningsAsErrors=false ${AOT_ARGS:-} \
    -o "$OUT/onehop-aot" --nologo >"$OUT/build-onehop-aot.log" 2>&1 ||
    { tail -20 "$OUT/build-onehop-aot.log" >&2; die "Native AOT build of OneHop failed (see $OUT/build-onehop-aot.log)"; }
}

onehop_has_tls() { dotnet "$OUT/onehop/onehop.dll" run --help 2>/dev/null | grep -q -- '--https'; }

# start NAME CORE COMMAND...: runs COMMAND pinned to CORE in the background, output to $OUT/NAME.log; its pid in
# LAST_PID (taskset execs the command, so the pid is the command's own).
start() {
  local name=$1 core=$2
  shift 2
  local extra=$ONEHOP_ENV
  if [[ $name == onehop* && -n ${extra// /} ]]; then
    # shellcheck disable=SC2086
    env $extra taskset -c "$core" "$@" >"$OUT/$name.log" 2>&1 &
  else
    taskset -c "$core" "$@" >"$OUT/$name.log" 2>&1 &
  fi
  LAST_PID=$!
  PIDS+=("$LAST_PID")
}

# The pid and its children (nginx's workers).
pid_tree() {
  local pid
  for pid in "$@"; do
    echo "$pid"
    pgrep -P "$pid" || true
  done | sort -un | xargs
}

stop_all() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  PIDS=()
}

# wait_http URL [CURL_ARGS...]: until URL answers (any status), or fail after 20 s or as soon as the process
# last started has exited.
wait_http() {
  local url=$1
  shift
  for _ in $(seq 1 200); do
    curl -sk -o /dev/null --max-time 1 "$@" "$url" && return 0
    kill -0 "$LAST_PID" 2>/dev/null || break
    sleep 0.1
  done
  log "no answer from $url"
  return 1
}

# A knob list ("8 64 256") as words; the middle one is the "typical" connection count, the largest the heaviest.
middle_of() { local a=($1); echo "${a[$((${#a[@]} / 2))]}"; }
largest_of() { tr ' ' '\n' <<<"$1" | sort -n | tail -1; }
