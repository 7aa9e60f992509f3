//! The examples in the docs run: every line `$ oemtrace …  # exit N` in
//! README.md and docs/*.md is executed from the repository root and must
//! exit with N. Docs that drift from the code fail here.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

struct Example {
    file: PathBuf,
    line: usize,
    args: Vec<String>,
    exit: i32,
}

fn examples() -> Vec<Example> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .expect("docs/ exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    docs.sort();
    files.extend(docs);

    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable doc");
        for (i, line) in text.lines().enumerate() {
            let Some(command) = line.trim_start().strip_prefix("$ oemtrace") else {
                continue;
            };
            let (command, comment) = command.split_once('#').unwrap_or_else(|| {
                panic!(
                    "{}:{}: an example needs a `# exit N` comment",
                    file.display(),
                    i + 1
                )
            });
            let exit = comment
                .trim()
                .strip_prefix("exit ")
                .and_then(|n| n.trim().parse().ok())
                .unwrap_or_else(|| panic!("{}:{}: `# exit N` expected", file.display(), i + 1));
            out.push(Example {
                file: file.clone(),
                line: i + 1,
                args: command.split_whitespace().map(str::to_owned).collect(),
                exit,
            });
        }
    }
    out
}

#[test]
fn every_documented_example_runs_with_its_exit_code() {
    let examples = examples();
    assert!(
        examples.len() >= 10,
        "found only {} examples",
        examples.len()
    );
    let mut failures = Vec::new();
    for ex in &examples {
        let out = Command::cargo_bin("oemtrace")
            .expect("binary builds")
            .env(
                "OEMTRACE_CACHE_DIR",
                concat!(env!("CARGO_TARGET_TMPDIR"), "/no-vendor-db-cache"),
            )
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(&ex.args)
            .output()
            .expect("runs");
        let code = out.status.code().unwrap_or(-1);
        if code != ex.exit {
            failures.push(format!(
                "{}:{}: `oemtrace {}` exited {code}, the doc says {}\n{}",
                ex.file.display(),
                ex.line,
                ex.args.join(" "),
                ex.exit,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
