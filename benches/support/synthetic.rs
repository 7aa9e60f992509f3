//! A deterministic synthetic SBOM, big enough to measure the audit on:
//! the generator behind `examples/gen-sbom.rs` and the benchmarks.
//!
//! The same arguments always give the same bytes (a splitmix64 generator,
//! no `rand`). The BOM makes the audit do real work:
//!
//! - a realistic mix of fields: purls of several ecosystems, licence ids
//!   and expressions, SHA-256 hashes, a supplier on some components,
//!   external references, descriptions, copyright lines, a few escaped
//!   strings and some Cyrillic;
//! - CycloneDX nesting (`components` inside a component, up to three
//!   levels), written as `CONTAINS` relationships in SPDX, so that both
//!   formats describe the same graph;
//! - `edges-per-component` dependency edges per component, mostly forward
//!   (towards later components) with about one in a hundred backwards, so
//!   the graph has cycles;
//! - planted engines, identified in turn by the owner's legal name as
//!   supplier ("AO Kaspersky Lab", once in Cyrillic), by the owner's CPE
//!   (`cpe:2.3:a:kaspersky:kaspersky_anti-virus:…`) and by a purl in the
//!   owner's namespace (`pkg:generic/kaspersky/…`);
//! - decoys that must not become strong findings ("Kasper Systems GmbH"
//!   as supplier of `kasper-client`, "Casper Labs" as author).
//!
//! The planted engines are the only confirmed findings, so an audit of
//! the output exits 1.

use std::fmt::Write as _;
use std::io::{self, BufWriter, Write};

/// The two JSON formats the generator writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavour {
    Cyclonedx,
    Spdx,
}

/// Writes the SBOM for `components` components with about
/// `edges_per_component` dependency edges each, from `seed`.
pub fn write(
    components: usize,
    edges_per_component: usize,
    flavour: Flavour,
    seed: u64,
    out: impl Write,
) -> io::Result<()> {
    let plan = Plan::new(components, edges_per_component, seed);
    let mut w = BufWriter::with_capacity(1 << 20, out);
    match flavour {
        Flavour::Cyclonedx => cyclonedx(&plan, &mut w)?,
        Flavour::Spdx => spdx(&plan, &mut w)?,
    }
    w.flush()
}

/// [`write`] into memory.
pub fn generate(
    components: usize,
    edges_per_component: usize,
    flavour: Flavour,
    seed: u64,
) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write(components, edges_per_component, flavour, seed, &mut out);
    out
}

// ---- the random source ------------------------------------------------------

/// splitmix64 (Steele, Lea, Flood 2014): tiny, fast, and good enough to
/// make test data look random.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0); the modulo bias is irrelevant here.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// True with probability `percent` / 100.
    fn percent(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items.get(self.below(items.len())).copied().unwrap_or("")
    }
}

// ---- the plan: everything decided before writing --------------------------

/// What is planted in a component.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Plant {
    None,
    /// Supplier "AO Kaspersky Lab" (or its Russian name).
    SupplierName {
        cyrillic: bool,
    },
    /// The owner's CPE vendor and product.
    Cpe,
    /// A purl in the owner's generic namespace.
    Purl,
    /// Supplier "Kasper Systems GmbH" on `kasper-client`.
    DecoyKasper,
    /// Author "Casper Labs".
    DecoyCasper,
}

/// One component, decided.
struct Comp {
    name: String,
    version: String,
    purl: String,
    plant: Plant,
    /// Nested components (indexes), written inside this one.
    children: Vec<usize>,
    /// Dependency targets (indexes).
    depends_on: Vec<usize>,
    has_hash: bool,
    license: Option<&'static str>,
    supplier: Option<&'static str>,
    reference: bool,
    description: bool,
    copyright: bool,
    hash_seed: u64,
}

struct Plan {
    seed: u64,
    comps: Vec<Comp>,
    /// Top-level components (the rest are nested in these).
    top: Vec<usize>,
    /// What the product root depends on directly.
    root_deps: Vec<usize>,
}

