#!/usr/bin/env bash
# Data in and out at scale (issue 16): `okr export csv` and `okr export xlsx`
# of the benchmark organisation (bench-data/org-TEAMS, 40,000 KRs at 2,000
# teams), then `okr import --preset okr` of each export back into .okr
# files. Targets: import ≤ 2 s, export ≤ 1 s (release build, median wall
# time). The machine is shared, so each command's instruction count under
# callgrind is printed too (it does not depend on the load).
#
#   benches/import.sh [TEAMS] [RUNS]        (defaults: 2000 teams, 5 runs)
#
# Needs python3, GNU time (/usr/bin/time); valgrind for the instruction counts.
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/lib.sh

teams=${1:-2000}
runs=${2:-5}
today=2026-08-15
org="bench-data/org-$teams"
if [ -n "${OKR:-}" ]; then okr=$OKR; else build_okr; fi
ensure_org "$org" "$teams"
org=$(cd "$org" && pwd)
out="$bench_tmp/imported"

"$okr" export csv "$org" -o "$bench_tmp/org.csv" --today "$today"
"$okr" export xlsx "$org" -o "$bench_tmp/org.xlsx" --today "$today"
krs=$(($(wc -l < "$bench_tmp/org.csv") - 1))

read -r csv_out_ms csv_out_kb < <(bench "$runs" "$bench_tmp" "$okr" export csv "$org" -o org.csv --today "$today")
read -r xlsx_out_ms xlsx_out_kb < <(bench "$runs" "$bench_tmp" "$okr" export xlsx "$org" -o org.xlsx --today "$today")
read -r csv_in_ms csv_in_kb < <(bench "$runs" "$bench_tmp" sh -c "'$okr' import org.csv --preset okr -o '$out' --force --today $today 2>/dev/null; true")
read -r xlsx_in_ms xlsx_in_kb < <(bench "$runs" "$bench_tmp" sh -c "'$okr' import org.xlsx --preset okr -o '$out' --force --today $today 2>/dev/null; true")

instructions() { # COMMAND... -> instructions counted by callgrind
  if ! command -v valgrind >/dev/null; then echo "n/a"; return; fi
  (cd "$bench_tmp" && valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
    awk '/Collected/ { gsub(",", "", $4); print $4 }')
}
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t ? "met" : "NOT MET") }'; }

echo "| $krs KRs ($teams teams) | median wall time ($runs runs) | peak memory | instructions | target |"
echo "| --- | --- | --- | --- | --- |"
echo "| \`okr export csv\` | $csv_out_ms ms | $((csv_out_kb / 1024)) MB | $(instructions "$okr" export csv "$org" -o org.csv --today "$today") | ≤ 1 s: $(verdict "$csv_out_ms" 1000) |"
echo "| \`okr export xlsx\` | $xlsx_out_ms ms | $((xlsx_out_kb / 1024)) MB | $(instructions "$okr" export xlsx "$org" -o org.xlsx --today "$today") | ≤ 1 s: $(verdict "$xlsx_out_ms" 1000) |"
echo "| \`okr import --preset okr\` (CSV) | $csv_in_ms ms | $((csv_in_kb / 1024)) MB | $(instructions "$okr" import org.csv --preset okr -o "$out" --force --today "$today") | ≤ 2 s: $(verdict "$csv_in_ms" 2000) |"
echo "| \`okr import --preset okr\` (XLSX) | $xlsx_in_ms ms | $((xlsx_in_kb / 1024)) MB | $(instructions "$okr" import org.xlsx --preset okr -o "$out" --force --today "$today") | ≤ 2 s: $(verdict "$xlsx_in_ms" 2000) |"
