//! Funnel arithmetic (SPEC §4): the conversions a plan uses, forward yield and
//! backward volume, in exact decimals so 1,400 customers need 10,000 trials, not 10,001.

use crate::model::goals::{Funnel, Goals, Target};
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

/// The share of stage `from` that reaches stage `to` (`from < to`): r_{from+1}·…·r_to.
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
pub struct StageKr<'w> {
    /// The file that defines the funnel.
    pub home: &'w Goals,
    pub objective: usize,
    pub kr: usize,
    pub funnel: &'w Funnel,
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

/// Percent KRs that set a stage's conversion goal, which planning uses instead
/// of the funnel's historical conversion. The first such KR per stage wins.
pub fn conversion_overrides(
    goals: &Goals,
    linked: &[StageKr<'_>],
    funnel: &Funnel,
) -> Vec<(usize, Decimal)> {
    let mut overrides: Vec<(usize, Decimal)> = Vec::new();
    for link in linked
        .iter()
        .filter(|link| std::ptr::eq(link.funnel, funnel))
    {
        let kr = &goals.objectives[link.objective].key_results[link.kr];
        if let Target::Increase(target) = &kr.target.value {
            if target.unit == Unit::Percent
                && !overrides.iter().any(|(stage, _)| *stage == link.stage)
            {
                overrides.push((link.stage, target.amount));
            }
        }
    }
    overrides
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
