//! Tests of the db as data: the embedded files, the loader's errors and
//! their locations, merging.

use std::sync::Arc;

use super::*;
use crate::sbom::span::LineIndex;

/// A db from one TOML text, without reference checks (like `load`).
fn db_from(name: &str, text: &str) -> Result<VendorDb, DbError> {
    VendorDb::from_toml(name, text)
}

/// The 1-based line an error label points at.
fn error_line(err: &DbError, text: &str) -> usize {
    let span = match err.kind() {
        DbErrorKind::Parse { span, .. } => span.expect("parse error without span"),
        DbErrorKind::DuplicateId { span, .. }
        | DbErrorKind::UnknownReference { span, .. }
        | DbErrorKind::Unsourced { span, .. }
        | DbErrorKind::BadGrade { span, .. }
        | DbErrorKind::BadDate { span, .. }
        | DbErrorKind::BadValue { span, .. } => *span,
        other => panic!("error without a location: {other:?}"),
    };
    LineIndex::new(text).line_col(text, span.offset()).0
}

const SRC: &str =
    r#"sources = [{ url = "https://example.org/doc", quote = "says so", grade = "A" }]"#;

fn engine(id: &str, owner: &str) -> String {
    format!(
        "[[engine]]\nid = \"{id}\"\nname = \"Engine {id}\"\ncategory = \"engine\"\nowner = \"{owner}\"\n{SRC}\n"
    )
}

fn entity(id: &str) -> String {
    format!("[[entity]]\nid = \"{id}\"\nname = \"Entity {id}\"\n{SRC}\n")
}

#[test]
fn embedded_db_loads_with_version_and_records() {
    let db = VendorDb::embedded().expect("embedded db loads");
    assert_eq!(db.version(), "2026.11.1");
    assert_eq!(db.entity_count(), 1);
    assert!(db.engine_count() >= 10, "{}", db.engine_count());
    assert_eq!(db.product_count(), 12);
    assert_eq!(db.program_count(), 5);
    for id in [
        "kaspersky/anti-virus-sdk",
        "kaspersky/scan-engine",
        "kaspersky/anti-virus-engine",
        "kaspersky/safestream",
        "kaspersky/mobile-security-sdk",
    ] {
        let t = db.find(id).map(|t| db.target(t));
        assert_eq!(t.map(|t| t.kind), Some(TargetKind::Engine), "{id}");
    }
}

#[test]
fn every_embedded_record_has_a_quoted_graded_source() {
    let db = VendorDb::embedded().unwrap();
    for id in db.targets() {
        let t = db.target(id);
        assert!(!t.sources.is_empty(), "{} has no source", t.id);
        for s in &t.sources {
            assert!(!s.quote.trim().is_empty(), "{}: source without quote", t.id);
            assert!(
                !s.cite.trim().is_empty(),
                "{}: source without locator",
                t.id
            );
            assert!(
                s.url.is_some() || (s.repo.is_some() && s.path.is_some()),
                "{}",
                t.id
            );
        }
        // Every identifier group carries its own sources too.
        let r = db.record(id).unwrap();
        for g in &r.ids {
            assert!(
                !g.sources.is_empty(),
                "{}: {:?} group unsourced",
                t.id,
                g.kind
            );
        }
        assert_eq!(
            t.location
                .text
                .get(t.location.span.range())
                .map(|s| s.contains(t.id)),
            Some(true)
        );
    }
    for p in db.program_ids() {
        let p = db.program(p).unwrap();
        assert!(
            !p.sources.is_empty() && p.sources.iter().all(|s| !s.quote.is_empty()),
            "{}",
            p.id
        );
    }
}

#[test]
fn targets_carry_sorted_programs_and_owner() {
    let db = VendorDb::embedded().unwrap();
    let t = db.target(db.find("kaspersky/anti-virus-sdk").unwrap());
    assert_eq!(t.owner, "kaspersky");
    assert_eq!(t.name, "Kaspersky Anti-Virus SDK");
    assert_eq!(t.category, Some(Category::Sdk));
    assert_eq!(
        t.programs,
        [
            "bis-entity-list",
            "bod-17-01",
            "fcc-covered-list",
            "icts-2024-kaspersky",
            "ndaa-fy2018-1634"
        ]
    );
    assert_eq!(t.location.file, "vendor-db/engines.toml");
    // The location is the whole record block: header, keys and its ids
    // groups, but not the next record.
    let block = t.location.text.get(t.location.span.range()).unwrap();
    assert!(
        block.starts_with("[[engine]]\nid = \"kaspersky/anti-virus-sdk\""),
        "{block}"
    );
    assert!(
        block.contains("[[engine.ids]]") && block.contains("kavsigner"),
        "{block}"
    );
    assert_eq!(block.matches("[[engine]]").count(), 1, "{block}");
    assert!(block.ends_with('}') || block.ends_with(']'), "{block}");
    let e = db.target(db.find("kaspersky").unwrap());
    assert_eq!((e.kind, e.owner), (TargetKind::Entity, "kaspersky"));
}

