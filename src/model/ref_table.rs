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
//! [`RefTable::get_many`] walks batches of keys through the steps as
//! through a pipeline, each step's line asked for a batch before it is
//! read, so that the misses are in flight together instead of one after
//! the other. That needs a table whose steps can be
//! taken apart: open addressing with linear probing, each slot holding
//! the component's index and 32 more bits of the key's hash.

use std::fmt;
use std::hash::BuildHasher;
use std::sync::Arc;

use rayon::prelude::*;

use crate::model::Component;
use crate::prefetch::prefetch;

/// The components carrying each bom-ref, keyed by the first that does.
pub(crate) struct RefTable {
    /// Every component's bom-ref, one after the other (none for a
    /// component without one).
    keys: String,
    /// Component `i`'s bom-ref is `keys[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    /// Two open-addressing tables one after the other, the first
    /// `low_slots` long: a key's top hash bit picks its half. Each half is
    /// a power of two of slots, at most two thirds in use, so that a
    /// probe is short and always reaches an empty slot. Two halves can be
    /// filled by two threads at once, each in index order (see
    /// [`RefTable::new`]).
    slots: Vec<Slot>,
    low_slots: usize,
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

/// Which half of the slots a key's hash puts it in: its top bit.
fn half_of(hash: u64) -> usize {
    (hash >> 63) as usize
}

/// How many slots a half of `keys` keys has: at most two thirds in use,
/// and at least one slot, so that a probe always reaches an empty one.
fn slots_for(keys: usize) -> usize {
    (keys + keys / 2 + 1).next_power_of_two()
}

/// One half of the slots, as a probe sees it.
#[derive(Clone, Copy)]
struct Half {
    /// The index of its first slot in [`RefTable::slots`].
    base: usize,
    /// Its length less one (a power of two less one).
    mask: usize,
}

impl Half {
    /// Where a key's probe starts within the half, and the tag its slot
    /// carries.
    fn place(self, hash: u64) -> (usize, u32) {
        // Truncation intended: the low bits choose the slot, the high
        // half is the tag.
        (hash as usize & self.mask, (hash >> 32) as u32)
    }
}

/// Components from this many on are indexed by two threads, a half of
/// the slots each; below it one thread fills both (a thread handed the
/// other half would cost more than the inserts).
const TWO_THREADS_FROM: usize = 1 << 14;

/// How many inserts read their first slot ahead of the first insert of
/// the batch, so that the cache misses of a big table are in flight
/// together rather than one after the other.
const INSERT_BATCH: usize = 16;

impl RefTable {
    /// Index the bom-refs of `components`, noting each component whose
    /// bom-ref an earlier one carries already ([`RefTable::repeats`]).
    ///
    /// Components from index `u32::MAX` on, or whose bom-refs would
    /// take the copy past 4 GiB, are not indexed: a document is at most
    /// 4 GiB (`read::too_large`), and its bom-refs are part of it.
    ///
    /// Built on every core. At a million components it was about 200 ms
    /// of one core while the other waited (docs/performance.md): copying
    /// and hashing the bom-refs, and inserts that each miss the cache in
    /// 16 MB of slots. Now the bom-refs are copied and hashed in pieces
    /// ([`Piece`]) joined in order; then each half of the slots is filled
    /// in component order, the two halves by two threads at once for a
    /// big document. Which component of a repeated bom-ref comes first
    /// does not depend on that: the copies of one key share its hash, so
    /// its half, and a half is filled in order.
    pub(crate) fn new(components: &[Component]) -> Self {
        let hasher = foldhash::fast::RandomState::default();
        let pieces: Vec<Piece> = components
            .par_chunks(PIECE)
            .enumerate()
            .map(|(n, chunk)| Piece::of(n * PIECE, chunk, &hasher))
            .collect();
        let length = pieces.iter().map(|p| p.keys.len()).sum::<usize>();
        let mut keys = String::with_capacity(length.min(u32::MAX as usize));
        let mut starts = Vec::with_capacity(components.len() + 1);
        starts.push(0);
        // Per half, the pieces' carriers.
        let mut carriers: [Vec<Vec<(u32, u64)>>; 2] = Default::default();
        for piece in pieces {
            let base = keys.len();
            // The copy stops where it would pass 4 GiB, and where the
            // piece stopped (at index `u32::MAX`).
            let fits = piece
                .ends
                .iter()
                .take_while(|&&end| u32::try_from(base + end).is_ok())
                .count();
            let ends = piece.ends.get(..fits).unwrap_or_default();
            // Truncation checked just above.
            starts.extend(ends.iter().map(|&end| (base + end) as u32));
            keys.push_str(
                piece
                    .keys
                    .get(..ends.last().copied().unwrap_or(0))
                    .unwrap_or_default(),
            );
            // What is not indexed is in no half: a piece that was cut is
            // the last.
            let last = piece.first + fits;
            for (half, mut run) in carriers.iter_mut().zip(piece.carriers) {
                run.retain(|&(index, _)| (index as usize) < last);
                half.push(run);
            }
            if fits < piece.len {
                break;
            }
        }
        let [in_low, in_high] = carriers
            .each_ref()
            .map(|runs| runs.iter().map(Vec::len).sum::<usize>());
        let low_slots = slots_for(in_low);
        let mut table = RefTable {
            keys,
            starts,
            slots: vec![Slot::EMPTY; low_slots + slots_for(in_high)],
            low_slots,
            hasher,
            repeats: Vec::new(),
        };
        let (low, high) = table.slots.split_at_mut(low_slots);
        let (keys, starts) = (&table.keys, &table.starts);
        let [low_carriers, high_carriers] = &carriers;
        let fill = |carriers, slots: &mut [Slot]| fill(keys, starts, carriers, slots);
        let (low_repeats, high_repeats) = if in_low + in_high >= TWO_THREADS_FROM {
            rayon::join(|| fill(low_carriers, low), || fill(high_carriers, high))
        } else {
            (fill(low_carriers, low), fill(high_carriers, high))
        };
        table.repeats = merge_in_order(low_repeats, high_repeats);
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
                // A repeat's ref names an earlier component.
                (Some(key), true) => {
                    kept == Some(key) && self.get(key).is_some_and(|first| first < i)
                }
                (None, true) => false,
            }
        }) && repeats.next().is_none()
    }

    /// The half of the slots that holds keys of hash `hash`.
    fn half(&self, hash: u64) -> Half {
        match half_of(hash) {
            0 => Half {
                base: 0,
                mask: self.low_slots - 1,
            },
            _ => Half {
                base: self.low_slots,
                mask: self.slots.len() - self.low_slots - 1,
            },
        }
    }

    /// Component `index`'s bom-ref, if it was indexed.
    fn key(&self, index: u32) -> Option<&str> {
        key_in(&self.keys, &self.starts, index)
    }

    /// Where `key`'s probe starts: its half of the slots, its first slot
    /// in that half, and its tag.
    fn home(&self, key: &str) -> (Half, (usize, u32)) {
        let hash = self.hasher.hash_one(key);
        let half = self.half(hash);
        (half, half.place(hash))
    }

    /// The first component that carries `key`, if one does.
    pub(crate) fn get(&self, key: &str) -> Option<usize> {
        let (half, place) = self.home(key);
        let slots = self.slots.get(half.base..=half.base + half.mask)?;
        probe(slots, place, |index| self.key(index) == Some(key))
            .ok()
            .and_then(|at| slots.get(at))
            .map(|slot| slot.index as usize)
    }

    /// [`RefTable::get`] of each of `keys`, into `found` (as many as
    /// `keys`; the rest of `found` is left alone).
    ///
    /// A look-up is a chain of dependent reads: the key's first slot (and
    /// a few after it, mostly in the same cache line), the candidate's
    /// start, the candidate's text. At a million components each misses
    /// the cache. The keys are taken a batch at a time, and the batches
    /// go through those reads as through a pipeline of four stages, each
    /// a batch behind the one before: this batch's keys are hashed and
    /// their first slots asked for ([`prefetch`]); the batch before reads
    /// its slots and asks for its candidates' starts; the one before that
    /// reads the starts and asks for the texts; the one before that
    /// compares. Each read then finds its line on the way or in cache.
    /// A key whose probe goes on further, or whose candidate is another
    /// key with the same tag, is looked up on its own. Hand it many keys
    /// at once: the pipeline runs within one call.
    pub(crate) fn get_many(&self, keys: &[&str], found: &mut [Option<usize>]) {
        const BATCH: usize = 32;
        let n = keys.len().min(found.len());
        let batches = n.div_ceil(BATCH);
        let range = |b: usize| b * BATCH..((b + 1) * BATCH).min(n);
        let slot = |half: Half, at: usize| {
            self.slots
                .get(half.base + (at & half.mask))
                .copied()
                .unwrap_or(Slot::EMPTY)
        };
        // Each stage's output for two batches, by the batch's parity:
        // the stages run last first in each step, so a stage reads what
        // the one before wrote a step earlier before it is overwritten.
        let mut places = [[(Half { base: 0, mask: 0 }, 0, 0); BATCH]; 2];
        let mut near = [[Near::Beyond; BATCH]; 2];
        let mut candidates: [[Option<(u32, &str)>; BATCH]; 2] = [[None; BATCH]; 2];
        for step in 0..batches + 3 {
            // Compare: batch `step - 3`.
            if let Some(b) = step.checked_sub(3) {
                let (keys, found) = (&keys[range(b)], &mut found[range(b)]);
                let (near, candidates) = (&near[b % 2], &candidates[b % 2]);
                for (((out, key), near), candidate) in
                    found.iter_mut().zip(keys).zip(near).zip(candidates)
                {
                    *out = match (near, candidate) {
                        (_, Some((index, k))) if k == key => Some(*index as usize),
                        (Near::Absent, _) => None,
                        _ => self.get(key),
                    };
                }
            }
            // Starts read, texts asked for: batch `step - 2`.
            if let Some(b) = step.checked_sub(2).filter(|&b| b < batches) {
                let len = range(b).len();
                for (candidate, near) in candidates[b % 2].iter_mut().zip(&near[b % 2]).take(len) {
                    *candidate = match *near {
                        Near::Candidate(index) => self.key(index).map(|k| (index, k)),
                        _ => None,
                    };
                    if let Some(text) = candidate.and_then(|(_, k)| k.as_bytes().first()) {
                        prefetch(text);
                    }
                }
            }
            // Slots read, starts asked for: batch `step - 1`.
            if let Some(b) = step.checked_sub(1).filter(|&b| b < batches) {
                let len = range(b).len();
                for (near, &(half, at, tag)) in near[b % 2].iter_mut().zip(&places[b % 2]).take(len)
                {
                    *near = (0..NEAR)
                        .map(|k| slot(half, at + k))
                        .find_map(|s| match s {
                            s if s.is_empty() => Some(Near::Absent),
                            s if s.tag == tag => Some(Near::Candidate(s.index)),
                            _ => None,
                        })
                        .unwrap_or(Near::Beyond);
                    if let Near::Candidate(index) = *near {
                        if let Some(start) = self.starts.get(index as usize) {
                            prefetch(start);
                        }
                    }
                }
            }
            // Hashed, first slots asked for: batch `step`.
            if step < batches {
                for (place, key) in places[step % 2].iter_mut().zip(&keys[range(step)]) {
                    let (half, (at, tag)) = self.home(key);
                    if let Some(home) = self.slots.get(half.base + at) {
                        prefetch(home);
                    }
                    *place = (half, at, tag);
                }
            }
        }
    }
}

