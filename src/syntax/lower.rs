//! Lowering: pest pairs of one line → a typed `Statement` with file-relative spans.
//! Checks that the grammar cannot express (real dates, identifier length,
//! numbers that fit an exact decimal) happen here and become syntax errors.

use super::ast::{Attribute, Statement};
use super::atoms::{parse_date, MAX_IDENTIFIER_LEN};
use super::grammar::Rule;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::goals::{
    Band, Baseline, Bound, Change, CheckIn, CheckInExtra, Direction, Funnel, Goal, Graded,
    Initiative, InitiativeStatus, KeyResult, Move, Objective, ObjectiveType, Reading, Reference,
    SpannedQuantity, Stage, Target,
};
use crate::model::period::{explain_bad_date, Cadence, Period, PeriodError};
use crate::model::quantity::{is_chance, parse_number, Currency, NumberError, Quantity, Unit};
use crate::source::FileId;
use crate::span::{Span, Spanned};
use chrono::NaiveDate;
use pest::iterators::{Pair, Pairs};
use rust_decimal::Decimal;

/// Boxed: a diagnostic is large and lowering errors are rare.
type Lowered<T> = Result<T, Box<Diagnostic>>;

/// Lowers the pairs of one line that starts at byte `offset` of file `file`.
pub(super) struct Lowerer {
    pub file: FileId,
    pub offset: usize,
}

impl Lowerer {
    /// The statement and comment among the children of a `line` or `chunk_line`.
    pub(super) fn statement(&self, pairs: Pairs<'_, Rule>) -> Lowered<(Statement, Option<Span>)> {
        let mut statement = Statement::Blank;
        let mut comment = None;
        for pair in pairs {
            match pair.as_rule() {
                Rule::comment => comment = Some(self.span(&pair)),
                Rule::EOI | Rule::indent => {}
                _ => statement = self.lower_statement(pair)?,
            }
        }
        Ok((statement, comment))
    }

    fn lower_statement(&self, pair: Pair<'_, Rule>) -> Lowered<Statement> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let mut parts = Parts::new(pair);
        Ok(match rule {
            Rule::period_stmt => Statement::Period(self.period(parts.next_pair())?),
            Rule::team_stmt => Statement::Team {
                id: self.ident(parts.next_pair())?,
                name: parts.next_if(Rule::string).map(|p| self.string(p)),
            },
            Rule::cadence_stmt => {
                let pair = parts.next_pair();
                let cadence = Cadence::parse(pair.as_str()).ok_or_else(|| {
                    self.error(self.span(&pair), "a cadence is from 1 to 3650 days")
                        .label("out of range")
                        .help("write `weekly`, `biweekly`, `monthly` or a number of days such as `10d`")
                })?;
                Statement::Cadence(Spanned::new(cadence, self.span(&pair)))
            }
            Rule::segment_stmt => {
                let id = self.ident(parts.next_pair())?;
                let definition = match parts.next_if(Rule::string) {
                    Some(name) => Some((self.string(name), self.quantity(parts.next_pair())?)),
                    None => None,
                };
                Statement::Segment { id, definition }
            }
            Rule::funnel_stmt => Statement::Funnel(Box::new(Funnel {
                id: self.ident(parts.next_pair())?,
                title: parts.next_if(Rule::string).map(|p| self.string(p)),
                segment: None,
                stages: Vec::new(),
                span,
            })),
            Rule::stage_stmt => {
                let mut stage = Stage {
                    id: self.ident(parts.next_pair())?,
                    title: self.string(parts.next_pair()),
                    conversion: None,
                    value: None,
                    span,
                };
                for attribute in parts {
                    let keyword = self.span(&attribute);
                    let rule = attribute.as_rule();
                    let quantity = self.quantity(Parts::new(attribute).next_pair())?;
                    let slot = match rule {
                        Rule::conversion => &mut stage.conversion,
                        _ => &mut stage.value,
                    };
                    self.set_once(slot, quantity, keyword)?;
                }
                Statement::Stage(Box::new(stage))
            }
            Rule::objective_stmt => Statement::Objective(Box::new(Objective::new(
                self.ident(parts.next_pair())?,
                self.string(parts.next_pair()),
                span,
            ))),
            Rule::why_stmt => Statement::Why(self.string(parts.next_pair())),
            Rule::aligns_stmt => Statement::Aligns(
                parts
                    .map(|pair| self.reference(pair))
                    .collect::<Lowered<Vec<_>>>()?,
            ),
            Rule::rollup_stmt => Statement::Rollup(span),
            Rule::grade_stmt => Statement::Grade(self.grade(parts, span)?),
            Rule::type_stmt => {
                let pair = parts.next_pair();
                let kind = match pair.as_str() {
                    "committed" => ObjectiveType::Committed,
                    _ => ObjectiveType::Aspirational,
                };
                Statement::Type(Spanned::new(kind, self.span(&pair)))
            }
            Rule::kr_stmt => {
                let id = self.ident(parts.next_pair())?;
                let title = self.string(parts.next_pair());
                let target = self.target(parts.next_pair())?;
                let attributes = parts
                    .map(|pair| self.attribute(pair))
                    .collect::<Lowered<Vec<_>>>()?;
                let mut kr = KeyResult::new(id, title, target, span);
                for attribute in attributes {
                    apply_attribute(self.file, &mut kr, attribute)?;
                }
                Statement::KeyResult(Box::new(kr))
            }
            Rule::attr_stmt => Statement::Attributes(
                parts
                    .map(|pair| self.attribute(pair))
                    .collect::<Lowered<Vec<_>>>()?,
            ),
            Rule::checkin_stmt => Statement::CheckIn(self.checkin(parts, span)?),
            Rule::initiative_stmt => Statement::Initiative(Box::new(self.initiative(parts, span)?)),
            _ => return Err(Box::new(self.error(span, "this line is not a statement"))),
        })
    }

