//! Hostile graphs: duplicate bom-refs, self-loops, reference cycles,
//! dangling references, a 100,000-node ring and a path-count explosion.
//! Each must give a located diagnostic or a finite, correct answer, in
//! bounded time.

use std::time::Duration;

use oemtrace::report::Report;

use crate::shapes::{audit, report_diagnostics};
use crate::support::{line_col, read, within};

const SECOND: Duration = Duration::from_secs(1);
const ENGINE_PURL: &str = "pkg:generic/kaspersky/anti-virus-sdk@8.0";

/// A BOM with root `root`, `components` (JSON objects, one per line) and
/// `dependencies` (ref → dependsOn).
fn bom(components: &[String], dependencies: &[(&str, Vec<String>)]) -> String {
    let deps: Vec<String> = dependencies
        .iter()
        .map(|(from, to)| {
            let to: Vec<String> = to.iter().map(|t| format!("\"{t}\"")).collect();
            format!(
                "{{\"ref\": \"{from}\", \"dependsOn\": [{}]}}",
                to.join(", ")
            )
        })
        .collect();
    format!(
        "{{\n\"bomFormat\": \"CycloneDX\",\n\"specVersion\": \"1.6\",\n\
         \"metadata\": {{\"component\": {{\"bom-ref\": \"root\", \"name\": \"Product\"}}}},\n\
         \"components\": [\n{}\n],\n\"dependencies\": [\n{}\n]\n}}\n",
        components.join(",\n"),
        deps.join(",\n")
    )
}

fn plain(bom_ref: &str) -> String {
    format!("{{\"bom-ref\": \"{bom_ref}\", \"name\": \"{bom_ref}\"}}")
}

fn engine(bom_ref: &str) -> String {
    format!("{{\"bom-ref\": \"{bom_ref}\", \"name\": \"scan-core\", \"purl\": \"{ENGINE_PURL}\"}}")
}

fn run(limit: Duration, text: String) -> Report {
    let doc = read(limit, "graph.cdx.json", text.into_bytes()).expect("reads");
    within(limit, "audit", move || audit(vec![doc]))
}

/// The (path as bom-refs, path count) of the finding on bom-ref `on`.
fn finding(report: &Report, on: &str) -> (Vec<String>, u128, bool) {
    let f = report
        .findings
        .iter()
        .find(|f| f.component.bom_ref.as_deref() == Some(on))
        .unwrap_or_else(|| panic!("no finding on {on}"));
    let path = f
        .path
        .iter()
        .map(|h| h.bom_ref.clone().unwrap_or_default())
        .collect();
    (path, f.path_count, f.path_count_saturated)
}

#[test]
fn a_duplicate_bom_ref_is_located_and_resolves_to_the_first() {
    let text = bom(
        &[plain("dup"), engine("dup")],
        &[("root", vec!["dup".into()])],
    );
    let second = text
        .rfind("{\"bom-ref\": \"dup\"")
        .expect("second component");
    let report = run(SECOND * 10, text.clone());
    assert_eq!(
        report_diagnostics(&report, "duplicate-ref"),
        [line_col(&text, second)]
    );
    // The engine is still found, through the root's implicit `contains`.
    assert_eq!(report.findings.len(), 1);
}

#[test]
fn self_loops_do_not_loop() {
    let text = bom(
        &[plain("a"), engine("e")],
        &[
            ("root", vec!["root".into(), "a".into()]),
            ("a", vec!["a".into(), "e".into()]),
            ("e", vec!["e".into()]),
        ],
    );
    let report = run(SECOND * 10, text);
    assert_eq!(
        finding(&report, "e"),
        (vec!["root".into(), "a".into(), "e".into()], 1, false)
    );
}

#[test]
fn reference_cycles_give_finite_shortest_paths() {
    // root → a → b → c → a, and both b and c depend on the engine.
    let text = bom(
        &[plain("a"), plain("b"), plain("c"), engine("e")],
        &[
            ("root", vec!["a".into()]),
            ("a", vec!["b".into()]),
            ("b", vec!["c".into(), "e".into()]),
            ("c", vec!["a".into(), "e".into()]),
        ],
    );
    let report = run(SECOND * 10, text);
    let (path, count, saturated) = finding(&report, "e");
    assert_eq!(path, ["root", "a", "b", "e"]);
    // The cycle {a, b, c} is one node of the condensation: one path.
    assert_eq!((count, saturated), (1, false));
}

