//! The JSON document of `okr check --format json` (SPEC §5), version 2 (the version of every JSON document, `document::VERSION`).

use super::Summary;
use crate::diagnostic::Diagnostic;
use crate::document::check::{CheckDocument, DiagnosticEntry};
use crate::document::pretty;
use crate::workspace::Workspace;

pub(super) fn render(workspace: &Workspace, diagnostics: &[Diagnostic]) -> String {
    pretty(&CheckDocument {
        version: crate::document::VERSION,
        diagnostics: DiagnosticEntry::all(workspace, diagnostics),
        summary: Summary::of(workspace, diagnostics),
    })
}
