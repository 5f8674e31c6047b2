# The tcp suite: OneHop's tcp listener, HAProxy (mode tcp) and nginx (stream) relaying HTTP/1.1 to the same nginx
# pod as opaque bytes, plus the pod called directly, measured interleaved. A new connection per request (the client
# sends Connection: close) gives connections per second and CPU per connection; keep-alive 64 KiB answers give CPU
# per byte relayed. Sourced, not executed.

TCP_PROXIES=${TCP_PROXIES:-"onehop haproxy nginx"}

# tcp_load URL CONNECTIONS SECONDS: keep-alive load through a proxy, figures discarded (warm-up).
tcp_load() { taskset -c "$LOAD_CORE" wrk -t1 -c"$2" -d"$3s" "$1" >/dev/null 2>&1 || true; }

suite_tcp() {
  local suite=tcp p t c rep
  log "suite tcp: TCP proxying (HTTP/1.1 relayed as bytes)"
  ensure_stream_module
  rm -f "$DATA/$suite.tsv"
  start_backend
  local proxies=()
  for p in $TCP_PROXIES; do
    start_tcp_proxy "$p"
    proxies+=("$p")
  done
  local targets=(direct "${proxies[@]}") conns
  conns=$(middle_of "$CONNECTIONS")
  for t in "${proxies[@]}"; do
    log "warming up $t for ${WARMUP}s"
    tcp_load "$(tcp_url "$t" /64k)" "$conns" "$WARMUP"
    settle_jit "$t" tcp_load "$(tcp_url "$t" /64k)" "$conns"
  done
  for ((rep = 1; rep <= REPEATS; rep++)); do
    for t in "${targets[@]}"; do measure_max "$suite" "$t" "$(tcp_url "$t")" http newconn "$conns" "conn.c$conns" "cpuconn.c$conns" "$rep"; done
    for t in "${targets[@]}"; do measure_max "$suite" "$t" "$(tcp_url "$t" /64k)" http keepalive "$conns" "rps64k.c$conns" "cpu64k.c$conns" "$rep"; done
  done
  for p in "${proxies[@]}"; do record "$suite" rss "$p" "$(vmhwm_mib ${PROXY_PIDS[$p]})"; done
  stop_all
  {
    echo "#### tcp: TCP proxying, HTTP/1.1 relayed as bytes (OneHop tcp listener, HAProxy mode tcp, nginx stream)"
    echo
    echo "Maximum throughput (closed loop, wrk, ${DURATION}s runs, $conns connections; CPU from the proxy's utime+stime over those runs). New connections: every request on a new client connection (Connection: close), so a new connection to the pod too. 64 KiB: keep-alive, 64 KiB answers; CPU per answer ÷ 64 KiB is CPU per byte relayed."
    echo
    table "$suite" "${targets[*]}" "new connections/s|conn.c$conns|0" "CPU µs per connection|cpuconn.c$conns|1" \
      "64 KiB answers/s|rps64k.c$conns|0" "CPU µs per 64 KiB answer|cpu64k.c$conns|1" "peak RSS MiB|rss|1"
    echo
    echo "Medians of $REPEATS interleaved runs, [min–max] in brackets; a run with any non-2xx answer or socket error is void and left out."
    echo
  } >>"$REPORT"
}

# nginx's stream module is a separate Debian package.
ensure_stream_module() {
  [[ -f /usr/lib/nginx/modules/ngx_stream_module.so ]] && return 0
  log "installing libnginx-mod-stream"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libnginx-mod-stream >/dev/null
}
