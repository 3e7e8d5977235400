# Sourced by .ci/run: a throwaway single-machine Slurm cluster (one slurmctld, one slurmd on this host) for the
# harness's Slurm test, started without systemd and stopped when the sourcing shell exits.
#   slurm_binaries_present    whether slurmctld, slurmd, sbatch, squeue, scancel, sinfo and munged can be found
#                             (else: apt-get install --no-install-recommends slurm-wlm munge)
#   start_test_slurm          munge key + private munged, slurm.conf in a temp dir, start slurmctld and slurmd,
#                             wait until the node is idle, export REVBENCH_TEST_SLURM_CONF / SLURM_CONF, and
#                             chain stop_test_slurm onto the EXIT trap (keeping e.g. stop_test_postgres)
#   stop_test_slurm           cancel the cluster's jobs, stop slurmd, slurmctld and munged, remove the temp dir;
#                             idempotent, never fails
# Everything (key, socket, state, spool, logs, pid files) lives in one temp dir, so the cluster never touches
# /etc/munge, /etc/slurm or a munged the munge package may have started, and leaves nothing behind.
# Call start_test_slurm after start_test_postgres: that one sets its EXIT trap outright, this one appends.

TEST_SLURM_CTLD_PORT=16817
TEST_SLURM_SLURMD_PORT=16818
TEST_SLURM_PARTITION=debug

slurm_binaries_present() {
  local b
  # sacct is optional: without slurmdbd there is no accounting to ask anyway
  for b in slurmctld slurmd sbatch squeue scancel sinfo scontrol munged munge unmunge; do
    command -v "$b" >/dev/null 2>&1 || return 1
  done
}

# Appends stop_test_slurm to whatever the EXIT trap already runs (once), instead of replacing it.
_slurm_chain_exit_trap() {
  local prev
  prev="$(trap -p EXIT)"                                 # e.g. trap -- 'stop_test_postgres' EXIT
  if [ -n "$prev" ]; then
    prev="${prev#trap -- }"
    prev="${prev% EXIT}"
    eval "prev=$prev"                                    # undo trap -p's quoting
  fi
  case "$prev" in *stop_test_slurm*) return 0 ;; esac
  trap "stop_test_slurm${prev:+; $prev}" EXIT
}

# Whether a pid is a live process. A zombie counts as dead: a container's init may be slow to reap, or never
# reap, the daemons once they have forked away from us. (/proc, not ps/pgrep: procps may not be installed.)
_slurm_alive() {
  local st
  [ -n "$1" ] && read -r st 2>/dev/null <"/proc/$1/stat" || return 1
  st="${st##*) }"                                        # the fields after "pid (comm) "
  [ "${st%% *}" != Z ]
}

# The pid in a pid file, if that process is still alive.
_slurm_pid_alive() {
  local pid
  pid="$(cat "$1" 2>/dev/null)" || return 1
  _slurm_alive "$pid" && echo "$pid"
}

