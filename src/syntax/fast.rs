//! Fast paths for the two commonest lines of a goals file: the check-in
//! (`2026-07-28 47,900 confidence 60% "Webinar launched" @sam # comment`),
//! four in five lines of a real organisation's files, and the KR line
//! (`kr trials "Trial signups" target 4,000 stage inbound.trials`), the
//! costliest line pest reads. Through pest they were most of `okr check`'s
//! and `okr diff`'s time.
//!
//! The grammar stays the definition of the language: these paths accept only
//! the plain forms they recognise and return `None` on anything else (unit
//! words, escapes, milestones, weights, tabs, any doubt), and the line goes to
//! pest. Property tests (`fast_paths_agree_with_the_grammar`) check that both
//! readings are equal on generated lines.

use super::atoms::{self, parse_date};
use crate::model::goals::{
    Baseline, CheckIn, CheckInExtra, Direction, KeyResult, Reading, Reference, Target,
};
use crate::model::quantity::{is_chance, parse_number, Currency, Quantity, Unit};
use crate::span::{Span, Spanned};

/// Reads `content` (a line without indentation, starting at byte `offset`)
/// if it is a plain check-in; also returns its trailing comment's span.
pub(super) fn checkin(content: &str, offset: usize) -> Option<(CheckIn, Option<Span>)> {
    let bytes = content.as_bytes();
    if bytes.len() < 12 || !bytes[0].is_ascii_digit() || bytes[10] != b' ' {
        return None;
    }
    let date = parse_date(&content[..10])?;
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
        let (text, end) = string(content, spaced)?;
        note = Some(Spanned::new(
            text.to_string(),
            Span::new(spaced, end).shifted(offset),
        ));
        cursor = end;
    }
    let mut by = None;
    let spaced = skip_spaces(bytes, cursor);
    if spaced > cursor && bytes.get(spaced) == Some(&b'@') {
        let end = handle(bytes, spaced)?;
        by = Some(Spanned::new(
            content[spaced..end].to_string(),
            Span::new(spaced, end).shifted(offset),
        ));
        cursor = end;
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
        extra: CheckInExtra {
            confidence,
            note,
            by,
        }
        .boxed(),
        span: Span::new(offset, offset + cursor),
    };
    Some((checkin, comment))
}

/// Reads `content` (a line without indentation, starting at byte `offset`)
/// if it is a plain KR line: `kr ID "Title" target [<= | >=] QUANTITY`, then
/// any of `baseline QUANTITY`, `owner @HANDLE`, `stage REFERENCE` and
/// `due DATE` once each; also returns its trailing comment's span.
pub(super) fn key_result(content: &str, offset: usize) -> Option<(KeyResult, Option<Span>)> {
    let bytes = content.as_bytes();
    if !content.starts_with("kr ") || content.contains(['\t', '\r']) {
        return None;
    }
    let at = |start: usize, end: usize| Span::new(start, end).shifted(offset);
    let (id, after) = ident(bytes, skip_spaces(bytes, 3))?;
    if bytes.get(after) != Some(&b' ') {
        return None;
    }
    let start = skip_spaces(bytes, after);
    let (title, after) = string(content, start)?;
    let title = Spanned::new(title.to_string(), at(start, after));
    let target_start = skip_spaces(bytes, after);
    let mut cursor = keyword(bytes, target_start, "target")?;
    let direction = match bytes.get(cursor..cursor + 3) {
        Some(b"<= ") => Some(Direction::Decrease),
        Some(b">= ") => Some(Direction::Increase),
        // A sign right after `target` makes it relative: the grammar's.
        _ if matches!(bytes.get(cursor), Some(b'-' | b'+')) => return None,
        _ => None,
    };
    if direction.is_some() {
        cursor = skip_spaces(bytes, cursor + 3);
    }
    let (quantity, quantity_span, end) = self::quantity(content, cursor)?;
    let direction = direction.unwrap_or(Direction::Increase);
    let target = Target::level(direction, false, quantity);
    let mut kr = KeyResult::new(
        Spanned::new(content[id.clone()].to_string(), at(id.start, id.end)),
        title,
        Spanned::new(target, at(target_start, quantity_span.end())),
        // Pest takes the space before the attributes into the statement, so
        // without attributes the span runs to the next token.
        at(0, skip_spaces(bytes, end)),
    );
    cursor = end;
    loop {
        let next = skip_spaces(bytes, cursor);
        if next == bytes.len() {
            break;
        }
        if next == cursor {
            return None;
        }
        if bytes[next] == b'#' {
            return Some((kr, Some(at(next, bytes.len()))));
        }
        cursor = if let Some(value) = keyword(bytes, next, "baseline") {
            let (quantity, span, end) = self::quantity(content, value)?;
            once(
                &mut kr.baseline,
                Spanned::new(Baseline::Known(quantity), span.shifted(offset)),
            )?;
            end
        } else if let Some(value) = keyword(bytes, next, "owner") {
            let end = handle(bytes, value)?;
            if !kr.owners.is_empty() {
                return None;
            }
            kr.owners = vec![Spanned::new(
                content[value..end].to_string(),
                at(value, end),
            )];
            end
        } else if let Some(value) = keyword(bytes, next, "stage") {
            let (reference, end) = reference(content, value)?;
            once(&mut kr.stage, Spanned::new(reference, at(value, end)))?;
            end
        } else if let Some(value) = keyword(bytes, next, "due") {
            let date = parse_date(content.get(value..value + 10)?)?;
            let end = value + 10;
            ends_word(bytes, end)?;
            once(&mut kr.due, Spanned::new(date, at(value, end)))?;
            end
        } else {
            return None;
        };
        kr.span = at(0, cursor);
    }
    Some((kr, None))
}

