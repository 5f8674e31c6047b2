# The one-hop proof: the same edge proxy, the same pods, three ways to reach them (see bench/lib/netns.sh for the
# namespaces). Pods: two on node 1, one on node 2, none on node 3 (PROOF_PODS).
#   (a) NodePort, externalTrafficPolicy Cluster: the edge balances over every node's NodePort; each node's
#       "kube-proxy" (iptables DNAT with random probabilities, as kube-proxy's iptables mode writes them, and
#       MASQUERADE towards other nodes) picks any pod, often on another node: a second hop, there and back.
#   (b) externalTrafficPolicy Local: the edge balances over the nodes that hold pods (as its health checks would
#       leave it), each node DNATs to its own pods only: one hop, but traffic is spread per node, not per pod.
#   (c) OneHop: the edge sends straight to the pod IPs.
#   (d) OneHop, NodePort fallback (`onehop.dev/reach: nodeports`, for pod IPs the edge cannot reach): OneHop turns the
#       pods' EndpointSlice into InternalIP:nodePort of the nodes that hold them (the Node objects give the
#       addresses), weighted by their pod count, and sends to the Cluster NodePort of (a); nodes without pods get
#       nothing, but each node's "kube-proxy" still picks any pod, so the second hop stays whenever it picks another
#       node's (PROOF_FALLBACK_POLICY=Local: the Local NodePort of (b), where it never does).
# The edge proxy is OneHop in all four, balancing round robin over its endpoints (node ports in (a) and (b), pods in
# (c); weighted round robin in (d), where the weights are the pod counts): one proxy, so that the hop is the only
# difference. An operator's HAProxy in front of NodePorts does the same
# round robin over nodes; its own cost is measured in the throughput suites.
# Sourced, not executed.

PROOF_DELAY=${PROOF_DELAY:-1ms}          # tc netem delay on every link, each way (when the kernel has netem)
PROOF_RATE=${PROOF_RATE:-500}            # requests/s, open loop, from the client namespace
PROOF_DURATION=${PROOF_DURATION:-2}      # seconds per run
PROOF_CONNECTIONS=${PROOF_CONNECTIONS:-16}
PROOF_PODS=${PROOF_PODS:-"2 1 0"}        # pods on node 1, 2, 3
PROOF_FALLBACK_POLICY=${PROOF_FALLBACK_POLICY:-Cluster} # (d)'s externalTrafficPolicy: Cluster (NodePort 30080) | Local (30081)
PROOF_MODES=(nodeport local pods fallback)

