# tools/testbed status: what is up, for people. Sourced after common.sh, topology.sh, services.sh.
# Lines tests rely on: "namespace <ns> present|missing", "loss: <pct>% dropped <lost> of <seen>
# frames" (or "loss: off"), "process <name> pid <pid> alive|dead".

status_host() {
  local ns=$1 dev
  if ! ns_exists "$ns"; then echo "namespace $ns missing"; return; fi
  echo "namespace $ns present"
  for dev in $(in_ns "$ns" ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//' | grep -v '^lo$'); do
    local mac state addrs qdisc
    mac=$(in_ns "$ns" cat "/sys/class/net/$dev/address" 2>/dev/null)
    state=$(in_ns "$ns" cat "/sys/class/net/$dev/operstate" 2>/dev/null)
    addrs=$(in_ns "$ns" ip -o addr show dev "$dev" 2>/dev/null | awk '{print $4}' | tr '\n' ' ')
    qdisc=$(in_ns "$ns" tc qdisc show dev "$dev" root 2>/dev/null | grep -E 'tbf' | sed -E 's/^qdisc tbf [0-9a-f]+: root refcnt [0-9]+ /tbf /' || true)
    printf '  %-8s %s %-4s %s%s\n' "$dev" "$mac" "$state" "${addrs:-(no address)}" "${qdisc:+  [$qdisc]}"
  done
}

status_main() {
  local ns f pid name body
  if [ ! -d "$STATE_DIR" ] && [ -z "$(testbed_namespaces)" ]; then
    echo "testbed is down"
    return 0
  fi
  echo "phase: $(state_get phase)"
  echo "options: boards=$(state_get boards) board-mbit=$(state_get board_mbit) frontend-mbit=$(state_get frontend_mbit) loss=$(state_get loss) services=$(state_get services)"
  for ns in "$SWITCH_NS" atcp-client atcp-fe atcp-rt atcp-client2 $(board_namespaces); do
    status_host "$ns"
  done
  if ns_exists "$SWITCH_NS"; then
    echo "bridge $BRIDGE ports: $(in_ns "$SWITCH_NS" ip -o link show master "$BRIDGE" 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//' | tr '\n' ' ')"
  fi
  local counters
  counters=$(ns_exists "$SWITCH_NS" && loss_counters || true)
  if [ -n "$counters" ]; then
    echo "loss: $(state_get loss)% dropped ${counters% *} of ${counters#* } frames"
  else
    echo "loss: off"
  fi
  for f in "$PID_DIR"/*.pid; do
    [ -e "$f" ] || continue
    pid=$(cat "$f"); name=$(basename "$f" .pid)
    if pid_alive "$pid"; then echo "process $name pid $pid alive"; else echo "process $name pid $pid dead (log: $LOG_DIR/$name.log)"; fi
  done
  if [ -f "$STATE_DIR/services" ] && ns_exists atcp-client; then
    body=$(frontend_status || true)
    if [ -n "$body" ]; then
      echo "front-end /status:"
      echo "$body" | sed 's/^/  /'
    else
      echo "front-end /status: no answer from http://$FE_MGMT_IP:$MGMT_PORT/status"
    fi
  fi
}
