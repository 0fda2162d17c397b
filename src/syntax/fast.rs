//! A fast path for the commonest line of a goals file, the check-in
//! (`2026-07-28 47,900 confidence 60% "Webinar launched" @sam # comment`),
//! which is four in five lines of a real organisation's files and, through
//! pest, most of `okr check`'s time.
//!
//! The grammar stays the definition of the language: this path accepts only
//! the plain forms it recognises and returns `None` on anything else (unit
//! words, escapes, milestones, tabs, any doubt), and the line goes to pest.
//! A property test (`fast_path_agrees_with_the_grammar`) checks that both
//! readings are equal on generated lines.

use crate::model::goals::{CheckIn, Reading};
use crate::model::period::parse_date;
use crate::model::quantity::{is_chance, parse_number, Currency, Quantity, Unit};
use crate::span::{Span, Spanned};

/// Reads `content` (a line without indentation, starting at byte `offset`)
/// if it is a plain check-in; also returns its trailing comment's span.
pub fn checkin(content: &str, offset: usize) -> Option<(CheckIn, Option<Span>)> {
    let bytes = content.as_bytes();
    if bytes.len() < 12 || !bytes[0].is_ascii_digit() || bytes[10] != b' ' {
        return None;
    }
    let date = parse_date(&content[..10]).ok()?;
    let mut cursor = skip_spaces(bytes, 10);
    let (reading, reading_span, after) = quantity(content, cursor)?;
    cursor = after;
    let mut confidence = None;
    let spaced = skip_spaces(bytes, cursor);
    if spaced > cursor && content[spaced..].starts_with("confidence ") {
        let start = skip_spaces(bytes, spaced + "confidence".len());
        let (value, span, after) = quantity(content, start)?;
        if value.unit != Unit::Percent || !is_chance(value.amount) {
            return None;
        }
        confidence = Some(Spanned::new(value.amount, span.shifted(offset)));
        cursor = after;
    }
    let mut note = None;
    let spaced = skip_spaces(bytes, cursor);
    if spaced > cursor && bytes.get(spaced) == Some(&b'"') {
        let length = content[spaced + 1..].find('"')?;
        let text = &content[spaced + 1..spaced + 1 + length];
        if text.contains(['\\', '\r']) {
            return None;
        }
        cursor = spaced + length + 2;
        note = Some(Spanned::new(
            text.to_string(),
            Span::new(spaced, cursor).shifted(offset),
        ));
    }
    let mut by = None;
    let spaced = skip_spaces(bytes, cursor);
    if spaced > cursor && bytes.get(spaced) == Some(&b'@') {
        let length = bytes[spaced + 1..]
            .iter()
            .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
            .count();
        if length == 0 {
            return None;
        }
        cursor = spaced + 1 + length;
        by = Some(Spanned::new(
            content[spaced..cursor].to_string(),
            Span::new(spaced, cursor).shifted(offset),
        ));
    }
    let end = skip_spaces(bytes, cursor);
    let comment = match bytes.get(end) {
        None => None,
        Some(b'#') if end > cursor && !content[end..].contains('\r') => {
            Some(Span::new(end, bytes.len()).shifted(offset))
        }
        Some(_) => return None,
    };
    let checkin = CheckIn {
        date: Spanned::new(date, Span::new(offset, offset + 10)),
        reading: Spanned::new(Reading::Value(reading), reading_span.shifted(offset)),
        confidence,
        note,
        by,
        span: Span::new(offset, offset + cursor),
    };
    Some((checkin, comment))
}

fn skip_spaces(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at) == Some(&b' ') {
        at += 1;
    }
    at
}

/// A quantity at `start`: money (`$1.2M`, `EUR 500`), or a number
/// `-?d+(,ddd)*(.d+)?` then `%`, a magnitude letter, or nothing. It must end at
/// a space or the end of the line.
fn quantity(content: &str, start: usize) -> Option<(Quantity, Span, usize)> {
    let (currency, number_start) = currency(content, start);
    let (mut quantity, span, end) = number(content, number_start, currency.is_none())?;
    if let Some(currency) = currency {
        quantity.unit = Unit::Money(currency);
    }
    Some((quantity, Span::new(start, span.end()), end))
}

