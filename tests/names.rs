//! `discover names` end to end through the library: the seeds, a development corpus and a
//! held-out corpus (fixtures/names/, written for the project) with gold variant lists,
//! ordinary English, and the shipped region list against ordinary English words.
//! See: issue 19.

use std::collections::BTreeMap;
use std::path::PathBuf;

use textscrub::discover::names::{
    is_english_word, rule_file, NameScan, NameScanner, Proposal, Status, RULE_ID,
};
use textscrub::{Options, Pipeline, RuleSet};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read_jsonl(path: &str) -> Vec<(String, String)> {
    std::fs::read_to_string(root().join(path))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["id"].as_str().unwrap_or_default().to_string(),
                v["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn discover(docs: &[(String, String)]) -> (RuleSet, Vec<Proposal>) {
    let rules = RuleSet::defaults().unwrap();
    let scanner = NameScanner::new(&rules);
    let mut scan = NameScan::default();
    for (id, text) in docs {
        scan.add(scanner.scan(id, text));
    }
    let proposals = scan.link(&rules);
    (rules, proposals)
}

fn gold(path: &str) -> BTreeMap<String, String> {
    #[derive(serde::Deserialize)]
    struct Gold {
        variants: BTreeMap<String, String>,
    }
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    toml::from_str::<Gold>(&text).unwrap().variants
}

/// Whole-word occurrences of `word` in `text`.
fn occurrences(text: &str, word: &str) -> usize {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(word)
        .filter(|(at, m)| {
            !text[..*at].chars().next_back().is_some_and(is_word)
                && !text[at + m.len()..].chars().next().is_some_and(is_word)
        })
        .count()
}

/// Precision and recall of `discover names --write-rules` + `clean --rules` (the written
/// rule alone, and with the default rules before it) against the gold variants.
struct Score {
    gold: usize,
    correct: usize,
    wrong: Vec<String>,
}

fn score(docs: &[(String, String)], gold: &BTreeMap<String, String>, defaults: bool) -> Score {
    let (_, proposals) = discover(docs);
    let file = rule_file(&proposals, docs.len());
    let mut sources = Vec::new();
    if defaults {
        for (name, text) in textscrub::rule::DEFAULT_RULE_FILES {
            sources.push((PathBuf::from(name), (*text).to_string()));
        }
    } else {
        // The written file uses no scheme, so it stands alone.
    }
    sources.push((PathBuf::from("discovered.toml"), file));
    let rules = RuleSet::from_sources(&sources).unwrap();
    let pipeline = Pipeline::new(rules, Options::default());
    let mut result = Score {
        gold: 0,
        correct: 0,
        wrong: Vec::new(),
    };
    for (id, text) in docs {
        result.gold += gold.keys().map(|v| occurrences(text, v)).sum::<usize>();
        for change in pipeline.run(text).changes {
            if !change.rule.as_str().starts_with("names/") {
                continue;
            }
            // `before` is what the rule saw; a span an earlier rule fixed is already right.
            let original = &text[change.span.range()];
            match gold.get(original) {
                Some(canonical) if *canonical == change.after => result.correct += 1,
                _ => result
                    .wrong
                    .push(format!("{id}: {original} → {}", change.after)),
            }
        }
    }
    result
}

fn report(name: &str, s: &Score) -> (f64, f64) {
    let changes = s.correct + s.wrong.len();
    let precision = if changes == 0 {
        1.0
    } else {
        s.correct as f64 / changes as f64
    };
    let recall = s.correct as f64 / s.gold.max(1) as f64;
    println!(
        "{name}: {} of {} variant occurrences fixed, {} wrong change(s): precision {precision:.3}, recall {recall:.3} {:?}",
        s.correct,
        s.gold,
        s.wrong.len(),
        s.wrong
    );
    (precision, recall)
}

#[test]
fn the_two_seed_articles_link_ceenbekov_to_jeenbekov() {
    let docs: Vec<(String, String)> = ["kyrgyzstan-aa-translated.txt", "kyrgyzstan-upi.txt"]
        .iter()
        .map(|name| {
            let path = root().join("fixtures/seeds/input").join(name);
            (name.to_string(), std::fs::read_to_string(path).unwrap())
        })
        .collect();
    let (_, proposals) = discover(&docs);
    let link = proposals
        .iter()
        .find(|p| p.variant == "Ceenbekov")
        .expect("Ceenbekov is linked");
    assert_eq!(link.canonical, "Jeenbekov");
    assert_eq!(link.status, Status::Proposed);
    assert!(link.neighbours.contains(&"Sooronbay".to_string()));
    assert!(link.schemes.contains(&"turkish".to_string()));
    let file = rule_file(&proposals, docs.len());
    assert!(file.contains("\"Ceenbekov\" = \"Jeenbekov\""), "{file}");
}

#[test]
fn written_rules_pass_their_own_tests_and_load_alone() {
    let docs = read_jsonl("fixtures/names/dev/corpus.jsonl");
    let (_, proposals) = discover(&docs);
    let file = rule_file(&proposals, docs.len());
    let rules = RuleSet::from_sources(&[(PathBuf::from("discovered.toml"), file.clone())])
        .unwrap_or_else(|e| panic!("{e}\n{file}"));
    let rule = rules
        .rules()
        .iter()
        .find(|r| r.id.as_str() == RULE_ID)
        .unwrap();
    assert!(rule.tests.len() >= 5, "{file}");
    for result in rule.run_tests() {
        assert_eq!(
            result.status,
            textscrub::rule::CaseStatus::Pass,
            "{result:?}\n{file}"
        );
    }
}

#[test]
fn development_corpus_is_fixed_and_nothing_else_changes() {
    let docs = read_jsonl("fixtures/names/dev/corpus.jsonl");
    let gold = gold("fixtures/names/dev/gold.toml");
    let (precision, recall) = report("dev, written rule alone", &score(&docs, &gold, false));
    assert_eq!(precision, 1.0);
    assert!(recall >= 0.9, "recall {recall}");
    let (precision, recall) = report("dev, defaults + written rule", &score(&docs, &gold, true));
    assert_eq!(precision, 1.0);
    assert!(recall >= 0.9, "recall {recall}");
}

/// The bar, on a corpus `discover names` was not tuned on: most variant spellings
/// fixed, nothing else changed. The bar was set before the first run.
#[test]
fn held_out_corpus_meets_the_bar() {
    let docs = read_jsonl("fixtures/names/heldout/corpus.jsonl");
    let gold = gold("fixtures/names/heldout/gold.toml");
    let (precision, recall) = report("held-out, written rule alone", &score(&docs, &gold, false));
    assert!(precision >= 0.95, "precision {precision}");
    assert!(recall > 0.5, "recall {recall}");
    let (precision, recall) = report(
        "held-out, defaults + written rule",
        &score(&docs, &gold, true),
    );
    assert!(precision >= 0.95, "precision {precision}");
    assert!(recall > 0.5, "recall {recall}");
}

#[test]
fn ordinary_words_and_different_people_are_never_proposed() {
    for path in [
        "fixtures/names/dev/corpus.jsonl",
        "fixtures/names/heldout/corpus.jsonl",
        "fixtures/scraped-dev/docs.jsonl",
    ] {
        let (_, proposals) = discover(&read_jsonl(path));
        for p in &proposals {
            for word in [&p.variant, &p.canonical] {
                assert!(
                    !["Central", "Commission", "Chairman"].contains(&word.as_str()),
                    "{path}: {p:?}"
                );
                assert!(!is_english_word(word), "{path}: {p:?}");
            }
            // Jihan Hassan (UN) and Cihan Yıldız (an analyst) are different people.
            assert!(
                p.variant != "Cihan" || p.status != Status::Proposed,
                "{p:?}"
            );
        }
        if path.contains("scraped-dev") {
            let proposed = proposals
                .iter()
                .filter(|p| p.status == Status::Proposed)
                .count();
            println!(
                "{path}: {proposed} proposed, {} reported",
                proposals.len() - proposed
            );
            assert_eq!(proposed, 0, "{proposals:?}");
        }
    }
    let novel =
        std::fs::read_to_string(root().join("fixtures/corpus/pride-and-prejudice.txt")).unwrap();
    let (_, proposals) = discover(&[("pride-and-prejudice".into(), novel)]);
    assert!(
        proposals.iter().all(|p| p.status != Status::Proposed),
        "{proposals:?}"
    );
}

#[test]
fn shipped_region_list_never_changes_english_words() {
    let words = include_str!("../src/discover/english-words.txt");
    let mut text = String::new();
    for word in words.lines().filter(|l| !l.starts_with('#')) {
        let mut chars = word.chars();
        let capitalised: String = chars
            .next()
            .into_iter()
            .flat_map(char::to_uppercase)
            .chain(chars)
            .collect();
        text.push_str(word);
        text.push(' ');
        text.push_str(&capitalised);
        text.push(' ');
        text.push_str(&word.to_uppercase());
        text.push('\n');
    }
    let mut rules = RuleSet::defaults().unwrap();
    rules.select(&["names/*".to_string()], &[]).unwrap();
    let outcome = Pipeline::new(rules, Options::default()).run(&text);
    let changed: Vec<String> = outcome
        .changes
        .iter()
        .map(|c| format!("{}: {} → {}", c.rule, c.before, c.after))
        .collect();
    assert!(changed.is_empty(), "{changed:?}");
}

/// Calques are reported only where a name in Turkish letters shows a translation: the
/// three in the translated seed, none in the 138 scraped English pages or a novel.
#[test]
fn calques_are_reported_only_in_translated_documents() {
    let mut rules = RuleSet::defaults().unwrap();
    rules
        .select(&["translation/turkish-calque".to_string()], &[])
        .unwrap();
    let pipeline = Pipeline::new(rules, Options::default());
    let seed =
        std::fs::read_to_string(root().join("fixtures/seeds/input/kyrgyzstan-aa-translated.txt"))
            .unwrap();
    let found: Vec<(String, Option<String>)> = pipeline
        .run(&seed)
        .findings
        .into_iter()
        .map(|f| (f.text, f.suggestion))
        .collect();
    assert_eq!(
        found,
        vec![
            ("fans".to_string(), Some("supporters".to_string())),
            ("sound bombs".to_string(), Some("stun grenades".to_string())),
            (
                "the show".to_string(),
                Some("the demonstration".to_string())
            ),
        ]
    );
    let mut english = read_jsonl("fixtures/scraped-dev/docs.jsonl");
    english.push((
        "novel".into(),
        std::fs::read_to_string(root().join("fixtures/corpus/pride-and-prejudice.txt")).unwrap(),
    ));
    let false_alarms: usize = english
        .iter()
        .map(|(_, text)| pipeline.run(text).findings.len())
        .sum();
    assert_eq!(false_alarms, 0);
}

/// Every text in the fixtures that is about somewhere else than Central Asia and the
/// Caucasus: 138 scraped pages, 22 held-out news pages (one about Ola Bini), 1,731
/// documents in 92 languages, the sentence and segmenter cases (pySBD's golden rules in 29
/// languages), a novel, and a few Indonesian and English paragraphs written for the
/// project (`Cuma`, Indonesian for "only", is the Turkish-route spelling of `Juma`).
fn text_about_elsewhere() -> Vec<(String, String)> {
    let mut docs = Vec::new();
    for path in [
        "fixtures/scraped-dev/docs.jsonl",
        "fixtures/boilerplate-heldout/docs.jsonl",
        "fixtures/multilingual/docs.jsonl",
        "fixtures/names/elsewhere/corpus.jsonl",
    ] {
        docs.extend(read_jsonl(path));
    }
    fn texts(value: &toml::Value, out: &mut Vec<String>) {
        match value {
            toml::Value::Table(table) => {
                for (key, value) in table {
                    match value {
                        toml::Value::String(s) if key == "text" => out.push(s.clone()),
                        _ => texts(value, out),
                    }
                }
            }
            toml::Value::Array(items) => items.iter().for_each(|v| texts(v, out)),
            _ => {}
        }
    }
    for folder in [
        "fixtures/sentences",
        "fixtures/golden",
        "fixtures/golden/lang",
    ] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join(folder))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        paths.sort();
        for path in paths {
            let value: toml::Value =
                toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let mut found = Vec::new();
            texts(&value, &mut found);
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            docs.extend(found.into_iter().map(|t| (name.clone(), t)));
        }
    }
    docs.push((
        "pride-and-prejudice".into(),
        std::fs::read_to_string(root().join("fixtures/corpus/pride-and-prejudice.txt")).unwrap(),
    ));
    docs
}