const WORDS: &[&str] = &[
    "alder", "basalt", "cinder", "delta", "ember", "fjord", "garnet", "harbor", "iris", "juniper",
    "kelp", "lumen", "mistral", "nimbus", "onyx", "pylon", "quartz", "rivet", "sable", "tundra",
    "umber", "vortex", "willow", "xenon", "yarrow", "zephyr", "core", "util", "net", "io", "json",
    "http", "crypto", "log", "cache", "proto", "codec", "parse", "stream", "sync",
];
const ECOSYSTEMS: &[&str] = &["npm", "maven", "pypi", "golang", "cargo", "deb", "generic"];
const LICENSES: &[&str] = &[
    "MIT",
    "Apache-2.0",
    "BSD-3-Clause",
    "GPL-2.0-only",
    "LGPL-2.1-or-later",
    "MPL-2.0",
    "ISC",
    "MIT OR Apache-2.0",
];
const SUPPLIERS: &[&str] = &[
    "Larchfield Systems",
    "Orchardine Labs",
    "Quillstone Data GmbH",
    "Frostmere Networks Ltd",
    "Taigamark Networks",
    "Pebblecrest Software Inc.",
    "Nimbalt \\\"Security\\\" AB",
];

impl Plan {
    fn new(n: usize, degree: usize, seed: u64) -> Plan {
        let mut rng = SplitMix(seed ^ 0x6f65_6d74_7261_6365);
        // About one planted engine and one decoy per 4,000 components, at
        // least three of each, spread evenly.
        let planted = (n / 4000).max(3).min(n / 2);
        let stride = (n / planted.max(1)).max(1);
        let mut comps: Vec<Comp> = (0..n)
            .map(|i| {
                let plant = if i % stride == stride / 3 {
                    match (i / stride) % 4 {
                        0 => Plant::SupplierName { cyrillic: false },
                        1 => Plant::Cpe,
                        2 => Plant::Purl,
                        _ => Plant::SupplierName { cyrillic: true },
                    }
                } else if i % stride == (2 * stride) / 3 {
                    if (i / stride) % 2 == 0 {
                        Plant::DecoyKasper
                    } else {
                        Plant::DecoyCasper
                    }
                } else {
                    Plant::None
                };
                Comp::new(i, plant, &mut rng)
            })
            .collect();

        // Nesting: about one top-level component in twenty nests the next
        // one to four, which may nest in turn (three levels at most).
        let mut top = Vec::new();
        let mut next = 0;
        while next < n {
            top.push(next);
            next = nest(&mut comps, next, 1, &mut rng);
        }

        // Dependencies: mostly forward (near or anywhere), some backward.
        for i in 0..n {
            let mut targets = Vec::with_capacity(degree);
            for _ in 0..degree {
                let j = if i + 1 >= n || rng.percent(1) {
                    rng.below(n)
                } else if rng.percent(70) {
                    i + 1 + rng.below((n - i - 1).min(1000))
                } else {
                    i + 1 + rng.below(n - i - 1)
                };
                if j != i && !targets.contains(&j) {
                    targets.push(j);
                }
            }
            if let Some(c) = comps.get_mut(i) {
                c.depends_on = targets;
            }
        }
        let root_deps = top.iter().copied().take(16).collect();
        Plan {
            seed,
            comps,
            top,
            root_deps,
        }
    }

    fn comp(&self, i: usize) -> &Comp {
        &self.comps[i]
    }
}

/// Gives component `i` nested children (maybe), returns the next index
/// after it and everything nested in it.
fn nest(comps: &mut [Comp], i: usize, depth: usize, rng: &mut SplitMix) -> usize {
    let mut next = i + 1;
    if depth < 3 && rng.percent(5) {
        let count = 1 + rng.below(4);
        for _ in 0..count {
            if next >= comps.len() {
                break;
            }
            let child = next;
            if let Some(c) = comps.get_mut(i) {
                c.children.push(child);
            }
            next = nest(comps, child, depth + 1, rng);
        }
    }
    next
}

