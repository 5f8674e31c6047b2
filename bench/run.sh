#!/usr/bin/env bash
# OneHop benchmarks, measured side by side in one run. Usage: bench/run.sh [suite ...]
#   http1         HTTP/1.1 keep-alive, 13 B and 64 KiB answers      } OneHop, HAProxy, nginx, bare YARP and the pod
#   newconn       HTTP/1.1, a new connection per request             } directly: maximum req/s at 8/64/256
#   https         HTTPS keep-alive, same certificate everywhere      } connections, CPU µs per request, latency at a
#   tls-handshake HTTPS, a new connection and full handshake per request }
#   http2         HTTP/2 over TLS (h2load)                           } fixed rate (open loop), peak RSS
#   algorithms    OneHop's balancing algorithms with one slow and one failing pod among five
#   onehop-proof  NodePort vs externalTrafficPolicy Local vs OneHop in network namespaces: latency, node-to-node bytes
#   direct        OneHop alone against the pod (the http1 suite with PROXIES=onehop)
#   tcp           TCP proxying: OneHop's tcp listener, HAProxy mode tcp, nginx stream; new connections/s, CPU per
#                 connection and per byte relayed (not in the default run)
#   gzip          gzip of a 16 KiB JSON answer: OneHop, HAProxy, nginx; CPU per request and bytes sent (not in the
#                 default run)
#   udp           UDP proxying: OneHop's udp listener, nginx stream udp, DNS to dnsmasq (dnsperf); queries/s, CPU per
#                 query (not in the default run; HAProxy does not proxy UDP)
# Default: all but direct (9 min 17 s on 2 cores, recorded). Knobs (environment, defaults in bench/lib/common.sh):
# DURATION FIXED_DURATION WARMUP JIT_SETTLE REPEATS CONNECTIONS LARGE_CONNECTIONS H2_STREAMS FIXED_CONNECTIONS RATE RATE_FRACTION
# RATE_CAP HANDSHAKE_CONNECTIONS HANDSHAKE_RATE_CAP PROXIES ONEHOP_ARGS ONEHOP_GZIP_LEVEL ONEHOP_OBS OTLP_ENDPOINT PROXY_CORE LOAD_CORE, ALGORITHMS ALGO_*, PROOF_*; RECORD=1
# appends the report to bench/RESULTS.md. See bench/README.md.
set -euo pipefail
BENCH_LIB="$(cd "$(dirname "$0")" && pwd)"
source "$BENCH_LIB/lib/common.sh"
source "$BENCH_LIB/lib/proxies.sh"
source "$BENCH_LIB/lib/load.sh"
source "$BENCH_LIB/lib/metrics.sh"
source "$BENCH_LIB/lib/report.sh"
source "$BENCH_LIB/lib/netns.sh"
source "$BENCH_LIB/suites/throughput.sh"
source "$BENCH_LIB/suites/algorithms.sh"
source "$BENCH_LIB/suites/proof.sh"
source "$BENCH_LIB/lib/l4proxies.sh"
source "$BENCH_LIB/suites/tcp.sh"
source "$BENCH_LIB/suites/udp.sh"
source "$BENCH_LIB/suites/compression.sh"

DEFAULT_SUITES=(http1 newconn https tls-handshake http2 algorithms onehop-proof)

cleanup() {
  stop_all
  netns_cleanup
}

main() {
  if [[ ${1-} == -h || ${1-} == --help ]]; then sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; return 0; fi
  local suites=("$@") s started=$SECONDS
  ((${#suites[@]})) || suites=("${DEFAULT_SUITES[@]}")
  for s in "${suites[@]}"; do declare -F "suite_${s//-/_}" >/dev/null || die "unknown suite $s (see bench/run.sh)"; done
  ((EUID == 0)) || die "run as root: packages, network namespaces and iptables need it"
  (($(nproc) >= 2)) || log "warning: fewer than 2 cores; the proxy and the load generator will share one"
  ensure_packages
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  rm -rf "$OUT"
  mkdir -p "$OUT" "$DATA"
  build_all
  report_header "${suites[*]}"
  for s in "${suites[@]}"; do "suite_${s//-/_}"; done
  report_configs
  echo "_Run took $(((SECONDS - started) / 60)) min $(((SECONDS - started) % 60)) s._" >>"$REPORT"
  echo >>"$REPORT"
  report_finish
}

main "$@"
