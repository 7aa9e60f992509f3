//! Hostile inputs (issue 8): every reader and the whole audit, on input
//! written to hurt. Each case asserts a clear outcome (an error or a
//! diagnostic with its code, line and column), a time bound, and — for the
//! big inputs — a bound on peak memory, measured in a child process. The
//! big inputs are generated here, never committed.
//!
//! Time bounds are generous: `cargo test` runs a debug build, often on a
//! loaded two-core machine. They are there to catch a hang or a quadratic
//! blow-up, not to benchmark.

#[path = "adversarial/support.rs"]
mod support;

#[path = "adversarial/shapes.rs"]
mod shapes;

#[path = "adversarial/wrong_types.rs"]
mod wrong_types;

#[path = "adversarial/regressions.rs"]
mod regressions;

#[path = "adversarial/graph.rs"]
mod graph;

#[path = "adversarial/network.rs"]
mod network;

#[path = "adversarial/mutations.rs"]
mod mutations;
