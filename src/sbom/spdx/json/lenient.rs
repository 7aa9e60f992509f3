//! Typed access to borrowed JSON values, with the lenience of the
//! readers: an optional value of the wrong type is a `wrong-type`
//! diagnostic and is skipped; where elements live, it is fatal. The same
//! rules as the CycloneDX reader's, over the SPDX reader's state.

use std::borrow::Cow;

use super::Reader;
use crate::model::Trimmed;
use crate::model::{Diagnostic, Span};
use crate::sbom::detect;
use crate::sbom::error::{At, ReadError};
use crate::sbom::json::{self, Elements, JsonType, Known, Listed, Raw};
use crate::sbom::spdx::assemble::IdRef;

impl Reader<'_> {
    pub(super) fn span(&self, raw: Raw<'_>) -> Span {
        json::span_in(self.source, raw.get())
    }

    pub(super) fn at(&self, raw: Raw<'_>) -> At {
        At::new(self.name, self.shared, self.span(raw))
    }

    pub(super) fn wrong_type(&mut self, raw: Raw<'_>, path: &str, expected: JsonType) {
        let found = JsonType::of(raw);
        self.parts.diagnostics.push(Diagnostic::warning(
            "wrong-type",
            format!("`{path}` should be {expected}, found {found}; skipped"),
            Some(self.span(raw)),
        ));
    }

    pub(super) fn duplicate(&mut self, key: &str, raw: Raw<'_>) {
        self.parts.diagnostics.push(Diagnostic::warning(
            "duplicate-key",
            format!("`{key}` appears more than once in this object; the first value is used"),
            Some(self.span(raw)),
        ));
    }

    /// An optional string: `None` when absent or `null`, a `wrong-type`
    /// diagnostic when it is something else.
    pub(super) fn text<'a>(
        &mut self,
        raw: Option<Raw<'a>>,
        path: &str,
    ) -> Option<(Cow<'a, str>, Span)> {
        let raw = raw?;
        match json::string(raw) {
            Some(value) => Some((value, self.span(raw))),
            None => {
                if JsonType::of(raw) != JsonType::Null {
                    self.wrong_type(raw, path, JsonType::String);
                }
                None
            }
        }
    }

    /// An id (an `SPDXID`, a reference to one, a relationship type):
    /// a non-blank string, trimmed.
    pub(super) fn id<'a>(&mut self, raw: Option<Raw<'a>>, path: &str) -> Option<IdRef<'a>> {
        let (value, span) = self.text(raw, path)?;
        let value = match value {
            Cow::Borrowed(v) => Cow::Borrowed(v.trimmed()),
            // Escaped: rare enough to copy.
            Cow::Owned(v) => Cow::Owned(v.trimmed().to_owned()),
        };
        (!value.is_empty()).then_some(IdRef { value, span })
    }

    /// The known keys of an optional object; a diagnostic and `None` when
    /// it is something else.
    pub(super) fn object<'a, const N: usize>(
        &mut self,
        raw: Raw<'a>,
        path: &str,
        keys: &'static json::Keys<N>,
    ) -> Option<[Option<Raw<'a>>; N]> {
        match JsonType::of(raw) {
            JsonType::Object => {}
            JsonType::Null => return None,
            _ => {
                self.wrong_type(raw, path, JsonType::Object);
                return None;
            }
        }
        // Cannot fail: `raw` is a validated object.
        let mut object = json::Object::empty();
        raw.object_into(keys, N, &mut object, &mut Known::off())
            .ok()?;
        if let Some((key, dup)) = object.duplicate {
            self.duplicate(key, dup);
        }
        Some(object.slots)
    }

    /// An element object (checked to be one by [`Reader::required_array`]),
    /// with its arrays split in the same pass where they are arrays, into
    /// `object`, passed empty (see [`Raw::object_into`]).
    pub(super) fn element_object<'a, const N: usize>(
        &mut self,
        raw: Raw<'a>,
        keys: &'static json::Keys<N>,
        lists_from: usize,
        object: &mut json::Object<'a, N>,
    ) {
        // An array key of another type stays raw, for a diagnostic. A
        // checked object always splits, so the fallback is never taken
        // (and would leave `object` empty).
        if raw
            .object_into(keys, lists_from, object, &mut Known::off())
            .is_err()
        {
            return;
        }
        if let Some((key, dup)) = object.duplicate {
            self.duplicate(key, dup);
        }
    }

    /// The elements of an optional array; a diagnostic and none when it is
    /// not an array.
    pub(super) fn array<'a>(&mut self, listed: Listed<'a>, path: &str) -> Elements<'a> {
        match listed {
            Listed::Absent => Elements::new(),
            Listed::Split(list) => list,
            Listed::Raw(raw) => match JsonType::of(raw) {
                JsonType::Array => json::elements(raw).unwrap_or_default(),
                JsonType::Null => Elements::new(),
                _ => {
                    self.wrong_type(raw, path, JsonType::Array);
                    Elements::new()
                }
            },
        }
    }

    /// An array of element objects: any other type, for the array or an
    /// element, is fatal (`null` elements are skipped with a diagnostic).
    pub(super) fn required_array<'a>(
        &mut self,
        listed: Listed<'a>,
        path: &'static str,
    ) -> Result<Elements<'a>, ReadError> {
        let mut list = match listed {
            Listed::Absent => return Ok(Elements::new()),
            Listed::Split(list) => list,
            Listed::Raw(raw) => match JsonType::of(raw) {
                JsonType::Array => json::elements(raw)
                    .map_err(|err| detect::syntax(self.name, self.shared, raw.get(), &err))?,
                JsonType::Null => return Ok(Elements::new()),
                found => {
                    return Err(ReadError::wrong_type(
                        self.at(raw),
                        path,
                        JsonType::Array.described(),
                        found.described(),
                    ))
                }
            },
        };
        if let Some(null) = list
            .iter()
            .copied()
            .find(|r| JsonType::of(*r) == JsonType::Null)
        {
            self.parts.diagnostics.push(Diagnostic::warning(
                "wrong-type",
                format!("`{path}` has `null` elements; skipped"),
                Some(self.span(null)),
            ));
            list.retain(|r| JsonType::of(*r) != JsonType::Null);
        }
        if let Some(bad) = list
            .iter()
            .copied()
            .find(|r| JsonType::of(*r) != JsonType::Object)
        {
            return Err(ReadError::wrong_type(
                self.at(bad),
                path,
                "an array of objects",
                JsonType::of(bad).described(),
            ));
        }
        Ok(list)
    }
}
