//! The ids of the HTML report's elements, which its links, charts and
//! collapsing sections point at.

/// The id of a team's, objective's or KR's element in the HTML report: one
/// team's goals for two periods (a folder holding 2026-Q3 and 2026-Q4) must
/// not share ids or charts. Written into one string (a page makes one per
/// objective and KR, some twice).
pub fn element_id(period: &str, reference: &str) -> String {
    let mut id = String::with_capacity(period.len() + 2 + reference.len());
    push_id_part(&mut id, period);
    id.push_str("--");
    push_id_part(&mut id, reference);
    id
}

/// Text made fit for an HTML id: anything but letters, digits, `-` and `_` becomes `-`.
pub(super) fn id_part(text: &str) -> String {
    let mut id = String::with_capacity(text.len());
    push_id_part(&mut id, text);
    id
}

/// [`id_part`] of `text`, appended to `id`.
fn push_id_part(id: &mut String, text: &str) {
    id.extend(text.chars().map(|c| {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            c
        } else {
            '-'
        }
    }));
}
