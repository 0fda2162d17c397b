//! The report templates (`templates/` embedded in the binary, or a folder
//! given with `--templates`), rendered with minijinja. Every piece of user text
//! is escaped on output: HTML in `.html.j2` templates, Markdown in `.md.j2`
//! ones; only filter results built from numbers are marked safe.

use minijinja::value::Value;
use minijinja::{AutoEscape, Environment, Error, ErrorKind, Output, State};
use std::path::Path;

/// The templates there are, with their embedded default text.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("report.md.j2", include_str!("../../templates/report.md.j2")),
    (
        "report.html.j2",
        include_str!("../../templates/report.html.j2"),
    ),
];

const MARKDOWN: AutoEscape = AutoEscape::Custom("markdown");

/// The loaded templates, ready to render.
pub struct Templates {
    env: Environment<'static>,
}

impl Templates {
    /// The embedded templates, each replaced by a file of the same name in
    /// `overrides` when there is one.
    pub fn load(overrides: Option<&Path>) -> Result<Templates, String> {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html.j2") {
                AutoEscape::Html
            } else if name.ends_with(".md.j2") {
                MARKDOWN
            } else {
                AutoEscape::None
            }
        });
        env.set_formatter(format_value);
        env.set_keep_trailing_newline(true);
        env.add_filter("number", number);
        env.add_filter("percent", percent);
        env.add_filter("bar", bar);
        env.add_filter("status_icon", status_icon);
        env.add_filter("mermaid", mermaid);
        env.add_filter("anchor", anchor);
        env.add_filter("amount", amount);
        env.add_filter("node_id", node_id);
        env.add_filter("width", width);
        env.add_function("element_id", |period: String, reference: String| {
            Value::from_safe_string(super::element_id(&period, &reference))
        });
        for (name, text) in TEMPLATES {
            let text = match overrides
                .map(|dir| dir.join(name))
                .filter(|path| path.is_file())
            {
                Some(path) => std::fs::read_to_string(&path)
                    .map_err(|error| format!("cannot read `{}`: {error}", path.display()))?,
                None => (*text).to_string(),
            };
            env.add_template_owned(name.to_string(), text)
                .map_err(|error| format!("template `{name}`: {error:#}"))?;
        }
        Ok(Templates { env })
    }

    /// Renders template `name` straight into `out`; a context given as a
    /// `Value` is used as it is, so a caller about to exit can skip freeing it.
    pub fn render_to(
        &self,
        name: &str,
        context: impl serde::Serialize,
        out: &mut dyn std::io::Write,
    ) -> Result<(), String> {
        self.env
            .get_template(name)
            .and_then(|template| template.render_captured_to(context, out).map(|_| ()))
            .map_err(|error| format!("template `{name}`: {error:#}"))
    }
}

/// Writes a value, escaping it for the template's output format.
fn format_value(out: &mut Output, state: &State, value: &Value) -> Result<(), Error> {
    if state.auto_escape() == MARKDOWN && !value.is_safe() {
        if value.is_none() || value.is_undefined() {
            return Ok(());
        }
        let text = value.to_string();
        return out.write_str(&escape_markdown(&text)).map_err(Error::from);
    }
    minijinja::escape_formatter(out, state, value)
}

/// User text made inert in Markdown: no emphasis, links, images, HTML, table
/// breaks, code, headings or lists, and no `@mention` that would ping someone
/// (a word joiner follows each `@`); shown as the characters typed.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let body = text.trim_start();
    // What only matters at the start of a line: headings, lists, rules.
    let numbered = body
        .find(|c: char| !c.is_ascii_digit())
        .filter(|&at| at > 0 && body[at..].starts_with(['.', ')']));
    if body.starts_with(['#', '-', '+', '=']) || numbered.is_some() {
        out.push('\\');
    }
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '>' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '&' => out.push_str("&amp;"),
            '@' => out.push_str("@\u{2060}"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn decimal(value: &Value) -> Result<f64, Error> {
    f64::try_from(value.clone()).map_err(|_| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("not a number: {value}"),
        )
    })
}

/// `60000` → `60,000`; `0.5368` → `0.54`.
fn number(value: Value) -> Result<Value, Error> {
    if value.is_none() || value.is_undefined() {
        return Ok(Value::from_safe_string("–".into()));
    }
    let number = decimal(&value)?;
    let rounded = rust_decimal::Decimal::from_f64_retain(number)
        .map(|d| d.round_dp(if number.abs() >= 100.0 { 0 } else { 2 }))
        .unwrap_or_default();
    Ok(Value::from_safe_string(
        crate::model::quantity::group_thousands(rounded),
    ))
}