/// How many components one task copies and hashes the bom-refs of.
const PIECE: usize = 1 << 14;

/// The bom-refs of a run of components, copied one after the other and
/// hashed, by one task: [`RefTable::new`] then joins the pieces in order.
/// Copied in one pass in order, they were about half of building the
/// table at a million components, on one core.
struct Piece {
    /// The index of the run's first component.
    first: usize,
    /// How many components the run has.
    len: usize,
    /// Their bom-refs, one after the other.
    keys: String,
    /// Where each component's bom-ref ends in `keys`, up to the first one
    /// that cannot be indexed (at index `u32::MAX`).
    ends: Vec<usize>,
    /// The components with a bom-ref, by index, with the bom-ref's hash:
    /// those of each half of the slots apart, so that a thread filling
    /// one half reads only its own.
    carriers: [Vec<(u32, u64)>; 2],
}

impl Piece {
    fn of(first: usize, components: &[Component], hasher: &foldhash::fast::RandomState) -> Self {
        let mut piece = Piece {
            first,
            len: components.len(),
            keys: String::new(),
            ends: Vec::with_capacity(components.len()),
            carriers: Default::default(),
        };
        for (k, c) in components.iter().enumerate() {
            if let Some(key) = c.bom_ref.as_deref() {
                // `u32::MAX` marks an empty slot, so it names no component.
                let index = u32::try_from(first + k).ok().filter(|&i| i != u32::MAX);
                let Some(index) = index else {
                    break;
                };
                piece.keys.push_str(key);
                let hash = hasher.hash_one(key);
                if let Some(half) = piece.carriers.get_mut(half_of(hash)) {
                    half.push((index, hash));
                }
            }
            piece.ends.push(piece.keys.len());
        }
        piece
    }
}

