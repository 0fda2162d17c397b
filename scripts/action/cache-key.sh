#!/usr/bin/env bash
# Prints `key=okr-OS-HASH` for actions/cache: HASH covers every file the okr
# binary is built from, in the Action's own checkout (GITHUB_ACTION_PATH),
# so a moving ref (a branch) never serves a stale build and two refs of the
# same source share one.
set -euo pipefail
cd "${GITHUB_ACTION_PATH:?run by the okr Action}"
hash=$(
    find Cargo.toml Cargo.lock src grammar templates docs/diagnostics -type f -print0 |
        LC_ALL=C sort -z |
        xargs -0 sha256sum |
        sha256sum |
        cut -c1-32
)
echo "key=okr-${RUNNER_OS:-$(uname -s)}-${hash}"
