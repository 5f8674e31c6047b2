#!/usr/bin/env bash
# Bytes allocated per proxied request, and where they come from: a measurement that holds on a busy machine (it
# counts bytes, not time). Usage: bench/alloc.sh [MODE ...]
#   MODE: off, access-log, trace (1% sampling, OTLP to a port nothing listens on) or both; default: off access-log trace.
# For each mode: OneHop (Release, `onehop run --manifests`, the http1 suite's manifests) in front of the bench's nginx
# pod, WARMUP seconds of `wrk -c CONNS` keep-alive load, then MEASURE seconds of the same; bytes per request =
# dotnet_gc_heap_total_allocated_bytes_total from OneHop's admin /metrics after minus before, divided by wrk's request count.
# Peak RSS (VmHWM) is printed too. With PROFILE=1 the measured window is also traced (dotnet-trace, GC allocation
# ticks with stacks) and bench/AllocTrace prints the allocation sites per request (bench/out-alloc/MODE.sites.txt).
# Knobs: CONNS (64) WARMUP (3) MEASURE (5) PROFILE (0) ONEHOP_ARGS ("" extra `onehop run` arguments) ONEHOP_ENV
# ("" extra environment, e.g. "DOTNET_GCgen0size=0x400000") NOBUILD (0: 1 reuses bench/out-alloc/onehop) SLOT (0: N
# moves the addresses up by 10×N and the ports by 100×N, so that two checkouts measure at once) TRACEPARENT ("": a
# W3C traceparent every request carries, e.g. 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00 for a client
# whose own sampler left the trace out) URL_PATH (/: the 13-byte answer; /64k for the 64 KiB one) STRACE (0: 1 adds a
# run of MEASURE seconds under `strace -c -f`, every thread of OneHop traced, and prints system calls per request; strace
# slows OneHop several times, so that run's wrk waits up to 30 s an answer; bench/out-alloc/MODE.strace.txt has the table)
# SCHEME (http: https sends the load over TLS, terminated by OneHop with the bench's ECDSA P-256 certificate, keep-alive)
# RATE (0: wrk's closed loop measures; N: bench/LoadGen sends N requests/s open loop over FIXED_CONNECTIONS (32), as
# bench/run.sh's fixed-rate rows do; the warm-up stays wrk's) THREADS (0: 1 also prints OneHop's CPU µs per request
# over the measured window in total and by thread name: socket engine, thread-pool workers, timers; where the time
# goes between threads, which a fixed rate shows best; and the garbage collections in that window with their pauses).
# Own loopback addresses (127.0.0.40 pod, .41 OneHop) and ports, so that it runs beside bench/run.sh. No root needed
# beyond what nginx and wrk need; no pinning (the figure is bytes, not CPU).
set -euo pipefail
BENCH_LIB="$(cd "$(dirname "$0")" && pwd)"
source "$BENCH_LIB/lib/common.sh"
source "$BENCH_LIB/lib/proxies.sh"
source "$BENCH_LIB/lib/metrics.sh"
source "$BENCH_LIB/lib/load.sh"

OUT="$BENCH_DIR/out-alloc"
TLS_DIR="$OUT/tls"
SLOT=${SLOT:-0}
POD_ADDR=127.0.0.$((40 + 10 * SLOT))
POD_PORT=$((28081 + 100 * SLOT))
POD_TLS_PORT=$((28444 + 100 * SLOT))
HTTP_PORT=$((28080 + 100 * SLOT))
HTTPS_PORT=$((28443 + 100 * SLOT))
SCHEME=${SCHEME:-http}
[[ $SCHEME == http || $SCHEME == https ]] || die "SCHEME is http or https, not $SCHEME"
ONEHOP_ADMIN_PORT=$((29901 + 100 * SLOT))
PROXY_ADDR[onehop]=127.0.0.$((41 + 10 * SLOT))
PROXY_CORE=0-$(($(nproc) - 1))
LOAD_CORE=$PROXY_CORE
CONNS=${CONNS:-64}
WARMUP=${WARMUP:-3}
MEASURE=${MEASURE:-5}
PROFILE=${PROFILE:-0}
STRACE=${STRACE:-0}
RATE=${RATE:-0}
THREADS=${THREADS:-0}
PATH=$PATH:$HOME/.dotnet/tools # where `dotnet tool install -g` puts dotnet-trace
ONEHOP_ENV=${ONEHOP_ENV:-}
OTLP_ENDPOINT=http://127.0.0.1:9 # discard: nothing answers, spans are counted as lost

# wrk_requests SECONDS [WRK_OPTION...]: the requests one wrk run completed; fails on any error or non-2xx answer.
wrk_requests() {
  local out seconds=$1
  local headers=()
  shift
  [[ -n ${TRACEPARENT:-} ]] && headers=(-H "traceparent: $TRACEPARENT")
  out=$(wrk -t1 -c"$CONNS" -d"${seconds}s" "$@" "${headers[@]}" "$(onehop_url)" 2>&1)
  echo "$out" >>"$OUT/wrk.log"
  if grep -q -e 'Non-2xx' -e 'Socket errors' <<<"$out"; then
    curl -si "http://${PROXY_ADDR[onehop]}:$HTTP_PORT/" >>"$OUT/wrk.log" 2>&1
    die "wrk saw errors (see $OUT/wrk.log)"
  fi
  awk '/requests in/ { print $1 }' <<<"$out"
}

