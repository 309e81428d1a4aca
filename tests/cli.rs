//! End-to-end tests of the `textscrub` binary.

use std::fs;
use std::path::Path;
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

/// The diff, applied to the originals with `patch` and with `git apply`, reproduces the
/// cleaned text byte for byte (including the seed without a final newline).
#[test]
fn the_diff_applies_exactly_with_patch_and_git_apply() {
    for tool in ["patch", "git"] {
        let dir = tempfile::tempdir().unwrap();
        seeds_into(dir.path());
        scrub()
            .current_dir(dir.path())
            .args(["clean", "--diff=changes.diff", "-o", "cleaned", "input"])
            .assert()
            .success();
        let diff = fs::read_to_string(dir.path().join("changes.diff")).unwrap();
        assert!(diff.contains("--- a/input/kyrgyzstan-upi.txt\n+++ b/input/kyrgyzstan-upi.txt\n"));
        let status = match tool {
            "patch" => Command::new("patch")
                .current_dir(dir.path())
                .args(["-p1", "-s", "-i", "changes.diff"])
                .status(),
            _ => Command::new("git")
                .current_dir(dir.path())
                .args(["apply", "changes.diff"])
                .status(),
        }
        .unwrap();
        assert!(status.success(), "{tool} rejected the diff");
        for name in ["kyrgyzstan-aa-translated.txt", "kyrgyzstan-upi.txt"] {
            let patched = fs::read(dir.path().join("input").join(name)).unwrap();
            let cleaned = fs::read(dir.path().join("cleaned").join(name)).unwrap();
            assert!(patched == cleaned, "{tool}: {name} differs after patching");
        }
    }
}

#[test]
fn diff_alone_prints_to_stdout_and_never_takes_an_input_for_its_file() {
    let dir = tempfile::tempdir().unwrap();
    seeds_into(dir.path());
    let input = dir.path().join("input/kyrgyzstan-upi.txt");
    let before = fs::read(&input).unwrap();
    scrub()
        .args(["clean", "--diff"])
        .arg(&input)
        .assert()
        .success()
        .stdout(predicate::str::contains("-Advertisement\n"));
    assert_eq!(fs::read(&input).unwrap(), before, "the input is untouched");
    scrub()
        .args(["clean", "-o"])
        .arg(&input)
        .arg(&input)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "refusing to write output over the input",
        ));
    assert_eq!(fs::read(&input).unwrap(), before);
}

#[test]
fn jsonl_fields_pass_through_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    fs::write(
        &input,
        concat!(
            r#"{"url":"https://x.test/a","id":"a1","text":"Officials in Bishkek said [ad_1] the vote would be annulled within days, as protests spread.","meta":{"score":1.50,"tags":["x","ü"]},"n":null}"#,
            "\n",
            r#"{"id":7,"text":"Nothing to do here.","extra":12345678901234567890}"#,
            "\n"
        ),
    )
    .unwrap();
    let output = dir.path().join("out.jsonl");
    scrub()
        .args(["clean", "--guard-share", "0.5", "-o"])
        .arg(&output)
        .arg(&input)
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(&output).unwrap(),
        concat!(
            r#"{"url":"https://x.test/a","id":"a1","text":"Officials in Bishkek said the vote would be annulled within days, as protests spread.","meta":{"score":1.50,"tags":["x","ü"]},"n":null}"#,
            "\n",
            r#"{"id":7,"text":"Nothing to do here.","extra":12345678901234567890}"#,
            "\n"
        )
    );
}

#[test]
fn the_guard_marks_heavily_cleaned_records() {
    let assert = scrub()
        .args(["clean", "--format", "jsonl"])
        .write_stdin("{\"id\":\"x\",\"text\":\"Short.\\nAdvertisement\"}\n")
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "x: the rules removed 50.0% of the words",
        ));
    let record: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(record["text"], "Short.");
    assert_eq!(record["guard"]["removed_share"], 0.5);
}

