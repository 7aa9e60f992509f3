//! `oemtrace db`: list, show, stats and validate on the embedded db, and
//! `db update` against a real HTTP server this test starts on loopback.
//! Every run points the cache at a temporary directory (never the real
//! home), through `OEMTRACE_CACHE_DIR`.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::thread;

use assert_cmd::Command;
use oemtrace::vendordb::cache::sha256_hex;
use serde_json::Value;

/// The binary, run from the repository root with its cache in `cache`.
fn oemtrace(cache: &Path) -> Command {
    let mut cmd = Command::cargo_bin("oemtrace").expect("binary builds");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("OEMTRACE_CACHE_DIR", cache)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "200");
    cmd
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("one JSON document on stdout ({e}):\n{}", self.stdout))
    }
}

fn run(cache: &Path, args: &[&str]) -> Run {
    let out = oemtrace(cache).args(args).output().expect("runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A response the test server gives one connection.
struct Reply {
    status: &'static str,
    body: Vec<u8>,
    /// Announce the length; without it the body runs until the connection
    /// closes, so only the streaming size cap can stop it.
    length: bool,
}

fn ok(body: impl Into<Vec<u8>>) -> Reply {
    Reply {
        status: "200 OK",
        body: body.into(),
        length: true,
    }
}

/// Serves each reply to one connection, in order, on a loopback port;
/// returns the base URL.
fn serve(replies: Vec<Reply>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let addr = listener.local_addr().expect("address");
    thread::spawn(move || {
        for reply in replies {
            let Ok((mut stream, _)) = listener.accept() else {
                return;
            };
            let Ok(read_half) = stream.try_clone() else {
                return;
            };
            let mut reader = BufReader::new(read_half);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let length = if reply.length {
                format!("Content-Length: {}\r\n", reply.body.len())
            } else {
                String::new()
            };
            let head = format!(
                "HTTP/1.1 {}\r\nContent-Type: application/toml\r\n{length}Connection: close\r\n\r\n",
                reply.status
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&reply.body);
        }
    });
    format!("http://{addr}")
}

/// A bundle: a made-up engine whose alias only this bundle knows.
fn bundle(version: &str, alias: &str) -> String {
    format!(
        r#"# A vendor-db update for tests.
[db]
version = "{version}"

[[engine]]
id = "kaspersky/zq-frobnicator"
name = "ZQ Frobnicator"
category = "engine"
owner = "kaspersky"
sources = [{{ url = "https://example.invalid/zq", grade = "A", quote = "the ZQ frobnicator is a Kaspersky engine" }}]

[[engine.ids]]
kind = "name"
values = ["{alias}"]
sources = [{{ url = "https://example.invalid/zq", grade = "A", quote = "{alias}" }}]
"#
    )
}

const ALIAS: &str = "zq-frobnicator-core";

/// An SBOM whose only component is called `name`.
fn sbom(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join("product.cdx.json");
    std::fs::write(
        &path,
        format!(
            r#"{{"bomFormat":"CycloneDX","specVersion":"1.5","metadata":{{"component":{{"bom-ref":"p","name":"Appliance"}}}},
                "components":[{{"bom-ref":"x","name":"{name}","version":"1.0"}}]}}"#
        ),
    )
    .expect("write SBOM");
    path
}

fn update(cache: &Path, url: &str, sha256: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "db", "update", "--format", "json", "--url", url, "--sha256", sha256,
    ];
    args.extend_from_slice(extra);
    run(cache, &args)
}

