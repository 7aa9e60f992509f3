//! The vendor-db loader on hostile TOML: parse one file, check it on its
//! own, merge it over the embedded db, and build the matcher's indexes.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use oemtrace::vendordb::matcher::Matcher;
use oemtrace::vendordb::VendorDb;

fn embedded() -> &'static VendorDb {
    static DB: OnceLock<VendorDb> = OnceLock::new();
    DB.get_or_init(|| VendorDb::embedded().unwrap_or_else(|_| VendorDb::empty()))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(db) = VendorDb::from_toml("fuzz.toml", text) else {
        return;
    };
    if db.validate().is_ok() {
        let _ = Matcher::new(&db);
    }
    let mut merged = embedded().clone();
    if merged.merge(db).is_ok() {
        let _ = Matcher::new(&merged);
        let _ = merged.stats();
    }
});