/// Fills an attribute's slot; a second one is an error the grammar's path reports.
fn once<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    slot.is_none().then(|| *slot = Some(value))
}

/// `word` and at least one space at `at`; where its value starts.
fn keyword(bytes: &[u8], at: usize, word: &str) -> Option<usize> {
    let end = at + word.len();
    (bytes.get(at..end) == Some(word.as_bytes()) && bytes.get(end) == Some(&b' '))
        .then(|| skip_spaces(bytes, end))
}

/// `Some` when a token ending at `end` is followed by a space or the line's end.
fn ends_word(bytes: &[u8], end: usize) -> Option<()> {
    matches!(bytes.get(end), None | Some(b' ')).then_some(())
}

/// An identifier (`atoms::is_identifier`) at `start`, ending the word.
fn ident(bytes: &[u8], start: usize) -> Option<(std::ops::Range<usize>, usize)> {
    let length = atoms::identifier_len(bytes.get(start..)?);
    let end = start + length;
    if length == 0
        || length > atoms::MAX_IDENTIFIER_LEN
        || bytes.get(end).is_some_and(|&b| atoms::is_word_byte(b))
    {
        return None;
    }
    Some((start..end, end))
}

/// A quoted string without escapes or carriage returns at `start`: its
/// text between the quotes, and where it ends.
fn string(content: &str, start: usize) -> Option<(&str, usize)> {
    if content.as_bytes().get(start) != Some(&b'"') {
        return None;
    }
    let length = content[start + 1..].find('"')?;
    let text = &content[start + 1..start + 1 + length];
    (!text.contains(['\\', '\r'])).then_some((text, start + length + 2))
}

/// `@` and a handle's characters at `start`, ending the word; where it ends.
fn handle(bytes: &[u8], start: usize) -> Option<usize> {
    if bytes.get(start) != Some(&b'@') {
        return None;
    }
    let length = atoms::handle_name_len(&bytes[start + 1..]);
    let end = start + 1 + length;
    (length > 0).then_some(())?;
    ends_word(bytes, end)?;
    Some(end)
}

