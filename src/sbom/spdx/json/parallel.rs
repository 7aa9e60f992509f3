//! Reading the elements and relationships of an SPDX JSON document on
//! every core ([`chunked`]): each package, file, snippet and relationship
//! reads on its own and only appends to the reader's [`Parts`] (elements,
//! relationships, diagnostics, and the first SPDX 2.3 feature seen), so
//! chunks read into fresh parts and appended in list order give the parts
//! one reader would have made, in the same order.

use std::convert::Infallible;

use super::Reader;
use crate::model::Format;
use crate::sbom::chunked::{self, CHUNK};
use crate::sbom::json::Raw;
use crate::sbom::spdx::assemble::Parts;

impl<'s> Reader<'s> {
    /// Calls `read` on every element of `list`, in parallel, with the same
    /// result as calling it on each in turn.
    pub(super) fn in_parallel<F>(&mut self, list: &[Raw<'s>], read: F)
    where
        F: Fn(&mut Reader<'s>, Raw<'s>) + Sync,
    {
        if list.len() <= CHUNK {
            list.iter().for_each(|&raw| read(self, raw));
            return;
        }
        let (name, shared, source) = (self.name, self.shared, self.source);
        let fresh = || Reader {
            name,
            shared,
            source,
            parts: Parts::new(Format::SpdxJson),
        };
        let read_chunk = |part: &mut Reader<'s>, chunk: &[Raw<'s>]| {
            chunk.iter().for_each(|&raw| read(part, raw));
            Ok::<(), Infallible>(())
        };
        let read = chunked::read_in_chunks(list, fresh, read_chunk, |part| {
            self.append(&mut part.parts);
        });
        match read {
            Ok(()) => {}
            Err(never) => match never {},
        }
    }

    /// Appends what another reader read after what this one has, leaving
    /// `part` empty, with its buffers, for the next chunk. (Reading an
    /// element or a relationship sets none of the other parts.)
    fn append(&mut self, part: &mut Parts<'s>) {
        let Parts {
            elements,
            relationships,
            newer_feature,
            diagnostics,
            own,
            ..
        } = part;
        let before = self.parts.own.len();
        // Moved in place, so that the elements are then appended with one
        // copy of the whole vector rather than one per element.
        for f in elements.iter_mut().flat_map(|e| &mut e.component.fields) {
            f.value = f.value.moved(before);
        }
        self.parts.elements.append(elements);
        self.parts.own.push_str(own);
        own.clear();
        self.parts.relationships.append(relationships);
        let newer = newer_feature.take();
        if self.parts.newer_feature.is_none() {
            self.parts.newer_feature = newer;
        }
        self.parts.diagnostics.append(diagnostics);
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;
    use crate::model::SourceText;
    use crate::sbom::chunked::WINDOW;
    use crate::sbom::json;

    /// Packages: every 9th with a 2.3 field, every 5th with a mistyped
    /// field, every 4th with a checksum and every 6th with an escaped
    /// copyright (values the source does not spell); relationships: every
    /// 7th unusable, every 11th of a 2.3 type.
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
            if i % 4 == 0 {
                let _ = write!(
                    packages,
                    ",\"checksums\":[{{\"algorithm\":\"SHA1\",\"checksumValue\":\"AB{i}\"}}]"
                );
            }
            if i % 6 == 0 {
                let _ = write!(packages, ",\"copyrightText\":\"\\u00a9 {i}\"");
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
            let packages: SourceText = SourceText::from(packages);
            let relationships: SourceText = SourceText::from(relationships);
            let run = |parallel: bool| {
                let mut r = Reader {
                    name: "t.json",
                    shared: &packages,
                    source: &packages,
                    parts: Parts::new(Format::SpdxJson),
                };
                let list = json::elements(Raw::checked(&packages)).unwrap();
                let rels = json::elements(Raw::checked(&relationships)).unwrap();
                if parallel {
                    r.in_parallel(&list, Reader::package);
                    r.in_parallel(&rels, |r, raw| r.relationship(raw));
                } else {
                    list.iter().for_each(|&raw| r.package(raw));
                    rels.iter().for_each(|&raw| r.relationship(raw));
                }
                format!("{:?}", r.parts)
            };
            let one = run(false);
            assert!(one.contains("wrong-type") && one.contains("missing-field"));
            let last = 12 * ((n - 1) / 12);
            assert!(one.contains(&format!("© {last}SHA1:ab{last}")), "own text");
            assert_eq!(one, run(true), "{n} elements");
        }
    }
}
