//! `okr explain CODE`.

use crate::common::{run, TODAY};
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

/// Each page's first example fires its code (where it says `# <- okr::CODE`)
/// and the fixed one after it does not, checked on its own as of `TODAY`.
#[test]
fn every_example_fires_its_code_and_the_fixed_one_does_not() {
    let dir = tempfile::tempdir().unwrap();
    for &code in Code::ALL {
        let page = code.explanation();
        let examples: Vec<&str> = page
            .split("```okr\n")
            .skip(1)
            .filter_map(|block| block.split("```").next())
            .collect();
        assert!(examples.len() >= 2, "{code}: an example and its fix");
        for (at, example) in examples.iter().take(2).enumerate() {
            let path = dir.path().join(format!("{}-{at}.okr", code.name()));
            std::fs::write(&path, example).unwrap();
            let (_, stdout, _) = run(&[
                "check",
                "--format",
                "short",
                "--today",
                TODAY,
                path.to_str().unwrap(),
            ]);
            let fires = stdout.contains(&format!("[{code}]"));
            assert_eq!(fires, at == 0, "{code}, example {at}:\n{example}\n{stdout}");
        }
    }
}
