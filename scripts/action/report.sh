#!/usr/bin/env bash
# The HTML scoreboard, for the workflow's artifact: $RUNNER_TEMP/okr-action/report/goals.html.
# The check step says what is wrong; this one never fails the job.
# shellcheck source=scripts/action/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
mkdir -p "$work/report"
status=0
okr report --format html -o "$work/report/goals.html" "${today_args[@]}" "${paths[@]}" || status=$?
if [[ ! -s "$work/report/goals.html" ]]; then
    echo "::warning title=okr report::no report: okr report exited ${status} (see the check step)"
fi