#[test]
fn nested_text_and_id_fields_and_change_records() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    fs::write(
        &input,
        "{\"meta\":{\"key\":\"k9\"},\"body\":{\"text\":\"A\\nAdvertisement\\nB [ad_3]\"}}\n",
    )
    .unwrap();
    let assert = scrub()
        .args([
            "clean",
            "--text-field",
            "body.text",
            "--id-field",
            "meta.key",
            "--changes",
            "-",
        ])
        .arg(&input)
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert_eq!(
        stdout,
        concat!(
            r#"{"id":"k9","rule":"scraper/ad-placeholder","start":17,"end":24,"line":3,"column":2,"before":" [ad_3]","after":""}"#,
            "\n",
            r#"{"id":"k9","rule":"scraper/ad-label","start":2,"end":16,"line":2,"column":1,"before":"Advertisement\n","after":""}"#,
            "\n"
        )
    );
}

#[test]
fn a_malformed_jsonl_line_is_reported_with_file_and_line_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    fs::write(&input, "{\"id\":\"1\",\"text\":\"ok\"}\n{\"id\":\"2\",\"text\":\"ok\"}\n{\"id\":\"3\",\"text\":\"broken\"\n{\"id\":\"4\"}\n").unwrap();
    let output = dir.path().join("out.jsonl");
    scrub()
        .args(["clean", "-o"])
        .arg(&output)
        .arg(&input)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("in.jsonl:3: invalid JSON"))
        .stderr(predicate::str::contains(
            "in.jsonl:4: record has no `text` field",
        ));
    assert!(!output.exists(), "no partial output file");
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "no temporary file left behind: {leftovers:?}"
    );
}

#[test]
fn invalid_utf8_and_missing_paths_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("bad.txt");
    fs::write(&input, b"line one\nline \xff two\n").unwrap();
    scrub()
        .arg("clean")
        .arg(&input)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "bad.txt:2: invalid UTF-8 at byte 14",
        ));
    scrub()
        .args(["clean", "no/such/file.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such/file.txt: No such file"));
}

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
fn user_rules_add_to_or_replace_the_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("acme.toml");
    fs::write(&rules, "[[rule]]\nid = \"acme/promo\"\nkind = \"drop-line\"\ndescription = \"promo\"\npattern = 'PROMO.*'\n").unwrap();
    scrub()
        .args(["clean", "--rules"])
        .arg(&rules)
        .write_stdin("[ad_1]\nPROMO 50% off\nText.\n")
        .assert()
        .success()
        .stdout("Text.\n");
    scrub()
        .args(["clean", "--no-default-rules", "--rules"])
        .arg(&rules)
        .write_stdin("[ad_1]\nPROMO 50% off\nText.\n")
        .assert()
        .success()
        .stdout("[ad_1]\nText.\n");
}

#[test]
fn select_and_ignore_take_globs_and_reject_unknown_ids() {
    scrub()
        .args(["clean", "--select", "names/*"])
        .write_stdin("[ad_1] Caparov")
        .assert()
        .success()
        .stdout("[ad_1] Japarov");
    scrub()
        .args(["clean", "--ignore", "scraper/ad-placeholder"])
        .write_stdin("[ad_1] Caparov")
        .assert()
        .success()
        .stdout("[ad_1] Japarov");
    scrub()
        .args(["clean", "--select", "scraper/ad-placeholders"])
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "help: did you mean `scraper/ad-placeholder`?",
        ));
}

/// Output, diff and change records are byte-identical at one and two threads, on a few
/// hundred real documents.
#[test]
fn output_is_identical_at_any_job_count() {
    let dir = tempfile::tempdir().unwrap();
    let docs = fs::read_to_string("fixtures/scraped-dev/docs.jsonl").unwrap();
    let mut corpus = String::new();
    for round in 0..3 {
        for line in docs.lines() {
            let mut record: serde_json::Value = serde_json::from_str(line).unwrap();
            record["id"] = format!("{}#{round}", record["id"].as_str().unwrap()).into();
            corpus.push_str(&record.to_string());
            corpus.push('\n');
        }
    }
    let input = dir.path().join("corpus.jsonl");
    fs::write(&input, corpus).unwrap();
    let run = |jobs: &str| {
        let out = dir.path().join(format!("out-{jobs}"));
        fs::create_dir_all(&out).unwrap();
        scrub()
            .args(["clean", "-j", jobs, "-o"])
            .arg(out.join("clean.jsonl"))
            .arg(format!("--diff={}", out.join("diff").display()))
            .arg("--changes")
            .arg(out.join("changes.jsonl"))
            .arg(&input)
            .assert()
            .success();
        ["clean.jsonl", "diff", "changes.jsonl"].map(|f| fs::read(out.join(f)).unwrap())
    };
    let one = run("1");
    assert_eq!(one[0].iter().filter(|&&b| b == b'\n').count(), 414);
    assert!(one == run("2"), "output differs between -j 1 and -j 2");
}

