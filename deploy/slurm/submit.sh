#!/usr/bin/env bash
# Submits a sharded senderscore run to Slurm: a job array of SHARDS shards, then a merge job that
# starts only when every shard succeeded.
#
#   deploy/slurm/submit.sh SCENARIO SHARDS WORKDIR [FORMAT] [-- run options...]
#
#   SCENARIO  the scenario file; must be readable from every node (shared filesystem)
#   SHARDS    how many shards (array tasks): 1, 2, ...
#   WORKDIR   a directory on the shared filesystem; gets parts/, logs/ and result.FORMAT
#   FORMAT    text (default), json, csv, markdown or html
#   run options  passed to every shard, e.g. -- --trials 1000000 --seed 42
#
# Environment:
#   SENDERSCORE          the binary (default: senderscore on the nodes' PATH); the same build on
#                        every node: the parts carry its version and merge refuses a mismatch
#   SBATCH_PARTITION, SBATCH_TIMELIMIT, SBATCH_ACCOUNT, SBATCH_QOS, SBATCH_MEM_PER_CPU, ...
#                        read by sbatch itself, for both jobs
#   SHARD_SBATCH_ARGS    more sbatch options for the array only, e.g. "--cpus-per-task=4"
#   MERGE_SBATCH_ARGS    more sbatch options for the merge only
#   ARRAY_LIMIT          at most this many shards running at once (sbatch --array=1-N%LIMIT)
#
# Prints what it submitted; the last line is machine-readable:  JOBS <array job id> <merge job id>
set -euo pipefail

usage() {
  echo "usage: $0 SCENARIO SHARDS WORKDIR [FORMAT] [-- run options...]" >&2
  exit 2
}
[ $# -ge 3 ] || usage
scenario=$1 shards=$2 workdir=$3
shift 3
format=text
if [ $# -gt 0 ] && [ "$1" != "--" ]; then format=$1; shift; fi
if [ $# -gt 0 ]; then
  [ "$1" = "--" ] || usage
  shift
fi
run_options=("$@")

case $shards in '' | *[!0-9]* | 0*) echo "submit.sh: SHARDS must be a positive integer, got '$shards'" >&2; exit 2 ;; esac
case $format in text | json | csv | markdown | html) ;; *) echo "submit.sh: unknown FORMAT '$format' (text, json, csv, markdown, html)" >&2; exit 2 ;; esac
[ -r "$scenario" ] || { echo "submit.sh: cannot read scenario '$scenario'" >&2; exit 2; }
command -v sbatch >/dev/null 2>&1 || { echo "submit.sh: sbatch not found; is this a Slurm submit host?" >&2; exit 2; }

here=$(cd "$(dirname "$0")" && pwd)
# Absolute paths: the jobs may start on another node, in another directory.
scenario=$(cd "$(dirname "$scenario")" && pwd)/$(basename "$scenario")
mkdir -p "$workdir/parts" "$workdir/logs"
workdir=$(cd "$workdir" && pwd)

bin=${SENDERSCORE:-senderscore}
case $bin in
  */*) [ -x "$bin" ] || { echo "submit.sh: SENDERSCORE=$bin is not executable" >&2; exit 2; }
       bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin") ;;
  *) command -v "$bin" >/dev/null 2>&1 || echo "submit.sh: warning: '$bin' is not on PATH here; it must be on the nodes" >&2 ;;
esac
export SENDERSCORE=$bin # reaches the jobs through sbatch's default --export=ALL

# A fresh WORKDIR: parts of an earlier run left beside the new ones are easy to merge with them by
# mistake (rerunning some shards by hand, say); one run per WORKDIR keeps that from happening.
shopt -s nullglob
stale=("$workdir"/parts/part-*-of-"$shards".json "$workdir/result.$format")
shopt -u nullglob
for f in "${stale[@]}"; do
  if [ -e "$f" ]; then
    echo "submit.sh: $workdir already holds results of an earlier run ($f); use a new WORKDIR or remove them" >&2
    exit 1
  fi
done

# sbatch --parsable prints "jobid" or "jobid;cluster".
array_spec=1-$shards${ARRAY_LIMIT:+%$ARRAY_LIMIT}
# shellcheck disable=SC2086 # SHARD_SBATCH_ARGS and MERGE_SBATCH_ARGS are lists of words
array_job=$(sbatch --parsable --array="$array_spec" \
  --output="$workdir/logs/shard-%A_%a.out" \
  ${SHARD_SBATCH_ARGS:-} \
  "$here/shard.sbatch" "$scenario" "$shards" "$workdir" ${run_options[@]+"${run_options[@]}"})
array_job=${array_job%%;*}

# afterok: only when every task of the array exited 0. kill-on-invalid-dep: when a shard fails,
# the merge is cancelled instead of pending forever (DependencyNeverSatisfied).
# shellcheck disable=SC2086
if ! merge_job=$(sbatch --parsable --dependency="afterok:$array_job" --kill-on-invalid-dep=yes \
  --output="$workdir/logs/merge-%j.out" \
  ${MERGE_SBATCH_ARGS:-} \
  "$here/merge.sbatch" "$shards" "$workdir" "$format"); then
  echo "submit.sh: submitting the merge failed; cancelling array job $array_job" >&2
  scancel "$array_job" || true
  exit 1
fi
merge_job=${merge_job%%;*}

echo "array job $array_job: $shards shards of $scenario, parts in $workdir/parts, logs in $workdir/logs"
echo "merge job $merge_job: after every shard succeeds, writes $workdir/result.$format"
echo "JOBS $array_job $merge_job"
