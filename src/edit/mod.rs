//! Stage 5, editing: changes to goal files that keep every byte the user
//! wrote except the ones the command is about. Each editor works from the
//! parser's lines and spans (never by printing the model back), and checks
//! its result by parsing it again before anything is written.

pub mod checkin;
pub mod fmt;
pub mod new_period;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::build::Builder;
use crate::model::goals::{Goals, Objective};
use crate::model::meaning::SameMeaning;
use crate::syntax::ast::Line;

const BOM: &str = "\u{feff}";

/// One file read for editing: its lines as the parser gave them, its goals,
/// and every diagnostic the parser and the structural pass found.
pub struct Parsed {
    /// Every line, with its statement and span.
    pub lines: Vec<Line>,
    /// The goals built from the lines.
    pub goals: Goals,
    /// Syntax and structure errors; an edit refuses a file with any.
    pub errors: Vec<Diagnostic>,
}

impl Parsed {
    /// Whether the file failed to parse: editing it could lose what it says.
    pub fn has_syntax_errors(&self) -> bool {
        self.errors.iter().any(|error| error.code == Code::Syntax)
    }
}

/// Parses and builds `text` as file 0, keeping the lines for the editors.
pub fn parse(text: &str) -> Parsed {
    let mut lines = Vec::new();
    let (goals, errors) = crate::workspace::build(0, text, None, |line| lines.push(line.clone()));
    Parsed {
        lines,
        goals,
        errors,
    }
}

/// The file's line ending, as its first line ends (LF when it has one line).
pub fn line_ending(text: &str) -> &'static str {
    match text.find('\n') {
        Some(at) if at > 0 && text.as_bytes()[at - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// The byte-order mark the file starts with, kept on every rewrite.
pub fn bom(text: &str) -> &'static str {
    if text.starts_with(BOM) {
        BOM
    } else {
        ""
    }
}

/// Reads `text` as `parse` does, showing each line to `seen`, without
/// keeping its goals: every diagnostic `parse` gives, in the same order, in
/// the memory of one objective rather than of the file's goals.
pub fn diagnostics(text: &str, seen: impl FnMut(&Line)) -> Vec<Diagnostic> {
    crate::workspace::diagnostics_only(0, text, seen)
}

/// Whether `a` and `b` parse without syntax errors and say the same thing:
/// their goals equal in meaning ([`SameMeaning`]: every value, positions
/// left out). Both texts are read side by side, a
/// top-level block of each at a time, and their objectives compared as they
/// are complete, so neither file's goals are ever held whole (a 250 MB file
/// has gigabytes of them).
pub fn same_meaning(a: &str, b: &str) -> bool {
    let mut a = Reader::new(a);
    let mut b = Reader::new(b);
    loop {
        let more = a.step() | b.step();
        if !a.compare_with(&mut b) {
            return false;
        }
        if !more {
            break;
        }
    }
    let (Some(rest_a), Some(rest_b)) = (a.finish(), b.finish()) else {
        return false;
    };
    a.compare_with(&mut b)
        && a.objectives.is_empty()
        && b.objectives.is_empty()
        && rest_a.same_meaning(&rest_b)
}

/// One side of [`same_meaning`]: a text read part by part into a builder.
struct Reader<'t> {
    text: &'t str,
    /// Where the next part starts; `None` once every line is read.
    next: Option<usize>,
    builder: Builder<'t>,
    syntax_errors: bool,
    /// Complete objectives not yet compared, in order.
    objectives: std::collections::VecDeque<Objective>,
}

impl<'t> Reader<'t> {
    fn new(text: &'t str) -> Self {
        Reader {
            text,
            next: Some(0),
            builder: Builder::new(0, text),
            syntax_errors: false,
            objectives: std::collections::VecDeque::new(),
        }
    }

    /// Reads the next top-level block (its first line and every line up to
    /// the next top-level statement); false once the text is read.
    fn step(&mut self) -> bool {
        let Some(start) = self.next else {
            return false;
        };
        let end = next_block(self.text, start);
        let builder = &mut self.builder;
        let errors = crate::syntax::parse_part(0, self.text, start..end, |line| builder.push(line));
        // A tab in the indentation is read as spaces: the text still says
        // the same, which `okr fmt` relies on to rewrite the tab.
        self.syntax_errors |= errors
            .iter()
            .any(|error| !crate::syntax::errors::is_tab_in_indentation(error));
        self.objectives
            .extend(self.builder.take_finished_objectives());
        self.next = (end < self.text.len()).then_some(end);
        self.next.is_some()
    }

    /// Compares the objectives both sides have complete, and forgets them.
    fn compare_with(&mut self, other: &mut Reader<'_>) -> bool {
        let pairs = self.objectives.len().min(other.objectives.len());
        self.objectives
            .drain(..pairs)
            .zip(other.objectives.drain(..pairs))
            .all(|(a, b)| a.same_meaning(&b))
    }