#[test]
fn a_folder_is_mirrored_below_the_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    seeds_into(dir.path());
    fs::create_dir_all(dir.path().join("input/nested")).unwrap();
    fs::write(
        dir.path().join("input/nested/c.txt"),
        "Advertisement\nKept.\n",
    )
    .unwrap();
    scrub()
        .current_dir(dir.path())
        .args(["clean", "-o", "out", "input"])
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(dir.path().join("out/nested/c.txt")).unwrap(),
        "Kept.\n"
    );
    let upi = fs::read_to_string(dir.path().join("out/kyrgyzstan-upi.txt")).unwrap();
    assert_eq!(
        upi,
        fs::read_to_string("fixtures/seeds/expected/kyrgyzstan-upi.cleaned.txt").unwrap()
    );
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

#[test]
fn split_writes_one_sentence_per_line_and_follows_the_jsonl_contract() {
    scrub()
        .args(["split", "-q"])
        .write_stdin("Oct. 6 (UPI) -- Mr. Jeenbekov spoke. \"Stop!\" he\nsaid.\n\nPOLICE INTERVENED\nThe end.")
        .assert()
        .success()
        .stdout("Oct. 6 (UPI) -- Mr. Jeenbekov spoke.\n\"Stop!\" he said.\nPOLICE INTERVENED\nThe end.\n");
    scrub()
        .args(["split", "-q", "--format", "jsonl"])
        .write_stdin(concat!(
            r#"{"id":"a","text":"Dr. No left. He ran.","src":"x"}"#,
            "\n",
            r#"{"id":"b","lang":"de","text":"Am 3. Oktober feiern wir. Gut."}"#,
            "\n",
        ))
        .assert()
        .success()
        .stdout(concat!(
            r#"{"id":"a","src":"x","sentences":["Dr. No left.","He ran."]}"#,
            "\n",
            r#"{"id":"b","lang":"de","sentences":["Am 3. Oktober feiern wir.","Gut."]}"#,
            "\n",
        ));
}

#[test]
fn clean_adds_the_sentences_of_the_cleaned_text() {
    scrub()
        .args(["clean", "-q", "--sentences", "--guard-share", "1", "--format", "jsonl"])
        .write_stdin("{\"id\":\"a\",\"text\":\"[ad_1] Mr. Caparov spoke. He left.\"}\n")
        .assert()
        .success()
        .stdout("{\"id\":\"a\",\"text\":\"Mr. Japarov spoke. He left.\",\"sentences\":[\"Mr. Japarov spoke.\",\"He left.\"]}\n");
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut encoder, bytes).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn compressed_shards_are_mirrored_with_the_same_names_and_compression() {
    let dir = tempfile::tempdir().unwrap();
    let shards = dir.path().join("shards/2020");
    fs::create_dir_all(&shards).unwrap();
    let record = "{\"id\":\"a\",\"text\":\"Advertisement\\nKept text.\"}\n";
    fs::write(shards.join("a.jsonl.gz"), gzip(record.as_bytes())).unwrap();
    fs::write(
        shards.join("b.jsonl.zst"),
        zstd::encode_all(record.as_bytes(), 3).unwrap(),
    )
    .unwrap();
    let summary = dir.path().join("summary.json");
    scrub()
        .current_dir(dir.path())
        .args([
            "clean",
            "-q",
            "--guard-share",
            "1",
            "-o",
            "out",
            "--summary",
            "summary.json",
            "shards",
        ])
        .assert()
        .success();
    let expected = "{\"id\":\"a\",\"text\":\"Kept text.\"}\n";
    let gz = fs::File::open(dir.path().join("out/2020/a.jsonl.gz")).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(gz), &mut text).unwrap();
    assert_eq!(text, expected);
    let zst =
        zstd::decode_all(fs::File::open(dir.path().join("out/2020/b.jsonl.zst")).unwrap()).unwrap();
    assert_eq!(String::from_utf8(zst).unwrap(), expected);
    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(summary).unwrap()).unwrap();
    assert_eq!(summary["documents"], 2);
    assert_eq!(summary["changed"], 2);
    assert_eq!(summary["changes_per_rule"]["scraper/ad-label"], 2);
}

