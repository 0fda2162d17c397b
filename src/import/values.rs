//! Untrusted spreadsheet text → the language's own atoms: string literals,
//! quantities, dates and handles. Every value goes through the language's
//! rules (`syntax::parse_quantity`, `atoms`), so what is written reads back
//! as what was imported.

use crate::model::quantity::{self, Currency, Quantity, Unit};
use chrono::{Duration, NaiveDate};
use rust_decimal::Decimal;

/// A cell as read: its text, and whether the sheet stored it as a number
/// (an XLSX percent cell holds `0.25` for `25%`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cell {
    /// The text, or a number written as plain decimal digits.
    pub text: String,
    /// Whether the sheet stored a number rather than text.
    pub numeric: bool,
}

impl Cell {
    /// A text cell.
    pub fn text(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            numeric: false,
        }
    }
}

/// How bare numbers are read in a percent KR: `0.25` as 25% (`fraction`),
/// `25` as 25% (`points`), or `auto`: a numeric XLSX cell (Excel keeps 25%
/// as 0.25) or a number from -1 to 1 is a fraction, a larger one points.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PercentNumbers {
    /// Numeric cells and numbers from -1 to 1 are fractions, others points.
    #[default]
    Auto,
    /// `0.25` is 25%.
    Fraction,
    /// `25` is 25%.
    Points,
}

/// `text` as a one-line string literal, quotes included: line breaks and
/// tabs become spaces, other control and bidirectional-override characters
/// are dropped (they cannot be seen and may reorder what is), `"` and `\`
/// are escaped as the language writes them.
pub fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    let mut last_space = false;
    for c in text.trim().chars() {
        let c = match c {
            '\n' | '\r' | '\t' | '\u{85}' | '\u{2028}' | '\u{2029}' => ' ',
            c if crate::escape::is_hidden(c) => continue,
            c => c,
        };
        // Runs of spaces (a line break after a space) read as one.
        if c == ' ' && last_space {
            continue;
        }
        last_space = c == ' ';
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A number as a spreadsheet shows it, with the unit it says it is in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Amount {
    /// The number as written (`25` for `25%`).
    pub number: Decimal,
    /// `%`, a currency sign or code, or neither.
    pub unit: Option<Unit>,
    /// Whether the sheet stored a number (not text).
    pub numeric: bool,
    /// A count's unit word, when the cell is a quantity in the language
    /// (`60,000 visitors`).
    pub word: Option<String>,
}

/// Why a number did not read.
pub fn number_error(text: &str) -> String {
    format!("`{text}` is not a number (write it like `1,200`, `25%`, `$1.5M` or `EUR 300`)")
}

/// Reads `1,200`, `25%`, `25 %`, `$1.5M`, `1 200,50 €` (with
/// `decimal_comma`), `USD 300`, `300 EUR`, `(1,200)`; `None` for text that
/// is not one number, or one too large for an exact decimal.
pub fn amount(cell: &Cell, decimal_comma: bool) -> Option<Amount> {
    spreadsheet_number(cell, decimal_comma).or_else(|| language_quantity(cell))
}

/// A quantity as the language writes it: `60,000 visitors`, `1.4k`.
fn language_quantity(cell: &Cell) -> Option<Amount> {
    let quantity = crate::syntax::parse_quantity(cell.text.trim()).ok()?;
    let unit = quantity.unit;
    Some(Amount {
        number: unit.reading(quantity.amount),
        unit: (unit != Unit::Count).then_some(unit),
        numeric: false,
        word: quantity.word.map(String::from),
    })
}

fn spreadsheet_number(cell: &Cell, decimal_comma: bool) -> Option<Amount> {
    let mut text: String = cell
        .text
        .trim()
        .chars()
        .filter(|c| !matches!(c, '\u{a0}' | '\u{202f}' | '\u{2009}'))
        .collect();
    let mut unit = None;
    if let Some(rest) = text.strip_suffix('%') {
        unit = Some(Unit::Percent);
        text = rest.trim_end().to_string();
    }
    let negative_parens = text.starts_with('(') && text.ends_with(')');
    if negative_parens {
        text = text[1..text.len() - 1].to_string();
    }
    let negative = text.starts_with('-');
    if negative {
        text = text[1..].trim_start().to_string();
    }
    if unit.is_none() {
        if let Some((currency, rest)) = currency_affix(&text) {
            unit = Some(Unit::Money(currency));
            text = rest;
        }
    }
    let negative = negative || negative_parens || text.starts_with('-');
    let text = text.trim_start_matches('-').trim();
    let mut digits: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '\'' | '_'))
        .collect();
    if decimal_comma {
        digits = digits.replace('.', "").replace(',', ".");
    }
    if digits.is_empty() || !digits.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return None;
    }
    // Excel writes a number with an exponent past 1e15 in CSV (`1.5E+21`).
    let number = if digits.contains(['e', 'E']) {
        Decimal::from_scientific(&digits).ok()?
    } else {
        quantity::parse_number(&digits).ok()?
    };
    if number.abs() > quantity::MAX_MAGNITUDE {
        return None;
    }
    Some(Amount {
        number: if negative { -number } else { number },
        unit,
        numeric: cell.numeric,
        word: None,
    })
}