impl Comp {
    fn new(i: usize, plant: Plant, rng: &mut SplitMix) -> Comp {
        let eco = rng.pick(ECOSYSTEMS);
        let (a, b) = (rng.pick(WORDS), rng.pick(WORDS));
        let version = format!("{}.{}.{}", rng.below(10), rng.below(30), rng.below(100));
        let (name, purl) = match plant {
            Plant::SupplierName { .. } => (
                format!("scan-engine-{i}"),
                format!("pkg:generic/vendor-{i}/scan-engine@{version}"),
            ),
            Plant::Cpe => (
                format!("av-daemon-{i}"),
                format!("pkg:deb/debian/av-daemon-{i}@{version}"),
            ),
            Plant::Purl => (
                "kav4fs".to_owned(),
                format!("pkg:generic/kaspersky/kav4fs@{version}"),
            ),
            Plant::DecoyKasper => (
                "kasper-client".to_owned(),
                format!("pkg:npm/kasper-client@{version}"),
            ),
            Plant::DecoyCasper => (
                format!("casper-sdk-{i}"),
                format!("pkg:npm/casper-sdk-{i}@{version}"),
            ),
            Plant::None => {
                let name = format!("{a}-{b}-{i}");
                let purl = match eco {
                    "maven" => format!("pkg:maven/org.{a}/{name}@{version}"),
                    "golang" => format!("pkg:golang/github.com/{a}/{name}@v{version}"),
                    "deb" => format!("pkg:deb/debian/{name}@{version}?arch=amd64"),
                    "generic" => format!("pkg:generic/{a}/{name}@{version}"),
                    _ => format!("pkg:{eco}/{name}@{version}"),
                };
                (name, purl)
            }
        };
        Comp {
            name,
            version,
            purl,
            plant,
            children: Vec::new(),
            depends_on: Vec::new(),
            has_hash: rng.percent(40),
            license: rng.percent(60).then(|| rng.pick(LICENSES)),
            supplier: rng.percent(25).then(|| rng.pick(SUPPLIERS)),
            reference: rng.percent(10),
            description: rng.percent(15),
            copyright: rng.percent(10),
            hash_seed: rng.next(),
        }
    }

    fn supplier(&self) -> Option<&'static str> {
        match self.plant {
            Plant::SupplierName { cyrillic: false } => Some("AO Kaspersky Lab"),
            Plant::SupplierName { cyrillic: true } => Some("АО «Лаборатория Касперского»"),
            Plant::DecoyKasper => Some("Kasper Systems GmbH"),
            _ => self.supplier,
        }
    }

    fn cpe(&self) -> Option<String> {
        (self.plant == Plant::Cpe).then(|| {
            format!(
                "cpe:2.3:a:kaspersky:kaspersky_anti-virus:{}:*:*:*:*:linux:*:*",
                self.version
            )
        })
    }

    fn author(&self) -> Option<&'static str> {
        (self.plant == Plant::DecoyCasper).then_some("Casper Labs")
    }

    fn sha256(&self) -> String {
        let mut rng = SplitMix(self.hash_seed);
        let mut out = String::with_capacity(64);
        for _ in 0..4 {
            let _ = write!(out, "{:016x}", rng.next());
        }
        out
    }

    fn description(&self) -> String {
        format!(
            "The {} library: \\\"fast\\\" {} support",
            self.name,
            self.name.split('-').next().unwrap_or("")
        )
    }

    fn copyright(&self) -> &'static str {
        "Copyright \\u00a9 2019-2024 the authors"
    }
}

// ---- CycloneDX ---------------------------------------------------------------

fn cdx_ref(i: usize) -> String {
    format!("c{i}")
}

fn cyclonedx(plan: &Plan, w: &mut impl Write) -> io::Result<()> {
    write!(
        w,
        "{{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\
         \"serialNumber\":\"urn:uuid:00000000-0000-4000-8000-{:012x}\",\"version\":1,\n\
         \"metadata\":{{\"timestamp\":\"2026-11-26T00:00:00Z\",\
         \"tools\":{{\"components\":[{{\"type\":\"application\",\"name\":\"gen-sbom\"}}]}},\n\
         \"component\":{{\"type\":\"firmware\",\"bom-ref\":\"root\",\"name\":\"Synthetic Appliance\",\
         \"version\":\"1.0.0\",\"purl\":\"pkg:generic/example/synthetic-appliance@1.0.0\"}},\n\
         \"supplier\":{{\"name\":\"Larchfield Systems\"}}}},\n\"components\":[\n",
        plan.seed & 0xffff_ffff_ffff
    )?;
    let mut buf = String::with_capacity(4096);
    for (k, &i) in plan.top.iter().enumerate() {
        buf.clear();
        cdx_component(plan, i, &mut buf);
        if k + 1 < plan.top.len() {
            buf.push(',');
        }
        buf.push('\n');
        w.write_all(buf.as_bytes())?;
    }
    w.write_all(b"],\n\"dependencies\":[\n")?;
    buf.clear();
    deps_entry("root", plan.root_deps.iter().copied(), &mut buf);
    for (i, c) in plan.comps.iter().enumerate() {
        buf.push_str(",\n");
        deps_entry(&cdx_ref(i), c.depends_on.iter().copied(), &mut buf);
        if buf.len() > 1 << 16 {
            w.write_all(buf.as_bytes())?;
            buf.clear();
        }
    }
    buf.push_str("\n]}\n");
    w.write_all(buf.as_bytes())
}

