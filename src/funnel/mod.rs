//! Funnel arithmetic (SPEC §4): the conversions a plan uses, forward yield and
//! backward volume, in exact decimals so 1,400 customers need 10,000 trials, not 10,001.

pub mod plan;
pub mod render;

use crate::model::goals::{Funnel, Goals, ReferenceText};
use crate::model::quantity::{Quantity, Unit};
use crate::model::resolve::{Index, Resolution};
use rust_decimal::{Decimal, RoundingStrategy};

/// The conversion into each stage used for planning (`None` for the first
/// stage, or where the funnel gives no usable conversion).
pub fn planning_rates(funnel: &Funnel, overrides: &[(usize, Decimal)]) -> Vec<Option<Decimal>> {
    funnel
        .stages
        .iter()
        .enumerate()
        .map(|(index, stage)| {
            if index == 0 {
                return None;
            }
            let planned = overrides
                .iter()
                .find(|(stage, _)| *stage == index)
                .map(|(_, rate)| *rate)
                .or_else(|| {
                    let conversion = stage.conversion.as_ref()?;
                    (conversion.value.unit == Unit::Percent).then_some(conversion.value.amount)
                });
            planned.filter(|rate| *rate > Decimal::ZERO && *rate <= Decimal::ONE)
        })
        .collect()
}

/// The share of stage `from` that reaches stage `to` (`from < to`): `r[from + 1] · … · r[to]`.
pub fn rate_between(rates: &[Option<Decimal>], from: usize, to: usize) -> Option<Decimal> {
    rates
        .get(from + 1..=to)?
        .iter()
        .try_fold(Decimal::ONE, |product, rate| product.checked_mul((*rate)?))
}

/// Volume needed upstream for `volume` downstream, rounded up to a whole unit.
pub fn volume_needed(volume: Decimal, rate: Decimal) -> Option<Decimal> {
    if rate.is_zero() {
        return None;
    }
    Some(volume.checked_div(rate)?.ceil())
}

/// Whole units yielded downstream, rounded down.
pub fn whole_yield(volume: Decimal, rate: Decimal) -> Option<Decimal> {
    Some(
        volume
            .checked_mul(rate)?
            .round_dp_with_strategy(0, RoundingStrategy::ToNegativeInfinity),
    )
}

/// The volume a count or money target means at a stage: money through the
/// stage's `value` (⌈M / v⌉), counts as they are.
pub fn target_volume(funnel: &Funnel, stage: usize, target: &Quantity) -> Option<Decimal> {
    match target.unit {
        Unit::Count => Some(target.amount),
        Unit::Money(currency) => {
            let value = funnel.stages.get(stage)?.value.as_ref()?;
            if value.value.unit != Unit::Money(currency) || value.value.amount <= Decimal::ZERO {
                return None;
            }
            volume_needed(target.amount, value.value.amount)
        }
        Unit::Percent => None,
    }
}

/// A KR of a team file linked to a stage of a funnel.
#[derive(Clone)]
pub struct StageKr<'w> {
    /// The file that defines the funnel.
    pub home: &'w Goals,
    /// Index of the objective in `home`'s objectives.
    pub objective: usize,
    /// Index of the KR in that objective's key results.
    pub kr: usize,
    /// The funnel the KR's `stage` attribute names.
    pub funnel: &'w Funnel,
    /// Index of the stage in `funnel`'s stages.
    pub stage: usize,
}

