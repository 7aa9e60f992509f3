//! Tests of the shipped third-party product records and of the version
//! gate that decides whether they match.

use std::sync::{Arc, OnceLock};

use super::*;
use crate::model::testing::Built;
use crate::model::{Component, Confidence, EdgeKind, FieldKind, Span, Text};

fn embedded() -> &'static VendorDb {
    static DB: OnceLock<VendorDb> = OnceLock::new();
    DB.get_or_init(|| VendorDb::embedded().expect("embedded db"))
}

/// A component with a name field and optional version and extra fields.
fn comp(name: &str, version: Option<&str>, extra: &[(FieldKind, &str)]) -> Built {
    let mut c = Built::new(Component {
        name: name.into(),
        version: version.map(Text::from),
        ..Default::default()
    });
    c.field(FieldKind::Name, "name", name, Span::new(10, name.len()));
    for (i, (kind, value)) in extra.iter().enumerate() {
        c.field(*kind, "x", value, Span::new(100 * (i + 1), value.len()));
    }
    c
}

fn matches_in<'db>(db: &'db VendorDb, c: &Built) -> Vec<(&'db str, Confidence)> {
    Matcher::new(db)
        .match_component(c, c.texts())
        .iter()
        .map(|m| (db.target(m.target).id, m.confidence))
        .collect()
}

fn matches(c: &Built) -> Vec<(&'static str, Confidence)> {
    matches_in(embedded(), c)
}

/// The notes of the evidence of the first match.
fn notes(c: &Built) -> Vec<String> {
    let ms = Matcher::new(embedded()).match_component(c, c.texts());
    ms.first()
        .map(|m| m.evidence.iter().filter_map(|e| e.note.clone()).collect())
        .unwrap_or_default()
}

#[test]
fn every_product_record_names_an_engine_a_relation_and_a_valid_range() {
    let db = embedded();
    let products: Vec<TargetId> = db
        .targets()
        .filter(|t| matches!(t, TargetId::Product(_)))
        .collect();
    assert_eq!(products.len(), db.product_count());
    for id in products {
        let t = db.target(id);
        assert_eq!(t.kind, TargetKind::Product, "{}", t.id);
        let engine = t.engine.map(|e| db.target(e));
        assert_eq!(
            engine.as_ref().map(|e| e.kind),
            Some(TargetKind::Engine),
            "{}",
            t.id
        );
        assert_eq!(t.owner, "kaspersky", "{}", t.id);
        assert!(t.relation_edge().is_some(), "{}", t.id);
        assert!(t.vendor.is_some_and(|v| !v.is_empty()), "{}", t.id);
        assert!(!t.sources.is_empty(), "{}", t.id);
        if let Some(v) = t.versions {
            assert!(VersionRange::parse(v).is_ok(), "{}: {v}", t.id);
        }
        // Products are third-party code: BOD 17-01 (branded products
        // only) never applies.
        assert!(!t.programs.contains(&"bod-17-01"), "{}", t.id);
    }
}

