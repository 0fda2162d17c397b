//! `okr check --format sarif`: SARIF 2.1.0 for code-scanning UIs, validated
//! against the SARIF schema (vendored under `tests/fixtures/sarif/`), with
//! every firing fixture's findings at the places the JSON output gives.

use crate::common::{check_json, run, TODAY};
use okr::diagnostic::Code;
use serde_json::Value;
use std::sync::OnceLock;

/// The one pattern of the schema that is not a valid regular expression (a
/// stray `]`), and what it means: a language tag, `en` or `en-US`.
const BROKEN_PATTERN: (&str, &str) = (
    r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#,
    r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#,
);

/// The SARIF 2.1.0 schema, compiled once (JSON Schema draft 4). The file is
/// kept as published (see its README); its broken pattern is mended here.
fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let path = "tests/fixtures/sarif/sarif-2.1.0-rtm.5.json";
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(
            text.contains(BROKEN_PATTERN.0),
            "{path}: the pattern to mend moved"
        );
        let text = text.replace(BROKEN_PATTERN.0, BROKEN_PATTERN.1);
        let schema: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        jsonschema::draft4::new(&schema).unwrap_or_else(|e| panic!("{path}: {e}"))
    })
}

/// `okr check --format sarif --today TODAY PATHS`, parsed and validated.
fn sarif(paths: &[&str]) -> Value {
    let mut args = vec!["check", "--format", "sarif", "--today", TODAY];
    args.extend(paths);
    let (status, stdout, stderr) = run(&args);
    assert!(
        (0..=1).contains(&status),
        "okr {args:?}: {status}\n{stderr}"
    );
    let log: Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("okr {args:?}: {e}\n{stdout}"));
    let errors: Vec<String> = validator()
        .iter_errors(&log)
        .map(|error| format!("at {}: {error}", error.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "okr {args:?}: not SARIF 2.1.0:\n{}",
        errors.join("\n")
    );
    log
}

#[test]
fn every_firing_fixture_is_valid_sarif_at_the_json_places() {
    for &code in Code::ALL {
        let paths = crate::codes::paths(code, "fires");
        let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
        let log = sarif(&paths);
        let json = check_json(
            &paths,
            i32::from(code.default_severity() == okr::diagnostic::Severity::Error),
        );
        let run = &log["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
        let results = run["results"].as_array().expect("results");
        let diagnostics = json["diagnostics"].as_array().expect("diagnostics");
        assert_eq!(results.len(), diagnostics.len(), "{code}: {log:#}");
        for (result, diagnostic) in results.iter().zip(diagnostics) {
            let index = result["ruleIndex"].as_u64().expect("ruleIndex");
            let rule = &rules[usize::try_from(index).expect("an index")];
            assert_eq!(rule["id"], result["ruleId"]);
            assert_eq!(result["ruleId"], diagnostic["code"]);
            let level = match diagnostic["severity"].as_str() {
                Some("advice") => "note",
                other => other.expect("a severity"),
            };
            assert_eq!(result["level"], level);
            let place = &result["locations"][0]["physicalLocation"];
            assert_eq!(place["artifactLocation"]["uri"], diagnostic["file"]);
            let region = &place["region"];
            for (sarif_key, json_key) in [
                ("startLine", "line"),
                ("startColumn", "column"),
                ("endLine", "end_line"),
                ("endColumn", "end_column"),
            ] {
                assert_eq!(
                    region[sarif_key], diagnostic[json_key],
                    "{code} {sarif_key}"
                );
            }
            assert!(result["message"]["text"].as_str().is_some_and(
                |text| text.starts_with(diagnostic["message"].as_str().unwrap_or("?"))
            ));
        }
    }
}

#[test]
fn rules_are_the_code_table_with_their_explanations() {
    let log = sarif(&["tests/fixtures/codes/funnel-gap/passes"]);
    let driver = &log["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "okr");
    let rules = driver["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), Code::ALL.len());
    for (rule, &code) in rules.iter().zip(Code::ALL) {
        assert_eq!(rule["id"], code.to_string());
        assert_eq!(rule["help"]["markdown"], code.explanation());
        let level = match code.default_severity() {
            okr::diagnostic::Severity::Advice => "note",
            severity => severity.as_str(),
        };
        assert_eq!(rule["defaultConfiguration"]["level"], level);
        assert!(
            rule["shortDescription"]["text"]
                .as_str()
                .is_some_and(|t| t.len() > 20),
            "{rule:#}"
        );
    }
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    assert_eq!(log["runs"][0]["columnKind"], "unicodeCodePoints");
}

#[test]
fn a_funnel_gap_as_sarif_results() {
    let log = sarif(&["tests/fixtures/codes/funnel-gap/fires"]);
    insta::assert_json_snapshot!("sarif-funnel-gap-results", log["runs"][0]["results"]);
    // The schema bites: okr's own severity name is not a SARIF level.
    let mut wrong = log.clone();
    wrong["runs"][0]["results"][0]["level"] = "advice".into();
    assert!(!validator().is_valid(&wrong));
    wrong = log;
    wrong["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(!validator().is_valid(&wrong));
}
