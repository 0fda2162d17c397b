//! The report templates (`templates/` embedded in the binary, or a folder
//! given with `--templates`), rendered with minijinja. Every piece of user text
//! is escaped on output: HTML in `.html.j2` templates, Markdown in `.md.j2`
//! ones; only filter results built from numbers are marked safe.

use crate::escape::markdown;
use crate::model::quantity::{self, Currency, Unit};
use minijinja::value::Value;
use minijinja::{AutoEscape, Environment, Error, ErrorKind, Output, State};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The templates there are, with their embedded default text.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("report.md.j2", include_str!("../../templates/report.md.j2")),
    (
        "report.html.j2",
        include_str!("../../templates/report.html.j2"),
    ),
    // The HTML report's parts that `okr serve`'s pages include too.
    (
        "report-style.html.j2",
        include_str!("../../templates/report-style.html.j2"),
    ),
    (
        "report-team.html.j2",
        include_str!("../../templates/report-team.html.j2"),
    ),
    (
        "report-funnel.html.j2",
        include_str!("../../templates/report-funnel.html.j2"),
    ),
];

/// The auto-escape mode of Markdown templates (also `okr review`'s).
pub(crate) const MARKDOWN: AutoEscape = AutoEscape::Custom("markdown");

/// Why the templates could not be loaded or a report not rendered.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// `--templates DIR` names no folder: a typo, not a wish for the defaults.
    #[error("the templates folder `{}` does not exist (or is not a folder)", crate::source::display_path(.folder))]
    NoFolder {
        /// The folder as given.
        folder: PathBuf,
    },
    /// A template file that could not be read.
    #[error("cannot read `{}`: {source}", .path.display())]
    Read {
        /// The template file's path.
        path: PathBuf,
        /// Why it could not be read.
        source: std::io::Error,
    },
    /// A template that does not compile.
    #[error("template `{name}`: {source:#}")]
    Template {
        /// The template's name, `report.md.j2`.
        name: String,
        /// The engine's error.
        source: minijinja::Error,
    },
    /// A template that failed as it rendered, `shown` as the engine shows
    /// it. The engine's error holds the template's values, which borrow
    /// what the report must give back, so it is shown at once and kept as
    /// its kind and detail only.
    #[error("template `{name}`: {shown}")]
    Render {
        /// The template's name, `report.md.j2`.
        name: String,
        /// The error as the engine shows it, with its place in the template.
        shown: String,
        /// The engine's error, kept as its kind and detail only.
        source: minijinja::Error,
    },
}

/// The loaded templates, ready to render.
pub struct Templates {
    env: Environment<'static>,
}

impl Templates {
    /// The embedded templates, each replaced by a file of the same name in
    /// `overrides` when there is one.
    pub fn load(overrides: Option<&Path>) -> Result<Templates, TemplateError> {
        Templates::load_all(overrides, &[TEMPLATES])
    }

    /// [`Templates::load`] for several sets of templates (`okr serve`'s
    /// pages beside the report's [`TEMPLATES`], which they include).
    pub fn load_all(
        overrides: Option<&Path>,
        sets: &[&[(&str, &str)]],
    ) -> Result<Templates, TemplateError> {
        // A folder that is not there is a typo, not a wish for the defaults:
        // the report would come out in the built-in layout without a word.
        if let Some(dir) = overrides.filter(|dir| !dir.is_dir()) {
            return Err(TemplateError::NoFolder {
                folder: dir.to_path_buf(),
            });
        }
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
        env.add_filter("goal_href", |id: String| goal_href("#", &id));
        env.add_function("element_id", |period: String, reference: String| {
            Value::from_safe_string(super::element_id(&period, &reference))
        });
        for (name, text) in sets.iter().copied().flatten() {
            let text = match overrides
                .map(|dir| dir.join(name))
                .filter(|path| path.is_file())
            {
                Some(path) => std::fs::read_to_string(&path)
                    .map_err(|source| TemplateError::Read { path, source })?,
                None => (*text).to_string(),
            };
            env.add_template_owned(name.to_string(), text)
                .map_err(|source| TemplateError::Template {
                    name: name.to_string(),
                    source,
                })?;
        }
        Ok(Templates { env })
    }

