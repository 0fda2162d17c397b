//! The JSON document of `okr check --format json` (SPEC §5), version 1.

use super::Summary;
use crate::diagnostic::Diagnostic;
use crate::document::check::{CheckDocument, DiagnosticEntry};
use crate::document::pretty;
use crate::workspace::Workspace;

pub fn render(workspace: &Workspace, diagnostics: &[Diagnostic]) -> String {
    pretty(&CheckDocument {
        version: 1,
        diagnostics: DiagnosticEntry::all(workspace, diagnostics),
        summary: Summary::of(workspace, diagnostics),
    })
}
