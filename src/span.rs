//! Byte spans into a source file, carried by every node so diagnostics can point at text.

/// A half-open byte range `start..end` in one file's text. Stored in 32 bits:
/// the model holds millions of spans, and files over 4 GiB are refused on load.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    start: u32,
    end: u32,
}

/// The largest file whose offsets a span can hold.
pub const MAX_FILE_LEN: usize = u32::MAX as usize;

impl Span {
    /// A span from byte offsets; one past 4 GiB is clamped (such files are refused on load).
    pub fn new(start: usize, end: usize) -> Self {
        let narrow = |offset: usize| u32::try_from(offset).unwrap_or(u32::MAX);
        Span {
            start: narrow(start),
            end: narrow(end),
        }
    }

    /// The offset of the first byte.
    pub fn start(self) -> usize {
        self.start as usize
    }

    /// The offset one past the last byte.
    pub fn end(self) -> usize {
        self.end as usize
    }

    /// The span shifted right by `offset` bytes (lines are parsed in runs).
    pub fn shifted(self, offset: usize) -> Self {
        Span::new(self.start() + offset, self.end() + offset)
    }

    /// How many bytes the span covers.
    pub fn len(self) -> usize {
        self.end() - self.start()
    }

    /// Whether the span covers no byte (a point, such as end of file).
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(span: Span) -> Self {
        (span.start(), span.len()).into()
    }
}

/// A value and the text it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The value, parsed or resolved.
    pub value: T,
    /// Where in its file the value was written.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// A value with the span of its text.
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}
