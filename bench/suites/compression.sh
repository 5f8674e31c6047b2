# The compression suite: OneHop, HAProxy and nginx compressing the same 16 KiB JSON answer of the pod with gzip for a
# client that asks for it (Accept-Encoding: gzip), all at their cheapest level (nginx and OneHop level 1; Debian's
# HAProxy has libslz, stateless, with no level). Maximum throughput with wrk, CPU per request, and the bytes of the
# compressed answer each sends (a cheaper coding that compresses less is not the same work). The pod directly
# answers uncompressed, for reference. Not in the default run. Sourced, not executed.

suite_gzip() {
  local suite=gzip ACCEPT_ENCODING=gzip COMPRESS=1 p t c rep
  log "suite $suite: gzip of a 16 KiB JSON answer"
  rm -f "$DATA/$suite.tsv"
  start_backend
  local proxies=()
  for p in $PROXIES; do
    [[ $p == bareyarp ]] && continue # bare YARP has no compression of its own
    start_proxy "$p" 0
    proxies+=("$p")
  done
  local targets=(direct "${proxies[@]}") mid url codings=""
  mid=$(middle_of "$CONNECTIONS")
  for p in "${proxies[@]}"; do
    url=$(target_url "$p" http /16k.json)
    log "warming up $p for ${WARMUP}s"
    run_max "$url" http keepalive "$mid" "$WARMUP" >/dev/null
    settle_jit "$p" run_max "$url" http keepalive "$mid"
  done
  for t in "${targets[@]}"; do
    url=$(target_url "$t" http /16k.json)
    record "$suite" size "$t" "$(curl -s -H "Accept-Encoding: gzip" -o /dev/null -w '%{size_download}' "$url")"
    codings+="${codings:+, }${TARGET_LABEL[$t]} $(curl -s -D - -o /dev/null -H "Accept-Encoding: gzip" "$url" | awk -F': ' 'tolower($1) == "content-encoding" { gsub(/\r/, "", $2); print $2 }' | grep . || echo identity)"
  done
  for ((rep = 1; rep <= REPEATS; rep++)); do
    for t in "${targets[@]}"; do
      measure_max "$suite" "$t" "$(target_url "$t" http /16k.json)" http keepalive "$mid" "rps.c$mid" "cpu.c$mid" "$rep"
    done
  done
  for p in "${proxies[@]}"; do record "$suite" rss "$p" "$(vmhwm_mib ${PROXY_PIDS[$p]})"; done
  stop_all

  {
    echo "#### $suite: gzip of a 16 KiB JSON answer (Accept-Encoding: gzip; nginx and OneHop gzip level 1, HAProxy libslz)"
    echo
    echo "Maximum throughput (closed loop, wrk, $mid connections, ${DURATION}s runs; CPU per request from the proxy's utime+stime over those runs; the pod directly answers uncompressed):"
    echo
    table "$suite" "${targets[*]}" "req/s|rps.c$mid|0" "CPU µs/req|cpu.c$mid|1" "bytes of the answer|size|0" \
      "bytes allocated/req|alloc.rps.c$mid|0" "peak RSS MiB|rss|1"
    echo
    echo "Content-Encoding of the answers: $codings."
    echo
    echo "Medians of $REPEATS interleaved runs, [min–max] in brackets; a run with any non-2xx answer or socket error is void and left out."
    echo
  } >>"$REPORT"
}
