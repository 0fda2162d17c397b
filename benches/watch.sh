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

teams=${1:-2000}
runs=${2:-9}
org="bench-data/org-$teams"

cargo build --release --quiet
okr="$PWD/target/release/okr"
if [ ! -d "$org" ]; then
  python3 benches/gen_org.py "$org" --teams "$teams" >/dev/null
fi
work=$(mktemp -d)
watcher=""
cleanup() {
  if [ -n "$watcher" ]; then kill -INT "$watcher" 2>/dev/null || true; wait "$watcher" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

now_ms() { date +%s%3N; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# Waits until the log has more than N status lines (lines starting with "[").
wait_status() {
  local log=$1 count=$2
  for _ in $(seq 6000); do
    [ "$(grep -c '^\[' "$log" || true)" -gt "$count" ] && return 0
    sleep 0.002
  done
  echo "timed out waiting for a status line in $log" >&2
  exit 1
}

echo "machine: $(nproc) cores, $(uname -m); $runs runs each"

# 1. examples/, save → report updated.
mkdir "$work/examples"
cp examples/*.okr "$work/examples/"
log="$work/examples.log"
"$okr" watch "$work/examples" --report html -o "$work/report.html" --today 2026-08-15 >"$log" 2>&1 &
watcher=$!
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
kill -INT "$watcher"; wait "$watcher" || true; watcher=""
echo "examples (4 files), save → report.html updated: median $(printf '%s\n' "${times[@]}" | median) ms (runs: ${times[*]})"
echo "  run time inside okr (status lines): $(grep -o '([0-9]* ms)$' "$log" | tail -n +2 | tr -dc '0-9\n' | median) ms median"

# 2. the organisation, one file saved → re-checked.
cp -r "$org" "$work/org"
log="$work/org.log"
"$okr" watch "$work/org" --today 2026-08-15 >"$log" 2>&1 &
watcher=$!
wait_status "$log" 0
first=$(grep '^\[' "$log" | head -1)
times=()
for run in $(seq "$runs"); do
  sleep 1
  count=$(grep -c '^\[' "$log")
  start=$(now_ms)
  printf '# save %d\n' "$run" >>"$work/org/team-0500.okr"
  wait_status "$log" "$count"
  times+=($(( $(now_ms) - start )))
done
kill -INT "$watcher"; wait "$watcher" || true; watcher=""
echo "organisation ($teams teams), first run: $first"
echo "organisation, one file saved → re-checked: median $(printf '%s\n' "${times[@]}" | median) ms (runs: ${times[*]})"
echo "  run time inside okr (status lines): $(grep -o '([0-9]* ms)$' "$log" | tail -n +2 | tr -dc '0-9\n' | median) ms median"
grep '^\[' "$log" | tail -1
