//! Takes the goals shown and today; gives the owners who owe a check-in:
//! each owner's stale KRs (`crate::score::stale_since`), with the
//! `okr checkin` command that pays the debt, quoted for a POSIX shell.

use super::state::Scored;
use crate::model::goals::Goals;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Where KRs nobody owns are listed.
pub const NO_OWNER: &str = "(no owner)";

/// One owner and the stale KRs they own.
#[derive(Clone, Debug, PartialEq)]
pub struct Owner {
    /// `@sam`, or [`NO_OWNER`].
    pub handle: String,
    /// Their stale KRs, in the order of the files and the goals.
    pub key_results: Vec<Owed>,
}

/// A KR waiting for a check-in.
#[derive(Clone, Debug, PartialEq)]
pub struct Owed {
    /// `team/objective.kr`.
    pub reference: String,
    /// The KR's title.
    pub title: String,
    /// The latest check-in's day and reading as written; none when there is none.
    pub last: Option<(NaiveDate, String)>,
    /// The day the KR went without a reading from (its last check-in, or
    /// the period's start).
    pub since: NaiveDate,
    /// The command that adds the missing check-in, `VALUE` to fill in.
    pub command: String,
}

/// Every owner who owes a check-in, by handle; a KR with several owners is
/// owed by each. `file_of(goals)` is the `--in` path a command needs (none
/// when the goals were found in the current folder).
pub fn owed(
    shown: &[Scored<'_>],
    today: NaiveDate,
    file_of: impl Fn(&Goals) -> Option<String>,
) -> Vec<Owner> {
    let mut by_owner: BTreeMap<String, Vec<Owed>> = BTreeMap::new();
    for file in shown {
        let goals = file.goals;
        let Some(period) = &goals.period else {
            continue;
        };
        let path = file_of(goals);
        for (objective, kr, score) in file.key_results() {
            // Never set on a done KR (`score::score_kr_with`).
            if !score.stale {
                continue;
            }
            let Some(since) = crate::score::stale_since(kr, &period.value, goals.cadence(), today)
            else {
                continue;
            };
            let reference = file.reference(&objective.id.value, &kr.id.value);
            let owners = [&kr.owners, &objective.owners, &goals.owners]
                .into_iter()
                .find(|owners| !owners.is_empty())
                .map_or_else(
                    || vec![NO_OWNER.to_string()],
                    |owners| owners.iter().map(|o| o.value.clone()).collect(),
                );
            let last = score
                .last_checkin
                .and_then(|at| kr.checkins.get(at))
                .map(|c| (c.date.value, c.reading.value.to_string()));
            for owner in owners {
                let by = (owner != NO_OWNER).then_some(owner.as_str());
                by_owner.entry(owner.clone()).or_default().push(Owed {
                    reference: reference.clone(),
                    title: kr.title.value.clone(),
                    last: last.clone(),
                    since,
                    command: command(&reference, by, path.as_deref()),
                });
            }
        }
    }
    by_owner
        .into_iter()
        .map(|(handle, key_results)| Owner {
            handle,
            key_results,
        })
        .collect()
}

/// `okr checkin REF VALUE [--by HANDLE] [--in FILE]`, each argument quoted
/// where a POSIX shell would read it otherwise (a file name with a space or
/// a `$`). `VALUE` is left for the owner: the reading in the target's unit.
pub fn command(reference: &str, by: Option<&str>, file: Option<&str>) -> String {
    let mut words = vec!["okr", "checkin", reference, "VALUE"];
    if let Some(by) = by {
        words.extend(["--by", by]);
    }
    if let Some(file) = file {
        words.extend(["--in", file]);
    }
    // Only a NUL cannot be quoted, and no path or handle holds one.
    shlex::try_join(words).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_quote_what_a_shell_would_read() {
        assert_eq!(
            command("growth/o.k", Some("@sam"), None),
            "okr checkin growth/o.k VALUE --by @sam"
        );
        let path = "goals/it's $HOME;`rm` \"x\".okr";
        let quoted = command("growth/o.k", None, Some(path));
        assert_eq!(
            shlex::split(&quoted).unwrap(),
            ["okr", "checkin", "growth/o.k", "VALUE", "--in", path]
        );
        // Nothing a shell expands is left outside single quotes.
        assert!(quoted.ends_with(r#"'$HOME;`rm` "x".okr'"#), "{quoted}");
    }

    #[test]
    fn a_stale_kr_is_owed_by_each_of_its_owners() {
        let text = concat!(
            "period 2026-Q3\nteam growth\nowner @lead\n",
            "objective o \"O\"\n",
            "  kr a \"A\" target 10\n    owner @ana @ben\n    2026-07-01 2\n",
            "  kr b \"B\" target 10\n    2026-08-14 3\n",
        );
        let workspace = crate::workspace::Workspace::from_texts([("g.okr", text)]);
        let today = NaiveDate::from_ymd_opt(2026, 8, 15).unwrap();
        let scored: Vec<Scored> = workspace
            .goals
            .iter()
            .map(|goals| Scored::new(goals, today))
            .collect();
        let owners = owed(&scored, today, |_| None);
        let handles: Vec<&str> = owners.iter().map(|o| o.handle.as_str()).collect();
        assert_eq!(handles, ["@ana", "@ben"]);
        let owed = &owners[0].key_results[0];
        assert_eq!(owed.reference, "growth/o.a");
        assert_eq!(owed.since, NaiveDate::from_ymd_opt(2026, 7, 1).unwrap());
        assert_eq!(owed.last.as_ref().map(|l| l.1.as_str()), Some("2"));
        assert_eq!(owed.command, "okr checkin growth/o.a VALUE --by @ana");
    }
}
