//! One escaper per output medium. Every piece of user text (titles, notes,
//! handles, file names, commit authors and summaries) passes through one of
//! these on its way to a terminal or into Markdown, so no goal file, file
//! name or commit can steer a reviewer's terminal or ping, link or hide
//! anything in a pull-request comment. HTML is minijinja's own escaper.

use std::borrow::Cow;

/// WORD JOINER: invisible and zero-width, it keeps `@dana` from being a
/// mention, `#12` an issue link and `https://` an autolink on GitHub, whose
/// filters run on the rendered text (where a backslash or an entity is gone).
pub const JOINER: char = '\u{2060}';

/// Characters a terminal (or a browser) may act on or that reorder the text
/// shown around them: C0 and C1 controls (ESC, CSI, a bare CR that lets a line
/// be overwritten, a newline that fakes a line) and the bidirectional controls
/// of "Trojan Source".
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `c` as text anyone can read: `\u{1b}`, `\n`, `\u{202e}`.
fn visible(c: char, out: &mut String) {
    out.extend(c.escape_default());
}

/// One-line terminal text: every hidden character shown as its escape
/// (`\u{1b}[2K`, `\n`), so text can neither send commands to the terminal
/// nor start a line of its own. For names, titles, authors and messages.
pub fn terminal(text: &str) -> Cow<'_, str> {
    escape_hidden(text, |_| true)
}

/// Terminal text of several lines: like [`terminal`], but newlines and tabs
/// stay what they are. For messages and help that are laid out in lines.
pub fn terminal_lines(text: &str) -> Cow<'_, str> {
    escape_hidden(text, |c| !matches!(c, '\n' | '\t'))
}

fn escape_hidden(text: &str, shown: impl Fn(char) -> bool) -> Cow<'_, str> {
    let hidden = |c: char| is_hidden(c) && shown(c);
    if !text.contains(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            visible(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The text with each hidden character replaced by as many `?` as its UTF-8
/// bytes: every byte offset stays the same, for a renderer (miette) that
/// places labels by offset. Newlines, tabs and carriage returns (line ends)
/// are kept.
pub fn mask_hidden(text: &str) -> Cow<'_, str> {
    let hidden = |c: char| is_hidden(c) && !matches!(c, '\t' | '\n' | '\r');
    if !text.contains(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if hidden(c) {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// User text made inert in Markdown, in running text or a table cell: no
/// emphasis, strike-through, link, image, autolink (`https://`, `www.`,
/// e-mail), HTML, math (`$`, written `&#36;`), code, heading, list, quote or table break, and
/// no `@mention` or `#12` reference. Backslash escapes and entities render as
/// the characters typed; a [`JOINER`] goes where GitHub's text filters would
/// otherwise act. Hidden characters are shown as their escapes, as on a
/// terminal, so the rendered text reads as [`terminal`] gives it.
pub fn markdown(text: &str) -> Cow<'_, str> {
    inert(text, false)
}

/// User text inside a raw HTML block of a Markdown document (a
/// `<summary>` line), where Markdown is not read but GitHub still finds
/// mentions and links: HTML-escaped, with the same [`JOINER`]s as
/// [`markdown`].
pub fn markdown_html(text: &str) -> Cow<'_, str> {
    inert(text, true)
}

fn inert(text: &str, html: bool) -> Cow<'_, str> {
    if is_plain(text) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(walk(text, html))
}

/// Text that every rule of [`walk`] leaves as it is: letters, digits, spaces
/// and punctuation that no Markdown parser or GitHub filter reads, not
/// opening a list or a rule. Most titles, handles' names and numbers are, and
/// the reports escape hundreds of thousands of them: copied, not walked.
fn is_plain(text: &str) -> bool {
    !text.trim_start_matches(' ').starts_with(['-', '+', '='])
        && text.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b' ' | b',' | b'-' | b'+' | b'=' | b'%' | b'/' | b'\'' | b'!' | b'?' | b';'
                )
        })
}

fn walk(text: &str, html: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    // What only matters at the start of a line: headings, lists, rules,
    // escaped at their first character, after the indentation. An ordered
    // list's `1.` is escaped at its dot (a backslash before a digit would
    // show). Anything else before it (a tab, a control) is shown as text.
    let indent = text.len() - text.trim_start_matches(' ').len();
    let body = &text[indent..];
    let numbered = body
        .find(|c: char| !c.is_ascii_digit())
        .filter(|&at| {
            let after = body[at..].strip_prefix(['.', ')']);
            at > 0 && after.is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
        })
        .map(|at| indent + at);
    let marker = body.starts_with(['#', '-', '+', '=']).then_some(indent);
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if !html && (numbered == Some(at) || marker == Some(at)) {
            out.push('\\');
        }
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '>' | '|' | '~' if !html => {
                out.push('\\');
                out.push(c);
            }
            // `](` could only be a link's middle: keep it out of the text too.
            '(' if !html && out.ends_with(']') => out.push_str("\\("),
            // GitHub finds math before reading backslash escapes; an entity
            // is text to every parser.
            '$' if !html => out.push_str("&#36;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if html => out.push_str("&quot;"),
            '&' => out.push_str("&amp;"),
            '@' | '#' => {
                out.push(c);
                out.push(JOINER);
            }
            // `https://`, `ftp://`: the scheme no longer touches its slashes.
            ':' if chars.peek().is_some_and(|&(_, next)| next == '/') => {
                out.push(':');
                out.push(JOINER);
            }
            // `www.`: GitHub links it without a scheme.
            '.' if out
                .get(out.len().saturating_sub(3)..)
                .is_some_and(|end| end.eq_ignore_ascii_case("www")) =>
            {
                out.push(JOINER);
                out.push('.');
            }
            c if is_hidden(c) => {
                let mut shown = String::new();
                visible(c, &mut shown);
                if !html {
                    shown = shown.replace('\\', "\\\\");
                }
                out.push_str(&shown);
            }
            c => out.push(c),
        }
    }
    out
}