/// `[team/]id[.child]` at `start`, ending the word.
fn reference(content: &str, start: usize) -> Option<(Reference, usize)> {
    let bytes = content.as_bytes();
    let (first, mut end) = ident(bytes, start)?;
    let mut parts = vec![first];
    let mut team = None;
    if bytes.get(end) == Some(&b'/') {
        team = parts.pop();
        let (id, after) = ident(bytes, end + 1)?;
        parts.push(id);
        end = after;
    }
    if bytes.get(end) == Some(&b'.') {
        let (child, after) = ident(bytes, end + 1)?;
        parts.push(child);
        end = after;
    }
    ends_word(bytes, end)?;
    let text = |range: std::ops::Range<usize>| content[range].to_string();
    let mut parts = parts.into_iter();
    let reference = Reference {
        team: team.map(text),
        id: text(parts.next()?),
        child: parts.next().map(text),
    };
    Some((reference, end))
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
            piece(&[
                "2026-07-14",
                "2026-02-30",
                "2026-7-14",
                "20260714xx",
                "2026-+7-14",
            ]),
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

    /// What the grammar makes of a line, when it is a KR line (`KeyResult`
    /// has no `PartialEq`: its debug form, spans included, is compared).
    fn kr_by_grammar(content: &str) -> Option<String> {
        let mut errors = Vec::new();
        let line = super::super::parse_line(0, content, Span::new(0, content.len()), &mut errors);
        match line.statement {
            Statement::KeyResult(kr) if errors.is_empty() => {
                Some(format!("{:?}", (kr, line.comment)))
            }
            _ => None,
        }
    }

    /// Mostly `plain` pieces (so that whole lines often take the fast path),
    /// sometimes an `odd` one.
    fn mostly(
        plain: &'static [&'static str],
        odd: &'static [&'static str],
    ) -> impl Strategy<Value = &'static str> {
        prop_oneof![4 => piece(plain), 1 => piece(odd)]
    }

    fn kr_like() -> impl Strategy<Value = String> {
        const PLAIN: &[&str] = &[
            "",
            "",
            " stage demand.visitors",
            " stage t0150/o1",
            " stage a/b.c",
            "  stage x",
            " owner @sam",
            " owner @a.b-c_d",
            " baseline 35.4%",
            " baseline $1.2M",
            " baseline EUR  5",
            " due 2026-09-30",
        ];
        const ODD: &[&str] = &[
            " stage a.b.c",
            " stage A.b",
            " stage x.y#c",
            " stages x",
            " owner @",
            " owner sam",
            " owner @a!",
            " baseline 5 users",
            " baseline 5 stage",
            " due 2026-02-30",
            " due 2026-9-30",
            " due 2026-09-301",
            " due 2026-+9-30",
            " weight 2",
            "\tstage x",
        ];
        (
            mostly(&["kr ", "kr  "], &["kr\t", "kr", "krs "]),
            mostly(
                &[
                    "k1",
                    "trials",
                    "a_b-c",
                    "x234567890123456789012345678901234567890123456789012345678901234",
                ],
                &[
                    "Bad",
                    "k1x\"",
                    "x2345678901234567890123456789012345678901234567890123456789012345",
                ],
            ),
            mostly(&[" ", "  "], &["", "\t"]),
            mostly(
                &["\"Trial signups\"", "\"\"", "\"# not a comment\""],
                &["\"esc \\\" q\"", "\"open"],
            ),
            mostly(&[" ", "  "], &["", "\t"]),
            mostly(
                &[
                    "target ",
                    "target  ",
                    "target <= ",
                    "target >= ",
                    "target >=  ",
                ],
                &["milestone", "target <=", "targets ", "target"],
            ),
            mostly(
                &[
                    "4,000",
                    "37.5%",
                    "$10,643,600",
                    "EUR 1.5k",
                    "-3",
                    "0.25",
                    "2k",
                    "£7",
                ],
                &[
                    "1,0000",
                    "14,00",
                    "5 customers",
                    "5 stage",
                    "1.",
                    "$5%",
                    "2k%",
                    "4 k",
                    "99999999999999999999999",
                ],
            ),
            (mostly(PLAIN, ODD), mostly(PLAIN, ODD), mostly(PLAIN, ODD)),
            mostly(
                &["", " # note", "  #"],
                &["# tight", " ", "\r", " trailing"],
            ),
        )
            .prop_map(
                |(kr, id, gap, title, gap2, target, quantity, (a, b, c), end)| {
                    format!("{kr}{id}{gap}{title}{gap2}{target}{quantity}{a}{b}{c}{end}")
                },
            )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]
        #[test]
        fn fast_paths_agree_with_the_grammar(line in checkin_like(), kr in kr_like()) {
            if let Some(fast) = checkin(&line, 0) {
                prop_assert_eq!(Some(fast), by_grammar(&line), "{:?}", line);
            }
            if let Some(fast) = key_result(&kr, 0) {
                prop_assert_eq!(Some(format!("{fast:?}")), kr_by_grammar(&kr), "{:?}", kr);
            }
        }
    }

    #[test]
    fn plain_kr_lines_take_the_fast_path() {
        for line in [
            "kr k1 \"Unique website visitors\" target 105,030 stage demand.visitors",
            "kr k2 \"SQL conversion\" target 37.5% baseline 35.4% stage demand.qualified",
            "kr k3 \"Revenue\" target $10,643,600 stage demand.customers owner @sam # note",
            "kr churn \"Monthly churn\" target <= 2% due 2026-09-30",
            "kr arr \"ARR\" target EUR 1.5M stage company/revenue.arr",
        ] {
            let fast = key_result(line, 0);
            assert!(fast.is_some(), "{line}");
            assert_eq!(
                Some(format!("{:?}", fast.unwrap())),
                kr_by_grammar(line),
                "{line}"
            );
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
