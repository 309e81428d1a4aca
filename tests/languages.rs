//! Language identification end to end: `clean --detect-lang` labels records, and `split`
//! picks a document's sentence rules from its language when none is given.
//! See: issue 14.

use assert_cmd::Command;
use serde_json::Value;

fn textscrub() -> Command {
    Command::new(env!("CARGO_BIN_EXE_textscrub"))
}

fn records(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

#[test]
fn clean_detect_lang_adds_language_and_score() {
    let input = concat!(
        r#"{"id":"en","text":"The committee will meet again next week to discuss the budget and the new school."}"#,
        "\n",
        r#"{"id":"ru","text":"Правительство приняло новый закон во вторник вечером после долгих споров."}"#,
        "\n",
        r#"{"id":"none","text":"1234 5678"}"#,
        "\n"
    );
    let output = textscrub()
        .args(["clean", "--detect-lang", "-q", "--format", "jsonl", "-"])
        .write_stdin(input)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(output.status.success());
    let records = records(&output.stdout);
    let languages: Vec<&Value> = records.iter().map(|r| &r["language"]).collect();
    assert_eq!(
        languages,
        [&Value::from("en"), &Value::from("ru"), &Value::Null]
    );
    for record in &records[..2] {
        let score = record["language_score"].as_f64().unwrap_or(-1.0);
        assert!((0.0..=1.0).contains(&score), "{record}");
    }
    assert_eq!(records[2]["language_score"], Value::Null);
}

#[test]
fn clean_without_detect_lang_adds_nothing() {
    let output = textscrub()
        .args(["clean", "-q", "--format", "jsonl", "-"])
        .write_stdin("{\"id\":\"a\",\"text\":\"Hello there, this is English.\"}\n")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let records = records(&output.stdout);
    assert!(records[0].get("language").is_none());
}

#[test]
fn split_uses_the_detected_language_unless_told() {
    // German rules read `3. Oktober` as an ordinal; English rules end the sentence there.
    let text = "Die Feier findet am 3. Oktober statt, wie jedes Jahr in der ganzen Stadt. Alle sind eingeladen.";
    let line = serde_json::json!({"id": "de", "text": text}).to_string();
    let split = |args: &[&str]| {
        let output = textscrub()
            .args(["split", "-q", "--format", "jsonl"])
            .args(args)
            .arg("-")
            .write_stdin(format!("{line}\n"))
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        records(&output.stdout)[0]["sentences"]
            .as_array()
            .map_or(0, Vec::len)
    };
    assert_eq!(split(&[]), 2, "detected German");
    assert_eq!(split(&["--lang", "en"]), 3, "told English");
}
