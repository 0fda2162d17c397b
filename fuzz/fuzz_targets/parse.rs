//! The parser on any text: every line reported or read, never a panic, every
//! span inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut last_end = 0;
    let errors = okr::syntax::parse(0, &text, |line| {
        assert!(line.span.start() >= last_end && line.span.end() <= text.len());
        last_end = line.span.end();
    });
    for error in errors {
        assert!(error.span.start() <= error.span.end() && error.span.end() <= text.len());
    }
});
