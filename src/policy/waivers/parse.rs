//! The TOML schema of a waivers file and its checks: every problem is an
//! error that points at the offending value ([`super::WaiverErrorKind`]).

use std::sync::Arc;

use miette::SourceSpan;

use crate::model::SourceText;
use crate::sbom::span::Snippet;
use serde::Deserialize;
use toml::Spanned;

use super::{PurlSelector, Selector, Waiver, WaiverError, WaiverErrorKind};
use crate::model::Span;
use crate::policy::date::Date;
use crate::policy::glob::Glob;

/// Every `[[waiver]]` of `text`, checked, in file order.
pub(super) fn waivers(file: &str, text: &Arc<String>) -> Result<Vec<Waiver>, WaiverError> {
    let at = At { file, text };
    let raw: RawFile = toml::from_str(text).map_err(|e| at.parse(&e))?;
    raw.waiver.into_iter().map(|w| at.waiver(w)).collect()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    waiver: Vec<Spanned<RawWaiver>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaiver {
    purl: Option<Spanned<String>>,
    bom_ref: Option<Spanned<String>>,
    name: Option<Spanned<String>>,
    version: Option<Spanned<String>>,
    target: Option<Spanned<String>>,
    document: Option<Spanned<String>>,
    reason: Option<Spanned<String>>,
    approved_by: Option<Spanned<String>>,
    expires: Option<Spanned<toml::Value>>,
}

impl RawWaiver {
    /// Where the last value of the table ends.
    fn end(&self) -> usize {
        let strings = [
            &self.purl,
            &self.bom_ref,
            &self.name,
            &self.version,
            &self.target,
            &self.document,
            &self.reason,
            &self.approved_by,
        ];
        let ends = strings.into_iter().flatten().map(|v| v.span().end);
        ends.chain(self.expires.as_ref().map(|v| v.span().end))
            .max()
            .unwrap_or(0)
    }
}

/// The file errors point into.
struct At<'a> {
    file: &'a str,
    text: &'a Arc<String>,
}

impl At<'_> {
    fn src(&self) -> Snippet {
        Snippet::new(self.file, &SourceText::from(Arc::clone(self.text)))
    }

    fn parse(&self, e: &toml::de::Error) -> WaiverError {
        WaiverErrorKind::Parse {
            file: self.file.to_owned(),
            message: e.message().trim().to_owned(),
            src: self.src(),
            span: e.span().map(|r| SourceSpan::new(r.start.into(), r.len())),
        }
        .into()
    }

    fn invalid(&self, message: impl Into<String>, range: std::ops::Range<usize>) -> WaiverError {
        WaiverErrorKind::Invalid {
            file: self.file.to_owned(),
            message: message.into(),
            src: self.src(),
            span: SourceSpan::new(range.start.into(), range.len()),
        }
        .into()
    }

    /// A non-blank string, trimmed.
    fn text(&self, key: &str, value: Spanned<String>) -> Result<String, WaiverError> {
        let span = value.span();
        let value = value.into_inner();
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return Err(self.invalid(format!("`{key}` is empty"), span));
        }
        Ok(trimmed.to_owned())
    }

    fn required(
        &self,
        key: &str,
        value: Option<Spanned<String>>,
        table: &std::ops::Range<usize>,
    ) -> Result<String, WaiverError> {
        match value {
            Some(v) => self.text(key, v),
            None => Err(self.invalid(format!("waiver has no `{key}`"), table.clone())),
        }
    }

    fn optional(
        &self,
        key: &str,
        value: Option<Spanned<String>>,
    ) -> Result<Option<String>, WaiverError> {
        value.map(|v| self.text(key, v)).transpose()
    }

    fn waiver(&self, raw: Spanned<RawWaiver>) -> Result<Waiver, WaiverError> {
        // toml spans an array-of-tables entry by its `[[waiver]]` header
        // only; stretch it over the values so a label covers the waiver.
        let header = raw.span();
        let raw = raw.into_inner();
        let table = header.start..raw.end().max(header.end);
        let purl = match raw.purl {
            Some(p) => {
                let span = p.span();
                let text = self.text("purl", p)?;
                Some(PurlSelector::parse(&text).ok_or_else(|| {
                    self.invalid(
                        "not a package URL (`pkg:type/namespace/name[@version]`)",
                        span,
                    )
                })?)
            }
            None => None,
        };
        if let (Some(v), None) = (&raw.version, &raw.name) {
            return Err(self.invalid("`version` selects only together with `name`", v.span()));
        }
        let selector = Selector {
            purl,
            bom_ref: self.optional("bom_ref", raw.bom_ref)?,
            name: self.optional("name", raw.name)?,
            version: self.optional("version", raw.version)?,
            target: self.optional("target", raw.target)?,
            document: self
                .optional("document", raw.document)?
                .map(|d| Glob::new(&d)),
        };
        let has_selector = selector.purl.is_some()
            || selector.bom_ref.is_some()
            || selector.name.is_some()
            || selector.target.is_some()
            || selector.document.is_some();
        if !has_selector {
            return Err(self.invalid(
                "waiver selects nothing: give at least one of `purl`, `bom_ref`, `name`, `target`, `document`",
                table,
            ));
        }
        let reason = self.required("reason", raw.reason, &table)?;
        let approved_by = self.required("approved_by", raw.approved_by, &table)?;
        let (expires, expires_span) = match raw.expires {
            Some(e) => {
                let range = e.span();
                let date = date_of(e.get_ref()).ok_or_else(|| {
                    self.invalid("`expires` is not a date (YYYY-MM-DD)", range.clone())
                })?;
                (Some(date), Some(Span::new(range.start, range.len())))
            }
            None => (None, None),
        };
        Ok(Waiver {
            selector,
            reason,
            approved_by,
            expires,
            span: Span::new(table.start, table.len()),
            expires_span,
        })
    }
}

/// A TOML local date (`2027-06-30`) or a string holding one.
fn date_of(value: &toml::Value) -> Option<Date> {
    match value {
        toml::Value::String(s) => Date::parse(s.trim()),
        toml::Value::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
            (Some(d), None, None) => Date::new(i32::from(d.year), d.month, d.day),
            _ => None,
        },
        _ => None,
    }
}
