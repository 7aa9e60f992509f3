//! Tests of licensing disclosures: the worked examples under
//! fixtures/licensing/, what their rows become, and every error pointing
//! at its cell.

use std::path::Path;

use super::*;
use crate::model::{Confidence, EdgeKind};
use crate::sbom::span::LineIndex;
use crate::vendordb::{Matcher, RecordOrigin, TargetKind};

const TOML_FIXTURE: &str = "fixtures/licensing/frostmere-disclosure.toml";
const CSV_FIXTURE: &str = "fixtures/licensing/taigamark-disclosure.csv";

fn fixture(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn with(name: &str, text: &str, format: LicensingFormat) -> Result<VendorDb, DbError> {
    let mut db = VendorDb::embedded().unwrap();
    db.add_licensing(name, text, format)?;
    Ok(db)
}

/// The (line, column) an error's label points at.
fn error_at(err: &DbError, text: &str) -> (usize, usize) {
    let span = match err.kind() {
        DbErrorKind::Parse { span, .. } => span.expect("parse error without span"),
        DbErrorKind::UnknownTechnology { span, .. } | DbErrorKind::BadValue { span, .. } => *span,
        other => panic!("error without a location: {other:?}"),
    };
    LineIndex::new(text).line_col(text, span.offset())
}

/// The text an error's label underlines.
fn underlined<'t>(err: &DbError, text: &'t str) -> &'t str {
    let span = match err.kind() {
        DbErrorKind::UnknownTechnology { span, .. } | DbErrorKind::BadValue { span, .. } => *span,
        other => panic!("{other:?}"),
    };
    text.get(span.offset()..span.offset() + span.len())
        .unwrap_or("")
}

#[test]
fn toml_example_loads_as_product_records() {
    let mut db = VendorDb::embedded().unwrap();
    let before = db.product_count();
    let added = db.load_licensing(&fixture(TOML_FIXTURE)).unwrap();
    assert_eq!(added, 3);
    assert_eq!(db.product_count(), before + 3);

    let t = db
        .show("licensing/mailscan-module/kaspersky/anti-virus-sdk")
        .unwrap();
    assert_eq!(t.kind, TargetKind::Product);
    assert_eq!(
        (t.name, t.vendor),
        ("mailscan-module", Some("Frostmere Networks Ltd"))
    );
    assert_eq!((t.relation, t.grade), (Some(Relation::Embeds), Grade::A));
    assert_eq!(t.relation_edge(), Some(EdgeKind::Embeds));
    assert_eq!(t.versions, Some(">=3.0, <4"));
    assert_eq!(t.engine, db.find("kaspersky/anti-virus-sdk"));
    assert_eq!(t.owner, "kaspersky");
    let s = &t.sources[0];
    assert_eq!(
        s.cite,
        "https://frostmere-networks.example/legal/third-party-technology"
    );
    assert_eq!(
        s.quote,
        "mailscan-module: kaspersky/anti-virus-sdk licensed from AO Kaspersky Lab (oem), versions >=3.0, <4"
    );
    assert!(t.location.file.ends_with("frostmere-disclosure.toml"));
    let block = &t.location.text[t.location.span.range()];
    assert!(
        block.starts_with("[[license]]\nproduct = \"mailscan-module\""),
        "{block}"
    );
    assert!(block.ends_with("license_type = \"oem\""), "{block}");
    assert!(matches!(
        db.origin(db.find(t.id).unwrap()),
        Some(RecordOrigin::Licensing { file }) if file.ends_with("frostmere-disclosure.toml")
    ));

    // By engine name; "Kaspersky Lab" is a legal name too.
    let t = db
        .show("licensing/frostmere-mx-300-mail-gateway/kaspersky/safestream")
        .unwrap();
    assert_eq!(
        (t.relation, t.grade),
        (Some(Relation::UsesSignatures), Grade::A)
    );
    // A distributor as licensor: grade B, said in a note; a source that is
    // not a URL is cited by file and line and kept in the source's note.
    let t = db
        .show("licensing/frostmere-cloud-scan/kaspersky/anti-virus-sdk")
        .unwrap();
    assert_eq!((t.relation, t.grade), (Some(Relation::Resells), Grade::B));
    assert!(
        t.notes
            .iter()
            .any(|n| n.contains("not a legal-entity name")),
        "{:?}",
        t.notes
    );
    assert!(
        t.sources[0]
            .cite
            .ends_with("frostmere-disclosure.toml:37:1"),
        "{}",
        t.sources[0].cite
    );
    assert!(
        t.sources[0]
            .note
            .is_some_and(|n| n.contains("Frostmere partner agreement FN-2023-114")),
        "{:?}",
        t.sources[0].note
    );
}

