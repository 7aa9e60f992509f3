//! A document's bom-refs (SPDXIDs) as a hash table of component indexes.
//!
//! Both the readers ([`super::local_refs`]) and the graph
//! (`graph::refs`) look relationship ends up by bom-ref, four or more
//! times per component. A `HashMap<&str, usize>` spends 24 bytes a slot
//! on a copy of the key's pointer and length and on a `usize`; this table
//! keeps only the component's index, 4 bytes: a 1M-component audit went
//! from 3.67 to 3.40 s and from 1,271 to 1,241 MiB of peak RSS
//! (interleaved runs, docs/performance.md).
//!
//! A look-up compares the key with the candidate's bom-ref, and where
//! that bom-ref is read from decides what the look-up costs. Read from
//! the component, it was a cache miss into a 160-byte-per-component array
//! (16 MB at 100,000 components) for every end; read from [`RefTable`]'s
//! own copy of the bom-refs, packed one after the other, it is a read in
//! a few hundred kilobytes that mostly stay in cache.

use std::hash::BuildHasher;

use hashbrown::HashTable;

use crate::model::Component;

/// The components carrying each bom-ref, keyed by the first that does.
pub(crate) struct RefTable {
    /// Every component's bom-ref, one after the other (none for a
    /// component without one).
    keys: String,
    /// Component `i`'s bom-ref is `keys[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    /// Indexes of components, hashed by their bom-ref.
    table: HashTable<u32>,
    /// Seeded per process: the keys come from the SBOM, so hostile keys
    /// cannot be chosen to collide.
    hasher: foldhash::fast::RandomState,
}

impl RefTable {
    /// Index the bom-refs of `components`; `repeated(i)` is called for
    /// each component whose bom-ref an earlier one carries already (the
    /// ref keeps naming the earlier one).
    ///
    /// Components past index `u32::MAX`, or whose bom-refs would take the
    /// copy past 4 GiB, are not indexed: a document is at most 4 GiB
    /// (`read::too_large`), and its bom-refs are part of it.
    pub(crate) fn new(components: &[Component], mut repeated: impl FnMut(usize)) -> Self {
        let hasher = foldhash::fast::RandomState::default();
        let mut table = HashTable::with_capacity(components.len());
        let length: usize = components
            .iter()
            .filter_map(|c| c.bom_ref.as_deref())
            .map(str::len)
            .sum();
        let mut keys = String::with_capacity(length);
        let mut starts = Vec::with_capacity(components.len() + 1);
        starts.push(0);
        for (i, c) in components.iter().enumerate() {
            let Some(key) = c.bom_ref.as_deref() else {
                starts.push(starts.last().copied().unwrap_or(0));
                continue;
            };
            let (Ok(index), Ok(end)) = (u32::try_from(i), u32::try_from(keys.len() + key.len()))
            else {
                break;
            };
            keys.push_str(key);
            starts.push(end);
            let hash = hasher.hash_one(key);
            let this = Keys {
                keys: &keys,
                starts: &starts,
            };
            match table.find(hash, |&j| this.get(j) == Some(key)) {
                Some(_) => repeated(i),
                None => {
                    table.insert_unique(hash, index, |&j| {
                        hasher.hash_one(this.get(j).unwrap_or(""))
                    });
                }
            }
        }
        RefTable {
            keys,
            starts,
            table,
            hasher,
        }
    }

    /// The first component that carries `key`, if one does.
    pub(crate) fn get(&self, key: &str) -> Option<usize> {
        let hash = self.hasher.hash_one(key);
        let this = Keys {
            keys: &self.keys,
            starts: &self.starts,
        };
        self.table
            .find(hash, |&j| this.get(j) == Some(key))
            .map(|&j| j as usize)
    }
}

/// The packed bom-refs, borrowed apart from the table that probes them.
#[derive(Clone, Copy)]
struct Keys<'a> {
    keys: &'a str,
    starts: &'a [u32],
}

impl<'a> Keys<'a> {
    /// Component `index`'s bom-ref, if it was indexed.
    fn get(self, index: u32) -> Option<&'a str> {
        let i = index as usize;
        let (&start, &end) = (self.starts.get(i)?, self.starts.get(i + 1)?);
        self.keys.get(start as usize..end as usize)
    }
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
