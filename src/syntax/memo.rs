//! Lines already parsed, looked up by their text. A file read at two
//! revisions (`okr diff`) differs in a few lines, so the second read parses
//! only those and copies the others with their spans moved to where they now
//! sit. Only lines pest parses are kept: a plain check-in takes the fast path
//! in less time than a copy.

use super::ast::{Attribute, Line, Statement};
use crate::model::goals::{
    CheckIn, CheckInExtra, Funnel, Graded, Initiative, KeyResult, Objective, Stage,
};
use crate::span::{Span, Spanned};
use foldhash::HashMap;

/// Parsed lines by their text (indentation included, line ending not), their
/// spans relative to the line's start. Only lines that parsed without a
/// diagnostic are kept, so a copy reports nothing a fresh parse would.
#[derive(Default)]
pub struct LineMemo<'t> {
    lines: HashMap<&'t str, Line>,
}

impl<'t> LineMemo<'t> {
    /// The line `text` parsed before, placed at byte `start`.
    pub(super) fn get(&self, text: &str, start: usize) -> Option<Line> {
        let mut line = self.lines.get(text)?.clone();
        line.relocate(offset(start));
        Some(line)
    }

    /// Keeps `line`, parsed from `text` at `line.span.start()`.
    pub(super) fn record(&mut self, text: &'t str, line: &Line) {
        if !self.lines.contains_key(text) {
            let mut relative = line.clone();
            relative.relocate(offset(line.span.start()).wrapping_neg());
            self.lines.insert(text, relative);
        }
    }

    /// The lines this memo holds from `text`, by their place in it (lines of
    /// other texts it also holds are dropped).
    pub fn keep(self, text: &str) -> KeptLines {
        let base = text.as_ptr().addr();
        let lines = self
            .lines
            .into_iter()
            .filter_map(|(key, line)| {
                let start = key.as_ptr().addr().checked_sub(base)?;
                let end = start + key.len();
                (end <= text.len()).then(|| (Span::new(start, end), line))
            })
            .collect();
        KeptLines {
            text_len: text.len(),
            lines,
        }
    }

    /// A memo of the lines `kept` from `text`, which must be the text they
    /// were kept from (a text of another length gives an empty memo).
    pub fn of_text(text: &'t str, kept: KeptLines) -> LineMemo<'t> {
        if kept.text_len != text.len() {
            return LineMemo::default();
        }
        let lines = kept
            .lines
            .into_iter()
            .filter_map(|(span, line)| Some((text.get(span.start()..span.end())?, line)))
            .collect();
        LineMemo { lines }
    }
}

/// A memo's lines apart from the text they were read from, each with its
/// place in that text: what a caller keeps while the text moves into its
/// owner, to copy the lines again into another version of the same file
/// (`okr review` reads a file's working copy, then its version at the
/// window's start from git).
#[derive(Debug, Default)]
pub struct KeptLines {
    /// The length of the text the lines were read from, checked on return.
    text_len: usize,
    lines: Vec<(Span, Line)>,
}

/// A byte offset as a span's 32 bits; spans wrap around so that moving back
/// is moving forward by the negated offset.
fn offset(start: usize) -> u32 {
    u32::try_from(start).unwrap_or(u32::MAX)
}

/// Moves every span of a node by `delta` bytes (wrapping: a negated delta
/// moves back).
trait Relocate {
    fn relocate(&mut self, delta: u32);
}

impl Relocate for Span {
    #[allow(
        clippy::cast_possible_truncation,
        reason = "a span keeps its offsets in u32, so `start()` and `end()` fit one"
    )]
    fn relocate(&mut self, delta: u32) {
        *self = Span::new(
            (self.start() as u32).wrapping_add(delta) as usize,
            (self.end() as u32).wrapping_add(delta) as usize,
        );
    }
}

impl<T> Relocate for Spanned<T> {
    fn relocate(&mut self, delta: u32) {
        self.span.relocate(delta);
    }
}

impl<T: Relocate> Relocate for Option<T> {
    fn relocate(&mut self, delta: u32) {
        if let Some(inner) = self {
            inner.relocate(delta);
        }
    }
}

impl<T: Relocate> Relocate for Vec<T> {
    fn relocate(&mut self, delta: u32) {
        self.iter_mut().for_each(|item| item.relocate(delta));
    }
}

impl<T: Relocate> Relocate for Box<T> {
    fn relocate(&mut self, delta: u32) {
        (**self).relocate(delta);
    }
}

impl<A: Relocate, B: Relocate> Relocate for (A, B) {
    fn relocate(&mut self, delta: u32) {
        self.0.relocate(delta);
        self.1.relocate(delta);
    }
}

