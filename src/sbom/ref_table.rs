//! A document's bom-refs (SPDXIDs) as a hash table of component indexes.
//!
//! Both the readers ([`super::local_refs`]) and the graph
//! (`graph::refs`) look relationship ends up by bom-ref, four or more
//! times per component. A `HashMap<&str, usize>` spends 24 bytes a slot
//! on a copy of the key's pointer and length and on a `usize`; a table of
//! component indexes alone, 4 bytes a slot, took a 1M-component audit
//! from 3.67 to 3.40 s and from 1,271 to 1,241 MiB of peak RSS
//! (interleaved runs, docs/performance.md). This one spends 8: the index
//! and half of the key's hash, for the reason below.
//!
//! A look-up compares the key with the candidate's bom-ref, and where
//! that bom-ref is read from decides what the look-up costs. Read from
//! the component, it was a cache miss into a 160-byte-per-component array
//! (16 MB at 100,000 components) for every end; read from [`RefTable`]'s
//! own copy of the bom-refs, packed one after the other, it is a read in
//! a much smaller space: at 100,000 components of the synthetic
//! benchmark, 0.6 MB of keys, 0.4 MB of starts and 2 MB of slots, which
//! the 32 MB L3 cache holds (a purl as bom-ref makes the keys about ten
//! times longer).
//!
//! At a million components nothing stays in cache, and a look-up is a
//! chain of dependent misses: the slot, the candidate's start, its text.
//! [`RefTable::get_many`] walks a batch of keys through each step in
//! turn, so that the misses of one step are all in flight together
//! instead of one after the other. That needs a table whose steps can be
//! taken apart: open addressing with linear probing, each slot holding
//! the component's index and 32 more bits of the key's hash.

use std::hash::BuildHasher;

use crate::model::Component;

/// The components carrying each bom-ref, keyed by the first that does.
pub(crate) struct RefTable {
    /// Every component's bom-ref, one after the other (none for a
    /// component without one).
    keys: String,
    /// Component `i`'s bom-ref is `keys[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    /// A power of two of slots, at most two thirds in use, so that a
    /// probe is short and always reaches an empty slot.
    slots: Vec<Slot>,
    /// Seeded per process: the keys come from the SBOM, so hostile keys
    /// cannot be chosen to collide.
    hasher: foldhash::fast::RandomState,
}

/// One slot: a component index (or [`Slot::EMPTY`]) and the high half of
/// its bom-ref's hash, which turns nearly every wrong candidate away
/// without reading its bom-ref.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Slot {
    tag: u32,
    index: u32,
}

impl Slot {
    const EMPTY: Slot = Slot {
        tag: 0,
        index: u32::MAX,
    };

    fn is_empty(self) -> bool {
        self.index == u32::MAX
    }
}

/// Where a key's probe starts, and the tag its slot carries.
fn place(hash: u64, mask: usize) -> (usize, u32) {
    // Truncation intended: the low bits choose the slot, the high half
    // is the tag.
    (hash as usize & mask, (hash >> 32) as u32)
}

impl RefTable {
    /// Index the bom-refs of `components`; `repeated(i)` is called for
    /// each component whose bom-ref an earlier one carries already (the
    /// ref keeps naming the earlier one).
    ///
    /// Components from index `u32::MAX` on, or whose bom-refs would
    /// take the copy past 4 GiB, are not indexed: a document is at most
    /// 4 GiB (`read::too_large`), and its bom-refs are part of it.
    pub(crate) fn new(components: &[Component], mut repeated: impl FnMut(usize)) -> Self {
        let (length, with_ref) = components
            .iter()
            .filter_map(|c| c.bom_ref.as_deref())
            .fold((0, 0usize), |(length, count), key| {
                (length + key.len(), count + 1)
            });
        let mut table = RefTable {
            keys: String::with_capacity(length),
            starts: Vec::with_capacity(components.len() + 1),
            slots: vec![Slot::EMPTY; (with_ref + with_ref / 2 + 1).next_power_of_two()],
            hasher: foldhash::fast::RandomState::default(),
        };
        table.starts.push(0);
        for (i, c) in components.iter().enumerate() {
            let Some(key) = c.bom_ref.as_deref() else {
                table.starts.push(table.keys.len() as u32);
                continue;
            };
            // `u32::MAX` marks an empty slot, so it names no component.
            let index = u32::try_from(i).ok().filter(|&i| i != u32::MAX);
            let end = u32::try_from(table.keys.len() + key.len()).ok();
            let (Some(index), Some(end)) = (index, end) else {
                break;
            };
            let hash = table.hasher.hash_one(key);
            match table.probe(key, hash) {
                Ok(_) => {
                    repeated(i);
                    table.starts.push(table.keys.len() as u32);
                }
                Err(empty) => {
                    table.keys.push_str(key);
                    table.starts.push(end);
                    let (_, tag) = place(hash, table.mask());
                    if let Some(slot) = table.slots.get_mut(empty) {
                        *slot = Slot { tag, index };
                    }
                }
            }
        }
        table
    }

    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    /// Component `index`'s bom-ref, if it was indexed.
    fn key(&self, index: u32) -> Option<&str> {
        let i = index as usize;
        let (&start, &end) = (self.starts.get(i)?, self.starts.get(i + 1)?);
        self.keys.get(start as usize..end as usize)
    }