/// A currency sign or code before or after the number, and the rest.
fn currency_affix(text: &str) -> Option<(Currency, String)> {
    for sign in ["$", "€", "£", "¥"] {
        if let Some(rest) = text.strip_prefix(sign).or_else(|| text.strip_suffix(sign)) {
            return Some((Currency::parse(sign)?, rest.trim().to_string()));
        }
    }
    let code = |part: &str| Currency::parse(part.trim());
    if text.len() > 3 && text.is_char_boundary(3) {
        if let Some(currency) = code(&text[..3]) {
            return Some((currency, text[3..].trim().to_string()));
        }
        let at = text.len() - 3;
        if text.is_char_boundary(at) {
            if let Some(currency) = code(&text[at..]) {
                return Some((currency, text[..at].trim().to_string()));
            }
        }
    }
    None
}

/// `amount` in `unit` as a quantity: a bare number in a percent KR read
/// by `percent`, a count given the KR's unit `word`.
pub fn quantity(
    amount: &Amount,
    unit: Unit,
    word: Option<&str>,
    percent: PercentNumbers,
) -> Quantity {
    match unit {
        Unit::Percent if amount.unit.is_none() => {
            let fraction = match percent {
                PercentNumbers::Fraction => true,
                PercentNumbers::Points => false,
                PercentNumbers::Auto => amount.numeric || amount.number.abs() <= Decimal::ONE,
            };
            if fraction {
                Quantity::percent(amount.number)
            } else {
                Quantity::from_percent(amount.number)
            }
        }
        Unit::Percent => Quantity::from_percent(amount.number),
        Unit::Count => Quantity {
            amount: amount.number,
            unit,
            word: word.or(amount.word.as_deref()).map(Into::into),
        },
        Unit::Money(_) => Quantity {
            amount: amount.number,
            unit,
            word: None,
        },
    }
}

/// A quantity as the language writes it, checked to read back the same.
pub fn quantity_text(quantity: &Quantity) -> Option<String> {
    let text = quantity.to_string();
    let read = crate::syntax::parse_quantity(&text).ok()?;
    (read.amount == quantity.amount && read.unit == quantity.unit).then_some(text)
}

/// A unit column's cell: `%`, `percent`, a currency sign or code, `number`,
/// or a word for the count (`customers`); `None` when blank.
pub fn unit_of(text: &str) -> Option<(Unit, Option<String>)> {
    let text = text.trim();
    let lower = text.to_lowercase();
    Some(match lower.as_str() {
        "" => return None,
        "%" | "percent" | "percentage" | "pct" => (Unit::Percent, None),
        "#" | "number" | "numeric" | "count" | "integer" | "decimal" => (Unit::Count, None),
        "money" | "currency" => (Unit::Money(Currency::parse("USD")?), None),
        _ => match Currency::parse(text) {
            Some(currency) => (Unit::Money(currency), None),
            None => (Unit::Count, unit_word(text)),
        },
    })
}

/// A unit word the language accepts after a count: a lowercase run of
/// letters that is not a keyword; none for anything else.
fn unit_word(text: &str) -> Option<String> {
    let word = text.trim().to_lowercase();
    let ok = !word.is_empty()
        && word.len() <= 32
        && word.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        && crate::syntax::parse_quantity(&format!("1 {word}"))
            .is_ok_and(|quantity| quantity.word.as_deref() == Some(word.as_str()));
    ok.then_some(word)
}

/// The day 0 of Excel's serial dates (1900 system, with its leap-year bug).
fn excel_epoch() -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(1899, 12, 30)
}

