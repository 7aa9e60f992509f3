//! [`FieldPath`]: where in a component a field sits, in two bytes.
//!
//! Every field keeps its path (`"supplier.name"`, `"hashes"`, ...) for the
//! evidence of a finding. The paths are the readers' string literals, a few
//! dozen in all, but as a `&'static str` each field spent 16 bytes on one:
//! 6 MB for the 373,000 fields of 100,000 components. Interned, a path is a
//! `u16` naming a slot of one process-wide table, and a field is 32 bytes
//! instead of 48; the peak memory of that audit fell by 5.0 MiB
//! (docs/performance.md).
//!
//! Interning happens once per literal and thread: each thread remembers the
//! literals it has seen by address, so making a field costs a look-up in a
//! small table that stays in the cache, not a lock; in front of it, the
//! last literal seen at each of 64 places costs one compare. Reading a
//! path's text ([`FieldPath::as_str`]) takes the table's read lock: it is
//! done for evidence and diagnostics, not per field.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::sync::{PoisonError, RwLock};

/// Where in a component a [`Field`](super::Field) sits, in the SBOM's own
/// words: `FieldPath::from("supplier.name").as_str() == "supplier.name"`.
///
/// Two paths are equal when their text is.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct FieldPath(u16);

/// Paths every process has, at fixed ids: the empty path (the default) and
/// the two the matcher adds for a component's own name and purl.
const KNOWN: [&str; 3] = ["", "name", "purl"];

/// The paths interned so far, after [`KNOWN`]; slot `i` is id
/// `KNOWN.len() + i`. Only ever appended to.
static TABLE: RwLock<Vec<&'static str>> = RwLock::new(Vec::new());

thread_local! {
    /// The ids of the literals this thread has interned, by address and
    /// length: two literals with the same text may sit at different
    /// addresses, and both map to the one id.
    static SEEN: RefCell<foldhash::HashMap<(usize, usize), u16>> =
        RefCell::new(foldhash::HashMap::default());
}

/// How many literals [`RECENT`] remembers, one per place: a literal that
/// shares its place with another is found in [`SEEN`] when the other
/// came last.
const RECENT_PLACES: usize = 64;

thread_local! {
    /// The last literal seen at each of [`RECENT_PLACES`] places, chosen by
    /// its address: a field's path is then found by one compare, without
    /// hashing. In front of [`SEEN`], which answered every field and cost
    /// 2.5 M instructions of the 10k CycloneDX audit (callgrind,
    /// docs/performance.md).
    static RECENT: [Cell<(usize, usize, u16)>; RECENT_PLACES] =
        const { [const { Cell::new((0, 0, 0)) }; RECENT_PLACES] };
}

/// The place in [`RECENT`] of the literal at `address` of `length` bytes.
fn recent_place((address, length): (usize, usize)) -> usize {
    // Literals lie a few bytes apart: the low bits tell them apart.
    (address ^ address >> 6 ^ length) % RECENT_PLACES
}

impl FieldPath {
    /// `"name"`, the path of a component's own name.
    pub const NAME: FieldPath = FieldPath(1);
    /// `"purl"`, the path of a component's own purl.
    pub const PURL: FieldPath = FieldPath(2);

    /// The id of `path`, interning it on first sight.
    ///
    /// Paths are the readers' literals, so the table stays small. Should a
    /// process ever intern more than 65,000 distinct paths, the rest read
    /// as the empty path rather than as another path.
    pub fn of(path: &'static str) -> FieldPath {
        let key = (path.as_ptr() as usize, path.len());
        let place = recent_place(key);
        let found = RECENT.with(|recent| {
            let slot = recent.get(place)?;
            let (address, length, id) = slot.get();
            ((address, length) == key).then_some(id)
        });
        if let Some(id) = found {
            return FieldPath(id);
        }
        let id = match SEEN.with(|seen| seen.borrow().get(&key).copied()) {
            Some(id) => id,
            None => {
                let id = intern(path);
                SEEN.with(|seen| seen.borrow_mut().insert(key, id));
                id
            }
        };
        RECENT.with(|recent| {
            if let Some(slot) = recent.get(place) {
                slot.set((key.0, key.1, id));
            }
        });
        FieldPath(id)
    }

    /// The path's text.
    pub fn as_str(self) -> &'static str {
        let id = usize::from(self.0);
        if let Some(known) = KNOWN.get(id) {
            return known;
        }
        let table = TABLE.read().unwrap_or_else(PoisonError::into_inner);
        table.get(id - KNOWN.len()).copied().unwrap_or_default()
    }
}

/// The id of `path` in the table, appending it when it is new.
fn intern(path: &'static str) -> u16 {
    if let Some(id) = KNOWN.iter().position(|k| *k == path) {
        return id as u16;
    }
    let mut table = TABLE.write().unwrap_or_else(PoisonError::into_inner);
    let slot = match table.iter().position(|p| *p == path) {
        Some(slot) => slot,
        None => {
            table.push(path);
            table.len() - 1
        }
    };
    u16::try_from(slot + KNOWN.len()).unwrap_or(0)
}

impl From<&'static str> for FieldPath {
    fn from(path: &'static str) -> Self {
        FieldPath::of(path)
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq<&str> for FieldPath {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_reads_back_as_its_text() {
        for path in ["supplier.name", "hashes", "", "name", "purl", "x.y.z"] {
            assert_eq!(FieldPath::of(path).as_str(), path);
        }
        assert_eq!(FieldPath::of("name"), FieldPath::NAME);
        assert_eq!(FieldPath::of("purl"), FieldPath::PURL);
        assert_eq!(FieldPath::default().as_str(), "");
        assert_eq!(
            FieldPath::of("licenses.license.id").to_string(),
            "licenses.license.id"
        );
        assert_eq!(format!("{:?}", FieldPath::of("a.b")), "\"a.b\"");
    }

    #[test]
    fn equal_text_is_one_path_whatever_its_address() {
        // A leaked copy sits at another address than the literal.
        let copy: &'static str = String::from("copyright.text").leak();
        assert_ne!(copy.as_ptr(), "copyright.text".as_ptr());
        assert_eq!(FieldPath::of(copy), FieldPath::of("copyright.text"));
        assert_ne!(FieldPath::of("copyright.text"), FieldPath::of("copyright"));
        assert_eq!(FieldPath::of("copyright"), "copyright");
    }

    #[test]
    fn more_literals_than_places_each_keep_their_path() {
        // Twice as many texts as `RECENT` has places: some share a place
        // and push each other out, and each still reads back as itself,
        // on the first look-up and on the next.
        let texts: Vec<&'static str> = (0..2 * RECENT_PLACES)
            .map(|i| &*format!("place.test.{i}").leak())
            .collect();
        for _ in 0..2 {
            for text in &texts {
                assert_eq!(FieldPath::of(text).as_str(), *text);
            }
        }
        let ids: std::collections::HashSet<FieldPath> =
            texts.iter().map(|t| FieldPath::of(t)).collect();
        assert_eq!(ids.len(), texts.len());
    }

    #[test]
    fn threads_share_the_table() {
        let here = FieldPath::of("thread.shared.path");
        let there = std::thread::spawn(|| {
            let id = FieldPath::of("thread.shared.path");
            (id, FieldPath::of("thread.only.there"))
        })
        .join()
        .unwrap();
        assert_eq!(there.0, here);
        assert_eq!(there.1.as_str(), "thread.only.there");
        assert_ne!(there.1, here);
    }
}
