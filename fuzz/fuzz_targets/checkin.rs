//! `okr checkin` on any goals text: the check-in request is cut from the input
//! too. Form feeds split it into the goals text, the reference, the value, the
//! date, and (when present) the confidence, the note and the handle; a part
//! left out or empty is taken from the goals (a KR of the file, its target's
//! value, a day of its period), so plain `.okr` inputs make check-ins that work.
//!
//! Never a panic. A planned check-in keeps every byte of the file, in order,
//! and adds exactly one line (the one it names, at the line number it names);
//! the new text parses, has the check-in last under the KR it names, and has
//! no error the old text did not have. A refusal is a value.
#![no_main]

use chrono::{Duration, NaiveDate};
use libfuzzer_sys::fuzz_target;
use okr::diagnostic::{Code, Severity};
use okr::edit::checkin::{plan, Request};
use okr::model::goals::Target;
use okr::workspace::Workspace;
use std::collections::BTreeMap;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let mut parts = input.split('\u{c}');
    let text = parts.next().unwrap_or_default();
    let reference = parts.next().filter(|part| !part.is_empty());
    let value = parts.next().filter(|part| !part.is_empty());
    let date = parts.next();
    let confidence = parts.next().map(str::to_string);
    let note = parts.next().map(str::to_string);
    let by = parts.next().map(str::to_string);

    let workspace = Workspace::from_texts([("a.okr", text)]);
    let goals = &workspace.goals[0];
    let krs: Vec<_> = goals
        .objectives
        .iter()
        .flat_map(|objective| objective.key_results.iter().map(move |kr| (objective, kr)))
        .collect();
    // The KR the defaults come from: the one the input's length picks.
    let picked = (!krs.is_empty()).then(|| krs[data.len() % krs.len()]);
    let reference = match (reference, picked) {
        (Some(reference), _) => reference.to_string(),
        (None, Some((objective, kr))) => {
            let local = format!("{}.{}", objective.id.value, kr.id.value);
            match goals.team_id() {
                Some(team) => format!("{team}/{local}"),
                None => local,
            }
        }
        (None, None) => return,
    };
    let value = match (value, picked) {
        (Some(value), _) => value.to_string(),
        // A value the KR takes: `done`, its target's number, or a band's end.
        (None, Some((_, kr))) => match &kr.target.value {
            Target::Milestone => "done".to_string(),
            Target::Hold(band) => band
                .min
                .as_ref()
                .or(band.max.as_ref())
                .map_or("1".to_string(), |bound| bound.value.to_string()),
            Target::Move(_) => kr
                .target_quantity()
                .map_or("1".to_string(), |quantity| quantity.to_string()),
        },
        (None, None) => "1".to_string(),
    };
    // A date as written, or a day of the period (with its grace) the input picks.
    let date = match date.and_then(|date| okr::model::period::parse_date(date).ok()) {
        Some(date) => date,
        None => {
            let start = goals
                .period
                .as_ref()
                .map_or(NaiveDate::from_ymd_opt(2026, 7, 1).unwrap(), |p| p.value.start);
            let salt = date.map_or(data.len(), |date| date.bytes().map(usize::from).sum());
            match start.checked_add_signed(Duration::days((salt % 120) as i64)) {
                Some(date) => date,
                None => return,
            }
        }
    };
    let request = Request {
        reference,
        value,
        date,
        confidence,
        note,
        by,
    };

    let Ok(edit) = plan(&workspace, &request) else {
        return; // A refusal: a value, with the file untouched.
    };
    let out = &edit.text;
    assert_eq!(edit.file, 0);

    // Every byte of the input kept, in order, around one inserted piece.
    assert!(out.len() > text.len(), "the check-in added nothing");
    let added = out.len() - text.len();
    let same = text
        .bytes()
        .zip(out.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    assert_eq!(
        &out.as_bytes()[same + added..],
        &text.as_bytes()[same..],
        "bytes of the file changed: {text:?} became {out:?}"
    );
    // That piece is one line: one more line break, and the line named.
    let breaks = |s: &str| s.bytes().filter(|&b| b == b'\n').count();
    assert_eq!(breaks(out), breaks(text) + 1, "not one line added: {out:?}");
    assert!(!edit.line.contains(['\n', '\r']), "the line breaks: {:?}", edit.line);
    let new_line = out
        .split('\n')
        .nth(edit.line_number - 1)
        .expect("the added line's number is in the file");
    let new_line = new_line.strip_suffix('\r').unwrap_or(new_line);
    assert_eq!(
        new_line.trim_start_matches(' '),
        edit.line,
        "line {} is not the check-in: {out:?}",
        edit.line_number
    );
    // The bytes added are that line and one line ending (LF or CRLF).
    assert!(
        matches!(added.checked_sub(new_line.len()), Some(1 | 2)),
        "{added} bytes added for the line {new_line:?}: {out:?}"
    );

    // The new text parses and has the check-in last under the KR named.
    let after = Workspace::from_texts([("a.okr", out.as_str())]);
    assert!(
        !after.diagnostics.iter().any(|d| d.code == Code::Syntax),
        "the new text does not parse: {out:?}"
    );
    let counts = |goals: &okr::model::goals::Goals| -> Vec<(String, String, usize)> {
        goals
            .objectives
            .iter()
            .flat_map(|o| {
                o.key_results
                    .iter()
                    .map(|kr| (o.id.value.clone(), kr.id.value.clone(), kr.checkins.len()))
            })
            .collect()
    };
    let (old, new) = (counts(goals), counts(&after.goals[0]));
    assert_eq!(old.len(), new.len(), "the KRs changed: {out:?}");
    let grown: Vec<usize> = (0..old.len()).filter(|&i| old[i] != new[i]).collect();
    let [at] = grown[..] else {
        panic!("not one KR gained the check-in: {old:?} became {new:?}");
    };
    let (objective, kr, count) = &new[at];
    assert_eq!(*count, old[at].2 + 1);
    assert!(
        request
            .reference
            .trim()
            .ends_with(&format!("{objective}.{kr}")),
        "the check-in went under {objective}.{kr}, not {}",
        request.reference
    );
    let checkin = after.goals[0]
        .objective(objective)
        .and_then(|o| o.key_results.iter().find(|k| &k.id.value == kr))
        .and_then(|k| k.checkins.last())
        .expect("the KR has the check-in");
    assert_eq!(checkin.date.value, request.date);
    assert_eq!(
        after.files[0].line_index(checkin.span.start()) + 1,
        edit.line_number,
        "the check-in is not the KR's last: {out:?}"
    );

    // No error the old text did not have: refused check-ins are the ones
    // that would make the goals wrong.
    let errors = |workspace: &Workspace| {
        let mut by_code: BTreeMap<Code, usize> = BTreeMap::new();
        for d in okr::check::check(workspace, request.date, &[]) {
            if d.severity == Severity::Error {
                *by_code.entry(d.code).or_default() += 1;
            }
        }
        by_code
    };
    let (before, now) = (errors(&workspace), errors(&after));
    for (code, count) in &now {
        assert!(
            before.get(code).copied().unwrap_or(0) >= *count,
            "the check-in made a new {code:?} error: {out:?}"
        );
    }
});
