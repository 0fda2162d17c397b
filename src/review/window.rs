//! Takes `--since` (a date, a revision or nothing), today and the cadences
//! of the goals shown; gives the review's window: the day it starts and the
//! commit whose goals are compared with the working tree, or why there is
//! none (no repository, no commit that old).

use crate::history::repo::Repo;
use crate::history::revisions::{committer_day, Point};
use crate::history::HistoryError;
use crate::model::goals::Goals;
use crate::model::period::Cadence;
use chrono::{Days, NaiveDate};

/// What `--since` names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Since {
    /// A day: the window starts there, compared from the last commit on or
    /// before it (first parent).
    Date(NaiveDate),
    /// A git revision: the window starts on its committer day.
    Revision(String),
}

impl Since {
    /// `2026-07-14` is a date; anything else is a revision (`HEAD~5`, a tag).
    pub fn parse(text: &str) -> Since {
        crate::model::period::parse_date(text)
            .map_or_else(|_| Since::Revision(text.to_string()), Since::Date)
    }
}

/// The window a review covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Window {
    /// The first day of the window.
    pub since: NaiveDate,
    /// The commit compared with the working tree, or why there is none.
    pub from: From,
}

/// Where the changes of the window are read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum From {
    /// A commit: its goals are compared with the working tree's.
    Commit(Point),
    /// No history to compare with; the words say why.
    Unavailable(String),
}

/// The default window's length in days: the shortest cadence among `goals`
/// (a file without `cadence` checks in weekly), 7 when nothing is shown. A
/// review held as often as the most frequent team checks in sees every
/// check-in once.
pub fn default_days<'g>(goals: impl IntoIterator<Item = &'g Goals>) -> i64 {
    goals
        .into_iter()
        .map(|goals| goals.cadence().days())
        .min()
        .unwrap_or_else(|| Cadence::Weekly.days())
}

/// The window for `since` (none: the `days` before `today`), read in
/// `repo` when there is one (`Err` holds why there is not).
pub fn window(
    repo: Result<&Repo, String>,
    since: Option<&Since>,
    today: NaiveDate,
    days: i64,
) -> Result<Window, HistoryError> {
    let day = match since {
        Some(Since::Date(day)) => (*day).min(today),
        Some(Since::Revision(_)) => today,
        None => today
            .checked_sub_days(Days::new(days.unsigned_abs()))
            .unwrap_or(today),
    };
    let repo = match repo {
        Ok(repo) => repo,
        Err(why) => {
            return Ok(Window {
                since: day,
                from: From::Unavailable(why),
            })
        }
    };
    if let Some(Since::Revision(revision)) = since {
        let point = repo.resolve(revision)?;
        // A commit dated after `--today` (a review as of a past day) starts
        // the window today: it cannot start later than it ends.
        let since = match &point {
            Point::Commit { id, .. } => committer_day(&repo.find_commit(*id)?).unwrap_or(day),
            Point::WorkingTree => day,
        }
        .min(today);
        return Ok(Window {
            since,
            from: From::Commit(point),
        });
    }
    let head = match repo.head() {
        Ok(Point::Commit { id, .. }) => id,
        Ok(Point::WorkingTree) | Err(HistoryError::Unborn) => {
            return Ok(Window {
                since: day,
                from: From::Unavailable("the repository has no commit yet".into()),
            })
        }
        Err(error) => return Err(error),
    };
    let from = match repo.commit_as_of(head, day)? {
        // Labelled "… (last commit on or before DAY)" by `commit_as_of`.
        Some(point) => From::Commit(point),
        None => From::Unavailable(format!(
            "no commit on or before {day}: the history starts later{}",
            if repo.is_shallow() {
                " (a shallow clone: fetch more history)"
            } else {
                ""
            }
        )),
    };
    Ok(Window { since: day, from })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_is_a_date_and_anything_else_a_revision() {
        assert_eq!(
            Since::parse("2026-07-14"),
            Since::Date(NaiveDate::from_ymd_opt(2026, 7, 14).unwrap())
        );
        assert_eq!(Since::parse("HEAD~3"), Since::Revision("HEAD~3".into()));
        assert_eq!(
            Since::parse("2026-02-30"),
            Since::Revision("2026-02-30".into())
        );
    }

    #[test]
    fn the_default_window_is_the_shortest_cadence() {
        let file = |cadence: &str| {
            let text = format!("period 2026-Q3\nteam t{cadence}\ncadence {cadence}\n");
            crate::workspace::Workspace::from_texts([("a.okr", text.as_str())])
                .goals
                .remove(0)
        };
        assert_eq!(default_days([&file("biweekly"), &file("5d")]), 5);
        assert_eq!(default_days([&file("monthly")]), 30);
        assert_eq!(default_days(std::iter::empty()), 7);
    }

    #[test]
    fn without_a_repository_the_window_says_why() {
        let today = NaiveDate::from_ymd_opt(2026, 8, 15).unwrap();
        let window = window(Err("not a git repository".into()), None, today, 7).unwrap();
        assert_eq!(window.since, NaiveDate::from_ymd_opt(2026, 8, 8).unwrap());
        assert_eq!(
            window.from,
            From::Unavailable("not a git repository".into())
        );
    }
}
