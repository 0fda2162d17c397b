#!/usr/bin/env bash
# Posts the pull request's goal changes (`okr diff BASE...HEAD --format md`)
# as one comment, updated in place on every push: the comment is found again
# by the hidden marker on its first line, among the bot's comments.
# Needs OKR_ACTION_BASE, OKR_ACTION_HEAD (commits), OKR_ACTION_PR (number),
# GITHUB_REPOSITORY and, for `gh`, GH_TOKEN.
# shellcheck source=scripts/action/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
: "${OKR_ACTION_BASE:?the base commit}" "${OKR_ACTION_HEAD:?the head commit}"
: "${OKR_ACTION_PR:?the pull request number}" "${GITHUB_REPOSITORY:?owner/name}"

marker='<!-- okr-diff -->'
body="$work/comment.md"
# What the pull request changes: HEAD against its merge base with BASE
# (needs the history: actions/checkout with fetch-depth: 0).
# A file that does not parse on one side is named on stderr and left out;
# the rest is still worth the comment.
status=0
okr diff "${OKR_ACTION_BASE}...${OKR_ACTION_HEAD}" --format md "${today_args[@]}" \
    -- "${paths[@]}" >"$work/diff.md" || status=$?
if [[ ! -s "$work/diff.md" ]]; then
    echo "::error title=okr diff::okr diff exited ${status} and printed nothing"
    exit 1
fi
{
    echo "$marker"
    cat "$work/diff.md"
} >"$body"

comments="repos/${GITHUB_REPOSITORY}/issues/${OKR_ACTION_PR}/comments"
ids=$(
    gh api --paginate "$comments" \
        --jq ".[] | select(.user.type == \"Bot\" and (.body | startswith(\"${marker}\"))) | .id"
)
existing="${ids%%$'\n'*}"
if [[ -n "$existing" ]]; then
    gh api --method PATCH "repos/${GITHUB_REPOSITORY}/issues/comments/${existing}" -F "body=@${body}" >/dev/null
    echo "updated comment ${existing}"
else
    gh api --method POST "$comments" -F "body=@${body}" >/dev/null
    echo "posted a comment on #${OKR_ACTION_PR}"
fi