fn deps_entry(from: &str, to: impl Iterator<Item = usize>, out: &mut String) {
    let _ = write!(out, "{{\"ref\":\"{from}\",\"dependsOn\":[");
    for (k, j) in to.enumerate() {
        if k > 0 {
            out.push(',');
        }
        let _ = write!(out, "\"{}\"", cdx_ref(j));
    }
    out.push_str("]}");
}

fn cdx_component(plan: &Plan, i: usize, out: &mut String) {
    let c = plan.comp(i);
    let ty = if c.plant == Plant::None && i % 7 == 0 {
        "application"
    } else {
        "library"
    };
    let _ = write!(out, "{{\"type\":\"{ty}\",\"bom-ref\":\"{}\"", cdx_ref(i));
    if let Some(s) = c.supplier() {
        let _ = write!(out, ",\"supplier\":{{\"name\":\"{s}\"");
        if c.reference {
            out.push_str(",\"url\":[\"https://supplier.example/\"]");
        }
        out.push('}');
    }
    if let Some(a) = c.author() {
        let _ = write!(out, ",\"author\":\"{a}\"");
    }
    let _ = write!(
        out,
        ",\"name\":\"{}\",\"version\":\"{}\"",
        c.name, c.version
    );
    if c.description {
        let _ = write!(out, ",\"description\":\"{}\"", c.description());
    }
    if c.has_hash {
        let _ = write!(
            out,
            ",\"hashes\":[{{\"alg\":\"SHA-256\",\"content\":\"{}\"}}]",
            c.sha256()
        );
    }
    match c.license {
        Some(l) if l.contains(' ') => {
            let _ = write!(out, ",\"licenses\":[{{\"expression\":\"{l}\"}}]");
        }
        Some(l) => {
            let _ = write!(out, ",\"licenses\":[{{\"license\":{{\"id\":\"{l}\"}}}}]");
        }
        None => {}
    }
    if c.copyright {
        let _ = write!(out, ",\"copyright\":\"{}\"", c.copyright());
    }
    if let Some(cpe) = c.cpe() {
        let _ = write!(out, ",\"cpe\":\"{cpe}\"");
    }
    let _ = write!(out, ",\"purl\":\"{}\"", c.purl);
    if c.reference {
        let _ = write!(
            out,
            ",\"externalReferences\":[{{\"type\":\"vcs\",\"url\":\"https://git.example/{}\"}},\
             {{\"type\":\"website\",\"url\":\"https://{}.example/\"}}]",
            c.name, c.name
        );
    }
    if !c.children.is_empty() {
        out.push_str(",\"components\":[\n");
        for (k, &child) in c.children.iter().enumerate() {
            if k > 0 {
                out.push_str(",\n");
            }
            cdx_component(plan, child, out);
        }
        out.push(']');
    }
    out.push('}');
}

// ---- SPDX ----------------------------------------------------------------------

fn spdx_id(i: usize) -> String {
    format!("SPDXRef-c{i}")
}

