//! `clean`: diffs, guard, rule selection, determinism, colour, sentences.

use super::*;

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
fn the_guard_marks_heavily_cleaned_records() {
    let assert = scrub()
        .args(["clean", "--guard-warnings", "--format", "jsonl"])
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
        .write_stdin("[ad_1] Sadır Caparov")
        .assert()
        .success()
        .stdout("[ad_1] Sadyr Japarov");
    scrub()
        .args(["clean", "--ignore", "scraper/ad-placeholder"])
        .write_stdin("[ad_1] Sadır Caparov")
        .assert()
        .success()
        .stdout("[ad_1] Sadyr Japarov");
    scrub()
        .args(["clean", "--select", "scraper/ad-placeholders"])
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "help: did you mean `scraper/ad-placeholder`?",
        ));
    // A misspelt family is offered the family's glob, not one rule.
    scrub()
        .args(["clean", "--select", "scrapr/*"])
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("help: did you mean `scraper/*`?"));
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
fn clean_adds_the_sentences_of_the_cleaned_text() {
    scrub()
        .args(["clean", "-q", "--sentences", "--guard-share", "1", "--format", "jsonl"])
        .write_stdin("{\"id\":\"a\",\"text\":\"[ad_1] Mr. Sadır Caparov spoke. He left.\"}\n")
        .assert()
        .success()
        .stdout("{\"id\":\"a\",\"text\":\"Mr. Sadyr Japarov spoke. He left.\",\"sentences\":[\"Mr. Sadyr Japarov spoke.\",\"He left.\"]}\n");
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

/// `--timings` names every rule that ran, and the later stages asked for, with the time
/// each took, in the printed summary and in `--summary`'s JSON; the output is unchanged.
#[test]
fn timings_name_every_rule_and_stage_and_change_no_output() {
    let dir = tempfile::tempdir().unwrap();
    seeds_into(dir.path());
    let run = |extra: &[&str]| {
        scrub()
            .current_dir(dir.path())
            .args(["clean", "--quality", "--sentences", "-o", "-"])
            .args(extra)
            .arg("input")
            .assert()
            .success()
            .get_output()
            .clone()
    };
    let plain = run(&["-q"]);
    let timed = run(&["--timings", "--summary", "summary.json"]);
    assert_eq!(plain.stdout, timed.stdout);
    let printed = String::from_utf8(timed.stderr).unwrap();
    assert!(
        printed.contains("seconds per rule and stage on the worker threads, the 12 costliest of"),
        "{printed}"
    );
    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("summary.json")).unwrap())
            .unwrap();
    let seconds = summary["seconds_per_stage"].as_object().unwrap();
    for stage in [
        "(quality signals)",
        "(sentence split)",
        "scraper/ad-label",
        "unicode/mojibake",
    ] {
        assert!(seconds[stage].as_f64().unwrap() >= 0.0, "{stage}");
    }
    // Every rule that changed something ran, and was timed.
    let changed = summary["changes_per_rule"].as_object().unwrap();
    assert!(!changed.is_empty());
    for rule in changed.keys() {
        assert!(
            seconds.contains_key(rule),
            "{rule} made changes but has no time"
        );
    }
    // Without `--timings`, the JSON has no times.
    run(&["-q", "--summary", "untimed.json"]);
    let untimed = fs::read_to_string(dir.path().join("untimed.json")).unwrap();
    assert!(!untimed.contains("seconds_per_stage"));
    // `check` and `split` time what they run.
    for (command, stage) in [("check", "scraper/ad-label"), ("split", "(sentence split)")] {
        scrub()
            .current_dir(dir.path())
            .args([
                command,
                "-q",
                "--timings",
                "--summary",
                "timed.json",
                "input",
            ])
            .assert()
            .code(predicate::in_iter([0, 1]));
        let summary: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(dir.path().join("timed.json")).unwrap())
                .unwrap();
        assert!(
            summary["seconds_per_stage"][stage].is_f64(),
            "{command}: {summary}"
        );
    }
}