impl Relocate for Line {
    fn relocate(&mut self, delta: u32) {
        let Line {
            span,
            indent: _,
            statement,
            comment,
        } = self;
        span.relocate(delta);
        statement.relocate(delta);
        comment.relocate(delta);
    }
}

impl Relocate for Statement {
    fn relocate(&mut self, delta: u32) {
        match self {
            Statement::Blank | Statement::Invalid => {}
            Statement::Period(period) => period.relocate(delta),
            Statement::Team { id, name } => {
                id.relocate(delta);
                name.relocate(delta);
            }
            Statement::Cadence(cadence) => cadence.relocate(delta),
            Statement::Segment { id, definition } => {
                id.relocate(delta);
                definition.relocate(delta);
            }
            Statement::Funnel(funnel) => funnel.relocate(delta),
            Statement::Stage(stage) => stage.relocate(delta),
            Statement::Objective(objective) => objective.relocate(delta),
            Statement::Why(why) => why.relocate(delta),
            Statement::Aligns(aligns) => aligns.relocate(delta),
            Statement::Type(kind) => kind.relocate(delta),
            Statement::Rollup(span) => span.relocate(delta),
            Statement::Grade(grade) => grade.relocate(delta),
            Statement::KeyResult(kr) => kr.relocate(delta),
            Statement::Attributes(attributes) => attributes.relocate(delta),
            Statement::CheckIn(checkin) => checkin.relocate(delta),
            Statement::Initiative(initiative) => initiative.relocate(delta),
        }
    }
}

impl Relocate for Attribute {
    fn relocate(&mut self, delta: u32) {
        match self {
            Attribute::Baseline(quantity) => quantity.relocate(delta),
            Attribute::Weight(weight) => weight.relocate(delta),
            Attribute::Owner(owners) => {
                owners.relocate(delta);
                owners.value.relocate(delta);
            }
            Attribute::Stage(stage) => stage.relocate(delta),
            Attribute::Due(due) => due.relocate(delta),
        }
    }
}

/// Relocates every field; the destructuring is exhaustive, so a span field
/// added to a node later does not compile until it is relocated too.
macro_rules! relocate_fields {
    ($($node:ident { $($field:ident),* })*) => {$(
        impl Relocate for $node {
            fn relocate(&mut self, delta: u32) {
                let $node { $($field),* } = self;
                $($field.relocate(delta);)*
            }
        }
    )*};
}

relocate_fields! {
    Funnel { id, title, segment, stages, span }
    Stage { id, title, conversion, value, span }
    Objective { id, title, span, why, owners, aligns, kind, segment, rollup, grade, key_results, initiatives }
    KeyResult { id, title, target, baseline, weight, owners, stage, due, grade, checkins, span }
    CheckIn { date, reading, extra, span }
    CheckInExtra { confidence, note, by }
    Initiative { id, title, owners, status, due, span }
    Graded { value, note, span }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line `text` parses to, as text (spans included), with `memo`.
    fn lines<'t>(text: &'t str, memo: Option<&mut LineMemo<'t>>) -> Vec<String> {
        let mut lines = Vec::new();
        let errors = super::super::parse_with(0, text, memo, |line| {
            lines.push(format!("{line:?}"));
        });
        assert!(errors.is_empty(), "{errors:?}");
        lines
    }

    const WORKING: &str = "period 2026-Q3\nteam a \"A\"\n\nobjective o \"O\"\n  kr k \"K\" target 10 baseline 0\n    2026-07-01 2\n";

    #[test]
    fn kept_lines_parse_another_version_as_a_fresh_parse_would() {
        let mut memo = LineMemo::default();
        lines(WORKING, Some(&mut memo));
        let kept = memo.keep(WORKING);
        assert!(kept.lines.len() >= 3, "{kept:?}");
        // The text moves to its owner; the kept lines go back with it.
        let owned = WORKING.to_string();
        let mut memo = LineMemo::of_text(&owned, kept);
        assert!(memo.lines.len() >= 3);
        let old = format!(
            "# an old comment\n{}",
            WORKING.replace("target 10", "target 12")
        );
        assert_eq!(lines(&old, Some(&mut memo)), lines(&old, None));
    }

    #[test]
    fn lines_kept_from_another_text_are_not_copied() {
        let mut memo = LineMemo::default();
        lines(WORKING, Some(&mut memo));
        let kept = memo.keep(WORKING);
        let other = format!("{WORKING}# more\n");
        assert!(LineMemo::of_text(&other, kept).lines.is_empty());
        let mut memo = LineMemo::default();
        lines(WORKING, Some(&mut memo));
        let elsewhere = "period 2026-Q3\n".to_string();
        assert!(memo.keep(&elsewhere).lines.is_empty());
    }
}
