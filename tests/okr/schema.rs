//! The JSON documents against their schemas (`docs/schema/*.schema.json`,
//! JSON Schema draft 2020-12): every report and check document the fixtures
//! give, at two dates, validates; a key renamed, added or left out does not.
//! The diff and log documents are validated where `history` makes them
//! ([`assert_valid`]).

use crate::common::{run, TODAY};
use serde_json::Value;
use std::path::Path;
use std::sync::OnceLock;

/// Where the teams of `tests/fixtures/report/v2` come in its report (files
/// in name order).
const TEAM_DEMAND: usize = 0;
const TEAM_EXEC: usize = 1;

/// The documents there is a schema for.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Document {
    Report,
    Check,
    Diff,
    Log,
    Review,
}

impl Document {
    const ALL: [Document; 5] = [
        Document::Report,
        Document::Check,
        Document::Diff,
        Document::Log,
        Document::Review,
    ];

    fn name(self) -> &'static str {
        match self {
            Document::Report => "report",
            Document::Check => "check",
            Document::Diff => "diff",
            Document::Log => "log",
            Document::Review => "review",
        }
    }

    /// The schema as written in `docs/schema/`.
    fn schema(self) -> Value {
        let path = format!("docs/schema/{}.schema.json", self.name());
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// The schema compiled once for the whole test run.
    fn validator(self) -> &'static jsonschema::Validator {
        static VALIDATORS: [OnceLock<jsonschema::Validator>; 5] = [
            OnceLock::new(),
            OnceLock::new(),
            OnceLock::new(),
            OnceLock::new(),
            OnceLock::new(),
        ];
        VALIDATORS[self as usize].get_or_init(|| {
            jsonschema::draft202012::new(&self.schema())
                .unwrap_or_else(|e| panic!("{}.schema.json: {e}", self.name()))
        })
    }
}

/// The errors `document` has against its schema, one line each.
fn errors(kind: Document, document: &Value) -> Vec<String> {
    kind.validator()
        .iter_errors(document)
        .map(|error| format!("at {}: {error}", error.instance_path()))
        .collect()
}

/// Fails, naming what and where, unless `document` is valid.
pub(crate) fn assert_valid(kind: Document, document: &Value, what: &str) {
    let errors = errors(kind, document);
    assert!(
        errors.is_empty(),
        "{what}: not a valid {} document:\n{}",
        kind.name(),
        errors.join("\n")
    );
}

/// `okr COMMAND --format json --today TODAY PATHS…`, parsed, whatever its
/// exit status (a report of a file with errors still renders; one with a
/// syntax error prints nothing, `None`).
fn document(command: &str, today: &str, paths: &[&str]) -> Option<Value> {
    let mut args = vec![command, "--format", "json", "--today", today];
    args.extend(paths);
    let (status, stdout, stderr) = run(&args);
    assert!(
        (0..=1).contains(&status) && !stderr.contains("panicked"),
        "okr {args:?}: exit status {status}\n{stderr}"
    );
    (!stdout.is_empty()).then(|| {
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("okr {args:?}: {e}\n{stdout}"))
    })
}

/// Every report and check document of `paths`, validated, at `TODAY` and
/// after the period (when statuses are `done` or `missed`); how many reports
/// there were.
fn validate(paths: &[&str]) -> usize {
    let mut reports = 0;
    for today in [TODAY, "2026-10-05"] {
        let what = format!("{paths:?} as of {today}");
        let check = document("check", today, paths).expect("okr check always prints its document");
        assert_valid(Document::Check, &check, &what);
        if let Some(report) = document("report", today, paths) {
            assert_valid(Document::Report, &report, &what);
            reports += 1;
        }
    }
    reports
}

/// The folders under `dir`, sorted.
fn folders(dir: &str) -> Vec<String> {
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .map(|path| path.display().to_string())
        .collect();
    found.sort();
    found
}

#[test]
fn the_schemas_are_draft_2020_12_schemas() {
    for kind in Document::ALL {
        let schema = kind.schema();
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema",
            "{}",
            kind.name()
        );
        assert!(
            jsonschema::draft202012::meta::is_valid(&schema),
            "{}.schema.json is not a valid schema",
            kind.name()
        );
    }
}

