//! Components built by hand for tests, with the text their field values
//! are ranges of.

use std::ops::{Deref, DerefMut};

use super::{Component, Field, FieldKind, Span, Texts};

/// A component and the own text of its fields' values (see
/// [`super::Value`]): what a document would hold for it. Derefs to the
/// component; match it with [`Built::texts`].
#[derive(Debug, Default)]
pub(crate) struct Built {
    pub component: Component,
    pub own: String,
}

impl Built {
    pub(crate) fn new(component: Component) -> Self {
        Built {
            component,
            own: String::new(),
        }
    }

    /// Adds a field whose value is `value`, located at `span`.
    pub(crate) fn field(
        &mut self,
        kind: FieldKind,
        path: &'static str,
        value: &str,
        span: Span,
    ) -> &mut Self {
        let field = Field::own(kind, path, value, span, &mut self.own);
        self.component.fields.push(field);
        self
    }

    /// The texts the fields' values are ranges of: no source, the own text.
    pub(crate) fn texts(&self) -> Texts<'_> {
        Texts {
            source: "",
            own: &self.own,
        }
    }
}

impl Deref for Built {
    type Target = Component;

    fn deref(&self) -> &Component {
        &self.component
    }
}

impl DerefMut for Built {
    fn deref_mut(&mut self) -> &mut Component {
        &mut self.component
    }
}