#[test]
fn programs_have_their_dates_and_reach() {
    let db = VendorDb::embedded().unwrap();
    let icts = db.program("icts-2024-kaspersky").unwrap();
    assert!(icts.reaches_embedded);
    assert_eq!(icts.effective, Some("2024-07-20"));
    let dates: Vec<&str> = icts.dates.iter().map(|d| d.date).collect();
    assert!(dates.contains(&"2024-07-20") && dates.contains(&"2024-09-29"));
    let el = db.program("bis-entity-list").unwrap();
    assert_eq!(el.effective, Some("2024-06-24"));
    assert_eq!(
        el.covers,
        [
            "AO Kaspersky Lab",
            "OOO Kaspersky Group",
            "Kaspersky Labs Limited"
        ]
    );
    assert_eq!(
        db.program("fcc-covered-list").unwrap().effective,
        Some("2022-03-25")
    );
    assert_eq!(
        db.program("ndaa-fy2018-1634").unwrap().effective,
        Some("2018-10-01")
    );
    let bod = db.program("bod-17-01").unwrap();
    assert!(!bod.reaches_embedded);
    assert_eq!(bod.effective, Some("2017-09-13"));
    assert!(db.program("nope").is_none());
}

#[test]
fn parse_error_points_at_the_bad_line() {
    let text = format!("{}\nnot valid = = toml\n", entity("a"));
    let err = db_from("x.toml", &text).unwrap_err();
    assert!(matches!(err.kind(), DbErrorKind::Parse { .. }), "{err:?}");
    assert_eq!(error_line(&err, &text), 6);
}

#[test]
fn unknown_field_is_denied_at_its_line() {
    let text = format!("{}nmae = \"typo\"\n", entity("a"));
    let err = db_from("x.toml", &text).unwrap_err();
    assert!(
        matches!(err.kind(), DbErrorKind::Parse { ref message, .. } if message.contains("nmae")),
        "{err:?}"
    );
    assert_eq!(error_line(&err, &text), 5);
}

#[test]
fn bad_grade_points_at_the_grade() {
    let text = "[[entity]]\nid = \"a\"\nname = \"A\"\nsources = [\n  { url = \"https://x.org\", quote = \"q\", grade = \"A\" },\n  { url = \"https://y.org\", quote = \"q\", grade = \"C\" },\n]\n";
    let err = db_from("x.toml", text).unwrap_err();
    assert!(
        matches!(err.kind(), DbErrorKind::BadGrade { ref grade, .. } if grade == "C"),
        "{err:?}"
    );
    assert_eq!(error_line(&err, text), 6);
}

#[test]
fn missing_quote_or_source_is_unshippable() {
    let text = "[[entity]]\nid = \"a\"\nname = \"A\"\nsources = [\n  { url = \"https://x.org\", grade = \"A\" },\n]\n";
    let err = db_from("x.toml", text).unwrap_err();
    assert!(
        matches!(err.kind(), DbErrorKind::Unsourced { ref message, .. } if message.contains("quote")),
        "{err:?}"
    );
    assert_eq!(error_line(&err, text), 5);

    let text = "[[entity]]\nid = \"a\"\nname = \"A\"\n";
    let err = db_from("x.toml", text).unwrap_err();
    assert!(
        matches!(err.kind(), DbErrorKind::Unsourced { .. }),
        "{err:?}"
    );
    assert_eq!(error_line(&err, text), 2);

    let text = "[[entity]]\nid = \"a\"\nname = \"A\"\nsources = [{ quote = \"q\", grade = \"B\", repo = \"github.com/a/b\" }]\n";
    let err = db_from("x.toml", text).unwrap_err();
    assert!(
        matches!(err.kind(), DbErrorKind::Unsourced { ref message, .. } if message.contains("url")),
        "{err:?}"
    );

    let text = format!(
        "{}\n[[entity.ids]]\nkind = \"legal-name\"\nvalues = [\"A Ltd\"]\n",
        entity("a")
    );
    let err = db_from("x.toml", &text).unwrap_err();
    assert!(
        matches!(err.kind(), DbErrorKind::Unsourced { .. }),
        "{err:?}"
    );
    assert_eq!(error_line(&err, &text), 7);
}

