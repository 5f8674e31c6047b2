# The udp suite: OneHop's udp listener and nginx's stream module (udp) relaying DNS to the same dnsmasq pod, plus the
# pod queried directly, measured interleaved with dnsperf (closed loop: every client keeps its queries outstanding,
# each on its own source port, so each is one session in the proxy). HAProxy has no UDP proxying (its community
# edition relays UDP only for syslog), so it has no row. Sourced, not executed.

UDP_PROXIES=${UDP_PROXIES:-"onehop nginx"}
UDP_PORT=18053
DNS_POD_PORT=18054
UDP_CLIENTS=${UDP_CLIENTS:-64}        # dnsperf clients: sessions (source ports) per run
UDP_OUTSTANDING=${UDP_OUTSTANDING:-256} # queries in flight over all clients

suite_udp() {
  local suite=udp p t rep
  log "suite udp: UDP proxying (DNS queries)"
  ensure_stream_module
  ensure_udp_tools
  rm -f "$DATA/$suite.tsv"
  printf '%s A\n' a.bench.test b.bench.test c.bench.test >"$OUT/dns-queries.txt"
  start dnsmasq "$LOAD_CORE" dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts --user=root \
    --pid-file= --listen-address="$POD_ADDR" --bind-interfaces --port="$DNS_POD_PORT" --address=/bench.test/192.0.2.1
  wait_dns "$POD_ADDR" "$DNS_POD_PORT" || die "dnsmasq did not answer (see $OUT/dnsmasq.log)"
  local proxies=()
  for p in $UDP_PROXIES; do
    start_udp_proxy "$p"
    proxies+=("$p")
  done
  local targets=(direct "${proxies[@]}")
  for t in "${proxies[@]}"; do
    log "warming up $t for ${WARMUP}s"
    run_dnsperf "$t" "$WARMUP" >/dev/null
  done
  for ((rep = 1; rep <= REPEATS; rep++)); do
    for t in "${targets[@]}"; do measure_udp "$suite" "$t" "$rep"; done
  done
  for p in "${proxies[@]}"; do record "$suite" rss "$p" "$(vmhwm_mib ${PROXY_PIDS[$p]})"; done
  stop_all
  {
    echo "#### udp: UDP proxying, DNS queries relayed to dnsmasq (OneHop udp listener, nginx stream udp)"
    echo
    echo "Maximum throughput (closed loop, dnsperf, ${DURATION}s runs, $UDP_CLIENTS clients on their own source ports, $UDP_OUTSTANDING queries in flight; CPU from the proxy's utime+stime over those runs). A run that lost more than 0.1% of its queries (beyond the $UDP_OUTSTANDING in flight when dnsperf's clock stops, which it counts as lost) is void. HAProxy has no row: its community edition does not proxy UDP."
    echo
    table "$suite" "${targets[*]}" "queries/s|qps|0" "CPU µs per query|cpuq|2" "peak RSS MiB|rss|1"
    echo
    echo "Medians of $REPEATS interleaved runs, [min–max] in brackets."
    echo
  } >>"$REPORT"
}

