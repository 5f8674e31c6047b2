# The throughput suites: OneHop, HAProxy, nginx and bare YARP in front of the same nginx "pod", plus the pod called
# directly, measured interleaved (direct, OneHop, HAProxy, nginx, bare YARP, direct, ...).
#   http1    HTTP/1.1 keep-alive, 13-byte and 64 KiB answers
#   newconn  HTTP/1.1, a new connection for every request
#   https    HTTPS (HTTP/1.1) keep-alive, every proxy terminating the same certificate
#   tls-handshake  HTTPS with a new connection, so a full TLS handshake (no session resumption), for every request;
#            closed loop with bench/LoadGen, since wrk and h2load resume their TLS sessions when they reconnect
#   http2    HTTP/2 over TLS (ALPN h2), H2_STREAMS streams per connection
# Sourced, not executed.

suite_http1() { throughput_suite http1 http keepalive "HTTP/1.1 keep-alive, 13-byte answers (64 KiB where marked)"; }
suite_newconn() { throughput_suite newconn http newconn "HTTP/1.1, a new connection per request (client sends Connection: close; proxies keep their pool to the pod)"; }
suite_https() { throughput_suite https https keepalive "HTTPS keep-alive (TLS terminated by each proxy, same ECDSA P-256 certificate), 13-byte answers"; }
suite_tls_handshake() { throughput_suite tls-handshake https newconn "TLS handshakes: HTTPS with a new connection (a full handshake, no session resumption) per request, same ECDSA P-256 certificate"; }
suite_http2() { throughput_suite http2 h2 keepalive "HTTP/2 over TLS (ALPN), $H2_STREAMS concurrent streams per connection, 13-byte answers; HTTP/1.1 to the pod"; }
# The old single comparison, kept for its command line: OneHop against the pod alone.
suite_direct() { PROXIES=onehop throughput_suite direct http keepalive "HTTP/1.1 keep-alive, 13-byte answers (OneHop only)"; }

