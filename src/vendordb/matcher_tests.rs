//! Matcher tests against the embedded db (and small overlays).

use std::sync::{Arc, OnceLock};

use super::*;
use crate::model::testing::Built;
use crate::model::{Component, Confidence, FieldKind, Span};
use crate::vendordb::{TargetId, VendorDb};

fn embedded() -> &'static VendorDb {
    static DB: OnceLock<VendorDb> = OnceLock::new();
    DB.get_or_init(|| VendorDb::embedded().expect("embedded db"))
}

fn path_of(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Name => "name",
        FieldKind::Group => "group",
        FieldKind::Purl => "purl",
        FieldKind::Cpe => "cpe",
        FieldKind::Supplier => "supplier.name",
        FieldKind::Manufacturer => "manufacturer.name",
        FieldKind::Author => "authors.name",
        FieldKind::Publisher => "publisher",
        FieldKind::Originator => "originator",
        FieldKind::Licensor => "licenses.license.licensing.licensor.organization.name",
        FieldKind::Licensee => "licenses.license.licensing.licensee.organization.name",
        FieldKind::License => "licenses.license.id",
        FieldKind::LicenseType => "licenses.license.licensing.licenseTypes",
        FieldKind::Hash => "hashes",
        FieldKind::Url => "externalReferences.url",
        FieldKind::Copyright => "copyright",
        FieldKind::Description => "description",
    }
}

/// A component whose fields sit at offsets 100, 200, 300, ...
fn comp(name: &str, fields: &[(FieldKind, &str)]) -> Built {
    let mut c = Built::new(Component {
        name: name.into(),
        ..Default::default()
    });
    for (i, (kind, value)) in fields.iter().enumerate() {
        c.field(
            *kind,
            path_of(*kind),
            value,
            Span::new(100 * (i + 1), value.len()),
        );
    }
    c
}

fn matches(c: &Built) -> Vec<Match> {
    Matcher::new(embedded()).match_component(c, c.texts())
}

fn id(m: &Match) -> &'static str {
    embedded().target(m.target).id
}

fn summary(ms: &[Match]) -> Vec<(&'static str, Confidence)> {
    ms.iter().map(|m| (id(m), m.confidence)).collect()
}

#[test]
fn every_legal_name_as_supplier_confirms_the_entity() {
    for name in [
        "АО «Лаборатория Касперского»",
        "Kaspersky Lab ZAO",
        "AO Kaspersky Lab",
        "Kaspersky Labs Limited",
        "OOO Kaspersky Group",
        "Kaspersky Lab, Inc.",
        "Kaspersky Lab Ltd.",
        "Kaspersky",
        "Organization: AO Kaspersky Lab (legal@kaspersky.com)",
    ] {
        let c = comp("kl-scan-core", &[(FieldKind::Supplier, name)]);
        let ms = matches(&c);
        assert_eq!(
            summary(&ms),
            [("kaspersky", Confidence::Confirmed)],
            "{name}"
        );
        let ev = &ms[0].evidence[0];
        assert_eq!(
            (ev.kind, ev.field, ev.value.as_str(), ev.matched.as_str()),
            (FieldKind::Supplier, "supplier.name", name, "kaspersky")
        );
        assert_eq!(ev.span, Span::new(100, name.len()));
    }
}

#[test]
fn every_party_field_counts_but_licensee_does_not() {
    for kind in [
        FieldKind::Manufacturer,
        FieldKind::Author,
        FieldKind::Publisher,
        FieldKind::Originator,
        FieldKind::Licensor,
    ] {
        let ms = matches(&comp("x", &[(kind, "AO Kaspersky Lab")]));
        assert_eq!(
            summary(&ms),
            [("kaspersky", Confidence::Confirmed)],
            "{kind:?}"
        );
    }
    assert!(matches(&comp("x", &[(FieldKind::Licensee, "AO Kaspersky Lab")])).is_empty());
}

