//! The text of a document, shared by the document, its errors and its
//! report.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// The whole text of a document: every [`Span`](super::Span) indexes
/// into it.
///
/// Cloning shares it. Whoever made the text decides what keeps it: a
/// `String` read into memory, or (the CLI's files of 4 MiB and more) a
/// mapping of the file, which spares copying the page cache into fresh
/// pages, a tenth of a 100,000-component audit's time
/// (docs/performance.md). The library itself only reads the `str`.
#[derive(Clone)]
pub struct SourceText(Arc<dyn AsRef<str> + Send + Sync>);

impl SourceText {
    /// A text kept by `owner` for as long as a clone of it lives.
    pub fn new(owner: impl AsRef<str> + Send + Sync + 'static) -> SourceText {
        SourceText(Arc::new(owner))
    }

    pub fn as_str(&self) -> &str {
        (*self.0).as_ref()
    }
}

impl From<String> for SourceText {
    fn from(text: String) -> SourceText {
        SourceText::new(text)
    }
}

/// Shares a text kept elsewhere (the vendor db's files, a waivers file).
impl From<Arc<String>> for SourceText {
    fn from(text: Arc<String>) -> SourceText {
        SourceText::new(Shared(text))
    }
}

struct Shared(Arc<String>);

impl AsRef<str> for Shared {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for SourceText {
    fn from(text: &str) -> SourceText {
        SourceText::new(text.to_owned())
    }
}

impl Deref for SourceText {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for SourceText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A keeper other than `String`, as the CLI's mapped file is.
    struct Kept(&'static str);

    impl AsRef<str> for Kept {
        fn as_ref(&self) -> &str {
            self.0
        }
    }

    #[test]
    fn any_keeper_reads_as_its_str() {
        let kept = SourceText::new(Kept("{\"a\": 1}"));
        let owned = SourceText::from(String::from("{\"a\": 1}"));
        assert_eq!(&*kept, "{\"a\": 1}");
        assert_eq!(&*kept, &*owned);
        assert_eq!(format!("{kept:?}"), format!("{:?}", "{\"a\": 1}"));
    }
}
