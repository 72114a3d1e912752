# Network namespaces, the bridge, veth pairs, addresses, routes, link shaping and loss.
# Every function converges: running it again on a set-up testbed changes nothing.
# Sourced by tools/testbed after common.sh.

# Creates the namespace if missing and sets the sysctls every host shares: IPv6 off (no link-local
# addresses, no ND/MLD chatter: the only frames on the wire are the ones tests cause), reverse-path
# filtering off (boards send with the front-end's source address, the router forwards them).
ns_ensure() {
  local ns=$1
  ns_exists "$ns" || ip netns add "$ns"
  in_ns "$ns" sysctl -qw \
    net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 \
    net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 >/dev/null
  in_ns "$ns" ip link set lo up
}

# Per-interface settings once it exists: IPv6 off, rp_filter off, and no offloads, so that what
# a raw socket reads is what a real wire would carry. With checksum offload on, the kernel leaves
# TCP/UDP checksums unfilled on veth (CHECKSUM_PARTIAL) and an AF_PACKET reader (the front-end
# daemon, a virtual board) would see wrong checksums; with TSO/GSO/GRO on, it would see 64 KB
# "frames".
iface_settle() {
  local ns=$1 dev=$2
  in_ns "$ns" sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1" "net.ipv4.conf.$dev.rp_filter=0" >/dev/null
  in_ns "$ns" ethtool -K "$dev" tx off tso off gso off gro off >/dev/null 2>&1 \
    || in_ns "$ns" ethtool -K "$dev" tx off >/dev/null
}

bridge_ensure() {
  ns_ensure "$SWITCH_NS"
  if ! in_ns "$SWITCH_NS" ip link show "$BRIDGE" >/dev/null 2>&1; then
    in_ns "$SWITCH_NS" ip link add "$BRIDGE" address "$BRIDGE_MAC" type bridge
  fi
  # STP off and forward delay 0: ports forward at once. Multicast snooping off: the bridge floods
  # multicast like a dumb switch and sends no IGMP queries. Ageing stays at the default 300 s.
  in_ns "$SWITCH_NS" ip link set "$BRIDGE" type bridge stp_state 0 forward_delay 0 mcast_snooping 0
  in_ns "$SWITCH_NS" sysctl -qw "net.ipv6.conf.$BRIDGE.disable_ipv6=1" >/dev/null
  in_ns "$SWITCH_NS" ip link set "$BRIDGE" up
}

# veth pair: <port> in the switch namespace (enslaved to br0), <dev> in the host namespace.
# Usage: link_ensure <host-ns> <dev> <host-mac> <peer-ns> <peer-dev> <peer-mac> [bridge]
link_ensure() {
  local ns=$1 dev=$2 mac=$3 pns=$4 pdev=$5 pmac=$6 bridge=${7:-}
  if ! in_ns "$pns" ip link show "$pdev" >/dev/null 2>&1; then
    # A half-made pair cannot exist (deleting one end deletes the other), but a stale device of the
    # same name on the host side can after an interrupted run: remove it.
    in_ns "$ns" ip link del "$dev" >/dev/null 2>&1 || true
    in_ns "$pns" ip link add "$pdev" address "$pmac" type veth peer name "$dev" address "$mac" netns "$ns"
  fi
  in_ns "$pns" ip link set "$pdev" address "$pmac"
  in_ns "$ns" ip link set "$dev" address "$mac"
  iface_settle "$pns" "$pdev"
  iface_settle "$ns" "$dev"
  if [ -n "$bridge" ]; then in_ns "$pns" ip link set "$pdev" master "$bridge"; fi
  in_ns "$pns" ip link set "$pdev" up
  in_ns "$ns" ip link set "$dev" up
}

client_ensure() {
  ns_ensure atcp-client
  link_ensure atcp-client eth0 "$CLIENT_MAC" "$SWITCH_NS" p-client "$(port_mac "$CLIENT_MAC")" "$BRIDGE"
  in_ns atcp-client ip addr replace "$CLIENT_IP/24" dev eth0
  in_ns atcp-client ip route replace default via "$ROUTER_IP" dev eth0
}

