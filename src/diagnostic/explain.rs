//! `okr explain CODE`: the long explanation of a diagnostic code.

use crate::diagnostic::Code;

/// A code okr does not have; `Display` lists the codes there are and the
/// nearest match.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "no diagnostic code `{code}`{}\n\nthe codes are:\n{}",
    did_you_mean(code),
    every_code()
)]
pub struct UnknownCode {
    /// The code as given.
    pub code: String,
}

/// The explanation of `code` (`okr::funnel-gap` or `funnel-gap`).
pub fn explain(code: &str) -> Result<&'static str, UnknownCode> {
    Code::parse(code)
        .map(Code::explanation)
        // `okr import`'s row codes: `okr::import::bad-number`.
        .or_else(|| {
            let name = code.trim().trim_start_matches("okr::");
            name.strip_prefix("import::")
                .and_then(crate::import::RowCode::parse)
                .map(crate::import::RowCode::explanation)
        })
        .ok_or_else(|| UnknownCode { code: code.into() })
}

/// A blank line and ``did you mean `okr::…`?`` for the nearest code, when one is near.
fn did_you_mean(code: &str) -> String {
    Code::ALL
        .iter()
        .map(|known| {
            (
                strsim::levenshtein(code.trim_start_matches("okr::"), known.name()),
                known,
            )
        })
        .min_by_key(|(distance, _)| *distance)
        .filter(|(distance, _)| *distance <= 3)
        .map(|(_, known)| format!("\n\ndid you mean `{known}`?"))
        .unwrap_or_default()
}

fn every_code() -> String {
    let all: Vec<String> = Code::ALL.iter().map(|code| format!("  {code}")).collect();
    all.join("\n")
}
