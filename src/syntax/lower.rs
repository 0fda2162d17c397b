//! Lowering: pest pairs of one line → a typed `Statement` with file-relative spans.
//! Checks that the grammar cannot express (real dates, identifier length,
//! numbers that fit an exact decimal) happen here and become syntax errors.

use super::ast::{Attribute, Statement};
use super::atoms::{parse_date, MAX_IDENTIFIER_LEN};
use super::grammar::Rule;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::goals::{
    CheckIn, Funnel, Initiative, InitiativeStatus, KeyResult, Objective, ObjectiveType, Reading,
    Reference, SpannedQuantity, Stage, Target,
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
pub struct Lowerer {
    pub file: FileId,
    pub offset: usize,
}

impl Lowerer {
    /// The statement and comment among the children of a `line` or `chunk_line`.
    pub fn statement(&self, pairs: Pairs<'_, Rule>) -> Lowered<(Statement, Option<Span>)> {
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
            Rule::objective_stmt => Statement::Objective(Box::new(Objective {
                id: self.ident(parts.next_pair())?,
                title: self.string(parts.next_pair()),
                span,
                why: None,
                owner: None,
                aligns: None,
                kind: None,
                segment: None,
                key_results: Vec::new(),
                initiatives: Vec::new(),
            })),
            Rule::why_stmt => Statement::Why(self.string(parts.next_pair())),
            Rule::aligns_stmt => Statement::Aligns(self.reference(parts.next_pair())?),
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
        let Some(first) = parts.next() else {
            // `milestone` is a keyword alone.
            return Ok(Spanned::new(Target::Milestone, span));
        };
        let (decrease, quantity) = if first.as_rule() == Rule::direction {
            (first.as_str() == "<=", parts.next_pair())
        } else {
            (false, first)
        };
        let quantity = self.quantity(quantity)?.value;
        let target = if decrease {
            Target::Decrease(quantity)
        } else {
            Target::Increase(quantity)
        };
        Ok(Spanned::new(target, span))
    }

    fn attribute(&self, pair: Pair<'_, Rule>) -> Lowered<Attribute> {
        let rule = pair.as_rule();
        let value = Parts::new(pair).next_pair();
        Ok(match rule {
            Rule::baseline => Attribute::Baseline(self.quantity(value)?),
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
            Rule::owner => Attribute::Owner(self.text(&value)),
            Rule::stage_ref => Attribute::Stage(self.reference(value)?),
            _ => Attribute::Due(self.date(value)?),
        })
    }

    fn checkin(&self, mut parts: Parts<'_>, span: Span) -> Lowered<CheckIn> {
        let date = self.date(parts.next_pair())?;
        let reading = parts.next_pair();
        let reading = match reading.as_rule() {
            Rule::milestone_state => Spanned::new(
                if reading.as_str() == "done" {
                    Reading::Done
                } else {
                    Reading::Pending
                },
                self.span(&reading),
            ),
            _ => {
                let quantity = self.quantity(reading)?;
                Spanned::new(Reading::Value(quantity.value), quantity.span)
            }
        };
        let mut checkin = CheckIn {
            date,
            reading,
            confidence: None,
            note: None,
            by: None,
            span,
        };
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
                    checkin.confidence = Some(Box::new(Spanned::new(
                        confidence.value.amount,
                        confidence.span,
                    )));
                }
                Rule::string => checkin.note = Some(Box::new(self.string(pair))),
                _ => checkin.by = Some(Box::new(self.text(&pair))),
            }
        }
        Ok(checkin)
    }

    fn initiative(&self, mut parts: Parts<'_>, span: Span) -> Lowered<Initiative> {
        let id = match parts.next_if(Rule::ident) {
            Some(pair) => Some(self.ident(pair)?),
            None => None,
        };
        let mut initiative = Initiative {
            id,
            title: self.string(parts.next_pair()),
            owner: None,
            status: None,
            due: None,
            span,
        };
        for pair in parts {
            let keyword = self.span(&pair);
            match pair.as_rule() {
                Rule::owner => {
                    let owner = self.text(&Parts::new(pair).next_pair());
                    self.set_once(&mut initiative.owner, owner, keyword)?;
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

    pub fn quantity(&self, pair: Pair<'_, Rule>) -> Lowered<SpannedQuantity> {
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

/// Puts one attribute on a KR, refusing a second of the same kind.
pub fn apply_attribute(file: FileId, kr: &mut KeyResult, attribute: Attribute) -> Lowered<()> {
    let keyword = attribute.keyword();
    let span = attribute.span();
    let taken = match attribute {
        Attribute::Baseline(value) => kr.baseline.replace(value).is_some(),
        Attribute::Weight(value) => kr.weight.replace(value).is_some(),
        Attribute::Owner(value) => kr.owner.replace(value).is_some(),
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
