//! Planning a named funnel: takes a workspace, the funnel's name and the
//! `--target`/`--what-if` texts; gives the plan's text, or a [`PlanError`]
//! saying what was mistyped and what exists.

use super::render::{self, PlanContext};
use super::{all_links, planning_rates, target_volume, FunnelKrs};
use crate::diagnostic::suggest;
use crate::model::goals::{Funnel, Goals, ReferenceText};
use crate::model::quantity::{Quantity, Unit};
use crate::model::resolve::Index;
use crate::syntax::atoms;
use crate::syntax::QuantityError;
use crate::workspace::Workspace;
use rust_decimal::Decimal;

/// Why a funnel could not be planned; `Display` is the message for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// No funnel by that name, and the files read define none at all.
    #[error("no funnel `{name}`: the files read define no funnels")]
    NoFunnels {
        /// The funnel name as given.
        name: String,
    },
    /// No funnel by that name; `known` lists those there are (`team/id`),
    /// `near` the one nearest the name.
    #[error("no funnel `{name}`; {}the funnels are: {}", maybe(near), known.join(", "))]
    UnknownFunnel {
        /// The funnel name as given.
        name: String,
        /// Every funnel read, as `team/id`.
        known: Vec<String>,
        /// The declared funnel nearest the name, if one is within two edits.
        near: Option<String>,
    },
    /// Several teams define a funnel by that name.
    #[error("several teams have a funnel `{name}` ({}); write `team/{name}`", teams.join(", "))]
    AmbiguousFunnel {
        /// The funnel name as given.
        name: String,
        /// The teams that define it.
        teams: Vec<String>,
    },
    /// A `--target`/`--what-if` text without `=`.
    #[error("`{text}`: write STAGE=QUANTITY, e.g. `customers=1,400`")]
    NotStageEquals {
        /// The option's value as given.
        text: String,
    },
    /// A `--target`/`--what-if` naming no stage of the funnel.
    #[error("`{text}`: funnel `{funnel}` has no stage `{stage}`; {}its stages are {}", maybe(near), stages.join(", "))]
    UnknownStage {
        /// The option's value as given.
        text: String,
        /// The funnel, as `team/id`.
        funnel: String,
        /// The stage named before `=`.
        stage: String,
        /// The funnel's stages, in order.
        stages: Vec<String>,
        /// The stage nearest the name, if one is within two edits.
        near: Option<String>,
    },
    /// The quantity after `=` did not parse.
    #[error("`{text}`: {source}")]
    BadQuantity {
        /// The option's value as given.
        text: String,
        /// Why the quantity did not parse.
        source: QuantityError,
    },
    /// A `--target` of zero or less.
    #[error("`--target {target}`: a target is more than zero (a plan for nothing needs nothing)")]
    TargetNotPositive {
        /// The `--target` value as given.
        target: String,
    },
    /// A `--target` that is neither a count nor money the stage's value converts.
    #[error(
        "`{target}`: a target is a count, or money at a stage with a `value` in the same currency"
    )]
    TargetNotVolume {
        /// The `--target` value as given.
        target: String,
    },
    /// No `--target` and no KR targeting a volume on the funnel.
    #[error("no KR targets a volume on funnel `{name}`; give one with `--target STAGE=QUANTITY`")]
    NoTarget {
        /// The funnel, as `team/id`.
        name: String,
    },
    /// A conversion on the way to the target stage is missing or unusable.
    #[error("funnel `{name}` lacks a usable conversion before `{stage}`; `okr check` says which")]
    MissingConversion {
        /// The funnel, as `team/id`.
        name: String,
        /// The target stage.
        stage: String,
    },
    /// A `--what-if` that is not a conversion into a later stage in (0%, 100%].
    #[error("`--what-if {change}`: give a conversion into a stage after the first, more than 0% and at most 100%")]
    BadWhatIf {
        /// The `--what-if` value as given.
        change: String,
    },
}

/// "did you mean `x`? " when there is a near name.
fn maybe(near: &Option<String>) -> String {
    near.as_ref().map_or(String::new(), |near| {
        format!("{} ", suggest::did_you_mean(near))
    })
}

