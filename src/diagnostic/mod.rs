//! Diagnostics as values: a stable code, a severity, a labelled span and help.
//! Every stage produces them; the renderers in `render/` print them.

pub mod explain;
pub mod render;
pub mod suggest;

use crate::source::FileId;
use crate::span::Span;

/// How serious a diagnostic is. Ordered from least to most severe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// A better way to write the goals; never fails a run.
    Advice,
    /// Likely a mistake; fails `okr check` only with `--deny warnings`.
    Warning,
    /// The goals are wrong or unreadable; `okr check` exits 1.
    Error,
}

impl Severity {
    /// The name in outputs: `advice`, `warning` or `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Advice => "advice",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

macro_rules! codes {
    ($($variant:ident => $name:literal, $severity:ident;)*) => {
        /// The stable diagnostic codes of SPEC §5.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $(
                #[doc = concat!("`okr::", $name, "`: `okr explain ", $name, "` says what it finds and how to fix it.")]
                $variant,
            )*
        }

        impl Code {
            /// Every code, in the order declared.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The name without the `okr::` prefix, e.g. `funnel-gap`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }

            /// How serious a finding of this code is, unless configured otherwise.
            pub fn default_severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity,)*
                }
            }

            /// The long explanation `okr explain` prints (from `docs/diagnostics/`).
            pub fn explanation(self) -> &'static str {
                match self {
                    $(Code::$variant => include_str!(concat!("../../docs/diagnostics/", $name, ".md")),)*
                }
            }
        }
    };
}

codes! {
    Syntax => "syntax", Error;
    MissingPeriod => "missing-period", Error;
    MissingTeam => "missing-team", Error;
    DuplicateId => "duplicate-id", Error;
    UnresolvedRef => "unresolved-ref", Error;
    UnknownTeam => "unknown-team", Warning;
    AlignsCycle => "aligns-cycle", Error;
    UnitMismatch => "unit-mismatch", Error;
    BadConversion => "bad-conversion", Error;
    CheckinOrder => "checkin-order", Error;
    DateOutsidePeriod => "date-outside-period", Error;
    NoKeyResults => "no-key-results", Warning;
    ActivityKr => "activity-kr", Warning;
    TooManyObjectives => "too-many-objectives", Warning;
    TooManyKrs => "too-many-krs", Warning;
    NoOwner => "no-owner", Warning;
    MissingBaseline => "missing-baseline", Warning;
    NotAStretch => "not-a-stretch", Warning;
    StaleCheckin => "stale-checkin", Warning;
    FunnelGap => "funnel-gap", Warning;
    ExceedsSegment => "exceeds-segment", Warning;
    VolumeWithoutQuality => "volume-without-quality", Advice;
    InitiativeOverdue => "initiative-overdue", Warning;
    MoneyWithoutValue => "money-without-value", Warning;
    LowConfidence => "low-confidence", Warning;
    Sandbagging => "sandbagging", Advice;
}

impl Code {
    /// Accepts `okr::funnel-gap` and `funnel-gap`.
    pub fn parse(text: &str) -> Option<Code> {
        let name = text.trim();
        let name = name.strip_prefix("okr::").unwrap_or(name);
        Code::ALL.iter().copied().find(|code| code.name() == name)
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "okr::{}", self.name())
    }
}

/// A secondary labelled span, such as "first defined here".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    /// The file the span is in.
    pub file: FileId,
    /// The text it points at.
    pub span: Span,
    /// What it says about that text.
    pub label: String,
}

/// One finding about the goals, pointing at the text it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// What kind of finding it is.
    pub code: Code,
    /// How serious it is.
    pub severity: Severity,
    /// The file it is about.
    pub file: FileId,
    /// The text it points at.
    pub span: Span,
    /// What is wrong, in one sentence.
    pub message: String,
    /// What the label at the span says; empty for none.
    pub label: String,
    /// How to fix it, when there is advice to give.
    pub help: Option<String>,
    /// Other places it involves, such as a first definition.
    pub related: Vec<Related>,
    /// Edits that would resolve it, when the rule knows them (the language
    /// server offers them as quick fixes); most diagnostics have none.
    pub fixes: Vec<Fix>,
}

/// One way to resolve a diagnostic: edits to its own file, all or none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// What the fix does, as an editor lists it: "Raise `visitors` to 59,702".
    pub title: String,
    /// The replacements, in the diagnostic's file; an empty span inserts.
    pub edits: Vec<(Span, String)>,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity; `label` marks the span.
    pub fn new(code: Code, file: FileId, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.default_severity(),
            file,
            span,
            message: message.into(),
            label: String::new(),
            help: None,
            related: Vec::new(),
            fixes: Vec::new(),
        }
    }

    /// Sets the label at the span.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    /// Sets the advice on how to fix it.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The severity this diagnostic is shown with, when not its code's default.
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Adds a way to resolve it: `edits` replace spans of its file.
    pub fn fix(mut self, title: impl Into<String>, edits: Vec<(Span, String)>) -> Self {
        self.fixes.push(Fix {
            title: title.into(),
            edits,
        });
        self
    }

    /// Adds another place, with its own label.
    pub fn related(mut self, file: FileId, span: Span, label: impl Into<String>) -> Self {
        self.related.push(Related {
            file,
            span,
            label: label.into(),
        });
        self
    }
}
