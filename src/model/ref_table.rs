//! A document's bom-refs (SPDXIDs) as a hash table of component indexes.
//!
//! Both the readers (`sbom::local_refs`) and the graph
//! (`graph::refs`) look relationship ends up by bom-ref, four or more
//! times per component. The reader's table is kept in the document
//! ([`BomRefs`]) and handed to the graph, which used to build a second,
//! equal one: at a million components that was about 200 ms of one core
//! while the other had finished matching (docs/performance.md).
//!
//! A `HashMap<&str, usize>` spends 24 bytes a slot on a copy of the key's pointer and length and on a `usize`; a table of
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

use std::fmt;
use std::hash::BuildHasher;
use std::sync::Arc;

use crate::model::Component;

/// The components carrying each bom-ref, keyed by the first that does.
pub(crate) struct RefTable {
    /// Every component's bom-ref, one after the other (none for a
    /// component without one, or whose bom-ref an earlier one carries).
    keys: String,
    /// Component `i`'s bom-ref is `keys[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    /// A power of two of slots, at most two thirds in use, so that a
    /// probe is short and always reaches an empty slot.
    slots: Vec<Slot>,
    /// Seeded per process: the keys come from the SBOM, so hostile keys
    /// cannot be chosen to collide.
    hasher: foldhash::fast::RandomState,
    /// The components whose bom-ref an earlier one carries already, in
    /// order (the ref keeps naming the earlier one).
    repeats: Vec<u32>,
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
    /// Index the bom-refs of `components`, noting each component whose
    /// bom-ref an earlier one carries already ([`RefTable::repeats`]).
    ///
    /// Components from index `u32::MAX` on, or whose bom-refs would
    /// take the copy past 4 GiB, are not indexed: a document is at most
    /// 4 GiB (`read::too_large`), and its bom-refs are part of it.
    pub(crate) fn new(components: &[Component]) -> Self {
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
            repeats: Vec::new(),
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
                    table.repeats.push(index);
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

    /// The components whose bom-ref an earlier component carries, in
    /// order: refs to it name the earlier one.
    pub(crate) fn repeats(&self) -> impl Iterator<Item = usize> + '_ {
        self.repeats.iter().map(|&i| i as usize)
    }

    /// Whether this is the table [`RefTable::new`] makes of `components`:
    /// their bom-refs are, in order, the ones indexed. One pass in order
    /// over the components and the table's packed keys, with no hashing
    /// and no probe into the slots: at a million components `perf` put
    /// 0.17% of an audit's samples in it against 1.56% for building the
    /// table, whose inserts miss the cache; at 10,000, where everything
    /// is in cache, it is 0.89 M instructions against the build's 1.35 M.
    ///
    /// Any difference fails it: another list, a component more or less,
    /// a bom-ref changed. So does a table that stopped indexing early
    /// (past `u32::MAX` components or 4 GiB of bom-refs).
    pub(crate) fn indexes(&self, components: &[Component]) -> bool {
        if self.starts.len() != components.len() + 1 {
            return false;
        }
        // An empty bom-ref packs to no text, as a missing one does: which
        // component the table gives it to tells the two apart.
        let empty = self.get("");
        let mut repeats = self.repeats.iter().peekable();
        components.iter().enumerate().all(|(i, c)| {
            let Ok(index) = u32::try_from(i) else {
                return false;
            };
            let repeated = repeats.next_if_eq(&&index).is_some();
            let kept = self.key(index);
            match (c.bom_ref.as_deref(), repeated) {
                (None, false) => kept == Some("") && empty != Some(i),
                (Some(""), false) => kept == Some("") && empty == Some(i),
                (Some(key), false) => kept == Some(key),
                // A repeat keeps no text of its own, and its ref names an
                // earlier component.
                (Some(key), true) => {
                    kept == Some("") && self.get(key).is_some_and(|first| first < i)
                }
                (None, true) => false,
            }
        }) && repeats.next().is_none()
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

/// The bom-ref table a reader built over a document's components, kept
/// in the [`Document`](crate::model::Document) so that the graph need not
/// build the same table again.
///
/// It is only ever used for the components it was built over: the graph
/// asks for it with the document's components (`BomRefs::for_components`),
/// which checks that their bom-refs are still the ones indexed. A
/// document whose components were changed after reading, or one made by
/// hand with `BomRefs::default()`, simply gets a new table.
#[derive(Clone, Default)]
pub struct BomRefs(Option<Arc<RefTable>>);

impl BomRefs {
    /// The reader's table.
    pub(crate) fn kept(table: RefTable) -> Self {
        BomRefs(Some(Arc::new(table)))
    }

    /// The kept table, if it is the one [`RefTable::new`] makes of
    /// `components` ([`RefTable::indexes`]).
    pub(crate) fn for_components(&self, components: &[Component]) -> Option<Arc<RefTable>> {
        self.0.as_ref().filter(|t| t.indexes(components)).cloned()
    }
}

impl fmt::Debug for BomRefs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(table) => write!(
                f,
                "BomRefs({} components)",
                table.starts.len().saturating_sub(1)
            ),
            None => f.write_str("BomRefs(none)"),
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
        let table = RefTable::new(&components);
        assert_eq!(table.repeats().collect::<Vec<_>>(), [3, 5]);
        assert_eq!(table.get("a"), Some(0));
        assert_eq!(table.get("b"), Some(2));
        assert_eq!(table.get(""), Some(4));
        assert_eq!(table.get("c"), None);
        assert_eq!(table.get("A"), None, "refs are compared exactly");
    }