# throughput_suite NAME PROTO(http|https|h2) MODE(keepalive|newconn) TITLE
throughput_suite() {
  local suite=$1 proto=$2 mode=$3 title=$4 tls=0 scheme=http p t c rep skipped=""
  [[ $proto != http ]] && { tls=1; scheme=https; }
  log "suite $suite: $title"
  rm -f "$DATA/$suite.tsv"
  start_backend
  local proxies=()
  for p in $PROXIES; do
    if [[ $p == onehop ]] && ((tls)) && ! onehop_has_tls; then
      log "OneHop row skipped: TLS not available in this build"
      skipped="OneHop row skipped: TLS not available in this build (\`onehop run --help\` lists no --https)."
      continue
    fi
    start_proxy "$p" "$tls"
    proxies+=("$p")
  done
  local targets=(direct "${proxies[@]}") conns=$CONNECTIONS mid most
  [[ $suite == tls-handshake ]] && conns=$HANDSHAKE_CONNECTIONS
  mid=$(middle_of "$conns")
  most=$(largest_of "$conns")

  # Warm-up: the JIT of the .NET proxies needs load before their figures settle; every proxy gets the same, at the
  # largest connection count, so that the pools to the pod are as large as any measured run needs (with HTTP/2,
  # connections × streams requests at once) before the first one.
  for p in "${proxies[@]}"; do
    log "warming up $p for ${WARMUP}s"
    if [[ $suite == tls-handshake ]]; then
      run_handshakes "$(target_url "$p" $scheme)" "$most" "$WARMUP" >/dev/null
      settle_jit "$p" run_handshakes "$(target_url "$p" $scheme)" "$most"
    else
      run_max "$(target_url "$p" $scheme)" "$proto" "$mode" "$most" "$WARMUP" >/dev/null
      [[ $suite == http1 ]] && run_max "$(target_url "$p" $scheme /64k)" "$proto" "$mode" "$mid" 1 >/dev/null
      settle_jit "$p" run_max "$(target_url "$p" $scheme)" "$proto" "$mode" "$most"
    fi
  done

  # Maximum throughput: closed loop, as fast as each target answers.
  for ((rep = 1; rep <= REPEATS; rep++)); do
    for c in $conns; do
      for t in "${targets[@]}"; do measure_max "$suite" "$t" "$(target_url "$t" $scheme)" "$proto" "$mode" "$c" "rps.c$c" "cpu.c$c" "$rep"; done
    done
    if [[ $suite == http1 ]]; then
      for c in $LARGE_CONNECTIONS; do
        for t in "${targets[@]}"; do measure_max "$suite" "$t" "$(target_url "$t" $scheme /64k)" "$proto" "$mode" "$c" "rps64k.c$c" "cpu64k.c$c" "$rep"; done
      done
    fi
  done

  # Fixed rate: open loop at RATE_FRACTION of the slowest proxy's best median (capped), the same rate for all.
  local rate
  rate=$(fixed_rate "$suite" "$conns" "${proxies[@]}")
  log "fixed rate for $suite: $rate requests/s"
  for ((rep = 1; rep <= REPEATS; rep++)); do
    local d50="" d99=""
    for t in "${targets[@]}"; do
      measure_fixed "$suite" "$t" "$(target_url "$t" $scheme)" "$proto" "$mode" "$rate" "$rep"
    done
  done
  for p in "${proxies[@]}"; do record "$suite" rss "$p" "$(vmhwm_mib ${PROXY_PIDS[$p]})"; done
  stop_all

  {
    echo "#### $suite: $title"
    echo
    [[ -n $skipped ]] && { echo "$skipped"; echo; }
    if [[ $suite == tls-handshake ]]; then
      echo "Maximum throughput (closed loop, bench/LoadGen --closed --new-connection --no-tls-resume: every request a new connection and a full handshake, ${DURATION}s runs after 0.5 s unmeasured; CPU per request from the proxy's utime+stime over the measured part). The client's own handshakes cost its core more than a proxy's: where every target reaches about the same rate, the client is the limit and the proxy's CPU per handshake is the figure to compare."
    else
      echo "Maximum throughput (closed loop, $([[ $proto == h2 ]] && echo "h2load -m$H2_STREAMS" || echo wrk), ${DURATION}s runs; CPU per request from the proxy's utime+stime over those runs):"
    fi
    echo
    local cols=()
    for c in $conns; do cols+=("req/s, $c conns|rps.c$c|0"); done
    [[ $suite == http1 ]] && for c in $LARGE_CONNECTIONS; do cols+=("64 KiB req/s, $c conns|rps64k.c$c|0"); done
    cols+=("CPU µs/req at max, $mid conns|cpu.c$mid|1")
    [[ $suite == tls-handshake ]] && cols+=("req/s one proxy core would sustain (1e6 ÷ CPU µs)|core.c$mid|0")
    [[ $suite == http1 ]] && for c in $LARGE_CONNECTIONS; do cols+=("64 KiB CPU µs/req, $c conns|cpu64k.c$c|1"); done
    [[ $suite != tls-handshake ]] && cols+=("bytes allocated/req, $mid conns|alloc.rps.c$mid|0")
    table "$suite" "${targets[*]}" "${cols[@]}"
    echo
    echo "At a fixed $rate requests/s (open loop, bench/LoadGen$([[ $mode == newconn ]] && echo ", a new connection per request$([[ $tls == 1 ]] && echo " and a full TLS handshake")"), $FIXED_CONNECTIONS connections, ${FIXED_DURATION}s runs; latency from each request's due time; added latency paired with the direct run of the same round):"
    echo
    table "$suite" "${targets[*]}" "CPU µs/req|cpu|1" "p50 ms|p50|3" "p99 ms|p99|3" "p99.9 ms|p999|3" \
      "added p50 ms|add50|3" "added p99 ms|add99|3" "peak RSS MiB|rss|1"
    echo
    echo "Medians of $REPEATS interleaved runs, [min–max] in brackets; a run with any non-2xx answer or socket error is void and left out."
    echo
  } >>"$REPORT"
}

# measure_max SUITE TARGET URL PROTO MODE CONNS KEY CPU_KEY REP
measure_max() {
  local suite=$1 target=$2 url=$3 proto=$4 mode=$5 conns=$6 key=$7 cpukey=$8 rep=$9 pids before after rps total bad
  local alloc_before="" alloc_after=""
  pids=${PROXY_PIDS[$target]:-}
  if [[ $suite == tls-handshake ]]; then
    # LoadGen measures the proxy's CPU itself, over the measured part only.
    local line pid args=()
    for pid in $pids; do args+=(--cpu-pid "$pid"); done
    line=$(run_handshakes "$url" "$conns" "$DURATION" "${args[@]}")
    rps=$(field "$line" achieved) total=$(field "$line" ok) bad=$(($(field "$line" non2xx) + $(field "$line" errors)))
    before=0 after=$(field "$line" cpu_ticks)
  else
    alloc_before=$(allocated_bytes "$target")
    before=$(cpu_ticks $pids)
    read -r rps total bad < <(run_max "$url" "$proto" "$mode" "$conns" "$DURATION")
    after=$(cpu_ticks $pids)
    alloc_after=$(allocated_bytes "$target")
  fi
  if ((bad > 0 || total == 0)); then
    log "run $rep $suite $target $conns conns: VOID (${bad:-0} non-2xx answers or errors in ${total:-0} requests)"
    record "$suite" "$key" "$target" void
    [[ -n $pids ]] && record "$suite" "$cpukey" "$target" void
    [[ -n $pids && $suite == tls-handshake ]] && record "$suite" "core.c$conns" "$target" void
    return 0
  fi
  log "run $rep $suite $target $key: $rps req/s"
  record "$suite" "$key" "$target" "$rps"
  [[ -n $pids ]] || return 0
  local cpu
  cpu=$(cpu_us_per_request $((after - before)) "$total")
  record "$suite" "$cpukey" "$target" "$cpu"
  # The requests of the warm-up and of the scrapes themselves are few beside a run's: left in.
  [[ -n $alloc_after ]] && record "$suite" "alloc.$key" "$target" "$(bytes_per_request "$alloc_before" "$alloc_after" "$total")"
  # What one proxy core would sustain at that cost (tls-handshake, where the client is the limit).
  [[ $suite == tls-handshake ]] && record "$suite" "core.c$conns" "$target" "$(awk -v c="$cpu" 'BEGIN { printf "%.0f\n", 1e6 / c }')"
  return 0
}