#[test]
fn a_truncated_compressed_shard_is_an_error_and_leaves_no_output() {
    let mut corpus = String::new();
    for i in 0..2000 {
        corpus.push_str(&format!(
            "{{\"id\":\"{i}\",\"text\":\"Document number {i} [ad_1] with some words.\"}}\n"
        ));
    }
    for (name, compressed) in [
        ("cut.jsonl.gz", gzip(corpus.as_bytes())),
        (
            "cut.jsonl.zst",
            zstd::encode_all(corpus.as_bytes(), 3).unwrap(),
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(name), &compressed[..compressed.len() / 2]).unwrap();
        scrub()
            .current_dir(dir.path())
            .args(["clean", "-o", "out.jsonl", name])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!("{name}:")));
        let left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            left,
            vec![std::ffi::OsString::from(name)],
            "no output or temporary file"
        );
    }
}

#[test]
fn a_file_of_only_malformed_lines_exits_2_naming_every_line() {
    scrub()
        .args(["clean", "--format", "jsonl"])
        .write_stdin("not json\n[1,2]\n{\"id\":1}\n")
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("<stdin>:1: invalid JSON"))
        .stderr(predicate::str::contains(
            "<stdin>:2: the line is valid JSON but not an object",
        ))
        .stderr(predicate::str::contains(
            "<stdin>:3: record has no `text` field",
        ));
}

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
        .stdout(predicate::str::contains("12 finding(s) in 2 of 2 document(s)"));
    scrub()
        .args([
            "check",
            "fixtures/seeds/expected/kyrgyzstan-upi.cleaned.txt",
            "fixtures/seeds/expected/kyrgyzstan-aa-translated.cleaned.txt",
        ])
        .assert()
        .code(0)
        .stdout("");
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
    assert_eq!(results.len(), 12);
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
fn color_is_used_only_when_asked_or_on_a_terminal() {
    scrub()
        .args([
            "check",
            "--color",
            "always",
            "fixtures/seeds/input/kyrgyzstan-upi.txt",
        ])
        .assert()
        .stdout(predicate::str::contains("\x1b[31m"));
    scrub()
        .args(["check", "fixtures/seeds/input/kyrgyzstan-upi.txt"])
        .assert()
        .stdout(predicate::str::contains("\x1b[").not());
    scrub()
        .args([
            "clean",
            "--color",
            "always",
            "--diff",
            "fixtures/seeds/input/kyrgyzstan-upi.txt",
        ])
        .assert()
        .stdout(predicate::str::contains("\x1b[31m-"));
}

#[test]
fn the_config_file_is_found_walking_up_and_its_allow_list_spares_false_positives() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("textscrub.toml"),
        concat!(
            "ignore = [\"scraper/share-prompt\"]\n",
            "allow = [\"Advertisement\\nfor the Fair\"]\n",
            "allow-ids = [\"keep-me\"]\n",
            "guard-share = 1.0\n",
            "[per-path-ignores]\n",
            "\"legacy/**\" = [\"names/*\"]\n",
        ),
    )
    .unwrap();
    fs::create_dir_all(dir.path().join("legacy")).unwrap();
    fs::create_dir_all(dir.path().join("deep/er")).unwrap();
    fs::write(dir.path().join("legacy/old.txt"), "Caparov [ad_1] spoke.\n").unwrap();
    fs::write(
        dir.path().join("new.txt"),
        "Caparov [ad_1] spoke.\nShare\nAdvertisement\nfor the Fair\n",
    )
    .unwrap();
    scrub()
        .current_dir(dir.path().join("deep/er"))
        .args(["clean", "-q", "../../new.txt"])
        .assert()
        .success()
        .stdout("Japarov spoke.\nShare\nAdvertisement\nfor the Fair\n");
    scrub()
        .current_dir(dir.path())
        .args(["clean", "-q", "legacy/old.txt"])
        .assert()
        .success()
        .stdout("Caparov spoke.\n");
    // Command-line flags win over the config.
    scrub()
        .current_dir(dir.path())
        .args(["clean", "-q", "--ignore", "names/*", "new.txt"])
        .assert()
        .success()
        .stdout("Caparov spoke.\nAdvertisement\nfor the Fair\n");
    scrub()
        .current_dir(dir.path())
        .args(["clean", "-q", "--format", "jsonl"])
        .write_stdin("{\"id\":\"keep-me\",\"text\":\"[ad_1] x\"}\n{\"id\":\"other\",\"text\":\"[ad_1] x\"}\n")
        .assert()
        .success()
        .stdout("{\"id\":\"keep-me\",\"text\":\"[ad_1] x\"}\n{\"id\":\"other\",\"text\":\"x\"}\n");
}

