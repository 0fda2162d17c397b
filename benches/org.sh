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
. benches/lib.sh

teams=${1:-2000}
runs=${2:-7}
org="bench-data/org-$teams"

build_okr
ensure_org "$org" "$teams"
lines=$(cat "$org"/*.okr | wc -l)
bytes=$(cat "$org"/*.okr | wc -c)
out=$bench_tmp

# Runs one labelled command RUNS times and prints its row.
row() {
  local label=$1 ms kb
  shift
  read -r ms kb < <(bench "$runs" "$org" "$@")
  printf '%-44s %10s %10s\n' "$label" "$ms" "$((kb / 1024))"
}

echo "organisation: $teams teams, $lines lines, $bytes bytes ($org)"
echo "machine: $(nproc) cores, $(uname -m); $runs runs each"
printf '%-44s %10s %10s\n' "command" "median ms" "peak MB"
row "cat *.okr | wc -l (floor)" sh -c 'cat *.okr | wc -l'
row "okr check --format json" "$okr" check --format json --today 2026-08-15 .
row "okr report --format json" "$okr" report --format json --today 2026-08-15 -o "$out/r.json" .
row "okr report --format md" "$okr" report --format md --today 2026-08-15 -o "$out/r.md" .
row "okr report --format html" "$okr" report --format html --today 2026-08-15 -o "$out/r.html" .
