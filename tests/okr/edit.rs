//! Editing without loss: `okr fmt`, `okr checkin` and `okr new`, as a
//! library over generated documents and every fixture, and through the binary.

use crate::common::{okr, run_in, Test, TODAY};
use okr::edit::{fmt::format, parse, same_meaning};
use okr::model::meaning::SameMeaning;
use proptest::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};

/// Every comment of a text, trailing whitespace left out, sorted.
fn comments(text: &str) -> Vec<String> {
    let mut comments: Vec<String> = parse(text)
        .lines
        .iter()
        .filter_map(|line| line.comment)
        .map(|span| text[span.start()..span.end()].trim_end().to_string())
        .collect();
    comments.sort();
    comments
}

/// fmt keeps the meaning and the comments, and a second run changes nothing.
fn assert_lossless(name: &str, text: &str) {
    let formatted = format(text).unwrap_or_else(|error| panic!("{name}: {error:?}"));
    assert!(
        parse(text).goals.same_meaning(&parse(&formatted).goals),
        "{name}: meaning changed"
    );
    assert_eq!(comments(text), comments(&formatted), "{name}: comments");
    assert_eq!(
        format(&formatted).ok().as_deref(),
        Some(formatted.as_str()),
        "{name}: not idempotent"
    );
}

/// Every `.okr` file under `dir`.
fn okr_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            okr_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "okr") {
            out.push(path);
        }
    }
}

#[test]
fn fmt_is_lossless_on_every_fixture_and_example() {
    let mut files = Vec::new();
    okr_files(Path::new("tests/fixtures"), &mut files);
    okr_files(Path::new("examples"), &mut files);
    let mut formatted = 0;
    for path in files {
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        if parse(&text).has_syntax_errors() {
            // A tab in the indentation is read as spaces, and `fmt` writes
            // spaces; any other syntax error leaves the file as it is.
            let tabs_only = parse(&text).errors.iter().all(|error| {
                error.code != okr::diagnostic::Code::Syntax
                    || okr::syntax::errors::is_tab_in_indentation(error)
            });
            match format(&text) {
                Ok(formatted) if tabs_only => {
                    assert!(!parse(&formatted).has_syntax_errors(), "{}", path.display());
                }
                result => assert!(result.is_err(), "{}", path.display()),
            }
            continue;
        }
        assert_lossless(&path.display().to_string(), &text);
        // The same file with CRLF line endings and a byte-order mark.
        let crlf = format!("\u{feff}{}", text.replace('\n', "\r\n"));
        let again = format(&crlf).unwrap();
        assert!(again.starts_with('\u{feff}'), "{}", path.display());
        assert!(
            !again.replace("\r\n", "").contains('\n'),
            "{}",
            path.display()
        );
        assert_lossless(&format!("{} (CRLF)", path.display()), &crlf);
        formatted += 1;
    }
    assert!(formatted > 40, "only {formatted} fixtures formatted");
}

/// The `okr` code blocks of the user's documents (the diagnostics pages show
/// broken files on purpose, so they are not among them): each reads
/// without a syntax error and is already in fmt's layout.
#[test]
fn every_okr_block_in_the_readme_and_the_language_reference_reads() {
    let mut blocks = 0;
    for path in ["README.md", "docs/language.md", "docs/fmt.md"] {
        let text = fs::read_to_string(path).unwrap();
        for (at, block) in text.split("```okr\n").skip(1).enumerate() {
            // An indented fence (in a list) indents its block alike.
            let fence = block.find("```").unwrap();
            let indent = block[..fence].rsplit('\n').next().unwrap().len();
            let block: String = block[..fence - indent]
                .lines()
                .map(|line| format!("{}\n", line.get(indent..).unwrap_or("")))
                .collect();
            let name = format!("{path}, okr block {}", at + 1);
            let parsed = parse(&block);
            assert!(!parsed.has_syntax_errors(), "{name}: {:?}", parsed.errors);
            assert_eq!(format(&block).unwrap(), block, "{name}: not formatted");
            blocks += 1;
        }
    }
    assert!(blocks >= 8, "only {blocks} blocks");
}

