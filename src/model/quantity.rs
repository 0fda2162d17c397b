//! Quantities: exact decimal amounts with a unit (count, percent or money).

use rust_decimal::Decimal;
use std::fmt;

/// An ISO 4217 currency code such as `USD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Currency([u8; 3]);

impl Currency {
    /// `$`, `€`, `£`, `¥` or a three-letter upper-case code.
    pub fn parse(text: &str) -> Option<Currency> {
        let code = match text {
            "$" => "USD",
            "€" => "EUR",
            "£" => "GBP",
            "¥" => "JPY",
            code => code,
        };
        let bytes: [u8; 3] = code.as_bytes().try_into().ok()?;
        bytes
            .iter()
            .all(u8::is_ascii_uppercase)
            .then_some(Currency(bytes))
    }

    pub fn code(&self) -> &str {
        // Built only from ASCII upper-case letters.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    /// The sign people write before amounts, where there is one.
    pub fn sign(&self) -> Option<&'static str> {
        match &self.0 {
            b"USD" => Some("$"),
            b"EUR" => Some("€"),
            b"GBP" => Some("£"),
            b"JPY" => Some("¥"),
            _ => None,
        }
    }
}

/// What a quantity measures. Units must agree for arithmetic to make sense.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unit {
    Count,
    /// Stored as a fraction: `25%` is 0.25.
    Percent,
    Money(Currency),
}

impl Unit {
    /// `count`, `percent` or `money`, as the JSON interface names them.
    pub fn kind(self) -> &'static str {
        match self {
            Unit::Count => "count",
            Unit::Percent => "percent",
            Unit::Money(_) => "money",
        }
    }

    pub fn currency(self) -> Option<Currency> {
        match self {
            Unit::Money(currency) => Some(currency),
            _ => None,
        }
    }

    /// How a reader would name the unit in a message: "a count", "USD".
    pub fn describe(self) -> String {
        match self {
            Unit::Count => "a count".into(),
            Unit::Percent => "a percent".into(),
            Unit::Money(currency) => format!("money in {}", currency.code()),
        }
    }
}

/// An exact amount in a unit. Counts may carry a unit word (`1,400 customers`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quantity {
    pub amount: Decimal,
    pub unit: Unit,
    pub word: Option<Box<str>>,
}

impl Quantity {
    pub fn count(amount: Decimal) -> Self {
        Quantity {
            amount,
            unit: Unit::Count,
            word: None,
        }
    }

    /// `35%` read as the number 35: its fraction 0.35.
    pub fn from_percent(number: Decimal) -> Self {
        Quantity::percent(hundredth(number))
    }

    pub fn percent(fraction: Decimal) -> Self {
        Quantity {
            amount: fraction,
            unit: Unit::Percent,
            word: None,
        }
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.unit {
            Unit::Count => {
                f.write_str(&group_thousands(self.amount))?;
                if let Some(word) = &self.word {
                    write!(f, " {word}")?;
                }
                Ok(())
            }
            Unit::Percent => write!(f, "{}%", (self.amount * Decimal::ONE_HUNDRED).normalize()),
            Unit::Money(currency) => {
                let sign = if self.amount.is_sign_negative() {
                    "-"
                } else {
                    ""
                };
                let amount = group_thousands(self.amount.abs());
                match currency.sign() {
                    Some(symbol) => write!(f, "{sign}{symbol}{amount}"),
                    None => write!(f, "{sign}{} {amount}", currency.code()),
                }
            }
        }
    }
}

/// Whether a fraction can be a chance: a confidence from 0% to 100%.
pub fn is_chance(fraction: Decimal) -> bool {
    (Decimal::ZERO..=Decimal::ONE).contains(&fraction)
}

/// `1234567.5` → `1,234,567.5`; exact, with no trailing zeros.
pub fn group_thousands(amount: Decimal) -> String {
    let text = amount.normalize().to_string();
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (digits, None),
    };
    let mut grouped = String::with_capacity(text.len() + whole.len() / 3);
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    match fraction {
        Some(fraction) => format!("{sign}{grouped}.{fraction}"),
        None => format!("{sign}{grouped}"),
    }
}

