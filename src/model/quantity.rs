//! Quantities: exact decimal amounts with a unit (count, percent or money).

use rust_decimal::{Decimal, RoundingStrategy};
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

    /// The three letters, `USD`.
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
    /// A plain number, maybe with a unit word (`1,400 customers`).
    Count,
    /// Stored as a fraction: `25%` is 0.25.
    Percent,
    /// An amount in a currency (`$12,000`, `€5k`).
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

    /// The currency of money; `None` for counts and percents.
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
    /// The exact amount; a fraction for percents.
    pub amount: Decimal,
    /// What the amount measures.
    pub unit: Unit,
    /// A count's unit word as written (`customers`), kept for display.
    pub word: Option<Box<str>>,
}

impl Quantity {
    /// A plain count without a unit word.
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

    /// A percent from its fraction: 0.35 is `35%`.
    pub fn percent(fraction: Decimal) -> Self {
        Quantity {
            amount: fraction,
            unit: Unit::Percent,
            word: None,
        }
    }
}

impl fmt::Display for Quantity {
    /// As people write it, exactly: `1,400 customers`, `6.7%`, `-CHF 1,500.5`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let places = decimals(self.unit.reading(self.amount));
        f.write_str(&self.unit.format(self.amount, places))?;
        match (&self.word, self.unit) {
            (Some(word), Unit::Count) => write!(f, " {word}"),
            _ => Ok(()),
        }
    }
}

// ---------------------------------------------------------------- display
//
// Every number a report or a message prints goes through the functions
// below, from the exact decimal (never through binary floating point), so
// that one rule decides how precise a number reads (SPEC §8.4, §8.8).

impl Unit {
    /// A number of this unit as people read it: a percent's fraction as
    /// its hundredfold (0.995 reads 99.5), anything else as it is.
    pub fn reading(self, amount: Decimal) -> Decimal {
        match self {
            Unit::Percent => amount.checked_mul(Decimal::ONE_HUNDRED).unwrap_or(amount),
            _ => amount,
        }
    }

    /// `amount` in this unit, its reading given `places` decimals (trailing
    /// zeros kept): `1,150`, `99.50%`, `$12,000`, `-CHF 1,500.50`. Percents
    /// are not grouped (`1500%`), as the language writes them.
    pub fn format(self, amount: Decimal, places: u32) -> String {
        self.print(self.reading(amount), places)
    }

    /// [`Unit::format`] from the number's reading, where the caller has it
    /// (a percent's costs a multiplication).
    fn print(self, reading: Decimal, places: u32) -> String {
        match self {
            Unit::Count => fixed(reading, places),
            Unit::Percent => {
                let mut text = round(reading, places).to_string();
                text.push('%');
                text
            }
            Unit::Money(currency) => {
                let number = fixed(reading, places);
                let (sign, number) = match number.strip_prefix('-') {
                    Some(number) => ("-", number),
                    None => ("", number.as_str()),
                };
                let mut text = String::with_capacity(number.len() + 5);
                text.push_str(sign);
                if let Some(symbol) = currency.sign() {
                    text.push_str(symbol);
                } else {
                    text.push_str(currency.code());
                    text.push(' ');
                }
                text.push_str(number);
                text
            }
        }
    }

    /// A computed `value` (a forecast) printed beside `marks` (its target,
    /// or a band's ends; none for a KR without one): with the marks'
    /// decimals, and more where fewer would make it read as a mark it is
    /// not: `99.50%` beside `99.95%`, `24.6%` beside `25%`, never `100%`
    /// beside `100%` unless it is 100%. Without marks, exactly.
    pub fn format_beside(self, value: Decimal, marks: &[Decimal]) -> String {
        let reading = self.reading(value);
        let marks: Vec<Decimal> = marks.iter().map(|&mark| self.reading(mark)).collect();
        let places = match marks.iter().map(|&mark| decimals(mark)).max() {
            Some(least) => places_beside(reading, &marks, least),
            None => decimals(reading),
        };
        self.print(reading, self.cents(places))
    }