ensure_udp_tools() {
  local missing=()
  command -v dnsmasq >/dev/null || missing+=(dnsmasq-base)
  command -v dnsperf >/dev/null || missing+=(dnsperf)
  command -v dig >/dev/null || missing+=(dnsutils)
  ((${#missing[@]})) || return 0
  log "installing ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# wait_dns ADDR PORT: true once a query there is answered (5 s at most).
wait_dns() {
  local i
  for i in $(seq 50); do
    [[ -n $(dig +short +tries=1 +time=1 @"$1" -p "$2" a.bench.test 2>/dev/null) ]] && return 0
    sleep 0.1
  done
  return 1
}

# start_udp_proxy NAME: starts it pinned to the proxy core and waits until a query goes through it.
start_udp_proxy() {
  local name=$1 addr=${PROXY_ADDR[$1]} pid
  case $name in
    onehop)
      mkdir -p "$OUT/udp-manifests"
      fill "$BENCH_DIR/config/onehop-udp-manifests.yaml" "$OUT/udp-manifests/dns.yaml" POD_ADDR=$POD_ADDR POD_PORT=$DNS_POD_PORT
      fill "$BENCH_DIR/config/onehop-udp.yaml" "$OUT/onehop-udp.yaml" ADDR="$addr" PORT=$UDP_PORT ADMIN_PORT=$ONEHOP_ADMIN_PORT
      local args=(run --manifests "$OUT/udp-manifests" --config "$OUT/onehop-udp.yaml" --log-level Warning $ONEHOP_ARGS)
      PROXY_CMD[$name-udp]="dotnet onehop.dll ${args[*]} (bench/config/onehop-udp.yaml)"
      start onehop-udp "$PROXY_CORE" dotnet "$OUT/onehop/onehop.dll" "${args[@]}"
      pid=$LAST_PID
      wait_http "http://$addr:$ONEHOP_ADMIN_PORT/readyz" || die "OneHop did not become ready (see $OUT/onehop-udp.log)"
      ;;
    nginx)
      fill "$BENCH_DIR/config/nginx-stream-udp.conf" "$OUT/nginx-stream-udp.conf" OUT="$OUT" ADDR="$addr" PORT=$UDP_PORT POD_ADDR=$POD_ADDR POD_PORT=$DNS_POD_PORT
      PROXY_CMD[$name-udp]="nginx -c nginx-stream-udp.conf (bench/config/nginx-stream-udp.conf)"
      start nginx-stream-udp "$PROXY_CORE" nginx -c "$OUT/nginx-stream-udp.conf"
      pid=$LAST_PID
      ;;
    *) die "no UDP variant of $name" ;;
  esac
  wait_dns "$addr" "$UDP_PORT" || die "$name did not relay DNS through its UDP listener (see $OUT/$name-udp.log)"
  PROXY_PIDS[$name]=$(pid_tree "$pid")
}

# run_dnsperf TARGET SECONDS: prints "queries_per_s completed lost".
run_dnsperf() {
  local addr port out
  [[ $1 == direct ]] && addr=$POD_ADDR port=$DNS_POD_PORT || addr=${PROXY_ADDR[$1]} port=$UDP_PORT
  out=$(taskset -c "$LOAD_CORE" dnsperf -s "$addr" -p "$port" -d "$OUT/dns-queries.txt" -l "$2" -c "$UDP_CLIENTS" \
    -q "$UDP_OUTSTANDING" -t 1 2>&1) || true
  echo "$out" >>"$OUT/dnsperf.log"
  awk '
    /Queries completed:/ { done = $3 }
    /Queries lost:/ { lost = $3 }
    /Queries per second:/ { qps = $4 }
    END { printf "%s %d %d\n", qps + 0, done, (qps == "" ? -1 : lost) }' <<<"$out"
}

# measure_udp SUITE TARGET REP: one maximum-throughput run, with the proxy's CPU per answered query.
measure_udp() {
  local suite=$1 target=$2 rep=$3 pids before after qps done lost
  pids=${PROXY_PIDS[$target]:-}
  before=$(cpu_ticks $pids)
  read -r qps done lost < <(run_dnsperf "$target" "$DURATION")
  after=$(cpu_ticks $pids)
  # dnsperf counts the queries still in flight when its clock stops as lost: only a loss beyond them voids a run.
  if ((lost < 0 || done == 0 || (lost - UDP_OUTSTANDING) * 1000 > done + lost)); then
    log "run $rep $suite $target: VOID ($lost of $((done + lost)) queries lost)"
    record "$suite" qps "$target" void
    [[ -n $pids ]] && record "$suite" cpuq "$target" void
    return 0
  fi
  log "run $rep $suite $target: $qps queries/s ($lost lost)"
  record "$suite" qps "$target" "$qps"
  [[ -n $pids ]] && record "$suite" cpuq "$target" "$(awk -v t=$((after - before)) -v n="$done" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f\n", t * 1e6 / hz / n }')"
  return 0
}
