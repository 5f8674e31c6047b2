# The algorithms suite (OneHop only): five pods behind one Service, three fast, one ten times slower, one failing
# a share of its requests; each balancing algorithm gets a Service of its own (annotation onehop.dev/load-balance)
# with five pods of its own, so that no algorithm inherits another's per-pod state. One OneHop routes them by host
# name; the runs are interleaved (algorithm A, B, C, ..., ideal, A, B, ...). "ideal" is the same load on only the
# three healthy fast pods: the floor any algorithm could reach.
# Sourced, not executed.

ALGORITHMS=${ALGORITHMS:-"round-robin least-connections p2c peak-ewma"} # or "all": every one OneHop knows
ALGO_RATE=${ALGO_RATE:-1000}                 # requests/s, open loop
ALGO_DURATION=${ALGO_DURATION:-2}            # seconds per run
ALGO_CONNECTIONS=${ALGO_CONNECTIONS:-64}
ALGO_FAST_DELAY=${ALGO_FAST_DELAY:-2ms}
ALGO_SLOW_DELAY=${ALGO_SLOW_DELAY:-20ms}
ALGO_FAIL_RATE=${ALGO_FAIL_RATE:-0.05}
ALGO_EWMA_DECAY=${ALGO_EWMA_DECAY:-}           # onehop.dev/ewma-decay on the peak-ewma Service; empty: OneHop's default
ALGO_POD_PORT=18100
BALANCING_SOURCE="$REPO_DIR/src/OneHop.Core/Balancing/BalancingAlgorithms.cs"

# The algorithm names OneHop accepts, read from its source so that new ones are picked up without editing this.
known_algorithms() {
  grep -oE 'public const string [A-Za-z]+ = "[a-z0-9-]+"' "$BALANCING_SOURCE" 2>/dev/null | sed -E 's/.*"(.*)"/\1/'
}