#[test]
fn a_bad_config_exits_2_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("textscrub.toml");
    for (text, expected) in [
        (
            "select = [\"scraper/*\"]\nignor = []\n",
            "textscrub.toml:2:1: unknown field `ignor`",
        ),
        (
            "select = [\n  \"scraper/ad-placeholders\",\n]\n",
            "textscrub.toml:2:3: no rule matches `scraper/ad-placeholders`",
        ),
        (
            "ignore = [\"scraper/[\"]\n",
            "textscrub.toml:1:11: invalid glob `scraper/[`",
        ),
    ] {
        fs::write(&config, text).unwrap();
        scrub()
            .current_dir(dir.path())
            .args(["check", "-"])
            .write_stdin("x")
            .assert()
            .code(2)
            .stderr(predicate::str::contains(expected));
    }
    scrub()
        .args(["check", "--config", "no/such/textscrub.toml", "-"])
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such/textscrub.toml"));
}

/// A small corpus for the quality tests: the quality fixtures, every family's documents.
fn quality_corpus(dir: &Path) -> (std::path::PathBuf, usize) {
    let mut corpus = String::new();
    for family in ["gopher", "c4", "fineweb"] {
        let text = fs::read_to_string(format!("fixtures/quality/{family}.jsonl")).unwrap();
        for line in text.lines() {
            let mut record: serde_json::Value = serde_json::from_str(line).unwrap();
            record["id"] = format!("{family}/{}", record["id"].as_str().unwrap()).into();
            corpus.push_str(&record.to_string());
            corpus.push('\n');
        }
    }
    let path = dir.join("corpus.jsonl");
    fs::write(&path, &corpus).unwrap();
    (path, corpus.lines().count())
}

// See: issue 5.
#[test]
fn quality_adds_signals_and_verdicts_and_plain_clean_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let (input, count) = quality_corpus(dir.path());
    let plain = scrub().arg("clean").arg(&input).assert().success();
    let plain = String::from_utf8(plain.get_output().stdout.clone()).unwrap();
    assert!(!plain.contains("\"quality\""), "no quality unless asked");
    let judged = scrub()
        .args(["clean", "--quality"])
        .arg(&input)
        .assert()
        .success();
    let judged = String::from_utf8(judged.get_output().stdout.clone()).unwrap();
    assert_eq!(judged.lines().count(), count, "--quality drops nothing");
    for (plain, judged) in plain.lines().zip(judged.lines()) {
        let mut judged: serde_json::Value = serde_json::from_str(judged).unwrap();
        let quality = judged
            .as_object_mut()
            .unwrap()
            .remove("quality")
            .expect("every record has quality");
        assert_eq!(
            judged,
            serde_json::from_str::<serde_json::Value>(plain).unwrap()
        );
        assert!(quality["signals"]["words"].is_u64());
        assert!(quality["signals"]["dup_line_fraction"].is_f64());
        let verdict = quality["verdict"].as_str().unwrap();
        let reasons = quality["reasons"].as_array().unwrap();
        assert_eq!(verdict == "keep", reasons.is_empty());
    }
    let link_list = judged
        .lines()
        .find(|l| l.contains("\"fineweb/link-list\""))
        .unwrap();
    let record: serde_json::Value = serde_json::from_str(link_list).unwrap();
    let first = &record["quality"]["reasons"][0];
    assert_eq!(first["rule"], "quality/gopher-min-words");
    assert_eq!(first["signal"], "words");
    assert_eq!(first["min"], 50.0);
}