    /// A written `value` (a baseline, a reading) printed beside `marks`:
    /// exactly as written, a percent or money with at least the marks'
    /// decimals (`99.50%` beside `99.95%`, `4.2%` beside `5%`), so a report
    /// never shows a number other than the one written. A count is never
    /// padded (`653,104` people, whatever its target resolved to).
    pub fn format_written(self, value: Decimal, marks: &[Decimal]) -> String {
        let least = match self {
            Unit::Count => 0,
            _ => marks
                .iter()
                .map(|&mark| decimals(self.reading(mark)))
                .max()
                .unwrap_or(0),
        };
        let reading = self.reading(value);
        let places = decimals(reading).max(least);
        self.print(reading, self.cents(places))
    }

    /// Money with a fraction shows at least its cents (`$104.50`).
    fn cents(self, places: u32) -> u32 {
        match self {
            Unit::Money(_) if places > 0 => places.max(2),
            _ => places,
        }
    }
}

/// How many decimals a number shows written without trailing zeros:
/// `99.95` → 2, `25` → 0, `1.50` → 1.
pub fn decimals(number: Decimal) -> u32 {
    number.normalize().scale()
}

/// `number` rounded half away from zero to `places` decimals, with its
/// thousands grouped and its trailing zeros kept: `(1234.5, 2)` →
/// `1,234.50`, `(63817.58, 0)` → `63,818`. Never `-0`.
pub fn fixed(number: Decimal, places: u32) -> String {
    group(&round(number, places).to_string())
}

/// `number` rounded half away from zero to exactly `places` decimals
/// (padded with zeros), and never `-0`.
fn round(number: Decimal, places: u32) -> Decimal {
    let mut rounded = number.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
    if rounded.is_zero() {
        rounded.set_sign_positive(true);
    }
    // Rounding never adds places: pad to exactly `places`.
    if rounded.scale() < places {
        rounded.rescale(places);
    }
    rounded
}

/// The decimals to print `value` with: at least `least`, and more while,
/// rounded, it would equal one of `marks` that it differs from (at most
/// its own decimals, where it reads exactly).
pub fn places_beside(value: Decimal, marks: &[Decimal], least: u32) -> u32 {
    let exact = decimals(value);
    let mut places = least;
    while places < exact {
        let rounded = value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
        if !marks.iter().any(|&mark| rounded == mark && value != mark) {
            break;
        }
        places += 1;
    }
    places
}

/// A share (a score, a confidence, the period elapsed) as a percent:
/// `0.5368` → `54%`, `0.0625` → `6.3%`, `0.125` → `12.5%` (one decimal as
/// written stays), and never `0%` or `100%` unless it is: `0.9996` →
/// `99.96%`. Trailing zeros dropped.
pub fn share(fraction: Decimal) -> String {
    let percent = Unit::Percent.reading(fraction).normalize();
    let exact = percent.scale();
    let mut places = if exact <= 1 {
        exact
    } else if percent.abs() >= Decimal::TEN || percent.fract().abs() < Decimal::new(5, 2) {
        0
    } else {
        1
    };
    // As `places_beside` 0% and 100%, keeping the rounded value it finds:
    // a score is often a 28-digit quotient, and each rounding costs.
    let mut rounded =
        percent.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
    while places < exact
        && ((rounded.is_zero() && !percent.is_zero())
            || (rounded == Decimal::ONE_HUNDRED && percent != Decimal::ONE_HUNDRED))
    {
        places += 1;
        rounded = percent.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
    }
    if rounded.is_zero() {
        rounded.set_sign_positive(true);
    }
    let mut text = rounded.normalize().to_string();
    text.push('%');
    text
}

/// Decimals a number the goals wrote can have (cents, a tenth of a cent);
/// more come from a computation (a forecast, a funnel plan) and are rounded.
const WRITTEN_DECIMALS: u32 = 3;

/// A number with no unit or target to read it beside (a funnel plan's
/// volumes): exact up to three decimals (`0.105`), else rounded to 2
/// decimals, or to a whole number from 100 (`63817.5833` → `63,818`).
pub fn figure(number: Decimal) -> String {
    group_thousands(round(number, figure_places(number)))
}