#[test]
fn dangling_references_are_each_located() {
    let text = bom(
        &[plain("a")],
        &[
            ("root", vec!["a".into(), "ghost-1".into()]),
            ("ghost-2", vec!["a".into()]),
        ],
    );
    let report = run(SECOND * 10, text.clone());
    let want: Vec<_> = ["\"ghost-1\"", "\"ghost-2\""]
        .iter()
        .map(|g| line_col(&text, text.find(g).expect("in the text")))
        .collect();
    assert_eq!(report_diagnostics(&report, "dangling-ref"), want);
}

#[test]
fn a_ring_of_100000_components_is_traced_in_bounded_time() {
    let n = 100_000;
    let mut components: Vec<String> = (0..n).map(|i| plain(&format!("n{i}"))).collect();
    components.push(engine("e"));
    let mut deps: Vec<(&str, Vec<String>)> = vec![("root", vec!["n0".into()])];
    let names: Vec<String> = (0..n).map(|i| format!("n{i}")).collect();
    for (i, name) in names.iter().enumerate() {
        let mut to = vec![format!("n{}", (i + 1) % n)];
        if i == n - 1 {
            to.push("e".into());
        }
        deps.push((name, to));
    }
    let report = run(SECOND * 120, bom(&components, &deps));
    let (path, count, _) = finding(&report, "e");
    assert_eq!(path.len(), n + 2);
    assert_eq!(count, 1);
}

#[test]
fn a_path_count_past_u128_saturates_and_says_so() {
    // 200 diamonds in a row: 2^200 paths from the root to the engine.
    let mut components = Vec::new();
    let mut deps: Vec<(String, Vec<String>)> = vec![("root".into(), vec!["j0".into()])];
    for i in 0..200 {
        for side in ["l", "r"] {
            components.push(plain(&format!("{side}{i}")));
            deps.push((format!("{side}{i}"), vec![format!("j{}", i + 1)]));
        }
        components.push(plain(&format!("j{i}")));
        deps.push((format!("j{i}"), vec![format!("l{i}"), format!("r{i}")]));
    }
    components.push(plain("j200"));
    components.push(engine("e"));
    deps.push(("j200".into(), vec!["e".into()]));
    let deps: Vec<(&str, Vec<String>)> =
        deps.iter().map(|(f, t)| (f.as_str(), t.clone())).collect();
    let report = run(SECOND * 30, bom(&components, &deps));
    let (path, count, saturated) = finding(&report, "e");
    assert_eq!(path.len(), 2 + 2 * 200 + 1);
    assert_eq!((count, saturated), (u128::MAX, true));
    let json = oemtrace::report::json::render(&report);
    assert!(
        json.contains(&u128::MAX.to_string()),
        "the count is an exact JSON integer"
    );
}

#[test]
fn hundreds_of_documents_sharing_one_identity_stay_linear() {
    // 400 documents whose products and every part carry one purl: each
    // part is the same software as every other document's product. The
    // roots one identity joins are bounded, so this is about 1.3 million
    // edges, not 32 million, and one warning says what was left out.
    let purl = "pkg:generic/acme/gateway@1";
    let docs: Vec<_> = (0..400)
        .map(|d| {
            let parts: Vec<String> = (0..200)
                .map(|i| format!("{{\"bom-ref\": \"p{i}\", \"name\": \"part{i}\", \"purl\": \"{purl}\"}}"))
                .collect();
            let text = format!(
                "{{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"serialNumber\": \"urn:uuid:{d:08}-0000-4000-8000-000000000000\",\n\
                 \"metadata\": {{\"component\": {{\"bom-ref\": \"root\", \"name\": \"gateway\", \"purl\": \"{purl}\"}}}},\n\
                 \"components\": [\n{}\n]}}\n",
                parts.join(",\n")
            );
            read(30 * SECOND, "shared-identity.cdx.json", text.into_bytes()).expect("reads")
        })
        .collect();
    let report = within(60 * SECOND, "audit", move || audit(docs));
    assert!(
        report.summary.edges <= 400 * 201 * 16 + 400 * 200,
        "{} edges",
        report.summary.edges
    );
    assert_eq!(
        report
            .diagnostics
            .iter()
            .filter(|d| d.code == "identity-ambiguous")
            .count(),
        1
    );
}
