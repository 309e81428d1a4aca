//! The `boilerplate/*` line model on labelled real pages (the held-out pages the weights
//! never saw, and the development pages at each strictness), and corpus-level repeated
//! lines on a corpus built from the fixtures with known template lines.

use std::fs;

use serde::Deserialize;
use textscrub::{Options, Pipeline, RuleSet};

#[derive(Deserialize)]
struct Doc {
    id: String,
    text: String,
}

#[derive(Deserialize)]
struct Labels {
    id: String,
    line_labels: Option<Vec<Option<u8>>>,
}

fn pages(dir: &str) -> Vec<(Doc, Vec<Option<u8>>)> {
    let docs = fs::read_to_string(format!("{dir}/docs.jsonl")).unwrap();
    let labels = fs::read_to_string(format!("{dir}/labels.jsonl")).unwrap();
    docs.lines()
        .zip(labels.lines())
        .filter_map(|(d, l)| {
            let doc: Doc = serde_json::from_str(d).unwrap();
            let labels: Labels = serde_json::from_str(l).unwrap();
            assert_eq!(doc.id, labels.id);
            let labels = labels.line_labels?;
            labels.iter().any(Option::is_some).then_some((doc, labels))
        })
        .collect()
}

fn pipeline(extend: &str) -> Pipeline {
    let mut rules = RuleSet::defaults().unwrap();
    rules
        .select_extended(&[], &[extend.to_string()], &[])
        .unwrap();
    Pipeline::new(rules, Options::default())
}

/// Share of boilerplate lines removed and of content lines lost by `pipeline`, counting a
/// line removed when deletions cover all of it.
fn measure(pipeline: &Pipeline, pages: &[(Doc, Vec<Option<u8>>)]) -> (f64, f64) {
    let (mut boiler, mut removed, mut content, mut lost) = (0, 0, 0, 0);
    for (doc, labels) in pages {
        let outcome = pipeline.run(&doc.text);
        let mut deleted = vec![false; doc.text.len()];
        for change in outcome.changes.iter().filter(|c| c.after.is_empty()) {
            deleted[change.span.range()].fill(true);
        }
        let mut at = 0;
        for (line, label) in doc.text.split('\n').zip(labels) {
            let span = at..at + line.len();
            at += line.len() + 1;
            let gone = !line.trim().is_empty() && deleted[span].iter().all(|d| *d);
            match label {
                Some(0) => {
                    boiler += 1;
                    removed += usize::from(gone);
                }
                Some(1) => {
                    content += 1;
                    lost += usize::from(gone);
                }
                _ => {}
            }
        }
    }
    (removed as f64 / boiler as f64, lost as f64 / content as f64)
}

/// The bar: on real pages the project never fitted on, the default strictness removes at
/// least 60% of the boilerplate lines and loses at most 1% of the content lines.
#[test]
fn held_out_pages_meet_the_bar_at_default_strictness() {
    let pages = pages("fixtures/boilerplate-heldout");
    assert_eq!(pages.len(), 22);
    let (recall, lost) = measure(&pipeline("boilerplate/*"), &pages);
    let (plain_recall, plain_lost) = measure(&pipeline("names/*"), &pages);
    eprintln!(
        "held out: boilerplate/* removes {:.1}% of boilerplate, loses {:.2}% of content \
         (defaults alone: {:.1}%, {:.2}%)",
        recall * 100.0,
        lost * 100.0,
        plain_recall * 100.0,
        plain_lost * 100.0
    );
    assert!(recall >= 0.60, "recall {recall}");
    assert!(lost <= 0.01, "content lost {lost}");
    assert!(recall > plain_recall + 0.3);
}

/// Cleaning the output again changes nothing, at every strictness: deleting lines changes
/// the neighbourhood of the lines left, and the model once deleted more on each run (365
/// lines of the development pages on the second, 124 on the third).
#[test]
fn the_line_model_is_idempotent() {
    let levels = [
        "boilerplate-conservative/*",
        "boilerplate/*",
        "boilerplate-aggressive/*",
    ];
    for level in levels {
        let pipeline = pipeline(level);
        for dir in ["fixtures/scraped-dev", "fixtures/boilerplate-heldout"] {
            let docs = fs::read_to_string(format!("{dir}/docs.jsonl")).unwrap();
            let mut changed = Vec::new();
            for line in docs.lines() {
                let doc: Doc = serde_json::from_str(line).unwrap();
                let once = pipeline.run(&doc.text).text;
                let twice = pipeline.run(&once);
                if twice.is_changed() {
                    changed.push((doc.id, twice.changes.len()));
                }
            }
            assert!(changed.is_empty(), "{level} on {dir}: {changed:?}");
        }
    }
}

/// Each strictness level on the development pages: more strict, more removed and more
/// lost, and within the budgets the levels were fitted to (with slack for the default
/// rules running first and the fit being cross-validated).
#[test]
fn development_pages_at_each_strictness() {
    let pages = pages("fixtures/scraped-dev");
    let levels = [
        "boilerplate-conservative/*",
        "boilerplate/*",
        "boilerplate-aggressive/*",
    ];
    let measured: Vec<(f64, f64)> = levels
        .iter()
        .map(|l| measure(&pipeline(l), &pages))
        .collect();
    for (level, (recall, lost)) in levels.iter().zip(&measured) {
        eprintln!(
            "dev {level}: {:.1}% removed, {:.2}% content lost",
            recall * 100.0,
            lost * 100.0
        );
    }
    assert!(measured[0].0 < measured[1].0 && measured[1].0 < measured[2].0);
    assert!(measured[0].1 <= measured[1].1 && measured[1].1 <= measured[2].1);
    assert!(measured[1].0 >= 0.5, "{measured:?}");
    assert!(measured[1].1 <= 0.015, "{measured:?}");
    assert!(measured[2].1 <= 0.04, "{measured:?}");
}

#[test]
fn the_family_is_off_by_default_and_records_scores() {
    let defaults = Pipeline::new(RuleSet::defaults().unwrap(), Options::default());
    assert!(defaults
        .rules()
        .iter()
        .all(|r| !r.id.as_str().starts_with("boilerplate")));
    let text = "Home\nNews\nSport\nWeather\n\nThe council approved the budget on Tuesday after a long debate, officials said.\n\nShare this article\n\nFollow us on Facebook\n";
    let outcome = pipeline("boilerplate/*").run(text);
    let scored: Vec<_> = outcome
        .changes
        .iter()
        .filter(|c| c.rule.as_str() == "boilerplate/line")
        .collect();
    assert!(!scored.is_empty(), "{:?}", outcome.changes);
    for change in &scored {
        let score = change.score.expect("a line-score change has a score").get();
        assert!((0.0..=1.0).contains(&score));
    }
    assert!(outcome.text.contains("The council approved the budget"));
    let json = textscrub::diff::change_records("d", &outcome.changes);
    assert!(json.contains("\"score\":"), "{json}");
}