/// Component `index`'s bom-ref in the packed `keys`, if it was indexed.
fn key_in<'k>(keys: &'k str, starts: &[u32], index: u32) -> Option<&'k str> {
    let i = index as usize;
    let (&start, &end) = (starts.get(i)?, starts.get(i + 1)?);
    keys.get(start as usize..end as usize)
}

/// The probe of one half's `slots` from `(at, tag)`: `Ok` with the slot
/// of the component whose bom-ref `is_key`, or `Err` with the empty slot
/// where the key would go.
fn probe(
    slots: &[Slot],
    (mut at, tag): (usize, u32),
    is_key: impl Fn(u32) -> bool,
) -> Result<usize, usize> {
    let mask = slots.len().wrapping_sub(1);
    // At most two thirds of the slots are in use, so a probe meets an
    // empty one; the bound only guards against a broken invariant.
    for _ in 0..slots.len() {
        let slot = slots.get(at).copied().unwrap_or(Slot::EMPTY);
        if slot.is_empty() {
            return Err(at);
        }
        if slot.tag == tag && is_key(slot.index) {
            return Ok(at);
        }
        at = (at + 1) & mask;
    }
    Err(at)
}

/// Fills one half of the slots (`slots`) with its `carriers`, in order,
/// and gives the ones whose bom-ref an earlier carrier holds already.
///
/// Each batch of [`INSERT_BATCH`] first reads the first slot of each of
/// its keys, so that the cache misses of a big table overlap, then
/// inserts them in order (the reads only warm the cache; the inserts read
/// the slots again).
fn fill(keys: &str, starts: &[u32], carriers: &[Vec<(u32, u64)>], slots: &mut [Slot]) -> Vec<u32> {
    let half = Half {
        base: 0,
        mask: slots.len() - 1,
    };
    let mut repeats = Vec::new();
    for batch in carriers.iter().flat_map(|run| run.chunks(INSERT_BATCH)) {
        let warm = batch.iter().fold(0u32, |acc, &(_, hash)| {
            let (at, _) = half.place(hash);
            acc ^ slots.get(at).map_or(0, |s| s.index)
        });
        std::hint::black_box(warm);
        for &(index, hash) in batch {
            let key = key_in(keys, starts, index);
            let (at, tag) = half.place(hash);
            match probe(slots, (at, tag), |other| key_in(keys, starts, other) == key) {
                Ok(_) => repeats.push(index),
                Err(empty) => {
                    if let Some(slot) = slots.get_mut(empty) {
                        *slot = Slot { tag, index };
                    }
                }
            }
        }
    }
    repeats
}

