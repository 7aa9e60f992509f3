//! A mapped input that shrinks during the run: exit 2 with the file's
//! name, as for any input that cannot be read, instead of dying of
//! `SIGBUS`.
//!
//! When another process truncates a file that oemtrace has mapped, the
//! next read of a page past the new end raises `SIGBUS` in whichever
//! thread reads it, at any stage of the audit. Without a handler the
//! process dies with status 135 and no word of why; the contract's
//! answer for an input that cannot be read is exit code 2 and an error
//! that names the file. So each mapping is recorded ([`register`]), and
//! the handler looks the faulting address up among them: in one of ours,
//! it writes the error and exits 2; anywhere else it puts the default
//! action back and returns, so that the access faults again and the
//! process dies of it as it would have without a handler.
//!
//! A signal handler may only call what is async-signal-safe: the record
//! is a fixed array of atomics (no lock, no allocation), the names are
//! written before their slot is published, and the handler uses `write`
//! and `_exit` alone.

use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};
use std::sync::{Once, OnceLock};

/// Mappings named in the error; one mapped past this many still gets
/// exit code 2, with a message that names no file.
const SLOTS: usize = 256;

/// One mapping: where it is, and the file's name (leaked: a few bytes
/// for each mapped file, for the life of the process).
struct Slot {
    /// Its first address, or 0 when the slot is free or not yet filled.
    start: AtomicUsize,
    len: AtomicUsize,
    name: AtomicPtr<u8>,
    name_len: AtomicUsize,
}

#[allow(clippy::declare_interior_mutable_const)] // a template for the array
const FREE: Slot = Slot {
    start: AtomicUsize::new(0),
    len: AtomicUsize::new(0),
    name: AtomicPtr::new(std::ptr::null_mut()),
    name_len: AtomicUsize::new(0),
};

static MAPPINGS: [Slot; SLOTS] = [FREE; SLOTS];
/// Slots handed out so far (they are not reused: a freed slot stays
/// free).
static HANDED_OUT: AtomicUsize = AtomicUsize::new(0);
/// Set when a mapping could get no slot.
static UNNAMED: AtomicUsize = AtomicUsize::new(0);

/// Which mapping a [`register`] made, to [`unregister`] it.
pub struct Registered(Option<usize>);

/// Records the mapping of `bytes`, of the file `name`, and installs the
/// handler the first time.
pub fn register(bytes: &[u8], name: &str) -> Registered {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(install);
    let index = HANDED_OUT.fetch_add(1, Ordering::Relaxed);
    let Some(slot) = MAPPINGS.get(index) else {
        UNNAMED.fetch_add(1, Ordering::Release);
        return Registered(None);
    };
    let name: &'static mut [u8] = Box::leak(name.as_bytes().to_vec().into_boxed_slice());
    slot.name_len.store(name.len(), Ordering::Relaxed);
    slot.name.store(name.as_mut_ptr(), Ordering::Relaxed);
    slot.len.store(bytes.len(), Ordering::Relaxed);
    // Published last: the handler reads the rest only after it sees this.
    slot.start.store(bytes.as_ptr() as usize, Ordering::Release);
    Registered(Some(index))
}

/// Forgets a mapping about to be unmapped: its addresses may be mapped
/// again, for something else.
pub fn unregister(registered: &Registered) {
    match registered.0.and_then(|i| MAPPINGS.get(i)) {
        Some(slot) => slot.start.store(0, Ordering::Release),
        None => {
            UNNAMED.fetch_sub(1, Ordering::Release);
        }
    }
}

/// The name of the file mapped at `address`: `Some(None)` for one of
/// ours that got no slot (when one may exist), `None` if it is no mapping
/// of ours.
fn name_at(address: usize) -> Option<Option<&'static [u8]>> {
    let handed_out = HANDED_OUT.load(Ordering::Relaxed).min(SLOTS);
    for slot in MAPPINGS.iter().take(handed_out) {
        let start = slot.start.load(Ordering::Acquire);
        if start != 0 && address >= start && address - start < slot.len.load(Ordering::Relaxed) {
            let name = slot.name.load(Ordering::Relaxed);
            let len = slot.name_len.load(Ordering::Relaxed);
            // SAFETY: `register` leaked these `len` bytes at `name` and
            // stored both before it published `start`, which was read
            // with Acquire above; they are never freed.
            return Some(Some(unsafe { std::slice::from_raw_parts(name, len) }));
        }
    }
    (UNNAMED.load(Ordering::Acquire) > 0).then_some(None)
}

/// The action `install` replaced (the Rust runtime's own handler, or the
/// default), put back for a fault that is not in one of ours.
static PREVIOUS: OnceLock<libc::sigaction> = OnceLock::new();

fn install() {
    // SAFETY: a zeroed `sigaction` is a valid one (no flags, an empty
    // mask) before the fields below are set; `sigaction` reads and
    // writes through the pointers only during the call.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_sigbus as *const () as libc::sighandler_t;
        action.sa_flags = libc::SA_SIGINFO;
        libc::sigemptyset(&mut action.sa_mask);
        let mut previous: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(libc::SIGBUS, &action, &mut previous) == 0 {
            let _ = PREVIOUS.set(previous);
        }
    }
}

extern "C" fn on_sigbus(_: libc::c_int, info: *mut libc::siginfo_t, _: *mut libc::c_void) {
    // SAFETY: the kernel passes a valid `siginfo_t` to a handler
    // installed with SA_SIGINFO; for SIGBUS it carries the address.
    let address = unsafe { (*info).si_addr() } as usize;
    let Some(name) = name_at(address) else {
        // SAFETY: `sigaction` is async-signal-safe. With the previous
        // action back (the default if it is unknown), the access that
        // faulted faults again on return and is handled as it would
        // have been without this handler.
        unsafe {
            match PREVIOUS.get() {
                Some(previous) => libc::sigaction(libc::SIGBUS, previous, std::ptr::null_mut()),
                None => {
                    libc::signal(libc::SIGBUS, libc::SIG_DFL);
                    0
                }
            };
        }
        return;
    };
    let parts: [&[u8]; 3] = [
        b"oemtrace: ",
        name.unwrap_or(b"an input file"),
        b": the file shrank while oemtrace read it (another process truncated or rewrote it); \
the audit stopped. Run it again on the complete file, or with --no-mmap to read inputs into \
memory first.\n",
    ];
    for part in parts {
        // SAFETY: `write` to stderr is async-signal-safe; a short or
        // failed write loses part of the message, and the exit code
        // still says what happened.
        unsafe {
            libc::write(2, part.as_ptr().cast(), part.len());
        }
    }
    // SAFETY: `_exit` is async-signal-safe and ends the process at once,
    // without running anything else of it.
    unsafe { libc::_exit(2) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_found_in_their_mapping_only() {
        let text = vec![7u8; 4096];
        let registered = register(&text, "some/big.cdx.json");
        let start = text.as_ptr() as usize;
        let name = |at| name_at(at).map(|n| n.map(|n| String::from_utf8_lossy(n).into_owned()));
        let ours = Some(Some("some/big.cdx.json".to_owned()));
        assert_eq!(name(start), ours);
        assert_eq!(name(start + 4095), ours);
        assert_eq!(name(start + 4096), None);
        assert_eq!(name(start - 1), None);
        unregister(&registered);
        assert_eq!(name(start), None, "a forgotten mapping is no longer ours");
    }
}
