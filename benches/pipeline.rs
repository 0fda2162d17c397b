//! `cargo bench --bench pipeline`: each stage of `okr check`, `okr report` and
//! `okr fmt` on a generated organisation of 200 teams (see `benches/README.md`).
//! Each benchmark calls the library as the command does for that stage;
//! throughput is the organisation's bytes.

mod common;

use chrono::NaiveDate;
use common::Org;
use divan::counter::BytesCount;
use divan::Bencher;
use okr::diagnostic::Diagnostic;
use okr::model::build::Builder;
use okr::report::render::{render, Format};
use okr::report::{self, templates::Templates};
use okr::syntax::{self, ast::Line};
use okr::workspace::Workspace;
use std::sync::LazyLock;

fn main() {
    divan::main();
}

static ORG: LazyLock<Org> = LazyLock::new(Org::read);

/// Bytes of every file: what a stage that reads them all gets through.
fn org_bytes() -> BytesCount {
    BytesCount::new(ORG.files.iter().map(|(_, text)| text.len()).sum::<usize>())
}

/// The day figures are computed for, as `benches/org.sh` gives `--today`.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 8, 15).expect("a valid date")
}

/// The organisation loaded as every command loads it (stages 1 and 2).
/// Benchmarks take it before they start timing.
static WORKSPACE: LazyLock<Workspace> = LazyLock::new(load_org);

/// The organisation's findings, which the report includes.
static DIAGNOSTICS: LazyLock<Vec<Diagnostic>> =
    LazyLock::new(|| okr::check::check(&WORKSPACE, today(), &[]));

/// Stage 1 alone: `syntax::parse` of every file, each line dropped as it comes.
#[divan::bench(sample_count = 50)]
fn parse(bencher: Bencher) {
    bencher.counter(org_bytes()).bench(|| {
        ORG.files
            .iter()
            .enumerate()
            .map(|(id, (_, text))| syntax::parse(id, text, drop))
            .collect::<Vec<_>>()
    });
}

/// Stage 2 alone: the model `Builder` fed every file's lines, parsed beforehand.
#[divan::bench]
fn model(bencher: Bencher) {
    let lines: Vec<Vec<Line>> = ORG
        .files
        .iter()
        .enumerate()
        .map(|(id, (_, text))| {
            let mut lines = Vec::new();
            syntax::parse(id, text, |line| lines.push(line));
            lines
        })
        .collect();
    bencher
        .counter(org_bytes())
        .with_inputs(|| lines.clone())
        .bench_values(|lines| {
            lines
                .into_iter()
                .zip(&ORG.files)
                .enumerate()
                .map(|(id, (lines, (_, text)))| {
                    let mut builder = Builder::new(id, text);
                    lines.into_iter().for_each(|line| builder.push(line));
                    builder.finish()
                })
                .collect::<Vec<_>>()
        });
}

/// Stages 1 and 2 as every command runs them: `Workspace::load` of the
/// folder (walk, read, parse and build each file, in parallel).
#[divan::bench(sample_count = 50)]
fn load(bencher: Bencher) {
    common::org_dir();
    bencher.counter(org_bytes()).bench(load_org);
}

/// The organisation's folder loaded, as `okr check bench-data/org-200` loads it.
fn load_org() -> Workspace {
    Workspace::load(&[common::org_dir()]).expect("the organisation loads")
}

/// `okr check` after loading: every lint, then the findings rendered for people.
#[divan::bench]
fn check(bencher: Bencher) {
    let workspace = &*WORKSPACE;
    let style = okr::diagnostic::render::Style {
        color: false,
        width: 100,
    };
    bencher.counter(org_bytes()).bench(|| {
        let diagnostics = okr::check::check(workspace, today(), &[]);
        okr::diagnostic::render::diagnostics(
            workspace,
            &diagnostics,
            okr::diagnostic::render::Format::Human,
            style,
        )
    });
}

/// Scoring every team, as `okr report` does first (`report::scores`).
#[divan::bench]
fn score(bencher: Bencher) {
    let workspace = &*WORKSPACE;
    bencher
        .counter(org_bytes())
        .bench(|| report::scores(workspace, today()));
}

/// Scores, the report's view and its text, as `okr report` renders them.
#[divan::bench(args = [Format::Json, Format::Md, Format::Html], sample_count = 50)]
fn report(bencher: Bencher, format: Format) {
    // Its own copy: a template report lends the workspace to the template's
    // values while it renders (`render` takes it mutably).
    let (mut workspace, diagnostics) = (load_org(), &*DIAGNOSTICS);
    bencher
        .counter(org_bytes())
        .bench_local(|| render_report(&mut workspace, diagnostics, format));
}

/// `report::render::render` into memory, as `okr report` does after loading.
fn render_report(workspace: &mut Workspace, diagnostics: &[Diagnostic], format: Format) -> Vec<u8> {
    let templates = Templates::load(None).expect("the built-in templates");
    let mut out = Vec::new();
    let scores = okr::report::scores(workspace, today());
    render(
        workspace,
        scores,
        diagnostics,
        today(),
        format,
        Some(&templates),
        &mut out,
    )
    .expect("the report renders");
    out
}

/// `okr fmt` after loading, short of writing: every file formatted (parsed,
/// laid out, parsed again, meaning compared) and compared with what it was.
#[divan::bench(sample_count = 20)]
fn fmt(bencher: Bencher) {
    bencher.counter(org_bytes()).bench(|| {
        ORG.files
            .iter()
            .filter(|(_, text)| okr::edit::fmt::format(text).expect("the file formats") != *text)
            .count()
    });
}
