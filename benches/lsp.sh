#!/usr/bin/env bash
# `okr lsp` on a generated organisation: a scripted editor session replayed
# over stdio by benches/lsp.py (start, one-line edits, hover, definition,
# completion; medians of RUNS), and the server's peak memory beside
# `okr check`'s on the same folder.
#
#   benches/lsp.sh [TEAMS] [RUNS]      (defaults: 2000 teams, 100 runs)
#
# Needs python3 and GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/lib.sh

teams=${1:-2000}
runs=${2:-100}
org="bench-data/org-$teams"

build_okr
ensure_org "$org" "$teams"
echo "machine: $(nproc) cores, $(uname -m)"
python3 benches/lsp.py "$okr" "$org" --runs "$runs"
/usr/bin/time -f "okr check peak memory: %M KB" "$okr" check "$org" --today 2026-08-15 >/dev/null