/// A fraction as a percent: `0.5368` → `54%`.
fn percent(value: Value) -> Result<Value, Error> {
    if value.is_none() || value.is_undefined() {
        return Ok(Value::from_safe_string("–".into()));
    }
    let percent = decimal(&value)? * 100.0;
    let text = if percent.fract().abs() < 0.05 || percent.abs() >= 10.0 {
        format!("{percent:.0}%")
    } else {
        format!("{percent:.1}%")
    };
    Ok(Value::from_safe_string(text))
}

/// A Mermaid node id for a reference: letters, digits and `_` only.
fn node_id(text: String) -> Value {
    let id: String = text
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    Value::from_safe_string(format!("n_{id}"))
}

/// A fraction as a CSS width, clamped to 0–100%: `0.5368` → `53.7%`.
fn width(value: Value) -> Result<Value, Error> {
    let fraction = if value.is_none() || value.is_undefined() {
        0.0
    } else {
        decimal(&value)?.clamp(0.0, 1.0)
    };
    Ok(Value::from_safe_string(format!("{:.1}%", fraction * 100.0)))
}

/// A KR value in its unit: `amount(kr.unit, kr.currency)` gives `60,000`,
/// `35%` or `$12,000`.
fn amount(value: Value, unit: Option<String>, currency: Option<String>) -> Result<Value, Error> {
    if value.is_none() || value.is_undefined() {
        return Ok(Value::from_safe_string("–".into()));
    }
    match unit.as_deref() {
        Some("percent") => percent(value),
        Some("money") => {
            let number = number(value)?.to_string();
            let quantity = match currency.as_deref() {
                Some("USD") => format!("${number}"),
                Some("EUR") => format!("€{number}"),
                Some("GBP") => format!("£{number}"),
                Some("JPY") => format!("¥{number}"),
                Some(code) => format!("{} {number}", escape_markdown(code)),
                None => number,
            };
            Ok(Value::from_safe_string(quantity))
        }
        _ => number(value),
    }
}

/// A fraction as a ten-cell text bar: `0.54` → `█████░░░░░`.
fn bar(value: Value) -> Result<Value, Error> {
    let fraction = if value.is_none() {
        0.0
    } else {
        decimal(&value)?.clamp(0.0, 1.0)
    };
    let full = (fraction * 10.0).round() as usize;
    Ok(Value::from_safe_string(format!(
        "{}{}",
        "█".repeat(full),
        "░".repeat(10 - full)
    )))
}

/// A status's shape, so it reads without colour: ✔ ● ▲ ■ ○.
fn status_icon(status: String) -> Value {
    let icon = match status.as_str() {
        "done" => "✔",
        "on-track" => "●",
        "at-risk" => "▲",
        "off-track" => "■",
        _ => "○",
    };
    Value::from_safe_string(icon.into())
}

/// Text for a quoted Mermaid label: anything but plain characters becomes an
/// entity code, so no label can close its quotes or inject a directive.
fn mermaid(text: String) -> Value {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() || c == ' ' || ",.:;!?/+%".contains(c) {
            out.push(c);
        } else {
            out.push_str(&format!("#{};", u32::from(c)));
        }
    }
    Value::from_safe_string(out)
}

/// An id usable in HTML anchors: `marketing/engagement` → `marketing-engagement`.
fn anchor(text: String) -> Value {
    Value::from_safe_string(super::id_part(&text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escaping_leaves_no_active_syntax() {
        let escaped = escape_markdown("*bold* [x](javascript:alert(1)) <script> | @dana `code`");
        assert_eq!(
            escaped,
            "\\*bold\\* \\[x\\](javascript:alert(1)) &lt;script\\> \\| @\u{2060}dana \\`code\\`"
        );
    }

    #[test]
    fn line_start_syntax_is_escaped_only_at_the_start() {
        assert_eq!(escape_markdown("# not a heading"), "\\# not a heading");
        assert_eq!(escape_markdown("1. not a list"), "\\1. not a list");
        assert_eq!(
            escape_markdown("Q3 - 2026: 1. and #2"),
            "Q3 - 2026: 1. and #2"
        );
    }

    #[test]
    fn mermaid_labels_cannot_close_their_quotes() {
        assert_eq!(
            mermaid(r#"a"] --> x["b"#.into()).to_string(),
            "a#34;#93; #45;#45;#62; x#91;#34;b"
        );
    }
}
