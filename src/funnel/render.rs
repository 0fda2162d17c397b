//! `okr funnel` output: the plan table, the leverage table, the verdict on
//! optimisation versus acquisition, and a what-if comparison.

use crate::escape::terminal;
use crate::funnel::{all_lifted_top, leverage, Plan};
use crate::model::goals::Funnel;
use crate::model::quantity::group_thousands;
use rust_decimal::Decimal;
use std::fmt::Write;

/// What the report says about a plan, besides the numbers.
pub struct PlanContext<'a> {
    /// The funnel planned.
    pub funnel: &'a Funnel,
    /// `marketing/inbound`.
    pub name: String,
    /// How the target was chosen, e.g. "KR marketing/engagement.paid".
    pub target_source: String,
    /// Per stage, the KR volume target there, if any.
    pub kr_targets: Vec<Option<Decimal>>,
    /// Per stage, a note on where its planning conversion comes from.
    pub rate_notes: Vec<Option<String>>,
}

fn percent(rate: Decimal) -> String {
    format!("{}%", (rate * Decimal::ONE_HUNDRED).round_dp(2).normalize())
}

fn count(value: Option<Decimal>) -> String {
    value.map_or_else(|| "–".to_string(), group_thousands)
}

/// Lays out rows as columns: the first left-aligned, the others right-aligned.
fn table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let width = |column: usize| {
        rows.iter()
            .filter_map(|row| row.get(column))
            .map(|cell| cell.chars().count())
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..columns).map(width).collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (column, cell) in row.iter().enumerate() {
            let pad = widths[column].saturating_sub(cell.chars().count());
            if column == 0 {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str("  ");
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The plan, leverage and verdict, as text.
pub fn plan(context: &PlanContext<'_>, plan: &Plan) -> String {
    let stages = &context.funnel.stages;
    let target_stage = &stages[plan.target_stage].id.value;
    let mut out = String::new();
    let title = context
        .funnel
        .title
        .as_ref()
        .map_or(String::new(), |t| format!(" \"{}\"", terminal(&t.value)));
    let _ = writeln!(out, "Funnel {}{title}", terminal(&context.name));
    let _ = writeln!(
        out,
        "Target: {} {target_stage} ({})\n",
        group_thousands(plan.target_volume),
        terminal(&context.target_source)
    );
    let mut rows = vec![vec![
        "stage".to_string(),
        "conversion".into(),
        "plan needs".into(),
        "KR target".into(),
        "KRs yield".into(),
    ]];
    for (index, stage) in stages.iter().enumerate() {
        let rate = plan.rates[index].map_or(String::new(), |rate| {
            let note = context.rate_notes[index]
                .as_ref()
                .map_or(String::new(), |note| format!(" ({})", terminal(note)));
            format!("{}{note}", percent(rate))
        });
        rows.push(vec![
            stage.id.value.clone(),
            rate,
            count(plan.needed[index]),
            count(context.kr_targets[index]),
            count(plan.yielded[index]),
        ]);
    }
    out.push_str(&table(&rows));
    out.push_str(&verdict(context, plan));
    out
}

fn verdict(context: &PlanContext<'_>, plan: &Plan) -> String {
    let stages = &context.funnel.stages;
    let top = &stages[0].id.value;
    let mut out = String::new();
    let levers = leverage(plan);
    let (Some(top_needed), Some(best)) = (plan.needed[0], levers.first()) else {
        return out;
    };
    let _ = writeln!(
        out,
        "\nLeverage: each conversion 10% better (of itself), all else equal\n"
    );
    let mut rows = vec![vec![
        "conversion into".to_string(),
        "now".into(),
        "lifted".into(),
        format!("{top} needed"),
        "saved".into(),
    ]];
    for lever in &levers {
        rows.push(vec![
            stages[lever.stage].id.value.clone(),
            percent(lever.rate),
            percent(lever.lifted),
            group_thousands(lever.top_needed),
            group_thousands(lever.saved),
        ]);
    }
    out.push_str(&table(&rows));
    let share = |part: Decimal| percent(part / top_needed);
    let best_stage = &stages[best.stage].id.value;
    let points = (best.lifted - best.rate) * Decimal::ONE_HUNDRED;
    if levers.iter().all(|lever| lever.saved == best.saved) {
        let _ = writeln!(
            out,
            "\nA conversion 10% better saves the same {} {top} ({}) at any stage: as much as acquiring {} more {top}. \
             The conversion into `{best_stage}` needs the smallest lift, {} → {} (+{} points).",
            group_thousands(best.saved),
            share(best.saved),
            group_thousands(best.saved),
            percent(best.rate),
            percent(best.lifted),
            points.round_dp(2).normalize(),
        );
    } else {
        let _ = writeln!(
            out,
            "\nThe best lever is the conversion into `{best_stage}`: from {} to {} it cuts the {top} needed by {} ({}), \
             as much as acquiring {} more {top}.",
            percent(best.rate),
            percent(best.lifted),
            group_thousands(best.saved),
            share(best.saved),
            group_thousands(best.saved),
        );
    }
    if let Some(targeted) = context.kr_targets[0] {
        let gap = top_needed - targeted;
        if gap <= Decimal::ZERO {
            let _ = writeln!(
                out,
                "The KRs target {} {top}, enough for the plan: no more acquisition is needed.",
                group_thousands(targeted)
            );
        } else if let Some(all) = all_lifted_top(plan) {
            let optimised = top_needed - all;
            if optimised >= gap {
                let _ = writeln!(
                    out,
                    "The plan needs {} {top} but the KRs target {}: {} short. Lifting every conversion by 10% \
                     saves {}, which closes the gap: optimising conversions is the cheaper lever.",
                    group_thousands(top_needed),
                    group_thousands(targeted),
                    group_thousands(gap),
                    group_thousands(optimised)
                );
            } else {
                let _ = writeln!(
                    out,
                    "The plan needs {} {top} but the KRs target {}: {} short. Lifting every conversion by 10% \
                     saves only {}: optimise first, then acquire the remaining {} {top}.",
                    group_thousands(top_needed),
                    group_thousands(targeted),
                    group_thousands(gap),
                    group_thousands(optimised),
                    group_thousands(gap - optimised)
                );
            }
        }
    }
    out
}

/// The plan before and after `--what-if` conversions, stage by stage.
pub fn what_if(context: &PlanContext<'_>, before: &Plan, after: &Plan, changes: &str) -> String {
    let mut out = format!("\nWhat if {}:\n\n", terminal(changes));
    let mut rows = vec![vec![
        "stage".to_string(),
        "conversion".into(),
        "→".into(),
        "plan needs".into(),
        "→".into(),
        "change".into(),
    ]];
    for (index, stage) in context.funnel.stages.iter().enumerate() {
        let rate = |plan: &Plan| plan.rates[index].map_or(String::new(), percent);
        let change = match (before.needed[index], after.needed[index]) {
            (Some(before), Some(after)) if after != before => {
                let sign = if after > before { "+" } else { "" };
                format!("{sign}{}", group_thousands(after - before))
            }
            _ => String::new(),
        };
        rows.push(vec![
            stage.id.value.clone(),
            rate(before),
            rate(after),
            count(before.needed[index]),
            count(after.needed[index]),
            change,
        ]);
    }
    out.push_str(&table(&rows));
    out
}