# measure_fixed SUITE TARGET URL PROTO MODE RATE REP; the direct run of the round sets d50/d99 (the caller's locals)
# for the paired added latency.
measure_fixed() {
  local suite=$1 target=$2 url=$3 proto=$4 mode=$5 rate=$6 rep=$7 pids line pid ok bad args=()
  pids=${PROXY_PIDS[$target]:-}
  for pid in $pids; do args+=(--cpu-pid "$pid"); done
  line=$(run_fixed "$url" "$proto" "$mode" "$rate" "$FIXED_DURATION" "${args[@]}")
  ok=$(field "$line" ok)
  bad=$(($(field "$line" non2xx) + $(field "$line" errors)))
  if ((bad > 0 || ${ok:-0} == 0)); then
    log "run $rep $suite $target at $rate/s: VOID ($line)"
    local k
    for k in p50 p99 p999 add50 add99; do record "$suite" "$k" "$target" void; done
    [[ -n $pids ]] && record "$suite" cpu "$target" void
    [[ $target == direct ]] && d50="" && d99=""
    return 0
  fi
  local p50 p99
  p50=$(field "$line" p50_ms)
  p99=$(field "$line" p99_ms)
  log "run $rep $suite $target at $rate/s: p50 $p50 ms, p99 $p99 ms, p99.9 $(field "$line" p999_ms) ms (client late by up to $(field "$line" late_max_ms) ms)"
  record "$suite" p50 "$target" "$p50"
  record "$suite" p99 "$target" "$p99"
  record "$suite" p999 "$target" "$(field "$line" p999_ms)"
  if [[ $target == direct ]]; then
    d50=$p50 d99=$p99
  elif [[ -n $d50 ]]; then
    record "$suite" add50 "$target" "$(awk -v a="$p50" -v b="$d50" 'BEGIN { printf "%.3f\n", a - b }')"
    record "$suite" add99 "$target" "$(awk -v a="$p99" -v b="$d99" 'BEGIN { printf "%.3f\n", a - b }')"
  fi
  [[ -n $pids ]] && record "$suite" cpu "$target" "$(cpu_us_per_request "$(field "$line" cpu_ticks)" "$ok")"
  return 0
}

# fixed_rate SUITE CONNECTIONS PROXY...: RATE if set, else RATE_FRACTION × the lowest of the proxies' best median
# throughput, at most RATE_CAP (HANDSHAKE_RATE_CAP for tls-handshake: the client's full handshakes are costly).
fixed_rate() {
  local suite=$1 conns=$2 p c m best slowest="" cap=$RATE_CAP
  shift 2
  if [[ -n $RATE ]]; then echo "$RATE"; return; fi
  [[ $suite == tls-handshake ]] && cap=$HANDSHAKE_RATE_CAP
  for p in "$@"; do
    best=0
    for c in $conns; do
      m=$(median "$suite" "rps.c$c" "$p")
      [[ $m != - ]] && best=$(awk -v a="$best" -v b="$m" 'BEGIN { print (b > a) ? b : a }')
    done
    [[ -z $slowest ]] || awk -v a="$best" -v b="$slowest" 'BEGIN { exit !(a < b) }' && slowest=$best
  done
  awk -v s="${slowest:-0}" -v f="$RATE_FRACTION" -v cap="$cap" 'BEGIN {
    r = int(s * f / 100) * 100; if (r <= 0 || r > cap) r = cap; print r }'
}
