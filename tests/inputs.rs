//! Inputs other than a plain file: directories, stdin and URLs (against a
//! real HTTP server this test starts on loopback), and the size cap.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::thread;

use assert_cmd::Command;
use serde_json::Value;

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

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).expect("one JSON document on stdout")
}

const NAS: &str = "fixtures/nas-cpe-only.cdx.json";

/// Serve each of `responses` (status line, body) to one connection, in order,
/// on a loopback port; returns the base URL.
fn serve(responses: Vec<(&'static str, Vec<u8>)>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || {
        for (status, body) in responses {
            let Ok((mut stream, _)) = listener.accept() else {
                return;
            };
            // Read the request head; the path does not matter here.
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    format!("http://{addr}")
}

#[test]
fn a_directory_is_searched_recursively_and_non_sboms_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("deep/er")).unwrap();
    std::fs::copy(NAS, dir.path().join("deep/er/nas.json")).unwrap();
    std::fs::copy(
        "fixtures/clean-product-with-decoys.cdx.json",
        dir.path().join("clean.cdx.json"),
    )
    .unwrap();
    std::fs::write(dir.path().join("README.txt"), "not an SBOM").unwrap();
    std::fs::write(dir.path().join("package.json"), r#"{"name": "x"}"#).unwrap();

    let out = oemtrace()
        .args(["audit", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    let inputs: Vec<_> = report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["document"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(inputs.len(), 2, "{inputs:?}");
    assert!(inputs[0].ends_with("clean.cdx.json"), "sorted: {inputs:?}");
    assert!(inputs[1].ends_with("nas.json"));

    // In human mode the skipped files are counted on stderr.
    let out = oemtrace()
        .args(["audit", "--color", "never"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("skipped 2 files that are not SBOMs"));
}

#[test]
fn a_broken_sbom_in_a_directory_is_still_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        "fixtures/malformed/truncated.cdx.json",
        dir.path().join("cut.json"),
    )
    .unwrap();
    std::fs::copy(NAS, dir.path().join("nas.json")).unwrap();
    let out = oemtrace().arg("audit").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn an_empty_directory_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = oemtrace().arg("audit").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no SBOM found"));
}

#[test]
fn stdin_is_read_with_a_dash() {
    let out = oemtrace()
        .args(["audit", "--format", "json", "-"])
        .pipe_stdin(NAS)
        .unwrap()
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    assert_eq!(report["inputs"][0]["document"], "<stdin>");
    assert_eq!(
        report["findings"][0]["evidence"][0]["location"]["document"],
        "<stdin>"
    );
}

#[test]
fn a_url_is_fetched_from_a_real_server() {
    let body = std::fs::read(NAS).unwrap();
    let base = serve(vec![("200 OK", body)]);
    let url = format!("{base}/sboms/nas.cdx.json");
    let out = oemtrace()
        .args(["audit", "--format", "json", &url])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json(&out);
    assert_eq!(report["inputs"][0]["document"], url.as_str());
    assert_eq!(report["summary"]["confirmed"], 1);
}

#[test]
fn a_failing_url_exits_2_naming_it() {
    let base = serve(vec![("404 Not Found", b"{}".to_vec())]);
    let url = format!("{base}/missing.json");
    let out = oemtrace()
        .args(["audit", "--format", "json", &url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let report = json(&out);
    assert_eq!(report["errors"][0]["document"], url.as_str());
    assert_eq!(report["errors"][0]["code"], "oemtrace::input::fetch");
    assert!(report["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("404"));
}

#[test]
fn inputs_over_the_size_cap_are_refused() {
    let out = oemtrace()
        .args(["audit", "--format", "json", "--max-input-size", "1K", NAS])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        json(&out)["errors"][0]["code"],
        "oemtrace::input::too_large"
    );

    let body = std::fs::read(NAS).unwrap();
    let base = serve(vec![("200 OK", body)]);
    let out = oemtrace()
        .args(["audit", "--format", "json", "--max-input-size", "1K", &base])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        json(&out)["errors"][0]["code"],
        "oemtrace::input::too_large"
    );

    let out = oemtrace()
        .args(["audit", "--format", "json", "--max-input-size", "1K", "-"])
        .pipe_stdin(NAS)
        .unwrap()
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_silent_server_times_out() {
    // Accept and never answer.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let _keep = thread::spawn(move || {
        let held: Vec<_> = listener.incoming().take(1).collect();
        thread::sleep(std::time::Duration::from_secs(5));
        drop(held);
    });
    let started = std::time::Instant::now();
    let out = oemtrace()
        .args(["audit", "--timeout", "1", &format!("http://{addr}/x.json")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        started.elapsed().as_secs() < 4,
        "took {:?}",
        started.elapsed()
    );
}

/// The NAS fixture with filler components appended until it is `size`
/// bytes or more: big enough to be mapped rather than read (4 MiB and
/// up, `src/commands/mapped.rs`), with the fixture's finding kept.
fn big_nas(size: usize) -> Vec<u8> {
    let mut doc: Value = serde_json::from_slice(&std::fs::read(NAS).unwrap()).unwrap();
    let components = doc["components"].as_array_mut().expect("components");
    let mut i = 0;
    let mut approx = 0;
    while approx < size {
        let filler = serde_json::json!({
            "type": "library",
            "bom-ref": format!("filler-{i}"),
            "name": format!("filler-library-{i}"),
            "version": "1.0.0",
            "purl": format!("pkg:generic/filler-library-{i}@1.0.0"),
        });
        approx += filler.to_string().len() + 8;
        components.push(filler);
        i += 1;
    }
    let bytes = serde_json::to_vec_pretty(&doc).unwrap();
    assert!(bytes.len() >= size);
    bytes
}

fn audit_both_ways(path: &std::path::Path) -> [std::process::Output; 2] {
    let run = |extra: &[&str]| {
        oemtrace()
            .args(["audit", "--format", "json"])
            .args(extra)
            .arg(path)
            .output()
            .unwrap()
    };
    [run(&[]), run(&["--no-mmap"])]
}

#[test]
fn a_big_file_audits_the_same_mapped_or_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.cdx.json");
    let mut bytes = big_nas(5 << 20);
    std::fs::write(&path, &bytes).unwrap();
    let [mapped, read] = audit_both_ways(&path);
    assert_eq!(mapped.status.code(), Some(1), "the NAS finding");
    assert_eq!(mapped.status.code(), read.status.code());
    assert!(mapped.stdout == read.stdout, "the reports differ");
    assert_eq!(json(&mapped)["findings"].as_array().unwrap().len(), 1);

    // A byte that is not UTF-8 near the end: the same error, at the same
    // place, whichever way the file came in.
    let at = bytes.len() - 200;
    let at = at + bytes[at..].iter().position(|&b| b == b'f').unwrap();
    bytes[at] = 0xFF;
    std::fs::write(&path, &bytes).unwrap();
    let [mapped, read] = audit_both_ways(&path);
    assert_eq!(mapped.status.code(), Some(2));
    assert_eq!(mapped.status.code(), read.status.code());
    assert!(mapped.stdout == read.stdout, "the error reports differ");
    let error = &json(&mapped)["errors"][0];
    assert_eq!(error["code"], "oemtrace::read::not_utf8");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains(&format!("offset {at}")),
        "{error}"
    );
}

/// A mapped input that another process truncates during the run is an
/// input that cannot be read: exit code 2 and an error naming it, not
/// death by `SIGBUS` (`src/commands/mapped/sigbus.rs`).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn a_mapped_file_truncated_during_the_run_is_an_error_naming_it() {
    use std::time::{Duration, Instant};

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shrinking.cdx.json");
    // Big enough that the audit (a debug build) is still reading it long
    // after the mapping shows in /proc.
    std::fs::write(&path, big_nas(24 << 20)).unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("oemtrace"))
        .args(["audit", "--format", "json"])
        .arg(&path)
        .env(
            "OEMTRACE_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/no-vendor-db-cache"),
        )
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let maps = format!("/proc/{}/maps", child.id());
    let shown = path.to_str().unwrap().to_owned();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !std::fs::read_to_string(&maps)
        .unwrap_or_default()
        .contains(&shown)
    {
        assert!(Instant::now() < deadline, "the file was never mapped");
        assert!(
            child.try_wait().unwrap().is_none(),
            "the audit ended before the file was mapped"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(0)
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(
        stderr.contains(&format!("{shown}: the file shrank while it was read")),
        "{stderr}"
    );
    assert!(stderr.contains("--no-mmap"), "{stderr}");
    // The contract's error document, as for any input that cannot be read.
    let report = json(&out);
    assert_eq!(report["errors"][0]["code"], "oemtrace::input::shrank");
    assert_eq!(report["errors"][0]["document"], shown.as_str());
    assert_eq!(report["summary"]["exit_code"], 2);
    assert!(report.get("findings").is_none());
}
