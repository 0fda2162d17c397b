#!/usr/bin/env bash
# The cost of showing many diagnostics: `okr check --format human` (miette's
# report with snippets) against `--format short` on one valid file of KRS
# key results, each with one warning (no check-in yet: okr::stale-checkin).
# Target: human within 3× of short. It was O(diagnostics × file size): each
# report scanned and copied the whole file (125 s against 0.3 s at 40,000 KRs).
#
#   benches/diagnostics.sh [KRS] [RUNS]      (defaults: 40000 KRs, 5 runs)
#
# Needs python3 and GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/lib.sh

krs=${1:-40000}
runs=${2:-5}
dir="bench-data/diagnostics-$krs"

if [ -n "${OKR:-}" ]; then okr=$OKR; else build_okr; fi
if [ ! -f "$dir/wide.okr" ]; then
  mkdir -p "$dir"
  python3 - "$krs" "$dir/wide.okr" <<'PY'
import sys
krs, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as out:
    out.write("period 2026-Q3\nteam wide\nowner @dana\n\n")
    for o in range(krs // 5):
        out.write(f'objective o{o} "Objective {o}"\n')
        for k in range(5):
            out.write(f'  kr k{k} "Revenue {k}" target 10\n')
PY
fi

read -r short_ms _ < <(bench "$runs" "$dir" "$okr" check wide.okr --today 2026-08-15 --format short)
read -r human_ms _ < <(bench "$runs" "$dir" "$okr" check wide.okr --today 2026-08-15 --format human)
ratio=$(awk -v h="$human_ms" -v s="$short_ms" 'BEGIN { printf "%.1f", h / s }')
verdict=$(awk -v r="$ratio" 'BEGIN { print (r <= 3 ? "met" : "NOT MET") }')
echo "| \`okr check\` of $krs KRs, one warning each | short | human | human ÷ short | target |"
echo "| --- | --- | --- | --- | --- |"
echo "| median of $runs runs | $short_ms ms | $human_ms ms | ${ratio}× | ≤ 3×: $verdict |"
