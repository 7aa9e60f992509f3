//! The condensation of the graph (one node per SCC, at most one edge
//! between two SCCs) and the exact number of root-to-SCC paths through it.
//!
//! Both are built in O(V+E): SCC ids are a reverse topological order (see
//! [`super::scc`]), so walking ids downwards visits every SCC after all of
//! its predecessors. Parallel edges between two SCCs are collapsed with a
//! mark per SCC ("already linked from the SCC being walked"), no hashing.

use super::adjacency::Adjacency;
use super::scc::Sccs;
use super::{PathCount, NONE};
use crate::graph::NodeId;

pub(super) struct Condensation {
    /// Predecessors of SCC `t` are positions `pred_start[t] ..
    /// pred_start[t + 1]` of `pred_scc` / `pred_edge`, in topological
    /// order of the predecessor.
    pred_start: Vec<u32>,
    pred_scc: Vec<u32>,
    /// For each predecessor, one graph edge (petgraph index) from it into
    /// `t`: the first found, walking the predecessor's nodes and their
    /// out-edges in insertion order.
    pred_edge: Vec<u32>,
    /// Root-to-SCC path count, saturating at `u128::MAX`.
    value: Vec<u128>,
    saturated: Vec<bool>,
    /// `(scc, root node)` for every root, sorted.
    roots: Vec<(u32, u32)>,
}

impl Condensation {
    pub(super) fn new(adj: &Adjacency, sccs: &Sccs, roots: &[NodeId]) -> Self {
        let k = sccs.len();
        let mut mark = vec![NONE; k];

        // Pass 1: how many predecessors each SCC has.
        let mut pred_start = vec![0u32; k + 1];
        for_each_dag_edge(adj, sccs, &mut mark, |_, to, _| pred_start[to + 1] += 1);
        for t in 0..k {
            pred_start[t + 1] += pred_start[t];
        }

        // Pass 2: fill them in.
        mark.fill(NONE);
        let m = pred_start[k] as usize;
        let mut pred_scc = vec![0u32; m];
        let mut pred_edge = vec![0u32; m];
        let mut fill = pred_start.clone();
        for_each_dag_edge(adj, sccs, &mut mark, |from, to, e| {
            let p = fill[to] as usize;
            fill[to] += 1;
            pred_scc[p] = from as u32;
            pred_edge[p] = e;
        });

        let mut root_list: Vec<(u32, u32)> = roots
            .iter()
            .filter_map(|r| Some((sccs.of(*r)? as u32, r.index() as u32)))
            .collect();
        root_list.sort_unstable();
        root_list.dedup();

        let mut dag = Condensation {
            pred_start,
            pred_scc,
            pred_edge,
            value: vec![0; k],
            saturated: vec![false; k],
            roots: root_list,
        };
        dag.count_paths();
        dag
    }

    /// Every root starts one path in its SCC; every SCC, in topological
    /// order, adds the counts of its predecessors.
    fn count_paths(&mut self) {
        for &(s, _) in &self.roots {
            let s = s as usize;
            add(&mut self.value[s], &mut self.saturated[s], 1, false);
        }
        for t in (0..self.value.len()).rev() {
            for p in self.preds(t) {
                let s = self.pred_scc[p] as usize;
                let (v, sat) = (self.value[s], self.saturated[s]);
                add(&mut self.value[t], &mut self.saturated[t], v, sat);
            }
        }
    }

    /// The path count of SCC `s`.
    pub(super) fn count(&self, s: usize) -> PathCount {
        match (self.value.get(s), self.saturated.get(s)) {
            (Some(&value), Some(&saturated)) => PathCount { value, saturated },
            _ => PathCount::ZERO,
        }
    }

    /// Positions of the predecessors of SCC `t`.
    pub(super) fn preds(&self, t: usize) -> std::ops::Range<usize> {
        match (self.pred_start.get(t), self.pred_start.get(t + 1)) {
            (Some(&a), Some(&b)) => a as usize..b as usize,
            _ => 0..0,
        }
    }

    /// The predecessor SCC and the representative edge at position `p`.
    pub(super) fn pred(&self, p: usize) -> (usize, u32) {
        (self.pred_scc[p] as usize, self.pred_edge[p])
    }

    /// The roots in SCC `s`, in node order.
    pub(super) fn roots_in(&self, s: usize) -> impl Iterator<Item = u32> + '_ {
        let s = s as u32;
        let a = self.roots.partition_point(|&(x, _)| x < s);
        let b = self.roots.partition_point(|&(x, _)| x <= s);
        self.roots[a..b].iter().map(|&(_, r)| r)
    }
}

/// Call `f(from_scc, to_scc, edge)` once per pair of distinct SCCs joined
/// by an edge, with the first such edge, sources in topological order.
fn for_each_dag_edge(
    adj: &Adjacency,
    sccs: &Sccs,
    mark: &mut [u32],
    mut f: impl FnMut(usize, usize, u32),
) {
    for s in (0..sccs.len()).rev() {
        for &u in sccs.members(s) {
            for (w, e) in adj.out(u as usize) {
                let t = sccs.of_index(w);
                if t != s && mark[t] != s as u32 {
                    mark[t] = s as u32;
                    f(s, t, e);
                }
            }
        }
    }
}

/// `*value += v`, saturating at `u128::MAX` and recording that it did (or
/// that `v` itself was saturated).
fn add(value: &mut u128, saturated: &mut bool, v: u128, v_saturated: bool) {
    match value.checked_add(v) {
        Some(sum) if !v_saturated => *value = sum,
        _ => {
            *value = u128::MAX;
            *saturated = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::add;

    #[test]
    fn add_saturates_and_says_so() {
        let (mut v, mut s) = (u128::MAX - 1, false);
        add(&mut v, &mut s, 1, false);
        assert_eq!((v, s), (u128::MAX, false));
        add(&mut v, &mut s, 0, false);
        assert_eq!((v, s), (u128::MAX, false));
        add(&mut v, &mut s, 1, false);
        assert_eq!((v, s), (u128::MAX, true));

        let (mut v, mut s) = (0, false);
        add(&mut v, &mut s, u128::MAX, true);
        assert_eq!((v, s), (u128::MAX, true));
    }
}
