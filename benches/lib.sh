# Shell functions shared by the benchmark scripts (org.sh, history.sh,
# watch.sh, compare.sh). Source it from the repository root:
#
#   cd "$(dirname "$0")/.." && . benches/lib.sh
#
# On sourcing it makes a temporary folder, $bench_tmp, and sets an EXIT trap
# that stops a watcher started by watch_recheck and removes the folder.
# Needs python3 (the generator), git, and GNU time (/usr/bin/time).

export LC_ALL=C
# git's timings must not depend on the user's configuration (pager, colour, hooks).
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1

bench_tmp=$(mktemp -d)
bench_watcher=""
bench_cleanup() {
  if [ -n "$bench_watcher" ]; then
    kill -INT "$bench_watcher" 2>/dev/null || true
    wait "$bench_watcher" 2>/dev/null || true
  fi
  rm -rf "$bench_tmp"
}
trap bench_cleanup EXIT

# Builds the release binary; sets $okr to its absolute path.
build_okr() {
  cargo build --release --quiet
  okr="${CARGO_TARGET_DIR:-$PWD/target}/release/okr"
}

# Builds the YAML baseline (benches/yaml-load, its own workspace); sets $yaml_load.
build_yaml_load() {
  cargo build --release --quiet --manifest-path benches/yaml-load/Cargo.toml
  yaml_load="${CARGO_TARGET_DIR:-$PWD/benches/yaml-load/target}/release/yaml-load"
}

