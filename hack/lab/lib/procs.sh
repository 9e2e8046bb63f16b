# Lab processes (sourced by lab.sh). Each runs in its own session so that it outlives the shell or
# JVM that started the lab, logs to $STATE/logs/<name>.log and has its pid in $STATE/pids/<name>.
# Every command line names a path inside $STATE, which is how `down` also finds processes whose
# pid file was lost, and how a recycled pid is told from ours.

# proc_start NAME NETNS COMMAND...: NETNS "" means the machine's own namespace.
proc_start() {
  local name=$1 netns=$2
  shift 2
  mkdir -p "$STATE/logs" "$STATE/pids"
  local prefix=()
  [ -n "$netns" ] && prefix=(ip netns exec "$netns")
  # Without job control a background child is not a process-group leader, so setsid does not
  # fork and $! stays the pid of the command itself (ip netns exec and env exec in place).
  setsid "${prefix[@]}" "$@" >>"$STATE/logs/$name.log" 2>&1 </dev/null &
  local pid=$! i
  echo "$pid" >"$STATE/pids/$name"
  # Until the forked shell has exec'd, its command line is lab.sh's, which does not name $STATE:
  # a liveness check in that moment would take the new process for dead.
  for (( i = 0; i < 100; i++ )); do
    proc_is_ours "$pid" && return 0
    [ -d "/proc/$pid" ] || return 0
    sleep 0.02
  done
}

# proc_supervise NAME NETNS COMMAND...: like proc_start, under lib/supervise.sh, which starts the
# command again whenever it exits (see there). NAME's pid file names the command, so `kill` hits
# the component (and the supervisor restarts it); NAME.supervisor names the supervisor.
proc_supervise() {
  local name=$1 netns=$2 i
  shift 2
  mkdir -p "$STATE/logs" "$STATE/pids"
  rm -f "$STATE/pids/$name"
  setsid bash "$LAB_HOME/lib/supervise.sh" "$STATE" "$name" "$netns" "$@" </dev/null >>"$STATE/logs/$name.log" 2>&1 &
  echo "$!" >"$STATE/pids/$name.supervisor"
  for (( i = 0; i < 250; i++ )); do
    [ -f "$STATE/pids/$name" ] && proc_alive "$name" && return 0
    sleep 0.02
  done
}

proc_supervised() {
  proc_alive "$1.supervisor"
}

# proc_kill NAME: SIGKILL the component only, like a crash; its supervisor starts it again.
proc_kill() {
  local pid
  pid=$(proc_pid "$1") || return 0
  kill -s KILL "$pid" 2>/dev/null || true
}

proc_pid() {
  local file="$STATE/pids/$1" pid
  [ -f "$file" ] || return 1
  pid=$(<"$file")
  proc_is_ours "$pid" && echo "$pid"
}

proc_is_ours() {
  local args state ppid
  { args=$(tr "\\0" "\\n" <"/proc/$1/cmdline"); } 2>/dev/null || return 1
  args_name_lab "$args" && return 0
  [ -z "$args" ] || return 1
  # While a process execs (setsid -> ip netns exec -> env -> sh -> java) its cmdline reads empty
  # for a moment; a live, non-zombie process with an empty cmdline is still the one we started.
  # Kernel threads (children of kthreadd, pid 2) also have an empty cmdline: never ours. The
  # decision rests on this one reading of the cmdline: read again after the exec, it names $STATE
  # and an "is it still empty?" check would take the live process for dead — the cause of the
  # rare "controller exited" with an empty log at start-up (proc_wait_log polls throughout the
  # launcher's four execs).
  { read -r state ppid < <(awk '/^State:/ {s=$2} /^PPid:/ {p=$2} END {print s, p}' "/proc/$1/status"); } 2>/dev/null || return 1
  [ -n "$state" ] && [ "$state" != Z ] && [ "${ppid:-0}" -gt 2 ]
}

# Reads the whole command line first: `tr | grep -q` would fail under pipefail when grep quits early.
cmdline_mentions_lab() {
  local args
  { args=$(tr "\\0" "\\n" <"$1"); } 2>/dev/null || return 1
  args_name_lab "$args"
}

