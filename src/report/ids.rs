//! The ids of the HTML report's elements, which its links, charts and
//! collapsing sections point at.

/// The id of a team's, objective's or KR's element in the HTML report: one
/// team's goals for two periods (a folder holding 2026-Q3 and 2026-Q4) must
/// not share ids or charts.
pub fn element_id(period: &str, reference: &str) -> String {
    format!("{}--{}", id_part(period), id_part(reference))
}

/// Text made fit for an HTML id: anything but letters, digits, `-` and `_` becomes `-`.
pub(super) fn id_part(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}
