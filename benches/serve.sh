#!/usr/bin/env bash
# Times `okr serve` on a generated organisation of TEAMS teams (RUNS times
# each, medians), from a client on the same machine:
#
#   1. the overview (`/`): its size and the time to the last byte;
#   2. a team's page (`/team/ID`): the same;
#   3. save → pages updated: a comment line appended to one file, until the
#      event stream announces the new generation (the overview asked for then
#      shows the save), and until a team page asked for right after the
#      announcement has come back.
#
#   benches/serve.sh [TEAMS] [RUNS]      (defaults: 2000 teams, 15 runs)
#
# Works on a copy in a temporary folder; needs python3 (the generator and the client).
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/lib.sh

teams=${1:-2000}
runs=${2:-15}
org="bench-data/org-$teams"

build_okr
ensure_org "$org" "$teams"
cp -r "$org" "$bench_tmp/org"
log="$bench_tmp/serve.log"
: >"$log"
"$okr" serve --port 0 --today 2026-08-15 "$bench_tmp/org" >"$log" 2>&1 &
bench_watcher=$!
for _ in $(seq 3000); do grep -q '^Serving' "$log" && break; sleep 0.01; done
url=$(grep -o 'http://[^ ]*' "$log")

echo "machine: $(nproc) cores, $(uname -m); load average $(cut -d' ' -f1-3 /proc/loadavg); $runs runs each"
python3 - "$url" "$runs" "$bench_tmp/org/team-0001.okr" "$teams" <<'PY'
import socket, statistics, sys, time, urllib.request
url, runs, saved, teams = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
host, port = url.split("//")[1].strip("/").split(":")

def timed(path):
    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        with urllib.request.urlopen(url.rstrip("/") + path) as answer:  # Host: 127.0.0.1
            size = len(answer.read())
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), size, times

team = "t%04d" % (teams // 2)
for name, path in [("overview /", "/"), ("team page /team/" + team, "/team/" + team)]:
    median, size, times = timed(path)
    print(f"{name}: {size / 1024:.0f} KB, median {median:.1f} ms "
          f"(runs: {' '.join(f'{t:.0f}' for t in times)})")

stream = socket.create_connection((host, int(port)))
stream.sendall(b"GET /events HTTP/1.1\r\nHost: localhost\r\n\r\n")
pending = b""
def announced():
    """Waits for the next `data:` event."""
    global pending
    while True:
        while b"\n\n" in pending:
            event, pending = pending.split(b"\n\n", 1)
            if b"data: " in event:
                return
        pending += stream.recv(65536)
def drain():
    """Forgets what was announced so far (a save may make a second run)."""
    global pending
    stream.setblocking(False)
    try:
        while stream.recv(65536):
            pass
    except BlockingIOError:
        pass
    stream.setblocking(True)
    pending = b""
announced()
times, team_times = [], []
for run in range(runs):
    time.sleep(1.0)
    drain()
    start = time.perf_counter()
    with open(saved, "a") as goals:
        goals.write(f"# save {run}\n")
    announced()
    times.append((time.perf_counter() - start) * 1000)
    with urllib.request.urlopen(url.rstrip("/") + "/team/" + team) as answer:
        answer.read()
    team_times.append((time.perf_counter() - start) * 1000)
print(f"save → pages updated (announced; the overview): median {statistics.median(times):.0f} ms "
      f"(runs: {' '.join(f'{t:.0f}' for t in times)})")
print(f"save → a team page served after it: median {statistics.median(team_times):.0f} ms "
      f"(runs: {' '.join(f'{t:.0f}' for t in team_times)})")
PY
echo "  run time inside okr (status lines): $(grep -o '([0-9]* ms)$' "$log" | tail -n +2 | tr -dc '0-9\n' | median) ms median"
echo "  first run: $(grep -m1 '^\[' "$log")"
