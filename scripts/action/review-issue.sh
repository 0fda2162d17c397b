#!/usr/bin/env bash
# Posts the weekly review (`okr review --format md`) as the body of one open
# issue carrying a label: the issue is edited when there is one, opened when
# there is none (the label made first, so the search finds it next week).
# Reads OKR_ACTION_TODAY and OKR_ACTION_PATHS as the Action's other scripts
# do, OKR_REVIEW_LABEL (default okr-review), OKR_REVIEW_TITLE (default
# "Weekly goals review"), OKR_REVIEW_SINCE (empty: okr's default window),
# GITHUB_REPOSITORY and, for `gh`, GH_TOKEN.
# shellcheck source=scripts/action/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
: "${GITHUB_REPOSITORY:?owner/name}"

label="${OKR_REVIEW_LABEL:-okr-review}"
title_prefix="${OKR_REVIEW_TITLE:-Weekly goals review}"
since_args=()
if [[ -n "${OKR_REVIEW_SINCE:-}" ]]; then
    since_args=(--since "$OKR_REVIEW_SINCE")
fi

body="$work/review.md"
status=0
okr review --format md "${since_args[@]}" "${today_args[@]}" "${paths[@]}" >"$body" || status=$?
if [[ "$status" -ne 0 || ! -s "$body" ]]; then
    echo "::error title=okr review::okr review exited ${status}"
    exit 1
fi
# The week the review is for, from its own heading's last date (today).
day=$(sed -n '1s/.* to \([0-9-]*\)$/\1/p' "$body")
title="${title_prefix}: ${day:-$(date -u +%F)}"

existing=$(
    gh issue list --repo "$GITHUB_REPOSITORY" --label "$label" --state open \
        --json number --jq '.[].number'
)
existing="${existing%%$'\n'*}"
if [[ -n "$existing" ]]; then
    gh issue edit "$existing" --repo "$GITHUB_REPOSITORY" --title "$title" --body-file "$body" >/dev/null
    echo "updated issue #${existing}"
else
    gh label create "$label" --repo "$GITHUB_REPOSITORY" --force \
        --color 0e8a16 --description "The weekly goals review (okr review)" >/dev/null
    gh issue create --repo "$GITHUB_REPOSITORY" --title "$title" --label "$label" \
        --body-file "$body" >/dev/null
    echo "opened the weekly review issue"
fi