# The front-end: the management address on the kernel stack; the service address only in the
# daemon. The kernel does not own 198.18.0.1, so it neither answers ARP for it nor resets TCP to
# it; arp_ignore=1 (answer only for addresses on the receiving interface) and arp_announce=2
# (always use the interface's own address as ARP sender) keep it that way even if more addresses
# appear; ip_forward=0 makes it drop, silently, IP packets for addresses it does not own.
frontend_ensure() {
  ns_ensure atcp-fe
  in_ns atcp-fe sysctl -qw net.ipv4.ip_forward=0 \
    net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.default.arp_ignore=1 \
    net.ipv4.conf.all.arp_announce=2 net.ipv4.conf.default.arp_announce=2 >/dev/null
  link_ensure atcp-fe eth0 "$FE_MAC" "$SWITCH_NS" p-fe "$(port_mac "$FE_MAC")" "$BRIDGE"
  in_ns atcp-fe sysctl -qw net.ipv4.conf.eth0.arp_ignore=1 net.ipv4.conf.eth0.arp_announce=2 >/dev/null
  in_ns atcp-fe ip addr replace "$FE_MGMT_IP/24" dev eth0
  in_ns atcp-fe ip route replace default via "$ROUTER_IP" dev eth0
}

# A board: eth0 up with no address at all; the virtual board speaks through AF_PACKET.
board_ensure() {
  local i=$1 ns=atcp-b$1 mac
  mac=$(board_mac "$i")
  ns_ensure "$ns"
  link_ensure "$ns" eth0 "$mac" "$SWITCH_NS" "p-b$i" "$(port_mac "$mac")" "$BRIDGE"
  in_ns "$ns" ip -4 addr flush dev eth0
}

router_ensure() {
  ns_ensure atcp-rt
  in_ns atcp-rt sysctl -qw net.ipv4.ip_forward=1 \
    net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.default.send_redirects=0 >/dev/null
  link_ensure atcp-rt eth0 "$ROUTER_MAC" "$SWITCH_NS" p-rt "$(port_mac "$ROUTER_MAC")" "$BRIDGE"
  in_ns atcp-rt ip addr replace "$ROUTER_IP/24" dev eth0
  ns_ensure atcp-client2
  # The far link is a plain veth pair: router eth1 <-> client2 eth0, not through the bridge.
  link_ensure atcp-client2 eth0 "$CLIENT2_MAC" atcp-rt eth1 "$ROUTER_FAR_MAC"
  in_ns atcp-rt sysctl -qw net.ipv4.conf.eth0.send_redirects=0 net.ipv4.conf.eth1.send_redirects=0 >/dev/null
  in_ns atcp-rt ip addr replace "$ROUTER_FAR_IP/24" dev eth1
  in_ns atcp-client2 ip addr replace "$CLIENT2_IP/24" dev eth0
  in_ns atcp-client2 ip route replace default via "$ROUTER_FAR_IP" dev eth0
}

