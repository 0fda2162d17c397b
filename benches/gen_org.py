#!/usr/bin/env python3
"""Generate a synthetic organisation of goals for benchmarks, as `.okr` or YAML files.

    python3 benches/gen_org.py OUTDIR [--format okr|yaml] [--teams 2000] [--weeks 13]
                               [--objectives 5] [--krs 4] [--seed 42]

Writes one file per team, OUTDIR/team-0001.okr ... (team ids t0001 ...), all for
period 2026-Q3 with a weekly cadence. Team index 0 (t0001) is the root; team i > 0
has parent (i - 1) // 10, and each of its objectives aligns to an objective of the
parent team, so alignment crosses files and never loops.

Each team has one segment and one 4-stage funnel. Each objective's KRs cycle
through: a count KR on a funnel stage, a percent KR (with baseline) on a stage's
conversion, a money KR on the last stage, another count KR. Targets are derived
from the funnel so that they are consistent with it (no funnel gaps), and every
KR gets `--weeks` weekly check-ins from 2026-07-06 whose values grow steadily.

The goals are generated once per team into plain data (`gen_team`), then written
by one of two writers: `to_okr` (the `.okr` language) or, with `--format yaml`,
`to_yaml` (team-NNNN.yaml: the same goals as a team would keep them in YAML
without `okr`; the schema is in benches/README.md). The same arguments give the
same goals in both formats.

Output is a pure function of the arguments (random.Random(seed)); with the
defaults it is about 640k lines and 17.7 MB of `.okr`. Python 3 standard library
only.
"""

import argparse
import datetime
import json
import os
import re
import random
import sys

PERIOD = "2026-Q3"
FIRST_CHECKIN = datetime.date(2026, 7, 6)
# Check-ins may not be more than 14 days after the period's last day (2026-09-30).
LAST_ALLOWED = datetime.date(2026, 10, 14)

STAGES = [
    # id, title, (min, max) historical conversion in tenths of a percent
    ("visitors", "Unique website visitors", None),
    ("signups", "Trial signups", (30, 80)),
    ("qualified", "Sales qualified leads", (250, 450)),
    ("customers", "Paid customers", (200, 350)),
]
# Each stage's KR targets are scaled by a factor from its band; bands shrink
# downstream, so a downstream target never asks for more than an upstream
# target yields through the funnel (no okr::funnel-gap).
STAGE_FACTOR = [(0.97, 1.00), (0.92, 0.95), (0.87, 0.90), (0.82, 0.85)]

AREAS = [
    "pipeline", "retention", "activation", "expansion", "brand", "onboarding",
    "partners", "self-serve", "enterprise", "community", "pricing", "quality",
]
VERBS = [
    "Grow", "Win", "Double", "Strengthen", "Accelerate", "Deepen", "Expand",
    "Build momentum in",
]
WHYS = [
    "The company plan depends on it",
    "Our customers told us this is what they value most",
    "It is the biggest lever on next quarter's revenue",
    "Last quarter showed this is where the funnel leaks",
    "Without it the rest of the plan does not add up",
]
NOTES = [
    "Campaign launched", "Holiday week, slower", "New landing page live",
    "Pricing test started", "Data backfilled from the warehouse",
    "Two big deals slipped", "Webinar brought a spike", "Tracking fixed",
]
INITIATIVE_TITLES = [
    "Weekly webinar series", "Partner referral program", "Onboarding email revamp",
    "Pricing page experiment", "Outbound pod for mid-market", "Customer advisory board",
    "Self-serve upgrade prompts", "Community office hours",
]
INITIATIVE_STATUS = ["planned", "active", "active", "done"]
HANDLES = [
    "ana", "ben", "chen", "dana", "eli", "fatima", "gus", "hana", "ivan", "jo",
    "kofi", "lena", "mia", "nils", "omar", "priya", "quinn", "rosa", "sam", "tariq",
    "uma", "vic", "wen", "yusuf", "zoe",
]


