# The backend "pod", the test certificate and the proxies under test, on loopback addresses of their own.
# Sourced, not executed.

POD_ADDR=127.0.0.2
POD_PORT=18081
POD_TLS_PORT=18444
HTTP_PORT=18080
HTTPS_PORT=18443
ONEHOP_ADMIN_PORT=19901
# One loopback address per proxy: their connections never share a port space or TIME_WAIT table.
declare -A PROXY_ADDR=([onehop]=127.0.0.10 [haproxy]=127.0.0.11 [nginx]=127.0.0.12 [bareyarp]=127.0.0.13 [onehop-yarp]=127.0.0.14 [onehop-pool]=127.0.0.15 [onehop-aot]=127.0.0.16 [onehop-sockets]=127.0.0.17 [onehop-spin]=127.0.0.18)
declare -A PROXY_PIDS=()     # name -> the pids whose CPU and memory count (nginx: master and worker)
declare -A PROXY_CMD=()      # name -> the command line, for the report
TLS_DIR="$OUT/tls"

# fill TEMPLATE OUTPUT KEY=VALUE...: the template with every __KEY__ replaced.
fill() {
  local template=$1 output=$2 pair script=()
  shift 2
  for pair in "$@"; do script+=(-e "s#__${pair%%=*}__#${pair#*=}#g"); done
  sed "${script[@]}" "$template" >"$output"
}

# A throw-away test CA and a server certificate for every address the clients use, made at run time (never
# committed). ECDSA P-256: cheap handshakes, so that the 256 connections opened at the start of a short run weigh
# little on the proxy's core (an RSA-2048 handshake costs about ten times more).
make_certificates() {
  [[ -s $TLS_DIR/server.pem ]] && return 0
  mkdir -p "$TLS_DIR"
  local san="DNS:bench.onehop.test,IP:$POD_ADDR" a
  for a in "${PROXY_ADDR[@]}"; do san+=",IP:$a"; done
  (
    cd "$TLS_DIR"
    local ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
    openssl req -x509 "${ec[@]}" -keyout ca.key -out ca.crt -days 2 -subj "/CN=OneHop bench test CA" 2>/dev/null
    openssl req "${ec[@]}" -keyout server.key -out server.csr -subj "/CN=bench.onehop.test" 2>/dev/null
    printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n' "$san" >server.ext
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -out server.crt -extfile server.ext 2>/dev/null
    cat server.crt server.key >server.pem # HAProxy wants both in one file
  ) || die "cannot make the test certificate"
}

start_backend() {
  make_certificates
  head -c 65536 /dev/urandom >"$OUT/64k.bin"
  # 16 KiB of JSON records (the compression suite): ids, names and times that repeat in shape, not in value.
  awk 'BEGIN { srand(7); printf "["; for (i = 0; len < 16300; i++) { r = sprintf("%s{\"id\":%d,\"name\":\"item-%05d\",\"price\":%.2f,\"stock\":%d,\"updated\":\"2026-12-%02dT%02d:%02d:%02dZ\"}", (i ? "," : ""), i, int(rand() * 99999), rand() * 1000, int(rand() * 500), 1 + int(rand() * 28), int(rand() * 24), int(rand() * 60), int(rand() * 60)); printf "%s", r; len += length(r) } printf "]" }' >"$OUT/16k.json"
  fill "$BENCH_DIR/config/backend-nginx.conf" "$OUT/backend-nginx.conf" OUT="$OUT" POD_ADDR=$POD_ADDR POD_PORT=$POD_PORT \
    POD_TLS_PORT=$POD_TLS_PORT TLS_CERT="$TLS_DIR/server.crt" TLS_KEY="$TLS_DIR/server.key"
  start backend "$LOAD_CORE" nginx -c "$OUT/backend-nginx.conf"
  wait_http "http://$POD_ADDR:$POD_PORT/" || die "the backend nginx did not start (see $OUT/backend.log)"
}

# variant_env NAME: the environment a OneHop variant adds to ONEHOP_ENV (onehop-spin: SPIN_ENV), else nothing.
variant_env() { [[ $1 == onehop-spin ]] && echo "$SPIN_ENV" || true; }

