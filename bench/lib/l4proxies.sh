# The TCP proxies of the tcp suite: OneHop's tcp listener, HAProxy in mode tcp and nginx's stream module, each in
# front of the benchmark pod (the backend nginx) on the proxy's own loopback address. Sourced, not executed.

TCP_PORT=18090

# start_tcp_proxy NAME: starts it pinned to the proxy core and waits until HTTP goes through it.
start_tcp_proxy() {
  local name=$1 addr=${PROXY_ADDR[$1]} pid
  case $name in
    onehop | onehop-pool | onehop-spin)
      mkdir -p "$OUT/manifests"
      fill "$BENCH_DIR/config/onehop-bench.yaml" "$OUT/manifests/bench.yaml" POD_ADDR=$POD_ADDR POD_PORT=$POD_PORT
      fill "$BENCH_DIR/config/onehop-tcp.yaml" "$OUT/onehop-tcp.yaml" ADDR="$addr" PORT=$TCP_PORT ADMIN_PORT=$ONEHOP_ADMIN_PORT
      local args=(run --manifests "$OUT/manifests" --config "$OUT/onehop-tcp.yaml" --log-level Warning)
      [[ $name == onehop-pool ]] && args+=(--inline-io=false)
      local env; env=$(variant_env "$name")
      PROXY_CMD[$name]="${env:+$env }dotnet onehop.dll ${args[*]} (bench/config/onehop-tcp.yaml)"
      ONEHOP_ENV="$ONEHOP_ENV $env" start "$name-tcp" "$PROXY_CORE" dotnet "$OUT/onehop/onehop.dll" "${args[@]}"
      pid=$LAST_PID
      wait_http "http://$addr:$ONEHOP_ADMIN_PORT/readyz" || die "OneHop did not become ready (see $OUT/$name-tcp.log)"
      ;;
    haproxy)
      fill "$BENCH_DIR/config/haproxy-tcp.cfg" "$OUT/haproxy-tcp.cfg" ADDR="$addr" PORT=$TCP_PORT POD_ADDR=$POD_ADDR POD_PORT=$POD_PORT
      PROXY_CMD[$name]="haproxy -db -f haproxy-tcp.cfg (bench/config/haproxy-tcp.cfg)"
      start haproxy-tcp "$PROXY_CORE" haproxy -db -f "$OUT/haproxy-tcp.cfg"
      pid=$LAST_PID
      ;;
    nginx)
      fill "$BENCH_DIR/config/nginx-stream.conf" "$OUT/nginx-stream.conf" OUT="$OUT" ADDR="$addr" PORT=$TCP_PORT POD_ADDR=$POD_ADDR POD_PORT=$POD_PORT
      PROXY_CMD[$name]="nginx -c nginx-stream.conf (bench/config/nginx-stream.conf)"
      start nginx-stream "$PROXY_CORE" nginx -c "$OUT/nginx-stream.conf"
      pid=$LAST_PID
      ;;
    *) die "no TCP variant of $name" ;;
  esac
  wait_http "http://$addr:$TCP_PORT/" || die "$name did not pass HTTP through its TCP listener (see $OUT/$name-tcp.log)"
  PROXY_PIDS[$name]=$(pid_tree "$pid")
}

tcp_url() { [[ $1 == direct ]] && echo "http://$POD_ADDR:$POD_PORT${2:-/}" || echo "http://${PROXY_ADDR[$1]}:$TCP_PORT${2:-/}"; }