#[test]
fn decoys_are_never_confirmed_or_likely() {
    let decoys = [
        comp("x", &[(FieldKind::Supplier, "Kasper Systems GmbH")]),
        comp("x", &[(FieldKind::Supplier, "Casper Labs")]),
        comp("x", &[(FieldKind::Author, "Kasper Labs Ltd")]),
        comp("kasper-client", &[]),
        comp("kasperskyfan-utils", &[]),
        comp("x", &[(FieldKind::Purl, "pkg:npm/kasper-client@1.0.0")]),
        comp("x", &[(FieldKind::Purl, "pkg:npm/%40kasper/client")]),
        comp(
            "x",
            &[(FieldKind::Cpe, "cpe:2.3:a:kasper:client:1.0:*:*:*:*:*:*:*")],
        ),
        comp(
            "x",
            &[(FieldKind::Url, "https://notkaspersky.com/download")],
        ),
        comp(
            "x",
            &[(FieldKind::Url, "https://kaspersky.com.evil.example/x")],
        ),
        comp("x", &[(FieldKind::License, "LicenseRef-Casper-EULA")]),
    ];
    for c in &decoys {
        let ms = matches(c);
        assert!(
            ms.iter().all(|m| m.confidence == Confidence::Possible),
            "{:?} -> {:?}",
            c.fields,
            summary(&ms)
        );
        assert!(ms.is_empty(), "{:?} -> {:?}", c.fields, summary(&ms));
    }
}

#[test]
fn brand_name_and_mentions_are_possible() {
    let ms = matches(&comp("Kaspersky", &[]));
    assert_eq!(summary(&ms), [("kaspersky", Confidence::Possible)]);
    let ms = matches(&comp("kaspersky-utils", &[]));
    assert_eq!(summary(&ms), [("kaspersky", Confidence::Possible)]);
    let ms = matches(&comp(
        "x",
        &[(FieldKind::Description, "Wraps the Kaspersky engine.")],
    ));
    assert_eq!(summary(&ms), [("kaspersky", Confidence::Possible)]);
    let ms = matches(&comp(
        "x",
        &[(
            FieldKind::Copyright,
            "© 2024 AO Kaspersky Lab. All Rights Reserved.",
        )],
    ));
    assert_eq!(summary(&ms), [("kaspersky", Confidence::Possible)]);
    let ms = matches(&comp(
        "x",
        &[(FieldKind::Supplier, "Reseller for Kaspersky Lab products")],
    ));
    assert_eq!(summary(&ms), [("kaspersky", Confidence::Possible)]);
}

#[test]
fn licence_naming_the_owner_is_likely() {
    let ms = matches(&comp(
        "x",
        &[(FieldKind::License, "LicenseRef-Kaspersky-EULA")],
    ));
    assert_eq!(summary(&ms), [("kaspersky", Confidence::Likely)]);
}

#[test]
fn cpe_vendor_in_both_bindings_confirms_the_owner() {
    for cpe in [
        "cpe:2.3:a:kaspersky:endpoint_security:11.0:*:*:*:*:*:*:*",
        "cpe:2.3:a:kaspersky_lab:something:*:*:*:*:*:*:*:*",
        "cpe:/a:kaspersky_lab:kaspersky_anti-spam",
        "CPE:/a:Kaspersky:foo:1",
    ] {
        let ms = matches(&comp("x", &[(FieldKind::Cpe, cpe)]));
        assert_eq!(
            summary(&ms),
            [("kaspersky", Confidence::Confirmed)],
            "{cpe}"
        );
    }
    // An escaped colon stays inside the vendor: "kaspersky:x" is not ours.
    let ms = matches(&comp(
        "x",
        &[(FieldKind::Cpe, r"cpe:2.3:a:kaspersky\:x:foo:*")],
    ));
    assert!(ms.is_empty(), "{:?}", summary(&ms));
}

