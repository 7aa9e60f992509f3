//! `sbom::read`: format detection plus whichever reader it picks, on any
//! bytes (not UTF-8 included). Must return a document or a `ReadError`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(err) = oemtrace::sbom::read("fuzz.sbom", data.to_vec()) {
        // Every error but "empty" points into the file.
        let _ = err.line_col();
        let _ = err.to_string();
    }
});
