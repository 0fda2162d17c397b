//! Real OKRs, transcribed (`tests/fixtures/corpus/*/SOURCE.md` says from
//! where, under which licence, and every transcription choice): each file
//! reads without a syntax error and is already in `okr fmt`'s layout, and
//! what `okr check` and `okr report` make of each set, in its period and
//! after it, is kept as a snapshot, so a change of a score or a lint on
//! goals real teams wrote shows up in review.

use crate::common::Test;
use okr::edit::{fmt::format, parse};
use std::fs;
use std::path::{Path, PathBuf};

/// One published set of goals and the days it is looked at.
struct Set {
    folder: &'static str,
    /// A day inside the set's period, after its last check-in.
    during: &'static str,
    /// A day after the period's last day.
    after: &'static str,
}

const SETS: &[Set] = &[
    // PostHog's handbook, calendar Q4 2022 (2022-10-01 to 2022-12-31).
    Set {
        folder: "tests/fixtures/corpus/posthog-2022-q4",
        during: "2022-11-15",
        after: "2023-01-20",
    },
    // US Agency Priority Goals, fiscal years 2022-23 (2021-10-01 to
    // 2023-09-30); HUD's one check-in is dated 2023-01-31.
    Set {
        folder: "tests/fixtures/corpus/us-apg-fy22-23",
        during: "2023-02-15",
        after: "2023-12-20",
    },
];

/// The `.okr` files of a set, sorted.
fn files(folder: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "okr"))
        .collect();
    files.sort();
    files
}

/// The set's name, for snapshot names: `posthog-2022-q4`.
fn name(set: &Set) -> &str {
    Path::new(set.folder)
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap()
}

#[test]
fn every_set_keeps_its_source_and_licence() {
    for set in SETS {
        let source = fs::read_to_string(Path::new(set.folder).join("SOURCE.md")).unwrap();
        assert!(
            source.contains("MIT") || source.contains("public domain"),
            "{}: SOURCE.md names no licence",
            set.folder
        );
        assert!(files(set.folder).len() >= 2, "{}", set.folder);
    }
}

#[test]
fn every_file_parses_and_is_in_canonical_layout() {
    for set in SETS {
        for path in files(set.folder) {
            let text = fs::read_to_string(&path).unwrap();
            let parsed = parse(&text);
            assert!(
                !parsed.has_syntax_errors(),
                "{}: {:?}",
                path.display(),
                parsed.errors
            );
            assert_eq!(
                format(&text).ok().as_deref(),
                Some(text.as_str()),
                "{} is not in okr fmt's layout",
                path.display()
            );
        }
        Test::new()
            .args(["fmt", "--check", set.folder])
            .stdout_is("")
            .run();
    }
}

#[test]
fn check_and_report_of_each_set_in_and_after_its_period() {
    for set in SETS {
        for (when, today) in [("during", set.during), ("after", set.after)] {
            // Warnings and advice only: `okr check` exits 0.
            let check = Test::new()
                .args(["check", "--format", "short", "--today", today, set.folder])
                .run()
                .stdout;
            insta::assert_snapshot!(format!("{}-check-{when}-{today}", name(set)), check);
            let report = Test::new()
                .args(["report", "--format", "json", "--today", today, set.folder])
                .run()
                .stdout;
            insta::assert_snapshot!(format!("{}-report-{when}-{today}", name(set)), report);
        }
    }
}