    fn target(&self, pair: Pair<'_, Rule>) -> Lowered<Spanned<Target>> {
        let span = self.span(&pair);
        let mut parts = Parts::new(pair);
        let target = match parts.next() {
            // `milestone` is a keyword alone.
            None => Target::Milestone,
            Some(band) if band.as_rule() == Rule::band => Target::Hold(self.band(band)?),
            Some(relative) if relative.as_rule() == Rule::relative => self.relative(relative)?,
            Some(first) => {
                let (comparison, quantity) = if first.as_rule() == Rule::direction {
                    (Some(first.as_str()), parts.next_pair())
                } else {
                    (None, first)
                };
                if comparison.is_none() && quantity.as_str().starts_with('-') {
                    return Err(Box::new(
                        self.error(self.span(&quantity), "a sign right after `target` makes the target relative")
                            .label("relative, or a negative level?")
                            .help(format!(
                                "write `target >= {0}` to reach the level {0}, or a relative change such as `-10%` or `-5pp`",
                                quantity.as_str()
                            )),
                    ));
                }
                let quantity = self.quantity(quantity)?.value;
                let (direction, strict) = comparison_of(comparison.unwrap_or(">="));
                Target::level(direction, strict, quantity)
            }
        };
        Ok(Spanned::new(target, span))
    }

    /// `+15%`, `x3` or `+5pp`, perhaps `over Q`.
    fn relative(&self, pair: Pair<'_, Rule>) -> Lowered<Target> {
        let mut parts = Parts::new(pair);
        let change = parts.next_pair();
        let form = Parts::new(change).next_pair();
        let rule = form.as_rule();
        let mut pieces = Parts::new(form);
        let negative = rule != Rule::times && pieces.next_pair().as_str() == "-";
        let number = self.decimal(pieces.next_pair())?;
        let signed = if negative {
            -number.value
        } else {
            number.value
        };
        let change = match rule {
            Rule::times => {
                if number.value.is_zero() {
                    return Err(Box::new(
                        self.error(number.span, "a target of zero times the baseline")
                            .label("zero factor")
                            .help("write the factor the number should grow by, such as `x2`, or an absolute target"),
                    ));
                }
                Change::Times(number.value)
            }
            Rule::points => Change::Points(signed / Decimal::ONE_HUNDRED),
            _ => Change::Share(signed / Decimal::ONE_HUNDRED),
        };
        let over = match parts.next() {
            Some(over) => Some(self.quantity(over)?.value),
            None => None,
        };
        if let (Change::Points(_), Some(over)) = (change, &over) {
            if over.unit != Unit::Percent {
                return Err(Box::new(
                    self.error(number.span, "percentage points change a percent")
                        .label("points of a non-percent")
                        .help(format!(
                            "`over {over}` is not a percent; write a share such as `+10%` instead"
                        )),
                ));
            }
        }
        Ok(Target::Move(Move {
            direction: change.direction(),
            strict: false,
            goal: Goal::Relative { change, over },
        }))
    }