/// One statement line of a generated document: depth and tokens.
fn document() -> impl Strategy<Value = Vec<(usize, Vec<String>)>> {
    // A number, or a milestone's `done`, `pending` or share complete.
    let reading = prop_oneof![
        4 => (0u32..99_999).prop_map(|value| format!("{value}")),
        1 => prop::sample::select(vec!["done", "pending", "40%", "100%"]).prop_map(String::from),
    ];
    let checkin = (1u32..28, reading, any::<bool>(), any::<bool>()).prop_map(
        |(day, value, confidence, note)| {
            let mut tokens = vec![format!("2026-08-{day:02}"), value];
            if confidence {
                tokens.extend(["confidence".into(), "60%".into()]);
            }
            if note {
                tokens.push("\"a  \\\"quoted\\\" note\"".into());
            }
            (3usize, tokens)
        },
    );
    let kr = (
        prop::sample::select(vec![
            "target 5",
            "target <= 2% baseline 3%",
            "target 1,400 customers",
            "target $1.5k stage f.u",
            "milestone",
            // Language version 2: strict, relative and hold targets, and
            // baselines not known yet.
            "target > 5 baseline 1",
            "target < 2% baseline 3%",
            "target >= -5%",
            "target +15% baseline 1,000",
            "target -10% over 1,200 signups",
            "target x1.5 baseline $40k",
            "target +2pp baseline 3%",
            "target -3pp over 12%",
            "target +20% baseline unknown",
            "hold >= 99.9%",
            "hold < 2%",
            "hold 97%..99.5%",
            "hold 90..120 seconds",
            "milestone due 2026-09-15",
        ]),
        prop::collection::vec(checkin, 0..4),
        any::<bool>(),
        prop::option::of(prop::sample::select(vec![
            "grade 70%",
            "grade 120% \"beat it\"",
        ])),
    )
        .prop_map(|(target, checkins, owner_line, grade)| {
            let mut lines = vec![(2usize, {
                let mut line: Vec<String> = vec!["kr".into(), "k".into(), "\"K  r\"".into()];
                line.extend(tokens(target));
                line
            })];
            if owner_line {
                lines.push((
                    3,
                    vec!["owner".into(), "@sam".into(), "@content-team".into()],
                ));
            }
            lines.extend(checkins);
            if let Some(grade) = grade {
                lines.push((3, tokens(grade)));
            }
            lines
        });
    // Version 2 lines under an objective: several owners, several parents
    // (on one line or several), `rollup` and `grade`.
    let objective_line = prop::sample::select(vec![
        "owner @ana @ben",
        "aligns company/revenue, company/brand",
        "aligns company/revenue",
        "rollup",
        "grade 65% \"shipped late\"",
        "type committed",
    ]);
    let objective = (
        prop::collection::vec(objective_line, 0..3),
        prop::collection::vec(kr, 0..3),
    )
        .prop_map(|(extra, krs)| {
            let mut lines = vec![(1usize, vec!["objective".into(), "o".into(), "\"O\"".into()])];
            lines.push((2, vec!["why".into(), "\"because  #not a comment\"".into()]));
            for line in extra {
                lines.push((2, tokens(line)));
            }
            lines.extend(krs.into_iter().flatten());
            lines
        });
    prop::collection::vec(objective, 0..3).prop_map(|objectives| {
        let mut lines = vec![
            (1usize, vec!["period".into(), "2026-Q3".into()]),
            (1, vec!["team".into(), "t".into(), "\"T\"".into()]),
            (
                1,
                vec![
                    "segment".into(),
                    "m".into(),
                    "\"M\"".into(),
                    "size".into(),
                    "10".into(),
                ],
            ),
            (1, vec!["funnel".into(), "f".into()]),
            (2, vec!["stage".into(), "s".into(), "\"S\"".into()]),
            (
                2,
                vec![
                    "stage".into(),
                    "u".into(),
                    "\"U u\"".into(),
                    "conversion".into(),
                    "50%".into(),
                    "value".into(),
                    "$10".into(),
                ],
            ),
        ];
        lines.extend(objectives.into_iter().flatten());
        lines
    })
}

/// A line's tokens: split at spaces, a string kept whole.
fn tokens(line: &str) -> Vec<String> {
    let mut tokens: Vec<String> = Vec::new();
    let mut in_string = false;
    let mut current = String::new();
    for c in line.chars() {
        if c == ' ' && !in_string {
            tokens.extend((!current.is_empty()).then(|| std::mem::take(&mut current)));
            continue;
        }
        in_string ^= c == '"';
        current.push(c);
    }
    tokens.extend((!current.is_empty()).then_some(current));
    tokens
}

/// How a generated document is written out: the noise `fmt` must undo.
#[derive(Clone, Debug)]
struct Noise {
    step: usize,
    gaps: Vec<usize>,
    blanks: Vec<usize>,
    comments: Vec<Option<usize>>,
    trailing: Vec<bool>,
    crlf: bool,
}