/// The plan for funnel `name` (`inbound` or `team/inbound`) as `okr funnel`
/// prints it: towards `target` (`STAGE=QUANTITY`) or else the deepest KR's
/// volume, then compared with each `what_if` (`STAGE=PERCENT`) applied.
pub fn plan_text(
    workspace: &Workspace,
    name: &str,
    target: Option<&str>,
    what_if: &[String],
) -> Result<String, PlanError> {
    let (home, funnel) = find_funnel(workspace, name)?;
    let index = Index::new(&workspace.goals);
    let krs = FunnelKrs::gather(funnel, &all_links(&workspace.goals, &index));
    let (stage, volume, source) = match target {
        Some(target) => {
            let (stage, quantity) = stage_and_quantity(funnel, target)?;
            if quantity.amount <= Decimal::ZERO {
                return Err(PlanError::TargetNotPositive {
                    target: target.to_string(),
                });
            }
            let volume = target_volume(funnel, stage, &quantity).ok_or_else(|| {
                PlanError::TargetNotVolume {
                    target: target.to_string(),
                }
            })?;
            (stage, volume, "--target".to_string())
        }
        None => krs
            .deepest
            .clone()
            .map(|(stage, volume, reference)| (stage, volume, format!("KR {reference}")))
            .ok_or_else(|| PlanError::NoTarget {
                name: name.to_string(),
            })?,
    };

    let context = PlanContext {
        funnel,
        name: ReferenceText::new(home.team_id().unwrap_or("?"), &funnel.id.value).to_string(),
        target_source: source,
        kr_targets: krs.kr_targets.clone(),
        rate_notes: krs.rate_notes.clone(),
    };
    let rates = planning_rates(funnel, &krs.overrides);
    if rates.iter().skip(1).take(stage).any(Option::is_none) {
        return Err(PlanError::MissingConversion {
            name: name.to_string(),
            stage: funnel.stages[stage].id.value.clone(),
        });
    }
    let before = super::plan(rates, stage, volume, &krs.kr_volumes);
    let mut text = render::plan(&context, &before);
    if !what_if.is_empty() {
        let mut changed = krs.overrides.clone();
        let mut described = Vec::new();
        for change in what_if {
            let (stage, quantity) = what_if_change(funnel, change)?;
            changed.retain(|(at, _)| *at != stage);
            changed.push((stage, quantity.amount));
            described.push(format!(
                "{} converts at {quantity}",
                funnel.stages[stage].id.value
            ));
        }
        let after = super::plan(
            planning_rates(funnel, &changed),
            stage,
            volume,
            &krs.kr_volumes,
        );
        text.push_str(&render::what_if(
            &context,
            &before,
            &after,
            &described.join(" and "),
        ));
    }
    Ok(text)
}

/// `mqls=50%` → the stage's index and the conversion, if it is one into a
/// stage after the first, more than 0% and at most 100%.
fn what_if_change(funnel: &Funnel, change: &str) -> Result<(usize, Quantity), PlanError> {
    let (stage, quantity) = stage_and_quantity(funnel, change)?;
    if stage == 0
        || quantity.unit != Unit::Percent
        || quantity.amount <= Decimal::ZERO
        || quantity.amount > Decimal::ONE
    {
        return Err(PlanError::BadWhatIf {
            change: change.to_string(),
        });
    }
    Ok((stage, quantity))
}

/// The funnel named `name` (`inbound` or `team/inbound`) and the file defining it.
fn find_funnel<'w>(
    workspace: &'w Workspace,
    name: &str,
) -> Result<(&'w Goals, &'w Funnel), PlanError> {
    // A funnel is named `[team/]id`; a `.child` part names no funnel.
    let (team, id, child) = atoms::split_reference(name);
    let found: Vec<(&Goals, &Funnel)> = workspace
        .goals
        .iter()
        .filter(|goals| child.is_none() && (team.is_none() || goals.team_id() == team))
        .filter_map(|goals| Some((goals, goals.funnel(id)?)))
        .collect();
    match found.as_slice() {
        [one] => Ok(*one),
        [] => {
            let known: Vec<String> = workspace
                .goals
                .iter()
                .flat_map(|goals| {
                    goals.funnels.iter().map(move |f| {
                        ReferenceText::new(goals.team_id().unwrap_or("?"), &f.id.value).to_string()
                    })
                })
                .collect();
            // Compared as written: `team/id` with the team, else the id.
            let spelled: Vec<String> = if team.is_some() {
                known.clone()
            } else {
                workspace
                    .goals
                    .iter()
                    .flat_map(|goals| goals.funnels.iter().map(|f| f.id.value.clone()))
                    .collect()
            };
            let near = suggest::nearest(name, spelled.iter().map(String::as_str)).map(String::from);
            let name = name.to_string();
            Err(if known.is_empty() {
                PlanError::NoFunnels { name }
            } else {
                PlanError::UnknownFunnel { name, known, near }
            })
        }
        several => Err(PlanError::AmbiguousFunnel {
            name: name.to_string(),
            teams: several
                .iter()
                .filter_map(|(goals, _)| goals.team_id())
                .map(str::to_string)
                .collect(),
        }),
    }
}

