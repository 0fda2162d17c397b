//! "Did you mean": the declared name nearest to one that names nothing.

/// How many edits (insert, delete, substitute, swap two neighbours) a
/// misspelling may be from the name it meant.
const MAX_EDITS: usize = 2;
/// Longer texts get no suggestion: a reference is at most three 64-character
/// identifiers.
const MAX_LENGTH: usize = 200;

/// The name among `names` nearest to `name`, when it is within
/// [`MAX_EDITS`] edits and shares more than the edits with it (so `ab` does
/// not suggest `cd`); ties go to the first in order.
pub fn nearest<'a>(name: &str, names: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let length = name.chars().count();
    // Names are short; comparing a long text with each would only be slow.
    if length > MAX_LENGTH {
        return None;
    }
    names
        .into_iter()
        .filter(|candidate| *candidate != name)
        .map(|candidate| (strsim::damerau_levenshtein(name, candidate), candidate))
        .filter(|&(distance, _)| distance <= MAX_EDITS && distance < length)
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, candidate)| candidate)
}

/// `did you mean `x`?`.
pub fn did_you_mean(suggestion: impl std::fmt::Display) -> String {
    format!("did you mean `{suggestion}`?")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_name_within_two_edits() {
        let names = ["revenue", "retention", "reach"];
        assert_eq!(nearest("revenu", names), Some("revenue"));
        assert_eq!(nearest("reveune", names), Some("revenue"));
        assert_eq!(nearest("retnetion", names), Some("retention"));
        assert_eq!(nearest("pipeline", names), None);
        // Short names need a real likeness.
        assert_eq!(nearest("ab", ["cd"]), None);
        assert_eq!(nearest("ab", ["abc"]), Some("abc"));
        // The name itself is no suggestion.
        assert_eq!(nearest("reach", ["reach"]), None);
        // Ties: the first declared.
        assert_eq!(nearest("cat", ["bat", "hat"]), Some("bat"));
    }
}