#[test]
fn the_examples_and_report_fixtures_are_valid() {
    assert_eq!(validate(&["examples"]), 2);
    for file in ["company", "growth", "marketing", "sales"] {
        validate(&[&format!("examples/{file}.okr")]);
    }
    assert_eq!(validate(&["tests/fixtures/report"]), 2);
    assert_eq!(validate(&["tests/fixtures/report/v2"]), 2);
    // A file checked on its own: its parents are in a file not read.
    validate(&["tests/fixtures/report/v2/demand.okr"]);
}

#[test]
fn every_code_fixture_is_valid() {
    let mut reports = 0;
    for code in folders("tests/fixtures/codes") {
        for case in folders(&code) {
            reports += validate(&[&case]);
        }
    }
    assert!(reports > 40, "most fixtures render a report: {reports}");
}

/// The keys of the main entries come in the order the schema lists them
/// (the order of the documents' fields), so a reader of either sees the other.
#[test]
fn keys_come_in_the_schema_s_order() {
    let report = document("report", TODAY, &["tests/fixtures/report/v2"]).unwrap();
    let schema = Document::Report.schema();
    let order =
        |value: &Value| -> Vec<String> { value.as_object().unwrap().keys().cloned().collect() };
    let listed = |def: &str| -> Vec<String> {
        let properties = if def.is_empty() {
            &schema["properties"]
        } else {
            &schema["$defs"][def]["properties"]
        };
        order(properties)
    };
    let team = &report["teams"][TEAM_EXEC];
    let objective = &report["teams"][TEAM_DEMAND]["objectives"][0];
    let kr = &objective["key_results"][0];
    for (def, value) in [
        ("", &report),
        ("team", team),
        ("period", &team["period"]),
        ("objective", objective),
        ("key_result", kr),
        ("checkin", &kr["checkins"][0]),
        ("diagnostic", &report["diagnostics"][0]),
    ] {
        assert_eq!(order(value), listed(def), "{def}");
    }
}

/// A consumer relies on the names: a key renamed, left out or added (say,
/// a template-only value leaking into the JSON) fails the schema.
#[test]
fn a_renamed_missing_or_extra_key_fails() {
    let report = document("report", TODAY, &["tests/fixtures/report/v2"]).unwrap();
    assert_valid(Document::Report, &report, "v2");
    fn kr(report: &mut Value) -> &mut serde_json::Map<String, Value> {
        report["teams"][TEAM_DEMAND]["objectives"][1]["key_results"][0]
            .as_object_mut()
            .unwrap()
    }
    for key in ["target_text", "band", "stale", "confidence", "measure"] {
        let mut renamed = report.clone();
        let value = kr(&mut renamed).remove(key).unwrap();
        kr(&mut renamed).insert(format!("{key}_v2"), value);
        let errors = errors(Document::Report, &renamed);
        assert!(
            errors.iter().any(|e| e.contains(key)),
            "renaming `{key}` is caught: {errors:?}"
        );
    }
    let mut extra = report.clone();
    kr(&mut extra).insert("text".into(), serde_json::json!({"current": "99.50%"}));
    assert!(!errors(Document::Report, &extra).is_empty());
    let mut objective = report.clone();
    objective["teams"][TEAM_EXEC]["objectives"][0]
        .as_object_mut()
        .unwrap()
        .remove("children");
    assert!(!errors(Document::Report, &objective).is_empty());
    let mut version = report;
    version["version"] = 1.into();
    assert!(!errors(Document::Report, &version).is_empty());
}

/// §8.2: a hold has a band and no target; anything else has no band.
#[test]
fn the_schema_knows_holds_from_targets() {
    let report = document("report", TODAY, &["tests/fixtures/report/v2"]).unwrap();
    let hold = &report["teams"][TEAM_DEMAND]["objectives"][1]["key_results"][0];
    assert_eq!(hold["direction"], "hold");
    let mut with_target = report.clone();
    with_target["teams"][TEAM_DEMAND]["objectives"][1]["key_results"][0]["target"] = 1.into();
    assert!(!errors(Document::Report, &with_target).is_empty());
    let mut banded = report.clone();
    banded["teams"][TEAM_DEMAND]["objectives"][0]["key_results"][0]["band"] =
        serde_json::json!({"min": 1, "max": null, "min_strict": false, "max_strict": false});
    assert!(!errors(Document::Report, &banded).is_empty());
    assert!(Path::new("docs/schema/README.md").is_file());
}
