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

/// `--write-baseline` records today's findings and exits 0; `--baseline` then reports and
/// fails on new findings only, however the file is named and wherever its old findings
/// moved.
#[test]
fn check_with_a_baseline_fails_only_on_new_findings() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    fs::create_dir(&data).unwrap();
    let page = data.join("page.txt");
    fs::write(
        &page,
        "[ad_1]\nThe council met.\nAdvertisement\nIt voted.\n",
    )
    .unwrap();
    let check = |args: &[&str]| {
        let mut cmd = scrub();
        cmd.current_dir(dir.path()).arg("check").args(args);
        cmd
    };
    check(&["--write-baseline", "data/baseline.json", "data"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "recorded 2 finding(s) in the baseline data/baseline.json",
        ));
    // The baseline sits in the folder checked: it is not read as data.
    check(&["--baseline", "data/baseline.json", "data"])
        .assert()
        .code(0)
        .stdout("no new findings in 1 document(s) (2 more in the baseline)\n");
    check(&["-q", "--baseline", "data/baseline.json"])
        .arg(page.canonicalize().unwrap())
        .assert()
        .code(0);
    // A line above moves the known findings; a new one fails.
    fs::write(
        &page,
        "Intro.\n[ad_1]\nThe council met.\nAdvertisement\nIt voted.\nAdvertisement\n",
    )
    .unwrap();
    check(&["--baseline", "data/baseline.json", "./data/page.txt"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "./data/page.txt:6:1: scraper/ad-label removes \"Advertisement\"",
        ))
        .stdout(predicate::str::contains("page.txt:2:").not())
        .stdout(predicate::str::contains(
            "1 new finding(s) in 1 of 1 document(s): 1 scraper/ad-label (2 more in the baseline)",
        ));
    check(&["--baseline", "missing.json", "data"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read the baseline missing.json",
        ));
}

/// The pre-commit manifest at the repository's root runs `check` on the files pre-commit
/// hands it, and its file pattern takes what `check` reads.
#[test]
fn the_pre_commit_hook_runs_check_on_the_files_it_is_given() {
    let manifest = fs::read_to_string(".pre-commit-hooks.yaml").unwrap();
    let value = |key: &str| {
        manifest
            .lines()
            .find_map(|l| l.strip_prefix(&format!("  {key}: ")))
            .unwrap_or_else(|| panic!("no {key} in {manifest}"))
            .trim_matches('\'')
            .to_string()
    };
    assert!(manifest.contains("- id: textscrub-check"));
    assert_eq!(value("language"), "rust");
    let files = regex::Regex::new(&value("files")).unwrap();
    for name in [
        "a.txt",
        "b.md",
        "c.jsonl",
        "d.json",
        "e.jsonl.gz",
        "f.txt.zst",
    ] {
        assert!(files.is_match(name), "{name}");
    }
    assert!(!files.is_match("main.rs") && !files.is_match("data.csv"));
    let entry = value("entry");
    let mut words = entry.split_whitespace();
    assert_eq!(words.next(), Some("textscrub"));
    let args: Vec<&str> = words.collect();
    scrub()
        .args(&args)
        .args([
            "fixtures/seeds/expected/kyrgyzstan-upi.cleaned.txt",
            "fixtures/seeds/expected/kyrgyzstan-aa-translated.cleaned.txt",
        ])
        .assert()
        .code(0);
    scrub()
        .args(&args)
        .args([
            "fixtures/seeds/expected/kyrgyzstan-upi.cleaned.txt",
            "fixtures/seeds/input/kyrgyzstan-upi.txt",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("scraper/ad-label"));
}