#[test]
fn cpe_product_gives_the_engine_with_the_owner_folded_in() {
    let ms = matches(&comp(
        "x",
        &[(FieldKind::Cpe, "cpe:/a:kaspersky:kaspersky_anti-virus:21.3")],
    ));
    assert_eq!(
        summary(&ms),
        [("kaspersky/anti-virus", Confidence::Confirmed)]
    );
    let matched: Vec<&str> = ms[0].evidence.iter().map(|e| e.matched.as_str()).collect();
    assert!(
        matched.contains(&"kaspersky:kaspersky_anti-virus"),
        "{matched:?}"
    );
    assert!(matched.contains(&"kaspersky"), "{matched:?}");
    let ms = matches(&comp(
        "x",
        &[(
            FieldKind::Cpe,
            r"cpe:2.3:a:kaspersky:total_security_2016:16.0.0.614:*:*:*:*:*:*:*",
        )],
    ));
    assert_eq!(
        summary(&ms),
        [("kaspersky/total-security", Confidence::Confirmed)]
    );
}

#[test]
fn purl_namespaces_follow_each_ecosystems_case_rules() {
    // Maven: grade-A namespace, case-sensitive.
    let ms = matches(&comp(
        "x",
        &[(
            FieldKind::Purl,
            "pkg:maven/com.kaspersky.android-components/adb-server@1.0",
        )],
    ));
    assert_eq!(summary(&ms), [("kaspersky", Confidence::Confirmed)]);
    let ms = matches(&comp(
        "x",
        &[(
            FieldKind::Purl,
            "pkg:maven/com.Kaspersky.Android-Components/adb-server@1.0",
        )],
    ));
    assert!(
        ms.iter().all(|m| m.confidence < Confidence::Confirmed),
        "{:?}",
        summary(&ms)
    );
    // An engine's own purl names the engine.
    let ms = matches(&comp(
        "x",
        &[(
            FieldKind::Purl,
            "pkg:maven/com.kaspersky.android-components/kaspresso@1.5.3?type=aar",
        )],
    ));
    assert_eq!(
        summary(&ms),
        [("kaspersky/kaspresso", Confidence::Confirmed)]
    );
    // npm: grade-B scope, encoded or not, any case: at most likely.
    for purl in [
        "pkg:npm/%40kaspersky/some-lib@2.0.0",
        "pkg:npm/@Kaspersky/some-lib",
        "pkg:npm/%40KASPERSKY/some-lib",
    ] {
        let ms = matches(&comp("x", &[(FieldKind::Purl, purl)]));
        assert_eq!(summary(&ms), [("kaspersky", Confidence::Likely)], "{purl}");
        assert_eq!(ms[0].evidence[0].note.as_deref(), Some("grade-B source"));
    }
    let ms = matches(&comp(
        "x",
        &[(FieldKind::Purl, "pkg:npm/%40kaspersky/hexa-ui@5.0.0")],
    ));
    assert_eq!(summary(&ms), [("kaspersky/hexa-ui", Confidence::Likely)]);
    // GitHub: case-insensitive.
    let ms = matches(&comp(
        "x",
        &[(FieldKind::Purl, "pkg:github/kasperskylab/klara@v1")],
    ));
    assert_eq!(summary(&ms), [("kaspersky", Confidence::Confirmed)]);
    // Generic: the namespace names the vendor like a supplier does.
    for purl in [
        "pkg:generic/kaspersky/kl-scan-core@8.9.1",
        "pkg:generic/Kaspersky-Lab/x",
        "pkg:generic/ao-kaspersky-lab/x",
    ] {
        let ms = matches(&comp("x", &[(FieldKind::Purl, purl)]));
        assert_eq!(
            summary(&ms),
            [("kaspersky", Confidence::Confirmed)],
            "{purl}"
        );
    }
    let ms = matches(&comp("x", &[(FieldKind::Purl, "pkg:generic/kasper/x")]));
    assert!(ms.is_empty());
}

#[test]
fn group_field_is_a_maven_or_npm_namespace() {
    let ms = matches(&comp(
        "kaspresso",
        &[(FieldKind::Group, "com.kaspersky.android-components")],
    ));
    let s = summary(&ms);
    assert_eq!(s, [("kaspersky/kaspresso", Confidence::Confirmed)], "{s:?}");
    let ms = matches(&comp("lib", &[(FieldKind::Group, "@kaspersky")]));
    assert_eq!(summary(&ms), [("kaspersky", Confidence::Likely)]);
}

