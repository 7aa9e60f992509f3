//! Small span-aware JSON helpers shared by the JSON readers.
//!
//! The readers never build a `serde_json::Value` tree. A document's
//! syntax is checked once, every byte, and its top level split in the same
//! pass ([`checked_top`], or `serde_json` where that refuses); every value
//! a reader cares about is then a [`Raw`]: a slice of that checked text,
//! whose span is found by pointer arithmetic against the source. Looking
//! inside a `Raw` ([`Raw::object`], [`elements`]) only delimits its parts
//! (see [`scan`]), without parsing them again. No input can overflow the
//! stack here: `serde_json` skips values iteratively, and so do the
//! validator and the scanner.

mod elements;
mod keys;
mod scan;
mod unescape;
mod validate;

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::model::Span;

pub(crate) use elements::Elements;
pub(crate) use keys::Keys;
#[cfg(test)]
pub(crate) use scan::walked_bytes;
pub(crate) use scan::Known;

/// The text of one JSON value, borrowed from a document whose syntax
/// has been checked ([`checked_top`] or `serde_json`). Only a checked
/// `&RawValue`, the check's split of the top level or the scanner's split
/// of another `Raw` makes one, so what it holds is valid JSON; the scanner
/// relies on that for speed, never for safety.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Raw<'a>(&'a str);

impl<'a> Raw<'a> {
    /// The value's text, exactly as in the source (no surrounding space).
    pub(crate) fn get(self) -> &'a str {
        self.0
    }

    /// The known keys of this object, other keys skipped (see [`object`]).
    ///
    /// Fails only when the value is not an object.
    pub(crate) fn object<const N: usize>(
        self,
        keys: &'static Keys<N>,
    ) -> serde_json::Result<Object<'a, N>> {
        self.object_with_lists(keys, N)
    }

    /// Like [`Raw::object`], with the arrays of the keys from `lists_from`
    /// on split in the same pass (see [`object_with_lists`]). A key among
    /// those whose value is not an array stays in `slots`.
    pub(crate) fn object_with_lists<const N: usize>(
        self,
        keys: &'static Keys<N>,
        lists_from: usize,
    ) -> serde_json::Result<Object<'a, N>> {
        let mut object = Object::empty();
        self.object_into(keys, lists_from, &mut object, &mut Known::off())?;
        Ok(object)
    }

    /// [`Raw::object_with_lists`], written into `out`, which the caller
    /// passes empty ([`Object::empty`]); after an error it is empty again.
    ///
    /// For the readers' objects of every component: an 18-key object is
    /// about 780 bytes, and returned by value it was copied four times
    /// on its way to the reader. Reading the components' objects and
    /// their nested ones in place took a 10k CycloneDX audit from 297.2 M
    /// to 289.8 M instructions (callgrind, one thread).
    ///
    /// The ends of big values are taken from `known`, and noted there (see
    /// [`Known`]): a reader that looks inside nested values passes its own.
    pub(crate) fn object_into<const N: usize>(
        self,
        keys: &'static Keys<N>,
        lists_from: usize,
        out: &mut Object<'a, N>,
        known: &mut Known,
    ) -> serde_json::Result<()> {
        if scan::object_into(self.0, keys, lists_from, None, out, known).is_some() {
            return Ok(());
        }
        *out = Object::empty();
        *out = object_with_lists(self.0, keys, lists_from).or_else(|_| object(self.0, keys))?;
        Ok(())
    }
}

impl Raw<'_> {
    /// Whether both are the same slice of the same text.
    #[cfg(test)]
    fn same(self, other: Raw<'_>) -> bool {
        self.0.as_ptr() == other.0.as_ptr() && self.0.len() == other.0.len()
    }
}

impl<'a> From<&'a RawValue> for Raw<'a> {
    fn from(raw: &'a RawValue) -> Self {
        Raw(raw.get())
    }
}

#[cfg(test)]
impl<'a> Raw<'a> {
    /// `text` checked by `serde_json` (tests only; panics on bad JSON).
    pub(crate) fn checked(text: &'a str) -> Self {
        serde_json::from_str::<&RawValue>(text)
            .expect("test JSON")
            .into()
    }
}

/// Every entry of one JSON object, in document order, duplicates
/// included: the key (borrowed unless it holds escapes, which are
/// decoded) and the value. Fails only when the value is not an object.
pub(crate) fn entries(raw: Raw<'_>) -> serde_json::Result<Vec<(Cow<'_, str>, Raw<'_>)>> {
    serde_json::from_str::<Entries<'_>>(raw.get()).map(|e| e.0)
}