/// Why a number in the source could not become an exact decimal.
#[derive(Debug, PartialEq, Eq)]
pub enum NumberError {
    TooLarge,
    /// Commas that do not group thousands, e.g. `14,00` or `1234,567`.
    Grouping,
}

/// The largest magnitude a number may have: far beyond any goal, and small
/// enough that sums, differences and products with rates never overflow.
pub const MAX_MAGNITUDE: Decimal = Decimal::from_parts(0xa764_0000, 0x0de0_b6b3, 0, false, 0);

/// `number / 100`, the same value as the division (trailing zeros aside,
/// which every output normalizes away) by moving the decimal point: half a
/// million check-ins may hold percents, and a division is costly.
pub fn hundredth(number: Decimal) -> Decimal {
    let mut shifted = number;
    match shifted.set_scale(number.scale() + 2) {
        Ok(()) => shifted,
        Err(_) => number / Decimal::ONE_HUNDRED,
    }
}

/// `-1,234.50` → an exact decimal, commas skipped; `None` when it does not
/// fit. Also whether it has at most 18 digits (and so is below the magnitude
/// limit without comparing).
fn exact(digits: &str) -> Option<(Decimal, bool)> {
    let (negative, digits) = match digits.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, digits),
    };
    // Up to 18 digits fit an i64 mantissa: build it directly, the common case.
    let mut mantissa: i64 = 0;
    let mut count = 0;
    let mut scale: Option<u32> = None;
    for byte in digits.bytes() {
        match byte {
            b'0'..=b'9' => {
                count += 1;
                if count > 18 {
                    let plain: String = digits.chars().filter(|&c| c != ',').collect();
                    let value = Decimal::from_str_exact(&plain).ok()?;
                    return Some((if negative { -value } else { value }, false));
                }
                mantissa = mantissa * 10 + i64::from(byte - b'0');
                if let Some(scale) = scale.as_mut() {
                    *scale += 1;
                }
            }
            b',' => {}
            b'.' if scale.is_none() => scale = Some(0),
            _ => return None,
        }
    }
    let value = Decimal::new(
        if negative { -mantissa } else { mantissa },
        scale.unwrap_or(0),
    );
    Some((value, true))
}

/// Reads a number as written: `60,000`, `1.4k`, `2M`, `-3`, `6.7`.
/// Whether the commas of a number's whole part, if any, group its digits by
/// thousands: one to three digits, then groups of three.
fn grouped_by_thousands(number: &str) -> bool {
    let mut run = 0;
    let mut groups = 0;
    for byte in number.bytes() {
        match byte {
            b',' if (groups == 0 && (1..=3).contains(&run)) || run == 3 => {
                groups += 1;
                run = 0;
            }
            b',' => return false,
            b'.' => break,
            b'0'..=b'9' => run += 1,
            _ => {}
        }
    }
    groups == 0 || run == 3
}