/// `customers=1,400` → the stage's index and the quantity.
fn stage_and_quantity(funnel: &Funnel, text: &str) -> Result<(usize, Quantity), PlanError> {
    let (stage, quantity) = text
        .split_once('=')
        .ok_or_else(|| PlanError::NotStageEquals {
            text: text.to_string(),
        })?;
    let index = funnel
        .stage_index(stage.trim())
        .ok_or_else(|| PlanError::UnknownStage {
            text: text.to_string(),
            funnel: funnel.id.value.clone(),
            stage: stage.to_string(),
            stages: funnel.stages.iter().map(|s| s.id.value.clone()).collect(),
            near: suggest::nearest(
                stage.trim(),
                funnel.stages.iter().map(|s| s.id.value.as_str()),
            )
            .map(String::from),
        })?;
    let quantity = crate::syntax::parse_quantity(quantity.trim()).map_err(|source| {
        PlanError::BadQuantity {
            text: text.to_string(),
            source,
        }
    })?;
    Ok((index, quantity))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOALS: &str = "period 2026-Q3
team marketing
owner @dana

funnel inbound
  stage visitors  \"Visitors\"
  stage trials    \"Trials\"     conversion 10%
  stage customers \"Customers\"  conversion 20%  value $12,000

objective grow \"Grow\"
  kr paid \"Paid\" target 100 stage inbound.customers
";

    fn refused(target: Option<&str>, what_if: &[&str]) -> String {
        let workspace = Workspace::from_texts([("m.okr", GOALS)]);
        let what_if: Vec<String> = what_if.iter().map(ToString::to_string).collect();
        match plan_text(&workspace, "inbound", target, &what_if) {
            Ok(text) => format!("planned, unexpectedly:\n{text}"),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn the_workspace_plans_without_a_target() {
        let workspace = Workspace::from_texts([("m.okr", GOALS)]);
        let text = plan_text(&workspace, "marketing/inbound", None, &[]);
        assert!(
            matches!(&text, Ok(text) if text.contains("KR marketing/grow.paid")),
            "{text:?}"
        );
    }

    #[test]
    fn a_target_of_zero_or_less_is_more_than_zero() {
        for target in ["customers=0", "customers=-5", "customers=$0"] {
            assert_eq!(
                refused(Some(target), &[]),
                format!("`--target {target}`: a target is more than zero (a plan for nothing needs nothing)")
            );
        }
    }

    #[test]
    fn a_target_names_a_stage_and_a_quantity() {
        assert_eq!(
            refused(Some("customers"), &[]),
            "`customers`: write STAGE=QUANTITY, e.g. `customers=1,400`"
        );
        assert_eq!(
            refused(Some("nope=5"), &[]),
            "`nope=5`: funnel `inbound` has no stage `nope`; its stages are visitors, trials, customers"
        );
        assert!(refused(Some("customers=lots"), &[]).starts_with("`customers=lots`: "));
        assert_eq!(
            refused(Some("customers=€5"), &[]),
            "`customers=€5`: a target is a count, or money at a stage with a `value` in the same currency"
        );
    }

    #[test]
    fn a_what_if_is_a_conversion_into_a_later_stage() {
        for change in ["trials=0%", "trials=150%", "trials=5", "visitors=50%"] {
            assert_eq!(
                refused(None, &[change]),
                format!("`--what-if {change}`: give a conversion into a stage after the first, more than 0% and at most 100%")
            );
        }
        assert_eq!(
            refused(None, &["trials"]),
            "`trials`: write STAGE=QUANTITY, e.g. `customers=1,400`"
        );
    }

    #[test]
    fn an_unknown_or_ambiguous_funnel_says_what_exists() {
        let workspace = Workspace::from_texts([("m.okr", GOALS)]);
        let error = plan_text(&workspace, "nope", None, &[]).map(|_| ());
        assert_eq!(
            error.map_err(|e| e.to_string()),
            Err("no funnel `nope`; the funnels are: marketing/inbound".to_string())
        );
        let other = GOALS.replace("team marketing", "team sales");
        let workspace = Workspace::from_texts([("m.okr", GOALS), ("s.okr", other.as_str())]);
        let error = plan_text(&workspace, "inbound", None, &[]).map(|_| ());
        assert_eq!(
            error.map_err(|e| e.to_string()),
            Err(
                "several teams have a funnel `inbound` (marketing, sales); write `team/inbound`"
                    .to_string()
            )
        );
    }
}
