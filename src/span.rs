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
    pub fn new(start: usize, end: usize) -> Self {
        let narrow = |offset: usize| u32::try_from(offset).unwrap_or(u32::MAX);
        Span {
            start: narrow(start),
            end: narrow(end),
        }
    }

    pub fn start(self) -> usize {
        self.start as usize
    }

    pub fn end(self) -> usize {
        self.end as usize
    }

    /// The span shifted right by `offset` bytes (lines are parsed in runs).
    pub fn shifted(self, offset: usize) -> Self {
        Span::new(self.start() + offset, self.end() + offset)
    }

    pub fn len(self) -> usize {
        self.end() - self.start()
    }

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
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}