#[test]
fn domains_match_hosts_and_subdomains_only() {
    for url in [
        "https://support.kaspersky.com/ScanEngine/1.0/en-US/179679.htm",
        "http://kaspersky.com",
        "https://products.s.kaspersky-labs.com/x.deb",
        "https://www.kaspersky.co.uk/",
        "mailto:info@kaspersky.ru",
    ] {
        let ms = matches(&comp("x", &[(FieldKind::Url, url)]));
        assert_eq!(summary(&ms), [("kaspersky", Confidence::Possible)], "{url}");
    }
    for url in [
        "https://notkaspersky.com",
        "https://kaspersky.com.example.org",
        "https://co.uk",
    ] {
        assert!(
            matches(&comp("x", &[(FieldKind::Url, url)])).is_empty(),
            "{url}"
        );
    }
}

#[test]
fn engine_and_owner_fold_into_one_match() {
    let c = comp(
        "kavehost.exe",
        &[
            (FieldKind::Name, "kavehost.exe"),
            (FieldKind::Supplier, "AO Kaspersky Lab"),
        ],
    );
    let ms = matches(&c);
    assert_eq!(
        summary(&ms),
        [("kaspersky/anti-virus-engine", Confidence::Confirmed)]
    );
    let ev: Vec<(FieldKind, Confidence)> = ms[0]
        .evidence
        .iter()
        .map(|e| (e.kind, e.confidence))
        .collect();
    assert_eq!(
        ev,
        [
            (FieldKind::Name, Confidence::Likely),
            (FieldKind::Supplier, Confidence::Confirmed)
        ]
    );
}

#[test]
fn engine_names_and_aliases_are_likely() {
    for (name, engine) in [
        ("Kaspersky Anti-Virus SDK", "kaspersky/anti-virus-sdk"),
        ("KAV SDK", "kaspersky/anti-virus-sdk"),
        ("kavhttpd", "kaspersky/scan-engine"),
        (
            "/opt/kaspersky/ScanEngine/bin/kavicapd",
            "kaspersky/scan-engine",
        ),
        ("SafeStream II", "kaspersky/safestream"),
        (
            "Kaspersky Antivirus Technology",
            "kaspersky/anti-virus-engine",
        ),
        (
            "com.kavsdk.antivirus.Antivirus",
            "kaspersky/mobile-security-sdk",
        ),
        ("kwts", "kaspersky/web-traffic-security"),
    ] {
        let ms = matches(&comp(name, &[]));
        assert_eq!(summary(&ms), [(engine, Confidence::Likely)], "{name}");
    }
    // A grade-B alias is still likely at most; a name inside a longer name
    // is possible.
    let ms = matches(&comp("Kaspersky Scan Engine connector", &[]));
    assert_eq!(
        summary(&ms),
        [("kaspersky/scan-engine", Confidence::Possible)]
    );
}

#[test]
fn component_name_and_purl_stand_in_when_no_field_carries_them() {
    let mut c = comp("kavhttpd", &[]);
    c.unfielded_purl = Some("pkg:generic/kaspersky/kavhttpd@2.1".into());
    c.span = Span::new(7, 70);
    let ms = matches(&c);
    assert_eq!(
        summary(&ms),
        [("kaspersky/scan-engine", Confidence::Confirmed)]
    );
    assert!(ms[0].evidence.iter().all(|e| e.span == Span::new(7, 70)));
}

#[test]
fn results_are_sorted_and_deterministic() {
    let c = comp(
        "Kaspersky Total Security",
        &[
            (FieldKind::Url, "https://kaspersky.com"),
            (FieldKind::Cpe, "cpe:/a:kaspersky:password_manager"),
            (FieldKind::Description, "bundles KasperskyOS SDK"),
        ],
    );
    let a = matches(&c);
    let b = matches(&c);
    assert_eq!(a, b);
    assert!(a
        .windows(2)
        .all(|w| (std::cmp::Reverse(w[0].confidence), w[0].target)
            <= (std::cmp::Reverse(w[1].confidence), w[1].target)));
    assert_eq!(
        summary(&a),
        [
            // Ties in confidence go in db order.
            ("kaspersky/total-security", Confidence::Confirmed),
            ("kaspersky/password-manager", Confidence::Confirmed),
            ("kaspersky/kasperskyos-sdk", Confidence::Possible),
        ]
    );
}