/// Two ascending lists of component indexes as one.
fn merge_in_order(a: Vec<u32>, b: Vec<u32>) -> Vec<u32> {
    if b.is_empty() {
        return a;
    }
    let mut all = a;
    all.extend(b);
    all.sort_unstable();
    all
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
        // A repeat keeps its text, so no two lists share a table: [a, b, a]
        // and [a, b, b] have the same first carriers but not the same refs.
        assert_eq!(handed_on, 0);
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

    /// The pipeline's edges: fewer batches than it has stages, a last
    /// batch short or full, and `found` shorter or longer than `keys`
    /// (only the common length is looked up; the rest is untouched).
    #[test]
    fn look_ups_of_any_count_fill_exactly_what_they_should() {
        let refs: Vec<String> = (0..500).map(|i| format!("r{i}")).collect();
        let table = RefTable::new(&with_refs(
            &refs.iter().map(|r| Some(r.as_str())).collect::<Vec<_>>(),
        ));
        // Every third key names no component.
        let all: Vec<String> = (0..200)
            .map(|i| match i % 3 {
                0 => format!("ghost{i}"),
                _ => format!("r{}", (i * 37) % 500),
            })
            .collect();
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        for count in [0, 1, 2, 31, 32, 33, 64, 65, 96, 97, 128, 129, 200] {
            let keys = &all[..count];
            for room in [count, count + 5, count.saturating_sub(3)] {
                let mut found = vec![Some(usize::MAX); room];
                table.get_many(keys, &mut found);
                for (i, got) in found.iter().enumerate() {
                    let want = match keys.get(i) {
                        Some(key) => table.get(key),
                        None => Some(usize::MAX),
                    };
                    assert_eq!(*got, want, "{count} keys, {room} places, at {i}");
                }
            }
        }
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
    fn a_table_filled_by_two_threads_keeps_the_first_carrier_of_every_ref() {
        // Big enough for two threads, and small, with refs repeated near
        // and far (`r{i / 3}` names an earlier component's ref) and
        // components without one: every first carrier and every repeat
        // must be what one pass in order with a map finds.
        for n in [TWO_THREADS_FROM * 2 + 123, 500] {
            let refs: Vec<Option<String>> = (0..n)
                .map(|i| match i % 7 {
                    0 => None,
                    3 => Some(format!("r{}", i / 3)),
                    5 => Some(format!("r{}", i - 1)),
                    _ => Some(format!("r{i}")),
                })
                .collect();
            let components = with_refs(&refs.iter().map(Option::as_deref).collect::<Vec<_>>());
            let mut first = std::collections::HashMap::new();
            let mut repeats = Vec::new();
            for (i, r) in refs.iter().enumerate() {
                if let Some(r) = r {
                    if first.contains_key(r.as_str()) {
                        repeats.push(i);
                    } else {
                        first.insert(r.as_str(), i);
                    }
                }
            }
            let table = RefTable::new(&components);
            assert!(repeats.len() > n / 10, "the test repeats refs");
            assert_eq!(table.repeats().collect::<Vec<_>>(), repeats);
            for (key, &i) in &first {
                assert_eq!(table.get(key), Some(i), "{key}");
            }
            let keys: Vec<&str> = first.keys().copied().collect();
            let mut found = vec![None; keys.len()];
            table.get_many(&keys, &mut found);
            for (key, found) in keys.iter().zip(&found) {
                assert_eq!(*found, first.get(key).copied(), "{key}");
            }
            assert_eq!(table.get(&format!("r{n}")), None);
            assert!(table.indexes(&components));
            // Both halves hold keys, each at most two thirds full.
            let (low, high) = table.slots.split_at(table.low_slots);
            for half in [low, high] {
                let used = half.iter().filter(|s| !s.is_empty()).count();
                assert!(
                    used > 0 && used * 3 <= half.len() * 2,
                    "{used} of {}",
                    half.len()
                );
            }
        }
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
