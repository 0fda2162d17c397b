#!/usr/bin/env python3
"""Dev-only check (not run in CI): renders okr's Markdown for hostile goals
with a CommonMark renderer set up like GitHub's (tables, strike-through,
autolinks, math) and fails if any user text became a link, image, mention
candidate, strike-through, math or HTML.

    pip install markdown-it-py mdit-py-plugins linkify-it-py
    cargo build && python3 fuzz/render_markdown.py target/debug/okr
"""
import os, re, subprocess, sys, tempfile

from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

ATTACKS = [
    "@user", "@org/team", "~~strike~~", "https://evil.example/x", "www.evil.example",
    "<img src=x>", "![i](http://x.io/i.png)", "[l](http://x.io)", "$x^2$", "a|b",
    "<!-- c -->", "&lt;b&gt;", "**bold**", "_em_", "`code`", "x\\\\", "mail@evil.example",
]
TITLE = " ".join(ATTACKS).replace("\\", "\\\\").replace('"', '\\"')
GOALS = f'''period 2026-Q3
team t "T"
owner @a

objective o "{TITLE}"
  kr k "{TITLE}" target 100
    2026-07-14 10 "{TITLE}" @b
'''


def render(text):
    md = MarkdownIt("gfm-like").use(dollarmath_plugin)
    return md.render(text)


def main():
    okr = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "target/debug/okr")
    with tempfile.TemporaryDirectory() as dir:
        path = os.path.join(dir, "g.okr")
        with open(path, "w") as f:
            f.write(GOALS)
        md = subprocess.run([okr, "report", "--format", "md", "--today", "2026-08-15", path],
                            capture_output=True, text=True).stdout
        html = render(md)
        bad = [tag for tag in ["<a ", "<img", "<s>", "<del>", "<em>", "<!--", "math"] if tag in html]
        text = re.sub(r"<[^>]+>", "", html)
        if re.search(r"(?<![\w\u2060])@\w", text):
            bad.append("@mention")
        if "evil.example" not in text:
            bad.append("text lost")
        print("\n".join(line for line in html.splitlines() if "evil" in line))
        if bad:
            print("LIVE:", bad)
            sys.exit(1)
        print("inert: no link, image, strike-through, emphasis, comment, math, code or mention")


if __name__ == "__main__":
    main()