struct Entries<'a>(Vec<(Cow<'a, str>, Raw<'a>)>);

impl<'de> de::Deserialize<'de> for Entries<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(EntriesVisitor)
    }
}

struct EntriesVisitor;

impl<'de> Visitor<'de> for EntriesVisitor {
    type Value = Entries<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(Key(key)) = map.next_key()? {
            entries.push((key, map.next_value::<&RawValue>()?.into()));
        }
        Ok(Entries(entries))
    }
}

/// An object key, borrowed from the source unless `serde_json` had to
/// decode escapes in it (serde's `borrow` on a `Cow<str>`).
#[derive(serde::Deserialize)]
struct Key<'a>(#[serde(borrow)] Cow<'a, str>);

/// The JSON type of a value, read from its first byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum JsonType {
    Object,
    Array,
    String,
    Number,
    Bool,
    Null,
}

impl JsonType {
    /// The type of a validated raw value. `serde_json` trims raw values,
    /// so the first byte decides.
    pub(crate) fn of(raw: Raw<'_>) -> JsonType {
        match raw.get().as_bytes().first() {
            Some(b'{') => JsonType::Object,
            Some(b'[') => JsonType::Array,
            Some(b'"') => JsonType::String,
            Some(b't' | b'f') => JsonType::Bool,
            Some(b'n') => JsonType::Null,
            _ => JsonType::Number,
        }
    }

    /// The type with its article, as a message says it ("an object").
    pub(crate) const fn described(self) -> &'static str {
        match self {
            JsonType::Object => "an object",
            JsonType::Array => "an array",
            JsonType::String => "a string",
            JsonType::Number => "a number",
            JsonType::Bool => "a boolean",
            JsonType::Null => "null",
        }
    }
}

impl fmt::Display for JsonType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.described())
    }
}

/// The byte span of `text` inside `source`. `text` must be a slice of
/// `source` (every raw value the readers hold is); anything else gets an
/// empty span at the start instead of a wrong one.
pub(crate) fn span_in(source: &str, text: &str) -> Span {
    let base = source.as_ptr() as usize;
    let start = text.as_ptr() as usize;
    match start.checked_sub(base) {
        Some(offset) if offset + text.len() <= source.len() => Span::new(offset, text.len()),
        _ => Span::default(),
    }
}

/// The decoded text of a JSON string literal: borrowed when it has no
/// escapes (the common case), decoded otherwise. `None` if the value is not
/// a string.
///
/// Escapes are decoded leniently: JSON allows a lone surrogate (`"\ud800"`),
/// which no Rust string can hold; it becomes U+FFFD rather than costing
/// the whole value.
pub(crate) fn string(raw: Raw<'_>) -> Option<Cow<'_, str>> {
    let text = raw.get();
    let inner = text.strip_prefix('"')?.strip_suffix('"')?;
    if !scan::has_backslash(inner.as_bytes()) {
        return Some(Cow::Borrowed(inner));
    }
    unescape::unescape(inner).map(Cow::Owned)
}

/// The elements of a JSON array. Fails only when the value is not an
/// array.
pub(crate) fn elements(raw: Raw<'_>) -> serde_json::Result<Elements<'_>> {
    elements_known(raw, &mut Known::off())
}

/// [`elements`], with the ends of big elements taken from `known`, and
/// noted there (see [`Known`]).
pub(crate) fn elements_known<'a>(
    raw: Raw<'a>,
    known: &mut Known,
) -> serde_json::Result<Elements<'a>> {
    match scan::elements(raw.get(), known) {
        Some(list) => Ok(list),
        None => {
            let list: Vec<&RawValue> = serde_json::from_str(raw.get())?;
            Ok(list.into_iter().map(Raw::from).collect())
        }
    }
}