pub fn parse_number(text: &str) -> Result<Decimal, NumberError> {
    let (digits, scale) = match text.as_bytes().last() {
        Some(b'k' | b'K') => (&text[..text.len() - 1], Decimal::from(1_000)),
        Some(b'm' | b'M') => (&text[..text.len() - 1], Decimal::from(1_000_000)),
        Some(b'b' | b'B') => (&text[..text.len() - 1], Decimal::from(1_000_000_000)),
        _ => (text, Decimal::ONE),
    };
    if !grouped_by_thousands(digits) {
        return Err(NumberError::Grouping);
    }
    let (value, short) = exact(digits).ok_or(NumberError::TooLarge)?;
    if short && scale == Decimal::ONE {
        return Ok(value);
    }
    value
        .checked_mul(scale)
        .filter(|value| value.abs() <= MAX_MAGNITUDE)
        .ok_or(NumberError::TooLarge)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn a_hundredth_is_the_division(mantissa in any::<i64>(), scale in 0u32..=28) {
            let number = Decimal::new(mantissa, scale);
            let divided = number / Decimal::ONE_HUNDRED;
            prop_assert_eq!(hundredth(number), divided);
            prop_assert_eq!(hundredth(number).normalize().to_string(), divided.normalize().to_string());
        }
    }

    proptest! {
        #[test]
        fn grouping_is_checked_as_the_groups_read(number in "-?[0-9,]{0,12}(\\.[0-9,]{0,4})?") {
            let whole = number.split('.').next().unwrap_or(&number).trim_start_matches('-');
            let mut groups = whole.split(',');
            let first = groups.next().is_some_and(|first| (1..=3).contains(&first.len()));
            let by_groups = !whole.contains(',') || (first && groups.all(|group| group.len() == 3));
            prop_assert_eq!(grouped_by_thousands(&number), by_groups, "{}", number);
        }
    }

    fn dec(text: &str) -> Decimal {
        Decimal::from_str_exact(text).unwrap()
    }

    #[test]
    fn numbers_group_and_scale_exactly() {
        assert_eq!(parse_number("950"), Ok(dec("950")));
        assert_eq!(parse_number("60,000"), Ok(dec("60000")));
        assert_eq!(parse_number("1,234,567.25"), Ok(dec("1234567.25")));
        assert_eq!(parse_number("1.4k"), Ok(dec("1400")));
        assert_eq!(parse_number("1.4K"), Ok(dec("1400")));
        assert_eq!(parse_number("2M"), Ok(dec("2000000")));
        assert_eq!(parse_number("2m"), Ok(dec("2000000")));
        assert_eq!(parse_number("1.5b"), Ok(dec("1500000000")));
        assert_eq!(parse_number("3B"), Ok(dec("3000000000")));
        assert_eq!(parse_number("-3"), Ok(dec("-3")));
        assert_eq!(parse_number("6.7"), Ok(dec("6.7")));
        assert_eq!(parse_number("1234,567"), Err(NumberError::Grouping));
        assert_eq!(parse_number("14,00"), Err(NumberError::Grouping));
    }

    #[test]
    fn the_magnitude_limit_is_a_quintillion() {
        assert_eq!(MAX_MAGNITUDE, dec("1000000000000000000"));
        assert_eq!(parse_number("1,000,000,000,000,000,000"), Ok(MAX_MAGNITUDE));
        assert_eq!(
            parse_number("1,000,000,000,000,000,001"),
            Err(NumberError::TooLarge)
        );
        assert_eq!(parse_number("1000000000B"), Ok(MAX_MAGNITUDE));
        assert_eq!(parse_number("1000000001B"), Err(NumberError::TooLarge));
    }

    #[test]
    fn oversized_numbers_are_errors_not_panics() {
        let huge = "9".repeat(400);
        assert_eq!(parse_number(&huge), Err(NumberError::TooLarge));
        assert_eq!(
            parse_number("79,228,162,514,264,337,593,543,950,335B"),
            Err(NumberError::TooLarge)
        );
    }

    #[test]
    fn arithmetic_is_exact() {
        assert_eq!((dec("0.1") + dec("0.2")).to_string(), "0.3");
        assert_eq!(
            (dec("0.35") * dec("0.40") * dec("0.067"))
                .normalize()
                .to_string(),
            "0.00938"
        );
    }

    #[test]
    fn currencies_from_signs_and_codes() {
        for (text, code) in [
            ("$", "USD"),
            ("€", "EUR"),
            ("£", "GBP"),
            ("¥", "JPY"),
            ("CHF", "CHF"),
        ] {
            assert_eq!(
                Currency::parse(text).map(|c| c.code().to_string()),
                Some(code.into())
            );
        }
        assert_eq!(Currency::parse("usd"), None);
        assert_eq!(Currency::parse("US"), None);
    }

    #[test]
    fn display_is_how_people_write_it() {
        let usd = Unit::Money(Currency::parse("$").unwrap());
        let chf = Unit::Money(Currency::parse("CHF").unwrap());
        let money = |amount, unit| Quantity {
            amount,
            unit,
            word: None,
        };
        assert_eq!(money(dec("10000000"), usd).to_string(), "$10,000,000");
        assert_eq!(money(dec("-1500.50"), chf).to_string(), "-CHF 1,500.5");
        assert_eq!(Quantity::percent(dec("0.067")).to_string(), "6.7%");
        let mut customers = Quantity::count(dec("1400"));
        customers.word = Some("customers".into());
        assert_eq!(customers.to_string(), "1,400 customers");
        assert_eq!(group_thousands(dec("-1234.5")), "-1,234.5");
        assert_eq!(group_thousands(dec("999")), "999");
    }
}