/// User text as a Markdown code span outside a table: shown exactly, with no
/// backslash (escapes are literal inside code). The fence is one backtick
/// longer than the longest run of backtick in the text, and a space pads a
/// text that starts or ends with a backtick or a space.
pub fn markdown_code(text: &str) -> String {
    code_span(text, false)
}

/// User text as a Markdown code span inside a table cell: as
/// [`markdown_code`], with `|` written `\|`, which GitHub's table parser
/// turns back into `|` before it reads the span.
pub fn markdown_cell_code(text: &str) -> String {
    code_span(text, true)
}

fn code_span(text: &str, in_table: bool) -> String {
    let text = terminal(text);
    if text.is_empty() {
        return String::new();
    }
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = text.starts_with('`')
        || text.ends_with('`')
        || (text.starts_with(' ') && text.ends_with(' ') && text.contains(|c| c != ' '));
    let pad = if pad { " " } else { "" };
    let body = if in_table {
        Cow::Owned(text.replace('|', "\\|"))
    } else {
        text
    };
    format!("{fence}{pad}{body}{pad}{fence}")
}

/// Why `markdown(input)` or `markdown_code(input)` would not be inert, or
/// None: the property the fuzz target `markdown` and the tests check. In the
/// escaped text nothing a Markdown renderer or GitHub acts on is left (every
/// special character escaped, no `<`, `](`, `://`, `www.`, and every `@` or
/// `#` followed by a [`JOINER`]), and reading the escapes back gives what
/// [`terminal`] shows; a code span reads back the same.
#[doc(hidden)]
pub fn inert_violation(input: &str) -> Option<String> {
    let expected: String = terminal(input).chars().filter(|&c| c != JOINER).collect();
    let escaped = markdown(input);
    for live in ["<", "](", "://"] {
        if escaped.contains(live) {
            return Some(format!("`{live}` in {escaped:?}"));
        }
    }
    let mut shown = String::new();
    let mut chars = escaped.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, next)) if next.is_ascii_punctuation() => shown.push(next),
                _ => return Some(format!("a lone backslash in {escaped:?}")),
            },
            '`' | '*' | '_' | '[' | ']' | '|' | '~' | '$' | '>' => {
                return Some(format!("unescaped `{c}` in {escaped:?}"));
            }
            '@' | '#' if chars.peek().map(|&(_, next)| next) != Some(JOINER) => {
                return Some(format!("a live `{c}` in {escaped:?}"));
            }
            '&' => {
                let entity = ["&lt;", "&gt;", "&amp;", "&quot;", "&#36;"]
                    .into_iter()
                    .find(|entity| escaped[at..].starts_with(entity));
                let Some(entity) = entity else {
                    return Some(format!("a bare `&` in {escaped:?}"));
                };
                shown.push(match entity {
                    "&lt;" => '<',
                    "&gt;" => '>',
                    "&amp;" => '&',
                    "&#36;" => '$',
                    _ => '"',
                });
                for _ in 1..entity.len() {
                    chars.next();
                }
            }
            JOINER => {}
            c => shown.push(c),
        }
    }
    if escaped.to_ascii_lowercase().contains("www.") {
        return Some(format!("a live `www.` in {escaped:?}"));
    }
    if shown != expected {
        return Some(format!("{escaped:?} reads {shown:?}, not {expected:?}"));
    }
    let code = markdown_code(input);
    let fence = code.chars().take_while(|&c| c == '`').count();
    let inner = code.get(fence..code.len() - fence).unwrap_or("");
    let inner = match inner
        .strip_prefix(' ')
        .and_then(|inner| inner.strip_suffix(' '))
    {
        Some(stripped) if inner.contains(|c| c != ' ') => stripped,
        _ => inner,
    };
    // A run of backticks as long as the fence would close the span early.
    if inner != terminal(input) || (fence > 0 && inner.contains(&"`".repeat(fence))) {
        return Some(format!("code span {code:?} reads {inner:?}"));
    }
    None
}

