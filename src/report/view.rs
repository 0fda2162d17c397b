//! The report's data: `okr report --format json` exactly as SPEC §6 gives it,
//! and the context every template renders from.

use crate::model::goals::{CheckIn, Reading};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

/// An exact decimal written as a JSON number: an integer when whole (up to
/// 128 bits, so no whole number is rounded), else a float (which carries the
/// full precision a consumer can use).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Num(pub Decimal);

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = self.0.normalize();
        if value.scale() == 0 {
            if let Some(integer) = value.to_i64() {
                return serializer.serialize_i64(integer);
            }
            if let Some(integer) = value.to_i128() {
                return serializer.serialize_i128(integer);
            }
        }
        serializer.serialize_f64(value.to_f64().unwrap_or(0.0))
    }
}

/// The report; its teams are a list, or (`T`) anything serialized as one.
#[derive(Serialize)]
pub struct ReportView<T = Vec<TeamView>> {
    pub version: u32,
    pub today: String,
    pub teams: T,
    pub diagnostics: Vec<serde_json::Value>,
}

/// A team; its objectives are a list, or (`O`) anything serialized as one,
/// such as the objectives' views made one at a time as JSON is written.
#[derive(Serialize)]
pub struct TeamView<O = Vec<ObjectiveView>> {
    pub id: String,
    pub name: String,
    pub file: String,
    pub period: PeriodView,
    pub score: Num,
    pub objectives: O,
    pub funnels: Vec<FunnelView>,
}

#[derive(Serialize)]
pub struct PeriodView {
    pub label: String,
    pub start: String,
    pub end: String,
}

#[derive(Serialize)]
pub struct ObjectiveView {
    pub id: String,
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    /// Why the objective matters (beyond SPEC §6's keys).
    pub why: Option<String>,
    pub owner: Option<String>,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub aligns: Option<String>,
    pub score: Num,
    pub status: &'static str,
    /// `green`, `yellow` or `red` once the period has ended, else null.
    pub grade: Option<&'static str>,
    pub missed_commitment: bool,
    pub key_results: Vec<KrView>,
    pub initiatives: Vec<InitiativeView>,
}

#[derive(Serialize)]
pub struct KrView {
    pub id: String,
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    pub unit: Option<&'static str>,
    pub currency: Option<String>,
    pub direction: &'static str,
    pub baseline: Option<Num>,
    pub target: Option<Num>,
    pub current: Option<Num>,
    pub progress: Option<Num>,
    pub score: Num,
    pub expected: Option<Num>,
    pub status: &'static str,
    pub forecast: Option<Num>,
    pub weight: Num,
    pub stage: Option<String>,
    pub checkins: Vec<CheckinView>,
}

#[derive(Serialize)]
pub struct CheckinView {
    pub date: String,
    /// A number in the KR's unit, or `"done"` / `"pending"` for a milestone.
    pub value: serde_json::Value,
    pub confidence: Option<Num>,
    pub note: Option<String>,
    pub by: Option<String>,
}

impl CheckinView {
    /// A check-in as SPEC §6 (and `okr diff`'s JSON) shows it.
    pub fn of(checkin: &CheckIn) -> Self {
        CheckinView {
            date: checkin.date.value.to_string(),
            value: match &checkin.reading.value {
                Reading::Value(value) => {
                    serde_json::to_value(Num(value.amount)).unwrap_or_default()
                }
                Reading::Done => "done".into(),
                Reading::Pending => "pending".into(),
            },
            confidence: checkin.confidence.as_ref().map(|c| Num(c.value)),
            note: checkin.note.as_ref().map(|n| n.value.clone()),
            by: checkin.by.as_ref().map(|b| b.value.clone()),
        }
    }
}

#[derive(Serialize)]
pub struct InitiativeView {
    pub id: Option<String>,
    pub title: String,
    pub owner: Option<String>,
    pub status: Option<&'static str>,
    pub due: Option<String>,
}

#[derive(Serialize)]
pub struct FunnelView {
    pub id: String,
    pub stages: Vec<StageView>,
}

#[derive(Serialize)]
pub struct StageView {
    pub id: String,
    pub title: String,
    pub conversion: Option<Num>,
    pub value: Option<Num>,
}