/// A date as spreadsheets write it: `2026-07-14`, an Excel serial number
/// (`46217`), `2026-07-14T00:00:00`, or one of `formats` (chrono's).
pub fn date(text: &str, formats: &[String]) -> Option<NaiveDate> {
    let text = text.trim();
    if let Some(date) = crate::syntax::atoms::parse_date(text.get(..10).unwrap_or(text)) {
        if text.len() == 10 || text[10..].starts_with(['T', ' ']) {
            return Some(date);
        }
    }
    if let Ok(serial) = text.parse::<f64>() {
        // Serial days from 1900-03-01 to 9999-12-31.
        if (61.0..2_958_466.0).contains(&serial) {
            #[allow(
                clippy::cast_possible_truncation,
                reason = "checked to be within Excel's range of days just above"
            )]
            let days = serial.trunc() as i64;
            return excel_epoch()?.checked_add_signed(Duration::days(days));
        }
        return None;
    }
    formats
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(text, format).ok())
}

/// Who owns: `@dana`, `Dana Smith` (`@dana-smith`), `dana@example.com`
/// (`@dana`); several separated by `,` or `;`. Names that leave no handle
/// character are skipped.
pub fn handles(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in text.split([',', ';', '\n']) {
        let part = part.trim().trim_start_matches('@');
        let part = part.split_once('@').map_or(part, |(local, _)| local);
        let mut name = String::new();
        for c in part.chars() {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-') {
                name.push(c.to_ascii_lowercase());
            } else if c.is_whitespace() && !name.ends_with('-') && !name.is_empty() {
                name.push('-');
            }
        }
        let name = name.trim_matches(['-', '.']).to_string();
        if crate::syntax::atoms::is_handle_name(&name) && !out.contains(&format!("@{name}")) {
            out.push(format!("@{name}"));
        }
    }
    out
}

/// A confidence: `60%`, `0.6` or `60`, as a percent from 0% to 100%.
pub fn confidence(cell: &Cell, decimal_comma: bool) -> Option<Quantity> {
    let amount = amount(cell, decimal_comma)?;
    let fraction = match amount.unit {
        Some(Unit::Percent) => quantity::hundredth(amount.number),
        Some(_) => return None,
        None if amount.number <= Decimal::ONE => amount.number,
        None => quantity::hundredth(amount.number),
    };
    quantity::is_chance(fraction).then(|| Quantity::percent(fraction))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Option<(String, Option<Unit>)> {
        amount(&Cell::text(text), false).map(|a| (a.number.normalize().to_string(), a.unit))
    }

    #[test]
    fn string_literals_are_one_line_and_escaped() {
        assert_eq!(string_literal("a \"b\" \\ c"), r#""a \"b\" \\ c""#);
        assert_eq!(
            string_literal("two\nlines\r\n# not a comment"),
            "\"two lines # not a comment\""
        );
        assert_eq!(
            string_literal("\u{1b}[2Kbell\u{7}\u{202e}x"),
            "\"[2Kbellx\""
        );
    }

    #[test]
    fn numbers_with_units() {
        let usd = Currency::parse("USD").map(Unit::Money);
        let eur = Currency::parse("EUR").map(Unit::Money);
        assert_eq!(read("1,200"), Some(("1200".into(), None)));
        assert_eq!(read("25%"), Some(("25".into(), Some(Unit::Percent))));
        assert_eq!(read("25 %"), Some(("25".into(), Some(Unit::Percent))));
        assert_eq!(read("$1.5M"), Some(("1500000".into(), usd)));
        assert_eq!(read("300 EUR"), Some(("300".into(), eur)));
        assert_eq!(read("EUR 300"), Some(("300".into(), eur)));
        assert_eq!(read("(1,200)"), Some(("-1200".into(), None)));
        assert_eq!(read("1.5E+3"), Some(("1500".into(), None)));
        assert_eq!(read("1e40"), None);
        assert_eq!(read("99999999999999999999999999999"), None);
        assert_eq!(read("n/a"), None);
        assert_eq!(read("#DIV/0!"), None);
        let comma = amount(&Cell::text("1.200,50 €"), true).map(|a| a.number.to_string());
        assert_eq!(comma.as_deref(), Some("1200.50"));
    }

    #[test]
    fn dates_in_the_forms_sheets_use() {
        let day = NaiveDate::from_ymd_opt(2026, 7, 14);
        assert_eq!(date("2026-07-14", &[]), day);
        assert_eq!(date("2026-07-14T00:00:00", &[]), day);
        assert_eq!(date("46217", &[]), day);
        assert_eq!(date("14/07/2026", &["%d/%m/%Y".into()]), day);
        assert_eq!(date("2026-02-30", &[]), None);
        assert_eq!(date("soon", &[]), None);
    }

    #[test]
    fn owners_become_handles() {
        assert_eq!(
            handles("Dana Smith, sam@example.com; @lee"),
            ["@dana-smith", "@sam", "@lee"]
        );
        assert!(handles("\u{1b}[2K").iter().all(|h| h == "@2k"));
        assert!(handles("!!!").is_empty());
    }
}