# ARGS (one a line) name $STATE itself or a path inside it: not merely a string starting with it,
# which another lab's directory can be (labs "demo" and "demo2"), whose processes `down` would kill.
args_name_lab() {
  [[ $1$'\n' == *"$STATE"[/$'\n']* ]]
}

proc_alive() {
  proc_pid "$1" >/dev/null
}

# proc_stop NAME [SIGNAL]: TERM (default) then KILL after 10 s; KILL means a crash, at once. A
# supervised process's supervisor is stopped first, so that nothing starts it again.
proc_stop() {
  local name=$1 signal=${2:-TERM} pid i
  [ -f "$STATE/pids/$name.supervisor" ] && proc_stop "$name.supervisor"
  pid=$(proc_pid "$name") || { rm -f "$STATE/pids/$name"; return 0; }
  kill -s "$signal" "$pid" 2>/dev/null || true
  for (( i = 0; i < 100; i++ )); do
    proc_is_ours "$pid" || break
    sleep 0.1
  done
  if proc_is_ours "$pid"; then
    kill -s KILL "$pid" 2>/dev/null || true
    for (( i = 0; i < 100; i++ )); do proc_is_ours "$pid" || break; sleep 0.1; done
  fi
  rm -f "$STATE/pids/$name"
}

# procs_stop_all NAME...: like proc_stop, for several processes at once (a supervisor goes with
# the process it supervises).
procs_stop_all() {
  local name stoppers=()
  for name in "$@"; do
    [[ $name == *.supervisor ]] && continue
    proc_stop "$name" &
    stoppers+=($!)
  done
  # Only these: a bare `wait` would also wait for the lab's own processes when `up` fails and
  # takes the lab down, since those are then still children of this shell.
  (( ${#stoppers[@]} == 0 )) || wait "${stoppers[@]}"
}

# Every process whose command line names $STATE, whatever its pid file says.
procs_of_lab() {
  local cmdline pid
  for cmdline in /proc/[0-9]*/cmdline; do
    pid=${cmdline#/proc/}
    pid=${pid%/cmdline}
    [ "$pid" = $$ ] && continue
    cmdline_mentions_lab "$cmdline" && echo "$pid"
  done
  return 0
}

# proc_wait_listening NAME PORT: waits (5 s at most) until NAME listens on 127.0.0.1:PORT of the
# machine's namespace, or exits; true only if it listens. A positive signal either way, where a
# fixed sleep followed by "still alive?" would pass a process that was merely slow to fail.
proc_wait_listening() {
  local name=$1 port=$2 i pid
  for (( i = 0; i < 50; i++ )); do
    pid=$(proc_pid "$name") || return 1
    # Its own listening socket, not one of a parallel lab that took the port meanwhile.
    ss -Htlnp "sport = :$port" | grep -q "pid=$pid," && return 0
    sleep 0.1
  done
  return 1
}

# proc_wait_log NAME REGEX SECONDS [OFFSET]: for a component that says when it is ready; only
# what it logged after byte OFFSET counts (logs are appended to across restarts).
proc_wait_log() {
  local name=$1 regex=$2 seconds=$3 offset=${4:-0} i
  for (( i = 0; i < seconds * 10; i++ )); do
    grep -qE "$regex" < <(tail -c +$(( offset + 1 )) "$STATE/logs/$name.log" 2>/dev/null) && return 0
    proc_alive "$name" || die "$name exited; last lines of $STATE/logs/$name.log:$(echo; tail -n 20 "$STATE/logs/$name.log")"
    sleep 0.1
  done
  die "$name did not log /$regex/ within ${seconds}s; see $STATE/logs/$name.log"
}

# Field 22 of /proc/PID/stat (start time in clock ticks since boot), "gone" if there is no such
# process: with the pid, it names one process for good.
proc_start_time() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo gone; return 0; }
  stat=${stat##*) }
  awk '{print $20}' <<<"$stat"
}