suite_onehop_proof() {
  local suite=onehop-proof i k
  log "suite onehop-proof: NodePort vs Local vs OneHop to pod IPs, $PROOF_RATE requests/s, link delay $PROOF_DELAY"
  rm -f "$DATA/$suite.tsv"
  netns_cluster

  # Pods, and each node's kube-proxy rules.
  local counts=($PROOF_PODS) all_pods=() local_nodes=() pod_names=()
  declare -A node_pods=()
  for i in 1 2 3; do
    for ((k = 0; k < ${counts[$((i - 1))]:-0}; k++)); do
      local ip
      ip=$(add_pod_ip "$i" "$k")
      all_pods+=("$ip")
      node_pods[$i]+="$ip "
      pod_names+=("n$i-$k")
    done
    [[ -n ${node_pods[$i]:-} ]] && local_nodes+=("$i")
  done
  ((${#all_pods[@]})) || die "onehop-proof: PROOF_PODS places no pod"
  for i in 1 2 3; do
    local args=()
    for ((k = 0; k < ${counts[$((i - 1))]:-0}; k++)); do args+=(--pod "n$i-$k=10.244.$i.$((10 + k)):8080"); done
    ((${#args[@]})) && start "pods-n$i" "$LOAD_CORE" ip netns exec "$(ns "n$i")" dotnet "$OUT/onehop/onehop.dll" pod "${args[@]}" --zone "node-$i"
    kube_proxy_rules "$i" "${node_pods[$i]:-}" "${all_pods[*]}"
  done

  # OneHop on the edge, with one Service per way in.
  mkdir -p "$OUT/proof"
  proof_manifests "${all_pods[*]}" "${local_nodes[*]}" >"$OUT/proof/proof.yaml"
  start onehop-proof "$PROXY_CORE" ip netns exec "$(ns edge)" dotnet "$OUT/onehop/onehop.dll" run \
    --manifests "$OUT/proof" --http 10.250.0.2:8080 --admin 127.0.0.1:$ONEHOP_ADMIN_PORT --log-level Warning
  local pid=$LAST_PID m
  ns_wait_http edge "http://127.0.0.1:$ONEHOP_ADMIN_PORT/readyz" || die "OneHop did not become ready in the edge namespace (see $OUT/onehop-proof.log)"
  for m in "${PROOF_MODES[@]}"; do
    ns_wait_http client "http://10.250.0.2:8080/" -H "Host: $m.proof" --fail || die "no answer through $m.proof (see $OUT/onehop-proof.log)"
  done

  local warm=$(((WARMUP + 2) / 3))
  for m in "${PROOF_MODES[@]}"; do
    LOAD_NS=$(ns client) run_fixed "http://10.250.0.2:8080/" http keepalive "$PROOF_RATE" "$warm" --host "$m.proof" >/dev/null
  done

  local rep line n2n_before n2n_after edge_before edge_after ok
  for ((rep = 1; rep <= REPEATS; rep++)); do
    for m in "${PROOF_MODES[@]}"; do
      n2n_before=$(node_link_tx_bytes)
      edge_before=$(edge_link_bytes)
      line=$(LOAD_NS=$(ns client) FIXED_CONNECTIONS=$PROOF_CONNECTIONS run_fixed "http://10.250.0.2:8080/" http keepalive \
        "$PROOF_RATE" "$PROOF_DURATION" --host "$m.proof" --count-header X-Pod --cpu-pid "$pid")
      n2n_after=$(node_link_tx_bytes)
      edge_after=$(edge_link_bytes)
      ok=$(field "$line" ok)
      if (($(field "$line" non2xx) + $(field "$line" errors) > 0 || ${ok:-0} == 0)); then
        log "run $rep onehop-proof $m: VOID ($line)"
        record "$suite" p50 "$m" void
        continue
      fi
      # Bytes over every request sent, the client's own warm-up included (all of them crossed the links).
      local header name count sent
      sent=$(field "$line" sent)
      record "$suite" p50 "$m" "$(field "$line" p50_ms)"
      record "$suite" p99 "$m" "$(field "$line" p99_ms)"
      record "$suite" p999 "$m" "$(field "$line" p999_ms)"
      record "$suite" n2n "$m" "$(awk -v b="$((n2n_after - n2n_before))" -v n="$sent" 'BEGIN { printf "%.0f\n", b / n }')"
      record "$suite" edge "$m" "$(awk -v b="$((edge_after - edge_before))" -v n="$sent" 'BEGIN { printf "%.0f\n", b / n }')"
      header=$(field "$line" header)
      for name in "${pod_names[@]}"; do
        count=$(tr ',' '\n' <<<"${header#*:}" | awk -F/ -v p="$name" '$1 == p { print $2 }')
        record "$suite" "share.$name" "$m" "$(awk -v c="${count:-0}" -v n="$ok" 'BEGIN { printf "%.1f\n", 100 * c / n }')"
      done
      log "run $rep onehop-proof $m: p50 $(field "$line" p50_ms) ms, p99 $(field "$line" p99_ms) ms, node-to-node $(((n2n_after - n2n_before) / sent)) B/req, pods ${header#*:}"
    done
  done
  stop_all
  netns_cleanup

  TARGET_LABEL[nodeport]="(a) NodePort, Cluster: edge → any node → DNAT to any pod"
  TARGET_LABEL[local]="(b) externalTrafficPolicy Local: edge → nodes with pods"
  TARGET_LABEL[pods]="(c) OneHop: edge → pod IPs"
  TARGET_LABEL[fallback]="(d) OneHop, NodePort fallback ($PROOF_FALLBACK_POLICY): edge → nodes with pods, by pod count"
  local cols=("p50 ms|p50|3" "p99 ms|p99|3" "p99.9 ms|p999|3" "node↔node bytes/req|n2n|0" "edge↔node bytes/req|edge|0")
  for name in "${pod_names[@]}"; do cols+=("% to pod $name|share.$name|1"); done
  {
    echo "#### onehop-proof: one hop to the pod, in network namespaces"
    echo
    echo "Client, edge and three nodes in network namespaces joined by veth links; pods (\`onehop pod\`) per node: $PROOF_PODS." \
      "Edge proxy: OneHop, round robin, in all four cases (weighted by pod count in (d), \`onehop.dev/reach: nodeports\`, externalTrafficPolicy $PROOF_FALLBACK_POLICY). Node \"kube-proxy\": iptables DNAT (random, as kube-proxy writes it)" \
      "and MASQUERADE towards other nodes. Link delay: $( ((NETEM_OK)) && echo "$PROOF_DELAY each way (tc netem)" || echo "none — this kernel has no tc netem, so latencies show the extra hop's forwarding and NAT cost only")." \
      "Open loop at $PROOF_RATE requests/s from the client namespace (bench/LoadGen, $PROOF_CONNECTIONS connections, ${PROOF_DURATION}s runs)." \
      "Bytes per request from the interfaces' counters (\`ip -s link\`): node↔node counts each crossing once, edge↔node both directions."
    echo
    table "$suite" "${PROOF_MODES[*]}" "${cols[@]}"
    echo
    echo "Medians of $REPEATS interleaved runs, [min–max] in brackets."
    echo
  } >>"$REPORT"
}

# kube_proxy_rules NODE "LOCAL_POD..." "ALL_POD...": NodePort 30080 (Cluster: any pod) and 30081 (Local: this node's
# pods), written as kube-proxy's iptables mode does: rule k of n matches with probability 1/(n-k).
kube_proxy_rules() {
  local node=$1 local_pods=($2) all_pods=($3) chain port pods n k
  for chain in CLUSTER LOCAL; do
    [[ $chain == CLUSTER ]] && { port=30080; pods=("${all_pods[@]}"); } || { port=30081; pods=("${local_pods[@]}"); }
    ((${#pods[@]})) || continue
    in_ns "n$node" iptables -t nat -N "NP-$chain"
    in_ns "n$node" iptables -t nat -A PREROUTING -i e -p tcp --dport "$port" -j "NP-$chain"
    n=${#pods[@]}
    for ((k = 0; k < n; k++)); do
      local match=()
      ((k < n - 1)) && match=(-m statistic --mode random --probability "$(awk -v r="$((n - k))" 'BEGIN { printf "%.5f", 1 / r }')")
      in_ns "n$node" iptables -t nat -A "NP-$chain" "${match[@]}" -p tcp -j DNAT --to-destination "${pods[$k]}:8080"
    done
  done
  # Traffic DNATed to a pod on another node leaves with this node's address, so that the answer comes back here to
  # be un-NATed (kube-proxy masquerades NodePort traffic for the same reason).
  in_ns "n$node" iptables -t nat -A POSTROUTING -o "n${node}n+" -j MASQUERADE
}

# proof_manifests "POD_IP..." "LOCAL_NODE...": four Services on hosts nodeport.proof, local.proof, pods.proof and
# fallback.proof, and the three Nodes with their InternalIPs (the addresses the NodePort fallback sends to).
proof_manifests() {
  local pods=($1) local_nodes=($2) i
  printf 'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: onehop}\nspec: {controller: onehop.dev/ingress-controller}\n---\n'
  for i in 1 2 3; do
    printf 'apiVersion: v1\nkind: Node\nmetadata: {name: n%s}\nstatus: {addresses: [{type: InternalIP, address: "10.250.%s.2"}]}\n---\n' "$i" "$i"
  done
  proof_service nodeport 30080 "10.250.1.2 10.250.2.2 10.250.3.2"
  local addrs=""
  for i in "${local_nodes[@]}"; do addrs+="10.250.$i.2 "; done
  proof_service local 30081 "$addrs"
  proof_service pods 8080 "${pods[*]}"
  # The pods' own slice, as Kubernetes publishes it; OneHop maps it to node ports itself. A NodePort Service gets no
  # healthCheckNodePort (Kubernetes allocates one for LoadBalancer Services only), so (d) has no node health check.
  local node_port=30080
  [[ $PROOF_FALLBACK_POLICY == Local ]] && node_port=30081
  proof_service fallback 8080 "${pods[*]}" \
    "{onehop.dev/load-balance: weighted-round-robin, onehop.dev/reach: nodeports}" \
    "{type: NodePort, externalTrafficPolicy: $PROOF_FALLBACK_POLICY, ports: [{name: http, port: 80, targetPort: http, nodePort: $node_port}]}"
}

# proof_service NAME PORT "ADDR..." [ANNOTATIONS] [SPEC]: a Service, its EndpointSlice (ADDR:PORT) and an Ingress for
# host NAME.proof.
proof_service() {
  local name=$1 port=$2 addrs=$3 a
  local annotations=${4:-"{onehop.dev/load-balance: round-robin}"}
  local spec=${5:-"{ports: [{name: http, port: 80, targetPort: http}]}"}
  cat <<YAML
apiVersion: v1
kind: Service
metadata:
  name: $name
  namespace: proof
  annotations: $annotations
spec: $spec
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: $name-1
  namespace: proof
  labels: {kubernetes.io/service-name: $name}
addressType: IPv4
ports: [{name: http, port: $port}]
endpoints:
$(for a in $addrs; do
    # Pod IPs carry the node that holds them (10.244.NODE.x); node addresses are their own node.
    echo "  - addresses: [\"$a\"]"
    echo "    nodeName: n$(cut -d. -f3 <<<"$a")"
  done)
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: $name, namespace: proof}
spec:
  ingressClassName: onehop
  rules:
    - host: $name.proof
      http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: $name, port: {number: 80}}}}
---
YAML
}

# ns_wait_http HOST URL [CURL_ARGS...]: wait_http from inside a namespace.
ns_wait_http() {
  local host=$1 url=$2
  shift 2
  for _ in $(seq 1 200); do
    in_ns "$host" curl -s -o /dev/null --max-time 1 "$@" "$url" && return 0
    kill -0 "$LAST_PID" 2>/dev/null || break
    sleep 0.1
  done
  log "no answer from $url in namespace $(ns "$host")"
  return 1
}
