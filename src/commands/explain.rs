//! `oemtrace explain`: the paths from the products to one component.

use oemtrace::report::tree;

use super::audit::{load, resolve};
use super::output;
use crate::cli::{ExplainArgs, OutputFormat};

pub fn run(args: &ExplainArgs) -> i32 {
    let style = output::style(args.display.color);
    let json = args.format == OutputFormat::Json;
    output::report_failures_as(output::errors_as(json), None, style);
    // clap guarantees at least two arguments: SBOMs, then the component.
    let Some((selector, sboms)) = args.args.split_last() else {
        return oemtrace::policy::ExitCode::Error.code();
    };
    let (docs, db) = match load(sboms, &args.input, &args.db, json) {
        Ok(loaded) => loaded,
        Err(failures) => return output::fail(&failures, json, style),
    };
    let (targets, roots) = match (
        resolve(&docs, std::slice::from_ref(selector)),
        resolve(&docs, &args.root),
    ) {
        (Ok(t), Ok(r)) => (t, r),
        (Err(mut a), Err(b)) => {
            a.extend(b);
            return output::fail(&a, json, style);
        }
        (Err(f), _) | (_, Err(f)) => return output::fail(&f, json, style),
    };
    let report = oemtrace::explain::explain(&docs, &db, &targets, &roots, args.limit);
    output::print(&if json {
        oemtrace::report::json::to_json(&report)
    } else {
        tree::render(&report)
    });
    oemtrace::policy::ExitCode::Clean.code()
}
