//! Reading SBOM documents.
pub mod span;
