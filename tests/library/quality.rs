//! Quality families on documents that must pass and documents that must fail for a stated
//! reason (`fixtures/quality/*.jsonl`), and how quality fits into the pipeline.
//! See: issue 5.

use std::path::PathBuf;

use textscrub::quality::{Recipe, Signal, Summary};
use textscrub::rule::Role;
use textscrub::{Options, Pipeline, Quality, RuleSet, Verdict};

/// Quality by the rule files' rules for every document, whatever its language: the
/// families' fixtures test those rules, on English and other text alike.
fn with_quality() -> Options {
    Options {
        quality: true,
        recipe: Recipe::FineWeb,
        ..Options::default()
    }
}

fn family(name: &str) -> Pipeline {
    let mut rules = RuleSet::defaults().unwrap();
    rules.select(&[format!("quality/{name}-*")], &[]).unwrap();
    assert!(rules.rules().iter().all(|r| r.kind.role() == Role::Judges));
    Pipeline::new(rules, with_quality())
}

fn check_family(name: &str) {
    let pipeline = family(name);
    let fixture = std::fs::read_to_string(format!("fixtures/quality/{name}.jsonl")).unwrap();
    let (mut kept, mut dropped) = (0, 0);
    for line in fixture.lines() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        let text = record["text"].as_str().unwrap();
        let expected: Vec<&str> = record["fails"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let outcome = pipeline.run(text);
        assert_eq!(outcome.text, text, "quality rules never edit");
        let quality = outcome.quality.expect("quality was asked for");
        let failed: Vec<&str> = quality.reasons.iter().map(|r| r.rule.as_str()).collect();
        assert_eq!(
            failed, expected,
            "{name}/{}: {}",
            record["id"], record["why"]
        );
        assert_eq!(quality.is_kept(), expected.is_empty());
        for reason in &quality.reasons {
            assert_eq!(
                reason.value,
                quality
                    .signals
                    .as_ref()
                    .unwrap()
                    .get(reason.threshold.signal)
            );
            assert!(!reason.threshold.bound.allows(reason.value));
        }
        if quality.is_kept() {
            kept += 1;
        } else {
            dropped += 1;
        }
    }
    assert!(
        kept >= 1 && dropped >= 2,
        "{name}: {kept} kept, {dropped} dropped"
    );
}

#[test]
fn gopher_keeps_prose_and_drops_short_tagged_repeated_numeric_and_foreign_text() {
    check_family("gopher");
}

#[test]
fn c4_keeps_prose_and_drops_placeholders_code_and_pages_without_sentences() {
    check_family("c4");
}

#[test]
fn fineweb_keeps_prose_and_drops_link_lists_and_repeated_lines() {
    check_family("fineweb");
}

#[test]
fn the_word_ceiling_drops_a_document_of_over_100000_words() {
    let rules = RuleSet::defaults().unwrap();
    let rule = rules
        .rules()
        .iter()
        .find(|r| r.id.as_str() == "quality/gopher-max-words")
        .unwrap();
    let thresholds = [(rule.id.clone(), rule.threshold().unwrap())];
    let long = "word ".repeat(100_001);
    let quality = Quality::assess(&long, &thresholds);
    assert_eq!(quality.verdict, Verdict::Drop);
    assert_eq!(quality.reasons[0].value, 100_001.0);
    assert!(Quality::assess(&"word ".repeat(100_000), &thresholds).is_kept());
}

#[test]
fn quality_is_measured_only_when_asked_and_on_the_cleaned_text() {
    let rules = RuleSet::from_sources(&[(
        PathBuf::from("t.toml"),
        concat!(
            "[[rule]]\nid = \"t/junk\"\nkind = \"drop-line\"\ndescription = \"d\"\npattern = 'JUNK.*'\n",
            "[[rule]]\nid = \"t/min-words\"\nkind = \"quality\"\ndescription = \"d\"\nsignal = \"words\"\nmin = 3\n",
        )
        .to_string(),
    )])
    .unwrap();
    let text = "JUNK one two three\nOne two.\n";
    let plain = Pipeline::new(rules.clone(), Options::default()).run(text);
    assert_eq!(plain.quality, None);
    let judged = Pipeline::new(rules, with_quality()).run(text);
    assert_eq!(judged.text, plain.text);
    let quality = judged.quality.unwrap();
    // Two words survive the edit rule; the four on the junk line do not count.
    assert_eq!(quality.signals.as_ref().unwrap().get(Signal::Words), 2.0);
    assert_eq!(quality.reasons[0].rule.as_str(), "t/min-words");
}

#[test]
fn default_off_rules_run_only_when_selected() {
    let text = "Menu\nThe council met on Tuesday.\n";
    let defaults = Pipeline::new(RuleSet::defaults().unwrap(), Options::default());
    assert_eq!(defaults.run(text).text, text, "c4/short-line is off");
    let mut rules = RuleSet::defaults().unwrap();
    assert!(rules
        .rules()
        .iter()
        .any(|r| r.id.as_str() == "c4/short-line" && !r.enabled));
    rules.select(&["c4/short-line".into()], &[]).unwrap();
    let selected = Pipeline::new(rules, Options::default()).run(text);
    assert_eq!(selected.text, "The council met on Tuesday.\n");
    assert_eq!(selected.changes[0].rule.as_str(), "c4/short-line");
    // With no selection the off rules leave the set.
    let mut rules = RuleSet::defaults().unwrap();
    rules.select(&[], &[]).unwrap();
    assert!(rules.rules().iter().all(|r| r.enabled));
    assert!(!rules
        .rules()
        .iter()
        .any(|r| r.id.as_str().starts_with("c4/")));
}

