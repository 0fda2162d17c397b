//! `okr explain CODE`.

use crate::common::run;
use okr::diagnostic::Code;

#[test]
fn every_code_is_explained_with_why_fix_and_example() {
    for &code in Code::ALL {
        for spelling in [code.to_string(), code.name().to_string()] {
            let (status, stdout, _) = run(&["explain", &spelling]);
            assert_eq!(status, 0, "{spelling}");
            assert!(
                stdout.starts_with(&format!("# {code} (")),
                "{code}: {stdout}"
            );
            for section in ["## Why it matters", "## How to fix", "## Example", "```okr"] {
                assert!(stdout.contains(section), "{code} lacks {section}");
            }
        }
    }
}

#[test]
fn an_unknown_code_is_a_usage_error_with_a_suggestion() {
    let (status, stdout, stderr) = run(&["explain", "funel-gap"]);
    assert_eq!(status, 2);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("did you mean `okr::funnel-gap`?"),
        "{stderr}"
    );
    assert!(stderr.contains("okr::volume-without-quality"), "{stderr}");
}