fn overlay(text: &str) -> VendorDb {
    let mut db = VendorDb::embedded().unwrap();
    let mut o = VendorDb::empty();
    crate::vendordb::load::add_file(&mut o, "overlay.toml".into(), Arc::new(String::from(text)))
        .unwrap();
    db.merge(o).unwrap();
    db
}

#[test]
fn known_hash_is_confirmed_and_products_are_capped_by_grade() {
    let db = overlay(
        r#"
[[product]]
id = "acme/gateway"
name = "Acme Mail Gateway"
vendor = "Acme"
engine = "kaspersky/anti-virus-sdk"
relation = "embeds"
sources = [{ url = "https://acme.example/doc", quote = "uses KAV SDK", grade = "B" }]

[[product.ids]]
kind = "hash"
values = ["sha256:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"]
sources = [{ url = "https://acme.example/hashes", quote = "00112233", grade = "A" }]

[[engine]]
id = "acme/engine"
name = "Acme Engine"
category = "engine"
owner = "kaspersky"
sources = [{ url = "https://acme.example/e", quote = "q", grade = "A" }]

[[engine.ids]]
kind = "hash"
values = ["SHA-256:FFEEDDCCBBAA99887766554433221100FFEEDDCCBBAA99887766554433221100"]
sources = [{ url = "https://acme.example/h", quote = "q", grade = "A" }]
"#,
    );
    let m = Matcher::new(&db);
    let hashed = |h: &str| {
        let c = comp("x", &[(FieldKind::Hash, h)]);
        m.match_component(&c, c.texts())
    };
    let ms = hashed("SHA-256:ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100");
    assert_eq!(ms.len(), 1);
    assert_eq!(
        (db.target(ms[0].target).id, ms[0].confidence),
        ("acme/engine", Confidence::Confirmed)
    );
    // The product record is graded B: even its grade-A hash is only likely.
    let ms = hashed("sha256:00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF");
    assert_eq!(
        (db.target(ms[0].target).id, ms[0].confidence),
        ("acme/gateway", Confidence::Likely)
    );
    assert!(matches!(ms[0].target, TargetId::Product(_)));
    let c = comp(
        "Acme Mail Gateway",
        &[(FieldKind::Supplier, "AO Kaspersky Lab")],
    );
    let ms = m.match_component(&c, c.texts());
    // Product and owner fold: the owner's confirmed supplier evidence lifts it.
    assert_eq!(ms.len(), 1);
    assert_eq!(
        (db.target(ms[0].target).id, ms[0].confidence),
        ("acme/gateway", Confidence::Confirmed)
    );
}

#[test]
fn never_panics_on_odd_values() {
    let odd = [
        "",
        " ",
        "\u{0}",
        "cpe:",
        "cpe:2.3:",
        "cpe:2.3:a",
        "cpe:/",
        "cpe:2.3:a:\\",
        "pkg:",
        "pkg:/",
        "pkg:npm/@",
        "pkg:npm/%",
        "pkg:npm/%4",
        "pkg:a/b/c@",
        "@",
        "://",
        "http://",
        "http://@:/",
        "mailto:",
        "sha256:",
        "«»",
        "АО",
        "ﬁ",
        "𝔎𝔞𝔰𝔭𝔢𝔯𝔰𝔨𝔶",
        "\\\\server\\share\\kavehost.exe",
        "a.b.",
        ".",
        "..",
    ];
    let kinds = [
        FieldKind::Name,
        FieldKind::Group,
        FieldKind::Purl,
        FieldKind::Cpe,
        FieldKind::Supplier,
        FieldKind::License,
        FieldKind::Hash,
        FieldKind::Url,
        FieldKind::Copyright,
        FieldKind::Description,
    ];
    for v in odd {
        for k in kinds {
            let _ = matches(&comp(v, &[(k, v)]));
        }
    }
    // NFKC folds the mathematical letters into the owner's name.
    let ms = matches(&comp("x", &[(FieldKind::Supplier, "𝔎𝔞𝔰𝔭𝔢𝔯𝔰𝔨𝔶")]));
    assert_eq!(summary(&ms), [("kaspersky", Confidence::Confirmed)]);
}

