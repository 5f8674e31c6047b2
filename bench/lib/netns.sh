# A small cluster in network namespaces for the onehop-proof suite: a client, an edge host and three nodes, each
# a namespace, joined by veth pairs (point-to-point /30 links), so that every byte between two hosts crosses an
# interface whose counters `ip -s link` shows. Only private addresses, only inside these namespaces.
#
#   client 10.250.0.1 ── 10.250.0.2 edge 10.250.i.1 ── 10.250.i.2 node i      (i = 1, 2, 3)
#   node i 10.251.ij.1 ── 10.251.ij.2 node j                                   (i < j: the node-to-node links)
#   pods on node i: 10.244.i.10, 10.244.i.11, ... on the node's loopback; the edge routes 10.244.i.0/24 via node i
#   (what `onehop routes` prints for a host outside the cluster), each node routes the other nodes' pod CIDRs over
#   the direct link between them.
# Sourced, not executed.

NS_PREFIX=${NS_PREFIX:-ohb} # another prefix lets a second run (or a test) use namespaces of its own
NETNS_CREATED=()
NETEM_OK=0

ns() { echo "$NS_PREFIX-$1"; }

# in NAME COMMAND...: run COMMAND in the namespace of host NAME.
in_ns() { local n=$1; shift; ip netns exec "$(ns "$n")" "$@"; }

netns_cleanup() {
  local n
  for n in "${NETNS_CREATED[@]}"; do ip netns del "$n" 2>/dev/null || true; done
  NETNS_CREATED=()
}

netns_add() {
  local n
  n=$(ns "$1")
  ip netns del "$n" 2>/dev/null || true # a leftover of an interrupted run
  ip netns add "$n"
  NETNS_CREATED+=("$n")
  ip -n "$n" link set lo up
}

# link A IFACE_A ADDR_A B IFACE_B ADDR_B: a veth pair between hosts A and B with a /30 on each end.
link() {
  local a=$1 ia=$2 aa=$3 b=$4 ib=$5 ab=$6
  ip link add "$ia" netns "$(ns "$a")" type veth peer name "$ib" netns "$(ns "$b")"
  ip -n "$(ns "$a")" addr add "$aa/30" dev "$ia"
  ip -n "$(ns "$b")" addr add "$ab/30" dev "$ib"
  ip -n "$(ns "$a")" link set "$ia" up
  ip -n "$(ns "$b")" link set "$ib" up
  delay "$a" "$ia"
  delay "$b" "$ib"
}

# delay HOST IFACE: PROOF_DELAY on what the interface sends (so a link adds it once each way), when the kernel has
# netem; some (this project's VMs among them) are built without it, and the suite then runs without added delay.
delay() {
  [[ $PROOF_DELAY == 0 || $PROOF_DELAY == 0ms ]] && return 0
  if ip netns exec "$(ns "$1")" tc qdisc add dev "$2" root netem delay "$PROOF_DELAY" 2>/dev/null; then
    NETEM_OK=1
  fi
}

# netns_cluster: the topology above; node-to-node interfaces are named n<i>n<j> (on node i) so that a glob finds them.
netns_cluster() {
  local i j
  for n in client edge n1 n2 n3; do netns_add "$n"; done
  link client c0 10.250.0.1 edge e0 10.250.0.2
  for i in 1 2 3; do
    link edge "e$i" "10.250.$i.1" "n$i" e "10.250.$i.2"
    ip -n "$(ns edge)" route add "10.244.$i.0/24" via "10.250.$i.2"
    in_ns "n$i" sysctl -qw net.ipv4.ip_forward=1
    in_ns "n$i" sysctl -qw net.ipv4.conf.all.rp_filter=0
  done
  for i in 1 2 3; do
    for j in 1 2 3; do
      ((i < j)) || continue
      link "n$i" "n${i}n$j" "10.251.$i$j.1" "n$j" "n${j}n$i" "10.251.$i$j.2"
      ip -n "$(ns "n$i")" route add "10.244.$j.0/24" via "10.251.$i$j.2"
      ip -n "$(ns "n$j")" route add "10.244.$i.0/24" via "10.251.$i$j.1"
    done
  done
  if ((NETEM_OK == 0)) && [[ $PROOF_DELAY != 0 && $PROOF_DELAY != 0ms ]]; then
    log "onehop-proof: tc netem is not available in this kernel: links run without the added ${PROOF_DELAY} delay"
  fi
}

# pod_ip NODE INDEX: the address of the INDEX-th pod (0-based) on node NODE, added to the node's loopback.
add_pod_ip() { ip -n "$(ns "n$1")" addr add "10.244.$1.$((10 + $2))/32" dev lo; echo "10.244.$1.$((10 + $2))"; }

# node_link_tx_bytes: bytes sent over every node-to-node link (each crossing counted once, by its sender).
node_link_tx_bytes() {
  local i j total=0
  for i in 1 2 3; do
    for j in 1 2 3; do
      ((i != j)) || continue
      total=$((total + $(tx_bytes "$(ns "n$i")" "n${i}n$j")))
    done
  done
  echo "$total"
}

# edge_link_bytes: bytes both ways over the edge-to-node links (requests out, responses back).
edge_link_bytes() {
  local i total=0
  for i in 1 2 3; do total=$((total + $(tx_bytes "$(ns edge)" "e$i") + $(tx_bytes "$(ns "n$i")" e))); done
  echo "$total"
}