# The goals of one team, as plain data. Quantities are whole numbers: counts,
# percents in tenths of a percent (67 = 6.7%), money in dollars (USD).
#
# team:       {id, name, owner, period, cadence, segment, funnel, objectives}
# segment:    {id, name, size, unit}
# funnel:     {id, title, segment, stages: [{id, title, conversion|None, value|None}]}
# objective:  {id, title, why, owner|None, aligns|None, type|None, krs, initiatives}
# kr:         {id, title, unit: count|percent|money, target, baseline|None, stage,
#              owner|None, checkins: [{date, value, confidence|None, note|None, by|None}]}
# initiative: {title, owner, status, due}


def gen_team(rng, i, width, weeks, n_obj, n_krs):
    """The goals of team index `i` (0-based). Draws from `rng` in a fixed order."""
    tid = "t{:0{w}d}".format(i + 1, w=width)
    parent = None if i == 0 else "t{:0{w}d}".format((i - 1) // 10 + 1, w=width)
    people = ["@" + h for h in rng.sample(HANDLES, 4)]

    name = "Company" if i == 0 else "Team {}".format(i + 1)
    segment = {
        "id": "market",
        "name": "Target market of {}".format(tid),
        "size": rng.randrange(200, 900) * 1000,
        "unit": "companies",
    }

    # Funnel: historical conversions (tenths of a percent) and a deal value.
    conv = [None] + [rng.randint(lo, hi) for (_, _, (lo, hi)) in STAGES[1:]]
    deal_value = rng.randrange(30, 240) * 100  # $3,000 .. $23,900
    top = rng.randrange(20, 150) * 1000  # stage-0 volume the plan starts from
    plan = [float(top)]
    for c in conv[1:]:
        plan.append(plan[-1] * c / 1000.0)
    last = len(STAGES) - 1
    funnel = {
        "id": "demand",
        "title": "Demand funnel",
        "segment": segment["id"],
        "stages": [
            {"id": sid, "title": title, "conversion": conv[s],
             "value": deal_value if s == last else None}
            for s, (sid, title, _) in enumerate(STAGES)
        ],
    }

    def count_target(stage):
        lo, hi = STAGE_FACTOR[stage]
        return max(1, int(plan[stage] * rng.uniform(lo, hi)))

    objectives = []
    for o in range(n_obj):
        area = AREAS[(i * n_obj + o) % len(AREAS)]
        obj = {
            "id": "o{}".format(o + 1),
            "title": "{} {} for {}".format(rng.choice(VERBS), area, name),
            "why": rng.choice(WHYS),
            "owner": None, "aligns": None, "type": None,
            "krs": [], "initiatives": [],
        }
        if rng.random() < 0.6:
            obj["owner"] = rng.choice(people)
        if parent is not None:
            # Mostly the same-numbered objective of the parent, sometimes another.
            po = o if rng.random() < 0.8 else rng.randrange(n_obj)
            obj["aligns"] = "{}/o{}".format(parent, po + 1)
        if rng.random() < 0.3:
            obj["type"] = "committed"

        count_stages = [0, 1, 2, 3]
        rng.shuffle(count_stages)
        for k in range(n_krs):
            kind = k % 4
            if kind == 0 or kind == 3:
                stage = count_stages[(k // 2) % 4]
                title = STAGES[stage][1]
                unit, target, base = "count", count_target(stage), 0
            elif kind == 1:
                stage = rng.randint(1, last)
                title = STAGES[stage][1] + " conversion"
                base = conv[stage]
                # Lift the historical conversion by 5-20% of itself.
                target = base + max(1, int(round(base * rng.uniform(0.05, 0.20))))
                unit = "percent"
            else:
                stage = last
                title = "New revenue booked"
                unit, target, base = "money", count_target(last) * deal_value, 0
            kr = {
                "id": "k{}".format(k + 1), "title": title, "unit": unit,
                "target": target, "baseline": base if unit == "percent" else None,
                "stage": "{}.{}".format(funnel["id"], STAGES[stage][0]),
                "owner": rng.choice(people) if rng.random() < 0.25 else None,
                "checkins": [],
            }

            # Weekly check-ins, growing steadily towards (a bit under or over) target.
            pace = rng.uniform(0.75, 1.15) * weeks / 13.0
            steps = [rng.uniform(0.6, 1.4) for _ in range(weeks)]
            total = sum(steps)
            done = 0.0
            prev = None
            for w in range(weeks):
                done += steps[w]
                share = pace * done / total
                if unit == "percent":
                    v = base + int(round((target - base) * share))
                    if prev is not None and v < prev:
                        v = prev
                else:
                    # Money check-ins are in whole thousands ($531k).
                    scale = 1000 if unit == "money" else 1
                    v = max(1, int(target * share / scale))
                    if prev is not None and v <= prev:
                        v = prev + 1
                prev = v
                checkin = {
                    "date": FIRST_CHECKIN + datetime.timedelta(days=7 * w),
                    "value": v * 1000 if unit == "money" else v,
                    "confidence": None, "note": None, "by": None,
                }
                if rng.random() < 0.07:
                    checkin["confidence"] = rng.randrange(4, 10) * 10
                if rng.random() < 0.04:
                    checkin["note"] = rng.choice(NOTES)
                if rng.random() < 0.06:
                    checkin["by"] = rng.choice(people)
                kr["checkins"].append(checkin)
            obj["krs"].append(kr)

        if rng.random() < 0.5:
            title = rng.choice(INITIATIVE_TITLES)
            status = rng.choice(INITIATIVE_STATUS)
            owner = rng.choice(people)
            due = datetime.date(2026, 9, rng.randint(1, 30))
            obj["initiatives"].append(
                {"title": title, "owner": owner, "status": status, "due": due})
        objectives.append(obj)

    return {
        "id": tid, "name": name, "owner": "@" + HANDLES[i % len(HANDLES)],
        "period": PERIOD, "cadence": "weekly",
        "segment": segment, "funnel": funnel, "objectives": objectives,
    }


# Writers ---------------------------------------------------------------------

def group(n):
    """Integer with thousands separators: 60000 -> 60,000."""
    return "{:,}".format(int(n))


def pct_number(tenths):
    """Percent number from tenths of a percent: 67 -> 6.7, 300 -> 30."""
    whole, frac = divmod(int(tenths), 10)
    return str(whole) if frac == 0 else "{}.{}".format(whole, frac)


def pct(tenths):
    """Percent from tenths of a percent: 67 -> 6.7%, 300 -> 30%."""
    return pct_number(tenths) + "%"


def okr_quantity(unit, value, checkin=False):
    """A KR quantity in `.okr` syntax; money check-ins in thousands ($531k)."""
    if unit == "percent":
        return pct(value)
    if unit == "money":
        return "${}k".format(group(value // 1000)) if checkin else "$" + group(value)
    return group(value)


def to_okr(team):
    """The team's goals as a `.okr` file."""
    out = []
    add = out.append
    add("# Synthetic goals for {} (generated by benches/gen_org.py)".format(team["id"]))
    add("period " + team["period"])
    add('team {} "{}"'.format(team["id"], team["name"]))
    add("owner " + team["owner"])
    add("cadence " + team["cadence"])
    add("")

    seg = team["segment"]
    add('segment {} "{}" size {} {}'.format(seg["id"], seg["name"], group(seg["size"]), seg["unit"]))
    add("")

    funnel = team["funnel"]
    add('funnel {} "{}"'.format(funnel["id"], funnel["title"]))
    add("  segment " + funnel["segment"])
    for stage in funnel["stages"]:
        line = '  stage {:<9} {:<25}'.format(stage["id"], '"{}"'.format(stage["title"]))
        if stage["conversion"] is not None:
            line += " conversion " + pct(stage["conversion"])
        if stage["value"] is not None:
            line += " value $" + group(stage["value"])
        add(line.rstrip())
    add("")

    for obj in team["objectives"]:
        add('objective {} "{}"'.format(obj["id"], obj["title"]))
        add('  why "{}"'.format(obj["why"]))
        if obj["owner"] is not None:
            add("  owner " + obj["owner"])
        if obj["aligns"] is not None:
            add("  aligns " + obj["aligns"])
        if obj["type"] is not None:
            add("  type " + obj["type"])
        for kr in obj["krs"]:
            unit = kr["unit"]
            line = '  kr {} "{}" target {}'.format(kr["id"], kr["title"], okr_quantity(unit, kr["target"]))
            if kr["baseline"] is not None:
                line += " baseline " + okr_quantity(unit, kr["baseline"])
            line += " stage " + kr["stage"]
            if kr["owner"] is not None:
                line += " owner " + kr["owner"]
            add(line)
            for c in kr["checkins"]:
                line = "    {} {}".format(c["date"].isoformat(), okr_quantity(unit, c["value"], True))
                if c["confidence"] is not None:
                    line += " confidence {}%".format(c["confidence"])
                if c["note"] is not None:
                    line += ' "{}"'.format(c["note"])
                if c["by"] is not None:
                    line += " " + c["by"]
                add(line)
        for ini in obj["initiatives"]:
            add('  initiative "{}" owner {} status {} due {}'.format(
                ini["title"], ini["owner"], ini["status"], ini["due"].isoformat()))
        add("")
    return "\n".join(out)


# A plain YAML scalar that every YAML 1.1 and 1.2 loader reads as this string;
# anything else (spaces, "@handles", leading digits, "yes"/"no"...) is quoted.
PLAIN = re.compile(r"[a-z][a-z0-9_./-]*\Z")
YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def ystr(s):
    """A string as a YAML scalar: plain if unambiguous, else double-quoted.

    JSON string syntax is valid YAML double-quoted syntax (`\\"`, `\\\\`, `\\n`,
    `\\uXXXX`), so json.dumps quotes correctly, whatever the text holds."""
    if PLAIN.match(s) and s not in YAML_WORDS:
        return s
    return json.dumps(s, ensure_ascii=False)


def ynum(unit, value):
    """A quantity as a YAML number: percents as percent (6.7), money in dollars."""
    return pct_number(value) if unit == "percent" else str(value)


def to_yaml(team):
    """The team's goals as YAML, the way a team without `okr` would keep them.

    Mappings in block style; each check-in is a flow mapping on one line, the
    compact form a person appending weekly check-ins would choose."""
    out = []
    add = out.append
    add("# Synthetic goals for {} (generated by benches/gen_org.py)".format(team["id"]))
    add("team: " + ystr(team["id"]))
    add("name: " + ystr(team["name"]))
    add("period: " + ystr(team["period"]))
    add("cadence: " + ystr(team["cadence"]))
    add("owner: " + ystr(team["owner"]))
    add("")

    seg = team["segment"]
    add("segments:")
    add("  - id: " + ystr(seg["id"]))
    add("    name: " + ystr(seg["name"]))
    add("    size: {}".format(seg["size"]))
    add("    unit: " + ystr(seg["unit"]))
    add("")

    funnel = team["funnel"]
    add("funnels:")
    add("  - id: " + ystr(funnel["id"]))
    add("    title: " + ystr(funnel["title"]))
    add("    segment: " + ystr(funnel["segment"]))
    add("    stages:")
    for stage in funnel["stages"]:
        add("      - id: " + ystr(stage["id"]))
        add("        title: " + ystr(stage["title"]))
        if stage["conversion"] is not None:
            add("        conversion: " + pct_number(stage["conversion"]))
        if stage["value"] is not None:
            add("        value: {}".format(stage["value"]))
            add("        currency: USD")
    add("")

    add("objectives:")
    for obj in team["objectives"]:
        add("  - id: " + ystr(obj["id"]))
        add("    title: " + ystr(obj["title"]))
        add("    why: " + ystr(obj["why"]))
        for key in ("owner", "aligns", "type"):
            if obj[key] is not None:
                add("    {}: {}".format(key, ystr(obj[key])))
        add("    key_results:")
        for kr in obj["krs"]:
            unit = kr["unit"]
            add("      - id: " + ystr(kr["id"]))
            add("        title: " + ystr(kr["title"]))
            add("        unit: " + unit)
            if unit == "money":
                add("        currency: USD")
            add("        target: " + ynum(unit, kr["target"]))
            if kr["baseline"] is not None:
                add("        baseline: " + ynum(unit, kr["baseline"]))
            add("        stage: " + ystr(kr["stage"]))
            if kr["owner"] is not None:
                add("        owner: " + ystr(kr["owner"]))
            add("        check_ins:")
            for c in kr["checkins"]:
                fields = ["date: " + c["date"].isoformat(), "value: " + ynum(unit, c["value"])]
                if c["confidence"] is not None:
                    fields.append("confidence: {}".format(c["confidence"]))
                if c["note"] is not None:
                    fields.append("note: " + ystr(c["note"]))
                if c["by"] is not None:
                    fields.append("by: " + ystr(c["by"]))
                add("          - {" + ", ".join(fields) + "}")
        if obj["initiatives"]:
            add("    initiatives:")
            for ini in obj["initiatives"]:
                add("      - title: " + ystr(ini["title"]))
                add("        owner: " + ystr(ini["owner"]))
                add("        status: " + ystr(ini["status"]))
                add("        due: " + ini["due"].isoformat())
        add("")
    return "\n".join(out)


WRITERS = {"okr": to_okr, "yaml": to_yaml}


def main(argv=None):
    ap = argparse.ArgumentParser(description="Generate a synthetic organisation of goals for benchmarks.")
    ap.add_argument("outdir", help="folder to write team-NNNN.okr (or .yaml) files into (created if missing)")
    ap.add_argument("--format", choices=sorted(WRITERS), default="okr",
                    help="okr (default) or yaml: the same goals as YAML, team-NNNN.yaml")
    ap.add_argument("--teams", type=int, default=2000)
    ap.add_argument("--weeks", type=int, default=13, help="weekly check-ins per KR (1..15)")
    ap.add_argument("--objectives", type=int, default=5, help="objectives per team")
    ap.add_argument("--krs", type=int, default=4, help="key results per objective")
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args(argv)

    if args.teams < 1 or args.objectives < 1 or args.krs < 1:
        ap.error("--teams, --objectives and --krs must be at least 1")
    last_date = FIRST_CHECKIN + datetime.timedelta(days=7 * (args.weeks - 1))
    if args.weeks < 1 or last_date > LAST_ALLOWED:
        ap.error("--weeks must be between 1 and 15 (check-ins must stay within the period)")

    write = WRITERS[args.format]
    rng = random.Random(args.seed)
    width = max(4, len(str(args.teams)))
    os.makedirs(args.outdir, exist_ok=True)
    total_lines = 0
    total_bytes = 0
    for i in range(args.teams):
        text = write(gen_team(rng, i, width, args.weeks, args.objectives, args.krs))
        data = text.encode("utf-8")
        path = os.path.join(args.outdir, "team-{:0{w}d}.{}".format(i + 1, args.format, w=width))
        with open(path, "wb") as f:
            f.write(data)
        total_lines += text.count("\n")
        total_bytes += len(data)

    print("wrote {} files to {}: {} lines, {} bytes ({:.1f} MB)".format(
        args.teams, args.outdir, group(total_lines), group(total_bytes), total_bytes / 1e6))
    if args.objectives > 5 or args.krs > 5:
        print("note: more than 5 objectives or KRs triggers okr::too-many-* warnings",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
