//! The nodes of one document's components.
//!
//! Phase 1 of [`super::build`] makes one node per component, a document's
//! components one after another, so they are a run of consecutive node
//! ids: the first id and the count say which node every component is.
//! A `Vec<NodeId>` per document said the same in 4 bytes a component, and
//! resolving a relationship end read it at a random place, a cache miss
//! per end at a million components (docs/performance.md).

use super::NodeId;

/// Component `i` of a document is node `first + i`, for `i < len`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DocNodes {
    first: u32,
    len: u32,
}

impl DocNodes {
    /// The `len` nodes from `first` on.
    pub(super) fn new(first: u32, len: u32) -> Self {
        DocNodes { first, len }
    }

    /// The node of component `i`, if the document has that component.
    pub fn get(&self, i: usize) -> Option<NodeId> {
        let i = u32::try_from(i).ok().filter(|&i| i < self.len)?;
        Some(NodeId::new((self.first + i) as usize))
    }

    /// The number of components (and nodes).
    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The nodes of the components, in component order.
    pub fn iter(&self) -> <&DocNodes as IntoIterator>::IntoIter {
        self.into_iter()
    }
}

impl IntoIterator for &DocNodes {
    type Item = NodeId;
    type IntoIter = std::iter::Map<std::ops::Range<u32>, fn(u32) -> NodeId>;

    fn into_iter(self) -> Self::IntoIter {
        (self.first..self.first + self.len).map(|n| NodeId::new(n as usize))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_are_consecutive_nodes_from_the_first() {
        let nodes = DocNodes::new(7, 3);
        assert_eq!(nodes.len(), 3);
        assert_eq!(nodes.get(0), Some(NodeId::new(7)));
        assert_eq!(nodes.get(2), Some(NodeId::new(9)));
        assert_eq!(nodes.get(3), None, "past the last component");
        assert_eq!(nodes.get(usize::MAX), None);
        let all: Vec<NodeId> = nodes.iter().collect();
        assert_eq!(all, [7, 8, 9].map(NodeId::new));
        assert_eq!((&nodes).into_iter().collect::<Vec<_>>(), all);
        assert!(DocNodes::default().is_empty());
        assert_eq!(DocNodes::default().iter().count(), 0);
    }
}
