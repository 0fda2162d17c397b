#!/usr/bin/env bash
# Tests of the editor support: the query copies are in sync, the committed
# tree-sitter parser is what grammar.js generates, the tree-sitter corpus and
# highlight tests pass, every .okr file of examples/ and tests/fixtures/ parses
# without an ERROR node except on the lines `okr check` itself rejects, and the
# VS Code TextMate grammar passes its assertions.
#
# Needs the tree-sitter CLI (the version below), a C compiler, node and npm,
# and an `okr` binary (OKR, default target/release/okr). `.ci/run` calls it
# with `--ci`: see below, and docs/decisions.md, "Editor support and its tests in CI".
set -euo pipefail
cd "$(dirname "$0")"
editors=$PWD
root=$(cd .. && pwd)
okr=${OKR:-$root/target/release/okr}

# The CLI the committed parser was generated with, and its ABI: 14 loads in
# Neovim 0.10 and the Helix and Zed releases of 2024 as well as newer ones
# (ABI 15 needs tree-sitter 0.25 in the editor).
TREE_SITTER_VERSION=0.27.1
export TREE_SITTER_ABI_VERSION=14

step() { printf '\n== editors: %s\n' "$*"; }

# What the tests below read: a commit that changes none of it cannot change
# their outcome.
inputs=(editors grammar src/syntax examples tests/fixtures)

have_tree_sitter() {
  [ "$(tree-sitter --version 2>/dev/null | awk '{print $2}')" = "$TREE_SITTER_VERSION" ]
}

# `--ci`: a cached CLI (in ~/.cargo/bin) means the tests always run. Without
# it, they run only when the inputs differ from OKR_EDITORS_BASE (default: the
# first parent, which passed CI), installing the CLI (minutes, once a machine)
# and Debian's node and npm first; otherwise say so and stop.
if [ "${1:-}" = --ci ]; then
  if ! have_tree_sitter || ! command -v npm >/dev/null 2>&1; then
    base=${OKR_EDITORS_BASE:-HEAD^}
    if git -C "$root" rev-parse -q --verify "$base^{commit}" >/dev/null \
      && git -C "$root" diff --quiet "$base" -- "${inputs[@]}"; then
      step "skipped: tree-sitter $TREE_SITTER_VERSION or npm is not installed, and" \
        "nothing the editor tests read (${inputs[*]}) changed since $base, which passed them"
      exit 0
    fi
    if ! have_tree_sitter; then
      step "installing tree-sitter $TREE_SITTER_VERSION (a few minutes, once a machine)"
      cargo install --locked tree-sitter-cli --version "$TREE_SITTER_VERSION"
    fi
    if ! command -v npm >/dev/null 2>&1; then
      sudo=""
      if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then sudo="sudo"; fi
      $sudo apt-get update
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends nodejs npm
    fi
  fi
fi

step "query copies"
./sync-queries.sh --check

step "tree-sitter $TREE_SITTER_VERSION"
if ! have_tree_sitter; then
  echo "tree-sitter $TREE_SITTER_VERSION is needed:" \
    "cargo install --locked tree-sitter-cli --version $TREE_SITTER_VERSION" >&2
  exit 1
fi
cd "$editors/tree-sitter-okr"
generated=$(mktemp -d)
trap 'rm -rf "$generated"' EXIT
tree-sitter generate --js-runtime native --output "$generated"
if ! diff -r "$generated" src >/dev/null; then
  echo "editors/tree-sitter-okr/src is not what grammar.js generates:" \
    "run \`tree-sitter generate --js-runtime native --abi $TREE_SITTER_ABI_VERSION\` there and commit src/" >&2
  exit 1
fi
tree-sitter test

step "examples and fixtures parse"
[ -x "$okr" ] || { echo "no okr binary at $okr: cargo build --release (or set OKR)" >&2; exit 1; }
cd "$root"
mapfile -t files < <(git ls-files -- 'examples/*.okr' 'tests/fixtures/*.okr')
# The lines `okr check` rejects as syntax errors, as FILE:LINE (it exits 1 on them).
"$okr" check --format short "${files[@]}" >"$generated/check" 2>&1 || true
sed -n 's/^\([^:]*:[0-9]*\):[0-9]*: error\[okr::syntax\].*/\1/p' "$generated/check" | sort -u >"$generated/rejected"
# Each ERROR or MISSING node of tree-sitter's trees, as FILE:LINE.
printf '%s\n' "${files[@]}" >"$generated/files"
# It exits 1 on a tree with an error: that it parsed every file is read from
# its summary, so a run that failed is never taken for a clean parse.
tree-sitter parse --grammar-path editors/tree-sitter-okr --quiet --stat --paths "$generated/files" \
  >"$generated/parse" 2>&1 || true
if ! grep -q "^Total parses: ${#files[@]};" "$generated/parse"; then
  cat "$generated/parse" >&2
  echo "tree-sitter did not parse the ${#files[@]} files" >&2
  exit 1
fi
: >"$generated/errors"
sed -n 's/^\([^\t ]*\)[\t ]*Parse:.*/\1/p' "$generated/parse" | while read -r file; do
  rows=$(tree-sitter parse --grammar-path editors/tree-sitter-okr "$file" 2>/dev/null \
    | sed -n 's/.*(\(ERROR\|MISSING[^[]*\) \[\([0-9]*\),.*/\2/p' || true)
  for row in ${rows:-unknown}; do
    if [ "$row" = unknown ]; then echo "$file:?"; else echo "$file:$((row + 1))"; fi
  done >>"$generated/errors"
done
sort -u -o "$generated/errors" "$generated/errors"
unexpected=$(comm -23 "$generated/errors" "$generated/rejected")
if [ -n "$unexpected" ]; then
  echo "tree-sitter fails on lines that okr accepts:" >&2
  echo "$unexpected" >&2
  exit 1
fi
echo "${#files[@]} files: tree-sitter errs only on the $(wc -l <"$generated/errors") lines okr rejects"

step "VS Code TextMate grammar"
cd "$editors/vscode"
npm ci --prefer-offline --no-audit --no-fund --loglevel=error
npm test --silent
node --check extension.js
node -e 'for (const f of process.argv.slice(1)) JSON.parse(require("fs").readFileSync(f, "utf8"))' \
  package.json language-configuration.json
