//! `cargo bench --bench history`: `okr diff` and `okr log` on a git repository
//! built once per run in a temporary folder, as `benches/history.sh` builds
//! its own: the 200-team organisation committed, then 200 commits that each
//! append a check-in to every KR of one team (commit *i* changes team *i*),
//! packed with `git gc` when git is installed.

mod common;

use chrono::{Days, NaiveDate, NaiveDateTime};
use common::{Org, TEAMS};
use divan::counter::BytesCount;
use divan::Bencher;
use git2::{Commit, Oid, Repository, Signature, Time};
use okr::diff::render::{self as render, DiffFormat, DiffView};
use okr::diff::Change;
use okr::history::log::Subject;
use okr::history::paths::PathFilter;
use okr::history::repo::Repo;
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;
use tempfile::TempDir;

/// Commits of check-ins on top of the organisation.
const COMMITS: usize = 200;

/// The repository, built by the first benchmark that needs it.
static HISTORY: OnceLock<TempDir> = OnceLock::new();

fn main() {
    divan::main();
    // A static is never dropped: remove the repository by hand.
    if let Some(dir) = HISTORY.get() {
        let _ = std::fs::remove_dir_all(dir.path());
    }
}

fn history() -> &'static Path {
    HISTORY.get_or_init(build_history).path()
}

/// `okr diff HEAD~K HEAD --format json`: the files that differ read from
/// git, both sides parsed, compared and rendered. Throughput is the bytes of
/// both sides.
#[divan::bench(args = [1, 100], sample_count = 50)]
fn diff(bencher: Bencher, commits: usize) {
    let old = format!("HEAD~{commits}");
    bencher
        .counter(changed_bytes(&old, "HEAD"))
        .bench(|| diff_json(history(), &old, "HEAD"));
}

/// `okr log t0150/o1.k1 --format json`: every commit compared with its
/// parent, the blobs that differ scanned for their team, t0150's parsed.
#[divan::bench]
fn log(bencher: Bencher) {
    let subject = Subject::parse(&format!("t{:04}/o1.k1", TEAMS * 3 / 4)).expect("a reference");
    let dir = history();
    bencher.bench(|| {
        let mut repo = Repo::discover(dir).expect("the repository opens");
        let story = okr::history::log::log(&mut repo, &subject, &PathFilter::default(), None)
            .expect("the history reads");
        // Returned, so that freeing them is not timed: the command leaves them to the OS.
        (render::log(&story, DiffFormat::Json, false), story, repo)
    });
}

/// What `okr diff OLD NEW --format json` does.
fn diff_json(dir: &Path, old: &str, new: &str) -> (String, Vec<Change>, Repo) {
    let repo = Repo::discover(dir).expect("the repository opens");
    let filter = repo.path_filter(dir, &[]).expect("every path");
    let old = repo.resolve(old).expect("the old revision");
    let new = repo.resolve(new).expect("the new revision");
    let (changes, _) =
        okr::history::changes_between(&repo, &old, &new, &filter).expect("both sides read");
    let view = DiffView::of_points(&old, &new, &changes);
    let text = render::diff(&view, DiffFormat::Json, false);
    // Returned, so that freeing them is not timed: the command leaves them to the OS.
    (text, changes, repo)
}

/// The bytes of both sides of every file that differs between two revisions.
fn changed_bytes(old: &str, new: &str) -> BytesCount {
    let repo = Repository::open(history()).expect("the repository opens");
    let tree = |revision: &str| {
        repo.revparse_single(revision)
            .and_then(|object| object.peel_to_tree())
            .expect("a revision's tree")
    };
    let diff = repo
        .diff_tree_to_tree(Some(&tree(old)), Some(&tree(new)), None)
        .expect("a tree diff");
    let size = |id: Oid| repo.find_blob(id).map_or(0, |blob| blob.size());
    let bytes: usize = diff
        .deltas()
        .map(|delta| size(delta.old_file().id()) + size(delta.new_file().id()))
        .sum();
    BytesCount::new(bytes)
}

/// Builds the repository in a temporary folder.
fn build_history() -> TempDir {
    let mut files = Org::read().files;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let repo = Repository::init(dir.path()).expect("git init");
    let mut head = commit(&repo, None, &files, "Q3 goals", at(day(2026, 7, 1), 9, 0));
    for i in 0..COMMITS {
        let day = day(2026, 9, 29) + Days::new(i as u64 / 15);
        let team = &mut files[i % TEAMS];
        team.1 = check_in(&team.1, day);
        let message = format!("Check-ins {}", i + 1);
        let when = at(day, 10, u32::try_from(i % 60).expect("below 60"));
        head = commit(
            &repo,
            Some(head),
            std::slice::from_ref(team),
            &message,
            when,
        );
    }
    pack(dir.path());
    dir
}

fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a valid date")
}

fn at(day: NaiveDate, hour: u32, minute: u32) -> NaiveDateTime {
    day.and_hms_opt(hour, minute, 0).expect("a valid time")
}

/// Commits `changed` (name, text) files on top of `parent`, dated `when` (UTC).
fn commit(
    repo: &Repository,
    parent: Option<Oid>,
    changed: &[(String, String)],
    message: &str,
    when: NaiveDateTime,
) -> Oid {
    let parent = parent.map(|id| repo.find_commit(id).expect("the parent commit"));
    let base = parent
        .as_ref()
        .map(|commit| commit.tree().expect("the parent's tree"));
    let mut tree = repo.treebuilder(base.as_ref()).expect("a tree builder");
    for (name, text) in changed {
        let blob = repo.blob(text.as_bytes()).expect("a blob");
        tree.insert(name, blob, 0o100_644).expect("a tree entry");
    }
    let tree = repo
        .find_tree(tree.write().expect("a tree"))
        .expect("the tree");
    let time = Time::new(when.and_utc().timestamp(), 0);
    let signature = Signature::new("Bench", "bench@example.com", &time).expect("a signature");
    let parents: Vec<&Commit> = parent.iter().collect();
    repo.commit(
        Some("HEAD"),
        &signature,
        &signature,
        message,
        &tree,
        &parents,
    )
    .expect("a commit")
}

/// Appends under every KR one check-in dated `day` with its latest value
/// again, after its last check-in (as `benches/history.sh` does).
fn check_in(text: &str, day: NaiveDate) -> String {
    let mut out = String::with_capacity(text.len() + 1024);
    let mut lines = text.split('\n').peekable();
    while let Some(line) = lines.next() {
        out.push_str(line);
        out.push('\n');
        let last = lines.peek().and_then(|next| check_in_line(next)).is_none();
        if let (Some((indent, value)), true) = (check_in_line(line), last) {
            out.push_str(&format!("{indent}{day} {value}\n"));
        }
    }
    // `split` gave one piece more than there are line endings.
    out.pop();
    out
}

/// An indented `DATE VALUE …` line's indentation and value.
fn check_in_line(line: &str) -> Option<(&str, &str)> {
    let body = line.trim_start_matches(' ');
    let indent = &line[..line.len() - body.len()];
    let mut words = body.split(' ');
    let date = words.next()?;
    let value = words.next()?;
    let is_date = date.len() == 10 && NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok();
    (!indent.is_empty() && is_date).then_some((indent, value))
}

/// Packs the objects as `git gc` does, as a clone's would be; without git
/// they stay loose, which makes reading them slower.
fn pack(dir: &Path) {
    let packed = Command::new("git")
        .args(["gc", "--quiet"])
        .current_dir(dir)
        .status();
    if !packed.is_ok_and(|status| status.success()) {
        eprintln!("note: `git gc` did not run; the history bench reads loose objects");
    }
}
