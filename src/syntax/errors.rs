//! Syntax errors in words for the person who wrote the goal, not in grammar rule names.

use super::grammar::Rule;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::FileId;
use crate::span::Span;

/// Statements a line may start with: for "did you mean", the help line, and
/// the editor's completion at the start of a line.
pub(crate) const STATEMENTS: &[&str] = &[
    "period",
    "team",
    "owner",
    "cadence",
    "segment",
    "funnel",
    "stage",
    "objective",
    "why",
    "aligns",
    "type",
    "rollup",
    "grade",
    "kr",
    "baseline",
    "weight",
    "due",
    "initiative",
];

/// Every keyword of the language (the grammar's `keyword` rule).
pub const KEYWORDS: &[&str] = &[
    "period",
    "team",
    "owner",
    "cadence",
    "segment",
    "size",
    "funnel",
    "stage",
    "conversion",
    "value",
    "objective",
    "why",
    "aligns",
    "type",
    "kr",
    "target",
    "baseline",
    "weight",
    "due",
    "milestone",
    "confidence",
    "initiative",
    "status",
    "done",
    "pending",
    "committed",
    "aspirational",
    "hold",
    "rollup",
    "grade",
    "unknown",
    "over",
];

/// How many letters two ASCII words do not share, counted with repeats. An
/// edit changes this by at most two, so words more than four apart are more
/// than two edits apart; a transposition changes nothing.
fn letters_apart(a: &str, b: &str) -> u32 {
    let mut count = [0i32; 256];
    a.bytes().for_each(|byte| count[usize::from(byte)] += 1);
    b.bytes().for_each(|byte| count[usize::from(byte)] -= 1);
    count
        .iter()
        .map(|difference| difference.unsigned_abs())
        .sum()
}

/// Why a word after a count is more likely a slip than a unit word, with help.
pub fn suspicious_unit(word: &str) -> Option<(String, String)> {
    // Longer than any keyword by far: not a slip, and costly to compare.
    if word.len() > 32 {
        return None;
    }
    if word.len() == 3 && word.bytes().all(|byte| byte.is_ascii_uppercase()) {
        return Some((
            format!("`{word}` after a number reads as a unit word, not a currency"),
            format!("write the currency first: `{word} 10M`, or use a sign: `$10M`"),
        ));
    }
    let lower = word.to_ascii_lowercase();
    if matches!(lower.as_str(), "percent" | "pct" | "per") {
        return Some((
            format!("`{word}` after a number reads as a unit word, not a percent"),
            "write a percent with `%`: `25%`".into(),
        ));
    }
    let ascii = lower.is_ascii();
    let keyword = KEYWORDS.iter().find(|keyword| {
        // Most unit words are far from every keyword: skip those cheaply,
        // the length first, then the letters.
        if lower.len().abs_diff(keyword.len()) > 2 || ascii && letters_apart(&lower, keyword) > 4 {
            return false;
        }
        let distance = strsim::damerau_levenshtein(&lower, keyword);
        let plural = lower.strip_suffix('s') == Some(keyword);
        !plural && (distance == 1 && lower.len() >= 3 || distance == 2 && lower.len() >= 6)
    })?;
    Some((
        format!("`{word}` after a number reads as a unit word"),
        format!("did you mean `{keyword}`?"),
    ))
}

/// The keyword a `kw_*` rule matches.
pub fn keyword_text(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::kw_period => "period",
        Rule::kw_team => "team",
        Rule::kw_owner => "owner",
        Rule::kw_cadence => "cadence",
        Rule::kw_segment => "segment",
        Rule::kw_size => "size",
        Rule::kw_funnel => "funnel",
        Rule::kw_stage => "stage",
        Rule::kw_conversion => "conversion",
        Rule::kw_value => "value",
        Rule::kw_objective => "objective",
        Rule::kw_why => "why",
        Rule::kw_aligns => "aligns",
        Rule::kw_type => "type",
        Rule::kw_kr => "kr",
        Rule::kw_target => "target",
        Rule::kw_baseline => "baseline",
        Rule::kw_weight => "weight",
        Rule::kw_due => "due",
        Rule::kw_milestone => "milestone",
        Rule::kw_confidence => "confidence",
        Rule::kw_initiative => "initiative",
        Rule::kw_status => "status",
        Rule::kw_hold => "hold",
        Rule::kw_rollup => "rollup",
        Rule::kw_grade => "grade",
        Rule::kw_unknown => "unknown",
        Rule::kw_over => "over",
        _ => return None,
    })
}

