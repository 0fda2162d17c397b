#!/usr/bin/env bash
# Seeds each fuzz target's corpus with every .okr file of examples/ and tests/.
set -euo pipefail
cd "$(dirname "$0")"
for target in parse check report fmt checkin new; do
  mkdir -p "corpus/$target"
  find ../examples ../tests -name '*.okr' | while read -r file; do
    cp "$file" "corpus/$target/$(echo "${file#../}" | tr '/' '_')"
  done
done
echo "seeded: $(ls corpus/parse | wc -l) files per target"
