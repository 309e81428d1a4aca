//! `rules`: broken rule files, `rules test`, `rules list` and `explain`.

use super::*;

#[test]
fn a_broken_rule_file_exits_2_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("acme.toml");
    fs::write(&rules, "[[rule]]\nid = \"acme/x\"\nkind = \"remove\"\ndescription = \"x\"\npattern = '(unclosed'\n").unwrap();
    scrub()
        .args(["clean", "--rules"])
        .arg(&rules)
        .write_stdin("text")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "acme.toml:5:11: rule `acme/x`: invalid regex",
        ));
    scrub()
        .args(["clean", "--rules", "no/such/rules.toml"])
        .write_stdin("text")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such/rules.toml"));
}

#[test]
fn rules_test_passes_on_the_defaults_and_fails_on_a_wrong_test() {
    scrub()
        .args(["rules", "test"])
        .assert()
        .success()
        .stdout(predicate::str::contains(" 0 failed"));
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("acme.toml");
    fs::write(
        &rules,
        "[[rule]]\nid = \"acme/x\"\nkind = \"remove\"\ndescription = \"x\"\npattern = 'x+'\n\n[[rule.test]]\ninput = \"axxb\"\noutput = \"axb\"\n",
    )
    .unwrap();
    scrub()
        .args(["rules", "test"])
        .arg(&rules)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("acme/x test 1 wrong"));
}

#[test]
fn rules_list_and_explain_describe_the_rules() {
    scrub()
        .args(["rules", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("scraper/ad-placeholder"))
        .stdout(predicate::str::contains("names/kyrgyz-translit"));
    scrub()
        .args(["rules", "explain", "scraper/ad-label"])
        .assert()
        .success()
        .stdout(predicate::str::contains("drop-line"))
        .stdout(predicate::str::contains("before: \"He said so."));
}