// See: issue 5.
#[test]
fn drop_writes_failing_documents_to_rejects_and_loses_none() {
    let dir = tempfile::tempdir().unwrap();
    let (input, count) = quality_corpus(dir.path());
    let kept_path = dir.path().join("kept.jsonl");
    let rejects_path = dir.path().join("rejects.jsonl");
    let assert = scrub()
        .args(["clean", "--drop", "--rejects"])
        .arg(&rejects_path)
        .arg("-o")
        .arg(&kept_path)
        .arg(&input)
        .assert()
        .success();
    let kept = fs::read_to_string(&kept_path).unwrap();
    let rejects = fs::read_to_string(&rejects_path).unwrap();
    let (kept, rejects): (Vec<&str>, Vec<&str>) =
        (kept.lines().collect(), rejects.lines().collect());
    assert_eq!(kept.len() + rejects.len(), count, "nothing is lost");
    assert!(!kept.is_empty() && !rejects.is_empty());
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains(&format!(
            "kept {} document(s), dropped {} to",
            kept.len(),
            rejects.len()
        )),
        "{stderr}"
    );
    let mut ids: Vec<String> = Vec::new();
    for line in &kept {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(
            record.get("quality").is_none(),
            "--drop alone adds no field"
        );
        ids.push(record["id"].as_str().unwrap().into());
    }
    for line in &rejects {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(record["quality"]["verdict"], "drop");
        assert!(!record["quality"]["reasons"].as_array().unwrap().is_empty());
        assert!(
            record["text"].is_string() && record["why"].is_string(),
            "fields pass through"
        );
        ids.push(record["id"].as_str().unwrap().into());
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "every document is in exactly one file");
    // The prose every family keeps is kept.
    assert!(kept.iter().any(|l| l.contains("\"gopher/article\"")));

    // --drop needs --rejects, and a text document goes to the rejects file as {id, text}.
    scrub()
        .args(["clean", "--drop"])
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--rejects"));
    let text_rejects = dir.path().join("text-rejects.jsonl");
    scrub()
        .args(["clean", "--drop", "--rejects"])
        .arg(&text_rejects)
        .write_stdin("Too short.")
        .assert()
        .success()
        .stdout("");
    let record: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&text_rejects).unwrap()).unwrap();
    assert_eq!(record["id"], "<stdin>");
    assert_eq!(record["text"], "Too short.");
}

// See: issue 5.
#[test]
fn stats_summarises_a_corpus_as_a_table_or_json() {
    let dir = tempfile::tempdir().unwrap();
    let (input, count) = quality_corpus(dir.path());
    let json = scrub()
        .args(["stats", "--format", "json"])
        .arg(&input)
        .assert()
        .success();
    let summary: serde_json::Value = serde_json::from_slice(&json.get_output().stdout).unwrap();
    assert_eq!(summary["documents"], count);
    let kept = summary["kept"].as_u64().unwrap();
    let dropped = summary["dropped"].as_u64().unwrap();
    assert_eq!(kept + dropped, count as u64);
    assert!(
        summary["drops_by_rule"]["quality/c4-lorem-ipsum"]
            .as_u64()
            .unwrap()
            >= 1
    );
    let words = &summary["signals"]["words"];
    assert!(words["min"].as_f64().unwrap() <= words["p50"].as_f64().unwrap());
    scrub()
        .arg("stats")
        .arg(&input)
        .assert()
        .success()
        .stdout(predicate::str::contains(format!("documents  {count:>9}")))
        .stdout(predicate::str::contains("quality/gopher-min-words"))
        .stdout(predicate::str::contains("dup_10gram_char_fraction"));
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

/// A single 50 MB document goes through (no quadratic step, no line-length limit).
/// See: issue 6
#[test]
fn a_50_mb_single_document_is_cleaned() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("big.txt");
    let paragraph = "Officials in Bishkek said the vote would be annulled. [ad_1]\nAdvertisement\n";
    let text = paragraph.repeat(50_000_000 / paragraph.len());
    fs::write(&input, &text).unwrap();
    let output = dir.path().join("big.clean.txt");
    scrub()
        .args(["clean", "-q", "--guard-share", "1", "-o"])
        .arg(&output)
        .arg(&input)
        .timeout(std::time::Duration::from_secs(300))
        .assert()
        .success();
    let cleaned = fs::read_to_string(&output).unwrap();
    assert!(cleaned.starts_with("Officials in Bishkek said the vote would be annulled.\nOfficials"));
    assert!(!cleaned.contains("[ad_1]") && !cleaned.contains("Advertisement"));
}

