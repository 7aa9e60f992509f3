use super::*;
use crate::model::Confidence::{Confirmed, Likely, Possible};
use crate::policy::FailOn;
use crate::report::testutil::{finding, report};

fn day(s: &str) -> Date {
    Date::parse(s).expect("test date")
}

fn waivers(text: &str) -> Waivers {
    Waivers::parse("waivers.toml", text).unwrap_or_else(|e| panic!("{e:?}"))
}

fn error(text: &str) -> String {
    match Waivers::parse("waivers.toml", text) {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(e) => e.to_string(),
    }
}

const WHY: &str = "reason = \"accepted\"\napproved_by = \"J. Doe\"\n";

/// Does a waiver with these selector lines match the standard test finding
/// (`scanner` 1.0, purl pkg:generic/acme/scanner@1.0, in vendor-x/router.cdx.json)?
fn selects(selectors: &str) -> bool {
    let w = waivers(&format!("[[waiver]]\n{selectors}\n{WHY}"));
    let f = finding("vendor-x/router.cdx.json", "scanner", Confirmed);
    w.iter().next().expect("one waiver").selector.matches(&f)
}

#[test]
fn each_selector_matches_and_mismatches() {
    assert!(selects("bom_ref = \"scanner\""));
    assert!(!selects("bom_ref = \"other\""));
    assert!(selects("name = \"scanner\""));
    assert!(!selects("name = \"Scanner\""));
    assert!(selects("name = \"scanner\"\nversion = \"1.0\""));
    assert!(!selects("name = \"scanner\"\nversion = \"1.1\""));
    assert!(selects("target = \"kaspersky\""));
    assert!(!selects("target = \"kaspersky/anti-virus\""));
    assert!(selects("document = \"vendor-x/*.json\""));
    assert!(selects("document = \"**/router.cdx.json\""));
    assert!(!selects("document = \"vendor-y/*.json\""));
    assert!(!selects("document = \"*.json\""), "* stays in one segment");
}

#[test]
fn purl_without_version_matches_every_version() {
    assert!(selects("purl = \"pkg:generic/acme/scanner\""));
    assert!(selects("purl = \"pkg:generic/acme/scanner@1.0\""));
    assert!(!selects("purl = \"pkg:generic/acme/scanner@1.1\""));
    assert!(!selects("purl = \"pkg:generic/acme/scanner-x\""));
    assert!(!selects("purl = \"pkg:generic/other/scanner\""));
    assert!(
        selects("purl = \"PKG:Generic/acme/scanner\""),
        "scheme and type ignore case"
    );
}

#[test]
fn purl_qualifiers_subpaths_and_scopes_are_handled() {
    let p = PurlSelector::parse("pkg:maven/com.kavsdk/kavsdk").unwrap();
    assert!(p.matches("pkg:maven/com.kavsdk/kavsdk@5.12.0?type=aar"));
    assert!(p.matches("pkg:maven/com.kavsdk/kavsdk@5.12.0#lib/x"));
    assert!(!p.matches("not a purl"));
    let v = PurlSelector::parse("pkg:maven/com.kavsdk/kavsdk@5.12.0?type=jar").unwrap();
    assert!(v.matches("pkg:maven/com.kavsdk/kavsdk@5.12.0?type=aar"));
    assert!(!v.matches("pkg:maven/com.kavsdk/kavsdk@5.13.0"));
    let npm = PurlSelector::parse("pkg:npm/@acme/scan").unwrap();
    assert!(npm.matches("pkg:npm/@acme/scan@2.0.0"));
    assert!(!npm.matches("pkg:npm/@acme/scanner@2.0.0"));
    assert_eq!(PurlSelector::parse("maven/com.kavsdk/kavsdk"), None);
    assert_eq!(PurlSelector::parse("pkg:maven"), None);
    assert_eq!(PurlSelector::parse("pkg:/name"), None);
}

#[test]
fn all_selectors_must_match() {
    assert!(selects("name = \"scanner\"\ntarget = \"kaspersky\""));
    assert!(!selects("name = \"scanner\"\ntarget = \"kaspersky/x\""));
    assert!(!selects(
        "purl = \"pkg:generic/acme/scanner\"\ndocument = \"other/*\""
    ));
}

