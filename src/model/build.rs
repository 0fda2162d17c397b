//! The structural pass: lines → one file's `Goals`, nesting read from indentation.
//! A line in the wrong place is a syntax error that says where it belongs.

use super::goals::{Goals, KeyResult, Team};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::FileId;
use crate::span::{Span, Spanned};
use crate::syntax::apply_attribute;
use crate::syntax::ast::{Attribute, Line, Statement};

/// What an open block can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Block {
    Root,
    Funnel,
    Objective,
    KeyResult,
    /// A line that takes no children (a stage, a check-in, …).
    Leaf,
    /// A broken or misplaced line: its children are skipped silently.
    Skipped,
}

struct Frame {
    block: Block,
    indent: usize,
    child_indent: Option<usize>,
}

/// Builds one file's goals from its lines as the parser hands them over.
pub struct Builder<'t> {
    file: FileId,
    text: &'t str,
    goals: Goals,
    errors: Vec<Diagnostic>,
    stack: Vec<Frame>,
    /// Zero-based number of the next line.
    line_number: usize,
    blocks_started: bool,
    /// A broken `period` or `team` line: the header line is there, just unreadable.
    broken_period: bool,
    broken_team: bool,
}

impl<'t> Builder<'t> {
    /// A builder for file `file`, whose `text` the lines' spans point into.
    pub fn new(file: FileId, text: &'t str) -> Self {
        Builder {
            file,
            text,
            goals: Goals {
                file,
                ..Goals::default()
            },
            errors: Vec::new(),
            stack: vec![Frame {
                block: Block::Root,
                indent: 0,
                child_indent: Some(0),
            }],
            line_number: 0,
            blocks_started: false,
            broken_period: false,
            broken_team: false,
        }
    }

    /// Takes the next line of the file.
    pub fn push(&mut self, line: Line) {
        let number = self.line_number;
        self.line_number += 1;
        if let Some(codes) = line
            .comment
            .and_then(|comment| allowed_codes(&self.text[comment.start()..comment.end()]))
        {
            self.goals.allows.push((number, codes));
        }
        match line.statement {
            Statement::Blank => return,
            Statement::Invalid => self.note_broken_header(line.span),
            _ => {}
        }
        while self.stack.len() > 1
            && self
                .stack
                .last()
                .is_some_and(|frame| frame.indent >= line.indent)
        {
            self.stack.pop();
        }
        let Some(parent) = self.stack.last_mut() else {
            return;
        };
        let block = if parent.block == Block::Skipped
            || matches!(line.statement, Statement::Invalid)
        {
            Block::Skipped
        } else if let Some(expected) = parent.child_indent.filter(|&indent| indent != line.indent) {
            let parent = parent.block;
            let error = self.indentation_error(&line, expected, parent);
            self.errors.push(error);
            Block::Skipped
        } else {
            parent.child_indent = Some(line.indent);
            let parent = parent.block;
            let span = self.statement_span(&line);
            self.place(parent, line.statement, span)
        };
        self.stack.push(Frame {
            block,
            indent: line.indent,
            child_indent: None,
        });
    }
}

