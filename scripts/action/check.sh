#!/usr/bin/env bash
# `okr check --format github`: annotations on the pull request's lines; fails
# the step on errors, and on warnings with the `deny-warnings` input.
# shellcheck source=scripts/action/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
args=(check --format github "${today_args[@]}")
if [[ "${OKR_ACTION_DENY_WARNINGS:-false}" == "true" ]]; then
    args+=(--deny warnings)
fi
exec okr "${args[@]}" "${paths[@]}"
