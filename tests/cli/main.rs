//! Command-line tests, one module per subcommand or concern. Simple command/stdin/stdout
//! cases are trycmd case files in `tests/cmd/` (run by `cases.rs`).

mod cases;
mod check;
mod clean;
mod config;
mod dedup;
mod files;
mod interrupt;
mod jsonl;
mod parquet_io;
mod quality;
mod reference;
mod rules;
mod split;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use predicates::prelude::*;

fn scrub() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("textscrub").unwrap()
}

fn seeds_into(dir: &Path) {
    fs::create_dir_all(dir.join("input")).unwrap();
    for entry in fs::read_dir("fixtures/seeds/input").unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, dir.join("input").join(path.file_name().unwrap())).unwrap();
    }
}
