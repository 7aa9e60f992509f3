//! [`KeyMap`]: one of the matcher's look-up tables, with a
//! [`KeyFilter`] in front of it.
//!
//! The matcher asks its tables for every component's name, purl, package
//! literal and URL host, and nearly every answer is "no": the db holds a
//! few dozen keys a table. A hash-map look-up hashes the key and probes
//! before it can say so; the filter says so first for most of them (95%
//! of the 600,000 look-ups of the 100k CycloneDX and SPDX audits, counted
//! in an instrumented build, docs/performance.md).

use std::borrow::Cow;
use std::collections::HashMap;

use super::ident::lower;
use super::index::Hit;
use super::key_filter::KeyFilter;

/// The hits of each key of one table (see the module docs).
#[derive(Debug, Default)]
pub(crate) struct KeyMap {
    /// Keys are the db's own (trusted); components only look them up.
    /// The hash is foldhash: SipHash cost a tenth of an audit's
    /// instructions here.
    map: HashMap<Box<str>, Vec<Hit>, foldhash::fast::RandomState>,
    /// Every key of `map` was added.
    filter: KeyFilter,
}

impl KeyMap {
    /// The hits of `key`, if the table holds it.
    pub(crate) fn get(&self, key: &str) -> Option<&[Hit]> {
        if !self.filter.may_hold(key) {
            return None;
        }
        self.map.get(key).map(Vec::as_slice)
    }

    /// The hits of `key` lowercased, if the table holds that: an ASCII
    /// key the filter turns away is not lowercased first (only the bytes
    /// its class reads are). Lowercasing every name first was 1.9 M of
    /// `Cx::literal`'s 4.3 M instructions in the 10k CycloneDX audit
    /// (callgrind); with this it is 2.2 M in all.
    pub(crate) fn get_lowercased(&self, key: &str) -> Option<&[Hit]> {
        if key.is_ascii() && !self.filter.may_hold_lowercased(key.as_bytes()) {
            return None;
        }
        let key = lower(Cow::Borrowed(key));
        self.get(&key)
    }

    /// Whether the table holds `key`.
    #[cfg(test)]
    pub(crate) fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Whether the table holds no key.
    pub(crate) fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Adds a hit under `key`, keeping one hit per (target, kind): the
    /// best graded.
    pub(crate) fn push(&mut self, key: Box<str>, hit: Hit) {
        self.filter.add(&key);
        let hits = self.map.entry(key).or_default();
        match hits
            .iter_mut()
            .find(|h| h.target == hit.target && h.kind == hit.kind)
        {
            Some(h) if h.grade < hit.grade => *h = hit,
            Some(_) => {}
            None => hits.push(hit),
        }
    }

    /// Orders each key's hits by `key`.
    pub(crate) fn sort_hits_by_key<K: Ord>(&mut self, mut key: impl FnMut(&Hit) -> K) {
        for hits in self.map.values_mut() {
            hits.sort_by_key(&mut key);
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::model::Confidence;
    use crate::vendordb::record::{Grade, IdKind};
    use crate::vendordb::TargetId;

    fn hit(n: usize) -> Hit {
        Hit {
            target: TargetId::Entity(u32::try_from(n).unwrap_or(u32::MAX)),
            kind: IdKind::Name,
            grade: Grade::A,
            record_cap: Confidence::Confirmed,
            in_text: false,
            matched: 0,
        }
    }

    proptest! {
        #[test]
        fn the_filter_answers_as_the_map_would(
            keys in proptest::collection::vec("[a-z./@-]{0,12}", 0..60),
            asked in proptest::collection::vec("[a-z./@-]{0,12}", 0..60),
        ) {
            let mut map = KeyMap::default();
            for (n, key) in keys.iter().enumerate() {
                map.push(key.as_str().into(), hit(n));
            }
            for key in &keys {
                prop_assert!(map.get(key).is_some(), "{key:?} was pushed");
            }
            for key in &asked {
                prop_assert_eq!(map.get(key).is_some(), keys.contains(key), "{:?}", key);
                let upper = key.to_uppercase();
                prop_assert_eq!(map.get_lowercased(&upper), map.get(key), "{:?}", upper);
            }
        }
    }

    #[test]
    fn one_hit_per_target_and_kind_the_best_graded() {
        let mut map = KeyMap::default();
        let weaker = Hit {
            grade: Grade::B,
            ..hit(1)
        };
        map.push("k".into(), weaker);
        map.push("k".into(), hit(1));
        map.push("k".into(), weaker);
        map.push("k".into(), hit(2));
        assert_eq!(map.get("k"), Some(&[hit(1), hit(2)][..]));
        assert!(!map.is_empty() && map.get("x").is_none());
    }
}