# team_width TEAMS: the digits in a team number (team-0001 … team-20000).
team_width() { local w=${#1}; echo $((w > 4 ? w : 4)); }

# ensure_org DIR TEAMS [okr|yaml]: generates the organisation into DIR unless
# DIR exists (written beside it, then renamed, so an interrupted run leaves no
# half folder).
ensure_org() {
  local dir=$1 teams=$2 format=${3:-okr}
  [ -d "$dir" ] && return 0
  echo "generating $dir ($teams teams, $format)" >&2
  rm -rf "$dir.partial"
  python3 benches/gen_org.py "$dir.partial" --teams "$teams" --format "$format" >/dev/null
  mv "$dir.partial" "$dir"
}

# ensure_history REPO TEAMS: unless REPO is a git repository, builds it: the
# generated organisation committed on 2026-07-01, then 200 dated commits of
# check-ins (commit i appends one check-in to every KR of TEAMS/200 teams, at
# least one), packed with `git gc`.
ensure_history() {
  local repo=$1 teams=$2
  [ -d "$repo/.git" ] && return 0
  echo "building $repo ($teams teams, 201 commits)" >&2
  rm -rf "$repo"
  python3 benches/gen_org.py "$repo" --teams "$teams" >/dev/null
  python3 - "$repo" "$teams" <<'PY'
import datetime, os, re, subprocess, sys

repo, teams = sys.argv[1], int(sys.argv[2])
width = max(4, len(str(teams)))
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
# No automatic gc while committing (at 20,000 teams it starts in the
# background and the final `git gc` would find it running).
git("config", "gc.auto", "0")
git("add", "-A")
git("commit", "-q", "-m", "Q3 goals")
per_commit = max(1, teams // 200)
for i in range(200):
    day = datetime.date(2026, 9, 29) + datetime.timedelta(days=i // 15)
    for t in range(i * per_commit, (i + 1) * per_commit):
        check_in(os.path.join(repo, f"team-{t % teams + 1:0{width}d}.okr"), day)
    git("commit", "-q", "-a", "-m", f"Check-ins {i + 1}", date=f"{day.isoformat()}T10:{i % 60:02d}:00+00:00")
git("gc", "-q")
PY
}

# median: the median of the numbers on standard input, one a line.
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# Microseconds since the epoch, without starting a process.
now_us() { echo "${EPOCHREALTIME/[.,]/}"; }
now_ms() { echo $(($(now_us) / 1000)); }

# measure DIR CMD...: runs CMD once in DIR, its output discarded, and prints
# "MS KB": the wall time in milliseconds (from bash's clock, to the
# microsecond; GNU time's %e has only 10 ms steps) and the peak resident set
# in KB (GNU time's %M). A command that fails stops the script with its
# error output.
measure() {
  local dir=$1 here=$PWD start end status=0
  shift
  cd "$dir"
  start=$(now_us)
  /usr/bin/time -f "%e %M" -o "$bench_tmp/time" "$@" >/dev/null 2>"$bench_tmp/stderr" || status=$?
  end=$(now_us)
  cd "$here"
  if [ "$status" -ne 0 ]; then
    echo "failed (exit $status) in $dir: $*" >&2
    tail -n 20 "$bench_tmp/stderr" >&2
    exit 1
  fi
  local kb
  kb=$(tail -n 1 "$bench_tmp/time" | awk '{ print $2 }')
  awk -v us=$((end - start)) -v kb="$kb" 'BEGIN { printf "%.1f %d\n", us / 1000, kb }'
}

# bench RUNS DIR CMD...: one warm-up run (not counted), then RUNS runs; prints
# "MEDIAN_MS PEAK_KB", the peak being the largest of the runs.
bench() {
  local runs=$1 dir=$2 ms kb peak=0
  shift 2
  measure "$dir" "$@" >/dev/null
  local times=()
  for _ in $(seq "$runs"); do
    read -r ms kb < <(measure "$dir" "$@")
    times+=("$ms")
    [ "$kb" -gt "$peak" ] && peak=$kb
  done
  echo "$(printf '%s\n' "${times[@]}" | median) $peak"
}

# bench_pair RUNS DIR A... ::: B...: `bench` for two commands whose times are
# compared, run alternately (A, B, A, B, ...) so that a drift of the machine's
# speed during the runs weighs on both alike; prints
# "A_MEDIAN_MS A_PEAK_KB B_MEDIAN_MS B_PEAK_KB".
bench_pair() {
  local runs=$1 dir=$2 a=() b=() side=a ms kb
  shift 2
  for arg in "$@"; do
    if [ "$arg" = ":::" ]; then side=b; elif [ "$side" = a ]; then a+=("$arg"); else b+=("$arg"); fi
  done
  measure "$dir" "${a[@]}" >/dev/null
  measure "$dir" "${b[@]}" >/dev/null
  local a_times=() b_times=() a_peak=0 b_peak=0
  for _ in $(seq "$runs"); do
    read -r ms kb < <(measure "$dir" "${a[@]}")
    a_times+=("$ms")
    [ "$kb" -gt "$a_peak" ] && a_peak=$kb
    read -r ms kb < <(measure "$dir" "${b[@]}")
    b_times+=("$ms")
    [ "$kb" -gt "$b_peak" ] && b_peak=$kb
  done
  echo "$(printf '%s\n' "${a_times[@]}" | median) $a_peak $(printf '%s\n' "${b_times[@]}" | median) $b_peak"
}

# wait_status LOG N: waits (up to 12 s) until LOG has more than N status lines
# (lines starting with "[").
wait_status() {
  local log=$1 count=$2
  for _ in $(seq 6000); do
    [ "$(grep -c '^\[' "$log" || true)" -gt "$count" ] && return 0
    sleep 0.002
  done
  echo "timed out waiting for a status line in $log" >&2
  exit 1
}

# watch_recheck ORG RUNS: copies the organisation ORG to $bench_tmp, starts
# `okr watch` on the copy (no report), and RUNS times appends a comment line to
# one file (team TEAMS/4) and times until the run's status line appears. Sets
# watch_first (the first run's status line), watch_times (ms, one a run),
# watch_median (ms), watch_inner (median of the runs' own times from their
# status lines, ms) and watch_last (the last status line).
watch_recheck() {
  local org=$1 runs=$2 teams work log file count start
  teams=$(find "$org" -maxdepth 1 -name '*.okr' | wc -l)
  work="$bench_tmp/watch-org"
  rm -rf "$work"
  cp -r "$org" "$work"
  file=$(printf 'team-%0*d.okr' "$(team_width "$teams")" $((teams / 4 > 0 ? teams / 4 : 1)))
  log="$bench_tmp/watch-org.log"
  "$okr" watch "$work" --today 2026-08-15 >"$log" 2>&1 &
  bench_watcher=$!
  wait_status "$log" 0
  watch_first=$(grep '^\[' "$log" | head -1)
  watch_times=()
  for run in $(seq "$runs"); do
    sleep 1
    count=$(grep -c '^\[' "$log")
    start=$(now_ms)
    printf '# save %d\n' "$run" >>"$work/$file"
    wait_status "$log" "$count"
    watch_times+=($(($(now_ms) - start)))
  done
  kill -INT "$bench_watcher"
  wait "$bench_watcher" || true
  bench_watcher=""
  watch_median=$(printf '%s\n' "${watch_times[@]}" | median)
  watch_inner=$(grep -o '([0-9]* ms)$' "$log" | tail -n +2 | tr -dc '0-9\n' | median)
  watch_last=$(grep '^\[' "$log" | tail -1)
  rm -rf "$work"
}
