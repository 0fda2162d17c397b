#!/usr/bin/env bash
# Times `okr diff HEAD~100 HEAD` against `git diff HEAD~100 HEAD`, and `okr log`
# of one KR against `git log -p` of its file, on a git repository built from the
# generated organisation (default 2,000 teams) with 200 commits of check-ins on
# top: commit i appends one check-in to every KR of ten teams, so HEAD~100..HEAD
# touches 1,000 files. Prints the median wall time of RUNS runs of each.
#
#   benches/history.sh [TEAMS] [RUNS]
#
# Needs python3, git and GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/lib.sh

teams=${1:-2000}
runs=${2:-7}
repo="bench-data/history-$teams"

build_okr
ensure_history "$repo" "$teams"

# The KR to follow: the first KR of the first objective of a team changed in
# the last 100 commits, and its file.
team_index=$((teams * 3 / 4))
file=$(printf 'team-%0*d.okr' "$(team_width "$teams")" "$team_index")
team=$(printf 't%0*d' "$(team_width "$teams")" "$team_index")
kr="$team/o1.k1"

# The median wall time (ms) of RUNS runs, after a warm-up run.
time_runs() { bench "$runs" "$repo" "$@" | awk '{ print $1 }'; }

okr_diff=$(time_runs "$okr" diff HEAD~100 HEAD --format json)
git_diff=$(time_runs git diff HEAD~100 HEAD)
# A first run in a clone has no team index yet (.git/okr): removed before each.
okr_log_cold=$(time_runs sh -c 'rm -rf .git/okr && exec "$@"' sh "$okr" log "$kr" --format json)
okr_log=$(time_runs "$okr" log "$kr" --format json)
git_log=$(time_runs git log -p -- "$file")
changes=$(cd "$repo" && "$okr" diff HEAD~100 HEAD --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["changes"]))')
files=$(cd "$repo" && git diff --name-only HEAD~100 HEAD | wc -l)

echo "repository: $teams teams, $(cd "$repo" && git rev-list --count HEAD) commits ($repo)"
echo "machine: $(nproc) cores, $(uname -m)"
printf '%-44s %10s\n' "command" "median ms"
printf '%-44s %10s\n' "okr diff HEAD~100 HEAD --format json" "$okr_diff"
printf '%-44s %10s\n' "git diff HEAD~100 HEAD" "$git_diff"
printf '%-44s %10s\n' "okr log $kr --format json" "$okr_log"
printf '%-44s %10s\n' "  the same, first run (no .git/okr)" "$okr_log_cold"
printf '%-44s %10s\n' "git log -p -- $file" "$git_log"
echo "HEAD~100..HEAD: $files files, $changes goal changes; runs: $runs"