#[test]
fn csv_example_loads_as_product_records() {
    let mut db = VendorDb::embedded().unwrap();
    assert_eq!(db.load_licensing(&fixture(CSV_FIXTURE)).unwrap(), 3);

    // The Russian legal name is a legal name of the owner: grade A.
    let t = db
        .show("licensing/tgm-threat-shield/kaspersky/anti-virus-sdk")
        .unwrap();
    assert_eq!((t.relation, t.grade), (Some(Relation::Embeds), Grade::A));
    assert_eq!(t.versions, Some(">=2.0, <3"));
    assert_eq!(
        t.sources[0].url,
        Some("https://taigamark.example/legal/oem-notices")
    );
    assert!(t.sources[0]
        .quote
        .starts_with("tgm-threat-shield,\">=2.0, <3\",kaspersky/anti-virus-sdk,"));
    assert_eq!(t.vendor, None);
    let line = t.location.text[..t.location.span.offset()].lines().count() + 1;
    assert_eq!(line, 7);

    let t = db
        .show("licensing/taigamark-shieldav/kaspersky/anti-virus")
        .unwrap();
    assert_eq!(
        (t.relation, t.grade),
        (Some(Relation::WhiteLabel), Grade::A)
    );
    assert_eq!(t.relation_edge(), Some(EdgeKind::WhiteLabelOf));
    assert_eq!(t.versions, None);

    // A quoted field holding a comma; a distributor as licensor: grade B.
    let t = db
        .show("licensing/taigamark-securemail-cloud-edition/kaspersky/scan-engine")
        .unwrap();
    assert_eq!(t.name, "Taigamark SecureMail, Cloud Edition");
    assert_eq!((t.relation, t.grade), (Some(Relation::Embeds), Grade::B));
    assert_eq!(t.versions, Some("1.*"));

    // Aliases match like the product name; the version gate applies.
    let m = Matcher::new(&db);
    let comp = |name: &str, version: &str| crate::model::Component {
        name: name.into(),
        version: Some(version.into()),
        ..Default::default()
    };
    let found = |name: &str, version: &str| -> Vec<(&str, Confidence)> {
        m.match_component(&comp(name, version), crate::model::Texts::default())
            .iter()
            .map(|x| (db.target(x.target).id, x.confidence))
            .collect()
    };
    assert_eq!(
        found("Taigamark Threat Shield", "2.9"),
        [(
            "licensing/tgm-threat-shield/kaspersky/anti-virus-sdk",
            Confidence::Confirmed
        )]
    );
    assert!(found("tgm-threat-shield", "3.0").is_empty());
    assert_eq!(
        found("Taigamark SecureMail, Cloud Edition", "1.4"),
        [(
            "licensing/taigamark-securemail-cloud-edition/kaspersky/scan-engine",
            Confidence::Likely
        )]
    );
}

#[test]
fn the_examples_flag_their_fixture_sboms() {
    let mut db = VendorDb::embedded().unwrap();
    db.load_licensing(&fixture(TOML_FIXTURE)).unwrap();
    db.load_licensing(&fixture(CSV_FIXTURE)).unwrap();
    let m = Matcher::new(&db);
    let flagged = |sbom: &str| -> Vec<(String, &str, Confidence)> {
        let bytes = std::fs::read(fixture(sbom)).unwrap();
        let doc = crate::sbom::read(sbom, bytes).unwrap();
        let mut out = Vec::new();
        for c in &doc.components {
            for x in m.match_component(c, doc.texts()) {
                let t = db.target(x.target);
                if t.id.starts_with("licensing/") {
                    out.push((c.name.to_string(), t.id, x.confidence));
                }
            }
        }
        out
    };
    assert_eq!(
        flagged("fixtures/mail-gateway-nested-engine.cdx.json"),
        [
            (
                "Frostmere MX-300 Mail Gateway".to_owned(),
                "licensing/frostmere-mx-300-mail-gateway/kaspersky/safestream",
                Confidence::Confirmed
            ),
            (
                "mailscan-module".to_owned(),
                "licensing/mailscan-module/kaspersky/anti-virus-sdk",
                Confidence::Confirmed
            ),
        ]
    );
    assert_eq!(
        flagged("fixtures/router-dpi-cyrillic-supplier.cdx.json"),
        [(
            "tgm-threat-shield".to_owned(),
            "licensing/tgm-threat-shield/kaspersky/anti-virus-sdk",
            Confidence::Confirmed
        )]
    );
}

