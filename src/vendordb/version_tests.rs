//! Tests of lenient vendor versions and product version ranges.

use super::*;

fn v(s: &str) -> Version {
    Version::parse(s).unwrap_or_else(|| panic!("{s:?} should parse"))
}

fn parts(s: &str) -> Vec<String> {
    v(s).parts().iter().map(ToString::to_string).collect()
}

fn range(s: &str) -> VersionRange {
    VersionRange::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
}

#[test]
fn vendor_versions_split_into_numbers_and_letters() {
    assert_eq!(parts("9.2.0.123"), ["9", "2", "0", "123"]);
    assert_eq!(parts("2019.1"), ["2019", "1"]);
    assert_eq!(parts("v8"), ["8"]);
    assert_eq!(parts("V4.00(XD.0)"), ["4", "0", "xd", "0"]);
    assert_eq!(parts("15.1X49-D10"), ["15", "1", "x", "49", "d", "10"]);
    assert_eq!(parts("4.00"), ["4", "0"]);
    assert_eq!(parts("2.40.03"), ["2", "40", "3"]);
    assert_eq!(parts(" 9.5.8 build 68 "), ["9", "5", "8", "build", "68"]);
    assert_eq!(parts("23.4R1"), ["23", "4", "r", "1"]);
    assert_eq!(parts("8.9.2.595"), ["8", "9", "2", "595"]);
}

#[test]
fn non_versions_are_not_comparable() {
    for s in [
        "",
        "   ",
        "latest",
        "n/a",
        "unknown",
        "v",
        "vx1",
        "-1",
        ".5",
        "3f2a9c1",
        "deadbeef0123",
        "99999999999999999999999.1",
        "1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20.21.22.23.24.25.26.27.28.29.30.31.32.33",
    ] {
        assert!(Version::parse(s).is_none(), "{s:?}");
    }
    // Hex-looking but short, or with separators, is a version.
    assert!(Version::parse("1234abc").is_none());
    assert!(Version::parse("123abc").is_some());
    assert!(Version::parse("20240101").is_some());
    assert!(Version::parse("3.f2a9c1").is_some());
}

#[test]
fn ordering_is_numeric_and_total() {
    assert!(v("10.0") > v("9.9"));
    assert!(v("2.40.03") == v("2.40.3"));
    assert!(v("4.0") == v("4.0.0"));
    assert!(v("4.00") == v("4"));
    assert!(v("9.5") < v("9.5.1"));
    assert!(v("9.5") < v("9.5R1"));
    assert!(v("1.0.rc1") < v("1.0.1"));
    assert!(v("15.1X49-D5") < v("15.1X49-D10"));
    assert!(v("15.1X49-D100") > v("15.1X49-D10"));
    assert!(v("12.1X46-D10") < v("15.1X49-D10"));
    assert!(v("V8") == v("8"));
    assert!(v("2019.1") > v("2018.12.5"));
    assert!(v("1.0A") == v("1.0a"));
    // A total order: sorting is stable under any input order.
    let mut all = [
        v("2"),
        v("1.0.rc1"),
        v("1.0"),
        v("1.0.1"),
        v("1.0r1"),
        v("1"),
        v("0.9"),
    ];
    all.sort();
    let shown: Vec<String> = all.iter().map(ToString::to_string).collect();
    // Equal versions keep their input order; `r` sorts before `rc`.
    assert_eq!(
        shown,
        ["0.9", "1.0", "1", "1.0.r.1", "1.0.rc.1", "1.0.1", "2"]
    );
}

#[test]
fn junos_range_from_the_sources() {
    // Introduced in 9.5; not supported from 15.1X49-D10 onwards.
    let r = range(">=9.5, <15.1X49-D10");
    for inside in [
        "9.5",
        "9.5R1",
        "10.4R3",
        "12.1X44-D10",
        "12.1X46-D45",
        "12.3X48-D105",
        "15.1X49",
    ] {
        assert_eq!(r.check(Some(inside)), VersionCheck::Within, "{inside}");
    }
    for outside in [
        "9.4R3",
        "8.5",
        "15.1X49-D10",
        "15.1X49-D100",
        "17.3R1",
        "23.4R1",
        "v23.4",
    ] {
        assert_eq!(r.check(Some(outside)), VersionCheck::Outside, "{outside}");
    }
    assert_eq!(r.check(None), VersionCheck::Missing);
    assert_eq!(r.check(Some("  ")), VersionCheck::Missing);
    assert_eq!(r.check(Some("latest")), VersionCheck::Uncomparable);
    assert_eq!(r.as_str(), ">=9.5, <15.1X49-D10");
}

#[test]
fn patterns_and_bare_versions_cover_their_series() {
    let zynos = range("4.00");
    for inside in ["4.00", "4.0", "4", "V4.00(XD.0)", "4.00(WM.1)C0", "4.0.1"] {
        assert!(zynos.contains(&v(inside)), "{inside}");
    }
    for outside in ["4.01", "4.04(XD.7)", "3.62", "40.0", "5"] {
        assert!(!zynos.contains(&v(outside)), "{outside}");
    }
    for two_x in ["2.x", "2.*", "2.X", "2.x.x", "2"] {
        let r = range(two_x);
        assert!(r.contains(&v("2.40.03")), "{two_x}");
        assert!(r.contains(&v("2.27.06")), "{two_x}");
        assert!(!r.contains(&v("20.1")), "{two_x}");
        assert!(!r.contains(&v("1.99")), "{two_x}");
        assert!(!r.contains(&v("3.0")), "{two_x}");
    }
    let nine = range("9.*");
    assert!(nine.contains(&v("9.5.8 build 68")));
    assert!(!nine.contains(&v("10.01.0 build 678")));
    assert!(range("*").contains(&v("1")));
}

#[test]
fn operators_and_alternatives() {
    let r = range(">1.0, <=2.0 || =3.1 || 5.x");
    for (ver, inside) in [
        ("1.0", false),
        ("1.0.1", true),
        ("2.0", true),
        ("2.0.0", true),
        ("2.0.1", false),
        ("3.1", true),
        ("3.1.0", true),
        ("3.1.1", false),
        ("5.7", true),
        ("6", false),
    ] {
        assert_eq!(r.contains(&v(ver)), inside, "{ver}");
    }
    assert!(range("==2.1").contains(&v("2.1.0")));
    assert!(range(">= 2.1").contains(&v("2.2")));
}

#[test]
fn malformed_ranges_say_why() {
    for (text, says) in [
        ("", "empty"),
        ("  ", "empty"),
        (">=9.5,", "empty comparator"),
        (">=9.5 <10", "separate comparators"),
        (">=4.*", "wildcard cannot follow"),
        (">=2.x", "wildcard cannot follow"),
        ("4.*.1", "`*` stands alone"),
        ("latest", "not a version"),
        (">=", "not a version"),
        ("<=abc", "not a version"),
        ("||", "empty comparator"),
    ] {
        let err = VersionRange::parse(text).expect_err(text).to_string();
        assert!(err.contains(says), "{text:?}: {err}");
    }
}

#[test]
fn never_panics_on_odd_text() {
    for s in [
        "\u{0}", "ﬁ1", "1ﬁ", "١٢٣", "1.٢", "𝟙.2", "1..2", "1--2", "((1))", "1.2.", "v", "V1",
        "1\u{301}", "9é", "1.0-β",
    ] {
        let _ = Version::parse(s);
        let _ = VersionRange::parse(s);
        let _ = range("*").check(Some(s));
    }
    assert_eq!(parts("1.0-β"), ["1", "0", "β"]);
}