suite_algorithms() {
  local suite=algorithms algs=() a known
  known=$(known_algorithms | xargs)
  if [[ $ALGORITHMS == all ]]; then
    read -ra algs <<<"$known"
  else
    for a in $ALGORITHMS; do
      if [[ -n $known && " $known " != *" $a "* ]]; then log "algorithms: skipping $a, which OneHop does not know ($known)"; continue; fi
      algs+=("$a")
    done
  fi
  ((${#algs[@]})) || die "algorithms: no algorithm to measure"
  log "suite algorithms: ${algs[*]} and ideal, $ALGO_RATE requests/s, pods $ALGO_FAST_DELAY (3), $ALGO_SLOW_DELAY (1), $ALGO_FAST_DELAY failing $ALGO_FAIL_RATE (1)"
  rm -f "$DATA/$suite.tsv"

  # Pod addresses: configuration i has 127.0.(30+i).1-3 fast, .4 slow, .5 failing; ideal only .1-3.
  local configs=("${algs[@]}" ideal) i fast=() slow=() failing=()
  mkdir -p "$OUT/algorithms"
  : >"$OUT/algorithms/pods.yaml"
  for i in "${!configs[@]}"; do
    local net=127.0.$((30 + i)) cfg=${configs[$i]} addrs
    fast+=(--pod "f1=$net.1:$ALGO_POD_PORT" --pod "f2=$net.2:$ALGO_POD_PORT" --pod "f3=$net.3:$ALGO_POD_PORT")
    if [[ $cfg == ideal ]]; then
      addrs="$net.1 $net.2 $net.3"
    else
      slow+=(--pod "slow=$net.4:$ALGO_POD_PORT")
      failing+=(--pod "failing=$net.5:$ALGO_POD_PORT")
      addrs="$net.1 $net.2 $net.3 $net.4 $net.5"
    fi
    algorithm_manifest "$cfg" "$addrs" >>"$OUT/algorithms/pods.yaml"
    TARGET_LABEL[$cfg]=$cfg
  done
  TARGET_LABEL[ideal]="ideal (3 healthy fast pods)"

  # The pods share the load core with the load generator, as the backend does in the other suites.
  start pods-fast "$LOAD_CORE" dotnet "$OUT/onehop/onehop.dll" pod "${fast[@]}" --delay "$ALGO_FAST_DELAY"
  start pods-slow "$LOAD_CORE" dotnet "$OUT/onehop/onehop.dll" pod "${slow[@]}" --delay "$ALGO_SLOW_DELAY"
  start pods-failing "$LOAD_CORE" dotnet "$OUT/onehop/onehop.dll" pod "${failing[@]}" --delay "$ALGO_FAST_DELAY" --fail-rate "$ALGO_FAIL_RATE"
  local addr=${PROXY_ADDR[onehop]}
  local args=(run --manifests "$OUT/algorithms" --http "$addr:$HTTP_PORT" --admin "$addr:$ONEHOP_ADMIN_PORT" --log-level Warning)
  start onehop-algorithms "$PROXY_CORE" dotnet "$OUT/onehop/onehop.dll" "${args[@]}"
  local pid=$LAST_PID
  wait_http "http://$addr:$ONEHOP_ADMIN_PORT/readyz" || die "OneHop did not become ready (see $OUT/onehop-algorithms.log)"
  for a in "${configs[@]}"; do
    wait_http "http://$addr:$HTTP_PORT/" -H "Host: $a.algo.bench" --fail || die "no route for $a.algo.bench (see $OUT/onehop-algorithms.log)"
  done

  local warm=$(((WARMUP + ${#configs[@]} - 1) / ${#configs[@]}))
  log "warming up OneHop: ${warm}s per configuration"
  for a in "${configs[@]}"; do
    run_fixed "http://$addr:$HTTP_PORT/" http keepalive "$ALGO_RATE" "$warm" --host "$a.algo.bench" >/dev/null
  done

  local rep line
  for ((rep = 1; rep <= REPEATS; rep++)); do
    for a in "${configs[@]}"; do
      line=$(FIXED_CONNECTIONS=$ALGO_CONNECTIONS run_fixed "http://$addr:$HTTP_PORT/" http keepalive "$ALGO_RATE" "$ALGO_DURATION" \
        --host "$a.algo.bench" --count-header X-Pod --cpu-pid "$pid")
      record_algorithm_run "$a" "$rep" "$line"
    done
  done
  record "$suite" rss onehop "$(vmhwm_mib "$pid")"
  stop_all

  {
    echo "#### algorithms: OneHop's balancing with one slow and one failing pod among five"
    echo
    echo "Five pods per Service (\`onehop pod\`): three answering after $ALGO_FAST_DELAY, one after $ALGO_SLOW_DELAY, one after $ALGO_FAST_DELAY" \
      "but answering 500 to $(awk -v r="$ALGO_FAIL_RATE" 'BEGIN { print r * 100 }')% of requests; the algorithm set by the Service annotation" \
      "\`onehop.dev/load-balance\`. Open loop at $ALGO_RATE requests/s (bench/LoadGen, $ALGO_CONNECTIONS connections, ${ALGO_DURATION}s runs," \
      "latency from each request's due time). Errors are what the client saw (OneHop retries only 502/503, so the pod's 500s reach it);" \
      "shares are of answered requests, from the X-Pod header. OneHop's other defaults apply (passive outlier ejection after 5 consecutive failures)." \
      "OneHop's peak RSS: $(median "$suite" rss onehop) MiB."
    echo
    table "$suite" "${configs[*]}" "p50 ms|p50|2" "p99 ms|p99|2" "p99.9 ms|p999|2" "errors %|errors|2" \
      "to slow pod %|slow|1" "to failing pod %|failing|1" "CPU µs/req|cpu|1"
    echo
    echo "Medians of $REPEATS interleaved runs, [min–max] in brackets."
    echo
  } >>"$REPORT"
}

# algorithm_manifest NAME "ADDRESS...": Service (annotated), EndpointSlice and Ingress on host NAME.algo.bench.
algorithm_manifest() {
  local name=$1 addrs=$2 annotation=""
  # ideal: round robin over three identical pods.
  annotation="annotations: {onehop.dev/load-balance: ${name/#ideal/round-robin}"
  if [[ $name == peak-ewma && -n $ALGO_EWMA_DECAY ]]; then annotation+=", onehop.dev/ewma-decay: $ALGO_EWMA_DECAY"; fi
  annotation+="}"
  cat <<YAML
apiVersion: v1
kind: Service
metadata:
  name: alg-$name
  namespace: bench
  $annotation
spec:
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: alg-$name-1
  namespace: bench
  labels: {kubernetes.io/service-name: alg-$name}
addressType: IPv4
ports: [{name: http, port: $ALGO_POD_PORT}]
endpoints:
$(for a in $addrs; do echo "  - addresses: [\"$a\"]"; done)
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: alg-$name, namespace: bench}
spec:
  ingressClassName: onehop
  rules:
    - host: $name.algo.bench
      http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: alg-$name, port: {number: 80}}}}
---
YAML
  if [[ $name == ideal ]]; then
    # The IngressClass once, with the last configuration.
    printf 'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: onehop}\nspec: {controller: onehop.dev/ingress-controller}\n'
  fi
}

# record_algorithm_run CONFIG REP LOADGEN_LINE: latency, error rate and pod shares of one run.
record_algorithm_run() {
  local a=$1 rep=$2 line=$3 requests ok non2xx errors header
  requests=$(field "$line" requests)
  ok=$(field "$line" ok)
  non2xx=$(field "$line" non2xx)
  errors=$(field "$line" errors)
  header=$(field "$line" header)
  if ((${ok:-0} == 0)); then
    log "run $rep algorithms $a: VOID ($line)"
    record algorithms p50 "$a" void
    return 0
  fi
  record algorithms p50 "$a" "$(field "$line" p50_ms)"
  record algorithms p99 "$a" "$(field "$line" p99_ms)"
  record algorithms p999 "$a" "$(field "$line" p999_ms)"
  record algorithms errors "$a" "$(awk -v b="$((non2xx + errors))" -v n="$requests" 'BEGIN { printf "%.3f\n", 100 * b / n }')"
  record algorithms cpu "$a" "$(cpu_us_per_request "$(field "$line" cpu_ticks)" "$((ok + non2xx))")"
  # header=X-Pod:f1/300,f2/310,slow/50,failing/120
  local shares
  shares=$(awk -v h="${header#*:}" 'BEGIN {
    n = split(h, kv, ","); for (i = 1; i <= n; i++) { split(kv[i], p, "/"); c[p[1]] = p[2]; total += p[2] }
    if (total == 0) total = 1
    printf "%.2f %.2f\n", 100 * c["slow"] / total, 100 * c["failing"] / total }')
  record algorithms slow "$a" "${shares% *}"
  record algorithms failing "$a" "${shares#* }"
  log "run $rep algorithms $a: p50 $(field "$line" p50_ms) ms, p99 $(field "$line" p99_ms) ms, errors $((non2xx + errors))/$requests, pods $header"
}
