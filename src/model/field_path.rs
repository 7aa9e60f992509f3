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
//! small table that stays in the cache, not a lock. Reading a path's text
//! ([`FieldPath::as_str`]) takes the table's read lock: it is done for
//! evidence and diagnostics, not per field.

use std::cell::RefCell;
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
        if let Some(id) = SEEN.with(|seen| seen.borrow().get(&key).copied()) {
            return FieldPath(id);
        }
        let id = intern(path);
        SEEN.with(|seen| seen.borrow_mut().insert(key, id));
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
