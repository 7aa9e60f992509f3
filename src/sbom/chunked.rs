//! Reading a list on every core with the result of reading it in order.
//!
//! The readers' big lists (CycloneDX components and dependency entries,
//! SPDX packages, files, snippets and relationships) have elements that
//! read on their own: reading one only appends to the reader's state. So
//! a list is cut into chunks, each chunk is read into a fresh state on
//! some thread, and the states are appended in list order, which gives
//! what one reader would have made. Lists are taken a window at a time,
//! so that no more than two windows of chunk states wait in memory beside
//! the document being built.
//!
//! Appending is one thread's work (it moves the states into the one
//! document), so it runs beside the reading of the next window: when the
//! two took turns, the other cores idled through every append, a third
//! of the read's wall time at 100,000 components (docs/performance.md).

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
///
/// A window is appended while the next one is read, so when a window
/// holds an error the next one has been read for nothing: the price of
/// keeping every core busy on input that is nearly always valid.
pub(crate) fn read_in_chunks<T, S, E>(
    list: &[T],
    fresh: impl Fn() -> S + Sync,
    read: impl Fn(&mut S, &[T]) -> Result<(), E> + Sync,
    mut append: impl FnMut(S) + Send,
) -> Result<(), E>
where
    T: Sync,
    S: Send,
    E: Send,
{
    let read_window = |window: &[T]| -> Vec<Result<S, E>> {
        window
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut state = fresh();
                read(&mut state, chunk).map(|()| state)
            })
            .collect()
    };
    let mut windows = list.chunks(WINDOW);
    let mut read = windows.next().map(read_window).unwrap_or_default();
    for window in windows {
        let (appended, next) = rayon::join(
            || append_in_order(read, &mut append),
            || read_window(window),
        );
        appended?;
        read = next;
    }
    append_in_order(read, &mut append)
}

/// Appends `states` in order up to the first error, which it returns.
fn append_in_order<S, E>(states: Vec<Result<S, E>>, append: &mut impl FnMut(S)) -> Result<(), E> {
    for state in states {
        append(state?);
    }
    Ok(())
}
