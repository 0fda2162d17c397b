//! The language's lexical atoms (SPEC §2), defined once: identifier,
//! reference, handle, date, and the word boundary a token must not run into.
//!
//! This is the single hand-written definition. The grammar lowering, the fast
//! paths (`fast.rs`), `Reference::from_str`, the history header scan and
//! `okr log`'s subject all call it; none recognises an atom on its own. The
//! pest grammar's atomic rules (`ident`, `reference`, `handle`, `date`,
//! `boundary` in `grammar/okr.pest`) must agree with it: the property test
//! `atoms_agree_with_the_grammar` below checks that both accept and reject
//! the same strings. Change a rule here and in the grammar together.

use chrono::NaiveDate;

/// An identifier is at most this many bytes (the grammar leaves the length to
/// the lowering, which reports it).
pub const MAX_IDENTIFIER_LEN: usize = 64;

/// The first byte of an identifier: `[a-z]`.
pub fn is_identifier_start(byte: u8) -> bool {
    byte.is_ascii_lowercase()
}

/// A byte after an identifier's first: `[a-z0-9_-]`.
pub fn is_identifier_byte(byte: u8) -> bool {
    byte.is_ascii_lowercase() || byte.is_ascii_digit() || matches!(byte, b'_' | b'-')
}

/// A byte a token must not run straight into (the grammar's `boundary`):
/// `[A-Za-z0-9_]`.
pub fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// The length of the identifier-shaped run `[a-z][a-z0-9_-]*` that `bytes`
/// start with (0 when they start with none), its length not yet checked.
pub fn identifier_len(bytes: &[u8]) -> usize {
    match bytes.first() {
        Some(&first) if is_identifier_start(first) => {
            1 + bytes[1..]
                .iter()
                .take_while(|&&byte| is_identifier_byte(byte))
                .count()
        }
        _ => 0,
    }
}

/// Whether all of `text` is an identifier: `[a-z][a-z0-9_-]*`, at most
/// [`MAX_IDENTIFIER_LEN`] bytes.
pub fn is_identifier(text: &str) -> bool {
    let length = identifier_len(text.as_bytes());
    length > 0 && length == text.len() && length <= MAX_IDENTIFIER_LEN
}

/// The length of the run of letters (either case), digits, `_` and `-` that
/// `bytes` start with: an identifier as a cheap prefilter reads it, before
/// the grammar's rules (a lower-case first letter, a lower-case rest, 64
/// bytes at most) are checked. On a well-formed identifier followed by
/// anything the grammar lets follow one, it is the identifier's length.
/// The history header scan and its on-disk cache (`history/team_index.rs`,
/// whose entries must keep reading the same) use it.
pub fn loose_identifier_len(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .take_while(|&&byte| byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-'))
        .count()
}

/// A byte of a handle's name (after its `@`): `[A-Za-z0-9_.-]`.
pub fn is_handle_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'.' | b'-')
}

/// The length of the handle name (without `@`) that `bytes` start with.
pub fn handle_name_len(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .take_while(|&&byte| is_handle_byte(byte))
        .count()
}

/// Whether all of `name` is a handle's name, the part after `@`: `[A-Za-z0-9_.-]+`.
pub fn is_handle_name(name: &str) -> bool {
    !name.is_empty() && handle_name_len(name.as_bytes()) == name.len()
}

/// Whether all of `text` is a handle: `@` and a name, e.g. `@dana`.
pub fn is_handle(text: &str) -> bool {
    text.strip_prefix('@').is_some_and(is_handle_name)
}

/// `text` cut where a reference `[team "/"] id ["." child]` has its
/// separators: at the first `/`, then at the first `.` after it. The parts
/// are not checked; `Reference::from_str` checks each is an identifier,
/// while lookups by name (`okr checkin`, `okr funnel`) look the parts up as
/// they are.
pub fn split_reference(text: &str) -> (Option<&str>, &str, Option<&str>) {
    let (team, rest) = match text.split_once('/') {
        Some((team, rest)) => (Some(team), rest),
        None => (None, text),
    };
    match rest.split_once('.') {
        Some((id, child)) => (team, id, Some(child)),
        None => (team, rest, None),
    }
}

/// Whether `bytes` have a date's shape, `DDDD-DD-DD`: ten bytes, digits but
/// for the two dashes.
pub fn is_date_shaped(bytes: &[u8]) -> bool {
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(at, byte)| match at {
            4 | 7 => *byte == b'-',
            _ => byte.is_ascii_digit(),
        })
}