    /// Links to an objective (`goal_href`) lead to `/goal/ID`, which `okr
    /// serve` answers with its team's page, instead of `#ID` on the one page.
    pub fn link_goals_to_pages(&mut self) {
        self.env
            .add_filter("goal_href", |id: String| goal_href("/goal/", &id));
    }

    /// Renders template `name` straight into `out`; a context given as a
    /// `Value` is used as it is, so a caller about to exit can skip freeing it.
    pub fn render_to(
        &self,
        name: &str,
        context: impl serde::Serialize,
        out: &mut dyn std::io::Write,
    ) -> Result<(), TemplateError> {
        self.env
            .get_template(name)
            .and_then(|template| template.render_captured_to(context, out).map(|_| ()))
            .map_err(|error| TemplateError::Render {
                name: name.to_string(),
                shown: format!("{error:#}"),
                source: Error::new(error.kind(), error.detail().unwrap_or_default().to_string()),
            })
    }
}

/// A link to the objective whose element id is `id`, after `prefix`.
fn goal_href(prefix: &str, id: &str) -> Value {
    Value::from_safe_string(format!("{prefix}{}", minijinja::HtmlEscape(id)))
}

/// Writes a value, escaping it for the template's output format (also
/// `okr review`'s formatter).
pub(crate) fn format_value(out: &mut Output, state: &State, value: &Value) -> Result<(), Error> {
    if state.auto_escape() == MARKDOWN && !value.is_safe() {
        if value.is_none() || value.is_undefined() {
            return Ok(());
        }
        // Most values are strings already: escape them where they are.
        return match value.as_str() {
            Some(text) => out.write_str(&markdown(text)),
            None => out.write_str(&markdown(&value.to_string())),
        }
        .map_err(Error::from);
    }
    minijinja::escape_formatter(out, state, value)
}

/// A template number as a decimal, for the filters. The built-in templates
/// print each entry's `text` instead, made from the exact decimal; a number
/// in a template is a double (what template arithmetic needs), whose
/// shortest text is the decimal it came from for every number of up to 15
/// significant digits (every number the goals write). A string holding a
/// number (`text` values aside) is read exactly.
fn decimal(value: &Value) -> Result<Decimal, Error> {
    let not_a_number = || {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("not a number: {value}"),
        )
    };
    if let Some(text) = value.as_str() {
        return Decimal::from_str_exact(text.trim()).map_err(|_| not_a_number());
    }
    if value.is_integer() {
        let integer = i128::try_from(value.clone()).map_err(|_| not_a_number())?;
        return Decimal::try_from_i128_with_scale(integer, 0).map_err(|_| not_a_number());
    }
    let float = f64::try_from(value.clone()).map_err(|_| not_a_number())?;
    Decimal::from_str(&float.to_string())
        .ok()
        .or_else(|| Decimal::from_f64_retain(float))
        .ok_or_else(not_a_number)
}

/// A fraction from 0 to 1, for drawing (bars and widths need no exactness).
fn fraction(value: &Value) -> Result<f64, Error> {
    if value.is_none() || value.is_undefined() {
        return Ok(0.0);
    }
    Ok(decimal(value)?.to_f64().unwrap_or(0.0).clamp(0.0, 1.0))
}

/// What a filter gives for a number that is not there.
fn missing() -> Value {
    Value::from_safe_string("–".into())
}

/// `60000` → `60,000`; `0.105` → `0.105`; computed `0.53681` → `0.54` and
/// `63817.5833` → `63,818` ([`quantity::figure`]).
fn number(value: Value) -> Result<Value, Error> {
    if value.is_none() || value.is_undefined() {
        return Ok(missing());
    }
    Ok(Value::from_safe_string(quantity::figure(decimal(&value)?)))
}

