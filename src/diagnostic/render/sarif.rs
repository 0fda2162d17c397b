//! SARIF 2.1.0, the log format code-scanning UIs read (GitHub code scanning,
//! Azure DevOps, IDE SARIF viewers): one run whose rules are the diagnostic
//! code table, each with its `okr explain` page as help, and one result per
//! diagnostic at its physical location.

use super::Position;
use crate::diagnostic::{Code, Diagnostic, Related, Severity};
use crate::document::pretty;
use crate::source::FileId;
use crate::workspace::Workspace;
use serde::Serialize;
use std::fmt::Write;

/// Where the explanation pages live, when the package names its repository
/// (`repository` in Cargo.toml): `helpUri` points there. Without it the
/// rules still carry the whole page as `help`.
const REPOSITORY: Option<&str> = option_env!("CARGO_PKG_REPOSITORY");

pub(super) fn render(workspace: &Workspace, diagnostics: &[Diagnostic]) -> String {
    let results = diagnostics
        .iter()
        .map(|diagnostic| result(workspace, diagnostic))
        .collect();
    let mut out = pretty(&Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "okr",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: repository(),
                    rules: Code::ALL.iter().map(|&code| rule(code)).collect(),
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    });
    out.push('\n');
    out
}

fn repository() -> Option<&'static str> {
    REPOSITORY
        .map(|url| url.trim_end_matches('/'))
        .filter(|url| !url.is_empty())
}

/// The page `okr explain CODE` prints, as its repository shows it.
fn help_uri(repository: &str, code: Code) -> String {
    format!(
        "{repository}/blob/v{}/docs/diagnostics/{}.md",
        env!("CARGO_PKG_VERSION"),
        code.name()
    )
}

fn rule(code: Code) -> Rule {
    let explanation = code.explanation();
    // The page opens with `# okr::code (severity)`, then what fires it.
    let summary = explanation
        .split("\n\n")
        .map(str::trim)
        .find(|paragraph| !paragraph.is_empty() && !paragraph.starts_with('#'))
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let first_sentence = summary
        .split_once(". ")
        .map_or(summary.as_str(), |(sentence, _)| sentence)
        .trim_end_matches('.');
    Rule {
        id: code.to_string(),
        name: code.name(),
        short_description: Text {
            text: format!("{first_sentence}."),
        },
        full_description: Text { text: summary },
        help: Help {
            text: explanation,
            markdown: explanation,
        },
        help_uri: repository().map(|repository| help_uri(repository, code)),
        default_configuration: Configuration {
            level: level(code.default_severity()),
        },
    }
}

/// SARIF's levels: advice is a `note`.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Advice => "note",
    }
}

fn result(workspace: &Workspace, diagnostic: &Diagnostic) -> SarifResult {
    let mut message = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    SarifResult {
        rule_id: diagnostic.code.to_string(),
        rule_index: Code::ALL
            .iter()
            .position(|&code| code == diagnostic.code)
            .unwrap_or_default(),
        level: level(diagnostic.severity),
        message: Text { text: message },
        locations: [location(
            workspace,
            diagnostic.file,
            Position::of(workspace, diagnostic),
            None,
        )],
        related_locations: diagnostic
            .related
            .iter()
            .map(|related| related_location(workspace, related))
            .collect(),
    }
}

fn related_location(workspace: &Workspace, related: &Related) -> Location {
    let label = (!related.label.is_empty()).then(|| Text {
        text: related.label.clone(),
    });
    let at = Position::at(workspace, related.file, related.span);
    location(workspace, related.file, at, label)
}

fn location(workspace: &Workspace, file: FileId, at: Position, message: Option<Text>) -> Location {
    Location {
        physical_location: PhysicalLocation {
            artifact_location: artifact(&workspace.files[file].path),
            region: Region {
                start_line: at.line,
                start_column: at.column,
                end_line: at.end_line,
                end_column: at.end_column,
            },
        },
        message,
    }
}

/// A file as code-scanning UIs find it: relative paths against the
/// checkout's root (`%SRCROOT%`, so run `okr check` from the repository's
/// root), absolute ones as `file://` URIs.
fn artifact(path: &str) -> ArtifactLocation {
    if path.starts_with('/') {
        ArtifactLocation {
            uri: format!("file://{}", uri(path)),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: uri(path),
            uri_base_id: Some("%SRCROOT%"),
        }
    }
}

/// A path as a relative URI reference: `/` separators, and every byte
/// outside RFC 3986's unreserved set percent-encoded (a space, `#`, `%`).
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'static str>,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: String,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: &'static str,
    markdown: &'static str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_relative_uri_references() {
        assert_eq!(uri("goals/marketing.okr"), "goals/marketing.okr");
        assert_eq!(uri("./goals/Q3 #1.okr"), "goals/Q3%20%231.okr");
        assert_eq!(uri("goals\\ü.okr"), "goals/%C3%BC.okr");
        assert_eq!(
            artifact("/srv/goals/a b.okr").uri,
            "file:///srv/goals/a%20b.okr"
        );
        assert_eq!(artifact("a.okr").uri_base_id, Some("%SRCROOT%"));
    }

    #[test]
    fn help_points_at_the_explanation_page() {
        assert_eq!(
            help_uri("https://example.org/okr", Code::FunnelGap),
            format!(
                "https://example.org/okr/blob/v{}/docs/diagnostics/funnel-gap.md",
                env!("CARGO_PKG_VERSION")
            )
        );
        let rule = rule(Code::FunnelGap);
        assert!(rule.short_description.text.starts_with("Fires on a KR"));
        assert!(rule.short_description.text.ends_with('.'));
        assert_eq!(rule.help.markdown, Code::FunnelGap.explanation());
    }
}