    /// `>= Q`, `< Q`, … or `A..B`.
    fn band(&self, pair: Pair<'_, Rule>) -> Lowered<Band> {
        let span = self.span(&pair);
        let mut parts = Parts::new(pair);
        let first = parts.next_pair();
        if first.as_rule() == Rule::band_range {
            let mut ends = Parts::new(first);
            let low = self.quantity(ends.next_pair())?;
            let high = self.quantity(ends.next_pair())?;
            let (low, high) = same_unit(low.value, high.value);
            if low.unit != high.unit {
                return Err(Box::new(
                    self.error(span, "the two ends of a band are in different units")
                        .label(format!(
                            "{} and {}",
                            low.unit.describe(),
                            high.unit.describe()
                        ))
                        .help("write both ends in one unit, such as `97%..99%`"),
                ));
            }
            if low.amount > high.amount {
                return Err(Box::new(
                    self.error(span, "this band ends below where it starts")
                        .label("backwards")
                        .help(format!("write the lower end first: `{high}..{low}`")),
                ));
            }
            let bound = |value| {
                Some(Bound {
                    value,
                    strict: false,
                })
            };
            return Ok(Band {
                min: bound(low),
                max: bound(high),
            });
        }
        let (direction, strict) = comparison_of(first.as_str());
        let bound = Bound {
            value: self.quantity(parts.next_pair())?.value,
            strict,
        };
        Ok(Band::one_sided(direction, bound))
    }

    /// `grade 70% "note"`: a percent, which may exceed 100%.
    fn grade(&self, mut parts: Parts<'_>, span: Span) -> Lowered<Graded> {
        let value = self.quantity(parts.next_pair())?;
        if value.value.unit != Unit::Percent || value.value.amount.is_sign_negative() {
            return Err(Box::new(
                self.error(value.span, "a grade is a percent from 0%")
                    .label(value.value.unit.describe())
                    .help("write the score given at the close of the period, e.g. `grade 70%`"),
            ));
        }
        Ok(Graded {
            value: Spanned::new(value.value.amount, value.span),
            note: parts.next().map(|note| self.string(note)),
            span,
        })
    }

    fn attribute(&self, pair: Pair<'_, Rule>) -> Lowered<Attribute> {
        let rule = pair.as_rule();
        if rule == Rule::owner {
            return Ok(Attribute::Owner(self.owners(pair)));
        }
        // `unknown` is a keyword, so a `baseline unknown` has no other child.
        let last = pair.clone().into_inner().last();
        let Some(value) = Parts::new(pair).next() else {
            let span = last.map_or(Span::new(0, 0), |unknown| self.span(&unknown));
            return Ok(Attribute::Baseline(Spanned::new(Baseline::Unknown, span)));
        };
        Ok(match rule {
            Rule::baseline => {
                let quantity = self.quantity(value)?;
                Attribute::Baseline(Spanned::new(Baseline::Known(quantity.value), quantity.span))
            }
            Rule::weight => {
                let weight = self.decimal(value)?;
                if weight.value <= Decimal::ZERO {
                    return Err(Box::new(
                        self.error(weight.span, "a weight is a positive number")
                            .label("not positive")
                            .help("weights say how much a KR counts toward its objective's score, e.g. `weight 2`; remove a KR rather than weighting it 0"),
                    ));
                }
                Attribute::Weight(weight)
            }
            Rule::stage_ref => Attribute::Stage(self.reference(value)?),
            _ => Attribute::Due(self.date(value)?),
        })
    }