/// Every KR of `goals` linked to a funnel stage that resolves.
pub fn stage_krs<'w>(goals: &'w Goals, index: &Index<'w>) -> Vec<StageKr<'w>> {
    let mut linked = Vec::new();
    for (objective_index, objective) in goals.objectives.iter().enumerate() {
        for (kr_index, kr) in objective.key_results.iter().enumerate() {
            let Some(reference) = &kr.stage else { continue };
            if let Resolution::Found((home, funnel, stage)) = index.stage(goals, &reference.value) {
                linked.push(StageKr {
                    home,
                    objective: objective_index,
                    kr: kr_index,
                    funnel,
                    stage,
                });
            }
        }
    }
    linked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str_exact(text).unwrap()
    }

    #[test]
    fn the_spec_example_needs_exactly_ten_thousand_trials() {
        let rates = [
            None,
            Some(dec("0.067")),
            Some(dec("0.40")),
            Some(dec("0.35")),
        ];
        let customers = dec("1400");
        let mqls = volume_needed(customers, rate_between(&rates, 2, 3).unwrap()).unwrap();
        let trials = volume_needed(customers, rate_between(&rates, 1, 3).unwrap()).unwrap();
        let visitors = volume_needed(customers, rate_between(&rates, 0, 3).unwrap()).unwrap();
        assert_eq!(mqls, dec("4000"));
        assert_eq!(trials, dec("10000"));
        assert_eq!(visitors, dec("149254"));
        assert_eq!(
            whole_yield(dec("4000"), rate_between(&rates, 1, 3).unwrap()),
            Some(dec("560"))
        );
    }

    #[test]
    fn a_missing_or_zero_rate_plans_nothing() {
        let rates = [None, None, Some(dec("0.5"))];
        assert_eq!(rate_between(&rates, 0, 2), None);
        assert_eq!(volume_needed(dec("10"), Decimal::ZERO), None);
    }
}

/// How a conversion lift changes what the top of the funnel must supply.
pub const LIFT: Decimal = Decimal::from_parts(11, 0, 0, false, 1);

/// The backward plan for a volume at one stage, and the forward yield of the
/// volumes the KRs target.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// The conversion into each stage the plan uses.
    pub rates: Vec<Option<Decimal>>,
    /// Index of the stage whose volume the plan is for.
    pub target_stage: usize,
    /// The volume wanted at `target_stage`.
    pub target_volume: Decimal,
    /// Per stage: the volume the plan needs (upstream of the target: rounded
    /// up; downstream: what the target yields, rounded down).
    pub needed: Vec<Option<Decimal>>,
    /// Per stage: what the most upstream KR volume yields there.
    pub yielded: Vec<Option<Decimal>>,
}

/// Plans `volume` at `stage` backwards through `rates`; `kr_volumes` are the
/// (stage, volume) targets of the KRs on the funnel.
pub fn plan(
    rates: Vec<Option<Decimal>>,
    stage: usize,
    volume: Decimal,
    kr_volumes: &[(usize, Decimal)],
) -> Plan {
    let needed = (0..rates.len())
        .map(|at| {
            if at <= stage {
                volume_needed(volume, rate_between(&rates, at, stage)?)
            } else {
                whole_yield(volume, rate_between(&rates, stage, at)?)
            }
        })
        .collect();
    let source = kr_volumes.iter().min_by_key(|(at, _)| *at);
    let yielded = (0..rates.len())
        .map(|at| {
            let &(from, volume) = source?;
            match at.cmp(&from) {
                std::cmp::Ordering::Less => None,
                std::cmp::Ordering::Equal => Some(volume),
                std::cmp::Ordering::Greater => whole_yield(volume, rate_between(&rates, from, at)?),
            }
        })
        .collect();
    Plan {
        rates,
        target_stage: stage,
        target_volume: volume,
        needed,
        yielded,
    }
}

/// What a 10% better conversion into one stage saves at the top of the funnel.
#[derive(Clone, Debug, PartialEq)]
pub struct Lever {
    /// Index of the stage whose conversion is lifted.
    pub stage: usize,
    /// The conversion into that stage today.
    pub rate: Decimal,
    /// The conversion 10% better (relative), capped at 100%.
    pub lifted: Decimal,
    /// The top-of-funnel volume the target needs with the lifted conversion.
    pub top_needed: Decimal,
    /// How much less top-of-funnel volume that is than today's plan needs.
    pub saved: Decimal,
}

