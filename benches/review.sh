#!/usr/bin/env bash
# Times `okr review --since HEAD~100` (the weekly digest of the whole
# organisation: every file read and scored, the 1,000 files changed since
# HEAD~100 compared) against `okr diff HEAD~100 HEAD`, on the history
# repository `benches/history.sh` builds (default 2,000 teams). Prints the
# median wall time of RUNS runs of each, run alternately, and, with
# valgrind installed, the instructions each executes (callgrind: the same
# on a loaded machine, where wall times are not).
#
#   benches/review.sh [TEAMS] [RUNS] [REPO]
#
# REPO defaults to bench-data/history-TEAMS (built there when missing).
# Needs python3, git and GNU time (/usr/bin/time); valgrind for the counts.
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/lib.sh

teams=${1:-2000}
runs=${2:-7}
repo=${3:-"bench-data/history-$teams"}

build_okr
ensure_history "$repo" "$teams"

# The last day of the generated period (2026-Q3): KRs are scored, checked for
# staleness and funnels planned as on a day the period runs.
today=2026-09-30
review=("$okr" review --since HEAD~100 --today "$today" --format json)
diff=("$okr" diff HEAD~100 HEAD --format json)

read -r review_ms review_kb diff_ms diff_kb < <(bench_pair "$runs" "$repo" "${review[@]}" ::: "${diff[@]}")

# Instructions executed, from callgrind's summary line (threads included).
instructions() {
  (cd "$repo" && valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null) |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

echo "repository: $teams teams, $(cd "$repo" && git rev-list --count HEAD) commits ($repo)"
echo "machine: $(nproc) cores, $(uname -m)"
printf '%-62s %10s %10s\n' "command" "median ms" "peak KB"
printf '%-62s %10s %10s\n' "okr review --since HEAD~100 --today $today --format json" "$review_ms" "$review_kb"
printf '%-62s %10s %10s\n' "okr diff HEAD~100 HEAD --format json" "$diff_ms" "$diff_kb"
awk -v r="$review_ms" -v d="$diff_ms" 'BEGIN { printf "wall time: review / diff = %.2fx\n", r / d }'
if command -v valgrind >/dev/null 2>&1; then
  review_ir=$(instructions "${review[@]}")
  diff_ir=$(instructions "${diff[@]}")
  printf 'instructions (callgrind): review %s, diff %s\n' "$review_ir" "$diff_ir"
  awk -v r="$review_ir" -v d="$diff_ir" 'BEGIN { printf "instructions: review / diff = %.2fx\n", r / d }'
fi
