//! Listing root-to-node paths, one per path of the condensation, for
//! `explain`.
//!
//! The walk goes backwards from the target through predecessor SCCs,
//! entering only SCCs that some root reaches (path count above zero): from
//! every such SCC a path back to a root exists, so no step is wasted and
//! the work is bounded by the paths asked for, never by the size of the
//! graph. Each condensation path is then made concrete: the chosen edge
//! between consecutive SCCs, and a shortest walk inside each SCC from
//! where the path enters it to where it leaves.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use super::{Hop, Tracer, NONE};
use crate::graph::NodeId;

/// One SCC on the condensation path being built, target first.
struct Frame {
    scc: usize,
    /// The graph edge from this SCC into the previous frame's SCC (`NONE`
    /// for the target's own SCC).
    edge_out: u32,
    /// The next predecessor position to try.
    next: usize,
    /// Whether the paths starting at this SCC's roots are listed yet.
    roots_done: bool,
}

/// See [`Tracer::paths`].
pub(super) fn paths(t: &Tracer<'_>, target: NodeId, limit: usize) -> Vec<Vec<Hop>> {
    let mut out = Vec::new();
    let Some(ts) = t.traced.sccs.of(target) else {
        return out;
    };
    if limit == 0 || t.traced.dag.count(ts).value == 0 {
        return out;
    }
    let mut walks = Walks::default();
    let mut frames = vec![Frame {
        scc: ts,
        edge_out: NONE,
        next: t.traced.dag.preds(ts).start,
        roots_done: false,
    }];
    while let Some(top) = frames.last_mut() {
        if !top.roots_done {
            top.roots_done = true;
            let s = top.scc;
            for root in t.traced.dag.roots_in(s) {
                if let Some(p) = concrete(t, &frames, root, target, &mut walks) {
                    out.push(p);
                    if out.len() >= limit {
                        return out;
                    }
                }
            }
            continue;
        }
        if top.next < t.traced.dag.preds(top.scc).end {
            let (p, edge) = t.traced.dag.pred(top.next);
            top.next += 1;
            if t.traced.dag.count(p).value != 0 {
                frames.push(Frame {
                    scc: p,
                    edge_out: edge,
                    next: t.traced.dag.preds(p).start,
                    roots_done: false,
                });
            }
        } else {
            frames.pop();
        }
    }
    out
}

/// The graph path for the condensation path `frames` (target SCC first)
/// starting at `root` (in the last frame's SCC).
fn concrete(
    t: &Tracer<'_>,
    frames: &[Frame],
    root: u32,
    target: NodeId,
    walks: &mut Walks,
) -> Option<Vec<Hop>> {
    let mut hops = vec![Hop {
        node: NodeId::new(root as usize),
        edge: None,
    }];
    let mut cur = root;
    for (i, frame) in frames.iter().enumerate().rev() {
        let leave = (i > 0).then_some(frame.edge_out);
        let exit = match leave {
            Some(e) => t.edge(e)?.0.index() as u32,
            None => target.index() as u32,
        };
        hops.extend_from_slice(walks.within(t, cur, exit)?);
        if let Some(e) = leave {
            let (_, to, kind) = t.edge(e)?;
            hops.push(Hop {
                node: to,
                edge: Some(kind),
            });
            cur = to.index() as u32;
        }
    }
    Some(hops)
}

/// Shortest walks inside one SCC, remembered across the paths of one call.
#[derive(Default)]
struct Walks {
    known: HashMap<(u32, u32), Vec<Hop>>,
}

impl Walks {
    /// The hops after `from` of a shortest walk from `from` to `to` inside
    /// their SCC (empty when `from == to`).
    fn within(&mut self, t: &Tracer<'_>, from: u32, to: u32) -> Option<&[Hop]> {
        // The common case (a single-node SCC, or entered where it is left)
        // needs no search and no memory.
        if from == to {
            return Some(&[]);
        }
        let walk = match self.known.entry((from, to)) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(slot) => slot.insert(bfs_within(t, from, to)?),
        };
        Some(walk.as_slice())
    }
}

/// A breadth-first search from `from` that never leaves its SCC.
fn bfs_within(t: &Tracer<'_>, from: u32, to: u32) -> Option<Vec<Hop>> {
    let scc = t.traced.sccs.of(NodeId::new(from as usize))?;
    // Node -> the edge BFS reached it by.
    let mut parent: HashMap<u32, u32> = HashMap::new();
    parent.insert(from, NONE);
    let mut queue = vec![from];
    let mut head = 0;
    'search: while let Some(&v) = queue.get(head) {
        head += 1;
        for (w, e) in t.traced.out.out(v as usize) {
            if t.traced.sccs.of_index(w) != scc || parent.contains_key(&(w as u32)) {
                continue;
            }
            parent.insert(w as u32, e);
            if w as u32 == to {
                break 'search;
            }
            queue.push(w as u32);
        }
    }
    let mut hops = Vec::new();
    let mut cur = to;
    while cur != from {
        let e = *parent.get(&cur)?;
        let (src, _, kind) = t.edge(e)?;
        hops.push(Hop {
            node: NodeId::new(cur as usize),
            edge: Some(kind),
        });
        cur = src.index() as u32;
    }
    hops.reverse();
    Some(hops)
}
