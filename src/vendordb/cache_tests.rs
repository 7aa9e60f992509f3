use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::*;

/// A bundle adding one engine of the embedded owner.
fn bundle(version: &str, engine: &str) -> String {
    format!(
        r#"[db]
version = "{version}"

[[engine]]
id = "{engine}"
name = "Zq Frobnicator Core"
category = "engine"
owner = "kaspersky"
sources = [{{ url = "https://example.invalid/zq", grade = "A", quote = "zq" }}]
"#
    )
}

fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
    move |key| {
        vars.iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| OsString::from(v))
    }
}

#[test]
fn the_cache_root_follows_flag_then_variables() {
    let all = [
        (ENV_CACHE_DIR, "/o"),
        ("XDG_CACHE_HOME", "/x"),
        ("HOME", "/h"),
    ];
    assert_eq!(
        locate(Some(Path::new("/flag")), env(&all)),
        Some(PathBuf::from("/flag"))
    );
    assert_eq!(locate(None, env(&all)), Some(PathBuf::from("/o")));
    assert_eq!(
        locate(None, env(&all[1..])),
        Some(PathBuf::from("/x/oemtrace"))
    );
    assert_eq!(
        locate(None, env(&all[2..])),
        Some(PathBuf::from("/h/.cache/oemtrace"))
    );
    // Empty values are unset; a relative XDG_CACHE_HOME is ignored.
    let odd = [
        (ENV_CACHE_DIR, ""),
        ("XDG_CACHE_HOME", "rel"),
        ("HOME", "/h"),
    ];
    assert_eq!(
        locate(None, env(&odd)),
        Some(PathBuf::from("/h/.cache/oemtrace"))
    );
    assert_eq!(locate(None, env(&[])), None);
}