#[test]
fn unknown_technology_points_at_the_cell() {
    let text = "product,licensed_technology,licensor,license_type\nBox,Kaspersky Toaster SDK,AO Kaspersky Lab,oem\n";
    let err = with("d.csv", text, LicensingFormat::Csv).unwrap_err();
    assert!(
        matches!(err.kind(), DbErrorKind::UnknownTechnology { technology, .. } if technology == "Kaspersky Toaster SDK"),
        "{err:?}"
    );
    assert_eq!(error_at(&err, text), (2, 5));
    assert_eq!(underlined(&err, text), "Kaspersky Toaster SDK");

    let text = "[[license]]\nproduct = \"Box\"\nlicensed_technology = \"kaspersky/nope\"\nlicensor = \"AO Kaspersky Lab\"\nlicense_type = \"oem\"\n";
    let err = with("d.toml", text, LicensingFormat::Toml).unwrap_err();
    assert!(
        matches!(err.kind(), DbErrorKind::UnknownTechnology { .. }),
        "{err:?}"
    );
    assert_eq!(error_at(&err, text), (3, 23));
}

#[test]
fn bad_cells_are_errors_at_their_place() {
    let header = "product,version,licensed_technology,licensor,license_type\n";
    for (row, says, at) in [
        (
            "Box,,KAV SDK,AO Kaspersky Lab,lease",
            "unknown license type",
            "lease",
        ),
        (
            "Box,>=1 <2,KAV SDK,AO Kaspersky Lab,oem",
            "bad version range",
            ">=1 <2",
        ),
        (",,KAV SDK,AO Kaspersky Lab,oem", "empty product", ""),
        ("Box,,KAV SDK, ,oem", "empty licensor", ""),
        (
            "Box,,KAV SDK,AO Kaspersky Lab",
            "4 fields; the header has 5",
            "Box,,KAV SDK,AO Kaspersky Lab",
        ),
    ] {
        let text = format!("{header}{row}\n");
        let err = with("d.csv", &text, LicensingFormat::Csv).unwrap_err();
        match err.kind() {
            DbErrorKind::BadValue { message, .. } => {
                assert!(message.contains(says), "{row}: {message}")
            }
            other => panic!("{row}: {other:?}"),
        }
        assert_eq!(error_at(&err, &text).0, 2, "{row}");
        assert_eq!(underlined(&err, &text), at, "{row}");
    }
}

#[test]
fn bad_headers_and_syntax_are_errors() {
    let err = with(
        "d.csv",
        "product,licensor,license_type\nBox,AO Kaspersky Lab,oem\n",
        LicensingFormat::Csv,
    )
    .unwrap_err();
    assert!(
        matches!(err.kind(), DbErrorKind::BadValue { message, .. } if message.contains("`licensed_technology`")),
        "{err:?}"
    );
    let text = "product,licensed_technology,licensor,license_type,price\n";
    let err = with("d.csv", text, LicensingFormat::Csv).unwrap_err();
    assert_eq!(underlined(&err, text), "price");
    let text = "product,Product,licensed_technology,licensor,license_type\n";
    let err = with("d.csv", text, LicensingFormat::Csv).unwrap_err();
    assert_eq!(underlined(&err, text), "Product");
    let text =
        "product,licensed_technology,licensor,license_type\n\"Box,KAV SDK,AO Kaspersky Lab,oem\n";
    let err = with("d.csv", text, LicensingFormat::Csv).unwrap_err();
    assert!(
        matches!(err.kind(), DbErrorKind::Parse { message, .. } if message.contains("unterminated")),
        "{err:?}"
    );
    assert_eq!(error_at(&err, text), (2, 1));
    // Header names are forgiving about case, spaces and dashes.
    let text =
        "Product,Licensed Technology,LICENSOR,license-type\nBox,KAV SDK,AO Kaspersky Lab,OEM\n";
    assert!(with("d.csv", text, LicensingFormat::Csv).is_ok());

    let text = "[[license]]\nproduct = \"Box\"\nlicensed_technology = \"KAV SDK\"\nlicensor = \"AO Kaspersky Lab\"\nlicense_type = \"oem\"\nprice = 3\n";
    let err = with("d.toml", text, LicensingFormat::Toml).unwrap_err();
    assert!(
        matches!(err.kind(), DbErrorKind::Parse { message, .. } if message.contains("price")),
        "{err:?}"
    );
    assert_eq!(error_at(&err, text).0, 6);
}