/// A fraction as a percent: `0.5368` → `54%`, `0.0625` → `6.3%`, `0.125` →
/// `12.5%`, and never `100%` unless it is ([`quantity::share`]).
fn percent(value: Value) -> Result<Value, Error> {
    if value.is_none() || value.is_undefined() {
        return Ok(missing());
    }
    Ok(Value::from_safe_string(quantity::share(decimal(&value)?)))
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
    let fraction = fraction(&value)?;
    Ok(Value::from_safe_string(format!("{:.1}%", fraction * 100.0)))
}

/// A KR value in its unit: `amount(kr.unit, kr.currency)` gives `60,000`,
/// `35%` or `$12,000` (`&#36;12,000` in Markdown, where `$…$` is math), a
/// percent as [`quantity::share`] and a number as [`quantity::figure`];
/// `amount(kr.unit, kr.currency, kr.target)` reads it beside its target
/// (`99.50%` beside `99.95%`: [`Unit::format_beside`]).
fn amount(
    state: &State,
    value: Value,
    unit: Option<String>,
    currency: Option<String>,
    beside: Option<Value>,
) -> Result<Value, Error> {
    if value.is_none() || value.is_undefined() {
        return Ok(missing());
    }
    let unit = match unit.as_deref() {
        Some("percent") => Unit::Percent,
        Some("money") => match currency.as_deref().and_then(Currency::parse) {
            Some(currency) => Unit::Money(currency),
            None => Unit::Count,
        },
        _ => Unit::Count,
    };
    let text = match beside.filter(|mark| !mark.is_none() && !mark.is_undefined()) {
        Some(mark) => unit.format_beside(decimal(&value)?, &[decimal(&mark)?]),
        None => unit.format_figure(decimal(&value)?),
    };
    Ok(Value::from_safe_string(
        if state.auto_escape() == MARKDOWN {
            markdown(&text).into_owned()
        } else {
            minijinja::HtmlEscape(&text).to_string()
        },
    ))
}

/// A fraction as a ten-cell text bar: `0.54` → `█████░░░░░`.
fn bar(value: Value) -> Result<Value, Error> {
    let fraction = fraction(&value)?;
    #[allow(
        clippy::cast_possible_truncation,
        reason = "`fraction` is clamped to 0–1, so this is 0 to 10"
    )]
    let full = (fraction * 10.0).round() as usize;
    Ok(Value::from_safe_string(format!(
        "{}{}",
        "█".repeat(full),
        "░".repeat(10 - full)
    )))
}

/// A status's shape, so it reads without colour: ✔ ● ▲ ■ ✖ ○.
fn status_icon(status: String) -> Value {
    let icon = crate::score::Status::parse(&status).map_or("○", crate::score::Status::icon);
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
    Value::from_safe_string(super::ids::id_part(&text))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The filters custom templates use follow the reports' display rule.
    #[test]
    fn filters_read_numbers_by_the_display_rule() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("report.md.j2"),
            concat!(
                r#"{{ 0.995 | amount("percent", none, 0.9995) }} "#,
                r#"{{ 0.246 | amount("percent", none, 0.25) }} "#,
                r#"{{ 104.5 | amount("money", "USD") }} {{ 0.9996 | percent }} "#,
                r#"{{ 63817.5833 | number }} {{ "0.12499999999999999999" | percent }} "#,
                r#"{{ none | amount("count", none) }}"#,
            ),
        )
        .unwrap();
        let templates = Templates::load(Some(dir.path())).unwrap();
        let mut out = Vec::new();
        templates
            .render_to("report.md.j2", serde_json::json!({}), &mut out)
            .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "99.50% 24.6% &#36;104.50 99.96% 63,818 12% –"
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