/// A currency sign, or an ISO code and spaces, at `start`; and where the amount starts.
fn currency(content: &str, start: usize) -> (Option<Currency>, usize) {
    let rest = &content[start..];
    for sign in ["$", "€", "£", "¥"] {
        if rest.starts_with(sign) {
            return (Currency::parse(sign), start + sign.len());
        }
    }
    let bytes = rest.as_bytes();
    if bytes.len() > 4 && bytes[..3].iter().all(u8::is_ascii_uppercase) && bytes[3] == b' ' {
        let amount = skip_spaces(content.as_bytes(), start + 3);
        return (Currency::parse(&rest[..3]), amount);
    }
    (None, start)
}

/// A count, or with `allow_percent` a percent, at `start`.
fn number(content: &str, start: usize, allow_percent: bool) -> Option<(Quantity, Span, usize)> {
    let bytes = content.as_bytes();
    let mut at = start;
    if bytes.get(at) == Some(&b'-') {
        at += 1;
    }
    let digits = |at: usize| {
        bytes[at..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let run = digits(at);
    if run == 0 {
        return None;
    }
    at += run;
    while bytes.get(at) == Some(&b',') && digits(at + 1) == 3 {
        at += 4;
    }
    if bytes.get(at) == Some(&b'.') {
        let fraction = digits(at + 1);
        if fraction == 0 {
            return None;
        }
        at += 1 + fraction;
    }
    let number_end = at;
    let percent = allow_percent && bytes.get(at) == Some(&b'%');
    let magnitude = matches!(bytes.get(at), Some(b'k' | b'K' | b'm' | b'M' | b'b' | b'B'));
    if percent || magnitude {
        at += 1;
    }
    if !matches!(bytes.get(at), None | Some(b' ')) {
        return None;
    }
    let number = parse_number(&content[start..if percent { number_end } else { at }]).ok()?;
    let quantity = if percent {
        Quantity::from_percent(number)
    } else {
        Quantity::count(number)
    };
    Some((quantity, Span::new(start, at), at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::ast::Statement;
    use proptest::prelude::*;

    /// What the grammar makes of a line, when it is a check-in.
    fn by_grammar(content: &str) -> Option<(CheckIn, Option<Span>)> {
        let mut errors = Vec::new();
        let line = super::super::parse_line(0, content, Span::new(0, content.len()), &mut errors);
        match line.statement {
            Statement::CheckIn(checkin) if errors.is_empty() => Some((checkin, line.comment)),
            _ => None,
        }
    }

    fn piece(options: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
        prop::sample::select(options)
    }

    fn checkin_like() -> impl Strategy<Value = String> {
        (
            piece(&["2026-07-14", "2026-02-30", "2026-7-14", "20260714xx"]),
            piece(&[" ", "  ", "", "\t"]),
            piece(&["-", "", "", "$", "€", "EUR ", "USD  ", "usd "]),
            piece(&[
                "44",
                "44,100",
                "1,0000",
                "14,00",
                "0.5",
                "1.",
                "9999999999999999999999999999999",
            ]),
            piece(&["", "", "%", "k", "M", "b", "x", "k%", " customers"]),
            piece(&[
                "",
                " confidence 60%",
                " confidence 150%",
                " confidence 6",
                "  confidence  0.5%",
                " confidance 60%",
            ]),
            piece(&[
                "",
                " \"Webinar launched\"",
                " \"esc \\\" q\"",
                " \"open",
                "\"tight\"",
            ]),
            piece(&["", " @sam", " @", " @a.b-c_d", "@x"]),
            piece(&["", " # note", "# tight", " ", " trailing", "\r"]),
        )
            .prop_map(
                |(date, gap, sign, digits, suffix, confidence, note, by, end)| {
                    format!("{date}{gap}{sign}{digits}{suffix}{confidence}{note}{by}{end}")
                },
            )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]
        #[test]
        fn fast_path_agrees_with_the_grammar(line in checkin_like()) {
            if let Some(fast) = checkin(&line, 0) {
                prop_assert_eq!(Some(fast), by_grammar(&line), "{:?}", line);
            }
        }
    }

    #[test]
    fn plain_checkins_take_the_fast_path() {
        for line in [
            "2026-07-14 44,100",
            "2026-07-28 47,900 confidence 60% \"Webinar series launched\" @sam # weekly",
            "2026-08-11 $1.2M",
            "2026-08-11 EUR 250k @dana",
            "2026-08-11 22.5%",
        ] {
            let fast = checkin(line, 0);
            assert!(fast.is_some(), "{line}");
            assert_eq!(fast, by_grammar(line), "{line}");
        }
    }
}
