//! `explain` and `--root`: paths to one component, per-product verdicts,
//! and exact counts beyond 2^64 end to end.

use assert_cmd::Command;
use serde_json::Value;

#[path = "../benches/support/lattice.rs"]
mod lattice;

use lattice::lattice;

fn oemtrace() -> Command {
    let mut cmd = Command::cargo_bin("oemtrace").expect("binary builds");
    // Never a real vendor-db update cache of this machine.
    cmd.env(
        "OEMTRACE_CACHE_DIR",
        concat!(env!("CARGO_TARGET_TMPDIR"), "/no-vendor-db-cache"),
    );
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

fn run(args: &[&str]) -> (i32, String) {
    let out = oemtrace().args(args).output().expect("runs");
    (
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout).expect("utf-8"),
    )
}

const ROUTER: &str = "fixtures/router-dpi-cyrillic-supplier.cdx.json";

#[test]
fn explain_prints_an_inverted_tree_of_every_path() {
    let (code, text) = run(&["explain", "--color", "never", ROUTER, "libflowinspect"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("explain-router", text);
}

#[test]
fn explain_limits_paths_but_counts_all() {
    let (code, text) = run(&[
        "explain",
        "--format",
        "json",
        "--limit",
        "1",
        ROUTER,
        "libflowinspect",
    ]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["schema"], "oemtrace.explain/v1");
    let e = &v["explanations"][0];
    assert_eq!(e["path_count"], 2);
    assert_eq!(e["paths"].as_array().unwrap().len(), 1);
    assert_eq!(e["truncated"], true);
    assert_eq!(e["matches"][0]["confidence"], "confirmed");
    let first = &e["paths"][0];
    assert_eq!(first[0]["name"], "Taigamark R-2200");
    assert_eq!(first[2]["name"], "libflowinspect");
}

#[test]
fn explain_selects_by_purl_and_fails_on_unknown_components() {
    let (code, text) = run(&[
        "explain",
        "--format",
        "json",
        "fixtures/android-app-purl-only.cdx.json",
        "pkg:maven/com.kavsdk/kavsdk",
    ]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["explanations"][0]["component"]["name"], "kavsdk");

    let (code, text) = run(&["explain", "--format", "json", ROUTER, "no-such-thing"]);
    assert_eq!(code, 2);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["errors"][0]["code"], "oemtrace::input::no_such_component");
}

#[test]
fn counts_beyond_two_to_the_64_are_exact_json_integers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lattice.cdx.json");
    std::fs::write(&path, lattice(64)).unwrap();
    let path = path.to_str().unwrap();

    let started = std::time::Instant::now();
    let (code, text) = run(&["audit", "--format", "json", path]);
    assert_eq!(code, 1);
    assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    // serde_json's Value would turn 2^64 into a float: check the raw text.
    assert!(
        text.contains("\"path_count\": 18446744073709551616"),
        "2^64 exactly: {}",
        &text[..text.len().min(2000)]
    );
    let (code, text) = run(&["explain", "--limit", "3", path, "sink"]);
    assert_eq!(code, 0);
    assert!(
        text.contains("18446744073709551616 paths in all; 3 shown"),
        "{text}"
    );
}

#[test]
fn root_selects_the_product_to_audit_from() {
    // From the web filter, the engine is reached only through it: one path.
    let (code, text) = run(&[
        "audit",
        "--format",
        "json",
        "--root",
        "tgm-webfilter",
        ROUTER,
    ]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&text).unwrap();
    let f = &v["findings"][0];
    assert_eq!(f["path"][0]["name"], "tgm-webfilter");
    assert_eq!(f["path_count"], 1);

    // From a leaf that reaches nothing flagged, the audit is clean.
    let (code, text) = run(&[
        "audit",
        "--format",
        "json",
        "--root",
        "pkg:generic/busybox",
        ROUTER,
    ]);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["findings"].as_array().map(Vec::len), Some(0), "{text}");
    assert_eq!(code, 0);

    let (code, _) = run(&["audit", "--root", "no-such-root", ROUTER]);
    assert_eq!(code, 2);
}

#[test]
fn several_products_get_their_own_verdicts() {
    let (code, text) = run(&[
        "audit",
        "--format",
        "json",
        "fixtures/nas-cpe-only.cdx.json",
        "fixtures/clean-product-with-decoys.cdx.json",
    ]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&text).unwrap();
    let roots = v["summary"]["roots"].as_array().unwrap();
    assert_eq!(roots.len(), 2);
    let root = |name: &str| {
        roots
            .iter()
            .find(|r| r["name"] == name)
            .unwrap_or_else(|| panic!("a root named {name}: {roots:?}"))
    };
    assert_eq!(root("Quillstone NAS OS")["confirmed"], 1);
    assert_eq!(root("Quillstone NAS OS")["exit_code"], 1);
    assert_eq!(root("Orchardine Ledger Console")["confirmed"], 0);
    assert_eq!(root("Orchardine Ledger Console")["exit_code"], 0);

    let (_, text) = run(&[
        "audit",
        "--color",
        "never",
        "fixtures/nas-cpe-only.cdx.json",
        "fixtures/clean-product-with-decoys.cdx.json",
    ]);
    assert!(text.contains("per product:"), "{text}");
    assert!(text.contains("Orchardine Ledger Console 3.4.0 (fixtures/clean-product-with-decoys.cdx.json): 0 confirmed, 0 likely, 0 possible: pass"), "{text}");
}
