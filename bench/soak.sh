#!/usr/bin/env bash
# OneHop under a long fixed load: does it stay flat? One OneHop in front of the benchmark pod (nginx), an open-loop
# load at a fixed rate for SOAK_MINUTES (default 30) in one-minute slices; per slice: requests/s, errors, OneHop's CPU
# µs per request and its resident memory, p99 latency. At the end, the last five slices against slices 2–6 (the first
# is warm-up): a flat run has CPU per request and RSS within a few percent, and no error.
#   SOAK_MINUTES=30 SOAK_RATE=4000 RECORD=1 bench/soak.sh
# Extra OneHop arguments in SOAK_ARGS (e.g. --http1-forwarder yarp). Root, 2 cores: OneHop on PROXY_CORE, the load
# generator and the pod on LOAD_CORE.
set -euo pipefail
BENCH_LIB="$(cd "$(dirname "$0")" && pwd)"
source "$BENCH_LIB/lib/common.sh"
source "$BENCH_LIB/lib/proxies.sh"
source "$BENCH_LIB/lib/load.sh"
source "$BENCH_LIB/lib/metrics.sh"

SOAK_MINUTES=${SOAK_MINUTES:-30}
SOAK_RATE=${SOAK_RATE:-4000}
SOAK_ARGS=${SOAK_ARGS:-}

rss_mib() { awk '/^VmRSS:/ { printf "%.1f\n", $2 / 1024 }' "/proc/$1/status"; }

median_of() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -n | awk '{ a[NR] = $1 } END { print (NR ? a[int((NR + 1) / 2)] : "-") }'; }

main() {
  if [[ ${1-} == -h || ${1-} == --help ]]; then sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; return 0; fi
  ((EUID == 0)) || die "run as root"
  ((SOAK_MINUTES >= 7)) || die "SOAK_MINUTES must be at least 7 (a warm-up slice, five to compare with, five to compare)"
  ensure_packages
  trap stop_all EXIT
  trap 'exit 130' INT TERM
  rm -rf "$OUT"
  mkdir -p "$OUT"
  build_all
  start_backend
  local addr=${PROXY_ADDR[onehop]}
  mkdir -p "$OUT/manifests"
  fill "$BENCH_DIR/config/onehop-bench.yaml" "$OUT/manifests/bench.yaml" POD_ADDR=$POD_ADDR POD_PORT=$POD_PORT
  # shellcheck disable=SC2086
  start onehop "$PROXY_CORE" dotnet "$OUT/onehop/onehop.dll" run --manifests "$OUT/manifests" --http "$addr:$HTTP_PORT" \
    --admin "$addr:$ONEHOP_ADMIN_PORT" --log-level Warning $SOAK_ARGS
  local pid=$LAST_PID
  wait_http "http://$addr:$ONEHOP_ADMIN_PORT/readyz" || die "OneHop did not become ready (see $OUT/onehop.log)"
  local pids
  pids=$(pid_tree "$pid")

  local report="$OUT/soak.md" minute cpu_before cpu_after line requests errors rps cpu rss p99 cpus=() rsses=() total_errors=0
  {
    echo "### $(date -u +%Y-%m-%d) — commit $(git -C "$REPO_DIR" rev-parse --short HEAD), $(nproc) cores"
    echo
    echo "Command: \`SOAK_MINUTES=$SOAK_MINUTES SOAK_RATE=$SOAK_RATE${SOAK_ARGS:+ SOAK_ARGS=\"$SOAK_ARGS\"} bench/soak.sh\` — OneHop on core $PROXY_CORE; LoadGen ($FIXED_CONNECTIONS connections, open loop) and the nginx pod on core $LOAD_CORE"
    echo
    echo "| minute | req/s | errors | CPU µs/req | RSS MiB | p99 ms |"
    echo "|---|---|---|---|---|---|"
  } >"$report"
  for ((minute = 1; minute <= SOAK_MINUTES; minute++)); do
    # shellcheck disable=SC2086
    cpu_before=$(cpu_ticks $pids)
    line=$(run_fixed "http://$addr:$HTTP_PORT/" http keepalive "$SOAK_RATE" 60)
    # shellcheck disable=SC2086
    cpu_after=$(cpu_ticks $pids)
    requests=$(field "$line" requests)
    errors=$(field "$line" errors)
    rps=$(awk -v n="$requests" 'BEGIN { printf "%.0f", n / 60 }')
    cpu=$(cpu_us_per_request $((cpu_after - cpu_before)) "$requests")
    rss=$(rss_mib "$pid")
    p99=$(field "$line" p99_ms)
    total_errors=$((total_errors + ${errors:-0}))
    log "minute $minute: $rps req/s, $errors errors, $cpu µs/req, $rss MiB, p99 $p99 ms"
    echo "| $minute | $rps | $errors | $cpu | $rss | $p99 |" >>"$report"
    cpus+=("$cpu")
    rsses+=("$rss")
  done

  local early_cpu late_cpu early_rss late_rss
  early_cpu=$(median_of "${cpus[*]:1:5}")
  late_cpu=$(median_of "${cpus[*]: -5}")
  early_rss=$(median_of "${rsses[*]:1:5}")
  late_rss=$(median_of "${rsses[*]: -5}")
  {
    echo
    echo "Flatness (medians, last five minutes ÷ minutes 2–6): CPU per request $(awk -v a="$late_cpu" -v b="$early_cpu" 'BEGIN { printf "%.2f×", a / b }') ($early_cpu → $late_cpu µs), RSS $(awk -v a="$late_rss" -v b="$early_rss" 'BEGIN { printf "%.2f×", a / b }') ($early_rss → $late_rss MiB); $total_errors errors in all."
    echo
  } >>"$report"
  cat "$report"
  if ((RECORD)); then
    cat "$report" >>"$BENCH_DIR/RESULTS.md"
    log "appended to bench/RESULTS.md"
  fi
}

main "$@"