/// The decimals [`figure`] gives a number.
fn figure_places(number: Decimal) -> u32 {
    let places = decimals(number);
    if places <= WRITTEN_DECIMALS {
        places
    } else if number.abs() >= Decimal::ONE_HUNDRED {
        0
    } else {
        2
    }
}

impl Unit {
    /// A number of this unit with nothing to read it beside: a percent as
    /// a [`share`], a count or money as a [`figure`] (`$1,234.50`).
    pub fn format_figure(self, amount: Decimal) -> String {
        match self {
            Unit::Percent => share(amount),
            _ => self.format(amount, self.cents(figure_places(amount))),
        }
    }
}

/// `1234567.5` → `1,234,567.5`; exact, with no trailing zeros.
pub fn group_thousands(amount: Decimal) -> String {
    group(&amount.normalize().to_string())
}

/// A decimal's text with its whole part grouped by thousands.
fn group(text: &str) -> String {
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (digits, None),
    };
    let mut grouped = String::with_capacity(text.len() + whole.len() / 3);
    grouped.push_str(sign);
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    if let Some(fraction) = fraction {
        grouped.push('.');
        grouped.push_str(fraction);
    }
    grouped
}

/// Whether a fraction can be a chance: a confidence from 0% to 100%.
pub fn is_chance(fraction: Decimal) -> bool {
    (Decimal::ZERO..=Decimal::ONE).contains(&fraction)
}

/// Why a number in the source could not become an exact decimal.
#[derive(Debug, PartialEq, Eq)]
pub enum NumberError {
    /// More digits, or a larger magnitude, than an exact decimal holds.
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

/// A number as written (`1,400`, `12.5`, `5k`) as an exact decimal: thousands grouped by commas only, a `k`/`m`/`b` suffix scaling it.
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

    /// SPEC §8.4 and §8.8: a value reads with its target's decimals, and
    /// with more where fewer would show it equal to a target it is not.
    #[test]
    fn a_value_reads_with_its_target_s_decimals_and_differs_where_it_does() {
        let percent =
            |value: &str, target: &str| Unit::Percent.format_beside(dec(value), &[dec(target)]);
        // 99.5% beside 99.95%: two decimals, as the target has.
        assert_eq!(percent("0.995", "0.9995"), "99.50%");
        // 24.6% beside 25%: none would read 25%.
        assert_eq!(percent("0.246", "0.25"), "24.6%");
        // 99.96% beside 100%: never 100% of 100%.
        assert_eq!(percent("0.9996", "1"), "99.96%");
        assert_eq!(percent("1", "1"), "100%");
        // A value that cannot be mistaken for the target keeps its decimals.
        assert_eq!(percent("0.4213", "0.25"), "42%");
        assert_eq!(percent("0.30", "0.355"), "30.0%");
        let count =
            |value: &str, target: &str| Unit::Count.format_beside(dec(value), &[dec(target)]);
        assert_eq!(count("51200", "60000"), "51,200");
        assert_eq!(count("63817.58", "60000"), "63,818");
        assert_eq!(count("59.99", "60"), "59.99");
        assert_eq!(count("59.6", "60"), "59.6");
        assert_eq!(count("2.45", "2.5"), "2.45");
        let usd = Unit::Money(Currency::parse("$").unwrap());
        assert_eq!(usd.format_beside(dec("74.158311"), &[dec("90")]), "$74");
        assert_eq!(usd.format_beside(dec("89.996"), &[dec("90")]), "$89.996");
        assert_eq!(usd.format_beside(dec("89.96"), &[dec("90")]), "$89.96");
        assert_eq!(usd.format_beside(dec("12.5"), &[dec("12.75")]), "$12.50");
        assert_eq!(usd.format_beside(dec("-1500.5"), &[dec("10")]), "-$1,501");
        // A band's two ends: the finer one sets the decimals; either end counts.
        let band = [dec("0.995"), dec("0.9999")];
        assert_eq!(Unit::Percent.format_beside(dec("0.994"), &band), "99.40%");
        assert_eq!(
            Unit::Percent.format_beside(dec("0.99989"), &band),
            "99.989%"
        );
        // No target (a relative one not resolved yet): exactly.
        assert_eq!(Unit::Count.format_beside(dec("8000.25"), &[]), "8,000.25");
        assert_eq!(Unit::Percent.format_beside(dec("0.033"), &[]), "3.3%");
    }