    fn checkin(&self, mut parts: Parts<'_>, span: Span) -> Lowered<CheckIn> {
        let date = self.date(parts.next_pair())?;
        let reading = parts.next_pair();
        let reading = if reading.as_rule() == Rule::milestone_state {
            Spanned::new(
                if reading.as_str() == "done" {
                    Reading::Done
                } else {
                    Reading::Pending
                },
                self.span(&reading),
            )
        } else {
            let quantity = self.quantity(reading)?;
            Spanned::new(Reading::Value(quantity.value), quantity.span)
        };
        let mut extra = CheckInExtra::default();
        for pair in parts {
            match pair.as_rule() {
                Rule::confidence => {
                    let confidence = self.quantity(Parts::new(pair).next_pair())?;
                    if confidence.value.unit != Unit::Percent {
                        return Err(Box::new(
                            self.error(confidence.span, "a confidence is a percent")
                                .label(confidence.value.unit.describe())
                                .help("write how likely the target is met, e.g. `confidence 60%`"),
                        ));
                    }
                    if !is_chance(confidence.value.amount) {
                        return Err(Box::new(
                            self.error(
                                confidence.span,
                                format!("a confidence of {} is not a chance", confidence.value),
                            )
                            .label("outside 0% … 100%")
                            .help("confidence is how likely the target is met, from 0% to 100%"),
                        ));
                    }
                    extra.confidence = Some(Spanned::new(confidence.value.amount, confidence.span));
                }
                Rule::string => extra.note = Some(self.string(pair)),
                _ => extra.by = Some(self.text(&pair)),
            }
        }
        Ok(CheckIn {
            date,
            reading,
            extra: extra.boxed(),
            span,
        })
    }

    fn initiative(&self, mut parts: Parts<'_>, span: Span) -> Lowered<Initiative> {
        let id = match parts.next_if(Rule::ident) {
            Some(pair) => Some(self.ident(pair)?),
            None => None,
        };
        let mut initiative = Initiative {
            id,
            title: self.string(parts.next_pair()),
            owners: Vec::new(),
            status: None,
            due: None,
            span,
        };
        for pair in parts {
            let keyword = self.span(&pair);
            match pair.as_rule() {
                Rule::owner => {
                    if !initiative.owners.is_empty() {
                        self.set_once(&mut Some(()), (), keyword)?;
                    }
                    initiative.owners = self.owners(pair).value;
                }
                Rule::status => {
                    let value = Parts::new(pair).next_pair();
                    let status = InitiativeStatus::parse(value.as_str())
                        .unwrap_or(InitiativeStatus::Planned);
                    let status = Spanned::new(status, self.span(&value));
                    self.set_once(&mut initiative.status, status, keyword)?;
                }
                _ => {
                    let due = self.date(Parts::new(pair).next_pair())?;
                    self.set_once(&mut initiative.due, due, keyword)?;
                }
            }
        }
        Ok(initiative)
    }

    /// The handles of an `owner` attribute, spanning from the first to the last.
    fn owners(&self, pair: Pair<'_, Rule>) -> Spanned<Vec<Spanned<String>>> {
        let handles: Vec<Spanned<String>> =
            Parts::new(pair).map(|handle| self.text(&handle)).collect();
        let span = match (handles.first(), handles.last()) {
            (Some(first), Some(last)) => Span::new(first.span.start(), last.span.end()),
            _ => Span::new(0, 0),
        };
        Spanned::new(handles, span)
    }

    fn set_once<T>(&self, slot: &mut Option<T>, value: T, span: Span) -> Lowered<()> {
        if slot.is_some() {
            return Err(Box::new(
                self.error(span, "this attribute is given twice on the line")
                    .label("given again here")
                    .help("keep one of them"),
            ));
        }
        *slot = Some(value);
        Ok(())
    }

    fn period(&self, pair: Pair<'_, Rule>) -> Lowered<Spanned<Period>> {
        let span = self.span(&pair);
        Period::parse(pair.as_str())
            .map(|period| Spanned::new(period, span))
            .map_err(|error| match error {
                PeriodError::Backwards => self
                    .error(span, "this period ends before it starts")
                    .help("write the earlier date first: `2026-02-01..2026-04-30`"),
                PeriodError::NotADate(text) => self
                    .error(span, explain_bad_date(&text))
                    .label("not a calendar date"),
            })
            .map_err(Box::new)
    }

