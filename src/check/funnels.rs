//! Funnel consistency: `okr::funnel-gap`, `okr::exceeds-segment`,
//! `okr::volume-without-quality` and `okr::money-without-value`.

use super::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::funnel::{
    planning_rates, rate_between, stage_krs, target_volume, volume_needed, whole_yield, FunnelKrs,
    StageKr,
};
use crate::model::goals::{Direction, Funnel, Goal, Goals, KeyResult, Move, Target};
use crate::model::quantity::{group_thousands, Unit};
use crate::span::Span;
use rust_decimal::Decimal;

/// A KR may ask for this much more than the plan yields before it is a gap.
const GAP_TOLERANCE: Decimal = Decimal::from_parts(105, 0, 0, false, 2);

pub(super) fn check(goals: &Goals, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let linked = stage_krs(goals, &context.index);
    if linked.is_empty() {
        return;
    }
    let kr = |link: &StageKr<'_>| -> &KeyResult {
        &goals.objectives[link.objective].key_results[link.kr]
    };
    for link in &linked {
        money_without_value(goals, link, kr(link), out);
    }
    let mut funnels: Vec<&Funnel> = Vec::new();
    for link in &linked {
        if !funnels
            .iter()
            .any(|funnel| std::ptr::eq(*funnel, link.funnel))
        {
            funnels.push(link.funnel);
        }
    }
    for funnel in funnels {
        let own: Vec<(&Goals, StageKr<'_>)> =
            linked.iter().map(|link| (goals, link.clone())).collect();
        let rates = planning_rates(funnel, &FunnelKrs::gather(funnel, &own).overrides);
        // Volume KRs on this funnel: (stage, volume the target means, the KR).
        let home = linked
            .iter()
            .find(|link| std::ptr::eq(link.funnel, funnel))
            .map_or(goals, |link| link.home);
        let volumes: Vec<(usize, Decimal, &KeyResult)> = linked
            .iter()
            .filter(|link| std::ptr::eq(link.funnel, funnel))
            .filter_map(|link| {
                let target = kr(link).increase_target()?;
                Some((
                    link.stage,
                    target_volume(funnel, link.stage, &target)?,
                    kr(link),
                ))
            })
            .filter(|(_, volume, _)| *volume > Decimal::ZERO)
            .collect();
        // Per stage, its first volume KR in the file: what a KR further
        // down is compared with (looked up, so thousands of KRs cost no more
        // than a scan each).
        let mut first_at: std::collections::BTreeMap<usize, (usize, Decimal, &KeyResult)> =
            std::collections::BTreeMap::new();
        for &entry in &volumes {
            first_at.entry(entry.0).or_insert(entry);
        }
        for &(stage, volume, downstream) in &volumes {
            // The nearest upstream stage with a volume KR.
            let upstream = first_at.range(..stage).next_back().map(|(_, entry)| entry);
            if let Some(&(from, upstream_volume, upstream_kr)) = upstream {
                funnel_gap(
                    goals,
                    funnel,
                    &rates,
                    (from, upstream_volume, upstream_kr),
                    (stage, volume, downstream),
                    out,
                );
            }
            exceeds_segment(goals, home, funnel, stage, downstream, out);
        }
    }
    volume_without_quality(goals, &linked, out);
}

fn funnel_gap(
    goals: &Goals,
    funnel: &Funnel,
    rates: &[Option<Decimal>],
    (from, upstream_volume, upstream): (usize, Decimal, &KeyResult),
    (to, volume, downstream): (usize, Decimal, &KeyResult),
    out: &mut Vec<Diagnostic>,
) {
    let Some(rate) = rate_between(rates, from, to) else {
        return;
    };
    let (Some(yielded), Some(shown_yield)) = (
        upstream_volume.checked_mul(rate),
        whole_yield(upstream_volume, rate),
    ) else {
        return;
    };
    if yielded
        .checked_mul(GAP_TOLERANCE)
        .is_some_and(|limit| volume <= limit)
    {
        return;
    }
    // Tiny conversions can make the volume needed too large to compute.
    let needed = volume_needed(volume, rate)
        .map_or_else(|| "an unreachable number of".to_string(), group_thousands);
    let to_stage = &funnel.stages[to].id.value;
    let from_stage = &funnel.stages[from].id.value;
    let diagnostic = Diagnostic::new(
            Code::FunnelGap,
            goals.file,
            downstream.target.span,
            format!(
                "`{}` asks for {} {to_stage}, but the {} {from_stage} that `{}` targets yield {}; {} {to_stage} need {} {from_stage}",
                downstream.id.value,
                group_thousands(volume),
                group_thousands(upstream_volume),
                upstream.id.value,
                group_thousands(shown_yield),
                group_thousands(volume),
                needed,
            ),
        )
        .label(format!("{} more than the funnel yields", percent_over(volume, yielded)))
        .related(goals.file, upstream.target.span, format!("yields {} {to_stage}", group_thousands(shown_yield)))
        .help(format!(
            "raise `{}` to {}, lower this target to {}, or plan a better conversion between `{from_stage}` and `{to_stage}` (see `okr funnel {}`)",
            upstream.id.value,
            needed,
            group_thousands(shown_yield),
            funnel.id.value,
        ));
    // The two numbers of the help, as edits, where the target is a plain count.
    let raise = volume_needed(volume, rate).and_then(|needed| {
        let edit = count_target(upstream, needed)?;
        Some((
            format!(
                "Raise `{}` to {}",
                upstream.id.value,
                group_thousands(needed)
            ),
            edit,
        ))
    });
    let lower = count_target(downstream, shown_yield).map(|edit| {
        (
            format!(
                "Lower `{}` to {}",
                downstream.id.value,
                group_thousands(shown_yield)
            ),
            edit,
        )
    });
    out.push(
        [raise, lower]
            .into_iter()
            .flatten()
            .fold(diagnostic, |diagnostic, (title, edit)| {
                diagnostic.fix(title, vec![edit])
            }),
    );
}