    /// The table of components carrying `refs`, which are all distinct.
    fn of_distinct(refs: &[String]) -> RefTable {
        let components = with_refs(&refs.iter().map(|r| Some(r.as_str())).collect::<Vec<_>>());
        let table = RefTable::new(&components);
        assert_eq!(table.repeats().count(), 0);
        assert!(table.indexes(&components));
        table
    }

    /// Every list of up to three refs drawn from a missing one, an empty
    /// one and two others.
    fn small_lists() -> Vec<Vec<Option<&'static str>>> {
        const REFS: [Option<&str>; 4] = [None, Some(""), Some("a"), Some("b")];
        let mut lists = vec![vec![]];
        for len in 1..=3u32 {
            for n in 0..REFS.len().pow(len) {
                let list = (0..len)
                    .map(|k| REFS[n / REFS.len().pow(k) % REFS.len()])
                    .collect();
                lists.push(list);
            }
        }
        lists
    }

    #[test]
    fn a_table_is_handed_on_only_to_components_it_describes_exactly() {
        // `indexes` must say yes exactly when building the table again
        // would give the same one: the same packed refs, the same starts,
        // the same repeats and the same first carrier of every ref (the
        // last tells a missing ref from an empty one, which pack alike).
        let lists = small_lists();
        let mut handed_on = 0;
        for built_from in &lists {
            let table = RefTable::new(&with_refs(built_from));
            assert!(table.indexes(&with_refs(built_from)), "{built_from:?}");
            for other in &lists {
                let fresh = RefTable::new(&with_refs(other));
                let same = fresh.keys == table.keys
                    && fresh.starts == table.starts
                    && fresh.repeats == table.repeats
                    && ["", "a", "b"].iter().all(|r| fresh.get(r) == table.get(r));
                assert_eq!(
                    table.indexes(&with_refs(other)),
                    same,
                    "built from {built_from:?}, asked for {other:?}"
                );
                handed_on += usize::from(same && built_from != other);
            }
        }
        // Lists that differ only in which ref a repeat repeats share a
        // table: [a, b, a] and [a, b, b] both keep "a" then "b".
        assert!(handed_on > 0);
        let kept = BomRefs::kept(RefTable::new(&with_refs(&[Some("a"), None])));
        assert!(kept
            .for_components(&with_refs(&[Some("a"), None]))
            .is_some());
        assert!(kept.for_components(&with_refs(&[Some("a")])).is_none());
        assert!(kept
            .for_components(&with_refs(&[None, Some("a")]))
            .is_none());
        assert!(BomRefs::default().for_components(&[]).is_none());
    }

    #[test]
    fn a_batch_finds_what_single_look_ups_find() {
        let refs: Vec<String> = (0..3000).map(|i| format!("c{}", i % 2500)).collect();
        let mut components = with_refs(&refs.iter().map(|r| Some(r.as_str())).collect::<Vec<_>>());
        components.insert(7, Component::default());
        let table = RefTable::new(&components);
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
        let table = of_distinct(&refs);
        assert!(table.slots.len() >= 61, "at most two thirds full");
        for (i, r) in refs.iter().enumerate() {
            assert_eq!(table.get(r), Some(i));
        }
        assert_eq!(table.get("k40"), None);
    }

    #[test]
    fn many_keys_that_share_prefixes_all_resolve() {
        let refs: Vec<String> = (0..5000).map(|i| format!("pkg:npm/x@1.0.{i}")).collect();
        let table = of_distinct(&refs);
        for (i, r) in refs.iter().enumerate() {
            assert_eq!(table.get(r), Some(i));
        }
        assert_eq!(table.get("pkg:npm/x@1.0.5000"), None);
    }
}
