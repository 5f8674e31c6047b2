#!/usr/bin/env bash
# Control-plane propagation benchmark: from an EndpointSlice change at the API server to the new pod receiving
# traffic through OneHop, with 1,000 Services and 10,000 endpoints under 100 changes/s; plus OneHop's peak RSS and
# CPU at that scale. The program is bench/Propagation (see its README.md); this script builds it and OneHop (Release),
# gives the real pods addresses the API server accepts, runs it, and cleans up, also on Ctrl-C.
#
# Usage: [knobs] bench/propagation.sh [extra propagation options]     (root: the pods' addresses need `ip`)
#   e.g. `bench/propagation.sh --measure routes`: HTTPRoute changes on a Gateway listener instead of EndpointSlice ones
# Knobs (environment): DURATION=30 WARMUP=10 IDLE=5 SERVICES=1000 ENDPOINTS=10 CHURN_RATE=100 MEASURED_RATE=10
#   PROBES=10 POLL_MS=2 ONEHOP_CORE=0 DRIVER_CORE=1 (empty: no pinning); RECORD=1 appends the report to
#   bench/RESULTS.md, with NOTE="..." added under the command line (say if the machine was shared).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
OUT="$BENCH_DIR/Propagation/out"   # not bench/out: bench/run.sh wipes that on every run

DURATION=${DURATION:-30}
WARMUP=${WARMUP:-10}
IDLE=${IDLE:-5}
SERVICES=${SERVICES:-1000}
ENDPOINTS=${ENDPOINTS:-10}
CHURN_RATE=${CHURN_RATE:-100}
MEASURED_RATE=${MEASURED_RATE:-10}
PROBES=${PROBES:-10}
POLL_MS=${POLL_MS:-2}
ONEHOP_CORE=${ONEHOP_CORE-0}
DRIVER_CORE=${DRIVER_CORE-1}
RECORD=${RECORD:-0}
NOTE=${NOTE:-}

# The pods' addresses: a veth pair of our own in the root namespace (this kernel has no dummy interfaces); an address
# on either end is local, so the pods bind it and OneHop reaches it without a namespace. The background endpoints'
# fake addresses are made unreachable, so a stray connection fails at once instead of leaving the machine.
IFACE=onehop-prop
POD_SUBNET=10.252.0
PODS=20
FAKE_PREFIX=10.253

DRIVER_PID=
PIDFILE="$OUT/run/onehop.pid"

log() { printf '[propagation.sh %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

knobs() {
  echo "DURATION=$DURATION WARMUP=$WARMUP IDLE=$IDLE SERVICES=$SERVICES ENDPOINTS=$ENDPOINTS CHURN_RATE=$CHURN_RATE" \
    "MEASURED_RATE=$MEASURED_RATE PROBES=$PROBES POLL_MS=$POLL_MS ONEHOP_CORE=$ONEHOP_CORE DRIVER_CORE=$DRIVER_CORE"
}

network_up() {
  network_down
  ip link add "$IFACE" type veth peer name "$IFACE-p"
  ip link set "$IFACE" up
  ip link set "$IFACE-p" up
  local i
  for ((i = 1; i <= PODS; i++)); do ip addr add "$POD_SUBNET.$i/32" dev "$IFACE"; done
  ip route replace unreachable "$FAKE_PREFIX.0.0/16"
}

network_down() {
  ip link del "$IFACE" 2>/dev/null || true
  ip route del unreachable "$FAKE_PREFIX.0.0/16" 2>/dev/null || true
}

# Only the processes this script started: the driver by its pid, OneHop by the pid the driver wrote (checked to be
# OneHop still, in case the pid was reused).
cleanup() {
  local pid
  if [[ -n $DRIVER_PID ]] && kill -0 "$DRIVER_PID" 2>/dev/null; then
    kill -TERM "$DRIVER_PID" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$DRIVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$DRIVER_PID" 2>/dev/null || true
  fi
  if [[ -f $PIDFILE ]]; then
    pid=$(cat "$PIDFILE")
    if grep -qa onehop "/proc/$pid/cmdline" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
  fi
  network_down
}

build() {
  log "building OneHop and bench/Propagation (Release)"
  local project
  for project in "src/OneHop/OneHop.csproj:onehop" "bench/Propagation/Propagation.csproj:propagation"; do
    dotnet publish "$REPO_DIR/${project%%:*}" -c Release -o "$OUT/${project##*:}" --nologo -v quiet >"$OUT/build-${project##*:}.log" 2>&1 ||
      { cat "$OUT/build-${project##*:}.log" >&2; die "build of ${project%%:*} failed"; }
  done
}

record() {
  local report=$1 seconds=$2 dirty=
  git -C "$REPO_DIR" diff --quiet HEAD -- src 2>/dev/null || dirty=' (with uncommitted changes under src/)'
  {
    echo
    echo "### $(date -u +%Y-%m-%d) — commit $(git -C "$REPO_DIR" rev-parse --short HEAD)$dirty, $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"
    echo
    echo "Command: \`RECORD=1 $(knobs) bench/propagation.sh${EXTRA_ARGS:+ $EXTRA_ARGS}\` — .NET $(dotnet --version)"
    [[ -z $NOTE ]] || { echo; echo "$NOTE"; }
    echo
    cat "$report"
    echo
    echo "_Run took $((seconds / 60)) min $((seconds % 60)) s._"
    echo
  } >>"$BENCH_DIR/RESULTS.md"
  log "appended to bench/RESULTS.md"
}

main() {
  local started=$SECONDS cores=()
  ((EUID == 0)) || die "run as root: the pods need addresses of their own on an interface this script creates (ip link, ip addr)"
  command -v ip >/dev/null || die "ip (iproute2) is missing"
  [[ -z $ONEHOP_CORE && -z $DRIVER_CORE ]] || command -v taskset >/dev/null || die "taskset (util-linux) is missing; or set ONEHOP_CORE= DRIVER_CORE="
  EXTRA_ARGS="$*"
  mkdir -p "$OUT"
  rm -rf "$OUT/run"
  mkdir -p "$OUT/run"
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  build
  network_up
  [[ -z $ONEHOP_CORE ]] || cores+=(--onehop-core "$ONEHOP_CORE")
  local driver=(dotnet "$OUT/propagation/propagation.dll")
  [[ -z $DRIVER_CORE ]] || driver=(taskset -c "$DRIVER_CORE" "${driver[@]}")
  log "running: $(knobs)"
  # In the background and waited for, so that a TERM to this script reaches the trap at once.
  "${driver[@]}" --onehop "$OUT/onehop/onehop.dll" "${cores[@]}" --work "$OUT/run" --pidfile "$PIDFILE" \
    --markdown "$OUT/run/report.md" --services "$SERVICES" --endpoints "$ENDPOINTS" --churn-rate "$CHURN_RATE" \
    --measured-rate "$MEASURED_RATE" --probes "$PROBES" --poll-ms "$POLL_MS" --idle "$IDLE" --warmup "$WARMUP" \
    --duration "$DURATION" --pod-subnet "$POD_SUBNET" --pods "$PODS" --fake-prefix "$FAKE_PREFIX" "$@" >/dev/null &
  DRIVER_PID=$!
  wait "$DRIVER_PID" || die "the benchmark failed (OneHop's log: $OUT/run/onehop.log)"
  DRIVER_PID=
  cat "$OUT/run/report.md"
  if [[ $RECORD == 1 ]]; then record "$OUT/run/report.md" $((SECONDS - started)); fi
}

main "$@"
