# The cluster's programs: build, cards, cluster key, start in their namespaces, wait, stop.
# Sourced by tools/testbed after common.sh and topology.sh.
#
# Stand-ins (for testing the testbed itself, or running a program from elsewhere): a command line
# in ATCP_TESTBED_FRONTEND, ATCP_TESTBED_VBOARD or ATCP_TESTBED_SDIMAGE replaces the program built
# from the repository (word-split, so "python3 /path/fake.py" works).

FRONTEND_PROJECT=frontend/Atcp.Frontend
VBOARD_PROJECT=hardware/Atcp.VirtualBoard
SDIMAGE_TOOL=tools/sdimage

# Prints the command that runs the project's build output: the apphost when there is one,
# else "dotnet <dll>". Builds first unless NO_BUILD=1.
project_file() { ls "$REPO/$1"/*.csproj 2>/dev/null | head -n 1; }

project_require() {
  [ -n "$(project_file "$1")" ] || die "$1 does not exist yet (no project file in $REPO/$1): it is being written; use --no-services for the network alone"
}

project_command() {
  local dir=$1 csproj target
  project_require "$dir"
  csproj=$(project_file "$dir")
  if [ "${NO_BUILD:-0}" != 1 ]; then
    say "building $dir (Release)" >&2
    if ! dotnet build "$csproj" -c Release -nologo -v quiet -clp:NoSummary >"$LOG_DIR/build-$(basename "$dir").log" 2>&1; then
      tail -n 30 "$LOG_DIR/build-$(basename "$dir").log" >&2
      die "dotnet build of $dir failed (full log: $LOG_DIR/build-$(basename "$dir").log)"
    fi
  fi
  target=$(dotnet msbuild "$csproj" -nologo -p:Configuration=Release -getProperty:TargetPath 2>/dev/null | tail -n 1)
  [ -n "$target" ] && [ -f "$target" ] || die "no build output for $dir at '${target:-?}': build it (dotnet build -c Release $csproj) or drop --no-build"
  if [ -x "${target%.dll}" ]; then echo "${target%.dll}"; else echo "dotnet $target"; fi
}

sdimage_command() {
  if [ -n "${ATCP_TESTBED_SDIMAGE:-}" ]; then echo "$ATCP_TESTBED_SDIMAGE"; return; fi
  [ -x "$REPO/$SDIMAGE_TOOL" ] || die "$SDIMAGE_TOOL does not exist yet (it makes the boards' card images): it is being written; use --no-services for the network alone"
  echo "$REPO/$SDIMAGE_TOOL"
}

# Content used when --content is not given: a page and a 1 MiB file, so a fresh cluster serves
# something.
default_content() {
  local dir=$STATE_DIR/content
  mkdir -p "$dir"
  [ -f "$dir/index.html" ] || printf '<!doctype html>\n<title>atcp testbed</title>\n<p>served by the atcp testbed\n' > "$dir/index.html"
  [ -f "$dir/1MiB.bin" ] || head -c 1048576 /dev/zero | tr '\0' 'a' > "$dir/1MiB.bin"
  echo "$dir"
}

make_cards() {
  local boards=$1 content=$2 sdimage=$3 i copies=2
  [ "$boards" -lt 2 ] && copies=1   # two copies need two boards
  rm -rf "$CARD_DIR"; mkdir -p "$CARD_DIR"
  for ((i = 1; i <= boards; i++)); do
    # shellcheck disable=SC2086 # the command may be several words (a stand-in)
    if ! $sdimage build --out "$CARD_DIR/b$i.img" --board-id "$i" --boards "$boards" --copies "$copies" "$content" \
         >>"$LOG_DIR/sdimage.log" 2>&1; then
      tail -n 20 "$LOG_DIR/sdimage.log" >&2
      die "making the card of board $i failed (log: $LOG_DIR/sdimage.log)"
    fi
  done
}

# Starts a program in a namespace, detached (own session, no terminal, stdin from /dev/null,
# output to its log), and records its pid. setsid and ip netns exec both exec in place, so $! is
# the program's pid.
launch() {
  local name=$1 ns=$2; shift 2
  echo "=== $(date -Is) $*" >>"$LOG_DIR/$name.log"
  setsid ip netns exec "$ns" "$@" </dev/null >>"$LOG_DIR/$name.log" 2>&1 9>&- &
  echo $! > "$PID_DIR/$name.pid"
}

pid_alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }
pid_of() { cat "$PID_DIR/$1.pid" 2>/dev/null || true; }

# True when every recorded service process runs.
services_alive() {
  local f any=0
  for f in "$PID_DIR"/*.pid; do
    [ -e "$f" ] || continue
    any=1
    pid_alive "$(cat "$f")" || return 1
  done
  [ "$any" = 1 ]
}

# Stops the processes recorded in pid files: TERM, up to 5 s, then KILL. A pid is only signalled
# if it still lives in the namespace it was started in (pids get reused).
services_stop() {
  local f pid name ns t pids=()
  for f in "$PID_DIR"/*.pid; do
    [ -e "$f" ] || continue
    pid=$(cat "$f"); name=$(basename "$f" .pid)
    ns=atcp-$name
    if pid_alive "$pid" && [ "$(ip netns identify "$pid" 2>/dev/null)" = "$ns" ]; then
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid")
    fi
    rm -f "$f"
  done
  for ((t = 0; t < 50 && ${#pids[@]} > 0; t++)); do
    local left=()
    for pid in "${pids[@]}"; do pid_alive "$pid" && left+=("$pid"); done
    pids=("${left[@]+"${left[@]}"}")
    [ ${#pids[@]} -eq 0 ] && break
    sleep 0.1
  done
  for pid in "${pids[@]+"${pids[@]}"}"; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -f "$STATE_DIR/services"
}

frontend_status() {
  in_ns atcp-client curl -fsS --max-time 2 "http://$FE_MGMT_IP:$MGMT_PORT/status" 2>/dev/null
}

# boardsUp from the /status JSON (camelCase, as the daemon serves it).
boards_up_of() {
  grep -oE '"boardsUp"[[:space:]]*:[[:space:]]*[0-9]+' | grep -oE '[0-9]+$' | head -n 1
}

# The last lines of the front-end's and boards 1..n's logs, on stderr.
show_logs() {
  local boards=$1 f i
  for f in "$LOG_DIR/fe.log" $(for ((i = 1; i <= boards; i++)); do echo "$LOG_DIR/b$i.log"; done); do
    [ -e "$f" ] || continue
    echo "--- last lines of $f:" >&2
    tail -n 15 "$f" >&2
  done
}

# Waits until the front-end's /status answers (from the client namespace) and reports all boards
# up; fails early when a process dies.
services_wait() {
  local boards=$1 timeout=$2 deadline body up name
  deadline=$((SECONDS + timeout))
  while :; do
    for name in fe $(for ((i = 1; i <= boards; i++)); do echo "b$i"; done); do
      if ! pid_alive "$(pid_of "$name")"; then
        show_logs "$boards"
        die "$name (namespace atcp-$name) exited during start-up: see $LOG_DIR/$name.log"
      fi
    done
    body=$(frontend_status || true)
    up=$(echo "$body" | boards_up_of || true)
    if [ -n "$up" ] && [ "$up" -ge "$boards" ]; then
      say "front-end reports $up of $boards boards up"
      return 0
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      show_logs "$boards"
      if [ -z "$body" ]; then
        die "front-end management endpoint http://$FE_MGMT_IP:$MGMT_PORT/status did not answer within ${timeout}s; processes left running for inspection, 'tools/testbed down' cleans up"
      fi
      die "front-end reports ${up:-no} boards up, not $boards, after ${timeout}s (last /status: $(echo "$body" | tr -s ' \n' ' ' | cut -c1-300)); processes left running for inspection, 'tools/testbed down' cleans up"
    fi
    sleep 0.5
  done
}

# Starts the front-end and the boards unless the same set is already running.
services_up() {
  local boards=$1 content=$2 iso=$3 timeout=$4 fe_cmd vb_cmd sdimage signature i
  [ -n "$content" ] || content=$(default_content)
  signature="boards=$boards content=$content iso=$iso fe=${ATCP_TESTBED_FRONTEND:-} vb=${ATCP_TESTBED_VBOARD:-} sd=${ATCP_TESTBED_SDIMAGE:-}"
  if [ "$(cat "$STATE_DIR/services" 2>/dev/null)" = "$signature" ] && services_alive; then
    say "services already running with these options"
    services_wait "$boards" "$timeout"
    return 0
  fi
  services_stop

  # Everything must exist before anything is built.
  [ -n "${ATCP_TESTBED_FRONTEND:-}" ] || project_require "$FRONTEND_PROJECT"
  [ -n "${ATCP_TESTBED_VBOARD:-}" ] || project_require "$VBOARD_PROJECT"
  sdimage=$(sdimage_command)
  # Each of these exits the script on failure (a failing command substitution in an assignment).
  fe_cmd=${ATCP_TESTBED_FRONTEND:-}
  [ -n "$fe_cmd" ] || fe_cmd=$(project_command "$FRONTEND_PROJECT")
  vb_cmd=${ATCP_TESTBED_VBOARD:-}
  [ -n "$vb_cmd" ] || vb_cmd=$(project_command "$VBOARD_PROJECT")
  say "making $boards card images from $content"
  make_cards "$boards" "$content" "$sdimage"

  # A fresh 128-bit cluster key for every start.
  head -c 16 /dev/urandom > "$STATE_DIR/cluster.key"
  chmod 600 "$STATE_DIR/cluster.key"

  say "starting the front-end in atcp-fe"
  # shellcheck disable=SC2086
  launch fe atcp-fe $fe_cmd --interface eth0 --service-ip "$SERVICE_IP" --netmask "$NETMASK" \
    --gateway "$ROUTER_IP" --mgmt-listen "$FE_MGMT_IP:$MGMT_PORT" --cluster-id "$CLUSTER_ID" \
    --cluster-key-file "$STATE_DIR/cluster.key"
  for ((i = 1; i <= boards; i++)); do
    local cd_args=()
    [ -n "$iso" ] && cd_args=(--cd "$iso")
    # shellcheck disable=SC2086
    launch "b$i" "atcp-b$i" $vb_cmd --interface eth0 --board-id "$i" --disk "$CARD_DIR/b$i.img" \
      "${cd_args[@]+"${cd_args[@]}"}" --cluster-id "$CLUSTER_ID" \
      --cluster-key-file "$STATE_DIR/cluster.key" --console "$STATE_DIR/b$i.console"
  done
  say "started: front-end and $boards boards; waiting up to ${timeout}s for the front-end to see them"
  echo "$signature" > "$STATE_DIR/services"
  services_wait "$boards" "$timeout"
}
