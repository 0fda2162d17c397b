#!/usr/bin/env bash
# Times `okr check --format json` on a generated organisation (default 2,000
# teams, about 640k lines / 17.7 MB) and reports the median wall time of RUNS
# runs and the peak memory, beside the floor of reading the bytes (`cat | wc -l`).
#
#   benches/check.sh [TEAMS] [RUNS]
#
# Needs python3 (the generator) and GNU time (/usr/bin/time) for peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."

teams=${1:-2000}
runs=${2:-7}
org="bench-data/org-$teams"

cargo build --release --quiet
okr="$PWD/target/release/okr"
if [ ! -d "$org" ]; then
  python3 benches/gen_org.py "$org" --teams "$teams" >/dev/null
fi
lines=$(cat "$org"/*.okr | wc -l)
bytes=$(cat "$org"/*.okr | wc -c)

# Prints "seconds kilobytes" for one run of the command.
measure() {
  /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -n 1
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

check_times=()
check_mem=0
floor_times=()
for _ in $(seq "$runs"); do
  read -r seconds kb < <(cd "$org" && measure "$okr" check --format json --today 2026-08-15 .)
  check_times+=("$seconds")
  [ "$kb" -gt "$check_mem" ] && check_mem=$kb
  read -r seconds _ < <(cd "$org" && measure sh -c 'cat *.okr | wc -l')
  floor_times+=("$seconds")
done

check_median=$(printf '%s\n' "${check_times[@]}" | median)
floor_median=$(printf '%s\n' "${floor_times[@]}" | median)
echo "organisation: $teams teams, $lines lines, $bytes bytes ($org)"
echo "machine: $(nproc) cores, $(uname -m)"
printf '%-40s %10s %12s\n' "command" "median s" "peak MB"
printf '%-40s %10s %12s\n' "okr check --format json" "$check_median" "$((check_mem / 1024))"
printf '%-40s %10s %12s\n' "cat *.okr | wc -l (floor)" "$floor_median" "-"
echo "runs: $runs; all okr times: ${check_times[*]}"