fn noise() -> impl Strategy<Value = Noise> {
    (
        2usize..5,
        prop::collection::vec(1usize..4, 64),
        prop::collection::vec(0usize..3, 64),
        prop::collection::vec(prop::option::of(0usize..9), 64),
        prop::collection::vec(any::<bool>(), 64),
        any::<bool>(),
    )
        .prop_map(|(step, gaps, blanks, comments, trailing, crlf)| Noise {
            step,
            gaps,
            blanks,
            comments,
            trailing,
            crlf,
        })
}

fn write_out(lines: &[(usize, Vec<String>)], noise: &Noise) -> String {
    let pick = |list: &[usize], at: usize| list[at % list.len()];
    let mut out = Vec::new();
    for (number, (depth, tokens)) in lines.iter().enumerate() {
        for _ in 0..pick(&noise.blanks, number) {
            out.push(String::new());
        }
        if let Some(column) = noise.comments[number % noise.comments.len()] {
            out.push(format!("{}# note {number}  ", " ".repeat(column)));
        }
        let mut line = " ".repeat((depth - 1) * noise.step);
        for (at, token) in tokens.iter().enumerate() {
            if at > 0 {
                line.push_str(&" ".repeat(pick(&noise.gaps, number + at)));
            }
            line.push_str(token);
        }
        if noise.trailing[number % noise.trailing.len()] {
            line.push_str("   # trailing \"quote\" # hash");
        }
        out.push(line);
    }
    let eol = if noise.crlf { "\r\n" } else { "\n" };
    out.join(eol)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn fmt_is_lossless_on_generated_documents(lines in document(), noise in noise()) {
        let text = write_out(&lines, &noise);
        prop_assume!(!parse(&text).has_syntax_errors());
        assert_lossless("generated", &text);
        let formatted = format(&text).unwrap();
        prop_assert!(formatted.lines().all(|line| !line.ends_with(' ')));
        let triple_blank = formatted.replace("\r\n", "\n").contains("\n\n\n");
        prop_assert!(!triple_blank);
    }

    /// A generated document means the same however it is written out, and
    /// something else once any one of its values changes: by the comparison
    /// of the whole goals and by `edit::same_meaning`, which reads side by side.
    #[test]
    fn meaning_is_the_values_not_the_layout(
        lines in document(),
        noise_a in noise(),
        noise_b in noise(),
        pick in any::<usize>(),
    ) {
        let text = write_out(&lines, &noise_a);
        let relaid = write_out(&lines, &noise_b);
        let changed = write_out(&with_one_value_changed(&lines, pick), &noise_b);
        prop_assume!([&text, &relaid, &changed].iter().all(|text| !parse(text).has_syntax_errors()));
        let goals = parse(&text).goals;
        prop_assert!(goals.same_meaning(&parse(&relaid).goals));
        prop_assert!(same_meaning(&text, &relaid));
        prop_assert!(!goals.same_meaning(&parse(&changed).goals), "{}", changed);
        prop_assert!(!same_meaning(&text, &changed), "{}", changed);
    }
}

/// The statements with one value changed: the `pick`-th (wrapping) of the
/// strings, handles, numbers, amounts and dates they hold.
fn with_one_value_changed(
    lines: &[(usize, Vec<String>)],
    pick: usize,
) -> Vec<(usize, Vec<String>)> {
    let values: Vec<(usize, usize)> = lines
        .iter()
        .enumerate()
        .flat_map(|(line, (_, tokens))| (0..tokens.len()).map(move |token| (line, token)))
        .filter(|&(line, token)| changed_value(&lines[line].1[token]).is_some())
        .collect();
    let mut out = lines.to_vec();
    let (line, token) = values[pick % values.len()];
    out[line].1[token] = changed_value(&lines[line].1[token]).unwrap();
    out
}

/// A string with a character more, a handle with a letter more, or a number
/// (a count, percent, amount of money or date) with its first digit raised
/// (9 becomes 1): the same shape, another value. `None` for other tokens.
fn changed_value(token: &str) -> Option<String> {
    if let Some(rest) = token.strip_prefix('"') {
        return Some(format!("\"~{rest}"));
    }
    if token.starts_with('@') {
        return Some(format!("{token}x"));
    }
    let at = token.find(|c: char| c.is_ascii_digit())?;
    let digit = token.as_bytes()[at];
    let raised = if digit == b'9' {
        '1'
    } else {
        char::from(digit + 1)
    };
    Some(format!("{}{raised}{}", &token[..at], &token[at + 1..]))
}

// ---------------------------------------------------------------- binary --

/// A copy of `examples/` in a temporary folder.
fn examples() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in fs::read_dir("examples").unwrap().flatten() {
        if entry.path().extension().is_some_and(|ext| ext == "okr") {
            fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
        }
    }
    dir
}

