//! The YAML baseline for okr's benchmarks: what a hand-rolled goal tool would
//! do if a team kept its goals in YAML instead of `.okr` files.
//!
//!     yaml-load DIR
//!
//! Reads every `*.yaml` file directly in DIR (the `team-NNNN.yaml` files that
//! `benches/gen_org.py --format yaml` writes), deserializes each into the
//! structs below with serde, keeps them all in memory (as a tool that
//! resolves references across teams would), and prints one line of counts so
//! the work cannot be optimised away. It does **no** checks beyond what
//! deserialization itself needs: no references resolved, no lints, no scores.
//! The first file that cannot be read or deserialized is reported with its
//! name, and the exit status is 1.
//!
//! Files are loaded in parallel with rayon (one thread per core), as `okr`
//! parses its files on every core, so whole-process wall times compare fairly.
//!
//! The YAML crate is `serde-saphyr`. `serde_yaml` is archived and deprecated
//! (0.9.34+deprecated, March 2024), and its drop-in forks have gone quiet
//! themselves (`serde_yaml_ng`: last release 0.10.0, May 2024; `serde_norway`:
//! 0.9.42, December 2024); all of them sit on a C-to-Rust translation of
//! libyaml (`unsafe-libyaml` or a fork of it). `serde-saphyr` is actively
//! released (2.x in 2026), denies unsafe code in its own crate, parses with
//! a pure-Rust parser (`granit-parser`), and deserializes straight into the
//! target types without building an intermediate `Value` tree, which is also
//! the fast path for this job.
//! Only its `deserialize` feature is enabled.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Deserialize;

/// One team's goals: one `team-NNNN.yaml` file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // Fields are read by deserialization only: that is the point.
struct Team {
    team: String,
    name: String,
    period: String,
    cadence: String,
    owner: Option<String>,
    #[serde(default)]
    segments: Vec<Segment>,
    #[serde(default)]
    funnels: Vec<Funnel>,
    #[serde(default)]
    objectives: Vec<Objective>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Segment {
    id: String,
    name: String,
    size: f64,
    unit: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Funnel {
    id: String,
    title: Option<String>,
    segment: Option<String>,
    stages: Vec<Stage>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Stage {
    id: String,
    title: String,
    /// Percent of the previous stage, e.g. 6.7.
    conversion: Option<f64>,
    /// Money one unit at this stage is worth.
    value: Option<f64>,
    currency: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Objective {
    id: String,
    title: String,
    why: Option<String>,
    owner: Option<String>,
    aligns: Option<String>,
    #[serde(rename = "type")]
    kind: Option<Commitment>,
    #[serde(default)]
    key_results: Vec<KeyResult>,
    #[serde(default)]
    initiatives: Vec<Initiative>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Commitment {
    Committed,
    Aspirational,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct KeyResult {
    id: String,
    title: String,
    unit: Unit,
    currency: Option<String>,
    target: f64,
    baseline: Option<f64>,
    /// `FUNNEL.STAGE`.
    stage: Option<String>,
    owner: Option<String>,
    #[serde(default)]
    check_ins: Vec<CheckIn>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Unit {
    Count,
    Percent,
    Money,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct CheckIn {
    date: NaiveDate,
    value: f64,
    /// Percent, e.g. 60.
    confidence: Option<f64>,
    note: Option<String>,
    by: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Initiative {
    title: String,
    owner: Option<String>,
    status: Option<Status>,
    due: Option<NaiveDate>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Status {
    Planned,
    Active,
    Done,
    Dropped,
}

/// Reads and deserializes one file; the error names the file.
fn load(path: &Path) -> Result<Team, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_saphyr::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The `*.yaml` files directly in `dir`, sorted.
fn yaml_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.extension().is_some_and(|ext| ext == "yaml") && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn run(dir: &Path) -> Result<String, String> {
    let files = yaml_files(dir)?;
    let teams: Vec<Team> = files
        .par_iter()
        .map(|p| load(p))
        .collect::<Result<_, _>>()?;
    let objectives = teams.iter().map(|t| t.objectives.len()).sum::<usize>();
    let krs = teams
        .iter()
        .flat_map(|t| &t.objectives)
        .map(|o| o.key_results.len())
        .sum::<usize>();
    let check_ins = teams
        .iter()
        .flat_map(|t| &t.objectives)
        .flat_map(|o| &o.key_results)
        .map(|k| k.check_ins.len())
        .sum::<usize>();
    Ok(format!(
        "{} teams, {objectives} objectives, {krs} key results, {check_ins} check-ins",
        teams.len()
    ))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir] = args.as_slice() else {
        eprintln!("usage: yaml-load DIR");
        return ExitCode::from(2);
    };
    match run(Path::new(dir)) {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("yaml-load: {message}");
            ExitCode::FAILURE
        }
    }
}
