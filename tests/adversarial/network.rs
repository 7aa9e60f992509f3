//! oemtrace fetches only the URLs a user names on the command line, never
//! one an SBOM names: a listener on 127.0.0.1 that every URL, BOM-Link,
//! schema location, download location and external document of the
//! audited SBOMs points at must never see a connection.

use std::io::ErrorKind;
use std::net::TcpListener;
use std::time::Duration;

use crate::support::within;

/// SBOMs in every format whose every URL points at `base`.
fn sboms(base: &str) -> Vec<(&'static str, String)> {
    let cdx_json = format!(
        r#"{{
  "$schema": "{base}/bom-1.6.schema.json",
  "bomFormat": "CycloneDX",
  "specVersion": "1.6",
  "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
  "metadata": {{
    "component": {{"bom-ref": "root", "name": "Product",
      "externalReferences": [{{"type": "bom", "url": "{base}/other-bom.json"}}]}},
    "supplier": {{"name": "Acme", "url": ["{base}/supplier"]}}
  }},
  "components": [
    {{"bom-ref": "a", "name": "scan-core", "purl": "pkg:generic/kaspersky/anti-virus-sdk@8.0",
      "supplier": {{"name": "AO Kaspersky Lab", "url": ["{base}/kl"]}},
      "licenses": [{{"license": {{"name": "EULA", "url": "{base}/license"}}}}],
      "externalReferences": [
        {{"type": "bom", "url": "urn:cdx:9f2d2c59-2f1d-4a43-8d3b-3a1f0f3f8a11/1#x"}},
        {{"type": "distribution", "url": "{base}/download.tar.gz"}},
        {{"type": "website", "url": "{base}/"}},
        {{"type": "vcs", "url": "git+{base}/repo.git"}}
      ]}}
  ],
  "dependencies": [{{"ref": "root", "dependsOn": ["a", "{base}/ref"]}}]
}}
"#
    );
    let cdx_xml = format!(
        r#"<?xml version="1.0"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6"
     xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
     xsi:schemaLocation="http://cyclonedx.org/schema/bom/1.6 {base}/bom-1.6.xsd">
  <metadata><component type="application" bom-ref="root"><name>Product</name></component></metadata>
  <components>
    <component type="library" bom-ref="a">
      <name>scan-core</name>
      <purl>pkg:generic/kaspersky/anti-virus-sdk@8.0</purl>
      <externalReferences>
        <reference type="bom"><url>{base}/other-bom.xml</url></reference>
        <reference type="website"><url>{base}/</url></reference>
      </externalReferences>
    </component>
  </components>
</bom>
"#
    );
    let spdx_json = format!(
        r#"{{
  "spdxVersion": "SPDX-2.3",
  "SPDXID": "SPDXRef-DOCUMENT",
  "name": "product",
  "documentNamespace": "{base}/spdx/product",
  "externalDocumentRefs": [{{"externalDocumentId": "DocumentRef-other",
    "spdxDocument": "{base}/other.spdx.json",
    "checksum": {{"algorithm": "SHA1", "checksumValue": "d6a770ba38583ed4bb4525bd96e50461655d2758"}}}}],
  "documentDescribes": ["SPDXRef-product"],
  "packages": [
    {{"SPDXID": "SPDXRef-product", "name": "Product", "downloadLocation": "{base}/product.tgz",
      "homepage": "{base}/"}},
    {{"SPDXID": "SPDXRef-a", "name": "scan-core", "downloadLocation": "{base}/a.tgz",
      "externalRefs": [{{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
        "referenceLocator": "pkg:generic/kaspersky/anti-virus-sdk@8.0"}}]}}
  ],
  "relationships": [
    {{"spdxElementId": "SPDXRef-product", "relationshipType": "CONTAINS", "relatedSpdxElement": "SPDXRef-a"}},
    {{"spdxElementId": "SPDXRef-product", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "DocumentRef-other:SPDXRef-x"}}
  ]
}}
"#
    );
    let spdx_tv = format!(
        "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\nDocumentName: product\n\
         DocumentNamespace: {base}/spdx/tv\n\
         ExternalDocumentRef: DocumentRef-other {base}/other.spdx SHA1: d6a770ba38583ed4bb4525bd96e50461655d2758\n\
         \nPackageName: scan-core\nSPDXID: SPDXRef-a\nPackageDownloadLocation: {base}/a.tgz\n\
         PackageHomePage: {base}/\n\
         ExternalRef: PACKAGE-MANAGER purl pkg:generic/kaspersky/anti-virus-sdk@8.0\n\
         Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-a\n\
         Relationship: SPDXRef-a DEPENDS_ON DocumentRef-other:SPDXRef-x\n"
    );
    let xxe = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE bom SYSTEM \"{base}/bom.dtd\">\n\
         <bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"/>\n"
    );
    vec![
        ("urls.cdx.json", cdx_json),
        ("urls.cdx.xml", cdx_xml),
        ("urls.spdx.json", spdx_json),
        ("urls.spdx", spdx_tv),
        ("dtd.cdx.xml", xxe),
    ]
}

#[test]
fn no_url_an_sbom_names_is_ever_fetched() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
    listener.set_nonblocking(true).expect("non-blocking");
    let base = format!(
        "http://127.0.0.1:{}",
        listener.local_addr().expect("address").port()
    );
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut paths = Vec::new();
    for (name, text) in sboms(&base) {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        paths.push(path);
    }
    let readable = &paths[..paths.len() - 1];
    for format in ["json", "human", "sarif", "markdown", "dot"] {
        let mut cmd = assert_cmd::Command::cargo_bin("oemtrace").expect("the binary");
        cmd.args(["audit", "--format", format]).args(readable);
        let out = within(Duration::from_secs(60), "audit", move || {
            cmd.output().expect("runs")
        });
        // The engine is found in the documents, so the audit fails: it ran.
        assert_eq!(
            out.status.code(),
            Some(1),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut cmd = assert_cmd::Command::cargo_bin("oemtrace").expect("the binary");
    cmd.args(["explain"]).args(readable).arg("scan-core");
    let out = within(Duration::from_secs(60), "explain", move || {
        cmd.output().expect("runs")
    });
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The document with an external DTD is refused, without fetching it.
    let mut cmd = assert_cmd::Command::cargo_bin("oemtrace").expect("the binary");
    cmd.args(["audit", "--format", "json"]).args(&paths);
    let out = within(Duration::from_secs(60), "audit", move || {
        cmd.output().expect("runs")
    });
    assert_eq!(out.status.code(), Some(2));

    match listener.accept() {
        Err(e) if e.kind() == ErrorKind::WouldBlock => {}
        Ok((_, from)) => panic!("oemtrace connected to a URL an SBOM names (from {from})"),
        Err(e) => panic!("accept failed: {e}"),
    }

    // The control: a URL the user names is fetched, and the listener sees
    // it (so the silence above means something).
    let mut cmd = assert_cmd::Command::cargo_bin("oemtrace").expect("the binary");
    cmd.args(["audit", "--format", "json", "--timeout", "1"])
        .arg(format!("{base}/named-by-the-user.cdx.json"));
    let out = within(Duration::from_secs(60), "audit", move || {
        cmd.output().expect("runs")
    });
    assert_eq!(out.status.code(), Some(2));
    assert!(
        listener.accept().is_ok(),
        "the control connection was not seen"
    );
}