# SIGTERM the daemons of some pid files together (each takes ~2 s to exit), wait up to 10 s, then SIGKILL.
_slurm_stop_pidfiles() {
  local f pid pids=() i left
  for f in "$@"; do
    pid="$(_slurm_pid_alive "$f")" && pids+=("$pid")
  done
  [ ${#pids[@]} -gt 0 ] || return 0
  kill "${pids[@]}" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    left=0
    for pid in "${pids[@]}"; do
      _slurm_alive "$pid" && left=1
    done
    [ "$left" -eq 1 ] || return 0
    sleep 0.2
  done
  kill -9 "${pids[@]}" 2>/dev/null || true
}

# The pids of live processes whose command name is $1.
_slurm_pids_named() {
  local d comm
  for d in /proc/[0-9]*; do
    read -r comm 2>/dev/null <"$d/comm" || continue
    [ "$comm" = "$1" ] && _slurm_alive "${d#/proc/}" && echo "${d#/proc/}"
  done
  return 0
}

# The step daemons of the cluster in $1 (they keep its slurmd.log open), which outlive a stopped slurmd.
_slurm_stepds() {
  local p
  for p in $(_slurm_pids_named slurmstepd); do
    case "$(ls -l "/proc/$p/fd" 2>/dev/null || true)" in
      *"$1/"*) echo "$p" ;;
    esac
  done
  return 0
}

# The pids of the children of $1.
_slurm_children() {
  local s st
  for s in /proc/[0-9]*/stat; do
    read -r st 2>/dev/null <"$s" || continue
    st="${st##*) }"                                      # "STATE PPID ..."
    st="${st#* }"
    [ "${st%% *}" = "$1" ] && { s="${s#/proc/}"; echo "${s%/stat}"; }
  done
  return 0
}

# SIGKILL a process and all its descendants.
_slurm_kill_tree() {
  local c
  kill -STOP "$1" 2>/dev/null || true                    # no new children while we look
  for c in $(_slurm_children "$1"); do
    _slurm_kill_tree "$c"
  done
  kill -9 "$1" 2>/dev/null || true
}

# Stops the clusters of shells that died without running their EXIT trap (kill -9, OOM killer): their daemons
# would still hold the ports.
_slurm_reap_stale() {
  local d owner
  for d in /tmp/revbench-slurm.*; do
    [ -d "$d" ] && [ "$d" != "${TEST_SLURM_DIR:-}" ] || continue
    owner="$(cat "$d/owner.pid" 2>/dev/null || true)"
    if [ -n "$owner" ]; then
      ! _slurm_alive "$owner" || continue
    else
      [ -n "$(find "$d" -maxdepth 0 -mmin +1 2>/dev/null)" ] || continue   # maybe still being started
    fi
    (TEST_SLURM_DIR="$d" stop_test_slurm)
  done
  return 0
}

start_test_slurm() {
  slurm_binaries_present || { echo "Slurm/munge binaries not found (apt-get install slurm-wlm munge)" >&2; return 1; }
  # a second start replaces the first cluster rather than leaking it
  stop_test_slurm
  _slurm_reap_stale
  local dir node cpus i state
  node="$(hostname -s 2>/dev/null || uname -n)"
  node="${node%%.*}"
  # the real CPU count, but at least 2 so that two single-CPU jobs always run side by side
  cpus="$(nproc 2>/dev/null || echo 1)"
  [ "$cpus" -ge 2 ] || cpus=2
  dir="$(mktemp -d /tmp/revbench-slurm.XXXXXX)"
  TEST_SLURM_DIR="$dir"
  echo "$BASHPID" >"$dir/owner.pid"                     # the shell whose EXIT trap stops this cluster
  _slurm_chain_exit_trap
  # munged wants every directory on the socket's path searchable by all, and the key readable by its owner only
  chmod 711 "$dir"
  mkdir -m 755 "$dir/munge"
  mkdir -m 700 "$dir/state" "$dir/spool"
  dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
  chmod 400 "$dir/munge/munge.key"
  # our own munged on our own socket (slurm.conf's AuthInfo points every Slurm command at it)
  munged --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
    --log-file="$dir/munge/munged.log" --pid-file="$dir/munge/munged.pid" --seed-file="$dir/munge/munged.seed" \
    || { cat "$dir/munge/munged.log" >&2; return 1; }
  cat >"$dir/slurm.conf" <<EOF
# throwaway test cluster written by .ci/test-slurm.bash
ClusterName=revbench-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$TEST_SLURM_CTLD_PORT
SlurmdPort=$TEST_SLURM_SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# no cgroups: containers rarely let us have them
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MailProg=/bin/true
# one CPU per job by default, so jobs and array tasks share the node
SchedulerType=sched/backfill
# schedule batch jobs as they come (the default may hold them up to 3 s)
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
# trust the CPUs below over what slurmd detects (a 1-CPU machine still runs two jobs at once)
SlurmdParameters=config_overrides
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
MinJobAge=300
NodeName=$node NodeAddr=127.0.0.1 NodeHostname=$node CPUs=$cpus State=UNKNOWN
PartitionName=$TEST_SLURM_PARTITION Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF="$dir/slurm.conf"
  export REVBENCH_TEST_SLURM_CONF="$dir/slurm.conf"
  # both daemonise (stdio to /dev/null) and write their pid files into $dir
  slurmctld -f "$SLURM_CONF" || { cat "$dir/slurmctld.log" >&2; return 1; }
  slurmd -f "$SLURM_CONF" -N "$node" || { cat "$dir/slurmd.log" >&2; return 1; }
  state=""
  for ((i = 0; i < 120; i++)); do
    state="$(sinfo -h -N -n "$node" -o %T 2>/dev/null || true)"
    [ "$state" = idle ] && break
    sleep 0.5
  done
  if [ "$state" != idle ]; then
    echo "test Slurm node $node not idle after 60 s (state: ${state:-none})" >&2
    scontrol show node "$node" >&2 2>&1 || true
    tail -n 30 "$dir/slurmctld.log" "$dir/slurmd.log" >&2 2>&1 || true
    return 1
  fi
  echo "test Slurm at $SLURM_CONF ($(slurmctld -V), node $node, $(sinfo -h -N -n "$node" -o %c) CPUs)"
}

stop_test_slurm() {
  local dir="${TEST_SLURM_DIR:-}" conf i p
  if [ -n "$dir" ] && [ -d "$dir" ]; then
    conf="$dir/slurm.conf"
    # cancel first: slurmstepd and the job's processes outlive a stopped slurmd
    # (bounded: a client retries a controller that does not answer for many seconds)
    if [ -f "$conf" ] && _slurm_pid_alive "$dir/slurmctld.pid" >/dev/null; then
      SLURM_CONF="$conf" timeout 10 scancel --partition="$TEST_SLURM_PARTITION" >/dev/null 2>&1 || true
      for ((i = 0; i < 50; i++)); do
        [ -z "$(SLURM_CONF="$conf" timeout 5 squeue -h -o %i 2>/dev/null || true)" ] && break
        sleep 0.2
      done
      # the jobs leave the queue before their step daemons have finished killing them
      for ((i = 0; i < 50; i++)); do
        [ -z "$(_slurm_stepds "$dir")" ] && break
        sleep 0.2
      done
    fi
    # nothing of theirs needs munge on the way down: all three at once
    _slurm_stop_pidfiles "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"
    # whatever step daemon is left (it keeps slurmd's log open) and its job's processes
    for p in $(_slurm_stepds "$dir"); do
      _slurm_kill_tree "$p"
    done
    rm -rf "$dir"
  fi
  TEST_SLURM_DIR=""
  if [ "${SLURM_CONF:-}" = "${REVBENCH_TEST_SLURM_CONF:-}" ]; then
    unset SLURM_CONF
  fi
  unset REVBENCH_TEST_SLURM_CONF
  return 0
}
