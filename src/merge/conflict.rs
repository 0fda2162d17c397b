//! Conflicts: what the merge could not decide, named the way people name
//! goals (`the 2026-07-14 check-in of marketing/engagement.visitors`) and
//! written as git writes them, around the one entity.

use super::tree::Kind;

/// One place both sides changed differently; the merged text has conflict
/// markers there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// One-based line of the comment above the `<<<<<<<` marker in the merged text.
    pub line: usize,
    /// What conflicts, in words: `both sides changed KR marketing/engagement.visitors`.
    pub reason: String,
}

/// How the two sides disagree about one entity.
#[derive(Clone, Copy, Debug)]
pub(super) enum Disagreement {
    /// Both changed (or both added) its line differently.
    Changed {
        /// Whether the entity is new on both sides (no base to compare with).
        added: bool,
    },
    /// Both changed the comments above it differently.
    Comments,
    /// One side deleted it, the other changed it.
    Deleted {
        /// Whether ours is the side that deleted it.
        by_ours: bool,
        /// Whether the other side's change includes new check-ins under it.
        checked_in: bool,
    },
}

impl Disagreement {
    /// The comment's words for the entity `what` (see [`describe`]).
    pub(super) fn reason(self, kind: &Kind, what: &str) -> String {
        match (self, kind) {
            (Disagreement::Changed { .. }, Kind::CheckIn(_)) => format!("{what} has two values"),
            (Disagreement::Changed { added: false }, _) => format!("both sides changed {what}"),
            (Disagreement::Changed { added: true }, _) => {
                format!("both sides added {what}, differently")
            }
            (Disagreement::Comments, _) => format!("both sides changed the comments above {what}"),
            (
                Disagreement::Deleted {
                    by_ours,
                    checked_in,
                },
                _,
            ) => {
                let (deleter, changer) = if by_ours {
                    ("ours", "theirs")
                } else {
                    ("theirs", "ours")
                };
                let change = if checked_in {
                    "checked in to it"
                } else {
                    "changed it"
                };
                format!("{deleter} deleted {what}; {changer} {change}")
            }
        }
    }
}

/// The entity `kind` under the entities `path` (outermost first), named as
/// people name it: `KR marketing/engagement.visitors`.
pub(super) fn describe(team: Option<&str>, path: &[&Kind], kind: &Kind) -> String {
    let find = |wanted: fn(&Kind) -> Option<&str>| path.iter().find_map(|kind| wanted(kind));
    let objective = find(|kind| match kind {
        Kind::Objective(id) => Some(id),
        _ => None,
    });
    let kr = find(|kind| match kind {
        Kind::KeyResult(id) => Some(id),
        _ => None,
    });
    let funnel = find(|kind| match kind {
        Kind::Funnel(id) => Some(id),
        _ => None,
    });
    let team_prefix = team.map(|team| format!("{team}/")).unwrap_or_default();
    let objective_ref = |id: &str| format!("{team_prefix}{id}");
    let kr_ref = |id: &str| format!("{team_prefix}{}.{id}", objective.unwrap_or("?"));
    let owner = || match (kr, objective, funnel) {
        (Some(kr), _, _) => format!(" of KR {}", kr_ref(kr)),
        (None, Some(objective), _) => format!(" of objective {}", objective_ref(objective)),
        (None, None, Some(funnel)) => format!(" of funnel {funnel}"),
        (None, None, None) => String::new(),
    };
    match kind {
        Kind::Root => "the file's byte-order mark".to_string(),
        Kind::Objective(id) => format!("objective {}", objective_ref(id)),
        Kind::KeyResult(id) => format!("KR {}", kr_ref(id)),
        Kind::CheckIn(date) => format!("the {date} check-in of {}", kr_ref(kr.unwrap_or("?"))),
        Kind::Initiative(name) => format!("initiative {name}{}", owner()),
        Kind::Funnel(id) => format!("funnel {id}"),
        Kind::Stage(id) => format!("stage {}.{id}", funnel.unwrap_or("?")),
        Kind::Segment(id) => format!("segment {id}"),
        Kind::Line(keywords) => format!("the `{keywords}` line{}", owner()),
        Kind::Tail => "the comments at the end of the file".to_string(),
    }
}

/// The text git's conflict markers put around the two versions of one
/// entity, after a comment (indented as the entity) that names the
/// conflict. `ours` and `theirs` are whole lines; `eol` ends every line.
pub(super) fn markers(
    reason: &str,
    indent: usize,
    ours: &str,
    theirs: &str,
    marker: usize,
    eol: &str,
) -> String {
    let whole = |side: &str| {
        if side.is_empty() || side.ends_with('\n') {
            side.to_string()
        } else {
            format!("{side}{eol}")
        }
    };
    format!(
        "{:indent$}# okr merge conflict: {reason}{eol}{open} ours{eol}{}{middle}{eol}{}{close} theirs{eol}",
        "",
        whole(ours),
        whole(theirs),
        open = "<".repeat(marker),
        middle = "=".repeat(marker),
        close = ">".repeat(marker),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn entities_are_named_by_reference() {
        let objective = Kind::Objective("engagement".into());
        let kr = Kind::KeyResult("visitors".into());
        let date = NaiveDate::from_ymd_opt(2026, 7, 14).unwrap();
        let team = Some("marketing");
        assert_eq!(
            describe(team, &[&objective], &kr),
            "KR marketing/engagement.visitors"
        );
        assert_eq!(
            describe(team, &[&objective, &kr], &Kind::CheckIn(date)),
            "the 2026-07-14 check-in of marketing/engagement.visitors"
        );
        assert_eq!(
            describe(None, &[&objective], &Kind::Line("why".into())),
            "the `why` line of objective engagement"
        );
        let deleted = Disagreement::Deleted {
            by_ours: false,
            checked_in: true,
        };
        assert_eq!(
            deleted.reason(&kr, "KR m/o.k"),
            "theirs deleted KR m/o.k; ours checked in to it"
        );
    }

    #[test]
    fn markers_end_every_line() {
        assert_eq!(
            markers("both sides changed x", 2, "  a\n", "  b", 7, "\n"),
            "  # okr merge conflict: both sides changed x\n<<<<<<< ours\n  a\n=======\n  b\n>>>>>>> theirs\n"
        );
        assert_eq!(
            markers("r", 0, "", "b\r\n", 3, "\r\n"),
            "# okr merge conflict: r\r\n<<< ours\r\n===\r\nb\r\n>>> theirs\r\n"
        );
    }
}