#[test]
fn fmt_check_shows_the_diff_and_fmt_writes_it() {
    let dir = examples();
    // One stage line a column off, as hands leave it.
    let growth = fs::read_to_string(dir.path().join("growth.okr")).unwrap();
    let misaligned = growth.replace(
        "\"Free workspace signups\"              conversion",
        "\"Free workspace signups\"             conversion",
    );
    assert_ne!(growth, misaligned);
    fs::write(dir.path().join("growth.okr"), &misaligned).unwrap();
    let before = fs::read(dir.path().join("growth.okr")).unwrap();
    let (status, stdout, _) = run_in(dir.path(), ["fmt", "--check"]);
    assert_eq!(status, 1);
    insta::assert_snapshot!("fmt-check-examples", stdout);
    assert_eq!(
        fs::read(dir.path().join("growth.okr")).unwrap(),
        before,
        "--check wrote"
    );
    let report = |dir: &Path| {
        Test::new()
            .current_dir(dir)
            .args(["report", "--format", "json", "--today", TODAY])
            .json()["teams"]
            .clone()
    };
    let teams = report(dir.path());
    let (status, stdout, _) = run_in(dir.path(), ["fmt"]);
    assert_eq!((status, stdout.as_str()), (0, "formatted growth.okr\n"));
    assert_eq!(report(dir.path()), teams, "the report changed");
    let (status, stdout, _) = run_in(dir.path(), ["fmt", "--check"]);
    assert_eq!((status, stdout.as_str()), (0, ""));
}

#[test]
fn fmt_refuses_a_file_with_syntax_errors() {
    let dir = tempfile::tempdir().unwrap();
    let broken = fs::read("tests/fixtures/codes/syntax/fires/three-errors.okr").unwrap();
    let path = dir.path().join("broken.okr");
    fs::write(&path, &broken).unwrap();
    fs::write(dir.path().join("fine.okr"), "period   2026-Q3\nteam a\n").unwrap();
    let (status, stdout, stderr) = run_in(dir.path(), ["fmt"]);
    assert_eq!(status, 1);
    assert_eq!(stdout, "formatted fine.okr\n");
    assert!(stderr.contains("okr::syntax"), "{stderr}");
    assert!(stderr.contains("`broken.okr` has syntax errors; it was not formatted"));
    assert_eq!(fs::read(&path).unwrap(), broken);
    assert_eq!(
        fs::read_to_string(dir.path().join("fine.okr")).unwrap(),
        "period 2026-Q3\nteam a\n"
    );
    let (status, _, _) = run_in(dir.path(), ["fmt", "--check", "broken.okr"]);
    assert_eq!(status, 1);
    let (status, _, _) = run_in(dir.path(), ["fmt", "missing.okr"]);
    assert_eq!(status, 2);
}

#[test]
fn checkin_adds_exactly_one_line() {
    let dir = examples();
    let path = dir.path().join("marketing.okr");
    let before = fs::read_to_string(&path).unwrap();
    let (status, stdout, stderr) = run_in(
        dir.path(),
        [
            "checkin",
            "marketing/engagement.visitors",
            "53,400",
            "--confidence",
            "70%",
            "--note",
            "Webinar \"part 2\"",
            "--by",
            "@sam",
            "--today",
            "2026-08-18",
        ],
    );
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(
        stdout,
        "marketing.okr:25: 2026-08-18 53,400 confidence 70% \"Webinar \\\"part 2\\\"\" @sam\n"
    );
    let expected = before.replace(
        "    2026-08-11 51,200 \"Webinar series launched\" @sam\n",
        "    2026-08-11 51,200 \"Webinar series launched\" @sam\n    2026-08-18 53,400 confidence 70% \"Webinar \\\"part 2\\\"\" @sam\n",
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), expected);
    // A KR without check-ins: after the KR line, one step deeper; the date defaults to OKR_TODAY.
    let output = okr()
        .current_dir(dir.path())
        .env("OKR_TODAY", "2026-08-19")
        .args(["checkin", "engagement.paid", "120"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(fs::read_to_string(&path).unwrap().contains(
        "  kr paid \"New paid customers\" target 1,400 stage inbound.customers\n    2026-08-19 120\n  kr quality"
    ));
}

#[test]
fn checkin_keeps_crlf() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.okr");
    let text = "period 2026-Q3\r\nteam t\r\nobjective o \"O\"\r\n    kr k \"K\" target 5\r\n        2026-07-01 1\r\n";
    fs::write(&path, text).unwrap();
    let (status, _, stderr) = run_in(
        dir.path(),
        ["checkin", "t/o.k", "2", "--date", "2026-07-08"],
    );
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        format!("{text}        2026-07-08 2\r\n")
    );
}

