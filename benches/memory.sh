#!/usr/bin/env bash
# Peak memory ÷ input size of `okr fmt`, `okr check` and `okr report` (json,
# md, html), on one large file and on a folder, each ratio marked against its
# target: fmt ≤ 10× the file, report ≤ 12× (every format), check ≤ 10×.
#
#   benches/memory.sh [OBJECTIVES] [TEAMS] [RUNS]
#   OKR=/tmp/okr-old benches/memory.sh      # another binary, for before/after
#
# OBJECTIVES [20000]: the large file is one team with that many objectives
# (`gen_org.py --teams 1 --objectives N`: 20,000 make 1.2 million lines,
# 33 MB), and a copy of it in a layout `okr fmt` rewrites on every line
# (indentation doubled, a double space after each keyword, a comment above
# every objective and after every fifth check-in; 40 MB). TEAMS [2000]: the
# folder `bench-data/org-TEAMS`. RUNS [3]: the peak is the largest of RUNS
# runs (after one warm-up); memory hardly varies between runs.
#
# Needs python3 (the generator) and GNU time (/usr/bin/time) for peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/lib.sh

objectives=${1:-20000}
teams=${2:-2000}
runs=${3:-3}
today=2026-08-15
big="bench-data/one-team-$objectives"
org="bench-data/org-$teams"

# OKR=PATH measures that binary (an older build, say) instead of building one.
if [ -n "${OKR:-}" ]; then okr=$OKR; else build_okr; fi
ensure_org "$org" "$teams"
if [ ! -f "$big/messy.okr" ]; then
  echo "generating $big (one team, $objectives objectives)" >&2
  rm -rf "$big.partial"
  python3 benches/gen_org.py "$big.partial" --teams 1 --objectives "$objectives" >/dev/null
  mv "$big.partial/team-0001.okr" "$big.partial/clean.okr"
  python3 - "$big.partial/clean.okr" "$big.partial/messy.okr" <<'PY'
import sys
# The same goals in a layout `okr fmt` changes on every line.
with open(sys.argv[1]) as f, open(sys.argv[2], "w") as out:
    for n, line in enumerate(f, 1):
        line = line.rstrip("\n")
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if stripped.startswith("objective "):
            out.write("# about " + stripped.split()[1] + "\n")
        extra = "  # seen" if stripped[:1].isdigit() and n % 5 == 0 else ""
        out.write(" " * (indent * 2) + stripped.replace(" ", "  ", 1) + extra + "\n")
PY
  mv "$big.partial" "$big"
fi

calc() { awk "BEGIN { printf \"$1\", $2 }"; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }
bytes_of() { cat "$@" | wc -c; }

clean_bytes=$(bytes_of "$big/clean.okr")
messy_bytes=$(bytes_of "$big/messy.okr")
org_bytes=$(bytes_of "$org"/*.okr)
all_met=yes

# row LABEL INPUT_BYTES TARGET DIR CMD...: the peak of CMD (run in DIR) over
# RUNS runs, as MB and ÷ the input, and whether it is within TARGET× the input.
row() {
  local label=$1 input=$2 target=$3 dir=$4 ms kb verdict
  shift 4
  read -r ms kb < <(bench "$runs" "$dir" "$@")
  if le "$kb" "$(calc %f "$input * $target / 1024")"; then
    verdict=met
  else
    verdict="NOT MET"
    all_met=no
  fi
  printf '| %s | %s MB | %s MB | %s× | ≤ %s× | %s |\n' "$label" \
    "$(calc %.1f "$input / 1e6")" "$(calc %.1f "$kb * 1024 / 1e6")" \
    "$(calc %.1f "$kb * 1024 / $input")" "$target" "$verdict"
}

# `okr fmt --check` exits 1 when the file would change: that is its answer, not a failure.
fmt_check='"$@" >/dev/null; [ $? -le 1 ]'
# `okr fmt FILE` rewrites the file: each run formats a fresh copy.
fmt_copy='cp messy.okr "$0" && exec "$@" "$0"'
copy="$bench_tmp/copy.okr"

echo "machine: $(nproc) cores, $(uname -m); peak of $runs runs each; $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "large file: $big (clean.okr $(calc %.1f "$clean_bytes / 1e6") MB, messy.okr $(calc %.1f "$messy_bytes / 1e6") MB); folder: $org"
echo
echo "| command | input | peak memory | peak ÷ input | target | |"
echo "| --- | --- | --- | --- | --- | --- |"
row "\`okr fmt FILE\` (a copy of messy.okr, rewritten)" "$messy_bytes" 10 "$big" sh -c "$fmt_copy" "$copy" "$okr" fmt
row "\`okr fmt --check messy.okr\` (every line differs)" "$messy_bytes" 10 "$big" sh -c "$fmt_check" sh "$okr" fmt --check messy.okr
row "\`okr fmt --check clean.okr\`" "$clean_bytes" 10 "$big" sh -c "$fmt_check" sh "$okr" fmt --check clean.okr
row "\`okr fmt --check .\` (the folder)" "$org_bytes" 10 "$org" sh -c "$fmt_check" sh "$okr" fmt --check .
row "\`okr check clean.okr\`" "$clean_bytes" 10 "$big" "$okr" check --format json --today "$today" clean.okr
row "\`okr check .\` (the folder)" "$org_bytes" 10 "$org" "$okr" check --format json --today "$today" .
for f in json md html; do
  row "\`okr report --format $f -o OUT clean.okr\`" "$clean_bytes" 12 "$big" "$okr" report --format "$f" --today "$today" -o "$bench_tmp/report.$f" clean.okr
  row "\`okr report --format $f -o OUT .\` (the folder)" "$org_bytes" 12 "$org" "$okr" report --format "$f" --today "$today" -o "$bench_tmp/report.$f" .
done
row "\`okr report --format json .\` to standard output (the folder)" "$org_bytes" 12 "$org" "$okr" report --format json --today "$today" .
echo
echo "all targets met: $all_met"
