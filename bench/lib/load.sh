# Load generators, all pinned to the load core, their output reduced to one line of numbers.
#   maximum throughput (closed loop, as fast as the target answers): wrk for HTTP/1.1 and HTTPS, h2load for HTTP/2;
#   fixed rate (open loop, latency from the due time): bench/LoadGen.
# Sourced, not executed.

# run_max URL PROTO(http|https|h2) MODE(keepalive|newconn) CONNECTIONS SECONDS
#   prints "requests_per_s requests bad" (bad: non-2xx/3xx answers plus socket errors; any makes the run void).
run_max() {
  local url=$1 proto=$2 mode=$3 conns=$4 seconds=$5 out
  if [[ $proto == h2 ]]; then
    # One thread like wrk; -m streams per connection; the TLS handshake and SETTINGS happen before the clock starts
    # only for the first requests, as with wrk.
    out=$(taskset -c "$LOAD_CORE" h2load -t1 -c"$conns" -m"$H2_STREAMS" -D"$seconds" "$url" 2>&1) || true
    echo "$out" >>"$OUT/h2load.log"
    awk '
      /^finished in/ { gsub(/,/, ""); rps = $4 }
      /^requests:/ { total = $2; for (i = 1; i <= NF; i++) if ($i ~ /^(failed|errored|timeout)/) bad += $(i - 1) }
      /^status codes:/ { bad += $7 + $9 }  # "status codes: N 2xx, N 3xx, N 4xx, N 5xx"
      END { printf "%s %d %d\n", rps + 0, total, (rps == "" ? 1 : bad) }' <<<"$out"
  else
    local extra=()
    # newconn: the server closes after every answer and wrk reconnects at once (see bench/README.md).
    [[ $mode == newconn ]] && extra=(-H "Connection: close")
    # ACCEPT_ENCODING (the compression suite): the codings the client asks for.
    [[ -n ${ACCEPT_ENCODING:-} ]] && extra+=(-H "Accept-Encoding: $ACCEPT_ENCODING")
    out=$(taskset -c "$LOAD_CORE" wrk -t1 -c"$conns" -d"${seconds}s" "${extra[@]}" "$url" 2>&1) || true
    echo "$out" >>"$OUT/wrk.log"
    awk '
      /requests in/ { total = $1 }
      /Requests\/sec:/ { rps = $2 }
      /Non-2xx or 3xx responses:/ { bad += $NF }
      /Socket errors:/ { n = split($0, a, /[ ,]+/); for (i = 1; i <= n; i++) if (a[i] ~ /^[0-9]+$/) bad += a[i] }
      END { printf "%s %d %d\n", rps + 0, total, (rps == "" ? 1 : bad) }' <<<"$out"
  fi
}

# run_fixed URL PROTO MODE RATE SECONDS [LOADGEN_ARGS...]: one open-loop run; prints LoadGen's key=value line.
# LOAD_NS: the network namespace to run it in (onehop-proof).
run_fixed() {
  local url=$1 proto=$2 mode=$3 rate=$4 seconds=$5 args
  shift 5
  args=(--url "$url" --rate "$rate" --duration "$seconds" --connections "$FIXED_CONNECTIONS" "$@")
  # A new connection per request: over TLS a full handshake each time (no session resumption), as in run_handshakes.
  [[ $mode == newconn ]] && args+=(--new-connection --no-tls-resume)
  [[ $proto == h2 ]] && args+=(--h2)
  [[ $url == https:* ]] && args+=(--ca "$TLS_DIR/ca.crt")
  local out
  local prefix=()
  [[ -n ${LOAD_NS:-} ]] && prefix=(ip netns exec "$LOAD_NS")
  out=$(taskset -c "$LOAD_CORE" "${prefix[@]}" dotnet "$OUT/loadgen/loadgen.dll" "${args[@]}" 2>&1) || true
  echo "$url $out" >>"$OUT/loadgen.log"
  grep '^requests=' <<<"$out" || echo "requests=0 errors=1"
}

# run_handshakes URL CONNECTIONS SECONDS [LOADGEN_ARGS...]: closed loop, a new connection and a full TLS handshake
# per request (wrk and h2load resume their TLS sessions when reconnecting); prints LoadGen's key=value line.
run_handshakes() {
  local url=$1 conns=$2 seconds=$3 out
  shift 3
  out=$(taskset -c "$LOAD_CORE" dotnet "$OUT/loadgen/loadgen.dll" --url "$url" --closed --new-connection --no-tls-resume \
    --connections "$conns" --duration "$seconds" --ca "$TLS_DIR/ca.crt" "$@" 2>&1) || true
  echo "$url $out" >>"$OUT/loadgen.log"
  grep '^requests=' <<<"$out" || echo "requests=0 errors=1"
}

# field LINE KEY: the value of KEY=VALUE in a LoadGen line.
field() { tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1 == k { print substr($0, length(k) + 2) }'; }
