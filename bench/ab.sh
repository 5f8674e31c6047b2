#!/usr/bin/env bash
# Two OneHop builds or settings side by side in one run, to see what one change buys: A (a commit, HEAD by default) and
# B (the working tree), each `onehop run --manifests` on the http1 suite's manifests in front of the bench's nginx pod,
# at the same time, both pinned to PROXY_CORE with wrk on LOAD_CORE. Usage: bench/ab.sh [A_REV]
# Each gets the same warm-up (WARMUP seconds at 256 connections, then load until its JIT is done, settle_jit, twice), then
# REPEATS rounds of MEASURE seconds of load, 13-byte answers, on each in turn (A, B, A, B, ...):
# interleaved, so that the host's drift falls on both alike. CPU per request = utime + stime over the round
# (/proc/PID/stat) ÷ the requests. Prints the medians and B ÷ A; peak RSS = VmHWM after the last round.
# LOAD: keepalive (wrk -c CONNS, 64 by default), newconn (bench/LoadGen, a new connection per request, CONNS 16) or
# handshake (the same over HTTPS with a full TLS handshake each, no resumption).
# Knobs: A_REV (HEAD; "worktree" builds A from the working tree too, to compare settings) A_ENV B_ENV A_ARGS B_ARGS
# (environment and extra `onehop run` arguments of each side) A_PUBLISH B_PUBLISH (extra `dotnet publish` arguments of
# each side, e.g. "-r linux-x64 --self-contained false -p:PublishReadyToRun=true") CONNS (64) WARMUP (3) JIT_SETTLE (30) MEASURE (5)
# REPEATS (7) NOBUILD (1 reuses bench/out-ab's builds).
# Own loopback addresses (127.0.0.90 pod, .91 A, .92 B) and ports, so that it runs beside bench/run.sh.
set -euo pipefail
AB_REPEATS=${REPEATS:-7} # before common.sh, whose default (3) suits bench/run.sh's longer suites
BENCH_LIB="$(cd "$(dirname "$0")" && pwd)"
source "$BENCH_LIB/lib/common.sh"
source "$BENCH_LIB/lib/proxies.sh"
source "$BENCH_LIB/lib/metrics.sh"

OUT="$BENCH_DIR/out-ab"
TLS_DIR="$OUT/tls"
POD_ADDR=127.0.0.90
POD_PORT=58081
POD_TLS_PORT=58444
HTTP_PORT=58080
HTTPS_PORT=58443
ONEHOP_ADMIN_PORT=59901
PROXY_ADDR[onehop-a]=127.0.0.91
PROXY_ADDR[onehop-b]=127.0.0.92
A_REV=${1:-${A_REV:-HEAD}}
LOAD=${LOAD:-keepalive}
[[ $LOAD == keepalive || $LOAD == newconn || $LOAD == handshake ]] || die "LOAD is keepalive, newconn or handshake, not $LOAD"
CONNS=${CONNS:-$([[ $LOAD == keepalive ]] && echo 64 || echo 16)}
MEASURE=${MEASURE:-5}
REPEATS=$AB_REPEATS
SIDES=(onehop-a onehop-b)

# load_run SIDE CONNECTIONS SECONDS: prints "requests requests_per_s"; dies on any error or non-2xx answer.
load_run() {
  local out
  if [[ $LOAD == keepalive ]]; then
    out=$(taskset -c "$LOAD_CORE" wrk -t1 -c"$2" -d"$3s" "http://${PROXY_ADDR[$1]}:$HTTP_PORT/" 2>&1)
    echo "$out" >>"$OUT/load.log"
    grep -q -e 'Non-2xx' -e 'Socket errors' <<<"$out" && die "wrk saw errors against $1 (see $OUT/load.log)"
    awk '/requests in/ { n = $1 } /Requests\/sec:/ { r = $2 } END { print n, r }' <<<"$out"
    return
  fi
  local url="http://${PROXY_ADDR[$1]}:$HTTP_PORT/" tls=()
  [[ $LOAD == handshake ]] && url="https://${PROXY_ADDR[$1]}:$HTTPS_PORT/" tls=(--no-tls-resume --ca "$TLS_DIR/ca.crt")
  out=$(taskset -c "$LOAD_CORE" dotnet "$OUT/loadgen/loadgen.dll" --url "$url" --closed --new-connection "${tls[@]}" \
    --connections "$2" --duration "$3" 2>&1) || true
  echo "$out" >>"$OUT/load.log"
  grep -q '^requests=.* errors=0' <<<"$out" || die "LoadGen saw errors against $1 (see $OUT/load.log)"
  awk '/^requests=/ { for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } print v["requests"], v["achieved"] }' <<<"$out"
}

# build_side NAME REV [PUBLISH_ARGS]: publishes REV ("worktree": the working tree) into $OUT/NAME.
build_side() {
  local name=$1 rev=$2 publish=${3:-} src=$REPO_DIR
  if [[ $rev != worktree ]]; then
    src="$OUT/src-$name"
    rm -rf "$src"
    git -C "$REPO_DIR" worktree remove --force "$src" 2>/dev/null || true
    git -C "$REPO_DIR" worktree add --detach "$src" "$rev" >/dev/null 2>&1 || die "cannot check out $rev"
  fi
  log "building $name from $rev${publish:+ ($publish)}"
  rm -rf "${OUT:?}/$name"
  # shellcheck disable=SC2086 # publish is a list of arguments
  dotnet publish "$src/src/OneHop/OneHop.csproj" -c Release -o "$OUT/$name" --nologo -v quiet $publish >"$OUT/build-$name.log" 2>&1 ||
    die "build of $rev failed (see $OUT/build-$name.log)"
  [[ $rev == worktree ]] || git -C "$REPO_DIR" worktree remove --force "$src"
}