fn spdx(plan: &Plan, w: &mut impl Write) -> io::Result<()> {
    write!(
        w,
        "{{\"spdxVersion\":\"SPDX-2.3\",\"dataLicense\":\"CC0-1.0\",\"SPDXID\":\"SPDXRef-DOCUMENT\",\
         \"name\":\"Synthetic Appliance 1.0.0\",\
         \"documentNamespace\":\"https://sbom.example/spdx/synthetic-{:012x}\",\n\
         \"creationInfo\":{{\"created\":\"2026-11-26T00:00:00Z\",\"creators\":[\"Tool: gen-sbom\"]}},\n\
         \"documentDescribes\":[\"SPDXRef-root\"],\n\"packages\":[\n\
         {{\"name\":\"Synthetic Appliance\",\"SPDXID\":\"SPDXRef-root\",\"versionInfo\":\"1.0.0\",\
         \"supplier\":\"Organization: Larchfield Systems\",\"downloadLocation\":\"NOASSERTION\",\
         \"filesAnalyzed\":false,\"licenseConcluded\":\"NOASSERTION\",\"licenseDeclared\":\"NOASSERTION\",\
         \"copyrightText\":\"NOASSERTION\",\"externalRefs\":[{{\"referenceCategory\":\"PACKAGE-MANAGER\",\
         \"referenceType\":\"purl\",\"referenceLocator\":\"pkg:generic/example/synthetic-appliance@1.0.0\"}}]}}",
        plan.seed & 0xffff_ffff_ffff
    )?;
    let mut buf = String::with_capacity(1 << 17);
    for i in 0..plan.comps.len() {
        buf.push_str(",\n");
        spdx_package(plan, i, &mut buf);
        if buf.len() > 1 << 16 {
            w.write_all(buf.as_bytes())?;
            buf.clear();
        }
    }
    buf.push_str("\n],\n\"relationships\":[\n");
    relationship("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-root", &mut buf);
    for &j in &plan.root_deps {
        buf.push_str(",\n");
        relationship("SPDXRef-root", "DEPENDS_ON", &spdx_id(j), &mut buf);
    }
    // Nested components of the CycloneDX flavour are CONTAINS here; what
    // nothing reaches hangs off the one root in both formats alike.
    for (i, c) in plan.comps.iter().enumerate() {
        let from = spdx_id(i);
        for &j in &c.children {
            buf.push_str(",\n");
            relationship(&from, "CONTAINS", &spdx_id(j), &mut buf);
        }
        for &j in &c.depends_on {
            buf.push_str(",\n");
            relationship(&from, "DEPENDS_ON", &spdx_id(j), &mut buf);
        }
        if buf.len() > 1 << 16 {
            w.write_all(buf.as_bytes())?;
            buf.clear();
        }
    }
    buf.push_str("\n]}\n");
    w.write_all(buf.as_bytes())
}

fn relationship(from: &str, kind: &str, to: &str, out: &mut String) {
    let _ = write!(
        out,
        "{{\"spdxElementId\":\"{from}\",\"relationshipType\":\"{kind}\",\"relatedSpdxElement\":\"{to}\"}}"
    );
}

fn spdx_package(plan: &Plan, i: usize, out: &mut String) {
    let c = plan.comp(i);
    let _ = write!(
        out,
        "{{\"name\":\"{}\",\"SPDXID\":\"{}\",\"versionInfo\":\"{}\"",
        c.name,
        spdx_id(i),
        c.version
    );
    match (c.supplier(), c.author()) {
        (Some(s), _) => {
            let _ = write!(out, ",\"supplier\":\"Organization: {s}\"");
        }
        (None, Some(a)) => {
            let _ = write!(out, ",\"originator\":\"Organization: {a}\"");
        }
        (None, None) => out.push_str(",\"supplier\":\"NOASSERTION\""),
    }
    out.push_str(",\"downloadLocation\":\"NOASSERTION\",\"filesAnalyzed\":false");
    if c.reference {
        let _ = write!(out, ",\"homepage\":\"https://{}.example/\"", c.name);
    }
    if c.has_hash {
        let _ = write!(
            out,
            ",\"checksums\":[{{\"algorithm\":\"SHA256\",\"checksumValue\":\"{}\"}}]",
            c.sha256()
        );
    }
    let license = c.license.unwrap_or("NOASSERTION");
    let _ = write!(
        out,
        ",\"licenseConcluded\":\"NOASSERTION\",\"licenseDeclared\":\"{license}\""
    );
    if c.copyright {
        let _ = write!(out, ",\"copyrightText\":\"{}\"", c.copyright());
    } else {
        out.push_str(",\"copyrightText\":\"NOASSERTION\"");
    }
    if c.description {
        let _ = write!(out, ",\"description\":\"{}\"", c.description());
    }
    let _ = write!(
        out,
        ",\"externalRefs\":[{{\"referenceCategory\":\"PACKAGE-MANAGER\",\"referenceType\":\"purl\",\
         \"referenceLocator\":\"{}\"}}",
        c.purl
    );
    if let Some(cpe) = c.cpe() {
        let _ = write!(
            out,
            ",{{\"referenceCategory\":\"SECURITY\",\"referenceType\":\"cpe23Type\",\
             \"referenceLocator\":\"{cpe}\"}}"
        );
    }
    out.push_str("]}");
}