# Deletes board namespaces numbered above n (their processes must be stopped first).
boards_trim() {
  local n=$1 ns i
  for ns in $(board_namespaces); do
    i=${ns#atcp-b}
    if [ "$i" -gt "$n" ]; then
      kill_namespace "$ns"
      ip netns del "$ns"
    fi
  done
}

topology_up() {
  local boards=$1 i
  bridge_ensure
  client_ensure
  frontend_ensure
  router_ensure
  for ((i = 1; i <= boards; i++)); do board_ensure "$i"; done
  boards_trim "$boards"
}

# Token bucket on one interface's egress, or none when rate is empty/0. burst = 2 ms at the rate,
# at least 4 KB (two full frames plus headroom: it must hold one 1514-byte frame); latency 20 ms
# bounds the queue (limit = rate x latency + burst: 50 KB at 20 Mbit/s, 250 KB at 100 Mbit/s),
# about what a small switch port buffers. The kernel's tbf uses high-resolution timers, so a small
# burst shapes smoothly without depending on HZ.
tbf_apply() {
  local ns=$1 dev=$2 rate=$3 burst
  if [ -z "$rate" ] || [ "$rate" = 0 ]; then
    in_ns "$ns" tc qdisc del dev "$dev" root >/dev/null 2>&1 || true
    return 0
  fi
  burst=$(awk -v r="$rate" 'BEGIN { b = r * 1000000 / 8 * 0.002; if (b < 4096) b = 4096; printf "%d", b }')
  in_ns "$ns" tc qdisc replace dev "$dev" root tbf rate "${rate}mbit" burst "$burst" latency 20ms
}

shaping_apply() {
  local boards=$1 board_rate=$2 fe_rate=$3 i
  for ((i = 1; i <= boards; i++)); do tbf_apply "atcp-b$i" eth0 "$board_rate"; done
  # Both directions of the front-end's link: its own egress, and the switch port towards it.
  tbf_apply atcp-fe eth0 "$fe_rate"
  tbf_apply "$SWITCH_NS" p-fe "$fe_rate"
}

LOSS_TABLE=atcp_testbed

# Random loss of frames crossing the bridge (bridge family, forward hook: every frame the bridge
# forwards from one port to another, floods included, once per output port). Counter "seen"
# counts every forwarded frame, "lost" the dropped ones. Recreated (counters zeroed) only when
# the rate changes.
loss_apply() {
  local pct=$1 permille current
  current=$(state_get loss)
  if [ -z "$pct" ] || [ "$pct" = 0 ]; then
    in_ns "$SWITCH_NS" nft delete table bridge "$LOSS_TABLE" >/dev/null 2>&1 || true
    return 0
  fi
  if [ "$current" = "$pct" ] && in_ns "$SWITCH_NS" nft list table bridge "$LOSS_TABLE" >/dev/null 2>&1; then
    return 0
  fi
  permille=$(awk -v p="$pct" 'BEGIN { printf "%d", p * 10 + 0.5 }')
  in_ns "$SWITCH_NS" nft delete table bridge "$LOSS_TABLE" >/dev/null 2>&1 || true
  in_ns "$SWITCH_NS" nft -f - <<EOF
table bridge $LOSS_TABLE {
  counter seen { }
  counter lost { }
  chain forward_loss {
    type filter hook forward priority 0; policy accept;
    counter name seen
    numgen random mod 1000 < $permille counter name lost drop
  }
}
EOF
}

# "<lost> <seen>" frames, or nothing when there is no loss rule.
loss_counters() {
  local lost seen
  lost=$(in_ns "$SWITCH_NS" nft list counter bridge "$LOSS_TABLE" lost 2>/dev/null | awk '/packets/ {print $2}') || true
  seen=$(in_ns "$SWITCH_NS" nft list counter bridge "$LOSS_TABLE" seen 2>/dev/null | awk '/packets/ {print $2}') || true
  [ -n "$lost" ] && echo "$lost ${seen:-0}"
  return 0
}

# Kills every process in a namespace: TERM, up to 3 s, then KILL.
kill_namespace() {
  local ns=$1 pids t
  ns_exists "$ns" || return 0
  pids=$(ip netns pids "$ns" 2>/dev/null || true)
  [ -z "$pids" ] && return 0
  kill -TERM $pids 2>/dev/null || true
  for ((t = 0; t < 30; t++)); do
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    [ -z "$pids" ] && return 0
    sleep 0.1
  done
  kill -KILL $pids 2>/dev/null || true
}

topology_down() {
  local ns
  for ns in $(testbed_namespaces); do kill_namespace "$ns"; done
  for ns in $(testbed_namespaces); do ip netns del "$ns" 2>/dev/null || true; done
}
