#!/usr/bin/env bash
# What a new TCP connection costs the proxy in counts that hold on a busy machine (bytes and system calls, not
# time): OneHop's tcp listener and HAProxy (mode tcp) in front of the bench's nginx pod, `wrk -H 'Connection: close'`
# so that every request is a new client connection and a new connection to the pod (the tcp suite's new-connection
# run). Usage: bench/alloc-tcp.sh [TARGET ...]   TARGET: onehop, haproxy (default: both).
# For each target: WARMUP seconds of load, then MEASURE seconds for the bytes (OneHop only:
# dotnet_gc_heap_total_allocated_bytes_total from its admin /metrics, after minus before, over wrk's count), then
# MEASURE seconds under `strace -c -f` (system calls of every thread over wrk's count; strace slows the proxy, the
# count per connection stays). Prints bytes/connection and syscalls/connection, and the top calls
# (bench/out-alloc-tcp/TARGET.strace.txt has the whole table).
# With PROFILE=1 the bytes' window is also traced (dotnet-trace, GC allocation ticks with stacks) and bench/AllocTrace
# prints the allocation sites per connection (bench/out-alloc-tcp/onehop.sites.txt).
# Knobs: CONNS (64) WARMUP (3) MEASURE (5) STRACE (1; 0 skips it) PROFILE (0) ONEHOP_ENV ("" extra environment for OneHop,
# e.g. "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0" for thread-pool completions) NOBUILD (0; 1 reuses the build). Own loopback addresses
# (127.0.0.50 pod, .51 OneHop, .52 HAProxy) and ports, so that it runs beside bench/run.sh; no pinning.
set -euo pipefail
BENCH_LIB="$(cd "$(dirname "$0")" && pwd)"
source "$BENCH_LIB/lib/common.sh"
source "$BENCH_LIB/lib/proxies.sh"
source "$BENCH_LIB/lib/metrics.sh"
source "$BENCH_LIB/lib/l4proxies.sh"

OUT="$BENCH_DIR/out-alloc-tcp"
TLS_DIR="$OUT/tls"
POD_ADDR=127.0.0.50
POD_PORT=28082
POD_TLS_PORT=28445
TCP_PORT=28090
ONEHOP_ADMIN_PORT=29902
PROXY_ADDR[onehop]=127.0.0.51
PROXY_ADDR[haproxy]=127.0.0.52
PROXY_CORE=0-$(($(nproc) - 1))
LOAD_CORE=$PROXY_CORE
CONNS=${CONNS:-64}
WARMUP=${WARMUP:-3}
MEASURE=${MEASURE:-5}
STRACE=${STRACE:-1}
PROFILE=${PROFILE:-0}
PATH=$PATH:$HOME/.dotnet/tools # where `dotnet tool install -g` puts dotnet-trace
ONEHOP_ENV=${ONEHOP_ENV:-}

# wrk_connections SECONDS: the connections (one request each) one wrk run completed; fails on any error.
wrk_connections() {
  local out
  out=$(wrk -t1 -c"$CONNS" -d"$1s" -H "Connection: close" "$(tcp_url "$TARGET")" 2>&1)
  echo "$out" >>"$OUT/wrk.log"
  grep -q -e 'Non-2xx' -e 'Socket errors' <<<"$out" && die "wrk saw errors through $TARGET (see $OUT/wrk.log)"
  awk '/requests in/ { print $1 }' <<<"$out"
}

measure() {
  TARGET=$1
  local pids before after connections
  # shellcheck disable=SC2086
  [[ $TARGET == onehop && -n $ONEHOP_ENV ]] && export $ONEHOP_ENV
  start_tcp_proxy "$TARGET"
  pids=${PROXY_PIDS[$TARGET]}
  wrk_connections "$WARMUP" >/dev/null
  if [[ $TARGET == onehop ]]; then
    local trace_pid=""
    if ((PROFILE)); then
      # Stopped by its own --duration: a signal to it would reach this script too.
      dotnet-trace collect -p "$pids" --providers Microsoft-Windows-DotNETRuntime:0x1:5 -o "$OUT/onehop.nettrace" \
        --duration "00:00:00:$(printf '%02d' $((MEASURE + 1)))" >"$OUT/trace.log" 2>&1 &
      trace_pid=$!
      sleep 0.5
    fi
    before=$(allocated_bytes onehop)
    connections=$(wrk_connections "$MEASURE")
    after=$(allocated_bytes onehop)
    printf '%-8s %8d connections  %6s B/connection\n' "$TARGET" "$connections" "$(bytes_per_request "$before" "$after" "$connections")"
    if [[ -n $trace_pid ]]; then
      wait "$trace_pid" || true
      dotnet "$OUT/alloctrace/alloctrace.dll" "$OUT/onehop.nettrace" "$connections" 6 >"$OUT/onehop.sites.txt"
      echo "         sites: $OUT/onehop.sites.txt"
    fi
  fi
  if ((STRACE)); then
    printf '%-8s ' "$TARGET"
    strace_during "$OUT/$TARGET.strace.txt" "$pids" connection wrk_connections "$MEASURE"
  fi
  kill $pids
  wait $pids 2>/dev/null || true
}

main() {
  if [[ ${1-} == -h || ${1-} == --help ]]; then sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; return 0; fi
  local targets=("$@") t
  ((${#targets[@]})) || targets=(onehop haproxy)
  trap stop_all EXIT
  trap 'exit 130' INT TERM
  mkdir -p "$OUT"
  : >"$OUT/wrk.log"
  if [[ ${NOBUILD:-0} != 1 ]]; then
    build_onehop
    if ((PROFILE)); then
      dotnet publish "$BENCH_DIR/AllocTrace/AllocTrace.csproj" -c Release -o "$OUT/alloctrace" --nologo -v quiet >>"$OUT/build.log" 2>&1 || die "build failed (see $OUT/build.log)"
    fi
  fi
  ((PROFILE)) && ! command -v dotnet-trace >/dev/null && die "PROFILE=1 needs dotnet-trace: dotnet tool install -g dotnet-trace"
  start_backend
  echo "OneHop $(git -C "$REPO_DIR" rev-parse --short HEAD), wrk -c$CONNS, Connection: close, ${MEASURE}s measured after ${WARMUP}s${ONEHOP_ENV:+, env: $ONEHOP_ENV}"
  for t in "${targets[@]}"; do measure "$t"; done
}

main "$@"