#[test]
fn sha256_is_lowercase_hex_and_pins_parse_leniently() {
    assert_eq!(
        sha256_hex(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    let upper = "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD";
    let lower = sha256_hex(b"abc");
    assert_eq!(parse_sha256(upper).as_deref(), Some(lower.as_str()));
    assert_eq!(
        parse_sha256(&format!("sha256:{lower}")).as_deref(),
        Some(lower.as_str())
    );
    assert_eq!(parse_sha256(&lower[1..]), None);
    assert_eq!(parse_sha256(&format!("{}g", &lower[1..])), None);
    assert_eq!(parse_sha256("sha256:"), None);
    assert_eq!(parse_sha256("é"), None);
}

#[test]
fn timestamps_are_utc_rfc3339() {
    assert_eq!(timestamp(0), "1970-01-01T00:00:00Z");
    assert_eq!(timestamp(1_700_000_000), "2023-11-14T22:13:20Z");
    assert_eq!(timestamp(951_825_599), "2000-02-29T11:59:59Z");
}

#[test]
fn db_versions_compare_as_versions() {
    assert!(is_older("2026.9.0", "2026.11.1"));
    assert!(!is_older("2026.11.1", "2026.11.1"));
    assert!(!is_older("2027.1", "2026.11.1"));
    assert!(!is_older("", "2026.11.1"), "unreadable: never older");
}

#[test]
fn an_update_takes_the_bundles_version() {
    let mut db = VendorDb::embedded().unwrap();
    let engines = db.engine_count();
    let b = parse_bundle("https://x/b.toml", &bundle("2099.1", "kaspersky/zq")).unwrap();
    db.merge_update(b).unwrap();
    assert_eq!(db.version(), "2099.1");
    assert_eq!(db.engine_count(), engines + 1);
}

#[test]
fn check_update_wants_a_version_no_older_than_the_base() {
    let base = VendorDb::embedded().unwrap();
    let no_version = bundle("x", "kaspersky/zq").replace("[db]\nversion = \"x\"\n", "");
    let b = parse_bundle("u", &no_version).unwrap();
    assert!(matches!(
        check_update("u", &base, b),
        Err(CacheError::NoVersion { .. })
    ));
    let b = parse_bundle("u", &bundle("2000.1", "kaspersky/zq")).unwrap();
    assert!(matches!(
        check_update("u", &base, b),
        Err(CacheError::Older { .. })
    ));
    let dangling =
        bundle("2099.1", "kaspersky/zq").replace("owner = \"kaspersky\"", "owner = \"nobody\"");
    let b = parse_bundle("u", &dangling).unwrap();
    assert!(matches!(
        check_update("u", &base, b),
        Err(CacheError::Db(_))
    ));
    let b = parse_bundle("u", &bundle("2099.1", "kaspersky/zq")).unwrap();
    let db = check_update("u", &base, b).unwrap();
    assert!(db.find("kaspersky/zq").is_some());
}

fn meta(text: &str) -> CacheMeta {
    CacheMeta::new("https://x/b.toml", text.as_bytes(), "v")
}

#[test]
fn install_replaces_the_current_version_and_leaves_nothing_behind() {
    let root = tempfile::tempdir().unwrap();
    let cache = Cache::new(root.path().join("c"));
    assert_eq!(cache.current(), None);
    let mut db = VendorDb::embedded().unwrap();
    assert_eq!(cache.load_onto(&mut db).unwrap(), CacheUse::Absent);

    let one = bundle("2099.1", "kaspersky/one");
    let dir = cache.install(one.as_bytes(), &meta(&one)).unwrap();
    assert_eq!(dir, cache.dir());
    let two = bundle("2099.2", "kaspersky/two");
    cache.install(two.as_bytes(), &meta(&two)).unwrap();

    assert_eq!(std::fs::read_to_string(dir.join(BUNDLE_FILE)).unwrap(), two);
    let m = read_meta(&dir).unwrap();
    assert_eq!(m.sha256, sha256_hex(two.as_bytes()));
    assert_eq!(m.schema, META_SCHEMA);
    let left: Vec<_> = std::fs::read_dir(cache.root())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        left,
        vec![OsString::from("vendor-db")],
        "no temp or previous dirs"
    );

    let mut db = VendorDb::embedded().unwrap();
    let CacheUse::Loaded(info) = cache.load_onto(&mut db).unwrap() else {
        panic!("the cache loads");
    };
    assert_eq!(info.version, "2099.2");
    assert_eq!(info.meta.unwrap().url, "https://x/b.toml");
    assert!(db.find("kaspersky/two").is_some());
    assert!(db.find("kaspersky/one").is_none());
    assert_eq!(db.version(), "2099.2");
}

#[test]
fn an_update_interrupted_between_its_renames_is_read_and_then_repaired() {
    let root = tempfile::tempdir().unwrap();
    let cache = Cache::new(root.path());
    let one = bundle("2099.1", "kaspersky/one");
    cache.install(one.as_bytes(), &meta(&one)).unwrap();
    // Crash after moving the current version aside.
    std::fs::rename(cache.dir(), root.path().join("vendor-db.previous")).unwrap();

    assert_eq!(
        cache.current(),
        Some(root.path().join("vendor-db.previous"))
    );
    let mut db = VendorDb::embedded().unwrap();
    assert!(matches!(cache.load_onto(&mut db), Ok(CacheUse::Loaded(_))));
    assert!(db.find("kaspersky/one").is_some());

    let two = bundle("2099.2", "kaspersky/two");
    cache.install(two.as_bytes(), &meta(&two)).unwrap();
    assert_eq!(cache.current(), Some(cache.dir()));
    assert!(!root.path().join("vendor-db.previous").exists());
    assert_eq!(
        std::fs::read_to_string(cache.dir().join(BUNDLE_FILE)).unwrap(),
        two
    );
}

#[test]
fn a_stale_cache_is_left_out_and_a_broken_one_names_its_directory() {
    let root = tempfile::tempdir().unwrap();
    let cache = Cache::new(root.path());
    let old = bundle("2000.1", "kaspersky/old");
    cache.install(old.as_bytes(), &meta(&old)).unwrap();
    let mut db = VendorDb::embedded().unwrap();
    let version = db.version().to_owned();
    let CacheUse::Stale {
        cache: info,
        db_version,
    } = cache.load_onto(&mut db).unwrap()
    else {
        panic!("an older bundle is stale");
    };
    assert_eq!(
        (info.version.as_str(), db_version.as_str()),
        ("2000.1", version.as_str())
    );
    assert!(db.find("kaspersky/old").is_none());

    std::fs::write(cache.dir().join(BUNDLE_FILE), "[[engine]\n").unwrap();
    let err = cache.load_onto(&mut db).unwrap_err();
    let CacheError::Broken(b) = &err else {
        panic!("broken: {err:?}");
    };
    assert_eq!(b.dir, cache.dir());
    assert!(err.to_string().contains("cannot be used"), "{err}");
    assert_eq!(
        err.code().map(|c| c.to_string()).as_deref(),
        Some("oemtrace::db::cache_broken")
    );
    assert!(
        err.labels().is_some_and(|mut l| l.next().is_some()),
        "points into the TOML"
    );

    // A bundle whose references dangle leaves the db as it was.
    let dangling =
        bundle("2099.1", "kaspersky/x").replace("owner = \"kaspersky\"", "owner = \"nobody\"");
    std::fs::write(cache.dir().join(BUNDLE_FILE), dangling).unwrap();
    let engines = db.engine_count();
    assert!(matches!(
        cache.load_onto(&mut db),
        Err(CacheError::Broken(_))
    ));
    assert_eq!(
        (db.engine_count(), db.version()),
        (engines, version.as_str())
    );
}
