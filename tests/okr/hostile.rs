//! Hostile and broken input: a diagnostic or a clear error, the documented
//! exit status, never a panic or a hang.

use crate::common::{files_in, okr, HANG, TODAY};
use std::fs;
use std::path::Path;

const HEADER: &str = "period 2026-Q3\nteam t \"T\"\nowner @a\n";

/// Checks `bytes` saved as one file; returns (status, stdout, stderr). The
/// other commands that read goals get the same input and must end cleanly too.
fn check_bytes(bytes: &[u8], format: &str) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("input.okr");
    fs::write(&path, bytes).unwrap();
    if format == "short" {
        every_other_command(&path);
    }
    check_path(&path, format)
}

/// `report` in every format, `fmt --check` and `funnel`: a report, a clear
/// error or a documented exit status, never a panic or a hang.
fn every_other_command(path: &Path) {
    let runs: [&[&str]; 5] = [
        &["report", "--format", "md"],
        &["report", "--format", "html"],
        &["report", "--format", "json"],
        &["fmt", "--check"],
        &["funnel"],
    ];
    for args in runs {
        let mut command = okr();
        command.args(args);
        if args[0] == "funnel" {
            command.arg(path).arg("f");
        } else if args[0] == "fmt" {
            command.arg(path);
        } else {
            command.arg("--today").arg(TODAY).arg(path);
        }
        let output = command.timeout(HANG).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(
            matches!(output.status.code(), Some(0..=2)),
            "{args:?}: {:?} {stderr}",
            output.status
        );
    }
}

fn check_path(path: &Path, format: &str) -> (i32, String, String) {
    let output = okr()
        .args(["check", "--format", format, "--today", TODAY])
        .arg(path)
        .timeout(HANG)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr,
    )
}

fn assert_error_containing(bytes: &[u8], fragment: &str) {
    for format in ["human", "short", "json", "github"] {
        let (status, stdout, _) = check_bytes(bytes, format);
        assert_eq!(status, 1, "{format}: {stdout}");
        assert!(
            stdout.contains(fragment),
            "{format}: expected {fragment:?} in {stdout}"
        );
    }
}

#[test]
fn random_bytes() {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let bytes: Vec<u8> = (0..20_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[3]
        })
        .collect();
    assert_error_containing(&bytes, "UTF-8");
}

#[test]
fn nul_bytes_and_control_characters() {
    let mut text = HEADER.as_bytes().to_vec();
    text.extend_from_slice(b"objective o \"O\x00\"\n\x00\x01\x1b[31m\n");
    let (status, stdout, _) = check_bytes(&text, "short");
    assert_eq!(status, 1, "{stdout}");
    assert!(
        !stdout.contains('\u{1b}'),
        "control characters are escaped in messages: {stdout:?}"
    );
}

#[test]
fn a_byte_order_mark_is_ignored() {
    let text = format!(
        "\u{feff}{}",
        fs::read_to_string("examples/company.okr").unwrap()
    );
    let (status, stdout, _) = check_bytes(text.as_bytes(), "short");
    assert_eq!((status, stdout.as_str()), (0, ""));
}

#[test]
fn crlf_line_endings_read_like_lf() {
    let lf = fs::read_to_string("examples/marketing.okr").unwrap();
    let crlf = lf.replace('\n', "\r\n");
    let without_folder = |out: String| -> Vec<String> {
        out.lines()
            .map(|line| line[line.find("input.okr").unwrap_or(0)..].to_string())
            .collect()
    };
    let (status, lf_out, _) = check_bytes(lf.as_bytes(), "short");
    let (crlf_status, crlf_out, _) = check_bytes(crlf.as_bytes(), "short");
    assert_eq!((status, crlf_status), (0, 0));
    assert_eq!(without_folder(lf_out), without_folder(crlf_out));
}

#[test]
fn a_lone_carriage_return_is_a_syntax_error() {
    assert_error_containing(
        format!("{HEADER}objective o \"O\"\r  kr a \"A\" target 5\n").as_bytes(),
        "syntax",
    );
}

#[test]
fn tabs_in_indentation() {
    let (status, stdout, _) = check_bytes(
        format!("{HEADER}objective o \"O\"\n\tkr a \"A\" target 5\n").as_bytes(),
        "human",
    );
    assert_eq!(status, 1);
    assert!(stdout.contains("tab in indentation"), "{stdout}");
    assert!(stdout.contains("indent with spaces"), "{stdout}");
}

#[test]
fn a_five_megabyte_line_prints_a_short_snippet() {
    let text = format!("{HEADER}objective o \"{}\" !\n", "x".repeat(5_000_000));
    let (status, stdout, _) = check_bytes(text.as_bytes(), "human");
    assert_eq!(status, 1);
    assert!(
        stdout.len() < 5_000,
        "the snippet is a window, not the line: {} bytes",
        stdout.len()
    );
}

