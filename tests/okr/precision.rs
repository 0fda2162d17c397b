//! Precision on real goals: `okr check` on each set of published OKRs under
//! `tests/fixtures/corpus/` emits only the findings its `expected.txt` lists
//! (those an OKR coach would agree with, and the few judged false but
//! tolerated), and at most 1 in 10 of its findings is false.

use crate::common::run;
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

const CORPUS: &str = "tests/fixtures/corpus";

/// One set's `expected.txt`: the date to check at, the findings agreed
/// with, and those judged false but tolerated, each as `file:line code`.
struct Expected {
    today: String,
    agreed: BTreeSet<String>,
    tolerated: BTreeSet<String>,
}

fn expected(set: &Path) -> Expected {
    let path = set.join("expected.txt");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut expected = Expected {
        today: String::new(),
        agreed: BTreeSet::new(),
        tolerated: BTreeSet::new(),
    };
    for line in text.lines() {
        // The reason after `#` is for people.
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        if let Some(today) = line.strip_prefix("today ") {
            expected.today = today.trim().to_string();
        } else if let Some(finding) = line.strip_prefix('!') {
            expected.tolerated.insert(finding.trim().to_string());
        } else {
            expected.agreed.insert(line.to_string());
        }
    }
    assert!(
        !expected.today.is_empty(),
        "{}: no `today` line",
        path.display()
    );
    expected
}

/// The findings `okr check --format short` gives on `set`, as `file:line code`.
fn findings(set: &Path, today: &str) -> Vec<String> {
    let dir = set.display().to_string();
    let (status, stdout, stderr) = run(&["check", "--format", "short", "--today", today, &dir]);
    assert!(
        (status == 0 || status == 1) && stderr.is_empty(),
        "{dir}: status {status}, stderr:\n{stderr}"
    );
    stdout
        .lines()
        .filter_map(|line| {
            // `DIR/file.okr:LINE:COL: severity[okr::code]: message`
            let rest = line.strip_prefix(&format!("{dir}/"))?;
            let mut parts = rest.splitn(4, ':');
            let (file, number) = (parts.next()?, parts.next()?);
            let code = rest.split("[okr::").nth(1)?.split(']').next()?;
            Some(format!("{file}:{number} {code}"))
        })
        .collect()
}

fn sets() -> Vec<std::path::PathBuf> {
    let mut sets: Vec<_> = fs::read_dir(CORPUS)
        .unwrap()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.join("expected.txt").is_file())
        .collect();
    sets.sort();
    assert!(!sets.is_empty(), "no corpus sets with an expected.txt");
    sets
}

#[test]
fn real_goals_get_only_the_findings_a_coach_agrees_with() {
    let (mut total, mut false_findings) = (0, 0);
    for set in sets() {
        let expected = expected(&set);
        let found = findings(&set, &expected.today);
        let unexpected: Vec<&String> = found
            .iter()
            .filter(|f| !expected.agreed.contains(*f) && !expected.tolerated.contains(*f))
            .collect();
        assert!(
            unexpected.is_empty(),
            "{}: findings no one agreed with (add them to expected.txt with a reason, or fix the rule): {unexpected:#?}",
            set.display()
        );
        total += found.len();
        false_findings += found
            .iter()
            .filter(|f| expected.tolerated.contains(*f))
            .count();
    }
    // At most 1 in 10 findings on real goals may be false.
    assert!(
        false_findings * 10 <= total,
        "{false_findings} of {total} findings are false"
    );
}

#[test]
fn the_findings_agreed_with_are_still_found() {
    for set in sets() {
        let expected = expected(&set);
        let found: BTreeSet<String> = findings(&set, &expected.today).into_iter().collect();
        let lost: Vec<&String> = expected.agreed.difference(&found).collect();
        assert!(
            lost.is_empty(),
            "{}: agreed findings no longer found (if on purpose, take them out of expected.txt): {lost:#?}",
            set.display()
        );
    }
}
