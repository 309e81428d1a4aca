//! `check`: findings, report formats, budgets, exit statuses.

use super::*;

#[test]
fn check_exits_1_on_the_seeds_with_findings_at_the_right_lines_and_0_on_clean_text() {
    scrub()
        .args(["check", "fixtures/seeds/input"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "fixtures/seeds/input/kyrgyzstan-upi.txt:1:138: scraper/photo-credit removes \" Photo by Igor Kovalenko/EPA-EFE\"",
        ))
        .stdout(predicate::str::contains(
            "fixtures/seeds/input/kyrgyzstan-upi.txt:7:1: scraper/ad-label removes \"Advertisement\"",
        ))
        .stdout(predicate::str::contains(
            "fixtures/seeds/input/kyrgyzstan-aa-translated.txt:8:136: names/kyrgyz-translit replaces \"Sadır\" with \"Sadyr\"",
        ))
        .stdout(predicate::str::contains("15 finding(s) in 2 of 2 document(s)"));
    scrub()
        .args([
            "check",
            "fixtures/seeds/expected/kyrgyzstan-upi.cleaned.txt",
            "fixtures/seeds/expected/kyrgyzstan-aa-translated.cleaned.txt",
        ])
        .assert()
        .code(0)
        .stdout("no findings in 2 document(s)\n");
    scrub()
        .args(["check", "--exit-zero", "fixtures/seeds/input"])
        .assert()
        .code(0);
}

#[test]
fn check_names_the_record_line_and_id_for_jsonl() {
    let input =
        "{\"id\":\"a\",\"text\":\"fine\"}\n{\"id\":\"b\",\"text\":\"Intro.\\nAdvertisement\\n\"}\n";
    scrub()
        .args(["check", "--input-format", "jsonl"])
        .write_stdin(input)
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with(
            "<stdin>:2: b:2:1: scraper/ad-label removes \"Advertisement\"\n",
        ));
    let assert = scrub()
        .args(["check", "--input-format", "jsonl", "--format", "json"])
        .write_stdin(input)
        .assert()
        .code(1);
    let finding: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(finding["record"], 2);
    assert_eq!(finding["id"], "b");
    assert_eq!(finding["rule"], "scraper/ad-label");
    assert_eq!(
        (finding["line"].as_u64(), finding["start"].as_u64()),
        (Some(2), Some(7))
    );
    assert_eq!(finding["before"], "Advertisement\n");
}

#[test]
fn check_writes_github_annotations_and_statistics() {
    scrub()
        .args(["check", "--format", "github", "fixtures/seeds/input/kyrgyzstan-upi.txt"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "::warning file=fixtures/seeds/input/kyrgyzstan-upi.txt,line=7,col=1,title=scraper/ad-label::removes \"Advertisement\"\n",
        ));
    scrub()
        .args(["check", "--statistics", "fixtures/seeds/input"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "       6  names/kyrgyz-translit\n",
        ))
        .stdout(predicate::str::contains("removes").not());
}

#[test]
fn check_sarif_reads_back_through_the_sarif_types() {
    let assert = scrub()
        .args(["check", "--format", "sarif", "fixtures/seeds/input"])
        .assert()
        .code(1);
    let sarif: serde_sarif::sarif::Sarif =
        serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(sarif.version.to_string().trim_matches('"'), "2.1.0");
    let run = &sarif.runs[0];
    assert_eq!(run.tool.driver.name, "textscrub");
    let results = run.results.as_ref().unwrap();
    assert_eq!(results.len(), 15);
    let first = &results[0];
    assert_eq!(first.rule_id.as_deref(), Some("scraper/ad-placeholder"));
    let region = first.locations.as_ref().unwrap()[0]
        .physical_location
        .as_ref()
        .unwrap()
        .region
        .as_ref()
        .unwrap();
    assert_eq!((region.start_line, region.start_column), (Some(1), Some(1)));
}

#[test]
fn check_budget_fails_only_above_the_share() {
    let input = "{\"id\":\"a\",\"text\":\"fine\"}\n{\"id\":\"b\",\"text\":\"ok\"}\n{\"id\":\"c\",\"text\":\"x [ad_1]\"}\n";
    for (share, code) in [("0.5", 0), ("0.2", 1)] {
        scrub()
            .args([
                "check",
                "--statistics",
                "--input-format",
                "jsonl",
                "--max-changed-share",
                share,
            ])
            .write_stdin(input)
            .assert()
            .code(code);
    }
}

#[test]
fn check_with_a_broken_rule_file_exits_2_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("bad.toml");
    fs::write(&rules, "[[rule]]\nid = \"acme/x\"\nkind = \"remove\"\ndescription = \"x\"\npattern = 'x'\nscpoe = 'line'\n").unwrap();
    scrub()
        .args(["check", "--rules"])
        .arg(&rules)
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "bad.toml:6:1: rule `acme/x`: unknown field `scpoe`",
        ));
}

#[test]
fn check_reports_flagged_names_and_documents_quality_rules_would_drop() {
    scrub()
        .args(["check"])
        .write_stdin("President Mamıtov spoke.\n")
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "<stdin>:1:11: names/turkish-spelling `Mamıtov`",
        ))
        .stdout(predicate::str::contains("(maybe \"Mamytov\")"));
    scrub()
        .args(["check", "--drop", "--select", "quality/gopher-min-words"])
        .write_stdin("Too short to keep.\n")
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "<stdin>:1:1: quality/gopher-min-words would drop the document: words = 4.0000",
        ));
}