#[test]
fn a_hundred_thousand_key_results() {
    let mut text = format!("{HEADER}objective o \"O\"\n");
    for index in 0..100_000 {
        text.push_str(&format!(
            "  kr k{index} \"Grow {index}\" target {}\n    2026-08-10 1\n",
            index + 10
        ));
    }
    let (status, stdout, _) = check_bytes(text.as_bytes(), "short");
    assert_eq!(status, 0, "{stdout}");
    let (status, stdout, _) = check_bytes(text.as_bytes(), "json");
    assert_eq!(status, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let too_many: Vec<_> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "okr::too-many-krs")
        .collect();
    assert_eq!(too_many.len(), 1, "reported once, at the sixth KR");
}

#[test]
fn a_400_digit_number() {
    let text = format!(
        "{HEADER}objective o \"O\"\n  kr a \"A\" target {}\n",
        "9".repeat(400)
    );
    assert_error_containing(text.as_bytes(), "too large");
}

#[test]
fn an_impossible_date() {
    let text = format!("{HEADER}objective o \"O\"\n  kr a \"A\" target 5\n    2026-02-30 3\n");
    assert_error_containing(text.as_bytes(), "2026-02-30 is not a date");
}

#[test]
fn a_zero_percent_conversion() {
    let text = format!("{HEADER}funnel f\n  stage a \"A\"\n  stage b \"B\" conversion 0%\nobjective o \"O\"\n  kr a \"A\" target 5 stage f.a\n  kr b \"B\" target 5 stage f.b\n");
    assert_error_containing(text.as_bytes(), "bad-conversion");
}

#[test]
fn an_objective_aligned_to_itself() {
    let text = format!("{HEADER}objective o \"O\"\n  aligns o\n  kr a \"A\" target 5\n");
    assert_error_containing(text.as_bytes(), "aligns-cycle");
}

#[test]
fn an_empty_file() {
    let (status, stdout, _) = check_bytes(b"", "short");
    assert_eq!(status, 1);
    assert!(
        stdout.contains("okr::missing-period") && stdout.contains("okr::missing-team"),
        "{stdout}"
    );
}

#[test]
fn a_dangling_symlink_is_an_io_error_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("gone.okr");
    std::os::unix::fs::symlink(dir.path().join("nowhere.okr"), &link).unwrap();
    let (status, stdout, stderr) = check_path(&link, "human");
    assert_eq!(status, 2);
    assert!(stdout.is_empty());
    assert!(stderr.contains("gone.okr"), "{stderr}");
}

#[test]
fn a_symlink_loop_in_the_folder_walked_ends() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("company.okr"),
        fs::read("examples/company.okr").unwrap(),
    )
    .unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
    let (status, _, _) = check_path(dir.path(), "short");
    assert_eq!(status, 0);
}

/// Every input a fuzzer or a review found (`tests/fixtures/fuzz/`), through
/// `check` and `report` in every format: a documented exit status, no panic.
#[test]
fn saved_crash_inputs_stay_fixed() {
    let inputs: Vec<_> = fs::read_dir("tests/fixtures/fuzz")
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert!(!inputs.is_empty());
    for input in inputs {
        for format in ["human", "short", "json", "github"] {
            let (status, _, stderr) = check_path(&input, format);
            assert!(
                matches!(status, 0 | 1),
                "{}: check {format} exit {status}: {stderr}",
                input.display()
            );
        }
        for format in ["md", "html", "json"] {
            let output = okr()
                .args(["report", "--format", format, "--today", TODAY])
                .arg(&input)
                .timeout(HANG)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                !stderr.contains("panicked"),
                "{}: report {format}: {stderr}",
                input.display()
            );
            assert!(
                matches!(output.status.code(), Some(0 | 1)),
                "{}: report {format}: {stderr}",
                input.display()
            );
        }
    }
}

#[test]
fn a_fifo_is_refused_not_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("goals.okr");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|status| status.success()) {
        return;
    }
    let (status, stdout, stderr) = check_path(&fifo, "short");
    assert_eq!(status, 2);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("goals.okr") && stderr.contains("not a regular file"),
        "{stderr}"
    );
    // Walking a folder skips it.
    fs::write(
        dir.path().join("company.okr"),
        fs::read("examples/company.okr").unwrap(),
    )
    .unwrap();
    let (status, _, stderr) = check_path(dir.path(), "short");
    assert_eq!(status, 0, "{stderr}");
}

#[test]
fn an_alignment_cycle_across_ten_files() {
    let dir = tempfile::tempdir().unwrap();
    for team in 0..10 {
        let next = (team + 1) % 10;
        let text = format!("period 2026-Q3\nteam t{team}\nowner @a\nobjective o \"O\"\n  aligns t{next}/o\n  kr k \"Customers\" target 5\n    2026-08-10 2\n");
        fs::write(dir.path().join(format!("t{team}.okr")), text).unwrap();
    }
    let (status, stdout, _) = check_path(dir.path(), "json");
    assert_eq!(status, 1);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let cycles: Vec<_> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "okr::aligns-cycle")
        .collect();
    assert_eq!(cycles.len(), 1, "one loop, reported once: {json:#}");
    assert_eq!(
        cycles[0]["message"].as_str().unwrap().matches("→").count(),
        10
    );
    every_other_command(dir.path());
}

