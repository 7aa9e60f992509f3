//! The 64-layer diamond lattice as a CycloneDX BOM, shared by the
//! `audit/lattice-64` benchmark and the CLI test that counts its paths
//! (tests/explain.rs), so that both measure the same document.
//!
//! `top` (the product) depends on both components of layer 0, each
//! component of a layer on both of the next, and the last layer on the
//! `sink`, whose supplier is Kaspersky's legal entity: `2^layers` paths
//! from the product to a flagged component.

/// The lattice BOM of `layers` layers of two components.
pub fn lattice(layers: usize) -> String {
    let node = |l: usize, i: usize| format!("n{l}-{i}");
    let mut components = vec![
        r#"{"bom-ref":"sink","name":"sink","supplier":{"name":"AO Kaspersky Lab"}}"#.to_owned(),
    ];
    let mut deps = vec![format!(
        r#"{{"ref":"top","dependsOn":["{}","{}"]}}"#,
        node(0, 0),
        node(0, 1)
    )];
    for l in 0..layers {
        for i in 0..2 {
            components.push(format!(r#"{{"bom-ref":"{0}","name":"{0}"}}"#, node(l, i)));
            let next = if l + 1 == layers {
                r#"["sink"]"#.to_owned()
            } else {
                format!(r#"["{}","{}"]"#, node(l + 1, 0), node(l + 1, 1))
            };
            deps.push(format!(r#"{{"ref":"{}","dependsOn":{next}}}"#, node(l, i)));
        }
    }
    format!(
        r#"{{"bomFormat":"CycloneDX","specVersion":"1.5","metadata":{{"component":{{"bom-ref":"top","name":"lattice-product"}}}},"components":[{}],"dependencies":[{}]}}"#,
        components.join(","),
        deps.join(",")
    )
}
