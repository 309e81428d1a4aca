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
