//! Which names found in a text are maximal runs: not inside a longer name
//! found in the same text.
//!
//! A text may mention names many times (a hostile one, millions of
//! times), so this must not compare every pair of mentions: one sort and
//! one sweep, O(n log n).

use std::cmp::Reverse;

/// For each `(start, end)` byte range, whether another range strictly
/// longer contains it (`s <= start`, `end <= e`, `e - s > end - start`).
/// The answer is in the order of `ranges`.
pub(super) fn inside_longer(ranges: &[(usize, usize)]) -> Vec<bool> {
    // Starts ascending; for one start, the longest first.
    let mut order: Vec<(usize, Reverse<usize>, usize)> = ranges
        .iter()
        .enumerate()
        .map(|(i, &(start, end))| (start, Reverse(end), i))
        .collect();
    order.sort_unstable();
    let mut inside = vec![false; ranges.len()];
    // The furthest end of the ranges that start before the current start.
    let mut reach_before: Option<usize> = None;
    for group in order.chunk_by(|a, b| a.0 == b.0) {
        let Some(&(_, Reverse(longest), _)) = group.first() else {
            continue;
        };
        for &(_, Reverse(end), i) in group {
            // Same start and longer, or an earlier start reaching as far.
            let covered = end < longest || reach_before.is_some_and(|r| r >= end);
            if let Some(slot) = inside.get_mut(i) {
                *slot = covered;
            }
        }
        reach_before = reach_before.max(Some(longest));
    }
    inside
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The definition, pair by pair.
    fn brute(ranges: &[(usize, usize)]) -> Vec<bool> {
        ranges
            .iter()
            .map(|&(start, end)| {
                ranges
                    .iter()
                    .any(|&(s, e)| s <= start && end <= e && e - s > end - start)
            })
            .collect()
    }

    #[test]
    fn nested_equal_and_disjoint_ranges() {
        let ranges = [(0, 9), (0, 4), (5, 9), (5, 9), (10, 12), (11, 12), (11, 13)];
        assert_eq!(
            inside_longer(&ranges),
            [false, true, true, true, false, true, false]
        );
        assert!(inside_longer(&[]).is_empty());
    }

    proptest! {
        #[test]
        fn agrees_with_the_definition(
            raw in prop::collection::vec((0usize..20, 0usize..6), 0..40)
        ) {
            let ranges: Vec<(usize, usize)> = raw.iter().map(|&(s, n)| (s, s + n)).collect();
            prop_assert_eq!(inside_longer(&ranges), brute(&ranges));
        }
    }
}
