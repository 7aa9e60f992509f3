//! Reading the elements and relationships of an SPDX JSON document on
//! every core.
//!
//! Each package, file, snippet and relationship reads on its own: it only
//! appends to the reader's [`Parts`] (elements, relationships,
//! diagnostics, and the first SPDX 2.3 feature seen). So a list is cut
//! into chunks, every chunk is read into fresh parts on some thread, and
//! the chunks are appended in list order: the parts are those one reader
//! would have made, in the same order. Lists are taken a window at a time,
//! so that no more than one window of chunk results waits in memory.

use rayon::prelude::*;
use serde_json::value::RawValue;

use super::Reader;
use crate::model::Format;
use crate::sbom::spdx::assemble::Parts;

/// Elements one thread reads at a time.
const CHUNK: usize = 256;
/// Elements read before their chunks are appended.
const WINDOW: usize = 32 * CHUNK;

impl<'s> Reader<'s> {
    /// Calls `read` on every element of `list`, in parallel, with the same
    /// result as calling it on each in turn.
    pub(super) fn in_parallel<F>(&mut self, list: &[&'s RawValue], read: F)
    where
        F: Fn(&mut Reader<'s>, &'s RawValue) + Sync,
    {
        if list.len() <= CHUNK {
            list.iter().for_each(|raw| read(self, raw));
            return;
        }
        let (name, source) = (self.name, self.source);
        for window in list.chunks(WINDOW) {
            let chunks: Vec<Parts> = window
                .par_chunks(CHUNK)
                .map(|chunk| {
                    let mut part = Reader {
                        name,
                        source,
                        parts: Parts::new(Format::SpdxJson),
                    };
                    chunk.iter().for_each(|raw| read(&mut part, raw));
                    part.parts
                })
                .collect();
            for part in chunks {
                self.append(part);
            }
        }
    }

    /// Appends what another reader read after what this one has.
    fn append(&mut self, part: Parts) {
        let Parts {
            elements,
            relationships,
            newer_feature,
            diagnostics,
            ..
        } = part;
        self.parts.elements.extend(elements);
        self.parts.relationships.extend(relationships);
        if self.parts.newer_feature.is_none() {
            self.parts.newer_feature = newer_feature;
        }
        self.parts.diagnostics.extend(diagnostics);
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;
    use std::sync::Arc;

    use super::*;
    use crate::sbom::json;

    /// Packages: every 9th with a 2.3 field, every 5th with a mistyped
    /// field; relationships: every 7th unusable, every 11th of a 2.3 type.
    fn document(n: usize) -> (String, String) {
        let mut packages = String::from("[");
        let mut relationships = String::from("[");
        for i in 0..n {
            if i > 0 {
                packages.push(',');
                relationships.push(',');
            }
            let _ = write!(packages, "{{\"SPDXID\":\"SPDXRef-p{i}\",\"name\":\"p{i}\"");
            if i % 9 == 4 {
                packages.push_str(",\"primaryPackagePurpose\":\"LIBRARY\"");
            }
            if i % 5 == 0 {
                packages.push_str(",\"versionInfo\":[1]");
            }
            packages.push('}');
            let kind = if i % 11 == 3 {
                "REQUIREMENT_FOR"
            } else {
                "DEPENDS_ON"
            };
            if i % 7 == 0 {
                relationships.push_str("{\"spdxElementId\":\"x\"}");
            } else {
                let _ = write!(
                    relationships,
                    "{{\"spdxElementId\":\"SPDXRef-p{i}\",\"relationshipType\":\"{kind}\",\
                     \"relatedSpdxElement\":\"SPDXRef-p{}\"}}",
                    i + 1
                );
            }
        }
        packages.push(']');
        relationships.push(']');
        (packages, relationships)
    }

    #[test]
    fn parts_read_in_parallel_as_one_by_one() {
        for n in [3, CHUNK + 1, WINDOW + 2 * CHUNK + 9] {
            let (packages, relationships) = document(n);
            let packages: Arc<str> = Arc::from(packages);
            let relationships: Arc<str> = Arc::from(relationships);
            let run = |parallel: bool| {
                let mut r = Reader {
                    name: "t.json",
                    source: &packages,
                    parts: Parts::new(Format::SpdxJson),
                };
                let list = json::elements(serde_json::from_str(&packages).unwrap()).unwrap();
                let rels = json::elements(serde_json::from_str(&relationships).unwrap()).unwrap();
                if parallel {
                    r.in_parallel(&list, Reader::package);
                    r.in_parallel(&rels, |r, raw| r.relationship(raw));
                } else {
                    list.iter().for_each(|raw| r.package(raw));
                    rels.iter().for_each(|raw| r.relationship(raw));
                }
                format!("{:?}", r.parts)
            };
            let one = run(false);
            assert!(one.contains("wrong-type") && one.contains("missing-field"));
            assert_eq!(one, run(true), "{n} elements");
        }
    }
}
