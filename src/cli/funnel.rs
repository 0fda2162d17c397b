//! `okr funnel`: plan a funnel backwards from its target, forwards from the
//! KRs' volumes, and show where a better conversion saves the most.

use super::{fail, load, write_stdout, Outcome};
use okr::funnel::render::{self as render, PlanContext};
use okr::funnel::{all_links, planning_rates, target_volume, FunnelKrs};
use okr::model::goals::{Funnel, Goals, ReferenceText};
use okr::model::quantity::{Quantity, Unit};
use okr::model::resolve::Index;
use okr::syntax::atoms;
use okr::workspace::Workspace;
use rust_decimal::Decimal;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Files or folders to read (default: every *.okr below), then the funnel:
    /// `inbound`, or `team/inbound` when several teams have one by that name.
    #[arg(required = true, value_name = "PATHS]... [FUNNEL")]
    paths_and_funnel: Vec<String>,
    /// Plan for this volume or revenue at a stage instead of the KRs' target,
    /// e.g. `customers=1,400` or `customers=$16.8M`.
    #[arg(long, value_name = "STAGE=QUANTITY")]
    target: Option<String>,
    /// Compare the plan with a stage's conversion changed (repeatable), e.g. `mqls=50%`.
    #[arg(long = "what-if", value_name = "STAGE=PERCENT")]
    what_if: Vec<String>,
}

pub fn run(args: Args) -> Outcome {
    let mut words = args.paths_and_funnel;
    let Some(name) = words.pop() else {
        return fail("name the funnel to plan, e.g. `okr funnel inbound`");
    };
    let paths: Vec<PathBuf> = words.into_iter().map(PathBuf::from).collect();
    let workspace = match load(&paths) {
        Ok(workspace) => workspace,
        Err(outcome) => return outcome,
    };
    match plan(&workspace, &name, args.target.as_deref(), &args.what_if) {
        Ok(text) => match write_stdout(&text) {
            Ok(()) => Outcome::Clean,
            Err(outcome) => outcome,
        },
        Err(message) => fail(message),
    }
}

fn plan(
    workspace: &Workspace,
    name: &str,
    target: Option<&str>,
    what_if: &[String],
) -> Result<String, String> {
    let (home, funnel) = find_funnel(workspace, name)?;
    let index = Index::new(&workspace.goals);
    let krs = FunnelKrs::gather(funnel, &all_links(&workspace.goals, &index));
    let (stage, volume, source) = match target {
        Some(target) => {
            let (stage, quantity) = stage_and_quantity(funnel, target)?;
            if quantity.amount <= Decimal::ZERO {
                return Err(format!(
                    "`--target {target}`: a target is more than zero (a plan for nothing needs nothing)"
                ));
            }
            let volume = target_volume(funnel, stage, &quantity).ok_or_else(|| {
                format!("`{target}`: a target is a count, or money at a stage with a `value` in the same currency")
            })?;
            (stage, volume, "--target".to_string())
        }
        None => krs
            .deepest
            .clone()
            .map(|(stage, volume, reference)| (stage, volume, format!("KR {reference}")))
            .ok_or_else(|| {
                format!("no KR targets a volume on funnel `{name}`; give one with `--target STAGE=QUANTITY`")
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
        return Err(format!(
            "funnel `{name}` lacks a usable conversion before `{}`; `okr check` says which",
            funnel.stages[stage].id.value
        ));
    }
    let before = okr::funnel::plan(rates, stage, volume, &krs.kr_volumes);
    let mut text = render::plan(&context, &before);
    if !what_if.is_empty() {
        let mut changed = krs.overrides.clone();
        let mut described = Vec::new();
        for change in what_if {
            let (stage, quantity) = stage_and_quantity(funnel, change)?;
            if stage == 0
                || quantity.unit != Unit::Percent
                || quantity.amount <= Decimal::ZERO
                || quantity.amount > Decimal::ONE
            {
                return Err(format!(
                    "`--what-if {change}`: give a conversion into a stage after the first, more than 0% and at most 100%"
                ));
            }
            changed.retain(|(at, _)| *at != stage);
            changed.push((stage, quantity.amount));
            described.push(format!(
                "{} converts at {quantity}",
                funnel.stages[stage].id.value
            ));
        }
        let after = okr::funnel::plan(
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

/// The funnel named `name` (`inbound` or `team/inbound`) and the file defining it.
fn find_funnel<'w>(
    workspace: &'w Workspace,
    name: &str,
) -> Result<(&'w Goals, &'w Funnel), String> {
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
            Err(if known.is_empty() {
                format!("no funnel `{name}`: the files read define no funnels")
            } else {
                format!("no funnel `{name}`; the funnels are: {}", known.join(", "))
            })
        }
        several => {
            let teams: Vec<&str> = several
                .iter()
                .filter_map(|(goals, _)| goals.team_id())
                .collect();
            Err(format!(
                "several teams have a funnel `{name}` ({}); write `team/{name}`",
                teams.join(", ")
            ))
        }
    }
}

/// `customers=1,400` → the stage's index and the quantity.
fn stage_and_quantity(funnel: &Funnel, text: &str) -> Result<(usize, Quantity), String> {
    let (stage, quantity) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}`: write STAGE=QUANTITY, e.g. `customers=1,400`"))?;
    let index = funnel.stage_index(stage.trim()).ok_or_else(|| {
        let stages: Vec<&str> = funnel.stages.iter().map(|s| s.id.value.as_str()).collect();
        format!(
            "`{text}`: funnel `{}` has no stage `{stage}`; its stages are {}",
            funnel.id.value,
            stages.join(", ")
        )
    })?;
    let quantity = okr::syntax::parse_quantity(quantity.trim())
        .map_err(|error| format!("`{text}`: {error}"))?;
    Ok((index, quantity))
}
