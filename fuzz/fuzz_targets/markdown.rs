//! The Markdown escaper on any text: nothing live is left (no unescaped
//! special character, `<`, `](`, `://`, `www.`, or `@`/`#` without a word
//! joiner after it), and the escapes read back as the text typed; the code
//! span of the same text reads back too (`okr::escape::inert_violation`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Some(violation) = okr::escape::inert_violation(&text) {
        panic!("{violation}");
    }
});
