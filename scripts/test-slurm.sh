#!/usr/bin/env bash
# The real test of deploy/slurm: a throwaway single-node Slurm cluster on this machine runs a
# sharded senderscore run through deploy/slurm/submit.sh, and the merged result must be byte for
# byte the single-process one.
#
#   bash scripts/test-slurm.sh BIN SCENARIO [run options...]
#
#   BIN       an absolute or relative path to a built senderscore (with run --shard and merge)
#   SCENARIO  e.g. Scenarios/baseline.yaml
#   run options  given to every shard and to the reference run (default: --trials 2001 --seed 11,
#                a trial count that 4 shards do not split evenly)
#
# Environment: SHARDS (default 4), FORMATS (default "json text"), TEST_TIMEOUT (seconds to wait
# for the jobs, default 300), KEEP_TMP=1 (keep the temporary directory, for debugging).
#
# Needs root (or sudo) only to install slurm-wlm and munge with apt-get when they are missing.
# Everything else -- the MUNGE key and daemon, slurm.conf, the daemons' state, logs and pid
# files, the jobs' shared directory -- lives in one mktemp -d directory, removed at exit; the
# daemons listen on 127.0.0.1 on two free ports and a private MUNGE socket, so a system Slurm or
# MUNGE on the same machine is neither used nor disturbed. Every daemon started is stopped at exit
# (trap), and the leftovers of an earlier run that was killed (kill -9) are cleaned up at start.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 BIN SCENARIO [run options...]" >&2
  exit 2