/// `YYYY-MM-DD` as a calendar date; `None` when `text` is not date-shaped or
/// not on the calendar (`2026-02-30`).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    if !is_date_shaped(bytes) {
        return None;
    }
    // Digits only (`str::parse` would also take a sign).
    let number = |range: std::ops::Range<usize>| {
        bytes[range]
            .iter()
            .fold(0u32, |number, digit| number * 10 + u32::from(digit - b'0'))
    };
    NaiveDate::from_ymd_opt(
        i32::try_from(number(0..4)).ok()?,
        number(5..7),
        number(8..10),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::goals::Reference;
    use crate::span::Span;
    use crate::syntax::ast::{Attribute, Statement};
    use proptest::prelude::*;

    /// What the grammar (pest, then the lowering) makes of `line`, when it
    /// reads without a syntax error.
    fn by_grammar(line: &str) -> Option<Statement> {
        let mut errors = Vec::new();
        let line = super::super::parse_line(0, line, Span::new(0, line.len()), &mut errors);
        errors.is_empty().then_some(line.statement)
    }

    fn grammar_identifier(text: &str) -> Option<String> {
        match by_grammar(&format!("team {text}"))? {
            Statement::Team { id, name: None } => Some(id.value),
            _ => None,
        }
    }

    fn grammar_reference(text: &str) -> Option<Reference> {
        match by_grammar(&format!("aligns {text}"))? {
            Statement::Aligns(mut references) if references.len() == 1 => {
                references.pop().map(|reference| reference.value)
            }
            _ => None,
        }
    }

    fn grammar_handle(text: &str) -> Option<String> {
        match by_grammar(&format!("owner {text}"))? {
            Statement::Attributes(attributes) => match attributes.as_slice() {
                [Attribute::Owner(owners)] => match owners.value.as_slice() {
                    [owner] => Some(owner.value.clone()),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        }
    }

    fn grammar_date(text: &str) -> Option<NaiveDate> {
        match by_grammar(&format!("due {text}"))? {
            Statement::Attributes(attributes) => match attributes.as_slice() {
                [Attribute::Due(due)] => Some(due.value),
                _ => None,
            },
            _ => None,
        }
    }

    /// Strings near the atoms' edges: their characters, their separators,
    /// upper case, digits, and lengths around 64. (No spaces, `#` or `"`,
    /// which would end the token inside the test's line.)
    fn atom_like() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-zA-Z0-9_./@!é-]{0,12}",
            "[a-z][a-z0-9_-]{0,3}(/[a-z][a-z0-9_-]{0,3})?(\\.[a-z0-9_-]{0,3})?",
            "@[A-Za-z0-9_.!-]{0,6}",
            "[0-9]{4}-[0-9]{2}-[0-9]{2}[0-9a-z.]?",
            "20[0-9]{2}-(0[0-9]|1[0-3])-([0-2][0-9]|3[0-2])",
            "[a-z]{60,68}(/[a-z]{1,3})?",
            "[a-z]{1,3}/[a-z]{62,66}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]
        #[test]
        fn atoms_agree_with_the_grammar(text in atom_like()) {
            let identifier = grammar_identifier(&text);
            prop_assert_eq!(is_identifier(&text), identifier.is_some(), "{:?}", text);
            let reference = grammar_reference(&text);
            prop_assert_eq!(text.parse::<Reference>().ok(), reference, "{:?}", text);
            prop_assert_eq!(is_handle(&text), grammar_handle(&text).is_some(), "{:?}", text);
            prop_assert_eq!(parse_date(&text), grammar_date(&text), "{:?}", text);
        }

        #[test]
        fn a_reference_reads_back_what_it_writes(
            team in proptest::option::of("[a-z][a-z0-9_-]{0,8}"),
            id in "[a-z][a-z0-9_-]{0,8}",
            child in proptest::option::of("[a-z][a-z0-9_-]{0,8}"),
        ) {
            let reference = Reference { team, id, child };
            prop_assert_eq!(reference.to_string().parse::<Reference>(), Ok(reference));
        }
    }

    #[test]
    fn identifiers_follow_the_spec() {
        assert!(is_identifier("a-b_1"));
        assert!(is_identifier(&"x".repeat(64)));
        assert!(!is_identifier(&"x".repeat(65)));
        for bad in ["", "A", "1a", "-a", "aB", "a.b", "a/b", "é"] {
            assert!(!is_identifier(bad), "{bad:?}");
        }
        assert_eq!(identifier_len(b"growth.trials"), 6);
        assert_eq!(loose_identifier_len(b"Growth_1-x \"G\""), 10);
    }

    #[test]
    fn dates_and_handles_follow_the_spec() {
        assert_eq!(
            parse_date("2028-02-29"),
            NaiveDate::from_ymd_opt(2028, 2, 29)
        );
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-7-14",
            "+026-07-14",
            "2026-07-140",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
        assert!(is_handle("@a.B-c_9"));
        for bad in ["@", "dana", "@da na", "@dana!", "@é"] {
            assert!(!is_handle(bad), "{bad:?}");
        }
    }

    #[test]
    fn references_split_at_their_first_separators() {
        assert_eq!(split_reference("a/b.c"), (Some("a"), "b", Some("c")));
        assert_eq!(split_reference("b.c.d"), (None, "b", Some("c.d")));
        assert_eq!(split_reference("a.x/b"), (Some("a.x"), "b", None));
        assert!("a/b.c.d".parse::<Reference>().is_err());
        assert!("Team/b".parse::<Reference>().is_err());
    }
}