#[test]
fn an_ambiguous_engine_name_asks_for_an_id() {
    let mut db = VendorDb::embedded().unwrap();
    let mut overlay = VendorDb::empty();
    let engine = |id: &str| {
        format!("[[engine]]\nid = \"{id}\"\nname = \"Twin Engine\"\ncategory = \"engine\"\nowner = \"kaspersky\"\nsources = [{{ url = \"https://x.example\", quote = \"q\", grade = \"A\" }}]\n")
    };
    let text = format!("{}\n{}", engine("x/one"), engine("x/two"));
    crate::vendordb::load::add_file(
        &mut overlay,
        "o.toml".into(),
        std::sync::Arc::new(String::from(text.as_str())),
    )
    .unwrap();
    db.merge(overlay).unwrap();
    let csv =
        "product,licensed_technology,licensor,license_type\nBox,twin engine,AO Kaspersky Lab,oem\n";
    let before = db.product_count();
    let err = db
        .add_licensing("d.csv", csv, LicensingFormat::Csv)
        .unwrap_err();
    assert!(
        matches!(err.kind(), DbErrorKind::BadValue { message, .. } if message.contains("x/one, x/two")),
        "{err:?}"
    );
    assert_eq!(
        db.product_count(),
        before,
        "a failed disclosure adds nothing"
    );
    let csv = "product,licensed_technology,licensor,license_type\nBox,x/two,AO Kaspersky Lab,oem\n";
    assert_eq!(
        db.add_licensing("d.csv", csv, LicensingFormat::Csv)
            .unwrap(),
        1
    );
}

#[test]
fn repeated_rows_keep_both_and_reloading_replaces() {
    let csv = "product,version,licensed_technology,licensor,license_type\nBox,1.x,KAV SDK,AO Kaspersky Lab,oem\nBox,3.x,KAV SDK,AO Kaspersky Lab,oem\n";
    let mut db = VendorDb::embedded().unwrap();
    let before = db.product_count();
    assert_eq!(
        db.add_licensing("d.csv", csv, LicensingFormat::Csv)
            .unwrap(),
        2
    );
    assert!(db.show("licensing/box/kaspersky/anti-virus-sdk").is_some());
    assert_eq!(
        db.show("licensing/box/kaspersky/anti-virus-sdk@3")
            .and_then(|t| t.versions),
        Some("3.x")
    );
    // The same disclosure again replaces its records by id.
    db.add_licensing("d.csv", csv, LicensingFormat::Csv)
        .unwrap();
    assert_eq!(db.product_count(), before + 2);
    // An empty disclosure adds nothing.
    assert_eq!(
        db.add_licensing("e.csv", "# nothing\n", LicensingFormat::Csv)
            .unwrap(),
        0
    );
    assert_eq!(
        db.add_licensing("e.toml", "", LicensingFormat::Toml)
            .unwrap(),
        0
    );
}

#[test]
fn file_format_comes_from_the_extension() {
    assert_eq!(
        LicensingFormat::from_path(Path::new("a.CSV")),
        Some(LicensingFormat::Csv)
    );
    assert_eq!(
        LicensingFormat::from_path(Path::new("a.toml")),
        Some(LicensingFormat::Toml)
    );
    assert_eq!(LicensingFormat::from_path(Path::new("a.json")), None);
    let mut db = VendorDb::embedded().unwrap();
    assert!(matches!(
        db.load_licensing(Path::new("x.json"))
            .map_err(DbError::into_kind),
        Err(DbErrorKind::LicensingFormat { .. })
    ));
    assert!(matches!(
        db.load_licensing(Path::new("/nonexistent/x.csv"))
            .map_err(DbError::into_kind),
        Err(DbErrorKind::Io { .. })
    ));
}

#[test]
fn csv_errors_render_with_the_line_underlined() {
    let text = "product,licensed_technology,licensor,license_type\nBox,Kaspersky Toaster SDK,AO Kaspersky Lab,oem\n";
    let err = with("vendor/licences.csv", text, LicensingFormat::Csv).unwrap_err();
    let mut out = String::new();
    miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        .render_report(&mut out, &err)
        .unwrap();
    assert!(out.contains("oemtrace::db::unknown_technology"), "{out}");
    assert!(out.contains("vendor/licences.csv:2:5"), "{out}");
    assert!(
        out.contains("no engine has this id, name or alias"),
        "{out}"
    );
}

#[test]
fn license_types_map_to_relations() {
    for (t, r) in [
        ("oem", Relation::Embeds),
        ("OEM", Relation::Embeds),
        ("appliance", Relation::Embeds),
        ("subscription", Relation::Embeds),
        ("node_locked", Relation::Embeds),
        ("resale", Relation::Resells),
        ("White Label", Relation::WhiteLabel),
        ("white_label", Relation::WhiteLabel),
        ("bundle", Relation::Bundles),
        ("signatures", Relation::UsesSignatures),
    ] {
        assert_eq!(relation_of(t), Some(r), "{t}");
    }
    assert_eq!(relation_of("lease"), None);
    assert_eq!(relation_of(""), None);
}