    /// The goals left once every line is read (their objectives moved to
    /// `objectives`), or `None` when the text has syntax errors.
    fn finish(&mut self) -> Option<Goals> {
        let builder = std::mem::replace(&mut self.builder, Builder::new(0, self.text));
        let (mut goals, diagnostics) = builder.finish();
        if self.syntax_errors || diagnostics.iter().any(|d| d.code == Code::Syntax) {
            return None;
        }
        self.objectives.extend(goals.objectives.drain(..));
        Some(goals)
    }
}

/// Where the top-level block after the one starting at `start` starts: the
/// next line, after the first, that begins with neither whitespace nor a
/// comment; the text's length when there is none.
fn next_block(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut from = start;
    while let Some(newline) = memchr::memchr(b'\n', &bytes[from..]) {
        let line = from + newline + 1;
        match bytes.get(line) {
            None => return bytes.len(),
            Some(b' ' | b'\t' | b'\r' | b'\n' | b'#') => from = line,
            Some(_) => return line,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_endings_and_marks_are_read_from_the_text() {
        assert_eq!(line_ending("a\r\nb\n"), "\r\n");
        assert_eq!(line_ending("a\nb\r\n"), "\n");
        assert_eq!(line_ending("a"), "\n");
        assert_eq!(bom("\u{feff}period 2026"), BOM);
        assert_eq!(bom("period 2026"), "");
    }

    /// Whether the whole goals of two texts mean the same ([`SameMeaning`]).
    fn goals_alike(a: &str, b: &str) -> bool {
        parse(a).goals.same_meaning(&parse(b).goals)
    }

    #[test]
    fn layout_does_not_change_the_meaning() {
        let a = "period 2026-Q3\nteam a\nobjective o \"O\"\n  kr k \"K\" target 5\n";
        let b = "\n\nperiod   2026-Q3\nteam a\n\n\nobjective o \"O\"\n    kr k \"K\"   target 5\n";
        assert!(goals_alike(a, b));
        let c = "period 2026-Q3\nteam a\nobjective o \"O\"\n  kr k \"K\" target 6\n";
        assert!(!goals_alike(a, c));
    }

    const THREE: &str = "period 2026-Q3\nteam a\nowner @x\n\nfunnel f\n  stage s \"S\"\n  stage t \"T\" conversion 5%\n\n# about o\nobjective o \"O\"\n  kr k \"K\" target 5\n    2026-07-06 1\nobjective p \"P\"\n  kr k \"K\" target 5 # okr:allow(funnel-gap)\n    2026-07-06 2 \"note\" @y\nobjective q \"Q\"\n  kr k \"K\" target 5\n";

    /// The side-by-side comparison agrees with that of the whole goals,
    /// and finds a change in any objective, the header or a funnel.
    #[test]
    fn same_meaning_compares_every_part() {
        let relaid = THREE
            .replace("\n  ", "\n      ")
            .replace("objective", "\n\n# c\nobjective   ")
            .replace("\n", "\r\n");
        assert!(goals_alike(THREE, &relaid));
        assert!(same_meaning(THREE, THREE));
        assert!(same_meaning(THREE, &relaid));
        assert!(same_meaning(&format!("\u{feff}{THREE}"), THREE));
        assert!(same_meaning("", "\n\n"));
        for changed in [
            THREE.replace("2026-07-06 2", "2026-07-06 3"),
            THREE.replace("objective q \"Q\"", "objective r \"Q\""),
            THREE.replace("\"note\"", "\"Note\""),
            THREE.replace("owner @x", "owner @z"),
            THREE.replace("conversion 5%", "conversion 6%"),
            THREE.replace("# okr:allow(funnel-gap)", ""),
            THREE.replace("objective q \"Q\"\n  kr k \"K\" target 5\n", ""),
            format!("{THREE}objective r \"R\"\n"),
            // A check-in moved from one objective's KR to the next one's.
            THREE
                .replace("    2026-07-06 1\n", "")
                .replace("funnel-gap)\n", "funnel-gap)\n    2026-07-06 1\n"),
        ] {
            assert!(!goals_alike(THREE, &changed), "{changed}");
            assert!(!same_meaning(THREE, &changed), "{changed}");
            assert!(!same_meaning(&changed, THREE), "{changed}");
        }
        // A text with syntax errors means nothing comparable.
        let broken = THREE.replace("target 5\n    2026-07-06 1", "target\n    2026-07-06 1");
        assert!(!same_meaning(&broken, &broken));
    }

    /// A file that sets every field of the model, each value written once.
    const EVERY_FIELD: &str = r#"period 2026-Q3
team growth "Growth"
owner @noor
cadence weekly

segment data "Data teams" size 120,000 companies

funnel plg "Product-led"
  segment data
  stage visitors "Visitors"
  stage customers "Customers" conversion 4.5% value $4,800

objective acq "Acquire"
  why "Because"
  owner @kai
  aligns company/revenue
  type committed
  segment data
  kr visitors "Visits" target 220,000 baseline 1,000 weight 2 stage plg.visitors due 2026-09-01
    owner @sam
    2026-07-06 15,800 confidence 70% "note" @lee
  kr launch "Launch" milestone
    2026-07-13 pending
    2026-07-20 done
  kr churn "Churn" target <= 2% # okr:allow(funnel-gap)
  initiative pricing "Pricing page" owner @ada status active due 2026-08-24
  initiative "Tours"
"#;

    /// Equality of meaning leaves out layout, and only layout: a change to
    /// any one value of any part of the model is seen, by the comparison of
    /// the whole goals and by the side-by-side one.
    #[test]
    fn meaning_sees_every_field_and_no_layout() {
        let relaid = [
            EVERY_FIELD.replace("\n  ", "\n    "),
            EVERY_FIELD
                .replace("target ", "target    ")
                .replace("owner ", "owner  ")
                .replace("\n", "\r\n"),
            EVERY_FIELD.replace("\n", "\n\n# a comment\n"),
            EVERY_FIELD.replace("\"Because\"", "\"Because\" # said twice"),
            // Attributes moved from the KR's line to lines of their own.
            EVERY_FIELD.replace(
                " weight 2 stage plg.visitors due 2026-09-01\n",
                "\n    weight 2\n    stage plg.visitors\n    due 2026-09-01\n",
            ),
        ];
        for text in &relaid {
            assert!(!parse(text).has_syntax_errors(), "{text}");
            assert!(goals_alike(EVERY_FIELD, text), "{text}");
            assert!(same_meaning(EVERY_FIELD, text), "{text}");
        }
        let changes = [
            ("2026-Q3", "2026-Q4"),
            ("team growth", "team grow"),
            ("\"Growth\"", "\"Grow\""),
            ("owner @noor", "owner @nora"),
            ("cadence weekly", "cadence monthly"),
            ("segment data \"", "segment date \""),
            ("\"Data teams\"", "\"Data team\""),
            ("size 120,000", "size 120,001"),
            ("companies", "firms"),
            ("funnel plg", "funnel plc"),
            ("\"Product-led\"", "\"Product led\""),
            ("  segment data\n  stage", "  segment date\n  stage"),
            ("stage visitors", "stage visitor"),
            ("\"Customers\"", "\"Customer\""),
            ("conversion 4.5%", "conversion 4.6%"),
            ("value $4,800", "value €4,800"),
            ("value $4,800", "value $4,900"),
            ("objective acq", "objective acquire"),
            ("\"Acquire\"", "\"Acquire!\""),
            ("\"Because\"", "\"Why not\""),
            ("owner @kai", "owner @kay"),
            ("company/revenue", "company/revenue.arr"),
            ("type committed", "type aspirational"),
            ("  segment data\n  kr", "  segment date\n  kr"),
            ("kr visitors", "kr visits"),
            ("\"Visits\"", "\"Visitors\""),
            ("target 220,000", "target 220,001"),
            ("target 220,000", "target <= 220,000"),
            ("baseline 1,000", "baseline 1,001"),
            ("weight 2", "weight 3"),
            ("stage plg.visitors", "stage plg.customers"),
            ("due 2026-09-01", "due 2026-09-02"),
            ("owner @sam", "owner @sal"),
            ("2026-07-06", "2026-07-07"),
            ("15,800", "15,801"),
            ("confidence 70%", "confidence 71%"),
            ("\"note\"", "\"Note\""),
            ("@lee", "@lea"),
            ("2026-07-13 pending", "2026-07-13 done"),
            ("<= 2%", "<= 3%"),
            ("# okr:allow(funnel-gap)", "# okr:allow(no-owner)"),
            ("# okr:allow(funnel-gap)", ""),
            ("initiative pricing", "initiative price"),
            ("\"Pricing page\"", "\"Pricing\""),
            ("owner @ada", "owner @adam"),
            ("status active", "status done"),
            ("due 2026-08-24", "due 2026-08-25"),
            ("initiative \"Tours\"", "initiative tours \"Tours\""),
            // A number is compared as written, its scale too.
            ("weight 2", "weight 2.0"),
            ("confidence 70%", "confidence 70.0%"),
        ];
        for (from, to) in changes {
            assert!(EVERY_FIELD.contains(from), "{from}");
            let changed = EVERY_FIELD.replacen(from, to, 1);
            assert!(!parse(&changed).has_syntax_errors(), "{changed}");
            assert!(!goals_alike(EVERY_FIELD, &changed), "{from} → {to}");
            assert!(!goals_alike(&changed, EVERY_FIELD), "{from} → {to}");
            assert!(!same_meaning(EVERY_FIELD, &changed), "{from} → {to}");
            assert!(!same_meaning(&changed, EVERY_FIELD), "{from} → {to}");
        }
    }

    /// Reading without the goals gives the diagnostics `parse` gives.
    #[test]
    fn diagnostics_are_those_of_parse() {
        for text in [THREE, "team a\nobjective o\n  kr\n", ""] {
            let mut lines = 0;
            let found = diagnostics(text, |_| lines += 1);
            let parsed = parse(text);
            assert_eq!(format!("{found:?}"), format!("{:?}", parsed.errors));
            assert_eq!(lines, parsed.lines.len());
        }
    }
}
