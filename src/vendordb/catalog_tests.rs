//! Tests of the catalogue views (`db list`, `db show`, `db stats`) and of
//! record origins.

use std::sync::Arc;

use super::*;

fn overlay_db() -> VendorDb {
    let mut db = VendorDb::embedded().unwrap();
    let mut overlay = VendorDb::empty();
    load::add_file(
        &mut overlay,
        "site/findings.toml".into(),
        Arc::new(String::from(
            r#"
[[product]]
id = "acme/box"
name = "Acme Box"
vendor = "Acme"
engine = "kaspersky/scan-engine"
relation = "resells"
versions = "2.x"
sources = [{ url = "https://acme.example/doc", quote = "resold", grade = "B" }]

[[engine]]
id = "kaspersky/scan-engine"
name = "Kaspersky Scan Engine (site copy)"
category = "engine"
owner = "kaspersky"
sources = [{ url = "https://acme.example/e", quote = "q", grade = "A" }]
"#,
        )),
    )
    .unwrap();
    db.merge(overlay).unwrap();
    db.add_licensing(
        "vendor/licences.csv",
        "product,licensed_technology,licensor,license_type\nWidget,KAV SDK,AO Kaspersky Lab,oem\n",
        LicensingFormat::Csv,
    )
    .unwrap();
    db
}

#[test]
fn list_has_every_record_once_in_table_order() {
    let db = VendorDb::embedded().unwrap();
    let list = db.list();
    assert_eq!(
        list.len(),
        db.entity_count() + db.engine_count() + db.product_count() + db.program_count()
    );
    let kinds: Vec<RecordKind> = list.iter().map(|r| r.kind).collect();
    let mut sorted = kinds.clone();
    sorted.sort();
    assert_eq!(kinds, sorted, "entities, engines, products, programs");
    let mut ids: Vec<(RecordKind, &str)> = list.iter().map(|r| (r.kind, r.id)).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), list.len(), "no record twice");
    assert!(list.iter().all(|r| r.origin == RecordOrigin::Embedded));
    assert!(
        list.iter().all(|r| r.sources > 0),
        "every record is sourced"
    );

    let junos = list.iter().find(|r| r.id == "juniper/junos-os").unwrap();
    assert_eq!(junos.kind, RecordKind::Product);
    assert_eq!(junos.name, "Junos OS");
    assert_eq!(junos.grade, Grade::A);
    assert_eq!(junos.relation, Some(Relation::Embeds));
    assert_eq!(junos.engine, Some("kaspersky/anti-virus-engine"));
    assert_eq!(junos.versions, Some(">=9.5, <15.1X49-D10"));
    assert_eq!(junos.sources, 2);
    let bod = list.iter().find(|r| r.id == "bod-17-01").unwrap();
    assert_eq!((bod.kind, bod.grade), (RecordKind::Program, Grade::A));
    assert_eq!((bod.relation, bod.engine), (None, None));
}

#[test]
fn show_finds_targets_by_id() {
    let db = VendorDb::embedded().unwrap();
    let t = db.show("zyxel/zynos").unwrap();
    assert_eq!((t.kind, t.name), (TargetKind::Product, "ZyNOS"));
    assert_eq!(
        db.show("kaspersky").map(|t| t.kind),
        Some(TargetKind::Entity)
    );
    assert!(db.show("nope").is_none());
    assert!(
        db.show("bod-17-01").is_none(),
        "programs are shown by program()"
    );
    assert!(db.program("bod-17-01").is_some());
}

#[test]
fn stats_count_tables_grades_relations_and_origins() {
    let db = VendorDb::embedded().unwrap();
    let s = db.stats();
    assert_eq!(s.version, db.version());
    assert_eq!(
        (s.entities, s.engines, s.products, s.programs),
        (
            db.entity_count(),
            db.engine_count(),
            db.product_count(),
            db.program_count()
        )
    );
    let total = s.entities + s.engines + s.products + s.programs;
    assert_eq!(s.by_grade.values().sum::<usize>(), total);
    assert_eq!(s.by_origin.get("embedded"), Some(&total));
    assert_eq!(s.by_origin.len(), 1);
    assert_eq!(s.by_relation.get("embeds"), Some(&7));
    assert_eq!(s.by_relation.get("uses-signatures"), Some(&2));
    assert_eq!(s.by_relation.get("bundles"), Some(&3));
    assert_eq!(s.by_relation.values().sum::<usize>(), s.products);
    assert_eq!(s.by_category.values().sum::<usize>(), s.engines);
    assert_eq!(s.by_category.get("signature-db"), Some(&1));
    assert!(s.identifiers > 50, "{}", s.identifiers);
    assert_eq!(s.program_ids.len(), s.programs);
    assert!(s.program_ids.contains(&"icts-2024-kaspersky"));

    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["by_relation"]["uses-signatures"], 2);
    assert_eq!(json["by_origin"]["embedded"], total);
    assert!(json["by_grade"]["A"].as_u64().is_some_and(|n| n > 0));

    let with = overlay_db();
    let s = with.stats();
    // The overlay engine replaced the embedded one; the product and the
    // licensing row were added.
    assert_eq!(s.by_origin.get("overlay"), Some(&2));
    assert_eq!(s.by_origin.get("licensing"), Some(&1));
    assert_eq!(s.by_relation.get("resells"), Some(&1));
}

#[test]
fn origins_tell_embedded_overlay_and_licensing_records_apart() {
    let db = overlay_db();
    let origin = |id: &str| db.origin(db.find(id).unwrap()).unwrap();
    assert_eq!(origin("juniper/junos-os"), RecordOrigin::Embedded);
    assert_eq!(
        origin("acme/box"),
        RecordOrigin::Overlay {
            file: "site/findings.toml"
        }
    );
    assert_eq!(
        origin("kaspersky/scan-engine"),
        RecordOrigin::Overlay {
            file: "site/findings.toml"
        }
    );
    assert_eq!(
        origin("licensing/widget/kaspersky/anti-virus-sdk"),
        RecordOrigin::Licensing {
            file: "vendor/licences.csv"
        }
    );
    let added: Vec<&str> = db.added_targets().map(|t| db.target(t).id).collect();
    assert_eq!(
        added,
        [
            "kaspersky/scan-engine",
            "acme/box",
            "licensing/widget/kaspersky/anti-virus-sdk"
        ]
    );
    assert!(db.origin(TargetId::Product(9999)).is_none());
    assert_eq!(VendorDb::embedded().unwrap().added_targets().count(), 0);

    let json = serde_json::to_value(origin("acme/box")).unwrap();
    assert_eq!(
        json,
        serde_json::json!({ "kind": "overlay", "file": "site/findings.toml" })
    );
    let list = db.list();
    let row = list.iter().find(|r| r.id == "acme/box").unwrap();
    assert_eq!(row.relation, Some(Relation::Resells));
    assert_eq!(row.versions, Some("2.x"));
    assert_eq!(row.grade, Grade::B);
}