    fn date(&self, pair: Pair<'_, Rule>) -> Lowered<Spanned<NaiveDate>> {
        let span = self.span(&pair);
        parse_date(pair.as_str())
            .map(|date| Spanned::new(date, span))
            .ok_or_else(|| {
                self.error(span, explain_bad_date(pair.as_str()))
                    .label("not a calendar date")
            })
            .map_err(Box::new)
    }

    fn ident(&self, pair: Pair<'_, Rule>) -> Lowered<Spanned<String>> {
        let ident = self.text(&pair);
        if ident.value.len() > MAX_IDENTIFIER_LEN {
            return Err(Box::new(self
                .error(ident.span, format!("this identifier is {} characters long", ident.value.len()))
                .label("too long")
                .help(format!("identifiers are at most {MAX_IDENTIFIER_LEN} characters; use a shorter id and put the words in the title"))));
        }
        Ok(ident)
    }

    fn reference(&self, pair: Pair<'_, Rule>) -> Lowered<Spanned<Reference>> {
        let span = self.span(&pair);
        let has_team = pair.as_str().contains('/');
        let mut idents = Parts::new(pair);
        let team = if has_team {
            Some(self.ident(idents.next_pair())?.value)
        } else {
            None
        };
        let id = self.ident(idents.next_pair())?.value;
        let child = match idents.next() {
            Some(pair) => Some(self.ident(pair)?.value),
            None => None,
        };
        Ok(Spanned::new(Reference { team, id, child }, span))
    }

    fn string(&self, pair: Pair<'_, Rule>) -> Spanned<String> {
        let span = self.span(&pair);
        let inner = pair.as_str();
        let inner = &inner[1..inner.len() - 1];
        let value = if inner.contains('\\') {
            let mut value = String::with_capacity(inner.len());
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next()),
                    c => value.push(c),
                }
            }
            value
        } else {
            inner.to_string()
        };
        Spanned::new(value, span)
    }

    fn decimal(&self, pair: Pair<'_, Rule>) -> Lowered<Spanned<Decimal>> {
        let span = self.span(&pair);
        parse_number(pair.as_str())
            .map(|value| Spanned::new(value, span))
            .map_err(|error| {
                Box::new(match error {
                    NumberError::TooLarge => self
                        .error(span, "this number is too large")
                        .label("too large")
                        .help("numbers are at most a quintillion (10^18) in size, with at most 28 significant digits"),
                    NumberError::Grouping => self
                        .error(span, "commas must group digits by thousands")
                        .label("misgrouped")
                        .help("write `1,400` or `1400`, not `14,00`"),
                })
            })
    }

    pub(super) fn quantity(&self, pair: Pair<'_, Rule>) -> Lowered<SpannedQuantity> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let pair_text = pair.as_str();
        let mut parts = Parts::new(pair);
        let quantity = match rule {
            Rule::amount if pair_text.ends_with('%') => {
                let number = parts.next_pair();
                if number.as_str().ends_with(|c: char| c.is_ascii_alphabetic()) {
                    return Err(Box::new(
                        self.error(span, "a percent takes no `k`, `M` or `B`")
                            .label("percent with a magnitude")
                            .help("write the percent in full, e.g. `25%`"),
                    ));
                }
                let number = self.decimal(number)?.value;
                Quantity::from_percent(number)
            }
            Rule::money => {
                let currency = parts.next_pair();
                let currency = Currency::parse(currency.as_str()).ok_or_else(|| {
                    Box::new(self.error(self.span(&currency), "not a currency").help(
                        "write a sign (`$`, `€`, `£`, `¥`) or a three-letter code such as `USD`",
                    ))
                })?;
                let amount = self.decimal(parts.next_pair())?.value;
                Quantity {
                    amount,
                    unit: Unit::Money(currency),
                    word: None,
                }
            }
            _ => {
                let amount = self.decimal(parts.next_pair())?.value;
                let word = parts.next();
                if let Some(word) = &word {
                    if let Some((message, help)) = super::errors::suspicious_unit(word.as_str()) {
                        return Err(Box::new(
                            self.error(self.span(word), message)
                                .label("unit word?")
                                .help(help),
                        ));
                    }
                }
                let word = word.map(|word| word.as_str().into());
                Quantity {
                    amount,
                    unit: Unit::Count,
                    word,
                }
            }
        };
        Ok(Spanned::new(quantity, span))
    }

    fn text(&self, pair: &Pair<'_, Rule>) -> Spanned<String> {
        Spanned::new(pair.as_str().to_string(), self.span(pair))
    }

    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let span = pair.as_span();
        Span::new(span.start(), span.end()).shifted(self.offset)
    }

    fn error(&self, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Code::Syntax, self.file, span, message)
    }
}