fi
started=$(date +%s)
repo=$(cd "$(dirname "$0")/.." && pwd)
bin=$1 scenario=$2
shift 2
if [ $# -gt 0 ]; then run_options=("$@"); else run_options=(--trials 2001 --seed 11); fi
shards=${SHARDS:-4}
formats=${FORMATS:-json text}
timeout=${TEST_TIMEOUT:-300}
tmp_prefix=senderscore-slurm

# Absolute paths: the jobs run in their own working directory.
[ -x "$bin" ] || { echo "test-slurm: $bin is not an executable" >&2; exit 2; }
[ -r "$scenario" ] || { echo "test-slurm: cannot read $scenario" >&2; exit 2; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
scenario=$(cd "$(dirname "$scenario")" && pwd)/$(basename "$scenario")

say() { echo "test-slurm: $*"; }

# --- Processes ------------------------------------------------------------------------------------

# alive PID: the process exists and is not a zombie (an orphaned daemon may stay a zombie for a
# while when PID 1 is slow to reap, as in some containers; kill -0 would call it alive).
alive() {
  local stat
  [ -r "/proc/$1/stat" ] && read -r stat < "/proc/$1/stat" 2> /dev/null || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != Z ]
}

# stop SECONDS PID...: SIGTERM to each, up to SECONDS for all to exit, then SIGKILL to those left.
stop() {
  local pid left grace=$1
  shift
  for pid in "$@"; do
    if alive "$pid"; then kill -TERM "$pid" 2> /dev/null || true; fi
  done
  for _ in $(seq 1 $((grace * 4))); do
    left=""
    for pid in "$@"; do
      if alive "$pid"; then left="$left $pid"; fi
    done
    [ -n "$left" ] || return 0
    sleep 0.25
  done
  for pid in $left; do kill -KILL "$pid" 2> /dev/null || true; done
  return 0
}

# procs_of CONF: the pids (other than this shell) whose environment holds SLURM_CONF=CONF: the
# daemons, slurmstepd and the jobs of the cluster whose slurm.conf is CONF (all are started with
# it exported). Builtins only, so that no child of this shell, which has the same variable, is
# ever in the list.
procs_of() {
  local want="SLURM_CONF=$1" dir pid var
  local -a envs
  for dir in /proc/[0-9]*; do
    pid=${dir#/proc/}
    if [ "$pid" = $$ ] || [ "$pid" = "$BASHPID" ]; then continue; fi
    mapfile -d "" envs 2> /dev/null < "$dir/environ" || continue
    for var in "${envs[@]}"; do
      if [ "$var" = "$want" ]; then echo "$pid"; break; fi
    done
  done
}

# stop_cluster DIR: stops the daemons of the cluster in DIR by their pid files, then whatever
# else still runs with its slurm.conf: a slurmstepd or a job left over from a killed run.
stop_cluster() {
  local dir=$1 name pid daemons=()
  for name in slurmd slurmctld munged; do
    if [ -s "$dir/run/$name.pid" ]; then
      read -r pid < "$dir/run/$name.pid" || continue
      # Only a process that is really ours: the pid file may be stale and the pid reused.
      if alive "$pid" && tr '\0' ' ' < "/proc/$pid/cmdline" 2> /dev/null | grep -q "$dir"; then daemons+=("$pid"); fi
    fi
  done
  stop 10 "${daemons[@]}"
  # slurmstepd ignores SIGTERM and, with slurmd gone, retries for minutes: 2 s, then SIGKILL.
  # shellcheck disable=SC2046 # one pid per word
  stop 2 $(procs_of "$dir/slurm.conf")
}

# --- Step 0: clean up after an earlier run that could not (killed with SIGKILL) --------------------
# Its directory is still there, its owner (the test script's pid, in DIR/owner) is gone.
for old in "${TMPDIR:-/tmp}/$tmp_prefix".*; do
  [ -d "$old" ] || continue
  owner=$(cat "$old/owner" 2> /dev/null || true)
  if [ -n "$owner" ] && alive "$owner" && tr '\0' ' ' < "/proc/$owner/cmdline" 2> /dev/null | grep -q test-slurm; then
    continue # another run of this test, still going: leave it alone
  fi
  say "cleaning up after an earlier run that was killed ($old)"
  stop_cluster "$old"
  rm -rf "$old"
done

# --- Step 1: install Slurm and MUNGE if missing ----------------------------------------------------
missing=""
for tool in slurmctld slurmd sbatch squeue scontrol sinfo scancel munged; do
  command -v "$tool" > /dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
  say "installing slurm-wlm and munge with apt-get (missing:$missing)"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge > /dev/null
fi
say "$(slurmctld -V), munge $(munged --version 2>&1 | head -1 | awk '{print $1}')"

# --- Step 2: the temporary directory ---------------------------------------------------------------
# munged wants its socket's directory searchable by everyone and its key readable by none but its
# owner: the top directory is 0711, munge/ 0755, the key 0600.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/$tmp_prefix.XXXXXX")
chmod 0711 "$tmp"
echo $$ > "$tmp/owner"
mkdir -m 0755 "$tmp/munge"
mkdir -p "$tmp/run" "$tmp/log" "$tmp/state/slurmctld" "$tmp/state/slurmd" "$tmp/work"
conf=$tmp/slurm.conf
socket=$tmp/munge/munge.sock
export SLURM_CONF=$conf # for sbatch, squeue, scontrol, sinfo, scancel and the daemons
if [ ${#socket} -gt 100 ]; then
  echo "test-slurm: $socket is too long for a Unix socket; set TMPDIR to a shorter directory" >&2
  rm -rf "$tmp"
  exit 2
fi

result=FAIL
# At every exit: cancel the jobs, stop the daemons, remove the directory, print the time taken.
cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  if [ -s "$tmp/run/slurmctld.pid" ] && alive "$(cat "$tmp/run/slurmctld.pid")"; then
    scancel --quiet --user="$(id -un)" 2> /dev/null
    for _ in $(seq 1 20); do [ -z "$(squeue -h -o %i 2> /dev/null)" ] && break; sleep 0.5; done
  fi
  stop_cluster "$tmp"
  if [ "${KEEP_TMP:-0}" = 1 ]; then say "kept $tmp"; else rm -rf "$tmp"; fi
  [ "$rc" = 0 ] && result=PASS
  say "$result in $(($(date +%s) - started)) s"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# show_logs: the daemons' logs and every job's log, for a failure message.
show_logs() {
  local f
  for f in "$tmp"/log/*.log "$tmp"/work/*/logs/*.out; do
    [ -f "$f" ] || continue
    echo "----- $f (last 40 lines)"
    tail -n 40 "$f"
  done
}
fail() {
  echo "test-slurm: FAILED: $*" >&2
  show_logs >&2
  exit 1
}

# --- Step 3: MUNGE, with its own key, socket, pid, log and seed files ------------------------------
if command -v mungekey > /dev/null 2>&1; then
  mungekey --create --keyfile="$tmp/munge.key"
else
  dd if=/dev/urandom of="$tmp/munge.key" bs=1 count=1024 status=none
fi
chmod 0600 "$tmp/munge.key"
munged --key-file="$tmp/munge.key" --socket="$socket" --pid-file="$tmp/run/munged.pid" \
  --log-file="$tmp/log/munged.log" --seed-file="$tmp/state/munged.seed" ||
  fail "munged did not start"
munge -n -S "$socket" | unmunge -S "$socket" > /dev/null || fail "MUNGE does not encode and decode a credential"

# --- Step 4: slurm.conf for one node, this machine, on two free loopback ports --------------------
# port_free P: no TCP socket on this machine, in any state, has local port P (read from
# /proc/net/tcp and tcp6, where ports are hexadecimal, so that no tool such as ss is needed).
port_free() {
  local tables=() t
  for t in /proc/net/tcp /proc/net/tcp6; do [ ! -r "$t" ] || tables+=("$t"); done
  ! awk -v p="$(printf ':%04X' "$1")" 'FNR > 1 && substr($2, length($2) - 4) == p { found = 1 } END { exit !found }' \
    "${tables[@]}"
}
port=""
for _ in $(seq 1 50); do
  candidate=$((20000 + RANDOM % 30000))
  if port_free "$candidate" && port_free $((candidate + 1)); then port=$candidate; break; fi
done
[ -n "$port" ] || fail "found no two free TCP ports in 20000-50000"
node=$(hostname -s)
# The node's real CPUs, sockets, cores, threads and memory, as slurmd sees them.
hardware=$(slurmd -C 2> /dev/null | head -1 | sed 's/^NodeName=[^ ]* *//; s/ *UpTime=.*//') || true
[ -n "$hardware" ] || hardware="CPUs=$(nproc) RealMemory=$(($(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024))"
cat > "$conf" << EOF
# Generated by scripts/test-slurm.sh: a throwaway single-node cluster; everything under $tmp.
ClusterName=senderscore-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$tmp/state/slurmctld
SlurmdSpoolDir=$tmp/state/slurmd
SlurmctldPidFile=$tmp/run/slurmctld.pid
SlurmdPidFile=$tmp/run/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# No cgroups (none are needed, and containers often do not allow them), no accounting.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
MailProg=/bin/true
# One core per task, so that array tasks share the node; finished jobs stay visible 10 minutes.
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/builtin
SchedulerParameters=sched_interval=1
ReturnToService=2
MinJobAge=600
NodeName=$node NodeAddr=127.0.0.1 $hardware State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF

# --- Step 5: start slurmctld and slurmd, wait for the node to be idle ------------------------------
say "starting slurmctld and slurmd on 127.0.0.1:$port and :$((port + 1)), node $node ($hardware)"
slurmctld -f "$conf" || fail "slurmctld did not start"
slurmd -f "$conf" -N "$node" || fail "slurmd did not start"
# check_daemons: fails at once when a daemon has exited, rather than at the end of a timeout.
check_daemons() {
  local name pid
  for name in munged slurmctld slurmd; do
    pid=$(cat "$tmp/run/$name.pid" 2> /dev/null || true)
    # A pid file is written a moment after the daemon forks; give it that moment.
    if [ -n "$pid" ] && ! alive "$pid"; then fail "$name exited"; fi
  done
}
deadline=$(($(date +%s) + 60))
until [ "$(sinfo -h -N -n "$node" -o %T 2> /dev/null)" = idle ]; do
  check_daemons
  [ "$(date +%s)" -lt "$deadline" ] ||
    fail "node $node not idle after 60 s: $(scontrol show node "$node" 2> /dev/null | grep -E 'State=|Reason=' | tr -s ' ')"
  sleep 0.5
done
say "node $node idle (at $(($(date +%s) - started)) s)"

# --- Step 6: submit one sharded run per format -----------------------------------------------------
declare -A merge_job array_job
for format in $formats; do
  out=$(SENDERSCORE=$bin "$repo/deploy/slurm/submit.sh" "$scenario" "$shards" "$tmp/work/$format" "$format" \
    -- "${run_options[@]}") || fail "submit.sh failed for $format"
  printf '  %s\n' "${out//$'\n'/$'\n'  }"
  read -r tag array merge <<< "$(echo "$out" | tail -1)"
  if [ "$tag" != JOBS ] || [ -z "$array" ] || [ -z "$merge" ]; then fail "submit.sh printed no JOBS line: $out"; fi
  array_job[$format]=$array
  merge_job[$format]=$merge
done

# --- Step 7: wait for every merge job to finish ----------------------------------------------------
# job_states ID: one JobState per line (an array job has one line per task).
job_states() { scontrol show job -o "$1" 2> /dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p'; }
deadline=$(($(date +%s) + timeout))
for format in $formats; do
  id=${merge_job[$format]}
  while :; do
    check_daemons
    state=$(job_states "$id")
    case $state in
      COMPLETED) break ;;
      PENDING | RUNNING | CONFIGURING | COMPLETING | REQUEUED | RESIZING | SUSPENDED | "") ;;
      *) fail "merge job $id ($format) ended $state; shards: $(job_states "${array_job[$format]}" | sort | uniq -c | tr -s ' \n' ' ')" ;;
    esac
    [ "$(date +%s)" -lt "$deadline" ] ||
      fail "merge job $id ($format) still $state after $timeout s; queue: $(squeue -h -o '%i %T %r' | tr '\n' ';')"
    sleep 0.5
  done
  done_shards=$(job_states "${array_job[$format]}" | grep -c '^COMPLETED$' || true)
  [ "$done_shards" = "$shards" ] || fail "array job ${array_job[$format]}: $done_shards of $shards shards completed"
  say "$format: $shards shards and the merge completed (at $(($(date +%s) - started)) s)"
done

# --- Step 8: the single-process reference, and the comparison --------------------------------------
for format in $formats; do
  merged=$tmp/work/$format/result.$format
  reference=$tmp/reference.$format
  [ -s "$merged" ] || fail "no $merged"
  "$bin" run "$scenario" "${run_options[@]}" --format "$format" -o "$reference" ||
    fail "the reference run failed for $format"
  if ! cmp "$merged" "$reference"; then
    diff -u "$reference" "$merged" | head -n 60 >&2 || true
    fail "$format: the merge of $shards shards differs from the single run"
  fi
  say "$format: merged result identical to the single run ($(wc -c < "$merged") bytes)"
done
