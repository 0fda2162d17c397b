#!/usr/bin/env bash
# The goal merge's two speed targets:
#
# 1. `okr merge-file` of two ~2,000-line team files that both added check-ins
#    (under the same KRs, interleaved by date): the median wall time of RUNS
#    runs of the whole process (start-up included), target <= 20 ms.
# 2. `git merge` of two branches of 100 check-in commits each (200 in all)
#    across 40 team files, with the okr merge driver and without it (git's
#    own line merge): the median wall time of RUNS merges of each, measured
#    alternately, the reset between runs not timed; target: with <= 3x without.
#    Ours adds check-ins to KRs k1 and k2 of each objective, theirs to k3 and
#    k4, so git's line merge is clean too and both merge the same changes.
#    Beside them, the floor of any merge driver: git starting `true` (a
#    program that does nothing) once per file, so the time a driver costs
#    can be told from the time its process costs.
#
# With `--instructions`, also the instructions each executes (callgrind,
# children traced and summed) and, where `perf stat` works, the CPU time
# (task-clock, children included): both depend far less on the machine's
# load than wall time. Instructions leave out the kernel's work (starting a
# process, page faults); CPU time counts it.
#
#   benches/merge.sh [RUNS] [--instructions]
#
# The inputs: benches/merge_data.py. Needs python3, git, GNU time; valgrind
# for --instructions.
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/lib.sh

runs=${1:-15}
instructions=${2:-}
build_okr
work="$bench_tmp"

# --- 1. Two 2,000-line team files --------------------------------------------
python3 benches/merge_data.py "$work"
base="$work/big/team-0001.okr"
lines=$(wc -l <"$work/big/ours.okr")
read -r file_ms _ < <(bench "$runs" "$work/big" "$okr" merge-file "$base" ours.okr theirs.okr -o merged.okr)
conflicts=$(grep -c '^<<<<<<<' "$work/big/merged.okr" || true)
echo "merge-file of two $lines-line files: $file_ms ms (median of $runs, whole process; $conflicts conflicts)"

# --- 2. git merge of 200 check-in commits across 40 files ----------------------
repo="$work/repo"
(cd "$repo" && "$okr" git setup --program "$okr" >/dev/null && rm .gitattributes)
start=$(git -C "$repo" rev-parse HEAD)

git -C "$repo" config merge.floor.driver true
# merge_once yes|no|floor: one `git merge` from the start with okr's driver,
# with git's own line merge, or with the do-nothing driver; timed alone (ms).
merge_once() {
  case "$1" in
    yes) echo '*.okr merge=okr' >"$repo/.git/info/attributes" ;;
    floor) echo '*.okr merge=floor' >"$repo/.git/info/attributes" ;;
    *) : >"$repo/.git/info/attributes" ;;
  esac
  git -C "$repo" reset -q --hard "$start"
  local begin end status=0
  begin=$(now_us)
  git -C "$repo" merge -q --no-edit theirs >/dev/null 2>"$bench_tmp/merge-stderr" || status=$?
  end=$(now_us)
  if [ "$status" -ne 0 ]; then
    echo "git merge failed (driver: $1, exit $status)" >&2
    cat "$bench_tmp/merge-stderr" >&2
    exit 1
  fi
  awk -v us=$((end - begin)) 'BEGIN { printf "%.1f\n", us / 1000 }'
}
merge_once yes >/dev/null
merge_once no >/dev/null
merge_once floor >/dev/null
with=() without=() floor=()
for _ in $(seq "$runs"); do
  with+=("$(merge_once yes)")
  without+=("$(merge_once no)")
  floor+=("$(merge_once floor)")
done
with_ms=$(printf '%s\n' "${with[@]}" | median)
without_ms=$(printf '%s\n' "${without[@]}" | median)
floor_ms=$(printf '%s\n' "${floor[@]}" | median)
merge_once yes >/dev/null
driver_tree=$(git -C "$repo" rev-parse 'HEAD^{tree}')
merge_once no >/dev/null
text_tree=$(git -C "$repo" rev-parse 'HEAD^{tree}')
same=$([ "$driver_tree" = "$text_tree" ] && echo "the same tree" || echo "different trees")
files=$(git -C "$repo" diff --name-only "$start" theirs | wc -l)
echo "git merge of 200 check-in commits across $files files: with the driver $with_ms ms, without $without_ms ms (median of $runs; $same)"
awk -v a="$with_ms" -v b="$without_ms" 'BEGIN { printf "ratio with/without: %.2fx\n", a / b }'
echo "the same merge with a driver that does nothing (\`true\`, one process per file): $floor_ms ms"
awk -v a="$floor_ms" -v b="$without_ms" -v c="$with_ms" \
  'BEGIN { printf "ratio floor/without: %.2fx; okr driver/floor: %.2fx\n", a / b, c / a }'

if [ "$instructions" = --instructions ]; then
  # count_instructions DIR CMD...: instructions of CMD and every process it starts.
  count_instructions() {
    local dir=$1
    shift
    rm -f "$bench_tmp"/callgrind.out.*
    (cd "$dir" && valgrind --tool=callgrind --trace-children=yes -q \
      --callgrind-out-file="$bench_tmp/callgrind.out.%p" "$@" >/dev/null 2>&1) || true
    cat "$bench_tmp"/callgrind.out.* | awk '/^summary:/ { s += $2 } END { printf "%d\n", s }'
  }
  file_ir=$(count_instructions "$work/big" "$okr" merge-file "$base" ours.okr theirs.okr -o merged.okr)
  echo "merge-file instructions: $file_ir"
  git -C "$repo" reset -q --hard "$start"
  echo '*.okr merge=okr' >"$repo/.git/info/attributes"
  with_ir=$(count_instructions "$repo" git merge -q --no-edit theirs)
  git -C "$repo" reset -q --hard "$start"
  : >"$repo/.git/info/attributes"
  without_ir=$(count_instructions "$repo" git merge -q --no-edit theirs)
  echo "git merge instructions: with the driver $with_ir, without $without_ir"
  awk -v a="$with_ir" -v b="$without_ir" 'BEGIN { printf "instructions ratio with/without: %.2fx\n", a / b }'
  if perf stat -e task-clock true >/dev/null 2>&1; then
    # cpu_ms DIR PRE CMD...: mean task-clock (ms) of RUNS runs of CMD, PRE run before each.
    cpu_ms() {
      local dir=$1 pre=$2
      shift 2
      (cd "$dir" && perf stat -x, -r "$runs" --pre "$pre" -e task-clock "$@" 2>&1 >/dev/null) |
        awk -F, '/task-clock/ { printf "%.1f\n", $1 }'
    }
    file_cpu=$(cpu_ms "$work/big" true "$okr" merge-file "$base" ours.okr theirs.okr -o merged.okr)
    echo '*.okr merge=okr' >"$repo/.git/info/attributes"
    with_cpu=$(cpu_ms "$repo" "git reset -q --hard $start" git merge -q --no-edit theirs)
    : >"$repo/.git/info/attributes"
    without_cpu=$(cpu_ms "$repo" "git reset -q --hard $start" git merge -q --no-edit theirs)
    echo "merge-file CPU time: $file_cpu ms; git merge CPU time: with the driver $with_cpu ms, without $without_cpu ms"
    awk -v a="$with_cpu" -v b="$without_cpu" 'BEGIN { printf "CPU time ratio with/without: %.2fx\n", a / b }'
  fi
fi