# start_proxy NAME TLS(0|1): starts the proxy pinned to the proxy core, waits until it answers.
start_proxy() {
  local name=$1 tls=$2 addr=${PROXY_ADDR[$1]} pid
  case $name in
    onehop | onehop-yarp | onehop-pool | onehop-aot | onehop-sockets | onehop-spin)
      mkdir -p "$OUT/manifests"
      fill "$BENCH_DIR/config/onehop-bench.yaml" "$OUT/manifests/bench.yaml" POD_ADDR=$POD_ADDR POD_PORT=$POD_PORT
      local args=(run --manifests "$OUT/manifests" --http "$addr:$HTTP_PORT" --admin "$addr:$ONEHOP_ADMIN_PORT" --log-level Warning)
      ((tls)) && args+=(--https "$addr:$HTTPS_PORT" --tls-cert "$TLS_DIR/server.crt" --tls-key "$TLS_DIR/server.key")
      [[ $name == onehop-yarp ]] && args+=(--http1-forwarder yarp)
      # COMPRESS=1 (the compression suite): gzip at level 1 for JSON, as the other proxies are set.
      if [[ ${COMPRESS:-0} == 1 ]]; then
        printf 'compression: {codings: [gzip], gzipLevel: %s, types: [application/json]}\n' "${ONEHOP_GZIP_LEVEL:-1}" >"$OUT/onehop-gzip.yaml"
        args+=(--config "$OUT/onehop-gzip.yaml")
      fi
      # onehop-pool: request handling and socket completions on the thread pool, as before inline I/O was the default.
      [[ $name == onehop-pool ]] && args+=(--inline-io=false)
      # onehop-sockets: .NET's sockets and Kestrel's socket transport instead of OneHop's epoll transport.
      [[ $name == onehop-sockets ]] && args+=(--transport sockets)
      case $ONEHOP_OBS in
        access-log | both) args+=(--access-log "$OUT/access.log") ;;&
        trace | both) args+=(--otlp-endpoint "$OTLP_ENDPOINT" --trace-sample-ratio 0.01) ;;
        off | access-log) ;;
        *) die "ONEHOP_OBS=$ONEHOP_OBS: give off, access-log, trace or both" ;;
      esac
      # shellcheck disable=SC2206
      args+=(${ONEHOP_ARGS:-})
      # onehop-aot: the Native AOT executable (build_aot), same arguments.
      local exe=(dotnet "$OUT/onehop/onehop.dll")
      [[ $name == onehop-aot ]] && exe=("$OUT/onehop-aot/onehop")
      # onehop-spin: the thread pool's idle workers spin for work before they sleep, as the runtime's default.
      local env; env=$(variant_env "$name")
      PROXY_CMD[$name]="${env:+$env }${exe[*]##*/} ${args[*]}"
      ONEHOP_ENV="$ONEHOP_ENV $env" start "$name" "$PROXY_CORE" "${exe[@]}" "${args[@]}"
      pid=$LAST_PID
      wait_http "http://$addr:$ONEHOP_ADMIN_PORT/readyz" || die "OneHop did not become ready (see $OUT/$name.log)"
      ;;
    bareyarp)
      local args=(--http "$addr:$HTTP_PORT" --upstream "http://$POD_ADDR:$POD_PORT")
      ((tls)) && args+=(--https "$addr:$HTTPS_PORT" --tls-cert "$TLS_DIR/server.crt" --tls-key "$TLS_DIR/server.key")
      PROXY_CMD[$name]="dotnet bareyarp.dll ${args[*]}"
      start bareyarp "$PROXY_CORE" dotnet "$OUT/bareyarp/bareyarp.dll" "${args[@]}"
      pid=$LAST_PID
      ;;
    nginx)
      local listen=""
      ((tls)) && listen="listen $addr:$HTTPS_PORT ssl http2 backlog=4096;"
      local gzip=""
      [[ ${COMPRESS:-0} == 1 ]] && gzip="gzip on; gzip_comp_level 1; gzip_types application/json; gzip_proxied any; gzip_vary on; gzip_min_length 256;"
      fill "$BENCH_DIR/config/proxy-nginx.conf" "$OUT/proxy-nginx.conf" OUT="$OUT" ADDR=$addr HTTP_PORT=$HTTP_PORT \
        HTTPS_LISTEN="$listen" POD_ADDR=$POD_ADDR POD_PORT=$POD_PORT TLS_CERT="$TLS_DIR/server.crt" TLS_KEY="$TLS_DIR/server.key" GZIP="$gzip"
      PROXY_CMD[$name]="nginx -c proxy-nginx.conf (bench/config/proxy-nginx.conf)"
      start nginx "$PROXY_CORE" nginx -c "$OUT/proxy-nginx.conf"
      pid=$LAST_PID
      ;;
    haproxy)
      local bind=""
      ((tls)) && bind="bind $addr:$HTTPS_PORT ssl crt $TLS_DIR/server.pem alpn h2,http/1.1"
      local algo="" types=""
      # Debian's HAProxy compresses with libslz (stateless, about zlib's level 1) and has no level to set.
      [[ ${COMPRESS:-0} == 1 ]] && algo="compression algo gzip" && types="compression type application/json"
      fill "$BENCH_DIR/config/haproxy.cfg" "$OUT/haproxy.cfg" ADDR=$addr HTTP_PORT=$HTTP_PORT HTTPS_BIND="$bind" \
        POD_ADDR=$POD_ADDR POD_PORT=$POD_PORT COMP_ALGO="$algo" COMP_TYPE="$types"
      PROXY_CMD[$name]="haproxy -db -f haproxy.cfg (bench/config/haproxy.cfg)"
      start haproxy "$PROXY_CORE" haproxy -db -f "$OUT/haproxy.cfg"
      pid=$LAST_PID
      ;;
    *) die "unknown proxy $name" ;;
  esac
  wait_http "http://$addr:$HTTP_PORT/" || die "$name did not answer (see $OUT/$name.log)"
  if ((tls)); then wait_http "https://$addr:$HTTPS_PORT/" || die "$name did not answer over TLS (see $OUT/$name.log)"; fi
  PROXY_PIDS[$name]=$(pid_tree "$pid")
}

# target_url TARGET SCHEME [PATH]: where a client reaches the target ("direct" is the pod itself).
target_url() {
  local target=$1 scheme=$2 path=${3:-/}
  if [[ $target == direct ]]; then
    [[ $scheme == https ]] && echo "https://$POD_ADDR:$POD_TLS_PORT$path" || echo "http://$POD_ADDR:$POD_PORT$path"
  else
    [[ $scheme == https ]] && echo "https://${PROXY_ADDR[$target]}:$HTTPS_PORT$path" || echo "http://${PROXY_ADDR[$target]}:$HTTP_PORT$path"
  fi
}