    /// A reading or baseline as written, with at least its target's decimals.
    #[test]
    fn a_written_value_reads_as_written_with_at_least_its_target_s_decimals() {
        let percent =
            |value: &str, target: &str| Unit::Percent.format_written(dec(value), &[dec(target)]);
        assert_eq!(percent("0.995", "0.9995"), "99.50%");
        assert_eq!(percent("0.246", "0.25"), "24.6%");
        assert_eq!(percent("0.042", "0.05"), "4.2%");
        assert_eq!(percent("0.9996", "1"), "99.96%");
        let usd = Unit::Money(Currency::parse("$").unwrap());
        assert_eq!(usd.format_written(dec("104.50"), &[dec("90")]), "$104.50");
        assert_eq!(usd.format_written(dec("98"), &[dec("90")]), "$98");
        assert_eq!(
            usd.format_written(dec("1080000"), &[dec("1150000")]),
            "$1,080,000"
        );
        assert_eq!(
            Unit::Count.format_written(dec("51234.5"), &[dec("60000")]),
            "51,234.5"
        );
        assert_eq!(Unit::Count.format_written(dec("2.4"), &[dec("2.5")]), "2.4");
        assert_eq!(
            Unit::Count.format_written(dec("653104"), &[dec("493396.1")]),
            "653,104"
        );
    }

    #[test]
    fn numbers_round_half_away_from_zero_from_the_exact_decimal() {
        assert_eq!(fixed(dec("1234.5"), 2), "1,234.50");
        assert_eq!(fixed(dec("0.125"), 2), "0.13");
        assert_eq!(fixed(dec("-0.125"), 2), "-0.13");
        assert_eq!(fixed(dec("-0.001"), 2), "0.00");
        assert_eq!(
            fixed(dec("2.675"), 2),
            "2.68",
            "2.675 is 2.67499… as a double"
        );
        assert_eq!(
            fixed(dec("1000000000000000000.5"), 0),
            "1,000,000,000,000,000,001"
        );
        assert_eq!(decimals(dec("1.50")), 1);
        assert_eq!(places_beside(dec("99.5"), &[dec("99.95")], 2), 2);
        assert_eq!(places_beside(dec("99.951"), &[dec("99.95")], 2), 3);
    }

    #[test]
    fn figures_are_exact_as_written_and_rounded_when_computed() {
        assert_eq!(figure(dec("149254")), "149,254");
        assert_eq!(figure(dec("0.105")), "0.105");
        assert_eq!(figure(dec("0.53681")), "0.54");
        assert_eq!(figure(dec("63817.5833")), "63,818");
        assert_eq!(figure(dec("-0.0001")), "0");
        let usd = Unit::Money(Currency::parse("$").unwrap());
        assert_eq!(usd.format_figure(dec("1234.5")), "$1,234.50");
        assert_eq!(usd.format_figure(dec("63817.5833")), "$63,818");
        assert_eq!(Unit::Percent.format_figure(dec("0.5368")), "54%");
    }

    #[test]
    fn shares_never_read_as_none_or_all_unless_they_are() {
        assert_eq!(share(dec("0.5368")), "54%");
        assert_eq!(share(dec("0.0625")), "6.3%");
        assert_eq!(share(dec("0.125")), "12.5%");
        assert_eq!(share(dec("0.0602")), "6%");
        assert_eq!(share(dec("0.9996")), "99.96%");
        assert_eq!(
            share(dec("0.99999999999999999999")),
            "99.999999999999999999%"
        );
        assert_eq!(share(dec("0.00004")), "0.004%");
        assert_eq!(share(dec("1")), "100%");
        assert_eq!(share(dec("0")), "0%");
        assert_eq!(share(dec("1.2")), "120%");
        // A computed third: exact digits, no float between.
        assert_eq!(share(Decimal::ONE / Decimal::from(3)), "33%");
        assert_eq!(share(dec("0.1245")), "12%");
        assert_eq!(share(dec("0.12499999999999999999")), "12%");
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