/// How to describe what a rule expected, for a person.
fn phrase(rule: Rule) -> Option<String> {
    let keyword = keyword_text(rule).or(match rule {
        Rule::baseline => Some("baseline"),
        Rule::weight => Some("weight"),
        Rule::owner => Some("owner"),
        Rule::stage_ref => Some("stage"),
        Rule::due => Some("due"),
        Rule::conversion => Some("conversion"),
        Rule::value => Some("value"),
        Rule::confidence => Some("confidence"),
        Rule::status => Some("status"),
        _ => None,
    });
    if let Some(keyword) = keyword {
        return Some(format!("`{keyword}`"));
    }
    Some(
        match rule {
            Rule::ident => "an identifier such as `growth` (lower-case letters, digits, `-`, `_`)",
            Rule::string | Rule::string_inner => "a quoted text such as `\"Trial signups\"`",
            Rule::handle => "a handle such as `@dana`",
            Rule::date => "a date such as `2026-07-14`",
            Rule::period => {
                "a period such as `2026-Q3`, `2026-H2`, `2026` or `2026-02-01..2026-04-30`"
            }
            Rule::reference => "a reference such as `inbound.trials` or `company/revenue`",
            Rule::cadence => "`weekly`, `biweekly`, `monthly` or a number of days such as `10d`",
            Rule::objective_type => "`committed` or `aspirational`",
            Rule::initiative_status => "`planned`, `active`, `done` or `dropped`",
            Rule::milestone_state => "`done` or `pending`",
            Rule::direction => "`<=`, `>=`, `<` or `>`",
            Rule::target => "`target QUANTITY`, `hold >= QUANTITY` or `milestone`",
            Rule::relative
            | Rule::change
            | Rule::points
            | Rule::share
            | Rule::times
            | Rule::sign => "a relative change such as `+15%`, `-10%`, `x2` or `+5pp`",
            Rule::unsigned => "a number such as `15`",
            Rule::band | Rule::band_range => {
                "a level to keep, such as `>= 95%`, `<= 30%` or a band `97%..99%`"
            }
            Rule::money
            | Rule::amount
            | Rule::number
            | Rule::currency_sign
            | Rule::currency_code
            | Rule::magnitude => "a quantity such as `4,000`, `25%` or `$10M`",
            Rule::unit => "a unit word",
            Rule::decimal => "a number such as `2`",
            Rule::comment => "a comment",
            Rule::EOI => "the end of the line",
            _ => return None,
        }
        .to_string(),
    )
}

/// Turns pest's error for one line into a diagnostic. `content` is the line
/// without indentation; it starts at byte `offset` of the file.
pub fn from_pest(
    file: FileId,
    content: &str,
    offset: usize,
    error: &pest::error::Error<Rule>,
) -> Diagnostic {
    let position = match error.location {
        pest::error::InputLocation::Pos(position) => position,
        pest::error::InputLocation::Span((start, _)) => start,
    }
    .min(content.len());
    let found = found_token(content, position);
    let span = Span::new(
        position,
        position + found.len().max(1).min(content.len() - position),
    )
    .shifted(offset);
    let found_label = if found.is_empty() {
        "the line ends here".to_string()
    } else {
        format!("found `{}`", printable(found))
    };
    let diagnostic = |message: String| {
        Diagnostic::new(Code::Syntax, file, span, message).label(found_label.clone())
    };

    if content[position..].starts_with('"') {
        let rest = &content[position + 1..];
        if let Some(escape) = rest
            .find('\\')
            .filter(|&at| !matches!(rest[at + 1..].chars().next(), Some('"' | '\\')))
        {
            let at = position + 1 + escape;
            return Diagnostic::new(
                Code::Syntax,
                file,
                Span::new(at, at + 1).shifted(offset),
                "unknown escape in a quoted text",
            )
            .label("escape")
            .help("only `\\\"` and `\\\\` can be escaped; write other characters as they are");
        }
        return diagnostic("this quoted text has no closing `\"`".into())
            .help("close the text on the same line: texts cannot span lines");
    }

    if position == 0 && !found.is_empty() {
        let mut diagnostic =
            diagnostic(format!("`{}` does not start a statement", printable(found)));
        let help = match closest_statement(found) {
            Some(keyword) if keyword.eq_ignore_ascii_case(found) => {
                format!("keywords are lower-case: `{keyword}`")
            }
            Some(keyword) => format!("did you mean `{keyword}`?"),
            None if found.starts_with(|c: char| c.is_ascii_digit()) => {
                "a check-in starts with its date, written YYYY-MM-DD, e.g. `2026-07-14 4,100`".to_string()
            }
            None => format!(
                "a line starts with a keyword ({}) or, under a `kr`, a check-in date such as `2026-07-14`",
                STATEMENTS.join(", ")
            ),
        };
        diagnostic.help = Some(help);
        return diagnostic;
    }

    let mut expected: Vec<String> = Vec::new();
    if let pest::error::ErrorVariant::ParsingError { positives, .. } = &error.variant {
        for phrase in positives.iter().filter_map(|rule| phrase(*rule)) {
            if !expected.contains(&phrase) {
                expected.push(phrase);
            }
        }
    }
    // Quantities first: they are what people most often leave out. A missing
    // quantity after `target` is the point, not the optional `<=`/`>=` before it.
    if expected
        .iter()
        .any(|phrase| phrase.starts_with("a quantity"))
    {
        expected.retain(|phrase| phrase != "`<=` or `>=`");
    }
    expected.sort_by_key(|phrase| match phrase.as_str() {
        "a comment" => 3,
        "the end of the line" => 4,
        phrase if phrase.starts_with("a quantity") => 0,
        phrase if phrase.starts_with('`') => 1,
        _ => 2,
    });
    let after = previous_word(content, position)
        .filter(|word| STATEMENTS.contains(word) || is_attribute_keyword(word))
        .map(|word| format!(" after `{word}`"))
        .unwrap_or_default();
    let message = if expected.is_empty() {
        format!("unexpected `{}`", printable(found))
    } else {
        format!("expected {}{after}", join_or(&expected))
    };
    let diagnostic = diagnostic(message);
    // `target 5 stag f.a`: the misspelt keyword was taken as a unit word.
    if let Some((_, help)) = previous_word(content, position).and_then(suspicious_unit) {
        return diagnostic.help(help);
    }
    if expected
        .iter()
        .any(|phrase| phrase.contains("`target QUANTITY`"))
    {
        return diagnostic.help("the target comes right after the title: `kr trials \"Trial signups\" target 4,000 baseline 1,200`");
    }
    if found.starts_with('\r') {
        return diagnostic.help("this is a carriage return that does not end a line; save the file with LF or CRLF line endings");
    }
    diagnostic
}