#[test]
fn bad_date_points_at_the_date() {
    let text = format!(
        "[[program]]\nid = \"p\"\nname = \"P\"\nauthority = \"x\"\ncitation = \"y\"\nreaches_embedded = true\nscope = \"z\"\n{SRC}\n\n[[program.dates]]\ndate = \"2024-02-30\"\nevent = \"e\"\n"
    );
    let err = db_from("x.toml", &text).unwrap_err();
    assert!(
        matches!(err.kind(), DbErrorKind::BadDate { ref date, .. } if date == "2024-02-30"),
        "{err:?}"
    );
    assert_eq!(error_line(&err, &text), 11);
}

#[test]
fn bad_identifiers_and_kinds_are_rejected() {
    let bad = [
        ("cpe", "kaspersky"),
        ("purl", "pkg:npm/x@1?y=z"),
        ("file", "has space"),
        ("java-package", "com..x"),
        ("hash", "sha256:nothex"),
    ];
    for (kind, value) in bad {
        let text = format!(
            "{}\n[[engine.ids]]\nkind = \"{kind}\"\nvalues = [\"{value}\"]\n{SRC}\n",
            engine("e", "k")
        );
        let err = db_from("x.toml", &text).unwrap_err();
        assert!(
            matches!(err.kind(), DbErrorKind::BadValue { .. }),
            "{kind}: {err:?}"
        );
        assert_eq!(error_line(&err, &text), 10, "{kind}");
    }
    // An entity kind on an engine.
    let text = format!(
        "{}\n[[engine.ids]]\nkind = \"legal-name\"\nvalues = [\"X\"]\n{SRC}\n",
        engine("e", "k")
    );
    assert!(matches!(
        db_from("x.toml", &text).map_err(DbError::into_kind),
        Err(DbErrorKind::BadValue { .. })
    ));
    let text = engine("e", "k").replace("\"engine\"\nowner", "\"motor\"\nowner");
    assert!(matches!(
        db_from("x.toml", &text).map_err(DbError::into_kind),
        Err(DbErrorKind::BadValue { .. })
    ));
}

