//! A mapped input that shrinks during the run: exit 2 and the error that
//! names the file, as for any input that cannot be read, instead of dying
//! of `SIGBUS`.
//!
//! When another process truncates a file that oemtrace has mapped, the
//! next read of a page past the new end raises `SIGBUS` in whichever
//! thread reads it, at any stage of the audit. Without a handler the
//! process dies with status 135 and no word of why; the contract's
//! answer for an input that cannot be read is exit code 2 and an error
//! that names the file (and, for `--format json` or `sarif`, the error
//! document on stdout or in `-o FILE`). So each mapping is recorded with
//! what that failure prints, made when the file is mapped
//! ([`register`]), and the handler looks the faulting address up: in one
//! of ours, it writes what was made and exits 2; anywhere else it puts
//! the previous action back and returns, so that the access faults again
//! and is handled as it would have been without this handler.
//!
//! A signal handler may only call what is async-signal-safe: the record
//! is a fixed array of atomics (no lock, no allocation), each message is
//! made and leaked before its slot is published, and the handler calls
//! `write`, `open`, `sigaction`, `pause` and `_exit` alone.

use std::ffi::CStr;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicUsize, Ordering};
use std::sync::{Once, OnceLock};

use crate::commands::inputs::InputError;
use crate::commands::output::{self, Failure};

/// Mappings whose failure is prepared; one mapped past this many still
/// gets exit code 2, with a message that names no file.
const SLOTS: usize = 256;

/// One mapping: where it is, and what its failure prints.
struct Slot {
    /// Its first address, or 0 when the slot is free or not yet filled.
    start: AtomicUsize,
    len: AtomicUsize,
    message: AtomicPtr<Message>,
}

#[allow(clippy::declare_interior_mutable_const)] // a template for the array
const FREE: Slot = Slot {
    start: AtomicUsize::new(0),
    len: AtomicUsize::new(0),
    message: AtomicPtr::new(std::ptr::null_mut()),
};

/// What the failure of one mapped file prints, made beforehand and
/// leaked: the rendered error, kept for the life of the process.
struct Message {
    /// The diagnostic, as `output::fail_to` writes it.
    stderr: &'static [u8],
    /// The error document of `--format json` or `sarif`, if any.
    document: Option<&'static [u8]>,
    /// Where the document goes (`-o FILE`); stdout when `None`.
    path: Option<&'static CStr>,
}

impl Message {
    /// The failure `InputError::Shrank` of the file `name`, as this run
    /// reports failures.
    fn leaked(name: &str) -> &'static mut Message {
        let failure = Failure {
            document: name.to_owned(),
            error: Box::new(InputError::Shrank {
                name: name.to_owned(),
            }),
        };
        let (prepared, path) = output::prepared_for(&[failure]);
        let leak =
            |text: String| -> &'static [u8] { Box::leak(text.into_bytes().into_boxed_slice()) };
        let path = path.and_then(|p| {
            use std::os::unix::ffi::OsStrExt;
            let c = std::ffi::CString::new(p.as_os_str().as_bytes()).ok()?;
            Some(&*Box::leak(c.into_boxed_c_str()))
        });
        Box::leak(Box::new(Message {
            stderr: leak(prepared.stderr),
            document: prepared.document.map(leak),
            path,
        }))
    }
}

static MAPPINGS: [Slot; SLOTS] = [FREE; SLOTS];
/// Slots handed out so far (they are not reused: a freed slot stays
/// free).
static HANDED_OUT: AtomicUsize = AtomicUsize::new(0);
/// Set when a mapping could get no slot.
static UNNAMED: AtomicUsize = AtomicUsize::new(0);
/// Set by the first handler that reports a shrunk file (the others wait).
static REPORT_TAKEN: AtomicBool = AtomicBool::new(false);

/// Which mapping a [`register`] made, to [`unregister`] it.
pub struct Registered(Option<usize>);

