//! `okr::unit-mismatch` and `okr::bad-conversion`.

use super::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::goals::{
    Baseline, Goal, Goals, KeyResult, Move, Reading, SpannedQuantity, Target,
};
use crate::model::quantity::{is_chance, Quantity, Unit};
use crate::model::resolve::Resolution;
use crate::source::FileId;
use crate::span::{Span, Spanned};
use rust_decimal::Decimal;

pub(super) fn check(goals: &Goals, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let file = goals.file;
    // The stages of this file's funnels whose conversion a percent KR of
    // this file (so of the same team and period) plans: (funnel, stage).
    let mut planned: Vec<(usize, usize)> = Vec::new();
    for objective in &goals.objectives {
        for kr in &objective.key_results {
            if let Some(stage) = &kr.stage {
                if let Resolution::Found((home, funnel, at)) =
                    context.index.stage(goals, &stage.value)
                {
                    let percent = kr.unit() == Some(Unit::Percent);
                    if percent && std::ptr::eq(home, goals) {
                        if let Some(index) =
                            goals.funnels.iter().position(|f| std::ptr::eq(f, funnel))
                        {
                            planned.push((index, at));
                        }
                    }
                    if percent {
                        planned_conversion(file, kr, &funnel.stages[at].id.value, out);
                    }
                }
            }
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
                    Some(_),
                    Some(Spanned {
                        value: Baseline::Known(baseline),
                        span,
                    }),
                ) => baseline_mismatch(file, kr, baseline, *span, out),
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
            // When the target is the one to fix (a bare number beside a
            // percent or money baseline), check-ins are read in the
            // baseline's unit, the one the KR means.
            let unit = bare_target(kr)
                .and(kr.baseline_quantity().map(|baseline| baseline.unit))
                .or_else(|| kr.unit());
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
    for (funnel_index, funnel) in goals.funnels.iter().enumerate() {
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
            // A stage without a conversion whose conversion a KR plans: the
            // KR's target is the conversion.
            if stage.conversion.is_none() && planned.contains(&(funnel_index, index)) {
                continue;
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

/// A baseline in another unit than the target. The bare number is the
/// likelier mistake: in `target 25 baseline 20%` the target lost its `%`;
/// otherwise the baseline is the one to change.
fn baseline_mismatch(
    file: FileId,
    kr: &KeyResult,
    baseline: &Quantity,
    span: Span,
    out: &mut Vec<Diagnostic>,
) {
    let Some(unit) = kr.target.value.unit() else {
        return;
    };
    if baseline.unit == unit {
        return;
    }
    if let Some((target, quantity)) = bare_target(kr) {
        let meant = in_unit(quantity.amount, baseline.unit);
        let written = Target::level(target.direction, target.strict, meant);
        out.push(
            Diagnostic::new(
                Code::UnitMismatch,
                file,
                kr.target.span,
                format!(
                    "the target {quantity} is {}, but the baseline {baseline} is {}",
                    unit.describe(),
                    baseline.unit.describe()
                ),
            )
            .label("a bare number")
            .help(format!(
                "did you mean `{written}`? a target is in its baseline's unit"
            )),
        );
        return;
    }
    let mut diagnostic = Diagnostic::new(
        Code::UnitMismatch,
        file,
        span,
        format!(
            "this baseline is {}, but the target is {}",
            baseline.unit.describe(),
            unit.describe()
        ),
    )
    .label(baseline.unit.describe());
    diagnostic = if is_bare(baseline) {
        diagnostic.help(format!(
            "did you mean `baseline {}`? a baseline is in its target's unit",
            in_unit(baseline.amount, unit)
        ))
    } else {
        diagnostic.help(format!(
            "write the baseline in the target's unit ({})",
            unit.describe()
        ))
    };
    out.push(diagnostic);
}

/// A count without a unit word: a number that may have lost its `%` or
/// currency sign.
fn is_bare(quantity: &Quantity) -> bool {
    quantity.unit == Unit::Count && quantity.word.is_none()
}

/// The target, when it is a bare number beside a percent or money
/// baseline: the likelier mistake of the two.
fn bare_target(kr: &KeyResult) -> Option<(&Move, &Quantity)> {
    let baseline = kr.baseline_quantity()?;
    let Target::Move(target) = &kr.target.value else {
        return None;
    };
    let Goal::Level(quantity) = &target.goal else {
        return None;
    };
    (is_bare(quantity) && !is_bare(baseline) && baseline.unit != Unit::Count)
        .then_some((target, quantity))
}

/// A bare number as it would be written in `unit`: `25` → `25%`, `$25`.
fn in_unit(number: Decimal, unit: Unit) -> Quantity {
    match unit {
        Unit::Percent => Quantity::from_percent(number),
        unit => Quantity {
            amount: number,
            unit,
            word: None,
        },
    }
}

/// A percent KR on a stage measures that stage's conversion: its target is
/// a conversion, more than 0% and at most 100%.
fn planned_conversion(file: FileId, kr: &KeyResult, stage: &str, out: &mut Vec<Diagnostic>) {
    if !matches!(kr.target.value, Target::Move(_)) {
        return;
    }
    let Some(target) = kr
        .target_quantity()
        .filter(|target| target.unit == Unit::Percent)
    else {
        return;
    };
    if target.amount > Decimal::ZERO && target.amount <= Decimal::ONE {
        return;
    }
    out.push(
        Diagnostic::new(
            Code::BadConversion,
            file,
            kr.target.span,
            format!(
                "`{}` sets the conversion into stage `{stage}` to {target}, which is impossible",
                kr.id.value
            ),
        )
        .label("outside (0%, 100%]")
        .help("a percent KR on a stage targets the share of the previous stage that reaches it: more than 0% and at most 100%"),
    );
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
