//! Licensing disclosures on hostile text: the first byte picks CSV or
//! TOML, the rest is merged into the embedded db, whose indexes are then
//! built.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use oemtrace::vendordb::matcher::Matcher;
use oemtrace::vendordb::{LicensingFormat, VendorDb};

fn embedded() -> &'static VendorDb {
    static DB: OnceLock<VendorDb> = OnceLock::new();
    DB.get_or_init(|| VendorDb::embedded().unwrap_or_else(|_| VendorDb::empty()))
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let format = if first % 2 == 0 {
        LicensingFormat::Csv
    } else {
        LicensingFormat::Toml
    };
    let mut db = embedded().clone();
    if db.add_licensing("fuzz.licensing", text, format).is_ok() {
        let _ = Matcher::new(&db);
    }
});