/// The edit that makes `kr`'s target `target COUNT`: only for a target
/// written as a count to reach (`target 4,000`), which a volume replaces
/// as it is; money and relative targets are left to the writer.
fn count_target(kr: &KeyResult, count: Decimal) -> Option<(Span, String)> {
    let Target::Move(Move {
        direction: Direction::Increase,
        strict: false,
        goal: Goal::Level(level),
    }) = &kr.target.value
    else {
        return None;
    };
    (level.unit == Unit::Count)
        .then(|| (kr.target.span, format!("target {}", group_thousands(count))))
}

fn percent_over(asked: Decimal, yielded: Decimal) -> String {
    let over = asked
        .checked_div(yielded)
        .and_then(|ratio| (ratio - Decimal::ONE).checked_mul(Decimal::ONE_HUNDRED));
    match over {
        Some(over) => format!("{}%", over.round()),
        None => "far".into(),
    }
}

/// `home` is the file defining the funnel (and so its segment).
fn exceeds_segment(
    goals: &Goals,
    home: &Goals,
    funnel: &Funnel,
    stage: usize,
    kr: &KeyResult,
    out: &mut Vec<Diagnostic>,
) {
    let Some(target) = kr.increase_target() else {
        return;
    };
    if target.unit != Unit::Count || stage + 1 != funnel.stages.len() {
        return;
    }
    let Some(segment_id) = &funnel.segment else {
        return;
    };
    let Some(segment) = home.segment(&segment_id.value) else {
        return;
    };
    if segment.size.value.unit != Unit::Count || target.amount <= segment.size.value.amount {
        return;
    }
    out.push(
        Diagnostic::new(
            Code::ExceedsSegment,
            goals.file,
            kr.target.span,
            format!(
                "`{}` asks for {} {}, more than the {} in segment `{}`",
                kr.id.value,
                group_thousands(target.amount),
                funnel.stages[stage].id.value,
                segment.size.value,
                segment.id.value
            ),
        )
        .label("larger than the market")
        .help("lower the target, or widen the segment if the market really is larger"),
    );
}

fn volume_without_quality(goals: &Goals, linked: &[StageKr<'_>], out: &mut Vec<Diagnostic>) {
    // `stage_krs` lists the links objective by objective: each objective's
    // links are one run of the list, found without a scan per objective.
    for links in linked.chunk_by(|a, b| a.objective == b.objective) {
        let Some(index) = links.first().map(|link| link.objective) else {
            continue;
        };
        let objective = &goals.objectives[index];
        let mut funnels: Vec<(&Funnel, bool, bool)> = Vec::new();
        for link in links {
            let unit = objective.key_results[link.kr].unit();
            let entry = if let Some(entry) = funnels
                .iter_mut()
                .find(|(funnel, _, _)| std::ptr::eq(*funnel, link.funnel))
            {
                entry
            } else {
                funnels.push((link.funnel, false, false));
                let last = funnels.len() - 1;
                &mut funnels[last]
            };
            entry.1 |= unit == Some(Unit::Count);
            entry.2 |= unit == Some(Unit::Percent);
        }
        for (funnel, volume, quality) in funnels {
            if volume && !quality {
                out.push(
                    Diagnostic::new(
                        Code::VolumeWithoutQuality,
                        goals.file,
                        objective.id.span,
                        format!("objective `{}` sets volume targets on funnel `{}` but no conversion target", objective.id.value, funnel.id.value),
                    )
                    .label("volume only")
                    .help(format!("pair volume with quality: add a percent KR on a stage of `{}`, e.g. `kr quality \"…\" target 35% baseline 30% stage {}.…`", funnel.id.value, funnel.id.value)),
                );
            }
        }
    }
}

/// `okr::money-without-value`: a money KR on a stage that has no `value`,
/// so funnel arithmetic cannot turn its target into a volume.
fn money_without_value(
    goals: &Goals,
    link: &StageKr<'_>,
    kr: &KeyResult,
    out: &mut Vec<Diagnostic>,
) {
    let Some(Unit::Money(currency)) = kr.unit() else {
        return;
    };
    let (Some(reference), stage) = (&kr.stage, &link.funnel.stages[link.stage]) else {
        return;
    };
    if stage.value.is_some() {
        return;
    }
    let example = crate::model::quantity::Quantity {
        amount: Decimal::from(12_000),
        unit: Unit::Money(currency),
        word: None,
    };
    out.push(
        Diagnostic::new(
            Code::MoneyWithoutValue,
            goals.file,
            reference.span,
            format!(
                "`{}` targets money at stage `{}`, which has no `value`",
                kr.id.value, reference.value
            ),
        )
        .label("no `value` to convert with")
        .help(format!(
            "give the stage what one unit there is worth (e.g. `value {example}` for the average deal), so the plan can turn the money into a volume",
        )),
    );
}