/// The message of a tab in the indentation.
const TAB_IN_INDENTATION: &str = "tab in indentation";

/// A syntax error for a tab in the indentation. The line is still read, as
/// if each tab were spaces up to the next multiple of
/// [`TAB_WIDTH`](super::TAB_WIDTH) columns.
pub fn tab_in_indentation(file: FileId, at: usize) -> Diagnostic {
    Diagnostic::new(Code::Syntax, file, Span::new(at, at + 1), TAB_IN_INDENTATION)
        .label("tab")
        .help("indent with spaces; two spaces per level is the canonical layout (`okr fmt` rewrites the tabs as spaces)")
}

/// Whether `diagnostic` is a tab in the indentation, the one syntax error
/// after which the line is still read.
pub fn is_tab_in_indentation(diagnostic: &Diagnostic) -> bool {
    diagnostic.code == Code::Syntax && diagnostic.message == TAB_IN_INDENTATION
}

/// Text with control characters (a stray carriage return, NUL) made visible.
fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    crate::escape::terminal(text)
}

fn is_attribute_keyword(word: &str) -> bool {
    matches!(
        word,
        "target" | "size" | "conversion" | "value" | "confidence" | "status" | "milestone"
    )
}

fn join_or(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{}, or {last}", rest.join(", ")),
    }
}

/// The word or character at `position`, at most 40 bytes of it.
fn found_token(content: &str, position: usize) -> &str {
    let rest = &content[position..];
    let word_len = rest
        .char_indices()
        .find(|&(_, c)| c.is_whitespace() || c == '"')
        .map_or(rest.len(), |(at, _)| at);
    let len = if word_len == 0 {
        rest.chars().next().map_or(0, char::len_utf8)
    } else {
        word_len
    };
    let mut len = len.min(40);
    while !rest.is_char_boundary(len) {
        len -= 1;
    }
    &rest[..len]
}

fn previous_word(content: &str, position: usize) -> Option<&str> {
    let before = content[..position].trim_end();
    let start = before
        .rfind(|c: char| c.is_whitespace())
        .map_or(0, |at| at + 1);
    let word = &before[start..];
    (!word.is_empty()).then_some(word)
}

fn closest_statement(word: &str) -> Option<&'static str> {
    let word = word.to_ascii_lowercase();
    STATEMENTS
        .iter()
        .copied()
        .map(|keyword| (strsim::damerau_levenshtein(&word, keyword), keyword))
        .filter(|&(distance, keyword)| distance <= 2 && distance < keyword.len())
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, keyword)| keyword)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// What `suspicious_unit`'s shortcut relies on: words more than four
        /// letters apart are more than two edits apart.
        #[test]
        fn letters_apart_is_at_most_twice_the_edit_distance(a in "[a-z]{0,12}", b in "[a-z]{0,12}") {
            let distance = u32::try_from(strsim::damerau_levenshtein(&a, &b)).unwrap();
            prop_assert!(letters_apart(&a, &b) <= 2 * distance);
        }
    }

    #[test]
    fn misspelt_keywords_after_a_number_are_caught() {
        for word in ["stgae", "baselin", "targte", "onwer", "confidance"] {
            assert!(suspicious_unit(word).is_some(), "{word}");
        }
        for word in ["customers", "companies", "visitors", "deals"] {
            assert!(suspicious_unit(word).is_none(), "{word}");
        }
    }
}
