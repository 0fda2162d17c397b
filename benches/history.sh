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

teams=${1:-2000}
runs=${2:-7}
repo="bench-data/history-$teams"

cargo build --release --quiet
okr="${CARGO_TARGET_DIR:-$PWD/target}/release/okr"

export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
if [ ! -d "$repo/.git" ]; then
  rm -rf "$repo"
  python3 benches/gen_org.py "$repo" --teams "$teams" >/dev/null
  python3 - "$repo" "$teams" <<'PY'
import datetime, os, re, subprocess, sys

repo, teams = sys.argv[1], int(sys.argv[2])
CHECKIN = re.compile(r"^(\s+)(\d{4}-\d\d-\d\d) (\S+)")

def git(*args, date="2026-07-01T09:00:00+00:00"):
    env = dict(os.environ, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, stdout=subprocess.DEVNULL)

def check_in(path, day):
    """Appends one check-in to every KR: the latest value again, one day later."""
    with open(path) as f:
        lines = f.read().split("\n")
    out = []
    for i, line in enumerate(lines):
        out.append(line)
        m = CHECKIN.match(line)
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if m and not CHECKIN.match(following):
            out.append(f"{m.group(1)}{day.isoformat()} {m.group(3)}")
    with open(path, "w") as f:
        f.write("\n".join(out))

git("init", "-q", "-b", "main")
git("config", "user.name", "Bench")
git("config", "user.email", "bench@example.com")
git("add", "-A")
git("commit", "-q", "-m", "Q3 goals")
per_commit = max(1, teams // 200)
for i in range(200):
    day = datetime.date(2026, 9, 29) + datetime.timedelta(days=i // 15)
    for t in range(i * per_commit, (i + 1) * per_commit):
        check_in(os.path.join(repo, f"team-{t % teams + 1:04d}.okr"), day)
    git("commit", "-q", "-a", "-m", f"Check-ins {i + 1}", date=f"{day.isoformat()}T10:{i % 60:02d}:00+00:00")
git("gc", "-q")
PY
fi

# The KR to follow: the first KR of the first objective of a team changed in
# the last 100 commits, and its file.
team_index=$((teams * 3 / 4))
file=$(printf 'team-%04d.okr' "$team_index")
team=$(printf 't%04d' "$team_index")
kr="$team/o1.k1"

measure() { /usr/bin/time -f "%e" "$@" 2>&1 >/dev/null | tail -n 1; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
time_runs() {
  local times=()
  for _ in $(seq "$runs"); do times+=("$(cd "$repo" && measure "$@")"); done
  printf '%s\n' "${times[@]}" | median
}

# Warm the caches once.
(cd "$repo" && git diff HEAD~100 HEAD >/dev/null && "$okr" diff HEAD~100 HEAD --format json >/dev/null)

okr_diff=$(time_runs "$okr" diff HEAD~100 HEAD --format json)
git_diff=$(time_runs git diff HEAD~100 HEAD)
okr_log=$(time_runs "$okr" log "$kr" --format json)
git_log=$(time_runs git log -p -- "$file")
changes=$(cd "$repo" && "$okr" diff HEAD~100 HEAD --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["changes"]))')
files=$(cd "$repo" && git diff --name-only HEAD~100 HEAD | wc -l)

echo "repository: $teams teams, $(cd "$repo" && git rev-list --count HEAD) commits ($repo)"
echo "machine: $(nproc) cores, $(uname -m)"
printf '%-44s %10s\n' "command" "median s"
printf '%-44s %10s\n' "okr diff HEAD~100 HEAD --format json" "$okr_diff"
printf '%-44s %10s\n' "git diff HEAD~100 HEAD" "$git_diff"
printf '%-44s %10s\n' "okr log $kr --format json" "$okr_log"
printf '%-44s %10s\n' "git log -p -- $file" "$git_log"
echo "HEAD~100..HEAD: $files files, $changes goal changes; runs: $runs"