#[test]
fn a_waived_confirmed_finding_passes_the_gate() {
    let mut r = report(
        vec![finding("a.json", "scanner", Confirmed)],
        FailOn::Likely,
    );
    assert_eq!(r.summary.exit_code, 1);
    let w = waivers(&format!(
        "[[waiver]]\nname = \"scanner\"\n{WHY}expires = 2027-01-31\n"
    ));
    w.apply(&mut r, day("2027-01-31"));
    let f = &r.findings[0];
    assert!(f.waived);
    assert_eq!(
        f.waiver,
        Some(WaiverRef {
            reason: "accepted".to_owned(),
            approved_by: "J. Doe".to_owned(),
            expires: Some("2027-01-31".to_owned()),
        })
    );
    assert_eq!(r.summary.waived, 1);
    assert_eq!(r.summary.exit_code, 0);
    assert_eq!(
        r.summary.confirmed, 1,
        "waived findings still count in their tier"
    );
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}

#[test]
fn unwaived_findings_still_fail() {
    let mut r = report(
        vec![
            finding("a.json", "scanner", Confirmed),
            finding("a.json", "other", Likely),
            finding("a.json", "third", Possible),
        ],
        FailOn::Likely,
    );
    waivers(&format!("[[waiver]]\nname = \"scanner\"\n{WHY}")).apply(&mut r, day("2026-01-01"));
    assert_eq!(r.summary.waived, 1);
    assert_eq!(r.summary.exit_code, 1, "the likely finding still fails");
    waivers(&format!("[[waiver]]\nname = \"other\"\n{WHY}")).apply(&mut r, day("2026-01-01"));
    assert_eq!(r.summary.waived, 2);
    assert_eq!(
        r.summary.exit_code, 0,
        "the possible one is below the threshold"
    );
}

#[test]
fn an_expired_waiver_stops_applying_and_warns_at_its_date() {
    let text = format!("[[waiver]]\nname = \"scanner\"\n{WHY}expires = \"2026-06-30\"\n");
    let mut r = report(
        vec![finding("a.json", "scanner", Confirmed)],
        FailOn::Likely,
    );
    waivers(&text).apply(&mut r, day("2026-07-01"));
    assert!(!r.findings[0].waived);
    assert_eq!(r.findings[0].waiver, None);
    assert_eq!(r.summary.exit_code, 1);
    assert_eq!(r.summary.waived, 0);
    assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
    let d = &r.diagnostics[0];
    assert_eq!(d.code, "waiver-expired");
    assert_eq!(d.level, Level::Warning);
    assert_eq!(d.document, "waivers.toml");
    assert_eq!(
        (d.line, d.column),
        (Some(5), Some(11)),
        "points at the date"
    );
    assert!(d.message.contains("2026-06-30"), "{}", d.message);
    assert!(d.message.contains("would match 1 finding"), "{}", d.message);
    let source = &r.sources[d.source];
    assert_eq!(source.name, "waivers.toml");
    let span = d.span.expect("span");
    assert_eq!(&source.text[span.range()], "\"2026-06-30\"");
}

#[test]
fn an_expired_waiver_gives_way_to_a_later_active_one() {
    let text = format!(
        "[[waiver]]\nname = \"scanner\"\n{WHY}expires = 2020-01-01\n\n\
         [[waiver]]\nbom_ref = \"scanner\"\nreason = \"renewed\"\napproved_by = \"K. Roe\"\n"
    );
    let mut r = report(
        vec![finding("a.json", "scanner", Confirmed)],
        FailOn::Likely,
    );
    waivers(&text).apply(&mut r, day("2026-01-01"));
    assert_eq!(
        r.findings[0].waiver.as_ref().map(|w| w.reason.as_str()),
        Some("renewed")
    );
    let codes: Vec<_> = r.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["waiver-expired"]);
    assert_eq!(r.summary.exit_code, 0);
}

#[test]
fn an_unused_waiver_warns_where_it_is_written() {
    let text = format!(
        "[[waiver]]\nname = \"scanner\"\n{WHY}\n[[waiver]]\npurl = \"pkg:npm/left-pad\"\n{WHY}"
    );
    let mut r = report(
        vec![finding("a.json", "scanner", Confirmed)],
        FailOn::Likely,
    );
    waivers(&text).apply(&mut r, day("2026-01-01"));
    assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
    let d = &r.diagnostics[0];
    assert_eq!(d.code, "waiver-unused");
    assert!(d.message.contains("pkg:npm/left-pad"), "{}", d.message);
    assert_eq!(d.line, Some(6), "the second waiver starts on line 6");
    let source = &r.sources[d.source];
    let span = d.span.expect("span");
    assert!(
        source.text[span.range()].contains("left-pad"),
        "{:?}",
        &source.text[span.range()]
    );
}