/// The values of the keys a reader knows, out of one JSON object; other
/// keys are skipped without being parsed further.
#[derive(Clone, Debug)]
pub(crate) struct Object<'a, const N: usize> {
    /// `slots[i]` is the value of `keys[i]`, if present (JSON `null` too),
    /// unless it was read into `lists[i]`.
    pub slots: [Option<Raw<'a>>; N],
    /// The elements of the keys read as arrays (see [`object_with_lists`]);
    /// `None` when absent or `null`.
    pub lists: [Option<Elements<'a>>; N],
    /// The first known key that came twice, with its second value. The
    /// first value is kept: a duplicate key is a mistake worth a warning,
    /// not a reason to reject the document.
    pub duplicate: Option<(&'static str, Raw<'a>)>,
    /// The second value of each key that came twice, with the key's
    /// index (see [`Object::repeat`]). Nearly
    /// always empty, so it allocates nothing; as an array of `N` it was
    /// 288 of an 18-key component object's 1,032 bytes, copied each time
    /// the object moved.
    repeats: Vec<(usize, Raw<'a>)>,
}

impl<'a, const N: usize> Object<'a, N> {
    /// An object with none of the keys.
    pub(crate) fn empty() -> Self {
        Object {
            slots: [None; N],
            lists: std::array::from_fn(|_| None),
            duplicate: None,
            repeats: Vec::new(),
        }
    }

    /// The second value of `keys[index]`, if it came twice.
    pub(crate) fn repeat(&self, index: usize) -> Option<Raw<'a>> {
        self.repeats
            .iter()
            .find(|&&(i, _)| i == index)
            .map(|&(_, raw)| raw)
    }

    /// Whether `other` holds the very same values (the same slices of the
    /// same text, not merely equal text) in the same places: two splits of
    /// one document agree.
    #[cfg(test)]
    pub(crate) fn same_split(&self, other: &Self) -> bool {
        let same_raws = |a: &[Raw<'_>], b: &[Raw<'_>]| {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same(*y))
        };
        let same_option = |a: Option<Raw<'_>>, b: Option<Raw<'_>>| match (a, b) {
            (Some(x), Some(y)) => x.same(y),
            (a, b) => a.is_none() && b.is_none(),
        };
        self.slots
            .iter()
            .zip(&other.slots)
            .all(|(a, b)| same_option(*a, *b))
            && self
                .lists
                .iter()
                .zip(&other.lists)
                .all(|(a, b)| match (a, b) {
                    (Some(x), Some(y)) => same_raws(x, y),
                    (a, b) => a.is_none() && b.is_none(),
                })
            && match (self.duplicate, other.duplicate) {
                (Some((k, x)), Some((l, y))) => k == l && x.same(y),
                (a, b) => a.is_none() && b.is_none(),
            }
            && self.repeats.len() == other.repeats.len()
            && self
                .repeats
                .iter()
                .zip(&other.repeats)
                .all(|(&(i, x), &(j, y))| i == j && x.same(y))
    }

    /// Notes `value` as the second value of `keys[index]`, unless that key
    /// has one already.
    pub(crate) fn note_repeat(&mut self, index: usize, value: Raw<'a>) {
        if self.repeat(index).is_none() {
            self.repeats.push((index, value));
        }
    }

    /// Moves the values of `keys` out, as [`object_with_lists`] would have
    /// read them had it been asked for `keys` alone: so one pass over a
    /// document's top level can serve both detection and the reader.
    /// `all` are the keys this object was read for; a key of `keys` that is
    /// not among them is absent. `duplicate` is the first of `keys` that
    /// came twice, in document order.
    pub(crate) fn take<const M: usize>(
        &mut self,
        all: &Keys<N>,
        keys: &'static Keys<M>,
    ) -> Object<'a, M> {
        let mut out = Object::empty();
        for (j, key) in keys.iter().enumerate() {
            let Some(i) = all.position(key) else {
                continue;
            };
            if let (Some(to), Some(from)) = (out.slots.get_mut(j), self.slots.get_mut(i)) {
                *to = from.take();
            }
            if let (Some(to), Some(from)) = (out.lists.get_mut(j), self.lists.get_mut(i)) {
                *to = from.take();
            }
            let repeat = self.repeat(i);
            if let Some(r) = repeat {
                out.note_repeat(j, r);
            }
            let earlier = |(_, first): (&str, Raw<'_>)| {
                repeat.is_some_and(|r| r.get().as_ptr() < first.get().as_ptr())
            };
            if let Some(r) = repeat.filter(|_| out.duplicate.is_none_or(earlier)) {
                out.duplicate = Some((key, r));
            }
        }
        out
    }
}

/// Parses `text` (one JSON object, not checked yet) and picks out the
/// values of `keys`. For a value already checked, [`Raw::object`] is faster.
///
/// Fails with `serde_json`'s error (and its line and column within `text`)
/// when `text` is not a syntactically valid object.
pub(crate) fn object<'a, const N: usize>(
    text: &'a str,
    keys: &'static Keys<N>,
) -> serde_json::Result<Object<'a, N>> {
    object_with_lists(text, keys, N)
}