#[test]
fn quality_rule_mistakes_are_reported_with_their_position() {
    let error = |text: &str| {
        RuleSet::from_sources(&[(PathBuf::from("q.toml"), text.to_string())])
            .unwrap_err()
            .to_string()
    };
    let head = "[[rule]]\nid = \"q/x\"\nkind = \"quality\"\ndescription = \"d\"\n";
    let message = error(&format!("{head}signal = \"word\"\nmin = 1\n"));
    assert!(
        message.starts_with("q.toml:5:10: rule `q/x`: unknown signal `word`"),
        "{message}"
    );
    assert!(message.contains("did you mean `words`?"), "{message}");
    let message = error(&format!("{head}signal = \"words\"\nmin = 1\nmax = 9\n"));
    assert!(message.contains("q.toml:7:7:"), "{message}");
    assert!(message.contains("takes one bound"), "{message}");
    let message = error(&format!("{head}signal = \"words\"\n"));
    assert!(message.contains("needs one of `min`"), "{message}");
    let message = error(&format!(
        "{head}signal = \"words\"\nmin = 1\npattern = 'x'\n"
    ));
    assert!(
        message.contains("key `pattern` does not apply to kind `quality`"),
        "{message}"
    );
    let message = error(&format!(
        "{head}signal = \"words\"\nmin = 1\n[[rule.test]]\ninput = \"a\"\noutput = \"b\"\n"
    ));
    assert!(
        message.contains("test 1: a quality rule's test gives `verdict"),
        "{message}"
    );
    let message = error("[[rule]]\nid = \"q/y\"\nkind = \"remove\"\ndescription = \"d\"\npattern = 'x'\n[[rule.test]]\ninput = \"x\"\nverdict = \"drop\"\n");
    assert!(
        message.contains("`verdict` is for quality rules"),
        "{message}"
    );
}

#[test]
fn a_summary_counts_verdicts_and_drops_per_rule() {
    let pipeline = family("fineweb");
    let fixture = std::fs::read_to_string("fixtures/quality/fineweb.jsonl").unwrap();
    let ids = pipeline
        .rules()
        .iter()
        .filter(|r| r.kind.role() == Role::Judges)
        .map(|r| r.id.clone());
    let mut summary = Summary::new(ids);
    for line in fixture.lines() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        summary.add(
            &pipeline
                .run(record["text"].as_str().unwrap())
                .quality
                .unwrap(),
        );
    }
    assert_eq!(
        (summary.documents(), summary.kept(), summary.dropped()),
        (3, 1, 2)
    );
    let drops: Vec<(&str, usize)> = summary
        .drops()
        .iter()
        .map(|(id, n)| (id.as_str(), *n))
        .collect();
    assert_eq!(
        drops,
        [
            ("quality/fineweb-line-punct", 1),
            ("quality/fineweb-short-lines", 1),
            ("quality/fineweb-dup-line-chars", 1),
            ("quality/fineweb-list-ratio", 1),
        ]
    );
    let words = summary.distribution(Signal::Words);
    assert!(words.min <= words.percentiles[2] && words.percentiles[2] <= words.max);
}

/// By default each document is judged by its language's rules: the Turkish prose that
/// Gopher's English stop words drop is kept by FineWeb-2's Turkish rules, and a language
/// with no rules is left unjudged, never dropped.
#[test]
fn documents_are_judged_by_their_language_s_rules() {
    let fixture = std::fs::read_to_string("fixtures/quality/gopher.jsonl").unwrap();
    let turkish = fixture
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .find(|record| record["id"] == "not-english")
        .unwrap();
    let text = turkish["text"].as_str().unwrap();
    let pipeline = Pipeline::new(
        RuleSet::defaults().unwrap(),
        Options {
            quality: true,
            ..Options::default()
        },
    );
    let quality = pipeline.run(text).quality.unwrap();
    assert_eq!(quality.verdict, Verdict::Keep, "{:?}", quality.reasons);
    assert_eq!(quality.recipe, Some("fineweb-2"));
    assert_eq!(quality.language.as_deref(), Some("tur_Latn"));
    let context = textscrub::Context {
        language: Some("mya_Mymr"),
        ..Default::default()
    };
    let burmese = pipeline.run_with("မင်္ဂလာပါ", &context).quality.unwrap();
    assert_eq!(burmese.verdict, Verdict::Unjudged);
    assert!(burmese.is_kept());
    assert!(burmese.note.unwrap().contains("burmese"));
    let english = pipeline.run("Too short.").quality.unwrap();
    assert_eq!(english.recipe, Some("fineweb"));
    assert_eq!(english.verdict, Verdict::Drop);
}

/// FineWeb-2 keeps a language's documents from its language-score threshold up (deu_Latn:
/// 0.821), checked where the record gives the identifier's score.
#[test]
fn fineweb_2_drops_a_document_below_its_language_s_score() {
    let fixture = std::fs::read_to_string("fixtures/multilingual/docs.jsonl").unwrap();
    let text = fixture
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .find(|doc| doc["id"] == "deu_Latn/lingua/prose-2")
        .unwrap()["text"]
        .as_str()
        .unwrap()
        .to_string();
    let pipeline = Pipeline::new(
        RuleSet::default(),
        Options {
            quality: true,
            recipe: Recipe::FineWeb2,
            ..Options::default()
        },
    );
    let judge = |score| {
        let context = textscrub::Context {
            language: Some("deu_Latn"),
            language_score: score,
            ..Default::default()
        };
        pipeline.run_with(&text, &context).quality.unwrap()
    };
    assert_eq!(judge(None).verdict, Verdict::Keep);
    assert_eq!(judge(Some(0.9)).verdict, Verdict::Keep);
    let low = judge(Some(0.5));
    assert_eq!(low.verdict, Verdict::Drop);
    assert_eq!(low.reasons[0].rule.as_str(), "fineweb-2/language-score");
}
