#!/usr/bin/env bash
# Times whole `okr` runs on a generated organisation (default 2,000 teams, about
# 640k lines / 17.7 MB): the median wall time of RUNS runs and the peak memory of
# each command, beside the floor of reading the bytes (`cat | wc -l`).
#
#   benches/org.sh [TEAMS] [RUNS]
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
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Prints "seconds kilobytes" for one run of the command, in the organisation's folder.
measure() {
  (cd "$org" && /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -n 1)
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# Runs one labelled command RUNS times and prints its row.
row() {
  local label=$1; shift
  local times=() peak=0 seconds kb
  for _ in $(seq "$runs"); do
    read -r seconds kb < <(measure "$@")
    times+=("$seconds")
    [ "$kb" -gt "$peak" ] && peak=$kb
  done
  printf '%-44s %10s %10s\n' "$label" "$(printf '%s\n' "${times[@]}" | median)" "$((peak / 1024))"
}

echo "organisation: $teams teams, $lines lines, $bytes bytes ($org)"
echo "machine: $(nproc) cores, $(uname -m); $runs runs each"
printf '%-44s %10s %10s\n' "command" "median s" "peak MB"
row "cat *.okr | wc -l (floor)" sh -c 'cat *.okr | wc -l'
row "okr check --format json" "$okr" check --format json --today 2026-08-15 .
row "okr report --format json" "$okr" report --format json --today 2026-08-15 -o "$out/r.json" .
row "okr report --format md" "$okr" report --format md --today 2026-08-15 -o "$out/r.md" .
row "okr report --format html" "$okr" report --format html --today 2026-08-15 -o "$out/r.html" .
