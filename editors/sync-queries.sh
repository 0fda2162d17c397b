#!/usr/bin/env bash
# Writes each editor's copy of the tree-sitter queries from the one source,
# tree-sitter-okr/queries/highlights.scm; `--check` only reports copies that
# are out of date (run by `cargo test`, test `editors::queries_in_sync`).
#
# Neovim and Zed read the capture names as written; Helix themes name numbers
# `constant.numeric`, so its copy renames that capture.
set -euo pipefail
cd "$(dirname "$0")"

source=tree-sitter-okr/queries/highlights.scm
mode=${1:-write}
case $mode in
  write | --check) ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

header="; Generated from editors/$source by editors/sync-queries.sh: edit that file, not this one."

neovim() { cat; }
helix() { sed -e 's/@number$/@constant.numeric/'; }
zed() { cat; }

stale=0
while read -r editor target; do
  expected=$(printf '%s\n' "$header"; "$editor" <"$source")
  if [ "$mode" = --check ]; then
    if [ ! -f "$target" ] || [ "$(cat "$target")" != "$expected" ]; then
      echo "editors/$target is out of date: run editors/sync-queries.sh" >&2
      stale=1
    fi
  else
    mkdir -p "$(dirname "$target")"
    printf '%s\n' "$expected" >"$target"
  fi
done <<'TARGETS'
neovim neovim/queries/okr/highlights.scm
helix helix/runtime/queries/okr/highlights.scm
zed zed/languages/okr/highlights.scm
TARGETS
exit $stale
