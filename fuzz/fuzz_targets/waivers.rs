//! The waivers reader on hostile TOML; waivers that parse are applied to
//! a real report (a fixture audited once), which exercises their
//! selectors, dates and the diagnostics they add.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use oemtrace::policy::date::Date;
use oemtrace::policy::waivers::Waivers;
use oemtrace::report::Report;
use oemtrace::vendordb::VendorDb;

const FIXTURE: &str = include_str!("../../fixtures/white-label-pedigree.cdx.json");

fn report() -> Option<&'static Report> {
    static REPORT: OnceLock<Option<Report>> = OnceLock::new();
    REPORT
        .get_or_init(|| {
            let db = VendorDb::embedded().ok()?;
            let doc = oemtrace::sbom::read("fixture.cdx.json", FIXTURE.into()).ok()?;
            Some(oemtrace::audit(&[doc], &db, &oemtrace::Options::default()))
        })
        .as_ref()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(waivers) = Waivers::parse("fuzz.waivers.toml", text) else {
        return;
    };
    if let Some(report) = report() {
        let mut report = report.clone();
        waivers.apply(
            &mut report,
            Date::new(2026, 11, 26).unwrap_or_else(Date::today),
        );
    }
});