/// Every stage up to the target whose conversion could improve, most saving
/// first (ties: the lowest conversion, the easiest to lift in points, first).
pub fn leverage(plan: &Plan) -> Vec<Lever> {
    let Some(top) = plan.needed.first().copied().flatten() else {
        return Vec::new();
    };
    let mut levers: Vec<Lever> = (1..=plan.target_stage)
        .filter_map(|stage| {
            let rate = plan.rates[stage]?;
            let lifted = (rate * LIFT).min(Decimal::ONE);
            let mut rates = plan.rates.clone();
            rates[stage] = Some(lifted);
            let top_needed = volume_needed(
                plan.target_volume,
                rate_between(&rates, 0, plan.target_stage)?,
            )?;
            Some(Lever {
                stage,
                rate,
                lifted,
                top_needed,
                saved: top - top_needed,
            })
        })
        .collect();
    levers.sort_by(|a, b| b.saved.cmp(&a.saved).then(a.rate.cmp(&b.rate)));
    levers
}

/// The top-of-funnel volume needed with every conversion up to the target
/// lifted by 10% at once: how far optimisation alone can go.
pub fn all_lifted_top(plan: &Plan) -> Option<Decimal> {
    let rates: Vec<Option<Decimal>> = plan
        .rates
        .iter()
        .enumerate()
        .map(|(stage, rate)| match rate {
            Some(rate) if stage >= 1 && stage <= plan.target_stage => {
                Some((*rate * LIFT).min(Decimal::ONE))
            }
            other => *other,
        })
        .collect();
    volume_needed(
        plan.target_volume,
        rate_between(&rates, 0, plan.target_stage)?,
    )
}

#[cfg(test)]
mod plan_tests {
    use super::*;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str_exact(text).unwrap()
    }

    fn spec_plan() -> Plan {
        let rates = vec![
            None,
            Some(dec("0.067")),
            Some(dec("0.40")),
            Some(dec("0.35")),
        ];
        let krs = [(0, dec("60000")), (1, dec("4000")), (3, dec("1400"))];
        plan(rates, 3, dec("1400"), &krs)
    }

    #[test]
    fn the_spec_plan_backwards_and_forwards() {
        let plan = spec_plan();
        let needed: Vec<_> = plan.needed.iter().map(|v| v.unwrap().to_string()).collect();
        assert_eq!(needed, ["149254", "10000", "4000", "1400"]);
        let yielded: Vec<_> = plan
            .yielded
            .iter()
            .map(|v| v.unwrap().to_string())
            .collect();
        assert_eq!(yielded, ["60000", "4020", "1608", "562"]);
    }

    #[test]
    fn a_ten_percent_lift_saves_the_same_share_at_every_stage_below_the_cap() {
        let plan = spec_plan();
        let levers = leverage(&plan);
        assert_eq!(levers.len(), 3);
        // Equal savings: the lowest conversion (easiest to lift in points) ranks first.
        assert_eq!(levers[0].stage, 1);
        assert_eq!(levers[0].lifted, dec("0.0737"));
        assert_eq!(levers[0].top_needed, dec("135686"));
        assert_eq!(levers[0].saved, dec("13568"));
        assert_eq!(all_lifted_top(&plan), Some(dec("112137")));
    }

    #[test]
    fn a_lift_is_capped_at_one_hundred_percent() {
        let rates = vec![None, Some(dec("0.95")), Some(dec("0.5"))];
        let plan = plan(rates, 2, dec("100"), &[]);
        let levers = leverage(&plan);
        assert_eq!(levers[0].stage, 2, "the uncapped lift saves more");
        assert_eq!(levers[1].lifted, Decimal::ONE);
        assert!(levers[1].saved < levers[0].saved);
    }
}

