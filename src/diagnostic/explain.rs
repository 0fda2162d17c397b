//! `okr explain CODE`: the long explanation of a diagnostic code.

use crate::diagnostic::Code;

/// The explanation of `code` (`okr::funnel-gap` or `funnel-gap`), or an error
/// that lists the codes there are and the nearest match.
pub fn explain(code: &str) -> Result<&'static str, String> {
    if let Some(code) = Code::parse(code) {
        return Ok(code.explanation());
    }
    let nearest = Code::ALL
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
        .unwrap_or_default();
    let all: Vec<String> = Code::ALL.iter().map(|code| format!("  {code}")).collect();
    Err(format!(
        "no diagnostic code `{code}`{nearest}\n\nthe codes are:\n{}",
        all.join("\n")
    ))
}
