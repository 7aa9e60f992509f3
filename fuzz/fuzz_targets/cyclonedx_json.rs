//! `sbom::cyclonedx::read` called directly (no detection in front), on any UTF-8
//! text. Must return a document or a `ReadError`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oemtrace::model::SourceText;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(err) = oemtrace::sbom::cyclonedx::read("fuzz.sbom", SourceText::from(text)) {
        let _ = err.line_col();
        let _ = err.to_string();
    }
});