    /// The slot that holds `key` (whose hash is `hash`), or the empty
    /// slot where it would go.
    fn probe(&self, key: &str, hash: u64) -> Result<usize, usize> {
        let (mut at, tag) = place(hash, self.mask());
        // At most two thirds of the slots are in use, so a probe meets an
        // empty one; the bound only guards against a broken invariant.
        for _ in 0..self.slots.len() {
            let slot = self.slots.get(at).copied().unwrap_or(Slot::EMPTY);
            if slot.is_empty() {
                return Err(at);
            }
            if slot.tag == tag && self.key(slot.index) == Some(key) {
                return Ok(slot.index as usize);
            }
            at = (at + 1) & self.mask();
        }
        Err(at)
    }

    /// The first component that carries `key`, if one does.
    pub(crate) fn get(&self, key: &str) -> Option<usize> {
        self.probe(key, self.hasher.hash_one(key)).ok()
    }

    /// [`RefTable::get`] of each key of a batch, into `found` (as many as
    /// `keys`; the rest of `found` is left alone).
    ///
    /// Each step of a look-up is taken for the whole batch before the
    /// next: every key's first slot, the probe a few slots on (mostly in
    /// the same cache line), every candidate's start, then the compare.
    /// A key whose probe goes on further, or whose candidate is another
    /// key with the same tag, is looked up on its own.
    pub(crate) fn get_many(&self, keys: &[&str], found: &mut [Option<usize>]) {
        const BATCH: usize = 32;
        let mask = self.mask();
        let slot = |at: usize| self.slots.get(at & mask).copied().unwrap_or(Slot::EMPTY);
        for (keys, found) in keys.chunks(BATCH).zip(found.chunks_mut(BATCH)) {
            let mut first = [(0, 0, Slot::EMPTY); BATCH];
            for (first, key) in first.iter_mut().zip(keys) {
                let (at, tag) = place(self.hasher.hash_one(*key), mask);
                *first = (at, tag, slot(at));
            }
            let mut near = [Near::Beyond; BATCH];
            for (near, &(at, tag, home)) in near.iter_mut().zip(&first) {
                *near = (0..NEAR)
                    .map(|k| if k == 0 { home } else { slot(at + k) })
                    .find_map(|s| match s {
                        s if s.is_empty() => Some(Near::Absent),
                        s if s.tag == tag => Some(Near::Candidate(s.index)),
                        _ => None,
                    })
                    .unwrap_or(Near::Beyond);
            }
            let mut candidate = [None; BATCH];
            for (candidate, near) in candidate.iter_mut().zip(&near) {
                if let Near::Candidate(index) = *near {
                    *candidate = self.key(index).map(|k| (index, k));
                }
            }
            for (((out, key), near), candidate) in
                found.iter_mut().zip(keys).zip(&near).zip(&candidate)
            {
                *out = match (near, candidate) {
                    (_, Some((index, k))) if k == key => Some(*index as usize),
                    (Near::Absent, _) => None,
                    _ => self.get(key),
                };
            }
        }
    }
}

/// How many slots a batched look-up reads before it leaves a key to
/// [`RefTable::get`]: at most two thirds full, the table puts a key that
/// far from its first slot rarely, and the next slots are mostly in the
/// first one's cache line, already read.
const NEAR: usize = 4;

/// What a batched look-up found in the first [`NEAR`] slots of a probe.
#[derive(Clone, Copy)]
enum Near {
    /// A slot with the key's tag, naming this component.
    Candidate(u32),
    /// An empty slot first: the key is in no slot.
    Absent,
    /// Neither: the probe goes on.
    Beyond,
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
    fn a_batch_finds_what_single_look_ups_find() {
        let refs: Vec<String> = (0..3000).map(|i| format!("c{}", i % 2500)).collect();
        let mut components = with_refs(&refs.iter().map(|r| Some(r.as_str())).collect::<Vec<_>>());
        components.insert(7, Component::default());
        let table = RefTable::new(&components, |_| {});
        let keys: Vec<String> = (0..2600)
            .map(|i| format!("c{i}"))
            .chain(["".into()])
            .collect();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        let mut found = vec![Some(usize::MAX); keys.len() + 1];
        table.get_many(&keys, &mut found);
        for (key, found) in keys.iter().zip(&found) {
            assert_eq!(*found, table.get(key), "{key}");
        }
        assert_eq!(found[0], Some(0));
        assert_eq!(found[7], Some(8), "after the component without a ref");
        assert_eq!(found[2499], Some(2500));
        assert_eq!(found[2500], None);
        assert_eq!(
            found[keys.len()],
            Some(usize::MAX),
            "past the keys: untouched"
        );
    }

    #[test]
    fn a_crowded_table_still_finds_every_key() {
        // Few slots, so probes run into each other.
        let refs: Vec<String> = (0..40).map(|i| format!("k{i}")).collect();
        let components = with_refs(&refs.iter().map(|r| Some(r.as_str())).collect::<Vec<_>>());
        let table = RefTable::new(&components, |i| panic!("no repeats, got {i}"));
        assert!(table.slots.len() >= 61, "at most two thirds full");
        for (i, r) in refs.iter().enumerate() {
            assert_eq!(table.get(r), Some(i));
        }
        assert_eq!(table.get("k40"), None);
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
