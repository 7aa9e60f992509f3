//! Reading the top-level `components` and `dependencies` on every core
//! ([`chunked`]): each top-level component (with everything nested in
//! it) and each top-level dependency entry reads on its own, into a fresh
//! [`Reader`]; the chunks are appended in list order, their component
//! indexes moved up by the components before them. The document is the
//! one a single reader would have made, in the same order, and the first
//! fatal error in document order is the one returned.

use super::Reader;
use crate::model::Relationship;
use crate::sbom::chunked::{self, CHUNK};
use crate::sbom::error::ReadError;
use crate::sbom::json::Raw;

impl<'s> Reader<'s> {
    /// Calls `read` on the chunks of `list`, in parallel, with the same
    /// result as calling it on the whole list.
    pub(super) fn in_parallel<F>(&mut self, list: &[Raw<'s>], read: F) -> Result<(), ReadError>
    where
        F: Fn(&mut Reader<'s>, &[Raw<'s>]) -> Result<(), ReadError> + Sync,
    {
        if list.len() <= CHUNK {
            return read(self, list);
        }
        let (name, source) = (self.name, self.shared);
        chunked::read_in_chunks(
            list,
            || Reader::new(name, source),
            &read,
            |part| self.append(part),
        )
    }

    /// Appends what another reader read after what this one has, leaving
    /// `part` empty, with its buffers, for the next chunk.
    fn append(&mut self, part: &mut Reader<'s>) {
        let (components, references) = (self.components.len(), self.references.len());
        self.relationships
            .extend(part.relationships.drain(..).map(|r| Relationship {
                from: r.from.moved(components, references),
                to: r.to.moved(components, references),
                ..r
            }));
        let own = self.own.len();
        // Moved in place, so that the components are then appended with
        // one copy of the whole vector rather than one per component.
        for f in part.components.iter_mut().flat_map(|c| &mut c.fields) {
            f.value = f.value.moved(own);
        }
        self.components.append(&mut part.components);
        self.own.push_str(&part.own);
        part.own.clear();
        self.references.append(&mut part.references);
        self.diagnostics.append(&mut part.diagnostics);
        // Resolved before the chunk's read returned.
        debug_assert!(part.deferred.is_empty());
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;
    use crate::model::{NodeRef, Role, SourceText, Texts};
    use crate::sbom::chunked::WINDOW;
    use crate::sbom::json;
    use crate::sbom::local_refs::LocalRefs;

    /// Top-level components: every 7th nests two more, every 11th has a
    /// BOM-Link, every 13th a mistyped field (a diagnostic), every 3rd a
    /// publisher with an escape and every 5th a hash (values the source
    /// does not spell, in the own text); `bad` puts a fatal error (a
    /// component that is not an object) at that place.
    fn components(n: usize, bad: Option<usize>) -> String {
        let mut out = String::from("[");
        for i in 0..n {
            if i > 0 {
                out.push(',');
            }
            if Some(i) == bad {
                out.push_str("{\"name\":\"p\",\"components\":[42]}");
                continue;
            }
            let _ = write!(out, "{{\"bom-ref\":\"c{i}\",\"name\":\"n{i}\"");
            if i % 13 == 0 {
                out.push_str(",\"version\":{}");
            }
            if i % 3 == 0 {
                let _ = write!(out, ",\"publisher\":\"p\\u0041{i}\"");
            }
            if i % 5 == 0 {
                let _ = write!(
                    out,
                    ",\"hashes\":[{{\"alg\":\"MD5\",\"content\":\"AB{i}\"}}]"
                );
            }
            if i % 11 == 0 {
                let _ = write!(
                    out,
                    ",\"externalReferences\":[{{\"type\":\"bom\",\"url\":\"urn:cdx:x/1#c{i}\"}}]"
                );
            }
            if i % 7 == 0 {
                let _ = write!(
                    out,
                    ",\"components\":[{{\"name\":\"k{i}\",\"components\":[{{\"name\":\"g{i}\"}}]}}]"
                );
            }
            out.push('}');
        }
        out.push(']');
        out
    }

    /// Dependency entries, some with nested entries, some without a ref.
    fn dependencies(n: usize) -> String {
        let mut out = String::from("[");
        for i in 0..n {
            if i > 0 {
                out.push(',');
            }
            match i % 5 {
                0 => out.push_str("{\"dependsOn\":[\"x\"]}"),
                1 => {
                    let _ = write!(
                        out,
                        "{{\"ref\":\"c{i}\",\"dependsOn\":[{{\"ref\":\"d{i}\",\"dependsOn\":[\"e{i}\"]}}]}}"
                    );
                }
                _ => {
                    let _ = write!(out, "{{\"ref\":\"c{i}\",\"dependsOn\":[\"c{}\",7]}}", i + 1);
                }
            }
        }
        out.push(']');
        out
    }

    type Read<'s> = fn(&mut Reader<'s>, &[Raw<'s>]) -> Result<(), ReadError>;

    /// The list read whole by one reader, and in parallel by another that
    /// has read one component before (so indexes must move).
    fn both<'s>(
        source: &'s SourceText,
        read: Read<'s>,
    ) -> (Result<String, String>, Result<String, String>) {
        let list = json::elements(Raw::checked(source)).unwrap();
        let run = |parallel: bool| {
            let mut r = Reader::new("t.json", source);
            r.walk(&[list[0]], None, Role::Part).unwrap();
            let result = if parallel {
                r.in_parallel(&list, read)
            } else {
                read(&mut r, &list)
            };
            result
                .map(|()| {
                    format!(
                        "{:?}\n{:?}\n{:?}\n{:?}",
                        r.components,
                        values(&r),
                        ends_written(&r),
                        r.diagnostics
                    )
                })
                .map_err(|e| format!("{e} {:?}", e.line_col()))
        };
        (run(false), run(true))
    }

    /// Every field's value, read from the reader's source and own text.
    fn values(r: &Reader<'_>) -> Vec<String> {
        let texts = Texts {
            source: r.source,
            own: &r.own,
        };
        let fields = r.components.iter().flat_map(|c| &c.fields);
        fields.map(|f| f.value(texts).to_owned()).collect()
    }

    /// The relationships with each reference spelled out: where a
    /// reference lands in the table depends on when its chunk looked it
    /// up, not on what it says.
    fn ends_written(r: &Reader<'_>) -> Vec<String> {
        let end = |n: NodeRef| match n {
            NodeRef::Index(i) => format!("#{i}"),
            NodeRef::Ref(slot) => format!("{:?}", r.references[slot as usize]),
        };
        r.relationships
            .iter()
            .map(|x| format!("{} {} {:?} {:?}", end(x.from), end(x.to), x.kind, x.span))
            .collect()
    }

    fn walk<'s>(r: &mut Reader<'s>, list: &[Raw<'s>]) -> Result<(), ReadError> {
        r.walk(list, None, Role::Part)
    }

    #[test]
    fn components_read_in_parallel_as_in_one_go() {
        for n in [1, CHUNK, CHUNK + 1, 3 * CHUNK + 17, WINDOW + CHUNK + 5] {
            let source: SourceText = SourceText::from(components(n, None));
            let (one, parallel) = both(&source, walk);
            assert!(one.is_ok(), "{one:?}");
            if n > CHUNK {
                // Own values of every chunk, moved into place.
                let one = one.as_deref().unwrap_or_default();
                assert!(one.contains(&format!("\"pA{}\"", 3 * (n / 3 - 1))));
                assert!(one.contains(&format!("\"MD5:ab{}\"", 5 * (n / 5 - 1))));
            }
            assert_eq!(one, parallel, "{n} components");
        }
    }

    #[test]
    fn the_first_fatal_error_in_document_order_wins() {
        for bad in [3, CHUNK + 2, WINDOW + 1] {
            let source: SourceText = SourceText::from(components(WINDOW + 2 * CHUNK, Some(bad)));
            let (one, parallel) = both(&source, walk);
            assert!(one.is_err(), "{bad}");
            assert_eq!(one, parallel, "error at {bad}");
        }
    }

    #[test]
    fn dependencies_read_in_parallel_as_in_one_go() {
        for n in [2, CHUNK + 1, 2 * WINDOW + 3] {
            let source: SourceText = SourceText::from(dependencies(n));
            // No component carries these refs: every end stays a reference.
            let (one, parallel) = both(&source, |r, list| {
                r.dependency_entries(list, &LocalRefs::new(&[]))
            });
            assert!(one.is_ok(), "{one:?}");
            assert_eq!(one, parallel, "{n} entries");
        }
    }

    #[test]
    fn dependency_ends_resolve_to_the_right_components_across_chunks() {
        // Component i depends on i+1 and on one that does not exist; the
        // resolved ends must name the component whose bom-ref the
        // dependsOn string spells, whatever chunk read it.
        let n = 2 * WINDOW + 3;
        let mut text =
            String::from("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":");
        text.push_str(&components(n, None));
        text.push_str(",\"dependencies\":[");
        for i in 0..n {
            if i > 0 {
                text.push(',');
            }
            let _ = write!(
                text,
                "{{\"ref\":\"c{i}\",\"dependsOn\":[\"c{}\",\"gone\"]}}",
                i + 1
            );
        }
        text.push_str("]}");
        let doc = crate::sbom::read("t.json", text.into_bytes()).unwrap();
        let mut resolved = 0;
        for r in &doc.relationships {
            if r.kind != crate::model::EdgeKind::DependsOn {
                continue;
            }
            let written = doc.source[r.span.range()].trim_matches('"');
            match r.to {
                NodeRef::Index(i) => {
                    assert_eq!(doc.components[i as usize].bom_ref.as_deref(), Some(written));
                    let NodeRef::Index(from) = r.from else {
                        panic!("from c-ref unresolved: {r:?}");
                    };
                    let from_ref = doc.components[from as usize].bom_ref.as_deref().unwrap();
                    assert_eq!(
                        format!("c{}", from_ref[1..].parse::<usize>().unwrap() + 1),
                        written
                    );
                    resolved += 1;
                }
                NodeRef::Ref(_) => {
                    let value = &doc.reference(r.to).unwrap().value;
                    assert!(value == "gone" || value == &format!("c{n}"), "{value}");
                }
            }
        }
        assert_eq!(resolved, n - 1);
    }
}
