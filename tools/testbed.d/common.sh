# Shared by every part of tools/testbed: names, addresses, MAC plan, state paths, small helpers.
# Sourced, not run.

STATE_DIR=/run/atcp-testbed
LOG_DIR=$STATE_DIR/logs
PID_DIR=$STATE_DIR/pids
CARD_DIR=$STATE_DIR/cards
LOCK_FILE=/run/atcp-testbed.lock   # outside STATE_DIR: it outlives `down`

NS_PREFIX=atcp-
SWITCH_NS=atcp-sw
BRIDGE=br0
BRIDGE_MAC=02:a7:c9:ff:ff:00

# The service network 198.18.0.0/24 (client, front-end, boards, router) and the far side of the
# router 198.19.0.0/24 (client2). Both inside 198.18.0.0/15, the benchmarking range (RFC 2544).
SERVICE_IP=198.18.0.1
NETMASK=255.255.255.0
FE_MGMT_IP=198.18.0.2
CLIENT_IP=198.18.0.100
ROUTER_IP=198.18.0.254
ROUTER_FAR_IP=198.19.0.254
CLIENT2_IP=198.19.0.100
MGMT_PORT=9100
CLUSTER_ID=0xA7C90001
MAX_BOARDS=64

# MAC plan: 02 = locally administered unicast; a7:c9 = "atcp"; then <subnet byte> <host byte>.
# The switch-side end of each veth has the host's MAC with the fourth byte set to ff.
CLIENT_MAC=02:a7:c9:00:00:64     # .100
FE_MAC=02:a7:c9:00:00:02         # .2 (and what the daemon answers ARP for .1 with, if it uses the NIC's MAC)
ROUTER_MAC=02:a7:c9:00:00:fe     # .254 on the service network
ROUTER_FAR_MAC=02:a7:c9:00:01:fe # .254 on 198.19.0.0/24
CLIENT2_MAC=02:a7:c9:00:01:64    # 198.19.0.100

# Board i (1-based) has 02:a7:c9:00:0b:<i in hex>, "0b" for board.
board_mac() { printf '02:a7:c9:00:0b:%02x' "$1"; }
# The switch port facing a host MAC: fourth byte ff.
port_mac() { local m=$1; echo "${m:0:9}ff${m:11}"; }

say()  { echo "testbed: $*"; }
warn() { echo "testbed: $*" >&2; }
die()  { echo "testbed: error: $*" >&2; exit 1; }

ns_exists() { [ -e "/run/netns/$1" ]; }
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# Testbed namespaces present now (boards included), one per line; never anyone else's atcp-* ones.
testbed_namespaces() {
  ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^atcp-(sw|client|client2|fe|rt|b[0-9]+)$' || true
}

# Board namespaces present now, sorted by number.
board_namespaces() {
  ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^atcp-b[0-9]+$' | sort -t b -k2 -n || true
}

# Host short name (client, fe, b3, ...) to namespace; fails for unknown names.
host_namespace() {
  local h=${1#atcp-}
  case "$h" in
    sw|client|client2|fe|rt) echo "atcp-$h" ;;
    b[0-9]|b[0-9][0-9]) echo "atcp-$h" ;;
    *) return 1 ;;
  esac
}

# Writes key=value to the options file (one per line), replacing an old value.
state_set() {
  local key=$1 value=$2 file=$STATE_DIR/options
  touch "$file"
  grep -v "^$key=" "$file" > "$file.new" || true
  echo "$key=$value" >> "$file.new"
  mv "$file.new" "$file"
}

state_get() {
  local file=$STATE_DIR/options
  [ -f "$file" ] || return 0
  sed -n "s/^$1=//p" "$file" | tail -n 1
}
