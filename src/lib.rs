//! oemtrace: find Kaspersky engines hidden in a product's supply chain.
//!
//! The library is a pipeline of plain functions (see DESIGN.md):
//! [`sbom::read`] turns bytes into a [`model::Document`];
//! [`vendordb::matcher::Matcher`] says which components a vendor-db record
//! identifies; [`graph::build`] joins everything into one petgraph graph;
//! [`trace`] finds a shortest path and the exact path count for every
//! flagged component; [`audit`] puts it all into a [`report::Report`], the
//! single result every output format renders. Only `main.rs` touches the
//! process.

pub mod audit;
pub mod explain;
pub mod graph;
pub mod model;
pub mod policy;
mod prefetch;
pub mod report;
pub mod sbom;
pub mod select;
#[cfg(target_arch = "x86_64")]
mod sse2;
pub mod trace;
pub mod vendordb;

pub use audit::{audit, audit_releasing, Options};
