//! Problems with single rows of a spreadsheet: each names the row and the
//! column, with a stable `okr::import::…` code (`okr explain import::CODE`).

use std::fmt;

macro_rules! row_codes {
    ($($variant:ident => $name:literal;)*) => {
        /// The stable codes of row problems (`docs/diagnostics/import/`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum RowCode {
            $(
                #[doc = concat!("`okr::import::", $name, "`")]
                $variant,
            )*
        }

        impl RowCode {
            /// Every code, in the order declared.
            pub const ALL: &'static [RowCode] = &[$(RowCode::$variant,)*];

            /// The name after `okr::import::`, e.g. `bad-number`.
            pub fn name(self) -> &'static str {
                match self {
                    $(RowCode::$variant => $name,)*
                }
            }

            /// The page `okr explain import::NAME` prints.
            pub fn explanation(self) -> &'static str {
                match self {
                    $(RowCode::$variant => include_str!(concat!("../../docs/diagnostics/import/", $name, ".md")),)*
                }
            }
        }
    };
}

row_codes! {
    MissingTitle => "missing-title";
    MissingTarget => "missing-target";
    BadNumber => "bad-number";
    BadDate => "bad-date";
    UnitMismatch => "unit-mismatch";
    UnknownParent => "unknown-parent";
    DuplicateId => "duplicate-id";
    UnknownKr => "unknown-kr";
    RefusedCheckin => "refused-checkin";
    Unreadable => "unreadable";
}

impl RowCode {
    /// Accepts `okr::import::bad-number`, `import::bad-number` and `bad-number`.
    pub fn parse(text: &str) -> Option<RowCode> {
        let name = text.trim();
        let name = name.strip_prefix("okr::").unwrap_or(name);
        let name = name.strip_prefix("import::").unwrap_or(name);
        RowCode::ALL
            .iter()
            .copied()
            .find(|code| code.name() == name)
    }
}

impl fmt::Display for RowCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "okr::import::{}", self.name())
    }
}

/// One row that was left out, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowProblem {
    /// What kind of problem it is.
    pub code: RowCode,
    /// The row's number as a spreadsheet shows it (the header is row 1
    /// when it is the first line).
    pub row: usize,
    /// The column's header as written; empty when the row as a whole is wrong.
    pub column: String,
    /// What is wrong, in one sentence (it may quote the cell).
    pub message: String,
}

impl RowProblem {
    /// A problem of `code` in `row` at `column`.
    pub fn new(code: RowCode, row: usize, column: &str, message: impl Into<String>) -> Self {
        RowProblem {
            code,
            row,
            column: column.to_string(),
            message: message.into(),
        }
    }

    /// `FILE:ROW: error[CODE]: column "X": message`, one line, every
    /// character of the spreadsheet's text made visible (a cell may hold
    /// terminal escapes).
    pub fn render(&self, file: &str) -> String {
        let column = if self.column.is_empty() {
            String::new()
        } else {
            format!("column `{}`: ", crate::escape::terminal(&self.column))
        };
        format!(
            "{}:{}: error[{}]: {column}{}\n",
            crate::escape::terminal(file),
            self.row,
            self.code,
            crate::escape::terminal(&self.message)
        )
    }
}
