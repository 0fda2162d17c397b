//! `okr::unit-mismatch` and `okr::bad-conversion`.

use crate::diagnostic::{Code, Diagnostic};
use crate::model::goals::{Baseline, Goals, Reading, SpannedQuantity, Target};
use crate::model::quantity::{is_chance, Quantity, Unit};
use crate::source::FileId;
use crate::span::{Span, Spanned};
use rust_decimal::Decimal;

pub(super) fn check(goals: &Goals, out: &mut Vec<Diagnostic>) {
    let file = goals.file;
    for objective in &goals.objectives {
        for kr in &objective.key_results {
            let target = kr.target.value.unit();
            let milestone = kr.target.value == Target::Milestone;
            match (target, &kr.baseline) {
                (
                    _,
                    Some(Spanned {
                        value: Baseline::Unknown,
                        ..
                    }),
                )
                | (_, None) => {}
                (
                    Some(unit),
                    Some(Spanned {
                        value: Baseline::Known(baseline),
                        span,
                    }),
                ) => mismatch(file, "baseline", baseline, *span, unit, out),
                (None, Some(baseline)) if milestone => out.push(
                    Diagnostic::new(
                        Code::UnitMismatch,
                        file,
                        baseline.span,
                        format!("`{}` is a milestone, which has no baseline", kr.id.value),
                    )
                    .label("a baseline")
                    .help("remove the baseline, or give the KR a numeric target"),
                ),
                (None, Some(_)) => {}
            }
            let unit = kr.unit();
            let target_word = kr.word();
            let target_word = target_word.as_deref();
            for checkin in &kr.checkins {
                let span = checkin.reading.span;
                match (&checkin.reading.value, &kr.target.value) {
                    (Reading::Value(value), Target::Milestone) => {
                        if value.unit != Unit::Percent || !is_chance(value.amount) {
                            out.push(
                                Diagnostic::new(
                                    Code::UnitMismatch,
                                    file,
                                    span,
                                    format!(
                                        "`{}` is a milestone, but this check-in is not a share complete",
                                        kr.id.value
                                    ),
                                )
                                .label(if value.unit == Unit::Percent { "outside 0% … 100%".to_string() } else { value.unit.describe() })
                                .help("a milestone KR checks in with `done`, `pending`, or how much is complete, e.g. `40%`"),
                            );
                        }
                    }
                    (Reading::Value(value), _) => {
                        if let Some(unit) = unit {
                            mismatch(file, "check-in", value, span, unit, out);
                        }
                        if let Some(word) = value
                            .word
                            .as_deref()
                            .filter(|word| Some(*word) != target_word)
                        {
                            let counted = target_word
                                .map_or("has no unit word".to_string(), |w| format!("counts {w}"));
                            out.push(
                                Diagnostic::new(Code::UnitMismatch, file, span, format!("this check-in counts {word}, but the target {counted}"))
                                    .label(format!("in {word}"))
                                    .help("a word after a number is its unit; write who checked in as a handle (`@dana`) and notes in quotes"),
                            );
                        }
                    }
                    (Reading::Done | Reading::Pending, Target::Move(_) | Target::Hold(_)) => out
                        .push(
                            Diagnostic::new(
                                Code::UnitMismatch,
                                file,
                                span,
                                format!(
                                "`{}` has a numeric target, but this check-in is `done`/`pending`",
                                kr.id.value
                            ),
                            )
                            .label("not a number")
                            .help("check in the measured value, or make the KR a `milestone`"),
                        ),
                    (Reading::Done | Reading::Pending, Target::Milestone) => {}
                }
            }
        }
    }
    for segment in &goals.segments {
        if segment.size.value.unit != Unit::Count {
            out.push(
                Diagnostic::new(Code::UnitMismatch, file, segment.size.span, "a segment's size is a count")
                    .label(segment.size.value.unit.describe())
                    .help("write how many companies or people the segment holds, e.g. `size 48,000 companies`"),
            );
        }
    }
    for funnel in &goals.funnels {
        for (index, stage) in funnel.stages.iter().enumerate() {
            if let Some(value) = &stage.value {
                if !matches!(value.value.unit, Unit::Money(_)) {
                    out.push(
                        Diagnostic::new(
                            Code::UnitMismatch,
                            file,
                            value.span,
                            "a stage's `value` is money",
                        )
                        .label(value.value.unit.describe())
                        .help("write what one unit at this stage is worth, e.g. `value $12,000`"),
                    );
                }
            }
            conversion(
                file,
                index,
                stage.conversion.as_ref(),
                stage.span,
                &stage.id.value,
                out,
            );
        }
    }
}

fn mismatch(
    file: FileId,
    what: &str,
    quantity: &Quantity,
    span: Span,
    unit: Unit,
    out: &mut Vec<Diagnostic>,
) {
    if quantity.unit == unit {
        return;
    }
    out.push(
        Diagnostic::new(
            Code::UnitMismatch,
            file,
            span,
            format!(
                "this {what} is {}, but the target is {}",
                quantity.unit.describe(),
                unit.describe()
            ),
        )
        .label(quantity.unit.describe())
        .help(format!(
            "write the {what} in the target's unit ({})",
            unit.describe()
        )),
    );
}

fn conversion(
    file: FileId,
    index: usize,
    conversion: Option<&SpannedQuantity>,
    stage_span: Span,
    stage: &str,
    out: &mut Vec<Diagnostic>,
) {
    let diagnostic = |span, message: String, label: &str, help: &str| {
        Diagnostic::new(Code::BadConversion, file, span, message)
            .label(label)
            .help(help)
    };
    #[allow(
        clippy::match_same_arms,
        reason = "the first stage without a conversion and a valid one are fine for different reasons"
    )]
    match conversion {
        None if index > 0 => out.push(diagnostic(
            stage_span,
            format!("stage `{stage}` has no conversion"),
            "no `conversion`",
            "give every stage after the first the share of the previous stage that reaches it, e.g. `conversion 40%`",
        )),
        None => {}
        Some(conversion) if index == 0 => out.push(diagnostic(
            conversion.span,
            format!("`{stage}` is the first stage, so it has nothing to convert from"),
            "first stage",
            "remove the conversion; the first stage's volume is the top of the funnel",
        )),
        Some(conversion) if conversion.value.unit != Unit::Percent => out.push(diagnostic(
            conversion.span,
            "a conversion is a percent".into(),
            "not a percent",
            "write the share of the previous stage that reaches this one, e.g. `conversion 6.7%`",
        )),
        Some(conversion)
            if conversion.value.amount <= Decimal::ZERO || conversion.value.amount > Decimal::ONE =>
        {
            out.push(diagnostic(
                conversion.span,
                format!("a conversion of {} is impossible", conversion.value),
                "outside (0%, 100%]",
                "a conversion is the share of the previous stage that reaches this one: more than 0% and at most 100%",
            ));
        }
        Some(_) => {}
    }
}