/// `checkin` and `fmt` racing on one file: some updates may be lost to the
/// last writer, but every state of the file is a whole one that parses.
#[test]
fn racing_edits_never_leave_a_half_written_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("marketing.okr");
    let original = fs::read_to_string("examples/marketing.okr").unwrap();
    // Unformatted, so `fmt` has work to do.
    fs::write(&path, original.replace("\n  kr paid", "\n\n\n  kr paid")).unwrap();
    let spawn = |args: Vec<String>| {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("okr"))
            .args(args)
            .current_dir(dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut children = Vec::new();
    for day in 12..28 {
        children.push(spawn(vec![
            "checkin".into(),
            "marketing/engagement.trials".into(),
            format!("{}", 2_000 + day * 10),
            "--date".into(),
            format!("2026-08-{day}"),
            "--today".into(),
            "2026-08-30".into(),
        ]));
        children.push(spawn(vec!["fmt".into(), "marketing.okr".into()]));
        // Meanwhile the file is always whole.
        let text = fs::read_to_string(&path).unwrap();
        assert!(
            text.ends_with('\n') && text.contains("kr campaigns"),
            "a partial file was seen:\n{text}"
        );
    }
    for mut child in children {
        child.wait().unwrap();
    }
    let (status, stdout, _) = check_path(&path, "short");
    assert!(!stdout.contains("okr::syntax"), "{stdout}");
    assert!(matches!(status, 0 | 1));
    let left = files_in(dir.path());
    assert_eq!(left.len(), 1, "no temporary file left behind: {left:?}");
}

/// A disk that fills up mid-write, simulated with a file-size limit of one
/// block (`ulimit -f 1`): the edit fails, the goals file keeps every byte.
#[test]
fn a_full_disk_never_costs_the_original_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("marketing.okr");
    // Large and unformatted, so `fmt` has more than a block to write.
    let original = fs::read_to_string("examples/marketing.okr")
        .unwrap()
        .replace("\n  kr ", "\n\n\n  kr ")
        + &"# padding to pass one block\n".repeat(60);
    fs::write(&path, &original).unwrap();
    let okr = assert_cmd::cargo::cargo_bin("okr");
    for command in [
        format!("'{}' fmt marketing.okr", okr.display()),
        format!(
            "'{}' checkin marketing/engagement.trials 2,300 --date 2026-08-14 --today 2026-08-15",
            okr.display()
        ),
    ] {
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("ulimit -f 1; exec {command}"))
            .current_dir(dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(
            !status.success(),
            "{command} cannot succeed with a full disk"
        );
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            original,
            "{command} changed the file"
        );
    }
}

#[test]
fn a_hundred_thousand_objectives() {
    let mut text = HEADER.to_string();
    for index in 0..100_000 {
        text.push_str(&format!("objective o{index} \"Grow {index}\"\n  kr k \"Customers\" target 5\n    2026-08-10 2\n"));
    }
    let (status, stdout, _) = check_bytes(text.as_bytes(), "short");
    assert_eq!(status, 0, "{stdout}");
    let (status, stdout, _) = check_bytes(text.as_bytes(), "json");
    assert_eq!(status, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let too_many = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "okr::too-many-objectives")
        .count();
    assert_eq!(too_many, 1, "reported once, at the sixth objective");
}

#[test]
fn a_conversion_over_one_hundred_percent() {
    let text = format!("{HEADER}funnel f\n  stage a \"A\"\n  stage b \"B\" conversion 250%\nobjective o \"O\"\n  kr a \"A\" target 5 stage f.a\n  kr b \"B\" target 5 stage f.b\n");
    assert_error_containing(text.as_bytes(), "bad-conversion");
}

/// A folder the user may not write to: the edit is refused and the file kept.
/// (Root writes anywhere, so as root this only checks that nothing breaks.)
#[test]
fn a_read_only_folder_refuses_the_write_and_keeps_the_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("goals");
    fs::create_dir(&folder).unwrap();
    let path = folder.join("marketing.okr");
    let original = fs::read_to_string("examples/marketing.okr")
        .unwrap()
        .replace("\n  kr ", "\n\n\n  kr ");
    fs::write(&path, &original).unwrap();
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o555)).unwrap();
    let output = okr().args(["fmt"]).arg(&path).output().unwrap();
    let root = fs::write(folder.join("probe"), "").is_ok();
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o755)).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    if !root {
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("marketing.okr"), "{stderr}");
        assert_eq!(fs::read_to_string(&path).unwrap(), original);
    }
}