/// `text`'s values of `keys` as [`object_with_lists`] reads them, if
/// `text` is a JSON object that `serde_json` accepts as a document's top
/// level ([`object_with_lists`], or [`object`] when a list key has
/// another type); `None` also for a valid one with an escape in one of its
/// own keys, which the scanner leaves to `serde_json` anyway. The syntax
/// check (see `validate`) costs less than `serde_json`'s parse, splits
/// the top-level arrays as it goes, and runs on two cores when `text` is
/// big and `halves` allows it.
pub(crate) fn checked_top<'a, const N: usize>(
    text: &'a str,
    keys: &'static Keys<N>,
    lists_from: usize,
    halves: bool,
) -> Option<Object<'a, N>> {
    let mut split = validate::top_object(text, halves)?;
    scan::object(text, keys, lists_from, Some(&mut split), &mut Known::off())
}

/// Like [`object`], but the keys from index `lists_from` on are read
/// straight into `lists` as arrays of raw elements. This saves scanning
/// their text twice (once to borrow the array, once to split it), which
/// matters for `components`, where most of a BOM's text is.
///
/// Fails too when one of those keys is neither an array nor `null`: the
/// caller then falls back to [`object`] to report the wrong type with its
/// span (a rare, error-only second pass).
pub(crate) fn object_with_lists<'a, const N: usize>(
    text: &'a str,
    keys: &'static Keys<N>,
    lists_from: usize,
) -> serde_json::Result<Object<'a, N>> {
    let mut de = serde_json::Deserializer::from_str(text);
    let visitor = ObjectVisitor { keys, lists_from };
    let object = de::Deserializer::deserialize_map(&mut de, visitor)?;
    de.end()?;
    Ok(object)
}

struct ObjectVisitor<const N: usize> {
    keys: &'static Keys<N>,
    lists_from: usize,
}

impl<'de, const N: usize> Visitor<'de> for ObjectVisitor<N> {
    type Value = Object<'de, N>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut object = Object::empty();
        let mut seen = [false; N];
        while let Some(key) = map.next_key_seed(KeySeed { keys: self.keys })? {
            let Some(index) = key else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            let first = seen
                .get_mut(index)
                .is_some_and(|s| !std::mem::replace(s, true));
            if !first {
                let value: Raw<'de> = map.next_value::<&RawValue>()?.into();
                if object.duplicate.is_none() {
                    let key = self.keys.get(index).copied().unwrap_or_default();
                    object.duplicate = Some((key, value));
                }
                object.note_repeat(index, value);
            } else if index >= self.lists_from {
                let list: Option<Vec<&'de RawValue>> = map.next_value()?;
                if let Some(entry) = object.lists.get_mut(index) {
                    // In place: a `Raw` is the same size as a `&RawValue`.
                    *entry = list.map(|l| l.into_iter().map(Raw::from).collect());
                }
            } else if let Some(slot) = object.slots.get_mut(index) {
                *slot = Some(map.next_value::<&RawValue>()?.into());
            }
        }
        Ok(object)
    }
}

/// An array-valued field: split by [`object_with_lists`] already, or still
/// raw (any type) when the fast path did not apply.
#[derive(Debug)]
pub(crate) enum Listed<'a> {
    Absent,
    Split(Elements<'a>),
    Raw(Raw<'a>),
}

impl<'a> Listed<'a> {
    /// The field from an [`Object`]'s `slots[i]` and `lists[i]`.
    pub(crate) fn new(slot: Option<Raw<'a>>, list: Option<Elements<'a>>) -> Self {
        match (list, slot) {
            (Some(list), _) => Listed::Split(list),
            (None, Some(raw)) => Listed::Raw(raw),
            (None, None) => Listed::Absent,
        }
    }
}

impl<'a> From<Option<Raw<'a>>> for Listed<'a> {
    fn from(raw: Option<Raw<'a>>) -> Self {
        Listed::new(raw, None)
    }
}

/// Matches an object key against the known keys without allocating
/// (escaped keys arrive through `serde_json`'s scratch buffer).
struct KeySeed<const N: usize> {
    keys: &'static Keys<N>,
}

