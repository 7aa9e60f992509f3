//! A document's bom-refs (SPDXIDs) as a hash table of component indexes.
//!
//! Both the readers ([`super::local_refs`]) and the graph
//! (`graph::refs`) look relationship ends up by bom-ref, four or more
//! times per component. A `HashMap<&str, usize>` spends 24 bytes a slot
//! on a copy of the key's pointer and length and on a `usize`; this table
//! keeps only the component's index, 4 bytes, and compares a key with the
//! component's own `bom_ref`. A look-up still reads the component once,
//! as the map read the key's text once, but the table is a sixth of the
//! size: a 1M-component audit went from 3.67 to 3.40 s and from 1,271 to
//! 1,241 MiB of peak RSS (interleaved runs, docs/performance.md).

use std::hash::BuildHasher;

use hashbrown::HashTable;

use crate::model::Component;

/// The components carrying each bom-ref, keyed by the first that does.
pub(crate) struct RefTable<'c> {
    components: &'c [Component],
    /// Indexes into `components`, hashed by their `bom_ref`.
    table: HashTable<u32>,
    /// Seeded per process: the keys come from the SBOM, so hostile keys
    /// cannot be chosen to collide.
    hasher: foldhash::fast::RandomState,
}

impl<'c> RefTable<'c> {
    /// Index the bom-refs of `components`; `repeated(i)` is called for
    /// each component whose bom-ref an earlier one carries already (the
    /// ref keeps naming the earlier one).
    ///
    /// Components past index `u32::MAX` are not indexed: that many could
    /// not fit in memory as components anyway.
    pub(crate) fn new(components: &'c [Component], mut repeated: impl FnMut(usize)) -> Self {
        let hasher = foldhash::fast::RandomState::default();
        let mut table = HashTable::with_capacity(components.len());
        for (i, c) in components.iter().enumerate() {
            let (Some(key), Ok(index)) = (c.bom_ref.as_deref(), u32::try_from(i)) else {
                continue;
            };
            let hash = hasher.hash_one(key);
            let eq = |&j: &u32| bom_ref(components, j) == Some(key);
            match table.find(hash, eq) {
                Some(_) => repeated(i),
                None => {
                    table.insert_unique(hash, index, |&j: &u32| {
                        hasher.hash_one(bom_ref(components, j).unwrap_or(""))
                    });
                }
            }
        }
        RefTable {
            components,
            table,
            hasher,
        }
    }

    /// The first component that carries `key`, if one does.
    pub(crate) fn get(&self, key: &str) -> Option<usize> {
        let hash = self.hasher.hash_one(key);
        self.table
            .find(hash, |&j| bom_ref(self.components, j) == Some(key))
            .map(|&j| j as usize)
    }
}

fn bom_ref(components: &[Component], index: u32) -> Option<&str> {
    components.get(index as usize)?.bom_ref.as_deref()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_refs(refs: &[Option<&str>]) -> Vec<Component> {
        refs.iter()
            .map(|r| Component {
                bom_ref: r.map(Into::into),
                ..Component::default()
            })
            .collect()
    }

    #[test]
    fn finds_the_first_carrier_and_reports_the_repeats() {
        let components = with_refs(&[Some("a"), None, Some("b"), Some("a"), Some(""), Some("b")]);
        let mut repeats = Vec::new();
        let table = RefTable::new(&components, |i| repeats.push(i));
        assert_eq!(repeats, [3, 5]);
        assert_eq!(table.get("a"), Some(0));
        assert_eq!(table.get("b"), Some(2));
        assert_eq!(table.get(""), Some(4));
        assert_eq!(table.get("c"), None);
        assert_eq!(table.get("A"), None, "refs are compared exactly");
    }

    #[test]
    fn many_keys_that_share_prefixes_all_resolve() {
        let refs: Vec<String> = (0..5000).map(|i| format!("pkg:npm/x@1.0.{i}")).collect();
        let components = with_refs(&refs.iter().map(|r| Some(r.as_str())).collect::<Vec<_>>());
        let table = RefTable::new(&components, |i| panic!("no repeats, got {i}"));
        for (i, r) in refs.iter().enumerate() {
            assert_eq!(table.get(r), Some(i));
        }
        assert_eq!(table.get("pkg:npm/x@1.0.5000"), None);
    }
}
