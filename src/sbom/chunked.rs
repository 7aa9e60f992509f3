//! Reading a list on every core with the result of reading it in order.
//!
//! The readers' big lists (CycloneDX components and dependency entries,
//! SPDX packages, files, snippets and relationships) have elements that
//! read on their own: reading one only appends to the reader's state. So
//! a list is cut into chunks, each chunk is read into a fresh state on
//! some thread, and the states are appended in list order, which gives
//! what one reader would have made. Lists are taken a window at a time,
//! so that no more than one window of chunk states waits in memory beside
//! the document being built.

use rayon::prelude::*;

/// Elements one thread reads at a time: large enough that handing a chunk
/// to a thread costs little beside reading it.
pub(crate) const CHUNK: usize = 256;
/// Elements read before their chunks are appended.
pub(crate) const WINDOW: usize = 32 * CHUNK;

/// Reads `list` a chunk at a time, each chunk into a state from `fresh`
/// on some thread, and hands the states to `append` in list order. The
/// first error in list order is returned, after every chunk before it has
/// been appended.
pub(crate) fn read_in_chunks<T, S, E>(
    list: &[T],
    fresh: impl Fn() -> S + Sync,
    read: impl Fn(&mut S, &[T]) -> Result<(), E> + Sync,
    mut append: impl FnMut(S),
) -> Result<(), E>
where
    T: Sync,
    S: Send,
    E: Send,
{
    for window in list.chunks(WINDOW) {
        let states: Vec<Result<S, E>> = window
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut state = fresh();
                read(&mut state, chunk).map(|()| state)
            })
            .collect();
        for state in states {
            append(state?);
        }
    }
    Ok(())
}