impl<'de, const N: usize> DeserializeSeed<'de> for KeySeed<N> {
    type Value = Option<usize>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<const N: usize> Visitor<'_> for KeySeed<N> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(self.keys.position(key))
    }
}

/// The byte offset (within `text`) that a `serde_json` error points at.
///
/// `serde_json` reports a 1-based line and a 1-based byte column (0 when it
/// stopped right after a newline); the offset is clamped to `text`.
pub(crate) fn error_offset(text: &str, err: &serde_json::Error) -> usize {
    let line_start = match err.line().checked_sub(2) {
        // Line 1 (or no position at all) starts at 0.
        None => 0,
        Some(newlines_before) => text
            .bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .nth(newlines_before)
            .map_or(text.len(), |(i, _)| i + 1),
    };
    (line_start + err.column().saturating_sub(1)).min(text.len())
}

/// `serde_json`'s message without its trailing " at line L column C"
/// (the readers put the location first, as `file:line:col:`).
pub(crate) fn error_message(err: &serde_json::Error) -> String {
    let full = err.to_string();
    let suffix = format!(" at line {} column {}", err.line(), err.column());
    match full.strip_suffix(&suffix) {
        Some(message) => message.to_owned(),
        None => full,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: Keys<3> = Keys::new(["a", "b", "c d"]);

    #[test]
    fn object_picks_known_keys_and_skips_the_rest() {
        let text = r#"{"x": {"deep": [1, 2]}, "b": [true], "a": "s", "c\u0020d": null}"#;
        let obj = object(text, &KEYS).unwrap();
        let [a, b, cd] = obj.slots;
        assert_eq!(a.unwrap().get(), "\"s\"");
        assert_eq!(b.unwrap().get(), "[true]");
        assert_eq!(cd.unwrap().get(), "null");
        assert!(obj.duplicate.is_none());
    }

    #[test]
    fn duplicate_key_keeps_the_first_value() {
        let text = r#"{"a": 1, "a": 2, "a": 3}"#;
        let obj = object(text, &KEYS).unwrap();
        assert_eq!(obj.slots[0].unwrap().get(), "1");
        let (key, second) = obj.duplicate.unwrap();
        assert_eq!((key, second.get()), ("a", "2"));
    }

    #[test]
    fn lists_are_split_in_the_same_pass() {
        let text = r#"{"a": 1, "b": [{"x": 1}, "y"], "c d": null}"#;
        let obj = object_with_lists(text, &KEYS, 1).unwrap();
        assert_eq!(obj.slots[0].unwrap().get(), "1");
        assert!(obj.slots[1].is_none());
        let b: Vec<&str> = obj.lists[1]
            .as_ref()
            .unwrap()
            .iter()
            .map(|r| r.get())
            .collect();
        assert_eq!(b, ["{\"x\": 1}", "\"y\""]);
        assert!(obj.lists[2].is_none());
        // A list key that is not an array fails, for the caller to fall back.
        assert!(object_with_lists(r#"{"b": {}}"#, &KEYS, 1).is_err());
        let dup = object_with_lists(r#"{"b": [], "b": 7}"#, &KEYS, 1).unwrap();
        assert_eq!(dup.duplicate.map(|(k, v)| (k, v.get())), Some(("b", "7")));
    }

    #[test]
    fn take_reads_a_subset_as_if_alone() {
        const ALL: Keys<4> = Keys::new(["a", "b", "l", "m"]);
        const SUB: Keys<3> = Keys::new(["m", "z", "b"]);
        let text = r#"{"a": 1, "a": 2, "l": [1], "m": [2, 3], "b": 4, "m": 5, "b": 6}"#;
        let mut all = object_with_lists(text, &ALL, 2).unwrap();
        assert_eq!(all.duplicate.map(|(k, v)| (k, v.get())), Some(("a", "2")));
        let sub = all.take(&ALL, &SUB);
        let list: Vec<&str> = sub.lists[0].iter().flatten().map(|r| r.get()).collect();
        assert_eq!(list, ["2", "3"]);
        assert!(sub.slots[1].is_none() && sub.lists[1].is_none());
        assert_eq!(sub.slots[2].map(Raw::get), Some("4"));
        // The first repeat among the subset's keys, in document order.
        assert_eq!(sub.duplicate.map(|(k, v)| (k, v.get())), Some(("m", "5")));
        let alone = object(text, &SUB).unwrap();
        assert_eq!(
            sub.duplicate.map(|(k, v)| (k, v.get())),
            alone.duplicate.map(|(k, v)| (k, v.get()))
        );
        // What was taken is gone from the whole.
        assert!(all.lists[3].is_none() && all.slots[1].is_none());
        assert_eq!(all.lists[2].as_ref().map(|l| l.len()), Some(1));
    }

    #[test]
    fn an_object_read_in_place_is_the_parsed_one_and_empty_after_an_error() {
        const KEYS: Keys<3> = Keys::new(["a", "b", "c"]);
        let texts = [
            r#"{"a": 1, "b": [1, {"x": 2}], "c": null, "a": 2}"#,
            r#"{"b": {"x": 1}, "z": [3]}"#,
            "{}",
        ];
        for text in texts {
            let mut out = Object::empty();
            Raw(text)
                .object_into(&KEYS, 1, &mut out, &mut Known::off())
                .unwrap();
            let parsed = object_with_lists(text, &KEYS, 1)
                .or_else(|_| object(text, &KEYS))
                .unwrap();
            assert!(out.same_split(&parsed), "{text}");
        }
        // The scanner fills `a` before it gives up on the cut-off list.
        let mut out = Object::empty();
        assert!(Raw(r#"{"a": 1, "b": [1, "#)
            .object_into(&KEYS, 1, &mut out, &mut Known::off())
            .is_err());
        assert!(out.same_split(&Object::empty()));
    }

    #[test]
    fn object_rejects_other_types_and_bad_syntax() {
        assert!(object("[1]", &KEYS).is_err());
        assert!(object("{\"a\": 1", &KEYS).is_err());
        assert!(object("{\"a\": 1} x", &KEYS).is_err());
    }

    #[test]
    fn spans_of_raw_values_point_into_the_source() {
        let text = "{ \"b\" :\n  [ 1 ] }";
        let obj = object(text, &KEYS).unwrap();
        let raw = obj.slots[1].unwrap();
        let span = span_in(text, raw.get());
        assert_eq!(&text[span.range()], "[ 1 ]");
        assert_eq!(span_in(text, "elsewhere"), Span::default());
    }

    #[test]
    fn entries_keep_order_and_duplicates_and_borrow_plain_keys() {
        let all = entries(Raw::checked(r#"{"b": 1, "a\u0041": [2], "b": {}}"#)).unwrap();
        let keys: Vec<(&str, bool)> = all
            .iter()
            .map(|(k, _)| (k.as_ref(), matches!(k, Cow::Borrowed(_))))
            .collect();
        assert_eq!(keys, [("b", true), ("aA", false), ("b", true)]);
        let values: Vec<&str> = all.iter().map(|(_, v)| v.get()).collect();
        assert_eq!(values, ["1", "[2]", "{}"]);
        assert!(entries(Raw::checked("[1]")).is_err());
    }

    #[test]
    fn strings_borrow_unless_escaped() {
        let plain = string(Raw::checked("\"Acme\""));
        assert!(matches!(plain, Some(Cow::Borrowed("Acme"))));
        let escaped = string(Raw::checked(r#""AO \u00abKaspersky\u00bb \"x\"""#));
        assert_eq!(escaped.unwrap(), "AO «Kaspersky» \"x\"");
        let lone = string(Raw::checked(r#""a\ud800b""#)).unwrap();
        assert!(lone.starts_with('a') && lone.ends_with('b') && lone.contains('\u{fffd}'));
        assert!(string(Raw::checked("3")).is_none());
    }

    #[test]
    fn types_from_the_first_byte() {
        for (text, ty) in [
            ("{}", JsonType::Object),
            ("[]", JsonType::Array),
            ("\"\"", JsonType::String),
            ("-1.5", JsonType::Number),
            ("false", JsonType::Bool),
            ("null", JsonType::Null),
        ] {
            assert_eq!(JsonType::of(Raw::checked(text)), ty, "{text}");
        }
    }

    #[test]
    fn error_offsets_follow_line_and_column() {
        let text = "{\n  \"a\": 1\n  \"b\": 2\n}";
        let err = object(text, &KEYS).unwrap_err();
        assert_eq!((err.line(), err.column()), (3, 3));
        assert_eq!(&text[error_offset(text, &err)..][..3], "\"b\"");
        assert_eq!(error_message(&err), "expected `,` or `}`");
        let truncated = "{\"a\":\n";
        let err = object(truncated, &KEYS).unwrap_err();
        assert!(error_offset(truncated, &err) <= truncated.len());
    }
}