#[test]
fn shipped_records_have_their_relations_ranges_and_grades() {
    let db = embedded();
    let expect = [
        (
            "juniper/junos-os",
            Relation::Embeds,
            Some(">=9.5, <15.1X49-D10"),
            Grade::A,
            "kaspersky/anti-virus-engine",
        ),
        (
            "d-link/netdefendos",
            Relation::UsesSignatures,
            Some("2.x"),
            Grade::A,
            "kaspersky/safestream",
        ),
        (
            "zyxel/zynos",
            Relation::UsesSignatures,
            Some("4.00"),
            Grade::A,
            "kaspersky/anti-virus-engine",
        ),
        (
            "microsoft/forefront-tmg",
            Relation::Embeds,
            None,
            Grade::A,
            "kaspersky/anti-virus-engine",
        ),
        (
            "cyberoam/cyberoam-utm",
            Relation::Embeds,
            Some("9.x"),
            Grade::A,
            "kaspersky/anti-virus-engine",
        ),
        (
            "siemens/simatic-iot2040",
            Relation::Bundles,
            None,
            Grade::A,
            "kaspersky/iot-secure-gateway",
        ),
        (
            "saferwall/kaspersky",
            Relation::Bundles,
            None,
            Grade::A,
            "kaspersky/endpoint-security-linux",
        ),
        (
            "icewind1991/kaspersky-docker",
            Relation::Bundles,
            None,
            Grade::A,
            "kaspersky/scan-engine",
        ),
        (
            "trapeze-project/kaspersky-sdk-flutter",
            Relation::Embeds,
            None,
            Grade::A,
            "kaspersky/mobile-security-sdk",
        ),
        (
            "check-point/harmony-endpoint",
            Relation::Embeds,
            None,
            Grade::B,
            "kaspersky/anti-virus-sdk",
        ),
        (
            "netgear/prosecure-stm",
            Relation::Embeds,
            None,
            Grade::B,
            "kaspersky/anti-virus-engine",
        ),
        (
            "f-secure/anti-virus",
            Relation::Embeds,
            None,
            Grade::B,
            "kaspersky/anti-virus-engine",
        ),
    ];
    for (id, relation, versions, grade, engine) in expect {
        let t = db.show(id).unwrap_or_else(|| panic!("{id} missing"));
        assert_eq!(t.relation, Some(relation), "{id}");
        assert_eq!(t.versions, versions, "{id}");
        assert_eq!(t.grade, grade, "{id}");
        assert_eq!(t.engine.map(|e| db.target(e).id), Some(engine), "{id}");
    }
    let t = db.show("d-link/netdefendos").unwrap();
    assert_eq!(t.relation_edge(), Some(EdgeKind::UsesSignatures));
    let t = db.show("saferwall/kaspersky").unwrap();
    assert_eq!(t.relation_edge(), Some(EdgeKind::Bundles));
    assert_eq!(
        db.show("kaspersky/safestream").unwrap().relation_edge(),
        None
    );
}

#[test]
fn junos_matches_only_inside_its_range() {
    let junos = |v: Option<&str>| matches(&comp("Junos OS", v, &[]));
    // In range: the record's confidence (capped at likely: Junos OS also
    // runs devices without the UTM feature).
    for v in [
        "9.5R1",
        "10.4R3",
        "12.1X46-D10",
        "12.3X48-D105",
        "15.1X49-D5",
    ] {
        assert_eq!(
            junos(Some(v)),
            [("juniper/junos-os", Confidence::Likely)],
            "{v}"
        );
    }
    // Out of range: no finding at all, however the name matches.
    for v in [
        "23.4R1",
        "15.1X49-D10",
        "15.1X49-D100",
        "17.3R1",
        "9.4R3",
        "v21.2",
    ] {
        assert!(junos(Some(v)).is_empty(), "{v}: {:?}", junos(Some(v)));
    }
    assert!(matches(&comp("JUNOS", Some("23.4R1"), &[])).is_empty());
    assert!(matches(&comp("Juniper Junos OS", Some("23.4R1"), &[])).is_empty());
    // Aliases match like the name.
    assert_eq!(
        matches(&comp("JUNOS Software", Some("9.6R2"), &[])),
        [("juniper/junos-os", Confidence::Likely)]
    );
    let n = notes(&comp("Junos OS", Some("12.1X46-D10"), &[]));
    assert!(
        n.iter()
            .any(|n| n
                .contains("version 12.1X46-D10 is within the record's range >=9.5, <15.1X49-D10")),
        "{n:?}"
    );
}

#[test]
fn current_junos_decoys_never_reach_likely() {
    let decoys = [
        comp("Junos OS", Some("23.4R1"), &[]),
        comp("Junos OS 23.4R1", None, &[]),
        comp(
            "junos-eznc",
            Some("2.7.1"),
            &[(FieldKind::Purl, "pkg:pypi/junos-eznc@2.7.1")],
        ),
        comp(
            "Junos OS",
            Some("23.4R1"),
            &[(FieldKind::Supplier, "Juniper Networks, Inc.")],
        ),
        comp("Junos OS Evolved", Some("23.4R1-EVO"), &[]),
    ];
    for c in &decoys {
        let ms = matches(c);
        assert!(
            ms.iter().all(|(_, conf)| *conf == Confidence::Possible),
            "{} {:?} -> {ms:?}",
            c.name,
            c.version
        );
    }
}