impl Builder<'_> {
    /// Puts a statement under its parent block; returns the block it opens.
    fn place(&mut self, parent: Block, statement: Statement, span: Span) -> Block {
        let goals = &mut self.goals;
        match (parent, statement) {
            (_, Statement::Invalid) => return Block::Skipped,
            (Block::Root, Statement::Period(period)) if !self.blocks_started => {
                let first = goals.period.as_ref().map(|first| first.span);
                match first {
                    Some(first) => self.twice("period", span, first),
                    None => goals.period = Some(period),
                }
            }
            (Block::Root, Statement::Team { id, name }) if !self.blocks_started => {
                let first = goals.team.as_ref().map(|first| first.span);
                match first {
                    Some(first) => self.twice("team", span, first),
                    None => goals.team = Some(Team { id, name, span }),
                }
            }
            (Block::Root, Statement::Cadence(cadence)) if !self.blocks_started => {
                let first = goals.cadence.as_ref().map(|first| first.span);
                match first {
                    Some(first) => self.twice("cadence", span, first),
                    None => goals.cadence = Some(cadence),
                }
            }
            (Block::Root, Statement::Attributes(attributes))
                if !self.blocks_started && is_lone_owner(&attributes) =>
            {
                let first = goals.owners.first().map(|first| first.span);
                match first {
                    Some(first) => self.twice("owner", span, first),
                    None => goals.owners = owners_of(attributes),
                }
            }
            (
                Block::Root,
                Statement::Segment {
                    id,
                    definition: Some((name, size)),
                },
            ) => {
                self.blocks_started = true;
                goals.segments.push(super::goals::Segment {
                    id,
                    name,
                    size,
                    span,
                });
            }
            (Block::Root, Statement::Funnel(funnel)) => {
                self.blocks_started = true;
                goals.funnels.push(*funnel);
                return Block::Funnel;
            }
            (Block::Root, Statement::Objective(objective)) => {
                self.blocks_started = true;
                goals.objectives.push(*objective);
                return Block::Objective;
            }
            (
                Block::Funnel,
                Statement::Segment {
                    id,
                    definition: None,
                },
            ) => {
                if let Some(funnel) = goals.funnels.last_mut() {
                    let first = funnel.segment.replace(id).map(|first| first.span);
                    if let Some(first) = first {
                        self.twice("segment", span, first);
                    }
                }
            }
            (Block::Funnel, Statement::Stage(stage)) => {
                if let Some(funnel) = goals.funnels.last_mut() {
                    funnel.stages.push(*stage);
                }
                return Block::Leaf;
            }
            (Block::Objective, statement) if is_objective_child(&statement) => {
                return self.place_in_objective(statement, span);
            }
            (Block::KeyResult, Statement::Attributes(attributes)) => {
                if let Some(kr) = last_kr(goals) {
                    for attribute in attributes {
                        if let Err(error) = apply_attribute(self.file, kr, attribute) {
                            self.errors.push(*error);
                        }
                    }
                }
            }
            (Block::KeyResult, Statement::Grade(grade)) => {
                if let Some(kr) = last_kr(goals) {
                    let first = kr.grade.replace(grade).map(|first| first.span);
                    if let Some(first) = first {
                        self.twice("grade", span, first);
                    }
                }
                return Block::Leaf;
            }
            (Block::KeyResult, Statement::CheckIn(checkin)) => {
                if let Some(kr) = last_kr(goals) {
                    kr.checkins.push(checkin);
                }
                return Block::Leaf;
            }
            (parent, statement) => {
                self.errors.push(self.misplaced(parent, &statement, span));
                return Block::Skipped;
            }
        }
        Block::Leaf
    }

    fn place_in_objective(&mut self, statement: Statement, span: Span) -> Block {
        let Some(objective) = self.goals.objectives.last_mut() else {
            return Block::Skipped;
        };
        let first = match statement {
            Statement::Why(why) => objective.why.replace(why).map(|first| ("why", first.span)),
            Statement::Aligns(aligns) => {
                objective.aligns.extend(aligns);
                None
            }
            Statement::Rollup(rollup) => objective
                .rollup
                .replace(rollup)
                .map(|first| ("rollup", first)),
            Statement::Grade(grade) => objective
                .grade
                .replace(grade)
                .map(|first| ("grade", first.span)),
            Statement::Type(kind) => objective
                .kind
                .replace(kind)
                .map(|first| ("type", first.span)),
            Statement::Segment { id, .. } => objective
                .segment
                .replace(id)
                .map(|first| ("segment", first.span)),
            Statement::Attributes(attributes) => {
                let first = objective.owners.first().map(|first| ("owner", first.span));
                if first.is_none() {
                    objective.owners = owners_of(attributes);
                }
                first
            }
            Statement::KeyResult(kr) => {
                objective.key_results.push(*kr);
                return Block::KeyResult;
            }
            Statement::Initiative(initiative) => {
                objective.initiatives.push(*initiative);
                return Block::Leaf;
            }
            _ => None,
        };
        if let Some((keyword, first)) = first {
            self.twice(keyword, span, first);
        }
        Block::Leaf
    }

    fn twice(&mut self, keyword: &str, span: Span, first: Span) {
        self.errors.push(
            Diagnostic::new(
                Code::Syntax,
                self.file,
                span,
                format!("`{keyword}` is given twice"),
            )
            .label("given again here")
            .related(self.file, first, "first given here")
            .help(format!("keep one `{keyword}` line")),
        );
    }

    fn misplaced(&self, parent: Block, statement: &Statement, span: Span) -> Diagnostic {
        let keyword = statement.keyword();
        let subject = match statement {
            Statement::CheckIn(_) => "a check-in".to_string(),
            _ => format!("`{keyword}`"),
        };
        let home = home_of(statement);
        let message = match (parent, statement) {
            (
                Block::Root,
                Statement::Period(_) | Statement::Team { .. } | Statement::Cadence(_),
            ) => {
                format!("`{keyword}` belongs in the header, before the first block")
            }
            (Block::Root, Statement::Attributes(attributes)) if is_lone_owner(attributes) => {
                "a file's `owner` belongs in the header, before the first block".to_string()
            }
            (Block::Root, Statement::Segment { .. }) => {
                "a segment needs a name and a size: `segment smb \"SMB SaaS\" size 48,000`"
                    .to_string()
            }
            (Block::Leaf, _) => {
                "this line is indented under a line that takes no children".to_string()
            }
            _ => format!("{subject} must sit {home}"),
        };
        let help = match parent {
            Block::Leaf => {
                format!("{subject} belongs {home}; indent it to match that block's other lines")
            }
            _ if home.starts_with("under") => {
                format!("move it {home}, indented deeper than that line")
            }
            _ => format!("move it {home}"),
        };
        Diagnostic::new(Code::Syntax, self.file, span, message)
            .label("misplaced")
            .help(help)
    }

    fn indentation_error(&self, line: &Line, expected: usize, parent: Block) -> Diagnostic {
        let written =
            crate::syntax::indentation_len(&self.text[line.span.start()..line.span.end()]);
        let span = Span::new(line.span.start(), line.span.start() + written.max(1));
        let message = if parent == Block::Root {
            "this line is indented, but there is no block above it to belong to".to_string()
        } else {
            format!(
                "inconsistent indentation: this line is indented {} spaces, the lines beside it {expected}",
                line.indent
            )
        };
        let span = Span::new(span.start(), span.end().min(self.text.len()));
        Diagnostic::new(Code::Syntax, self.file, span, message)
            .label("indentation")
            .help("indent every child of a block by the same amount; two spaces per level is canonical")
    }

    fn note_broken_header(&mut self, line: Span) {
        let first_word = self.text[line.start()..line.end()]
            .split_whitespace()
            .next();
        self.broken_period |= first_word == Some("period");
        self.broken_team |= first_word == Some("team");
    }

    /// The line without its indentation, trailing comment and spaces, so a
    /// structural error points at the statement itself.
    fn statement_span(&self, line: &Line) -> Span {
        let start = line.span.start()
            + crate::syntax::indentation_len(&self.text[line.span.start()..line.span.end()]);
        let end = line.comment.map_or(line.span.end(), Span::start);
        let trimmed = self.text[start..end.max(start)].trim_end();
        Span::new(start, start + trimmed.len())
    }

    /// Hands over the objectives that are complete (every one but the last,
    /// which later lines may still add to), in order, and forgets them: a
    /// reader comparing objective by objective holds a few, not the file.
    pub fn take_finished_objectives(&mut self) -> std::vec::Drain<'_, super::goals::Objective> {
        let finished = self.goals.objectives.len().saturating_sub(1);
        self.goals.objectives.drain(..finished)
    }

    /// The goals, and the structural errors found.
    pub fn finish(mut self) -> (Goals, Vec<Diagnostic>) {
        // Whole organisations stay in memory for cross-file checks: drop the slack.
        for objective in &mut self.goals.objectives {
            for kr in &mut objective.key_results {
                kr.checkins.shrink_to_fit();
            }
            objective.key_results.shrink_to_fit();
        }
        let start = Span::new(0, 0);
        if self.goals.period.is_none() && !self.broken_period {
            self.errors.push(
                Diagnostic::new(
                    Code::MissingPeriod,
                    self.file,
                    start,
                    "this file has no `period` line",
                )
                .label("the header starts here")
                .help("add the period the goals are for to the header, e.g. `period 2026-Q3`"),
            );
        }
        if self.goals.team.is_none() && !self.broken_team {
            self.errors.push(
                Diagnostic::new(Code::MissingTeam, self.file, start, "this file has no `team` line")
                    .label("the header starts here")
                    .help("add the team whose goals these are to the header, e.g. `team marketing \"Marketing\"`"),
            );
        }
        (self.goals, self.errors)
    }
}

