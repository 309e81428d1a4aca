//! JSONL input: fields pass through, nested fields, malformed records, large documents.

use super::*;

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
