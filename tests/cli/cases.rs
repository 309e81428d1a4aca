//! The case files in `tests/cmd/`: each names a command, its standard input, and the exact
//! standard output, standard error and exit status expected. `TRYCMD=overwrite cargo test`
//! rewrites them after an intended change; review the diff.

#[test]
fn case_files() {
    trycmd::TestCases::new().case("tests/cmd/*.toml");
}
