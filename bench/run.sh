#!/usr/bin/env bash
# OneHop benchmarks, measured side by side in one run. Usage: bench/run.sh [suite ...]
#   suites: direct   OneHop vs the pod called directly (HTTP/1.1 keep-alive, 13-byte responses)
# Knobs (environment): DURATION=10 WARMUP=15 REPEATS=5 CONNECTIONS=64 PROXY_CORE=0 LOAD_CORE=1
# Results are printed as markdown and appended to bench/RESULTS.md.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

POD_ADDR=127.0.0.2
POD_PORT=18081
ONEHOP_PORT=18080
ADMIN_PORT=19901

suite_direct() {
  log "suite direct: OneHop vs the pod directly, ${CONNECTIONS} connections, ${REPEATS}x${DURATION}s interleaved after ${WARMUP}s warm-up"
  sed -e "s#__OUT__#$OUT#g" -e "s#__POD_ADDR__#$POD_ADDR#" -e "s#__POD_PORT__#$POD_PORT#" \
    "$BENCH_DIR/config/backend-nginx.conf" >"$OUT/backend-nginx.conf"
  start backend "$LOAD_CORE" nginx -c "$OUT/backend-nginx.conf" >/dev/null

  mkdir -p "$OUT/manifests"
  cat >"$OUT/manifests/bench.yaml" <<YAML
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: onehop
  annotations: {ingressclass.kubernetes.io/is-default-class: "true"}
spec:
  controller: onehop.dev/ingress-controller
---
apiVersion: v1
kind: Service
metadata: {name: hello, namespace: bench}
spec:
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: hello-1
  namespace: bench
  labels: {kubernetes.io/service-name: hello}
addressType: IPv4
ports: [{name: http, port: $POD_PORT}]
endpoints:
  - addresses: ["$POD_ADDR"]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: hello, namespace: bench}
spec:
  rules:
    - http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: hello, port: {number: 80}}}}
YAML
  start onehop "$PROXY_CORE" env DOTNET_gcServer=0 dotnet "$OUT/onehop/onehop.dll" run \
    --manifests "$OUT/manifests" --http "127.0.0.1:$ONEHOP_PORT" --admin "127.0.0.1:$ADMIN_PORT" --log-level Warning >/dev/null
  wait_http "http://$POD_ADDR:$POD_PORT/"
  wait_http "http://127.0.0.1:$ADMIN_PORT/readyz"

  log "warming up OneHop for ${WARMUP}s"
  DURATION=$WARMUP run_wrk "http://127.0.0.1:$ONEHOP_PORT/" >/dev/null

  local targets=(direct onehop)
  declare -A url=([direct]="http://$POD_ADDR:$POD_PORT/" [onehop]="http://127.0.0.1:$ONEHOP_PORT/")
  for ((i = 1; i <= REPEATS; i++)); do
    for t in "${targets[@]}"; do
      read -r rps p50 p99 errors < <(run_wrk "${url[$t]}")
      log "run $i $t: $rps req/s, p50 ${p50} ms, p99 ${p99} ms, errors $errors"
      if ((errors > 0)); then log "run void: $errors errors"; continue; fi
      echo "$rps" >>"$OUT/$t.rps"; echo "$p50" >>"$OUT/$t.p50"; echo "$p99" >>"$OUT/$t.p99"
    done
  done
  stop_all

  read -r d_rps d_rps_min d_rps_max < <(stats <"$OUT/direct.rps")
  read -r o_rps o_rps_min o_rps_max < <(stats <"$OUT/onehop.rps")
  read -r d_p50 _ _ < <(stats <"$OUT/direct.p50")
  read -r o_p50 o_p50_min o_p50_max < <(stats <"$OUT/onehop.p50")
  read -r d_p99 _ _ < <(stats <"$OUT/direct.p99")
  read -r o_p99 o_p99_min o_p99_max < <(stats <"$OUT/onehop.p99")
  {
    echo "#### direct: HTTP/1.1 keep-alive, 13-byte responses, ${CONNECTIONS} connections (wrk, medians of ${REPEATS} interleaved ${DURATION}s runs; range in brackets)"
    echo
    echo "| target | requests/s | p50 ms | p99 ms |"
    echo "|---|---|---|---|"
    echo "| pod directly | $d_rps [$d_rps_min–$d_rps_max] | $d_p50 | $d_p99 |"
    echo "| OneHop → pod | $o_rps [$o_rps_min–$o_rps_max] | $o_p50 [$o_p50_min–$o_p50_max] | $o_p99 [$o_p99_min–$o_p99_max] |"
    awk -v o="$o_rps" -v d="$d_rps" -v op50="$o_p50" -v dp50="$d_p50" -v op99="$o_p99" -v dp99="$d_p99" 'BEGIN {
      printf "| **OneHop ÷ direct** | %.2f× | +%.3f ms | +%.3f ms |\n", o / d, op50 - dp50, op99 - dp99 }'
    echo
  } >>"$OUT/report.md"
}

main() {
  local suites=("$@")
  ((${#suites[@]})) || suites=(direct)
  ensure_packages
  rm -rf "$OUT"; mkdir -p "$OUT"
  trap stop_all EXIT
  build_onehop
  {
    echo "### $(date -u +%Y-%m-%d) — commit $(git -C "$REPO_DIR" rev-parse --short HEAD), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"
    echo
    echo "Command: \`bench/run.sh ${suites[*]}\` (DURATION=$DURATION WARMUP=$WARMUP REPEATS=$REPEATS CONNECTIONS=$CONNECTIONS; proxy on core $PROXY_CORE, wrk and backend on core $LOAD_CORE)"
    echo
  } >"$OUT/report.md"
  for s in "${suites[@]}"; do "suite_$s"; done
  cat "$OUT/report.md"
  cat "$OUT/report.md" >>"$BENCH_DIR/RESULTS.md"
}

main "$@"
