//! The normalize stage of the default rules on `fixtures/normalize/cases.toml`: real-looking
//! broken strings must come out fixed, and correct text in many languages must come through
//! untouched. Also the findings of check-only rules, in original coordinates.
// See: issue 4

use std::fs;

use serde::Deserialize;
use textscrub::{Options, Pipeline, RuleSet};

#[derive(Deserialize)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    note: String,
    input: String,
    output: Option<String>,
}

/// The default rules that repair glitches, without the scraper's line rules.
fn normalize_stage() -> Pipeline {
    let mut rules = RuleSet::defaults().unwrap();
    rules
        .select(
            &[
                "unicode/*".to_string(),
                "scraper/html-*".to_string(),
                "space/*".to_string(),
            ],
            &[],
        )
        .unwrap();
    assert_eq!(rules.rules().len(), 7, "the seven default normalize rules");
    Pipeline::new(rules, Options::default())
}

#[test]
fn broken_strings_are_fixed_and_correct_text_is_left_alone() {
    let cases: Cases =
        toml::from_str(&fs::read_to_string("fixtures/normalize/cases.toml").unwrap()).unwrap();
    let broken = cases.case.iter().filter(|c| c.output.is_some()).count();
    assert!(broken >= 100, "only {broken} broken strings");
    assert!(
        cases.case.len() - broken >= 100,
        "fewer than 100 correct strings"
    );
    let pipeline = normalize_stage();
    let mut failures = Vec::new();
    for case in &cases.case {
        let outcome = pipeline.run(&case.input);
        let expected = case.output.as_deref().unwrap_or(&case.input);
        if outcome.text != expected {
            failures.push(format!(
                "{}\n  input:    {:?}\n  expected: {expected:?}\n  actual:   {:?}\n  changes:  {:?}",
                case.note,
                case.input,
                outcome.text,
                outcome
                    .changes
                    .iter()
                    .map(|c| format!("{} {:?}→{:?}", c.rule, c.before, c.after))
                    .collect::<Vec<_>>()
            ));
            continue;
        }
        let again = pipeline.run(&outcome.text);
        if again.is_changed() {
            failures.push(format!(
                "{}: not idempotent on {:?}",
                case.note, outcome.text
            ));
        }
        // Changes are minimal spans of the original: the first rule's quote it exactly.
        if let Some(first) = outcome.changes.first() {
            assert_eq!(&case.input[first.span.range()], first.before);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.case.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_fix_is_a_change_record_in_original_coordinates() {
    let original = "A cafÃ©  with &amp; <b>bold</b> Кyrgyzstan\u{200b} text. \n";
    let outcome = normalize_stage().run(original);
    assert_eq!(outcome.text, "A café with & bold Kyrgyzstan text.\n");
    let rules: Vec<(&str, &str, &str)> = outcome
        .changes
        .iter()
        .map(|c| (c.rule.as_str(), &original[c.span.range()], c.after.as_str()))
        .collect();
    assert_eq!(
        rules,
        vec![
            ("unicode/mojibake", "Ã©", "é"),
            // Entities before tags, so escaped markup goes in one run (issue 11).
            ("scraper/html-entity", "&amp;", "&"),
            ("scraper/html-tag", "<b>", ""),
            ("scraper/html-tag", "</b>", ""),
            ("unicode/invisible-char", "\u{200b}", ""),
            ("unicode/homoglyph", "К", "K"),
            ("space/irregular-whitespace", " ", ""),
            ("space/irregular-whitespace", " ", ""),
        ]
    );
}

#[test]
fn findings_name_unknown_turkish_spellings_in_original_coordinates() {
    let pipeline = Pipeline::new(RuleSet::defaults().unwrap(), Options::default());
    // The mojibake before the name moves it; the known name is fixed, not reported.
    let original = "[ad_1]\nCafÃ© owner Sadır Caparov met Talant Mamıtov and Kanıbek Şakirov.\n";
    let outcome = pipeline.run(original);
    assert_eq!(
        outcome.text, "Café owner Sadyr Japarov met Talant Mamıtov and Kanıbek Şakirov.\n",
        "findings never edit"
    );
    let found: Vec<(&str, usize, usize, &str, Option<&str>)> = outcome
        .findings
        .iter()
        .map(|f| {
            assert_eq!(&original[f.span.range()], f.text);
            (
                f.rule.as_str(),
                f.span.line,
                f.span.column,
                f.text.as_str(),
                f.suggestion.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            ("names/turkish-spelling", 2, 38, "Mamıtov", Some("Mamytov")),
            ("names/turkish-spelling", 2, 50, "Kanıbek", Some("Kanybek")),
            ("names/turkish-spelling", 2, 58, "Şakirov", Some("Shakirov")),
        ]
    );
    assert!(outcome.findings[0].message.contains('ı'));
    assert!(pipeline
        .run("Kırgızistan’da seçim sonuçları protesto edildi.")
        .findings
        .is_empty());
}