/// `known_ngrams` gives exactly the runs of `ngrams` that are names, in
/// the same order: the look-ups it skips could never have hit.
mod known_ngrams_agree {
    use super::super::known_ngrams;
    use super::embedded;
    use crate::vendordb::index::Index;
    use crate::vendordb::names::{ngrams, normalize};
    use proptest::prelude::*;

    fn both(ix: &Index, text: &str) -> (Vec<String>, Vec<String>) {
        let norm = normalize(text);
        let all: Vec<String> = ngrams(&norm, ix.max_tokens)
            .filter(|g| ix.names.contains_key(g))
            .map(str::to_owned)
            .collect();
        let mut known = Vec::new();
        known_ngrams(&norm, ix, |g| {
            if ix.names.contains_key(g) {
                known.push(g.to_owned());
            }
        });
        (all, known)
    }

    #[test]
    fn on_names_inside_texts() {
        let ix = Index::build(embedded());
        for text in [
            "Copyright AO Kaspersky Lab, Kaspersky Anti-Virus SDK inside",
            "kaspersky anti virus sdk kaspersky lab lab kaspersky",
            "Kasper Systems GmbH",
            "",
            "   ",
            "kaspersky",
        ] {
            let (all, known) = both(&ix, text);
            assert_eq!(all, known, "{text}");
        }
    }

    proptest! {
        #[test]
        fn on_random_runs_of_db_words(
            words in proptest::collection::vec(
                "(kaspersky|lab|labs|anti|virus|sdk|security|engine|endpoint|x|zao|[a-z]{1,6})", 0..12)
        ) {
            let ix = Index::build(embedded());
            let (all, known) = both(&ix, &words.join(" "));
            prop_assert_eq!(all, known);
        }
    }
}

#[test]
fn only_the_start_of_a_very_long_value_is_matched() {
    // A mention in the first 64 KiB is found, and the evidence quotes at
    // most that much; a mention past it is not read at all.
    let head = format!("AO Kaspersky Lab {}", "é".repeat(MAX_MATCHED_LEN));
    let c = comp("x", &[(FieldKind::Description, &head)]);
    let found = matches(&c);
    assert!(!found.is_empty());
    for e in found.iter().flat_map(|m| &m.evidence) {
        assert!(e.value.len() <= MAX_MATCHED_LEN);
        assert!(e.value.is_char_boundary(e.value.len()));
    }
    let tail = format!("{} AO Kaspersky Lab", "x ".repeat(MAX_MATCHED_LEN));
    assert!(matches(&comp("x", &[(FieldKind::Description, &tail)])).is_empty());
    assert_eq!(clip("short"), "short");
    assert_eq!(clip(&"é".repeat(MAX_MATCHED_LEN)).len(), MAX_MATCHED_LEN);
}

