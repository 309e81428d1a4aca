//! Speed properties that can fail: cleaning stays linear however many edits sit on one
//! line, and JSONL fields other than the text pass through byte for byte.

use std::process::Command;
use std::time::{Duration, Instant};

use textscrub::{Options, Pipeline, RuleSet};

/// About 200 bytes with a glitch for most default rules: mojibake, entities, tags,
/// invisible characters, decomposed accents, homoglyphs, space runs, an ad placeholder.
const CHUNK: &str = "Officials said the caf\u{c3}\u{a9} &amp; the \u{c3}\u{a2}\u{e2}\u{82}\u{ac}\u{e2}\u{84}\u{a2}market\u{c3}\u{a2}\u{e2}\u{82}\u{ac}\u{e2}\u{80}\u{9c} <b>reopened</b>\u{200b} in Bishke\u{301}k  [ad_1] near \u{41a}yrgyz &#8217;square&#8217;, <br> reports said";

/// `size` bytes of glitch-dense text: chunks joined by `separator` (one byte).
fn glitchy(size: usize, separator: char) -> String {
    let mut text = String::with_capacity(size + CHUNK.len());
    while text.len() < size {
        text.push_str(CHUNK);
        text.push(separator);
    }
    text
}

/// The fastest of a few runs, to stand up to a busy machine.
fn fastest(pipeline: &Pipeline, text: &str) -> (Duration, usize) {
    let mut best = Duration::MAX;
    let mut changes = 0;
    for _ in 0..2 {
        let start = Instant::now();
        let outcome = pipeline.run(text);
        best = best.min(start.elapsed());
        changes = outcome.changes.len();
    }
    (best, changes)
}

#[test]
fn a_glitch_dense_line_costs_what_the_same_bytes_in_lines_cost() {
    let pipeline = Pipeline::new(RuleSet::defaults().unwrap(), Options::default());
    let size = 4 << 20;
    let one_line = glitchy(size, ' ');
    let many_lines = glitchy(size, '\n');
    assert_eq!(one_line.len(), many_lines.len());
    let (lines_time, lines_changes) = fastest(&pipeline, &many_lines);
    let (line_time, line_changes) = fastest(&pipeline, &one_line);
    // Tens of thousands of edits on the one line, so a quadratic step would show many
    // times over (before this test, 4 MB took 40 times as long on one line).
    assert!(line_changes > 100_000, "{line_changes} changes");
    assert!(lines_changes > 100_000, "{lines_changes} changes");
    assert!(
        line_time < lines_time * 3 + Duration::from_millis(200),
        "one line: {line_time:?}, many lines: {lines_time:?}"
    );
}

/// Inputs that once took time in the square of their length: a run of joiners (each looked
/// along the whole run for its neighbours), lone `\r`s before joiners (each asked about the
/// next), and a reference start before each joiner on one line (the repeated pass searched
/// the whole line around every write), and a name in Turkish letters written over and over
/// (each looked for its suggested spelling in the whole text), and ad placeholders on one
/// line (each looked up its line). Four times the bytes must take about four times as
/// long, not sixteen.
#[test]
fn long_lines_of_one_repeated_glitch_cost_time_in_proportion() {
    let pipeline = Pipeline::new(RuleSet::defaults().unwrap(), Options::default());
    let inputs: [fn(usize) -> String; 5] = [
        |n| format!("a{}b", "\u{200d}".repeat(n)),
        |n| format!("\r{}", "\u{200d}".repeat(50)).repeat(n / 50),
        |n| "&\u{200d}".repeat(n),
        |n| "Mamıtov ".repeat(n / 8),
        |n| "[ad_1]".repeat(n / 6),
    ];
    for make in inputs {
        let (small, large) = (make(40_000), make(160_000));
        let (small_time, _) = fastest(&pipeline, &small);
        let (large_time, _) = fastest(&pipeline, &large);
        assert!(
            large_time < small_time * 8 + Duration::from_millis(300),
            "{} bytes: {small_time:?}, {} bytes: {large_time:?}",
            small.len(),
            large.len()
        );
    }
}

#[test]
fn jsonl_fields_other_than_the_text_pass_through_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let lines = [
        r#"{"id":"a","n":12345678901234567890.123456789012345678901e-7,"text":"Ad here [ad_1] x","meta":{"z":1,"a":[1, 2 ,{"k":"\u00e9\ud83d\ude00"}]},"s":"\u0041\/b"}"#,
        r#"{"zeta":null,"text":"plain text","alpha":-0.0,"id":9007199254740993}"#,
        r#"{ "text" : "caf\u00c3\u00a9" , "\u00e9" : true }"#,
    ];
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_textscrub"))
        // The guard would add its own field to the first record: not what this tests.
        .args(["clean", "-q", "--format", "jsonl", "--guard-share", "1"])
        .arg(&input)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let out = String::from_utf8(output.stdout).unwrap();
    let out: Vec<&str> = out.lines().collect();
    assert_eq!(
        out,
        [
            r#"{"id":"a","n":12345678901234567890.123456789012345678901e-7,"text":"Ad here x","meta":{"z":1,"a":[1, 2 ,{"k":"\u00e9\ud83d\ude00"}]},"s":"\u0041\/b"}"#,
            r#"{"zeta":null,"text":"plain text","alpha":-0.0,"id":9007199254740993}"#,
            r#"{"text":"café","\u00e9":true}"#,
        ]
    );
}

/// The pipeline (linear composition, offset map, column cursor) gives what running every
/// rule on its own, in order, gives: same text, same changes per rule, with the line
/// filters shipped off switched on too.
#[test]
fn the_pipeline_agrees_with_running_rules_one_by_one() {
    let mut rules = RuleSet::defaults().unwrap();
    let extend = ["c4/*".to_string(), "refinedweb/*".to_string()];
    rules.select_extended(&[], &extend, &[]).unwrap();
    let pipeline = Pipeline::new(rules, Options::default());
    let pages = std::fs::read_to_string("fixtures/scraped-dev/docs.jsonl").unwrap();
    let mut texts: Vec<String> = pages
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["text"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    // Edge cases: lines that go at the very end, with and without a final line break, CRLF.
    texts.extend(
        [
            "Text\n\nAdvertisement",
            "Text\r\nAdvertisement\r\nShare this story",
            "Advertisement\nRELATED Talks resume\n\nShare this story\n",
            "one\n\nAdvertisement\n\nShare this\n\ntwo",
        ]
        .map(String::from),
    );
    let mut compared = 0;
    for text in &texts {
        let outcome = pipeline.run(text);
        let mut expected = text.clone();
        for rule in pipeline.rules() {
            let edits = rule.edits(&expected);
            let made = outcome.changes.iter().filter(|c| c.rule == rule.id).count();
            assert_eq!(made, edits.len(), "{}", rule.id);
            expected = textscrub::edit::apply(&expected, &edits);
        }
        assert_eq!(outcome.text, expected);
        compared += usize::from(outcome.is_changed());
    }
    assert!(compared > 100, "only {compared} documents changed");
}