/// Everything in the cache root, sorted: an update leaves exactly
/// `vendor-db` behind (no temporary or previous directory).
fn cache_entries(cache: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(cache)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn cached_bundle(cache: &Path) -> String {
    std::fs::read_to_string(cache.join("vendor-db/bundle.toml")).expect("cached bundle")
}

// ---------------------------------------------------------------- list, show, stats

#[test]
fn list_prints_one_line_per_record_and_filters_by_kind() {
    let cache = tempfile::tempdir().unwrap();
    let all = run(cache.path(), &["db", "list"]);
    assert_eq!(all.code, 0, "{}", all.stderr);
    let mut lines = all.stdout.lines();
    assert!(lines.next().unwrap().starts_with("KIND"));
    let junos = all
        .stdout
        .lines()
        .find(|l| l.contains("juniper/junos-os"))
        .expect("a product line");
    assert!(junos.starts_with("product"), "{junos}");
    assert!(
        junos.contains("embeds → kaspersky/anti-virus-engine, versions >=9.5, <15.1X49-D10"),
        "{junos}"
    );
    assert!(junos.contains("embedded"), "{junos}");

    let json = run(cache.path(), &["db", "list", "--format", "json"]).json();
    assert_eq!(json["schema"], "oemtrace.db-list/v1");
    let records = json["records"].as_array().unwrap();
    let footer = all.stdout.lines().last().unwrap();
    assert!(
        footer.starts_with(&format!("{} records;", records.len())),
        "{footer}"
    );
    let junos = records
        .iter()
        .find(|r| r["id"] == "juniper/junos-os")
        .unwrap();
    assert_eq!(junos["relation"], "embeds");
    assert_eq!(junos["engine"], "kaspersky/anti-virus-engine");
    assert_eq!(junos["origin"]["kind"], "embedded");

    let products = run(
        cache.path(),
        &[
            "db", "list", "--kind", "product", "--kind", "program", "--format", "json",
        ],
    )
    .json();
    let kinds: Vec<&str> = products["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"product") && kinds.contains(&"program"));
    assert!(kinds.iter().all(|k| *k == "product" || *k == "program"));
    let expected = records
        .iter()
        .filter(|r| r["kind"] == "product" || r["kind"] == "program")
        .count();
    assert_eq!(kinds.len(), expected);
}

/// The 1-based line of the first line of `text` that starts with `prefix`.
fn line_of(text: &str, prefix: &str) -> usize {
    text.lines().position(|l| l.starts_with(prefix)).unwrap() + 1
}

#[test]
fn show_prints_a_whole_record_with_its_place_in_the_toml() {
    let cache = tempfile::tempdir().unwrap();
    let engines = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("vendor-db/engines.toml"),
    )
    .unwrap();
    // The record starts at its `[[engine]]` header, the line above its id.
    let line = line_of(&engines, "id = \"kaspersky/anti-virus-sdk\"") - 1;

    let human = run(cache.path(), &["db", "show", "kaspersky/anti-virus-sdk"]);
    assert_eq!(human.code, 0, "{}", human.stderr);
    assert!(human
        .stdout
        .starts_with("engine kaspersky/anti-virus-sdk: Kaspersky Anti-Virus SDK\n"));
    assert!(human
        .stdout
        .contains(&format!("location    vendor-db/engines.toml:{line}\n")));
    assert!(human.stdout.contains("category    sdk"));
    // The TOML record, as a snippet with line numbers.
    assert!(
        human.stdout.contains(&format!("{line} │ ╭─▶ [[engine]]")),
        "{}",
        human.stdout
    );

    let json = run(
        cache.path(),
        &["db", "show", "kaspersky/anti-virus-sdk", "--format", "json"],
    )
    .json();
    assert_eq!(json["schema"], "oemtrace.db-show/v1");
    assert_eq!(json["kind"], "engine");
    assert_eq!(json["owner"], "kaspersky");
    assert_eq!(json["category"], "sdk");
    assert_eq!(json["location"]["file"], "vendor-db/engines.toml");
    assert_eq!(json["location"]["line"], line);
    assert!(json["record"]
        .as_str()
        .unwrap()
        .starts_with("[[engine]]\nid = \"kaspersky/anti-virus-sdk\""));
    assert!(!json["identifiers"].as_array().unwrap().is_empty());
    assert!(json["sources"][0]["quote"].as_str().is_some());
    assert!(json["programs"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["id"] == "icts-2024-kaspersky"));

    let product = run(
        cache.path(),
        &["db", "show", "juniper/junos-os", "--format", "json"],
    )
    .json();
    assert_eq!(product["relation"], "embeds");
    assert_eq!(product["engine"]["id"], "kaspersky/anti-virus-engine");
    assert_eq!(product["versions"], ">=9.5, <15.1X49-D10");
    assert_eq!(product["vendor"], "Juniper Networks");

    let program = run(
        cache.path(),
        &["db", "show", "icts-2024-kaspersky", "--format", "json"],
    )
    .json();
    assert_eq!(program["kind"], "program");
    assert_eq!(program["program"]["effective"], "2024-07-20");
    assert_eq!(program["program"]["reaches_embedded"], true);
    assert!(program["program"]["dates"].as_array().unwrap().len() >= 2);
}

#[test]
fn show_of_an_unknown_id_exits_2_and_suggests_close_ids() {
    let cache = tempfile::tempdir().unwrap();
    let r = run(cache.path(), &["db", "show", "junos"]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr.contains("no vendor-db record has the id `junos`"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("`juniper/junos-os`"), "{}", r.stderr);

    let r = run(
        cache.path(),
        &["db", "show", "Kaspersky/Anti-Virus-SDX", "--format", "json"],
    );
    assert_eq!(r.code, 2);
    let json = r.json();
    assert_eq!(json["errors"][0]["code"], "oemtrace::db::unknown_id");
    assert!(
        r.stderr.contains("`kaspersky/anti-virus-sdk`"),
        "{}",
        r.stderr
    );
}

#[test]
fn stats_count_the_db_in_both_formats() {
    let cache = tempfile::tempdir().unwrap();
    let json = run(cache.path(), &["db", "stats", "--format", "json"]).json();
    assert_eq!(json["schema"], "oemtrace.db-stats/v1");
    let list = run(cache.path(), &["db", "list", "--format", "json"]).json();
    let records = list["records"].as_array().unwrap();
    let n = |key: &str| json[key].as_u64().unwrap();
    let count = |kind: &str| records.iter().filter(|r| r["kind"] == kind).count() as u64;
    assert_eq!(n("entities"), count("entity"));
    assert_eq!(n("engines"), count("engine"));
    assert_eq!(n("products"), count("product"));
    assert_eq!(n("programs"), count("program"));
    assert_eq!(json["by_origin"]["embedded"], records.len());
    assert_eq!(json["version"], list["db"]["version"]);
    assert_eq!(json["cache"], Value::Null);
    let by_grade: u64 = json["by_grade"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(by_grade, records.len() as u64);

    let human = run(cache.path(), &["db", "stats"]);
    assert_eq!(human.code, 0);
    assert!(human.stdout.starts_with(&format!(
        "vendor db {}\n",
        json["version"].as_str().unwrap()
    )));
    assert!(human
        .stdout
        .contains(&format!("records      {}:", records.len())));
    assert!(human.stdout.contains("programs     icts-2024-kaspersky"));
}

// ---------------------------------------------------------------- validate

#[test]
fn the_embedded_db_validates() {
    let cache = tempfile::tempdir().unwrap();
    let human = run(cache.path(), &["db", "validate"]);
    assert_eq!(human.code, 0, "{}", human.stdout);
    assert!(human.stdout.contains("vendor db valid:"));
    let json = run(cache.path(), &["db", "validate", "--format", "json"]).json();
    assert_eq!(json["valid"], true);
    assert_eq!(json["errors"].as_array().unwrap().len(), 0);
    assert_eq!(json["layers"][0]["kind"], "embedded");
}

#[test]
fn a_broken_overlay_is_invalid_and_each_error_points_at_its_line() {
    let cache = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    // Line 7: a grade that does not ship.
    std::fs::write(
        dir.path().join("a-grade.toml"),
        "# ours\n\n[[engine]]\nid = \"kaspersky/ours\"\nname = \"Ours\"\ncategory = \"engine\"\nsources = [{ url = \"https://x.invalid\", grade = \"C\", quote = \"q\" }]\nowner = \"kaspersky\"\n",
    )
    .unwrap();
    // Line 2: not TOML.
    std::fs::write(dir.path().join("b-syntax.toml"), "[[engine]]\nid = \n").unwrap();
    let path = dir.path().to_str().unwrap();

    let r = run(cache.path(), &["db", "validate", path, "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let json = r.json();
    assert_eq!(json["valid"], false);
    let errors = json["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "one per broken file: {errors:#?}");
    assert_eq!(errors[0]["code"], "oemtrace::db::bad_grade");
    assert_eq!(errors[0]["line"], 7);
    assert!(errors[0]["document"]
        .as_str()
        .unwrap()
        .ends_with("a-grade.toml"));
    assert_eq!(errors[1]["code"], "oemtrace::db::parse");
    assert_eq!(errors[1]["line"], 2);

    let human = run(cache.path(), &["db", "validate", path]);
    assert_eq!(human.code, 1);
    assert!(human.stdout.contains("a-grade.toml:7:"), "{}", human.stdout);
    assert!(human.stdout.contains("vendor db invalid: 2 errors"));

    // A reference to nothing is found once the files merge: line 5.
    let dangling = dir.path().join("dangling.toml");
    std::fs::write(
        &dangling,
        "[[engine]]\nid = \"kaspersky/ours\"\nname = \"Ours\"\ncategory = \"engine\"\nowner = \"nobody\"\nsources = [{ url = \"https://x.invalid\", grade = \"A\", quote = \"q\" }]\n",
    )
    .unwrap();
    let json = run(
        cache.path(),
        &[
            "db",
            "validate",
            dangling.to_str().unwrap(),
            "--format",
            "json",
        ],
    )
    .json();
    assert_eq!(json["errors"][0]["code"], "oemtrace::db::unknown_reference");
    assert_eq!(json["errors"][0]["line"], 5);
    // Alone, without the embedded db, nothing owns it either; exit 1.
    let r = run(
        cache.path(),
        &[
            "db",
            "validate",
            "--no-default-db",
            dangling.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 1);

    // A path that cannot be read is exit 2.
    let r = run(cache.path(), &["db", "validate", "no/such/db.toml"]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.contains("oemtrace::db::io"), "{}", r.stdout);
}

// ---------------------------------------------------------------- update

#[test]
fn an_update_is_cached_and_later_audits_use_it() {
    let cache = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let body = bundle("2099.1.0", ALIAS);
    let sha = sha256_hex(body.as_bytes());
    let base = serve(vec![ok(body.clone())]);
    let url = format!("{base}/vendor-db-2099.1.0.toml");

    let r = update(cache.path(), &url, &sha.to_uppercase(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let json = r.json();
    assert_eq!(json["schema"], "oemtrace.db-update/v1");
    assert_eq!(json["meta"]["url"], url.as_str());
    assert_eq!(json["meta"]["sha256"], sha.as_str());
    assert_eq!(json["meta"]["db_version"], "2099.1.0");
    assert_eq!(json["previous"], Value::Null);
    assert_eq!(cached_bundle(cache.path()), body);
    let meta: Value = serde_json::from_str(
        &std::fs::read_to_string(cache.path().join("vendor-db/meta.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(meta["schema"], "oemtrace.db-cache/v1");
    assert_eq!(meta["sha256"], sha.as_str());
    assert!(meta["fetched_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(cache_entries(cache.path()), vec!["vendor-db"]);

    // An audit now knows the alias only the bundle has.
    let product = sbom(work.path(), ALIAS);
    let product = product.to_str().unwrap();
    let r = run(cache.path(), &["audit", "--format", "json", product]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let report = r.json();
    assert_eq!(
        report["findings"][0]["target"]["id"],
        "kaspersky/zq-frobnicator"
    );
    assert_eq!(report["db"]["version"], "2099.1.0");

    // --no-cache-db leaves the update out.
    let r = run(
        cache.path(),
        &["audit", "--format", "json", "--no-cache-db", product],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["findings"].as_array().unwrap().len(), 0);

    // So does another cache directory, and --cache-dir picks one explicitly.
    let empty = tempfile::tempdir().unwrap();
    assert_eq!(run(empty.path(), &["audit", product]).code, 0);
    let r = run(
        empty.path(),
        &[
            "audit",
            "--cache-dir",
            cache.path().to_str().unwrap(),
            product,
        ],
    );
    assert_eq!(r.code, 1);

    // The db subcommands see it too, and name it.
    let list = run(cache.path(), &["db", "list", "--kind", "engine"]);
    let line = list
        .stdout
        .lines()
        .find(|l| l.contains("kaspersky/zq-frobnicator"))
        .expect("listed");
    assert!(line.contains(" cache "), "{line}");
    let stats = run(cache.path(), &["db", "stats", "--format", "json"]).json();
    assert_eq!(stats["version"], "2099.1.0");
    assert_eq!(stats["cache"]["version"], "2099.1.0");
    assert_eq!(stats["cache"]["meta"]["url"], url.as_str());
    let validate = run(cache.path(), &["db", "validate", "--format", "json"]).json();
    assert_eq!(validate["layers"][1]["kind"], "cache");
    assert_eq!(validate["valid"], true);
}

#[test]
fn a_checksum_mismatch_replaces_nothing() {
    let cache = tempfile::tempdir().unwrap();
    let one = bundle("2099.1.0", ALIAS);
    let two = bundle("2099.2.0", "zq-other");
    let base = serve(vec![ok(one.clone()), ok(two.clone())]);
    assert_eq!(
        update(cache.path(), &base, &sha256_hex(one.as_bytes()), &[]).code,
        0
    );
    let meta_before = std::fs::read(cache.path().join("vendor-db/meta.json")).unwrap();

    // The server now hands out `two`, but `one`'s checksum is pinned.
    let r = update(cache.path(), &base, &sha256_hex(one.as_bytes()), &[]);
    assert_eq!(r.code, 2);
    let json = r.json();
    assert_eq!(json["errors"][0]["code"], "oemtrace::db::checksum");
    assert!(json["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains(&sha256_hex(two.as_bytes())));
    assert_eq!(cached_bundle(cache.path()), one);
    assert_eq!(
        std::fs::read(cache.path().join("vendor-db/meta.json")).unwrap(),
        meta_before
    );
    assert_eq!(cache_entries(cache.path()), vec!["vendor-db"]);
}

#[test]
fn a_failed_download_exits_2_and_creates_nothing() {
    let cache = tempfile::tempdir().unwrap();
    let root = cache.path().join("fresh");
    let base = serve(vec![Reply {
        status: "404 Not Found",
        body: b"gone".to_vec(),
        length: true,
    }]);
    let r = update(
        &root,
        &format!("{base}/missing.toml"),
        &sha256_hex(b"x"),
        &[],
    );
    assert_eq!(r.code, 2);
    let json = r.json();
    assert_eq!(json["errors"][0]["code"], "oemtrace::db::fetch");
    assert!(json["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("404"));
    assert!(!root.exists(), "no cache directory was created");
}

#[test]
fn an_oversized_bundle_is_refused_announced_or_streamed() {
    let cache = tempfile::tempdir().unwrap();
    let body = bundle("2099.1.0", ALIAS);
    assert!(body.len() > 256);
    let sha = sha256_hex(body.as_bytes());
    let base = serve(vec![
        ok(body.clone()),
        Reply {
            status: "200 OK",
            body: body.clone().into_bytes(),
            length: false,
        },
    ]);
    for _ in 0..2 {
        let r = update(cache.path(), &base, &sha, &["--max-size", "256"]);
        assert_eq!(r.code, 2, "{}", r.stdout);
        assert_eq!(r.json()["errors"][0]["code"], "oemtrace::db::too_large");
    }
    assert_eq!(cache_entries(cache.path()), Vec::<String>::new());
}

#[test]
fn a_bundle_that_does_not_validate_leaves_the_previous_version_intact() {
    let cache = tempfile::tempdir().unwrap();
    let one = bundle("2099.1.0", ALIAS);
    let two = bundle("2099.2.0", "zq-two");
    // Line 9 of the bundle names an owner that does not exist.
    let dangling =
        bundle("2099.3.0", "zq-three").replace("owner = \"kaspersky\"", "owner = \"nobody\"");
    let unversioned = bundle("x", "zq-four").replace("[db]\nversion = \"x\"\n", "");
    let older = bundle("2000.1.0", "zq-five");
    let not_utf8 = b"[db]\nversion = \"2099.9\"\n\xff\n".to_vec();
    let base = serve(vec![
        ok(one.clone()),
        ok(two.clone()),
        ok(dangling.clone()),
        ok(unversioned.clone()),
        ok(older.clone()),
        ok(not_utf8.clone()),
    ]);
    let url = format!("{base}/bundle.toml");
    assert_eq!(
        update(cache.path(), &url, &sha256_hex(one.as_bytes()), &[]).code,
        0
    );

    // A second good version replaces the first, leaving nothing else.
    let r = update(cache.path(), &url, &sha256_hex(two.as_bytes()), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["previous"]["db_version"], "2099.1.0");
    assert_eq!(cached_bundle(cache.path()), two);
    assert_eq!(cache_entries(cache.path()), vec!["vendor-db"]);

    let r = update(cache.path(), &url, &sha256_hex(dangling.as_bytes()), &[]);
    assert_eq!(r.code, 2);
    let error = &r.json()["errors"][0];
    assert_eq!(error["code"], "oemtrace::db::unknown_reference");
    assert_eq!(error["document"], url.as_str());
    assert_eq!(error["line"], 9);
    assert!(r.stderr.contains(&format!("{url}:9:")), "{}", r.stderr);

    for (body, code) in [
        (unversioned.as_bytes(), "oemtrace::db::bundle_version"),
        (older.as_bytes(), "oemtrace::db::bundle_older"),
        (not_utf8.as_slice(), "oemtrace::db::bundle_encoding"),
    ] {
        let r = update(cache.path(), &url, &sha256_hex(body), &[]);
        assert_eq!(r.code, 2);
        assert_eq!(r.json()["errors"][0]["code"], code);
    }
    assert_eq!(cached_bundle(cache.path()), two, "the good version stays");
    assert_eq!(cache_entries(cache.path()), vec!["vendor-db"]);
}

#[test]
fn bad_update_arguments_are_usage_errors() {
    let cache = tempfile::tempdir().unwrap();
    for args in [
        &[
            "db",
            "update",
            "--url",
            "https://x.invalid/b.toml",
            "--sha256",
            "abc",
        ][..],
        &[
            "db",
            "update",
            "--url",
            "ftp://x.invalid/b.toml",
            "--sha256",
            &"0".repeat(64),
        ][..],
        &["db", "update", "--sha256", &"0".repeat(64)][..],
    ] {
        let r = run(cache.path(), args);
        assert_eq!(r.code, 2, "{args:?}");
    }
    assert_eq!(cache_entries(cache.path()), Vec::<String>::new());

    // Nothing names a cache directory: said before anything is fetched.
    let out = Command::cargo_bin("oemtrace")
        .unwrap()
        .env_remove("OEMTRACE_CACHE_DIR")
        .env_remove("XDG_CACHE_HOME")
        .env_remove("HOME")
        .args([
            "db",
            "update",
            "--format",
            "json",
            "--url",
            "http://127.0.0.1:9/b.toml",
        ])
        .args(["--sha256", &"0".repeat(64)])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["errors"][0]["code"], "oemtrace::db::cache_location");
}

#[test]
fn a_broken_cache_is_an_error_naming_it_and_a_stale_one_is_left_out() {
    let cache = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let product = sbom(work.path(), ALIAS);
    let product = product.to_str().unwrap();
    let dir = cache.path().join("vendor-db");
    std::fs::create_dir_all(&dir).unwrap();

    std::fs::write(dir.join("bundle.toml"), "[db]\nversion = \n").unwrap();
    let r = run(cache.path(), &["audit", product]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("oemtrace::db::cache_broken"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(&dir.display().to_string()),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("--no-cache-db"), "{}", r.stderr);
    assert!(
        r.stderr.contains("bundle.toml:2:"),
        "points into the TOML: {}",
        r.stderr
    );
    let json = run(cache.path(), &["audit", "--format", "json", product]).json();
    assert_eq!(json["errors"][0]["code"], "oemtrace::db::cache_broken");
    assert_eq!(json["errors"][0]["line"], 2);
    assert_eq!(
        run(cache.path(), &["audit", "--no-cache-db", product]).code,
        0
    );
    // db validate reports it as an invalid layer.
    let v = run(cache.path(), &["db", "validate", "--format", "json"]);
    assert_eq!(v.code, 1);
    assert_eq!(v.json()["layers"][1]["status"], "invalid");

    // An update older than the embedded db (oemtrace was upgraded since) is
    // left out with a note, so it cannot shadow newer embedded records.
    std::fs::write(dir.join("bundle.toml"), bundle("2000.1.0", ALIAS)).unwrap();
    let r = run(cache.path(), &["audit", product]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("left out the cached vendor db 2000.1.0"),
        "{}",
        r.stderr
    );
}

#[test]
fn db_help_texts_match_snapshots() {
    let cache = tempfile::tempdir().unwrap();
    for sub in ["", "list", "show", "validate", "stats", "update"] {
        let mut args = vec!["db"];
        if !sub.is_empty() {
            args.push(sub);
        }
        args.push("--help");
        let out = oemtrace(cache.path())
            .env("COLUMNS", "100")
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8(out.stdout).unwrap();
        insta::assert_snapshot!(format!("help-{}", args.join("-")), text);
    }
}