#[test]
fn a_remembered_field_finds_what_looking_it_up_again_finds() {
    let matcher = Matcher::new(embedded());
    let values = [
        "AO Kaspersky Lab",
        "Organization: Kaspersky Lab ZAO (legal@kaspersky.com)",
        "Copyright (c) 2024 AO Kaspersky Lab and Nimbalt AB",
        "LicenseRef-Kaspersky-SDK proprietary Kaspersky licence",
        "com.kaspersky.components",
        "Nimbalt Security AB",
        "",
    ];
    let kinds = [
        FieldKind::Supplier,
        FieldKind::Manufacturer,
        FieldKind::Author,
        FieldKind::Publisher,
        FieldKind::Originator,
        FieldKind::Licensor,
        FieldKind::License,
        FieldKind::Copyright,
        FieldKind::Group,
    ];
    // Every kind with every value, twice over, in components that also
    // carry other fields and engine names, so that remembered evidence
    // meets evidence of other fields for the same targets.
    let mut comps = Vec::new();
    for (i, kind) in kinds.iter().enumerate() {
        for (j, value) in values.iter().enumerate() {
            let name = ["kl-scan-core", "libfoo", "kavsdk"][(i + j) % 3];
            comps.push(comp(
                name,
                &[(*kind, value), (FieldKind::Url, "https://kaspersky.com/x")],
            ));
            comps.push(comp(
                name,
                &[(FieldKind::Name, name), (*kind, value), (*kind, value)],
            ));
        }
    }
    let mut scratch = Scratch::default();
    let found = shared_scratch_agrees(&matcher, comps.iter().chain(comps.iter()), &mut scratch);
    assert!(found > 0, "the values above must match something");
    assert!(!scratch.memo.seen.is_empty(), "the memo was not used");
}

/// Matches `comps` with one shared `scratch`, asserting each time that
/// a fresh matcher finds the same; the number of matches.
fn shared_scratch_agrees<'c>(
    matcher: &Matcher<'_>,
    comps: impl Iterator<Item = &'c Built>,
    scratch: &mut Scratch<'c>,
) -> usize {
    let mut found = 0;
    for c in comps {
        let fresh = matcher.match_component(c, c.texts());
        found += fresh.len();
        assert_eq!(matcher.match_with(c, c.texts(), scratch), fresh);
    }
    found
}

#[test]
fn the_memo_starts_afresh_when_full_and_still_finds_the_same() {
    let matcher = Matcher::new(embedded());
    let kaspersky = comp("x", &[(FieldKind::Supplier, "AO Kaspersky Lab")]);
    let want = matcher.match_component(&kaspersky, kaspersky.texts());
    assert!(!want.is_empty());
    let others: Vec<Built> = (0..Memo::MAX_SEEN + 10)
        .map(|i| comp("x", &[(FieldKind::Supplier, &format!("Vendor {i}"))]))
        .collect();
    let mut scratch = Scratch::default();
    assert_eq!(
        matcher.match_with(&kaspersky, kaspersky.texts(), &mut scratch),
        want
    );
    for c in &others {
        assert!(matcher.match_with(c, c.texts(), &mut scratch).is_empty());
        assert!(scratch.memo.seen.len() <= Memo::MAX_SEEN);
    }
    assert_eq!(
        matcher.match_with(&kaspersky, kaspersky.texts(), &mut scratch),
        want
    );
}

#[test]
fn a_purl_name_normalised_once_with_the_component_name_finds_the_same() {
    let matcher = Matcher::new(embedded());
    let names = [
        "kavsdk",
        "KL Scan Core",
        "libfoo",
        "Kaspersky Anti-Virus SDK",
        "",
    ];
    // The purl's name the same as the component's, other, or first in
    // document order; with a shared scratch, one component's name meets
    // the next one's purl too.
    let mut comps = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let other = names[(i + 1) % names.len()];
        for purl_name in [*name, other] {
            let purl = format!("pkg:generic/acme/{}@1.0", purl_name.replace(' ', "%20"));
            comps.push(comp(
                name,
                &[(FieldKind::Name, name), (FieldKind::Purl, &purl)],
            ));
            comps.push(comp(
                name,
                &[(FieldKind::Purl, &purl), (FieldKind::Name, name)],
            ));
        }
    }
    let mut scratch = Scratch::default();
    let found = shared_scratch_agrees(
        &matcher,
        comps.iter().chain(comps.iter().rev()),
        &mut scratch,
    );
    assert!(found > 0, "the names above must match something");
}

#[test]
fn ascii_spaces_are_the_ascii_chars_rust_calls_whitespace() {
    for b in 0..0x80u8 {
        assert_eq!(is_ascii_space(b), char::from(b).is_whitespace(), "{b:#x}");
    }
}
