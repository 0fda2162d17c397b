//! Identifiers from titles: `"Grow ARR in EMEA!"` → `grow-arr-in-emea`.
//! The same title always gives the same id (so a re-import is a small
//! diff), and ids in one scope are made unique by a numbered suffix.

use crate::syntax::atoms::is_identifier;
use std::collections::HashSet;

/// At most this many bytes of a title become an id (the language allows
/// 64): long enough to tell titles apart, short enough to type.
const LONGEST: usize = 40;

/// The id a title reads as: lowercase ASCII letters and digits, other runs
/// as one `-`, accents dropped to their letter where it is a Latin one;
/// `fallback` (an identifier) when nothing is left, and prefixed by it
/// when the title starts with a digit.
pub fn slug(title: &str, fallback: &str) -> String {
    let mut id = String::with_capacity(title.len().min(LONGEST));
    for c in title.chars().flat_map(char::to_lowercase) {
        let c = latin_base(c);
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            id.push(c);
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
        if id.len() >= LONGEST {
            break;
        }
    }
    // Cut at the last word that fits.
    if id.len() >= LONGEST {
        if let Some(at) = id.rfind('-') {
            id.truncate(at);
        }
    }
    let id = id.trim_matches('-');
    let id = match id.bytes().next() {
        None => fallback.to_string(),
        Some(first) if first.is_ascii_digit() => format!("{fallback}-{id}"),
        Some(_) => id.to_string(),
    };
    // Keywords read as keywords where an id is expected.
    if crate::syntax::errors::KEYWORDS.contains(&id.as_str()) {
        return format!("{id}-{fallback}");
    }
    id
}

/// The letter an accented Latin letter is written on (`é` → `e`), else `c`.
fn latin_base(c: char) -> char {
    match c {
        'à'..='å' => 'a',
        'ç' => 'c',
        'è'..='ë' => 'e',
        'ì'..='ï' => 'i',
        'ñ' => 'n',
        'ò'..='ö' | 'ø' => 'o',
        'ù'..='ü' => 'u',
        'ý' | 'ÿ' => 'y',
        'ß' => 's',
        c => c,
    }
}

/// The ids given out in one scope (a file's objectives, an objective's KRs).
#[derive(Clone, Debug, Default)]
pub struct Ids {
    taken: HashSet<String>,
}

impl Ids {
    /// `wanted` if free, else `wanted-2`, `wanted-3`…
    pub fn unique(&mut self, wanted: String) -> String {
        if self.taken.insert(wanted.clone()) {
            return wanted;
        }
        let mut n = 2;
        loop {
            let candidate = format!("{wanted}-{n}");
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }

    /// The id of an item: `given` (an id column) as it is when it is an
    /// identifier (`None` when another item has it), else one made from it,
    /// or from `title` when there is no id column.
    pub fn assign(&mut self, given: Option<&str>, title: &str, fallback: &str) -> Option<String> {
        match given {
            Some(id) if is_identifier(id) => self.take(id).then(|| id.to_string()),
            Some(id) => Some(self.unique(slug(id, fallback))),
            None => Some(self.unique(slug(title, fallback))),
        }
    }

    /// Takes `id` as given (an id column), or says it is taken already.
    pub fn take(&mut self, id: &str) -> bool {
        is_identifier(id) && self.taken.insert(id.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_become_valid_stable_ids() {
        assert_eq!(slug("Grow ARR in EMEA!", "o"), "grow-arr-in-emea");
        assert_eq!(slug("Réduire le churn", "o"), "reduire-le-churn");
        assert_eq!(slug("2026 plan", "o"), "o-2026-plan");
        assert_eq!(slug("!!!", "result"), "result");
        assert_eq!(slug("target", "result"), "target-result");
        let long = slug(&"word ".repeat(50), "o");
        assert!(is_identifier(&long) && long.len() <= LONGEST, "{long}");
        for title in ["\u{1b}[31mred", "日本語", "a\"b#c", "-x-"] {
            assert!(is_identifier(&slug(title, "o")), "{title}");
        }
    }

    #[test]
    fn ids_in_a_scope_are_unique() {
        let mut ids = Ids::default();
        assert_eq!(ids.unique("a".into()), "a");
        assert_eq!(ids.unique("a".into()), "a-2");
        assert!(!ids.take("a-2"));
        assert!(ids.take("b"));
        assert!(!ids.take("Not An Id"));
    }
}