#[test]
fn the_first_matching_waiver_is_recorded() {
    let text = "[[waiver]]\nname = \"scanner\"\nreason = \"first\"\napproved_by = \"A\"\n\
                [[waiver]]\ntarget = \"kaspersky\"\nreason = \"second\"\napproved_by = \"B\"\n";
    let mut r = report(
        vec![finding("a.json", "scanner", Confirmed)],
        FailOn::Likely,
    );
    waivers(text).apply(&mut r, day("2026-01-01"));
    assert_eq!(
        r.findings[0].waiver.as_ref().map(|w| w.reason.as_str()),
        Some("first")
    );
    assert!(r.diagnostics.is_empty(), "both matched: neither is unused");
}

#[test]
fn an_empty_file_waives_nothing() {
    let w = waivers("# nothing waived yet\n");
    assert!(w.is_empty());
    let mut r = report(
        vec![finding("a.json", "scanner", Confirmed)],
        FailOn::Likely,
    );
    w.apply(&mut r, day("2026-01-01"));
    assert!(!r.findings[0].waived);
    assert_eq!(r.summary.exit_code, 1);
}

#[test]
fn invalid_files_are_located_errors() {
    assert!(error(&format!("[[waiver]]\n{WHY}")).contains("selects nothing"));
    assert!(error("[[waiver]]\nname = \"x\"\napproved_by = \"A\"\n").contains("no `reason`"));
    assert!(error("[[waiver]]\nname = \"x\"\nreason = \"r\"\n").contains("no `approved_by`"));
    assert!(error(&format!("[[waiver]]\nname = \"x\"\n{WHY}reason2 = 1\n")).contains("reason2"));
    assert!(error(&format!(
        "[[waiver]]\nname = \"x\"\n{WHY}expires = \"2027-02-30\"\n"
    ))
    .contains("not a date"));
    assert!(error(&format!(
        "[[waiver]]\nname = \"x\"\n{WHY}expires = 2027-02-01T10:00:00Z\n"
    ))
    .contains("not a date"));
    assert!(error(&format!("[[waiver]]\nversion = \"1\"\n{WHY}")).contains("together with `name`"));
    assert!(error(&format!("[[waiver]]\npurl = \"maven/x/y\"\n{WHY}")).contains("package URL"));
    assert!(error(&format!("[[waiver]]\nname = \"  \"\n{WHY}")).contains("`name` is empty"));
    assert!(error("[[waiver]\n").contains("waivers.toml"));
    assert!(error("[waivers]\n").contains("waivers"));
}

#[test]
fn errors_point_into_the_file() {
    let text = format!("[[waiver]]\nname = \"x\"\n{WHY}expires = \"soon\"\n");
    let Err(e) = Waivers::parse("w.toml", text.as_str()) else {
        panic!("expected an error");
    };
    let WaiverErrorKind::Invalid { span, .. } = e.kind() else {
        panic!("expected Invalid, got {e:?}");
    };
    assert_eq!(&text[span.offset()..span.offset() + span.len()], "\"soon\"");

    let Err(e) = Waivers::parse("w.toml", "[[waiver]]\nname = 3\n") else {
        panic!("expected an error");
    };
    let WaiverErrorKind::Parse {
        span: Some(span), ..
    } = e.kind()
    else {
        panic!("expected a located parse error, got {e:?}");
    };
    assert_eq!(span.offset(), "[[waiver]]\nname = ".len());
}

#[test]
fn load_names_the_file_it_could_not_read() {
    let e = Waivers::load(Path::new("/nonexistent/waivers.toml")).unwrap_err();
    assert!(matches!(e.kind(), WaiverErrorKind::Io { .. }));
    assert!(e.to_string().contains("/nonexistent/waivers.toml"));
}

#[test]
fn dates_may_be_toml_dates_or_strings() {
    let a = waivers(&format!(
        "[[waiver]]\nname = \"x\"\n{WHY}expires = 2027-06-30\n"
    ));
    let b = waivers(&format!(
        "[[waiver]]\nname = \"x\"\n{WHY}expires = \"2027-06-30\"\n"
    ));
    let date = |w: &Waivers| w.iter().next().and_then(|w| w.expires);
    assert_eq!(date(&a), Some(day("2027-06-30")));
    assert_eq!(date(&a), date(&b));
}