start_side() {
  local name=$1 env=$2 args=$3 addr=${PROXY_ADDR[$1]}
  mkdir -p "$OUT/manifests"
  fill "$BENCH_DIR/config/onehop-bench.yaml" "$OUT/manifests/bench.yaml" POD_ADDR=$POD_ADDR POD_PORT=$POD_PORT
  # shellcheck disable=SC2086 # env and args are lists
  env $env taskset -c "$PROXY_CORE" dotnet "$OUT/$name/onehop.dll" run --manifests "$OUT/manifests" --http "$addr:$HTTP_PORT" \
    --https "$addr:$HTTPS_PORT" --tls-cert "$TLS_DIR/server.crt" --tls-key "$TLS_DIR/server.key" \
    --admin "$addr:$ONEHOP_ADMIN_PORT" --log-level Warning $args >"$OUT/$name.log" 2>&1 &
  PIDS+=("$!")
  PROXY_PIDS[$name]=$!
  wait_http "http://$addr:$ONEHOP_ADMIN_PORT/readyz" -f || die "$name did not become ready (see $OUT/$name.log)"
}

# tp_items SIDE: work items the side's thread pool has run so far (its admin /metrics).
tp_items() { curl -s "http://${PROXY_ADDR[$1]}:$ONEHOP_ADMIN_PORT/metrics" | awk '/^dotnet_thread_pool_work_item_count_total[{ ]/ { printf "%.0f\n", $NF }'; }

median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

main() {
  if [[ ${1-} == -h || ${1-} == --help ]]; then sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; return 0; fi
  trap stop_all EXIT
  trap 'exit 130' INT TERM
  mkdir -p "$OUT"
  if [[ ${NOBUILD:-0} != 1 ]]; then
    build_side onehop-a "$A_REV" "${A_PUBLISH:-}"
    build_side onehop-b worktree "${B_PUBLISH:-}"
    [[ $LOAD == keepalive ]] || dotnet publish "$BENCH_DIR/LoadGen/LoadGen.csproj" -c Release -o "$OUT/loadgen" --nologo -v quiet \
      >"$OUT/build-loadgen.log" 2>&1 || die "build of LoadGen failed (see $OUT/build-loadgen.log)"
  fi
  start_backend
  start_side onehop-a "${A_ENV:-}" "${A_ARGS:-}"
  start_side onehop-b "${B_ENV:-}" "${B_ARGS:-}"
  echo "A: $A_REV${A_PUBLISH:+ published with $A_PUBLISH}${A_ENV:+ env $A_ENV}${A_ARGS:+ args $A_ARGS}; B: working tree at $(git -C "$REPO_DIR" rev-parse --short HEAD)$(git -C "$REPO_DIR" diff --quiet || echo '+changes')${B_PUBLISH:+ published with $B_PUBLISH}${B_ENV:+ env $B_ENV}${B_ARGS:+ args $B_ARGS}"
  echo "$LOAD load with $CONNS connections ($([[ $LOAD == keepalive ]] && echo wrk || echo "bench/LoadGen --closed --new-connection")), 13-byte answers, $REPEATS interleaved rounds of ${MEASURE}s; load $(cut -d' ' -f1-3 /proc/loadavg)"
  local side pid rep requests rate before after cpu items
  for side in "${SIDES[@]}"; do load_run "$side" 256 "$WARMUP" >/dev/null; done
  # Twice round: tiered compilation keeps promoting methods for a while after the first lull (a side measured right
  # after its first settling still got faster round by round).
  for side in "${SIDES[@]}" "${SIDES[@]}"; do settle_jit "$side" load_run "$side" 256 >/dev/null; done
  declare -A CPU=() RPS=() ITEMS=() TOTAL=()
  for ((rep = 1; rep <= REPEATS; rep++)); do
    for side in "${SIDES[@]}"; do
      pid=${PROXY_PIDS[$side]}
      items=$(tp_items "$side")
      before=$(cpu_ticks "$pid")
      read -r requests rate < <(load_run "$side" "$CONNS" "$MEASURE")
      after=$(cpu_ticks "$pid")
      cpu=$(cpu_us_per_request $((after - before)) "$requests")
      CPU[$side]+="$cpu "
      RPS[$side]+="${rate%.*} "
      ITEMS[$side]=$((${ITEMS[$side]:-0} + $(tp_items "$side") - items))
      TOTAL[$side]=$((${TOTAL[$side]:-0} + requests))
      printf '  round %d %-9s %9s requests %8s req/s %6s CPU µs/request\n' "$rep" "$side" "$requests" "${rate%.*}" "$cpu"
    done
  done
  printf '%-9s %12s %16s %10s %22s\n' side "peak RSS MiB" "CPU µs/request" "req/s" "thread-pool items/req"
  for side in "${SIDES[@]}"; do
    printf '%-9s %12s %16s %10s %22s\n' "$side" "$(vmhwm_mib "${PROXY_PIDS[$side]}")" "$(median "${CPU[$side]}")" "$(median "${RPS[$side]}")" \
      "$(awk -v i="${ITEMS[$side]}" -v n="${TOTAL[$side]}" 'BEGIN { printf "%.3f\n", i / n }')"
  done
  awk -v ca="$(median "${CPU[onehop-a]}")" -v cb="$(median "${CPU[onehop-b]}")" -v ra="$(median "${RPS[onehop-a]}")" -v rb="$(median "${RPS[onehop-b]}")" \
    'BEGIN { printf "B ÷ A: CPU µs/request %.3f, req/s %.3f (medians of the rounds)\n", cb / ca, rb / ra }'
}

main "$@"