#[test]
fn missing_or_unreadable_versions_stand_at_likely_and_say_so() {
    let c = comp("Cyberoam UTM", None, &[]);
    assert_eq!(matches(&c), [("cyberoam/cyberoam-utm", Confidence::Likely)]);
    assert!(
        notes(&c)
            .iter()
            .any(|n| n == "no version to compare with the record's range 9.x; capped at likely"),
        "{:?}",
        notes(&c)
    );
    let c = comp("Cyberoam UTM", Some("latest"), &[]);
    assert_eq!(matches(&c), [("cyberoam/cyberoam-utm", Confidence::Likely)]);
    assert!(
        notes(&c).iter().any(|n| n.contains(
            "version 'latest' could not be compared with the record's range 9.x; capped at likely"
        )),
        "{:?}",
        notes(&c)
    );
}

#[test]
fn grade_a_records_confirm_in_range() {
    let cases = [
        (
            comp("NetDefendOS", Some("2.40.03"), &[]),
            "d-link/netdefendos",
        ),
        (
            comp("D-Link NetDefendOS", Some("2.27.06"), &[]),
            "d-link/netdefendos",
        ),
        (
            comp("Cyberoam UTM", Some("9.5.8 build 68"), &[]),
            "cyberoam/cyberoam-utm",
        ),
        (
            comp("Cyberoam", Some("9.6.0.6"), &[]),
            "cyberoam/cyberoam-utm",
        ),
        // No range: every version, and a missing one, is in.
        (comp("Forefront TMG", None, &[]), "microsoft/forefront-tmg"),
        (
            comp(
                "Microsoft Forefront Threat Management Gateway",
                Some("7.0.9193.500"),
                &[],
            ),
            "microsoft/forefront-tmg",
        ),
        (
            comp(
                "x",
                Some("latest"),
                &[(FieldKind::Purl, "pkg:docker/saferwall/kaspersky@latest")],
            ),
            "saferwall/kaspersky",
        ),
        (
            comp("saferwall/kaspersky", Some("0.9.0"), &[]),
            "saferwall/kaspersky",
        ),
        (
            comp(
                "x",
                None,
                &[(FieldKind::Purl, "pkg:github/icewind1991/kaspersky-docker")],
            ),
            "icewind1991/kaspersky-docker",
        ),
        (
            comp("de.berlin.tu.kaspersky_sdk.KasperskySdkPlugin", None, &[]),
            "trapeze-project/kaspersky-sdk-flutter",
        ),
    ];
    for (c, id) in &cases {
        assert_eq!(
            matches(c).first(),
            Some(&(*id, Confidence::Confirmed)),
            "{} {:?}: {:?}",
            c.name,
            c.version,
            matches(c)
        );
    }
    for c in [
        comp("NetDefendOS", Some("3.0"), &[]),
        comp("NetDefendOS", Some("1.99"), &[]),
        comp("Cyberoam UTM", Some("10.01.0 build 678"), &[]),
        comp("ZyNOS", Some("4.04(XD.7)"), &[]),
        comp("ZyNOS", Some("3.62(WK.6)"), &[]),
    ] {
        assert!(
            matches(&c).is_empty(),
            "{} {:?}: {:?}",
            c.name,
            c.version,
            matches(&c)
        );
    }
    assert_eq!(
        matches(&comp("ZyNOS", Some("V4.00(XD.0)"), &[])),
        [("zyxel/zynos", Confidence::Likely)]
    );
}

