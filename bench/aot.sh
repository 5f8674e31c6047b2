#!/usr/bin/env bash
# OneHop's JIT build (as bench/run.sh runs it, `dotnet onehop.dll`) against its Native AOT build (one executable,
# `-p:PublishAot=true`), side by side in one run: peak RSS, CPU µs per request and requests/s. Usage: bench/aot.sh
# Both run `onehop run --manifests` on the http1 suite's manifests in front of the bench's nginx pod, at the same time,
# each pinned to PROXY_CORE; wrk on LOAD_CORE. Each gets the same warm-up (WARMUP seconds at 256 connections, 2 s of
# 64 KiB answers, as the http1 suite's mix, then load until the JIT build's JIT is done, settle_jit in lib/metrics.sh,
# JIT_SETTLE seconds at most), then REPEATS rounds of MEASURE seconds of `wrk -c CONNS` keep-alive,
# 13-byte answers, on each in turn (JIT, AOT, JIT, AOT, ...). CPU per request = utime + stime of the process over its
# round (/proc/PID/stat) ÷ wrk's requests; peak RSS = VmHWM after the last round; idle RSS = VmRSS before any load.
# Knobs: CONNS (64) WARMUP (3) JIT_SETTLE (30) MEASURE (10) REPEATS (3) NOBUILD (0: 1 reuses bench/out-aot's builds)
# ONEHOP_ARGS ONEHOP_ENV (extra `onehop run` arguments and environment, both builds).
# The Native AOT publish takes minutes (longer on a busy machine); its warnings land in bench/out-aot/build-onehop-aot.log.
# Own loopback addresses (127.0.0.80 pod, .81 JIT, .82 AOT) and ports, so that it runs beside bench/run.sh.
set -euo pipefail
BENCH_LIB="$(cd "$(dirname "$0")" && pwd)"
source "$BENCH_LIB/lib/common.sh"
source "$BENCH_LIB/lib/proxies.sh"
source "$BENCH_LIB/lib/metrics.sh"

OUT="$BENCH_DIR/out-aot"
TLS_DIR="$OUT/tls"
POD_ADDR=127.0.0.80
POD_PORT=48081
POD_TLS_PORT=48444
HTTP_PORT=48080
HTTPS_PORT=48443
ONEHOP_ADMIN_PORT=49901
PROXY_ADDR[onehop]=127.0.0.81
PROXY_ADDR[onehop-aot]=127.0.0.82
CONNS=${CONNS:-64}
MEASURE=${MEASURE:-10}
REPEATS=${REPEATS:-3}
VARIANTS=(onehop onehop-aot)

# wrk_run TARGET CONNECTIONS SECONDS [PATH]: prints "requests requests_per_s"; dies on any error or non-2xx answer.
wrk_run() {
  local out
  out=$(taskset -c "$LOAD_CORE" wrk -t1 -c"$2" -d"$3s" "http://${PROXY_ADDR[$1]}:$HTTP_PORT${4:-/}" 2>&1)
  echo "$out" >>"$OUT/wrk.log"
  grep -q -e 'Non-2xx' -e 'Socket errors' <<<"$out" && die "wrk saw errors against $1 (see $OUT/wrk.log)"
  awk '/requests in/ { n = $1 } /Requests\/sec:/ { r = $2 } END { print n, r }' <<<"$out"
}

vmrss_mib() { awk '/^VmRSS:/ { printf "%.1f\n", $2 / 1024 }' "/proc/$1/status"; }

main() {
  if [[ ${1-} == -h || ${1-} == --help ]]; then sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; return 0; fi
  trap stop_all EXIT
  trap 'exit 130' INT TERM
  mkdir -p "$OUT"
  if [[ ${NOBUILD:-0} != 1 ]]; then
    build_onehop
    build_aot
  fi
  start_backend
  local v pid
  declare -A IDLE=()
  for v in "${VARIANTS[@]}"; do
    start_proxy "$v" 0
    # start_proxy takes any answer of /readyz (503 included); the routes must be live before the load starts.
    wait_http "http://${PROXY_ADDR[$v]}:$ONEHOP_ADMIN_PORT/readyz" -f || die "$v did not become ready (see $OUT/$v.log)"
    IDLE[$v]=$(vmrss_mib "${PROXY_PIDS[$v]}")
  done
  echo "OneHop $(git -C "$REPO_DIR" rev-parse --short HEAD), wrk -c$CONNS keep-alive, 13-byte answers, ${MEASURE}s rounds after ${WARMUP}s warm-up; load $(cut -d' ' -f1-3 /proc/loadavg)${ONEHOP_ARGS:+, args: $ONEHOP_ARGS}${ONEHOP_ENV:+, env: $ONEHOP_ENV}"
  for v in "${VARIANTS[@]}"; do
    wrk_run "$v" 256 "$WARMUP" >/dev/null
    wrk_run "$v" 64 2 /64k >/dev/null
    settle_jit "$v" wrk_run "$v" 256 >/dev/null
  done
  declare -A CPU=() RPS=()
  local rep requests rate before after
  for ((rep = 1; rep <= REPEATS; rep++)); do
    for v in "${VARIANTS[@]}"; do
      pid=${PROXY_PIDS[$v]}
      before=$(cpu_ticks "$pid")
      read -r requests rate < <(wrk_run "$v" "$CONNS" "$MEASURE")
      after=$(cpu_ticks "$pid")
      CPU[$v]+="$(cpu_us_per_request $((after - before)) "$requests") "
      RPS[$v]+="${rate%.*} "
      printf '  round %d %-11s %9s requests %8s req/s %6s CPU µs/request\n' "$rep" "$v" "$requests" "${rate%.*}" "$(cpu_us_per_request $((after - before)) "$requests")"
    done
  done
  printf '%-11s %12s %12s %16s %10s\n' build "idle RSS MiB" "peak RSS MiB" "CPU µs/request" "req/s"
  for v in "${VARIANTS[@]}"; do
    printf '%-11s %12s %12s %16s %10s\n' "$v" "${IDLE[$v]}" "$(vmhwm_mib "${PROXY_PIDS[$v]}")" \
      "$(tr ' ' '\n' <<<"${CPU[$v]}" | grep . | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')" \
      "$(tr ' ' '\n' <<<"${RPS[$v]}" | grep . | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')"
  done
  echo "(CPU µs/request and req/s: medians of $REPEATS rounds)"
}

main "$@"
