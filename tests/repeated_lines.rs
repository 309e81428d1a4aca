//! `discover lines` and `clean --drop-repeated-lines` on a corpus built from the scraped
//! pages, with template lines injected into one site's documents.

use std::fs;
use std::path::Path;

use serde_json::{json, Value};

fn scrub() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("textscrub").unwrap()
}

const HEADER: &str = "Home | World | Business | Sport";
const FOOTER: &str = "© 2024 Example News. All rights reserved.";
const RARE: &str = "Rare promotional banner for the spring sale";

/// 60 documents of site A with the template lines (a dated byline whose digits vary),
/// 2 of them with a rare line; 60 of site B, 4 of them (too few to be a template there)
/// opening with A's header; all in one file with a `url`.
fn corpus(dir: &Path) {
    let docs = fs::read_to_string("fixtures/scraped-dev/docs.jsonl").unwrap();
    let mut out = String::new();
    for (i, line) in docs.lines().take(120).enumerate() {
        let doc: Value = serde_json::from_str(line).unwrap();
        let text = doc["text"].as_str().unwrap();
        let (url, text) = if i % 2 == 0 {
            let rare = if i < 4 {
                format!("{RARE}\n\n")
            } else {
                String::new()
            };
            (
                format!("https://a.example.com/story/{i}"),
                format!(
                    "{HEADER}\n\nPosted {:02} May 20{:02}\n\n{rare}{text}\n\n{FOOTER}\n",
                    1 + i % 28,
                    i % 30
                ),
            )
        } else {
            let text = if i < 8 {
                format!("{HEADER}\n\n{text}")
            } else {
                text.to_string()
            };
            (format!("https://b.example.org/{i}"), text)
        };
        out.push_str(&json!({"id": format!("d{i}"), "url": url, "text": text}).to_string());
        out.push('\n');
    }
    fs::write(dir.join("corpus.jsonl"), out).unwrap();
}

#[test]
fn discover_lines_finds_the_template_lines_and_its_rules_pass_their_tests() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let output = scrub()
        .current_dir(dir.path())
        .args([
            "discover",
            "lines",
            "--group-by",
            "url:host",
            "--json",
            "--write-rules",
            "repeated.toml",
            "corpus.jsonl",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let found: Vec<Value> = String::from_utf8(output)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let on_a = |text: &str| {
        found
            .iter()
            .find(|f| f["group"] == "a.example.com" && f["text"] == text)
            .cloned()
    };
    for template in [HEADER, FOOTER] {
        let f = on_a(template).unwrap_or_else(|| panic!("{template} not found in {found:?}"));
        assert_eq!(f["count"], 60);
        assert_eq!(f["docs"], 60);
        assert_eq!(f["examples"].as_array().unwrap().len(), 3);
    }
    // Digits fold: the bylines of different dates are one line.
    let byline = found
        .iter()
        .find(|f| {
            f["group"] == "a.example.com" && f["text"].as_str().unwrap().starts_with("Posted ")
        })
        .expect("the dated byline");
    assert_eq!(byline["count"], 60);
    assert!(
        on_a(RARE).is_none(),
        "a line in 2 of 60 documents is not a template"
    );
    assert!(!found
        .iter()
        .any(|f| f["group"] == "b.example.org" && f["text"] == HEADER));

    let rules = fs::read_to_string(dir.path().join("repeated.toml")).unwrap();
    assert!(rules.contains("repeated/a-example-com-"), "{rules}");
    scrub()
        .current_dir(dir.path())
        .args(["rules", "test", "repeated.toml"])
        .assert()
        .success();

    // The written rules are scoped: A's header goes from A's documents only.
    let cleaned = scrub()
        .current_dir(dir.path())
        .args([
            "clean",
            "-q",
            "--no-default-rules",
            "--rules",
            "repeated.toml",
        ])
        .arg("corpus.jsonl")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let cleaned = String::from_utf8(cleaned).unwrap();
    assert_eq!(ids_with(&cleaned, HEADER), ["d1", "d3", "d5", "d7"]);
}

/// The ids of the JSONL records whose text holds `line`.
fn ids_with(jsonl: &str, line: &str) -> Vec<String> {
    jsonl
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|doc| doc["text"].as_str().unwrap().contains(line))
        .map(|doc| doc["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn clean_drops_repeated_lines_with_their_counts() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    scrub()
        .current_dir(dir.path())
        .args([
            "clean",
            "-q",
            "--drop-repeated-lines",
            "--group-by",
            "url:host",
            "--changes",
            "changes.jsonl",
            "-o",
            "out.jsonl",
            "corpus.jsonl",
        ])
        .assert()
        .success();
    let changes = fs::read_to_string(dir.path().join("changes.jsonl")).unwrap();
    let repeated: Vec<Value> = changes
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|c| c["rule"] == "discover/repeated-line")
        .collect();
    let header: Vec<&Value> = repeated
        .iter()
        .filter(|c| c["before"].as_str().unwrap().contains(HEADER))
        .collect();
    assert_eq!(header.len(), 60);
    assert!(header.iter().all(|c| c["count"] == 60));
    let out = fs::read_to_string(dir.path().join("out.jsonl")).unwrap();
    assert_eq!(out.lines().count(), 120);
    assert!(!out.contains(FOOTER));
    // B's few headers are not B's template: they stay.
    assert_eq!(ids_with(&out, HEADER), ["d1", "d3", "d5", "d7"]);
    assert!(out.contains(RARE));
    // Without the flag nothing of the kind happens.
    scrub()
        .current_dir(dir.path())
        .args([
            "clean",
            "-q",
            "--changes",
            "plain.jsonl",
            "-o",
            "plain.out",
            "corpus.jsonl",
        ])
        .assert()
        .success();
    let plain = fs::read_to_string(dir.path().join("plain.jsonl")).unwrap();
    assert!(!plain.contains("discover/repeated-line"));
}

/// Rules scoped to a file match it however it is named (they once held the path as typed,
/// and the same file named another way matched none of them, without a word); a rule
/// whose source no document comes from is named in a warning.
#[test]
fn rules_scoped_to_a_file_match_any_spelling_of_it_and_unseen_sources_are_named() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    scrub()
        .current_dir(dir.path())
        .args(["discover", "lines", "-q", "--write-rules", "repeated.toml"])
        .arg("corpus.jsonl")
        .assert()
        .success();
    let rules = fs::read_to_string(dir.path().join("repeated.toml")).unwrap();
    assert!(rules.contains("repeated/corpus-jsonl-"), "{rules}");
    let clean = |path: &Path| {
        let output = scrub()
            .current_dir(dir.path())
            .args([
                "clean",
                "-q",
                "--no-default-rules",
                "--rules",
                "repeated.toml",
            ])
            .arg(path)
            .assert()
            .success()
            .get_output()
            .clone();
        (
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    let absolute = dir.path().canonicalize().unwrap().join("corpus.jsonl");
    for path in [absolute.as_path(), Path::new("./corpus.jsonl")] {
        let (cleaned, warnings) = clean(path);
        assert!(ids_with(&cleaned, FOOTER).is_empty(), "{}", path.display());
        assert!(warnings.is_empty(), "{warnings}");
    }
    fs::copy(
        dir.path().join("corpus.jsonl"),
        dir.path().join("other.jsonl"),
    )
    .unwrap();
    let (cleaned, warnings) = clean(Path::new("other.jsonl"));
    assert_eq!(ids_with(&cleaned, FOOTER).len(), 60);
    assert!(
        warnings.contains("matched nothing") && warnings.contains("corpus.jsonl"),
        "{warnings}"
    );
}