#[test]
fn checkin_refusals_leave_the_file_untouched() {
    let dir = examples();
    let files: Vec<(PathBuf, Vec<u8>)> = fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|entry| (entry.path(), fs::read(entry.path()).unwrap()))
        .collect();
    let cases: &[(&[&str], i32)] = &[
        (&["marketing/engagement.nope", "5"], 2),
        (&["nobody/engagement.visitors", "5"], 2),
        (&["engagement", "5"], 2),
        (&["engagement.visitors", "5%"], 1),
        (&["engagement.visitors", "$5"], 1),
        (&["engagement.visitors", "5 trials"], 1),
        (&["engagement.visitors", "lots"], 2),
        (&["engagement.quality", "31"], 1),
        (
            &["engagement.visitors", "52,000", "--date", "2026-08-11"],
            1,
        ),
        (
            &["engagement.visitors", "52,000", "--date", "2026-08-01"],
            1,
        ),
        (
            &["engagement.visitors", "52,000", "--date", "2026-10-15"],
            1,
        ),
        (
            &["engagement.visitors", "52,000", "--date", "2026-02-30"],
            2,
        ),
        (
            &["engagement.visitors", "52,000", "--confidence", "140%"],
            2,
        ),
        (&["engagement.visitors", "52,000", "--by", "sam smith"], 2),
        (
            &["engagement.visitors", "52,000", "--note", "two\nlines"],
            2,
        ),
    ];
    let mut transcript = String::new();
    for (args, expected) in cases {
        let mut full = vec!["checkin"];
        full.extend_from_slice(args);
        full.extend_from_slice(&["--today", TODAY]);
        let (status, stdout, stderr) = run_in(dir.path(), &full);
        assert_eq!(status, *expected, "{args:?}: {stderr}");
        assert_eq!(stdout, "", "{args:?}");
        transcript.push_str(&format!("$ okr checkin {}\n{stderr}\n", args.join(" ")));
        for (path, bytes) in &files {
            assert_eq!(
                &fs::read(path).unwrap(),
                bytes,
                "{args:?} changed {}",
                path.display()
            );
        }
    }
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        files.len(),
        "a file was left behind"
    );
    insta::assert_snapshot!("checkin-refusals", transcript);
}

#[test]
fn new_carries_open_objectives_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let old = "# Sales goals\nperiod 2026-Q3\nteam sales\n\n# Done already\nobjective won \"Won\"\n  kr a \"A\" target 5\n    2026-07-10 6\n\n# Still open\nobjective open \"Open\" # keep going\n  kr arr \"ARR\" target $10M baseline $7M\n    2026-07-14 $7.5M\n    2026-08-11 $8.1M # best month\n  kr calls \"Calls\" target 400 due 2026-09-15\n";
    fs::write(dir.path().join("sales.okr"), old).unwrap();
    let (status, stdout, stderr) = run_in(dir.path(), ["new", "2026-Q4"]);
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(
        stdout,
        "wrote sales-2026-Q4.okr for 2026-Q4\ncarried over: open\nleft behind (done): won\n"
    );
    let new = fs::read_to_string(dir.path().join("sales-2026-Q4.okr")).unwrap();
    insta::assert_snapshot!("new-sales-2026-Q4", new);
    let (status, _, _) = run_in(
        dir.path(),
        ["check", "--today", "2026-10-02", "sales-2026-Q4.okr"],
    );
    assert_eq!(status, 0, "the new file has errors");
    // Never overwrites: not the file it would write, nor one named with -o.
    fs::write(dir.path().join("keep.okr"), "mine").unwrap();
    for args in [
        &["new", "2026-Q4", "--from", "sales.okr"][..],
        &["new", "2027-Q1", "--from", "sales.okr", "-o", "keep.okr"][..],
    ] {
        let (status, _, stderr) = run_in(dir.path(), args);
        assert_eq!(status, 2, "{args:?}");
        assert!(stderr.contains("already exists"), "{stderr}");
    }
    assert_eq!(
        fs::read_to_string(dir.path().join("sales-2026-Q4.okr")).unwrap(),
        new
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("keep.okr")).unwrap(),
        "mine"
    );
    let (status, _, stderr) = run_in(
        dir.path(),
        ["new", "2026-Q3", "--from", "sales.okr", "-o", "x.okr"],
    );
    assert_eq!(status, 2);
    assert!(stderr.contains("does not start after"), "{stderr}");
}
