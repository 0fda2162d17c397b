//! `okr fmt` round trip: any text that parses formats to a text with the same
//! meaning (the formatter checks that itself and must never find otherwise),
//! and formatting that text again changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use okr::edit::fmt::{format, FormatError};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match format(text) {
        Ok(formatted) => match format(&formatted) {
            Ok(again) => assert_eq!(again, formatted, "formatting is not idempotent"),
            Err(error) => panic!("the formatted text does not format: {error:?}"),
        },
        Err(FormatError::Syntax(_)) => {}
        Err(FormatError::MeaningChanged) => panic!("formatting changed the meaning"),
    }
});