/// Outputs to a device are written in place, never renamed over it; a symbolic link is
/// followed, not replaced. See: issue 6 (an early build renamed a file over /dev/null).
#[test]
fn outputs_to_devices_and_links_are_written_through() {
    use std::os::unix::fs::FileTypeExt;
    scrub()
        .args([
            "clean",
            "-q",
            "--changes",
            "/dev/null",
            "--diff=/dev/null",
            "-o",
            "/dev/null",
        ])
        .write_stdin("[ad_1] text")
        .assert()
        .success();
    assert!(
        fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device(),
        "/dev/null is still a device"
    );
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("real.txt"), "old").unwrap();
    std::os::unix::fs::symlink("real.txt", dir.path().join("link.txt")).unwrap();
    scrub()
        .current_dir(dir.path())
        .args(["clean", "-q", "-o", "link.txt"])
        .write_stdin("[ad_1] new")
        .assert()
        .success();
    assert!(fs::symlink_metadata(dir.path().join("link.txt"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        fs::read_to_string(dir.path().join("real.txt")).unwrap(),
        "new"
    );
}

#[test]
fn the_config_overrides_quality_thresholds() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("textscrub.toml");
    let check = |dir: &Path| {
        scrub()
            .current_dir(dir)
            .args(["check", "--drop", "--select", "quality/gopher-min-words"])
            .write_stdin("Too short to keep.\n")
            .assert()
    };
    fs::write(&config, "[quality]\n\"quality/gopher-min-words\" = 3\n").unwrap();
    check(dir.path()).code(0);
    fs::write(&config, "[quality]\n\"quality/gopher-min-words\" = 5\n").unwrap();
    check(dir.path()).code(1);
    fs::write(&config, "[quality]\n\"scraper/ad-label\" = 5\n").unwrap();
    check(dir.path()).code(2).stderr(predicate::str::contains(
        "textscrub.toml:2:1: `scraper/ad-label` is not a quality rule",
    ));
}

#[test]
fn a_mirrored_folder_writes_only_the_files_read_without_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("in")).unwrap();
    fs::write(
        dir.path().join("in/good.jsonl"),
        "{\"id\":\"a\",\"text\":\"[ad_1] ok\"}\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("in/bad.jsonl"),
        "{\"id\":\"b\",\"text\":\"ok\"}\nnot json\n",
    )
    .unwrap();
    scrub()
        .current_dir(dir.path())
        .args(["clean", "-q", "--guard-share", "1", "-o", "out", "in"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("in/bad.jsonl:2: invalid JSON"));
    assert_eq!(
        fs::read_to_string(dir.path().join("out/good.jsonl")).unwrap(),
        "{\"id\":\"a\",\"text\":\"ok\"}\n"
    );
    let written: Vec<_> = fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        written,
        vec![std::ffi::OsString::from("good.jsonl")],
        "no file for the bad input, no temporary file"
    );
}

#[test]
fn extend_select_switches_on_rules_shipped_off_next_to_the_defaults() {
    let input = "Text of the article.\n3 likes\n[ad_1] More text here for you.\n";
    scrub()
        .args(["clean", "-q", "--guard-share", "1"])
        .write_stdin(input)
        .assert()
        .success()
        .stdout("Text of the article.\n3 likes\nMore text here for you.\n");
    scrub()
        .args([
            "clean",
            "-q",
            "--guard-share",
            "1",
            "--extend-select",
            "refinedweb/engagement-counter",
        ])
        .write_stdin(input)
        .assert()
        .success()
        .stdout("Text of the article.\nMore text here for you.\n");
}