/// Every KR linked to a funnel stage, across the files read, beside the file it is in.
pub fn all_links<'w>(goals: &'w [Goals], index: &Index<'w>) -> Vec<(&'w Goals, StageKr<'w>)> {
    goals
        .iter()
        .flat_map(|file| {
            stage_krs(file, index)
                .into_iter()
                .map(move |link| (file, link))
        })
        .collect()
}

/// [`all_links`] grouped by the funnel each leads to (keyed by its
/// address), so that each funnel of many reads only its own links.
pub fn links_by_funnel<'w>(
    goals: &'w [Goals],
    index: &Index<'w>,
) -> std::collections::HashMap<*const Funnel, Vec<(&'w Goals, StageKr<'w>)>> {
    let mut by_funnel: std::collections::HashMap<*const Funnel, Vec<_>> =
        std::collections::HashMap::new();
    for link in all_links(goals, index) {
        by_funnel
            .entry(std::ptr::from_ref(link.1.funnel))
            .or_default()
            .push(link);
    }
    by_funnel
}

/// What the KRs linked to one funnel say about its plan.
#[derive(Clone, Debug, Default)]
pub struct FunnelKrs {
    /// Percent KRs' targets, which replace their stage's conversion for
    /// planning (the first KR per stage wins).
    pub overrides: Vec<(usize, Decimal)>,
    /// Per stage, the KR whose target sets its planning conversion.
    pub rate_notes: Vec<Option<String>>,
    /// Per stage, the first KR volume target there.
    pub kr_targets: Vec<Option<Decimal>>,
    /// Every (stage, volume) the KRs target.
    pub kr_volumes: Vec<(usize, Decimal)>,
    /// The most downstream volume KR (the first of several on that stage):
    /// its stage, volume and `team/objective.kr` reference.
    pub deepest: Option<(usize, Decimal, String)>,
}

impl FunnelKrs {
    /// Gathers the KRs among `links` that are linked to `funnel`.
    pub fn gather<'w>(funnel: &Funnel, links: &[(&'w Goals, StageKr<'w>)]) -> FunnelKrs {
        let mut krs = FunnelKrs {
            rate_notes: vec![None; funnel.stages.len()],
            kr_targets: vec![None; funnel.stages.len()],
            ..FunnelKrs::default()
        };
        for (goals, link) in links
            .iter()
            .filter(|(_, link)| std::ptr::eq(link.funnel, funnel))
        {
            let objective = &goals.objectives[link.objective];
            let kr = &objective.key_results[link.kr];
            let Some(target) = kr.increase_target() else {
                continue;
            };
            if target.unit == Unit::Percent {
                if krs.rate_notes[link.stage].is_none() {
                    krs.overrides.push((link.stage, target.amount));
                    krs.rate_notes[link.stage] = Some(format!("KR {}", kr.id.value));
                }
                continue;
            }
            let Some(volume) =
                target_volume(funnel, link.stage, &target).filter(|v| *v > Decimal::ZERO)
            else {
                continue;
            };
            krs.kr_targets[link.stage].get_or_insert(volume);
            krs.kr_volumes.push((link.stage, volume));
            if krs
                .deepest
                .as_ref()
                .is_none_or(|deepest| deepest.0 < link.stage)
            {
                let reference =
                    ReferenceText::new(goals.team_id().unwrap_or("?"), &objective.id.value)
                        .child(&kr.id.value)
                        .to_string();
                krs.deepest = Some((link.stage, volume, reference));
            }
        }
        krs
    }

    /// The plan for the deepest KR's volume, when the conversions allow one.
    pub fn default_plan(&self, funnel: &Funnel) -> Option<Plan> {
        let (stage, volume, _) = self.deepest.as_ref()?;
        let rates = planning_rates(funnel, &self.overrides);
        rates
            .iter()
            .skip(1)
            .take(*stage)
            .all(Option::is_some)
            .then(|| plan(rates, *stage, *volume, &self.kr_volumes))
    }
}