#[test]
fn duplicate_ids_name_both_places() {
    let text = format!("{}\n{}\n{}", entity("a"), entity("b"), entity("a"));
    let err = db_from("dup.toml", &text).unwrap_err();
    match err.kind() {
        DbErrorKind::DuplicateId {
            id, first, table, ..
        } => {
            assert_eq!((id.as_str(), *table), ("a", "entity"));
            assert_eq!(first, "dup.toml:2:6");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(error_line(&err, &text), 12);

    // Across files of one load, too.
    let mut db = db_from("one.toml", &entity("a")).unwrap();
    let err = load::add_file(&mut db, "two.toml".into(), Arc::new(entity("a"))).unwrap_err();
    assert!(
        matches!(err.kind(), DbErrorKind::DuplicateId { ref first, .. } if first == "one.toml:2:6"),
        "{err:?}"
    );
    assert_eq!(db.entity_count(), 1, "a failed file adds nothing");
}

#[test]
fn dangling_owner_is_an_error_at_the_owner() {
    let text = format!("{}\n{}", entity("a"), engine("e", "ghost"));
    let db = db_from("x.toml", &text).unwrap();
    let err = db.validate().unwrap_err();
    assert!(
        matches!(err.kind(), DbErrorKind::UnknownReference { what: "entity", ref id, .. } if id == "ghost"),
        "{err:?}"
    );
    assert_eq!(error_line(&err, &text), 10);
    let mut empty = VendorDb::empty();
    assert!(empty.merge(db).is_err());
    assert_eq!(empty.engine_count(), 0);
}

#[test]
fn unknown_program_is_dangling() {
    let text = entity("a").replace("name = \"Entity a\"", "name = \"A\"\nprograms = [\"nope\"]");
    let db = db_from("x.toml", &text).unwrap();
    assert!(matches!(
        db.validate().map_err(DbError::into_kind),
        Err(DbErrorKind::UnknownReference {
            what: "program",
            ..
        })
    ));
}

#[test]
fn merge_overlay_replaces_a_record_and_keeps_its_id() {
    let mut db = VendorDb::embedded().unwrap();
    let before = db.find("kaspersky/scan-engine").unwrap();
    let engines = db.engine_count();
    let overlay = db_from(
        "mine.toml",
        &engine("kaspersky/scan-engine", "kaspersky")
            .replace("Engine kaspersky/scan-engine", "Scan Engine (site copy)"),
    )
    .unwrap();
    db.merge(overlay).unwrap();
    assert_eq!(db.engine_count(), engines);
    assert_eq!(db.find("kaspersky/scan-engine"), Some(before));
    let t = db.target(before);
    assert_eq!(t.name, "Scan Engine (site copy)");
    assert_eq!(t.location.file, "mine.toml");
    assert_eq!(db.version(), "2026.11.1");

    // A new engine owned by the embedded entity resolves after the merge.
    let overlay = db_from("more.toml", &engine("acme/x", "kaspersky")).unwrap();
    db.merge(overlay).unwrap();
    assert_eq!(db.engine_count(), engines + 1);
    // An overlay whose reference dangles leaves the db as it was.
    let overlay = db_from("bad.toml", &engine("acme/y", "nobody")).unwrap();
    assert!(db.merge(overlay).is_err());
    assert_eq!(db.engine_count(), engines + 1);
    assert!(db.find("acme/y").is_none());
}

#[test]
fn merge_into_empty_takes_the_version() {
    let mut db = VendorDb::empty();
    assert_eq!(db.version(), "");
    let overlay = db_from(
        "v.toml",
        &format!("[db]\nversion = \"9.9\"\n{}", entity("a")),
    )
    .unwrap();
    db.merge(overlay).unwrap();
    assert_eq!(db.version(), "9.9");
}

#[test]
fn product_targets_leave_out_programs_that_do_not_reach_embedded_code() {
    let mut db = VendorDb::embedded().unwrap();
    let product = format!(
        "[[product]]\nid = \"acme/box\"\nname = \"Acme Box\"\nvendor = \"Acme\"\nengine = \"kaspersky/scan-engine\"\nrelation = \"embeds\"\n{SRC}\n"
    );
    db.merge(db_from("p.toml", &product).unwrap()).unwrap();
    let id = db.find("acme/box").unwrap();
    let t = db.target(id);
    assert_eq!(
        (t.kind, t.owner, t.relation),
        (TargetKind::Product, "kaspersky", Some(Relation::Embeds))
    );
    assert_eq!(t.engine, db.find("kaspersky/scan-engine"));
    assert!(!t.programs.contains(&"bod-17-01"));
    assert!(t.programs.contains(&"icts-2024-kaspersky"));
    assert_eq!(t.relation_edge(), Some(crate::model::EdgeKind::Embeds));
    assert_eq!(
        db.product_count(),
        VendorDb::embedded().unwrap().product_count() + 1
    );
}

#[test]
fn load_reads_a_directory_in_name_order_and_one_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("b.toml"), engine("x/e", "x")).unwrap();
    std::fs::write(dir.path().join("a.toml"), entity("x")).unwrap();
    std::fs::write(dir.path().join("notes.txt"), "ignored").unwrap();
    let db = VendorDb::load(dir.path()).unwrap();
    db.validate().unwrap();
    assert_eq!((db.entity_count(), db.engine_count()), (1, 1));
    let t = db.target(db.find("x/e").unwrap());
    assert!(t.location.file.ends_with("b.toml"));

    let one = VendorDb::load(&dir.path().join("a.toml")).unwrap();
    assert_eq!(one.entity_count(), 1);

    let empty = tempfile::tempdir().unwrap();
    assert!(matches!(
        VendorDb::load(empty.path()).map_err(DbError::into_kind),
        Err(DbErrorKind::NoFiles { .. })
    ));
    assert!(matches!(
        VendorDb::load(&empty.path().join("missing.toml")).map_err(DbError::into_kind),
        Err(DbErrorKind::Io { .. })
    ));
}

#[test]
fn foreign_target_id_is_a_placeholder_not_a_panic() {
    let db = VendorDb::empty();
    assert!(db.get(TargetId::Engine(7)).is_none());
    assert_eq!(db.target(TargetId::Engine(7)).id, "?");
}

#[test]
fn errors_render_with_the_toml_line_underlined() {
    let text = "[[entity]]\nid = \"a\"\nname = \"A\"\nsources = [{ url = \"https://x.org\", quote = \"q\", grade = \"Z\" }]\n";
    let err = db_from("vendor-db/x.toml", text).unwrap_err();
    let mut out = String::new();
    miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        .render_report(&mut out, &err)
        .unwrap();
    assert!(out.contains("oemtrace::db::bad_grade"), "{out}");
    assert!(out.contains("vendor-db/x.toml:4:"), "{out}");
    assert!(out.contains("expected \"A\" or \"B\""), "{out}");
}
