#!/usr/bin/env bash
# Times `okr watch` from a save to its result, RUNS times each, and prints medians:
#
#   1. examples/ with `--report html`: from appending a line to a file to the
#      report's modification time changing ("save → report updated");
#   2. a generated organisation of TEAMS teams without a report: from the save
#      to the run's status line ("save → re-checked"), and the run's own time.
#
#   benches/watch.sh [TEAMS] [RUNS]      (defaults: 2000 teams, 9 runs)
#
# Works on copies in a temporary folder; needs python3 (the generator).
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/lib.sh

teams=${1:-2000}
runs=${2:-9}
org="bench-data/org-$teams"

build_okr
ensure_org "$org" "$teams"
work=$bench_tmp

echo "machine: $(nproc) cores, $(uname -m); $runs runs each"

# 1. examples/, save → report updated.
mkdir "$work/examples"
cp examples/*.okr "$work/examples/"
log="$work/examples.log"
"$okr" watch "$work/examples" --report html -o "$work/report.html" --today 2026-08-15 >"$log" 2>&1 &
bench_watcher=$!
wait_status "$log" 0
times=()
for run in $(seq "$runs"); do
  sleep 0.7
  before=$(stat -c %.9Y "$work/report.html" 2>/dev/null || echo none)
  start=$(now_ms)
  printf '# save %d\n' "$run" >>"$work/examples/marketing.okr"
  for _ in $(seq 30000); do
    [ "$(stat -c %.9Y "$work/report.html")" != "$before" ] && break
    sleep 0.001
  done
  times+=($(( $(now_ms) - start )))
done
kill -INT "$bench_watcher"; wait "$bench_watcher" || true; bench_watcher=""
echo "examples (4 files), save → report.html updated: median $(printf '%s\n' "${times[@]}" | median) ms (runs: ${times[*]})"
echo "  run time inside okr (status lines): $(grep -o '([0-9]* ms)$' "$log" | tail -n +2 | tr -dc '0-9\n' | median) ms median"

# 2. the organisation, one file saved → re-checked.
watch_recheck "$org" "$runs"
echo "organisation ($teams teams), first run: $watch_first"
echo "organisation, one file saved → re-checked: median $watch_median ms (runs: ${watch_times[*]})"
echo "  run time inside okr (status lines): $watch_inner ms median"
echo "$watch_last"