/// `<=`, `<`, `>=` or `>`: which way, and whether the bound itself is excluded.
fn comparison_of(text: &str) -> (Direction, bool) {
    match text {
        "<=" => (Direction::Decrease, false),
        "<" => (Direction::Decrease, true),
        ">" => (Direction::Increase, true),
        _ => (Direction::Increase, false),
    }
}

/// The ends of a band, a plain count taking the other end's unit word
/// (`90..120 seconds`).
fn same_unit(low: Quantity, high: Quantity) -> (Quantity, Quantity) {
    let plain = |quantity: &Quantity| quantity.unit == Unit::Count && quantity.word.is_none();
    let counts = low.unit == Unit::Count && high.unit == Unit::Count;
    match (plain(&low) && counts, plain(&high) && counts) {
        (true, false) => (
            Quantity {
                unit: high.unit,
                word: high.word.clone(),
                ..low
            },
            high,
        ),
        (false, true) => {
            let high = Quantity {
                unit: low.unit,
                word: low.word.clone(),
                ..high
            };
            (low, high)
        }
        _ => (low, high),
    }
}

/// Puts one attribute on a KR, refusing a second of the same kind.
pub fn apply_attribute(file: FileId, kr: &mut KeyResult, attribute: Attribute) -> Lowered<()> {
    let keyword = attribute.keyword();
    let span = attribute.span();
    let taken = match attribute {
        Attribute::Baseline(value) => kr.baseline.replace(value).is_some(),
        Attribute::Weight(value) => kr.weight.replace(value).is_some(),
        Attribute::Owner(value) => !std::mem::replace(&mut kr.owners, value.value).is_empty(),
        Attribute::Stage(value) => kr.stage.replace(value).is_some(),
        Attribute::Due(value) => kr.due.replace(value).is_some(),
    };
    if taken {
        return Err(Box::new(
            Diagnostic::new(
                Code::Syntax,
                file,
                span,
                format!("`{keyword}` is given twice for KR `{}`", kr.id.value),
            )
            .label("given again here")
            .help(format!("keep one `{keyword}`")),
        ));
    }
    Ok(())
}

/// The meaningful children of a pair: keywords and other punctuation skipped.
struct Parts<'i> {
    inner: Pairs<'i, Rule>,
}

impl<'i> Parts<'i> {
    fn new(pair: Pair<'i, Rule>) -> Self {
        Parts {
            inner: pair.into_inner(),
        }
    }

    /// The next child the grammar guarantees is there.
    #[allow(clippy::expect_used, reason = "the grammar's rules fix their children")]
    fn next_pair(&mut self) -> Pair<'i, Rule> {
        self.next()
            .expect("the grammar guarantees this child is present")
    }

    fn next_if(&mut self, rule: Rule) -> Option<Pair<'i, Rule>> {
        let mut peek = self
            .inner
            .clone()
            .filter(|pair| !is_keyword(pair.as_rule()));
        if peek.next()?.as_rule() == rule {
            self.next()
        } else {
            None
        }
    }
}

impl<'i> Iterator for Parts<'i> {
    type Item = Pair<'i, Rule>;

    fn next(&mut self) -> Option<Self::Item> {
        self.inner.by_ref().find(|pair| !is_keyword(pair.as_rule()))
    }
}

fn is_keyword(rule: Rule) -> bool {
    super::errors::keyword_text(rule).is_some()
}