/// The characters a spreadsheet reads a cell as a formula after, when they
/// start it (OWASP's "CSV injection"): `=`, `+`, `-`, `@`, a tab, a CR.
const FORMULA_STARTS: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// A text cell of a CSV file (the `csv` crate quotes it): one that a
/// spreadsheet would run as a formula gets a leading `'`, which Excel,
/// `LibreOffice` and Google Sheets show as text and do not print; `okr
/// import` takes it off again ([`csv_cell_unescaped`]). Numbers okr
/// writes itself are not text cells and stay numbers.
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A CSV cell as [`csv_cell`] wrote it, its `'` taken off.
pub fn csv_cell_unescaped(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn escaped_markdown_is_inert_and_reads_as_typed(input in "[ -~\u{1b}\u{85}\u{202e}\u{2060}é\n]{0,40}") {
            prop_assert_eq!(inert_violation(&input), None);
        }

        #[test]
        fn plain_text_is_what_the_walk_leaves_unchanged(input in "[ a-zA-Z0-9,+=%/'!?;#.:()-]{0,24}", html: bool) {
            if is_plain(&input) {
                prop_assert_eq!(walk(&input, html), input);
            }
        }
    }

    #[test]
    fn attack_strings_are_inert() {
        for attack in [
            "@user",
            "@org/team",
            "~~strike~~",
            "https://x.io",
            "HTTP://x",
            "www.x.io",
            "WwW.x",
            "<img src=x>",
            "![i](u)",
            "[l](u)",
            "$x$",
            "$$x$$",
            "a|b",
            "1. x",
            "# h",
            "> q",
            "- l",
            "```x```",
            "`",
            "<!-- c -->",
            "&lt;",
            "a@b.c",
            "#12",
            "x\\",
            "\\`",
        ] {
            assert_eq!(inert_violation(attack), None, "{attack}");
        }
    }

    #[test]
    fn terminal_text_shows_every_hidden_character() {
        assert_eq!(terminal("a\u{1b}[2Kb\r\nc"), "a\\u{1b}[2Kb\\r\\nc");
        assert_eq!(terminal("\u{9b}31m \u{202e}x"), "\\u{9b}31m \\u{202e}x");
        assert!(matches!(terminal("plain @ text"), Cow::Borrowed(_)));
        assert_eq!(terminal_lines("a\n\tb\u{7}"), "a\n\tb\\u{7}");
    }

    #[test]
    fn masking_keeps_every_offset() {
        let text = "a\u{1b}b\u{202e}c\n";
        assert_eq!(mask_hidden(text), "a?b???c\n");
        assert_eq!(mask_hidden(text).len(), text.len());
    }

    #[test]
    fn markdown_escaping_leaves_no_active_syntax() {
        let escaped = markdown("*bold* [x](javascript:alert(1)) <script> | @dana `code`");
        assert_eq!(
            escaped,
            "\\*bold\\* \\[x\\]\\(javascript:alert(1)) &lt;script\\> \\| @\u{2060}dana \\`code\\`"
        );
        assert_eq!(
            markdown("~~x~~ $a$ ![i](u) #12 https://x.io www.x.io"),
            "\\~\\~x\\~\\~ &#36;a&#36; !\\[i\\]\\(u) #\u{2060}12 https:\u{2060}//x.io www\u{2060}.x.io"
        );
        assert_eq!(markdown("a\u{1b}b\nc"), "a\\\\u{1b}b\\\\nc");
    }

    #[test]
    fn html_blocks_get_entities_and_joiners() {
        assert_eq!(
            markdown_html("<b>\"x\" & @all *y*"),
            "&lt;b&gt;&quot;x&quot; &amp; @\u{2060}all *y*"
        );
    }

    #[test]
    fn line_start_syntax_is_escaped_only_at_the_start() {
        assert_eq!(markdown("# not a heading"), "\\#\u{2060} not a heading");
        assert_eq!(markdown("1. not a list"), "1\\. not a list");
        assert_eq!(markdown("12) not a list"), "12\\) not a list");
        assert_eq!(markdown("6.7%"), "6.7%");
        assert_eq!(markdown("Q3 - 2026: 1. and x"), "Q3 - 2026: 1. and x");
    }

    #[test]
    fn code_spans_need_no_backslash() {
        assert_eq!(markdown_code("a_b*c"), "`a_b*c`");
        assert_eq!(markdown_code("a`b"), "``a`b``");
        assert_eq!(markdown_code("`x``"), "``` `x`` ```");
        assert_eq!(markdown_code(" x "), "`  x  `");
        assert_eq!(markdown_code("   "), "`   `");
        assert_eq!(markdown_code(""), "");
        assert_eq!(markdown_cell_code("a|b"), "`a\\|b`");
        assert_eq!(markdown_code("a|b\nc"), "`a|b\\nc`");
    }

    #[test]
    fn csv_cells_that_would_run_are_text() {
        for cell in [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-2pp",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            let escaped = csv_cell(cell);
            assert!(escaped.starts_with('\''), "{cell}");
            assert_eq!(csv_cell_unescaped(&escaped), cell);
        }
        assert_eq!(csv_cell("Grow ARR"), "Grow ARR");
        assert_eq!(csv_cell_unescaped("'quoted"), "'quoted");
    }
}