/// Records the mapping of `bytes`, of the file `name`, with what its
/// failure prints, and installs the handler the first time.
pub fn register(bytes: &[u8], name: &str) -> Registered {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(install);
    let index = HANDED_OUT.fetch_add(1, Ordering::Relaxed);
    let Some(slot) = MAPPINGS.get(index) else {
        UNNAMED.fetch_add(1, Ordering::Release);
        return Registered(None);
    };
    slot.message.store(Message::leaked(name), Ordering::Relaxed);
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

/// What the failure of the file mapped at `address` prints: `Some(None)`
/// for one of ours that got no slot (when one may exist), `None` if it is
/// no mapping of ours.
fn message_at(address: usize) -> Option<Option<&'static Message>> {
    let handed_out = HANDED_OUT.load(Ordering::Relaxed).min(SLOTS);
    for slot in MAPPINGS.iter().take(handed_out) {
        let start = slot.start.load(Ordering::Acquire);
        if start != 0 && address >= start && address - start < slot.len.load(Ordering::Relaxed) {
            let message = slot.message.load(Ordering::Relaxed);
            // SAFETY: `register` leaked the message and stored it before
            // it published `start`, which was read with Acquire above; it
            // is never freed.
            return Some(unsafe { message.as_ref() });
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
    let Some(message) = message_at(address) else {
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
    // Both cores may read past the new end at once: one handler reports,
    // and any other waits for its `_exit`, so that the error document is
    // written once (returning would only fault again).
    if REPORT_TAKEN.swap(true, Ordering::AcqRel) {
        loop {
            // SAFETY: `pause` is async-signal-safe; the reporting
            // thread's `_exit` ends this thread with the process.
            unsafe {
                libc::pause();
            }
        }
    }
    match message {
        Some(message) => {
            write_all(2, message.stderr);
            if let Some(document) = message.document {
                let fd = match message.path {
                    // SAFETY: `open` is async-signal-safe, and the path is
                    // a NUL-terminated string leaked by `register`.
                    Some(path) => unsafe {
                        libc::open(
                            path.as_ptr(),
                            libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC | libc::O_CLOEXEC,
                            0o666,
                        )
                    },
                    None => 1,
                };
                if fd >= 0 {
                    write_all(fd, document);
                }
            }
        }
        None => write_all(
            2,
            b"oemtrace: an input file shrank while it was read (another process truncated or \
rewrote it); the run stopped. Run again on the complete file, or pass --no-mmap to read \
inputs into memory first.\n",
        ),
    }
    // SAFETY: `_exit` is async-signal-safe and ends the process at once,
    // without running anything else of it.
    unsafe { libc::_exit(2) }
}

/// Writes `bytes` to `fd` whole, as far as the descriptor takes them; a
/// failed write loses the rest, and the exit code still says what
/// happened.
fn write_all(fd: libc::c_int, mut bytes: &[u8]) {
    while !bytes.is_empty() {
        // SAFETY: `write` is async-signal-safe and reads `bytes.len()`
        // bytes from a live slice.
        let written = unsafe { libc::write(fd, bytes.as_ptr().cast(), bytes.len()) };
        match usize::try_from(written) {
            Ok(n) if n > 0 => bytes = bytes.get(n..).unwrap_or_default(),
            _ if written < 0
                && std::io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) => {}
            _ => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_found_in_their_mapping_only() {
        let text = vec![7u8; 4096];
        let registered = register(&text, "some/big.cdx.json");
        let start = text.as_ptr() as usize;
        let said =
            |at| message_at(at).map(|m| m.map(|m| String::from_utf8_lossy(m.stderr).into_owned()));
        let Some(Some(ours)) = said(start) else {
            panic!("the mapping's first byte is not found");
        };
        assert!(
            ours.contains("some/big.cdx.json: the file shrank while it was read"),
            "{ours}"
        );
        assert_eq!(said(start + 4095), Some(Some(ours)));
        assert_eq!(said(start + 4096), None);
        assert_eq!(said(start - 1), None);
        unregister(&registered);
        assert_eq!(said(start), None, "a forgotten mapping is no longer ours");
    }
}