#[test]
fn capped_records_stay_below_their_grade() {
    for (c, id, conf) in [
        (
            comp("Check Point Harmony Endpoint", Some("E88.50"), &[]),
            "check-point/harmony-endpoint",
            Confidence::Possible,
        ),
        (
            comp("Harmony Endpoint", None, &[]),
            "check-point/harmony-endpoint",
            Confidence::Possible,
        ),
        (
            comp("F-Secure Anti-Virus", Some("19.7"), &[]),
            "f-secure/anti-virus",
            Confidence::Possible,
        ),
        (
            comp("FSAV", Some("4.04"), &[]),
            "f-secure/anti-virus",
            Confidence::Possible,
        ),
        (
            comp("SIMATIC IOT2040", Some("1.0"), &[]),
            "siemens/simatic-iot2040",
            Confidence::Possible,
        ),
        (
            comp("NETGEAR ProSecure STM", Some("2.0.0-69"), &[]),
            "netgear/prosecure-stm",
            Confidence::Likely,
        ),
    ] {
        assert_eq!(matches(&c), [(id, conf)], "{}", c.name);
    }
    // ZoneAlarm is contradicted, and UltraAV is a migration, not an OEM.
    assert!(matches(&comp("ZoneAlarm", Some("15.8"), &[])).is_empty());
    assert!(matches(&comp("UltraAV", Some("1.0"), &[])).is_empty());
    assert!(matches(&comp("Stormshield Network Security", Some("4.3"), &[])).is_empty());
}

#[test]
fn owner_evidence_folds_elsewhere_when_the_product_is_out_of_range() {
    let c = comp(
        "Junos OS",
        Some("23.4R1"),
        &[(FieldKind::Supplier, "AO Kaspersky Lab")],
    );
    assert_eq!(matches(&c), [("kaspersky", Confidence::Confirmed)]);
    let c = comp(
        "Junos OS",
        Some("12.1"),
        &[(FieldKind::Supplier, "AO Kaspersky Lab")],
    );
    assert_eq!(matches(&c), [("juniper/junos-os", Confidence::Confirmed)]);
}

#[test]
fn a_hash_ignores_the_version_range() {
    let mut db = VendorDb::embedded().unwrap();
    let mut overlay = VendorDb::empty();
    load::add_file(
        &mut overlay,
        "o.toml".into(),
        Arc::new(String::from(
            r#"
[[product]]
id = "acme/box"
name = "Acme Box"
vendor = "Acme"
engine = "kaspersky/anti-virus-sdk"
relation = "white-label"
versions = "1.x"
sources = [{ url = "https://acme.example/doc", quote = "rebrands", grade = "A" }]

[[product.ids]]
kind = "hash"
values = ["sha256:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"]
sources = [{ url = "https://acme.example/h", quote = "00112233", grade = "A" }]
"#,
        )),
    )
    .unwrap();
    db.merge(overlay).unwrap();
    let hash = "sha256:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    assert_eq!(
        matches_in(
            &db,
            &comp("firmware.bin", Some("7.0"), &[(FieldKind::Hash, hash)])
        ),
        [("acme/box", Confidence::Confirmed)]
    );
    assert!(matches_in(&db, &comp("Acme Box", Some("7.0"), &[])).is_empty());
    assert_eq!(
        matches_in(&db, &comp("Acme Box", Some("1.4"), &[])),
        [("acme/box", Confidence::Confirmed)]
    );
    let t = db.show("acme/box").unwrap();
    assert_eq!(t.relation_edge(), Some(EdgeKind::WhiteLabelOf));
}

#[test]
fn a_bad_range_in_a_record_is_an_error_at_the_value() {
    let text = "[[product]]\nid = \"a/b\"\nname = \"B\"\nvendor = \"A\"\nengine = \"kaspersky/anti-virus-sdk\"\nrelation = \"embeds\"\nversions = \">=9.5 <10\"\nsources = [{ url = \"https://a.example\", quote = \"q\", grade = \"A\" }]\n";
    let mut db = VendorDb::empty();
    let err = load::add_file(&mut db, "r.toml".into(), Arc::new(String::from(text))).unwrap_err();
    match err.kind() {
        DbErrorKind::BadValue { message, span, .. } => {
            assert!(message.contains("separate comparators"), "{message}");
            assert_eq!(
                text.get(span.offset()..span.offset() + span.len()),
                Some("\">=9.5 <10\"")
            );
        }
        other => panic!("{other:?}"),
    }
}
