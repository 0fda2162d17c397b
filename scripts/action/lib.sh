# shellcheck shell=bash disable=SC2034 # the variables are for the scripts that source this
# Shared by the okr Action's scripts (sourced, not run): the inputs, read
# from OKR_ACTION_* variables that action.yml sets (never interpolated into
# a script, so an input cannot inject shell).

set -euo pipefail

# `--today DATE` when the `today` input is set; empty otherwise (okr's own
# default: the run's date).
today_args=()
if [[ -n "${OKR_ACTION_TODAY:-}" ]]; then
    today_args=(--today "$OKR_ACTION_TODAY")
fi

# The `paths` input, split at spaces and newlines, never globbed: none means
# the whole checkout.
paths=()
if [[ -n "${OKR_ACTION_PATHS:-}" ]]; then
    set -f
    # shellcheck disable=SC2206 # splitting is the point
    paths=(${OKR_ACTION_PATHS})
    set +f
fi

# Where the HTML report and the comment's body are written.
work="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/okr-action"
mkdir -p "$work"
