"""Writes the inputs of benches/merge.sh into WORK (standard library only):

- big/team-0001.okr (the base, ~1,750 lines; the sides ~2,000), big/ours.okr and
  big/theirs.okr: each adds two check-ins to every KR, interleaved by date;
- repo/: a git repository of 40 team files committed on 2026-07-01, then
  100 commits on `main` and 100 on `theirs`, commit i adding a check-in to
  KRs k1 and k2 (main) or k3 and k4 (theirs) of every objective of team
  i % 40, so git's line merge of the branches is clean too.

    python3 benches/merge_data.py WORK
"""

import datetime
import os
import re
import subprocess
import sys

CHECKIN = re.compile(r"^(\s+)(\d{4}-\d\d-\d\d) (\S+)")
KR = re.compile(r"^\s+kr (k\d+) ")


def with_checkins(text, days, krs=None):
    """`text` with one check-in per day of `days` after the last check-in of
    every KR (of the KRs `krs` only, when given): the latest value again."""
    lines = text.split("\n")
    out, kr = [], None
    for i, line in enumerate(lines):
        out.append(line)
        named = KR.match(line)
        if named:
            kr = named.group(1)
        reading = CHECKIN.match(line)
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if reading and not CHECKIN.match(following) and (krs is None or kr in krs):
            out.extend(f"{reading.group(1)}{day.isoformat()} {reading.group(3)}" for day in days)
    return "\n".join(out)


def generate(folder, *options):
    subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "gen_org.py"), folder, *options],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def big_files(work):
    folder = os.path.join(work, "big")
    generate(folder, "--teams", "1", "--objectives", "16", "--krs", "8", "--weeks", "12")
    base = open(os.path.join(folder, "team-0001.okr")).read()
    day = lambda n: datetime.date(2026, 9, n)
    open(os.path.join(folder, "ours.okr"), "w").write(with_checkins(base, [day(26), day(28)]))
    open(os.path.join(folder, "theirs.okr"), "w").write(with_checkins(base, [day(27), day(29)]))


def repository(work):
    repo = os.path.join(work, "repo")
    generate(repo, "--teams", "40")

    def git(*args, date="2026-07-01T09:00:00+00:00"):
        env = dict(os.environ, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, stdout=subprocess.DEVNULL)

    git("init", "-q", "-b", "main")
    git("config", "user.name", "Bench")
    git("config", "user.email", "bench@example.com")
    git("add", "-A")
    git("commit", "-q", "-m", "Q3 goals")
    git("branch", "theirs")
    for branch, krs in (("main", {"k1", "k2"}), ("theirs", {"k3", "k4"})):
        git("checkout", "-q", branch)
        for i in range(100):
            day = datetime.date(2026, 9, 29) + datetime.timedelta(days=i // 40)
            path = os.path.join(repo, f"team-{i % 40 + 1:04d}.okr")
            text = open(path).read()
            open(path, "w").write(with_checkins(text, [day], krs))
            git("commit", "-q", "-a", "-m", f"{branch} check-ins {i + 1}",
                date=f"{day.isoformat()}T10:{i % 60:02d}:00+00:00")
    git("checkout", "-q", "main")
    git("gc", "-q")


if __name__ == "__main__":
    big_files(sys.argv[1])
    repository(sys.argv[1])