/// The name tables generate spellings that are ordinary words or other people's names
/// elsewhere (`Bini` of Ola Bini, Indonesian `Cuma`): on text about other places they
/// make no edit at all, while the seeds keep every fix.
#[test]
fn name_tables_make_no_edit_on_text_about_elsewhere() {
    let mut rules = RuleSet::defaults().unwrap();
    rules.select(&["names/*".to_string()], &[]).unwrap();
    let pipeline = Pipeline::new(rules, Options::default());
    let docs = text_about_elsewhere();
    let bytes: usize = docs.iter().map(|(_, t)| t.len()).sum();
    let edits: Vec<String> = docs
        .iter()
        .flat_map(|(id, text)| {
            pipeline
                .run(text)
                .changes
                .into_iter()
                .map(move |c| format!("{id}: {}: {} → {}", c.rule, c.before, c.after))
        })
        .collect();
    println!(
        "{} texts about elsewhere ({:.1} MB): {} name edit(s)",
        docs.len(),
        bytes as f64 / 1e6,
        edits.len()
    );
    assert!(docs.len() > 1_200, "{}", docs.len());
    assert!(edits.is_empty(), "{edits:?}");

    let seed =
        std::fs::read_to_string(root().join("fixtures/seeds/input/kyrgyzstan-aa-translated.txt"))
            .unwrap();
    let fixed: Vec<(String, String)> = pipeline
        .run(&seed)
        .changes
        .into_iter()
        .map(|c| (c.before.to_string(), c.after.to_string()))
        .collect();
    let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(
        fixed,
        vec![
            pair("Ceenbekov", "Jeenbekov"),
            pair("Sadır", "Sadyr"),
            pair("Caparov", "Japarov"),
            pair("Ceenbekov", "Jeenbekov"),
            pair("Cumabekov", "Jumabekov"),
            pair("Ceenbekov", "Jeenbekov"),
            pair("Ala Too", "Ala-Too"),
        ]
    );
}
