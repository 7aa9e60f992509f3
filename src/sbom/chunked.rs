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
//!
//! An appended state is empty but keeps its buffers, and the next chunk
//! reads into it: a fresh state for every chunk grew each of its vectors
//! from nothing, a reallocation and a copy at every doubling (callgrind,
//! docs/performance.md). The price is that a state keeps the buffers of
//! the largest chunk it read until the list is read, rather than freeing
//! them at its append: no more than two windows of states exist at once,
//! as before, and each held that much when it was appended.

use std::sync::{Mutex, PoisonError};

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
/// `append` must take everything out of the state, leaving it as `fresh`
/// made it but for the capacity of its buffers: the state is read into
/// again, by a later chunk.
///
/// A window is appended while the next one is read, so when a window
/// holds an error the next one has been read for nothing: the price of
/// keeping every core busy on input that is nearly always valid.
pub(crate) fn read_in_chunks<T, S, E>(
    list: &[T],
    fresh: impl Fn() -> S + Sync,
    read: impl Fn(&mut S, &[T]) -> Result<(), E> + Sync,
    mut append: impl FnMut(&mut S) + Send,
) -> Result<(), E>
where
    T: Sync,
    S: Send,
    E: Send,
{
    // The appended states, for the next chunks. One lock per chunk.
    let spare: Mutex<Vec<S>> = Mutex::new(Vec::new());
    let take = || {
        let mut spare = spare.lock().unwrap_or_else(PoisonError::into_inner);
        spare.pop()
    };
    let read_window = |window: &[T]| -> Vec<Result<S, E>> {
        window
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut state = take().unwrap_or_else(&fresh);
                read(&mut state, chunk).map(|()| state)
            })
            .collect()
    };
    let mut append_in_order = |states: Vec<Result<S, E>>| -> Result<(), E> {
        for state in states {
            let mut state = state?;
            append(&mut state);
            spare
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(state);
        }
        Ok(())
    };
    let mut windows = list.chunks(WINDOW);
    let mut read = windows.next().map(read_window).unwrap_or_default();
    for window in windows {
        let (appended, next) = rayon::join(|| append_in_order(read), || read_window(window));
        appended?;
        read = next;
    }
    append_in_order(read)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[test]
    fn recycled_states_give_what_one_pass_gives_and_fewer_fresh_ones() {
        let list: Vec<usize> = (0..3 * WINDOW + 7).collect();
        let made = AtomicUsize::new(0);
        let fresh = || {
            made.fetch_add(1, Ordering::Relaxed);
            Vec::new()
        };
        let read = |state: &mut Vec<usize>, chunk: &[usize]| {
            state.extend(chunk.iter().map(|x| 2 * x));
            Ok::<(), ()>(())
        };
        let mut all = Vec::new();
        let appended = read_in_chunks(&list, fresh, read, |state| all.append(state));
        assert_eq!(appended, Ok(()));
        assert_eq!(all, list.iter().map(|x| 2 * x).collect::<Vec<_>>());
        // Four windows of chunks; at most two windows' states are out at
        // once, so the later ones read into appended states.
        let chunks = list.len().div_ceil(CHUNK);
        let made = made.load(Ordering::Relaxed);
        assert!(
            made <= 2 * WINDOW / CHUNK,
            "{made} fresh states for {chunks} chunks"
        );
    }

    #[test]
    fn the_first_error_in_list_order_stops_the_appending() {
        let list: Vec<usize> = (0..2 * WINDOW + 3).collect();
        let bad = [WINDOW + 5, WINDOW + 3 * CHUNK];
        let read = |state: &mut Vec<usize>, chunk: &[usize]| match chunk
            .iter()
            .find(|x| bad.contains(x))
        {
            Some(&x) => Err(x),
            None => {
                state.extend_from_slice(chunk);
                Ok(())
            }
        };
        let mut all = Vec::new();
        let result = read_in_chunks(&list, Vec::new, read, |state| all.append(state));
        assert_eq!(result, Err(WINDOW + 5));
        // Every chunk before the bad one's was appended, and none after.
        let bad_chunk_start = (WINDOW + 5) / CHUNK * CHUNK;
        assert_eq!(all, (0..bad_chunk_start).collect::<Vec<_>>());
    }
}