# measured_requests SECONDS [WRK_OPTION...]: the measured load, by RATE; prints the requests it completed.
measured_requests() {
  ((RATE)) || {
    wrk_requests "$@"
    return
  }
  local line
  line=$(run_fixed "$(onehop_url)" "$SCHEME" keepalive "$RATE" "$1")
  [[ $(field "$line" errors) == 0 ]] || die "LoadGen saw errors: $line (see $OUT/loadgen.log)"
  field "$line" requests
}

# onehop_url: where the load goes, by SCHEME.
onehop_url() {
  if [[ $SCHEME == https ]]; then
    echo "https://${PROXY_ADDR[onehop]}:$HTTPS_PORT${URL_PATH:-/}"
  else
    echo "http://${PROXY_ADDR[onehop]}:$HTTP_PORT${URL_PATH:-/}"
  fi
}

measure() {
  local mode=$1 pid before after requests rss trace_pid=""
  ONEHOP_OBS=$mode
  # shellcheck disable=SC2086
  [[ -n $ONEHOP_ENV ]] && export $ONEHOP_ENV
  start_proxy onehop "$([[ $SCHEME == https ]] && echo 1 || echo 0)"
  pid=${PROXY_PIDS[onehop]}
  # start_proxy takes any answer of /readyz (503 included); here the routes must be live before the load starts.
  wait_http "http://${PROXY_ADDR[onehop]}:$ONEHOP_ADMIN_PORT/readyz" -f || die "OneHop did not become ready (see $OUT/onehop.log)"
  measured_requests "$WARMUP" >/dev/null
  if ((PROFILE)); then
    # Stopped by its own --duration: a signal to it would reach this script too.
    dotnet-trace collect -p "$pid" --providers Microsoft-Windows-DotNETRuntime:0x1:5 -o "$OUT/$mode.nettrace" \
      --duration "$(printf '00:%02d:%02d:%02d' $(((MEASURE + 1) / 3600)) $(((MEASURE + 1) / 60 % 60)) $(((MEASURE + 1) % 60)))" >"$OUT/trace-$mode.log" 2>&1 &
    trace_pid=$!
    sleep 0.5
  fi
  before=$(allocated_bytes onehop)
  local ticks threads jit gcs
  ticks=$(cpu_ticks "$pid")
  gcs=$(gc_counts onehop)
  jit=$(jit_methods onehop)
  threads=$(thread_ticks "$pid")
  requests=$(measured_requests "$MEASURE")
  after=$(allocated_bytes onehop)
  rss=$(vmhwm_mib "$pid")
  if ((THREADS)); then
    echo "CPU µs/request: $(cpu_us_per_request $(($(cpu_ticks "$pid") - ticks)) "$requests") in all ($(($(jit_methods onehop) - jit)) methods compiled meanwhile); live threads by name:"
    thread_us_per_request "$threads" "$(thread_ticks "$pid")" "$requests"
    gc_window "$gcs" "$(gc_counts onehop)"
  fi
  if [[ -n $trace_pid ]]; then
    wait "$trace_pid" || true
    dotnet "$OUT/alloctrace/alloctrace.dll" "$OUT/$mode.nettrace" "$requests" 5 >"$OUT/$mode.sites.txt"
  fi
  printf '%-11s %10s requests %8s B/request  peak RSS %7s MiB%s\n' "$mode" "$requests" \
    "$(bytes_per_request "$before" "$after" "$requests")" "$rss" "$( ((PROFILE)) && echo "  sites: $OUT/$mode.sites.txt")"
  if ((STRACE)); then
    printf '%-11s ' "$mode"
    strace_during "$OUT/$mode.strace.txt" "$pid" request measured_requests "$MEASURE" --timeout 30s
  fi
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

main() {
  if [[ ${1-} == -h || ${1-} == --help ]]; then sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; return 0; fi
  local modes=("$@")
  ((${#modes[@]})) || modes=(off access-log trace)
  trap stop_all EXIT
  trap 'exit 130' INT TERM
  mkdir -p "$OUT"
  if [[ ${NOBUILD:-0} != 1 ]]; then
    build_onehop
    if ((RATE)); then
      dotnet publish "$BENCH_DIR/LoadGen/LoadGen.csproj" -c Release -o "$OUT/loadgen" --nologo -v quiet >>"$OUT/build.log" 2>&1 || die "build failed (see $OUT/build.log)"
    fi
    if ((PROFILE)); then
      dotnet publish "$BENCH_DIR/AllocTrace/AllocTrace.csproj" -c Release -o "$OUT/alloctrace" --nologo -v quiet >>"$OUT/build.log" 2>&1 || die "build failed (see $OUT/build.log)"
    fi
  fi
  ((PROFILE)) && ! command -v dotnet-trace >/dev/null && die "PROFILE=1 needs dotnet-trace: dotnet tool install -g dotnet-trace"
  start_backend
  echo "OneHop $(git -C "$REPO_DIR" rev-parse --short HEAD), $( ((RATE)) && echo "LoadGen $RATE requests/s over $FIXED_CONNECTIONS connections" || echo "wrk -c$CONNS") keep-alive, $SCHEME ${URL_PATH:-/}, ${MEASURE}s measured after ${WARMUP}s${ONEHOP_ARGS:+, args: $ONEHOP_ARGS}${ONEHOP_ENV:+, env: $ONEHOP_ENV}${TRACEPARENT:+, traceparent: $TRACEPARENT}"
  for mode in "${modes[@]}"; do
    measure "$mode"
  done
}

main "$@"