fn is_objective_child(statement: &Statement) -> bool {
    match statement {
        Statement::Why(_)
        | Statement::Aligns(_)
        | Statement::Type(_)
        | Statement::Rollup(_)
        | Statement::Grade(_)
        | Statement::KeyResult(_)
        | Statement::Initiative(_)
        | Statement::Segment {
            definition: None, ..
        } => true,
        Statement::Attributes(attributes) => is_lone_owner(attributes),
        _ => false,
    }
}

fn is_lone_owner(attributes: &[Attribute]) -> bool {
    matches!(attributes, [Attribute::Owner(_)])
}

fn owners_of(attributes: Vec<Attribute>) -> Vec<Spanned<String>> {
    match attributes.into_iter().next() {
        Some(Attribute::Owner(owners)) => owners.value,
        _ => Vec::new(),
    }
}

fn last_kr(goals: &mut Goals) -> Option<&mut KeyResult> {
    goals
        .objectives
        .last_mut()
        .and_then(|objective| objective.key_results.last_mut())
}

/// Where a statement belongs, for "must sit …" messages.
fn home_of(statement: &Statement) -> &'static str {
    match statement {
        Statement::Period(_) | Statement::Team { .. } | Statement::Cadence(_) => {
            "in the header, before the first block"
        }
        Statement::Funnel(_)
        | Statement::Objective(_)
        | Statement::Segment {
            definition: Some(_),
            ..
        } => "at the top level, not indented",
        Statement::Segment { .. } => "under a `funnel` or an `objective`",
        Statement::Stage(_) => "under a `funnel`",
        Statement::Why(_)
        | Statement::Aligns(_)
        | Statement::Type(_)
        | Statement::Rollup(_)
        | Statement::KeyResult(_)
        | Statement::Initiative(_) => "under an `objective`",
        Statement::Grade(_) => "under an `objective` or a `kr`",
        Statement::Attributes(attributes) if is_lone_owner(attributes) => {
            "in the header, under an `objective`, or under a `kr`"
        }
        Statement::CheckIn(_) | Statement::Attributes(_) => "under a `kr`",
        Statement::Blank | Statement::Invalid => "in its block",
    }
}

/// The codes of a `# okr:allow(a, okr::b)` comment.
fn allowed_codes(comment: &str) -> Option<Vec<Code>> {
    let start = comment.find("okr:allow(")? + "okr:allow(".len();
    let inner = &comment[start..];
    let inner = &inner[..inner.find(')')?];
    Some(inner.split(',').filter_map(Code::parse).collect())
}
