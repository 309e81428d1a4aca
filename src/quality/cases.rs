//! The tokenizer test cases of `fixtures/tokens/cases.jsonl` (`scripts/gen_token_cases.py`):
//! datatrove's own words for real text, in full or, for the multilingual fixture's
//! documents, as a count and a hash.

use std::collections::HashMap;

/// One case: the tokenizer (`en`, `indic:hi`, `jieba`), where the text is from, the text,
/// and datatrove's words.
pub(crate) struct Case {
    pub(crate) lang: String,
    pub(crate) source: String,
    pub(crate) text: String,
    expected: Expected,
}

enum Expected {
    Words(Vec<String>),
    Digest { count: usize, fnv1a: String },
}

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn json(line: &str) -> serde_json::Value {
    serde_json::from_str(line).unwrap()
}

/// The cases whose tokenizer `wanted` accepts.
pub(crate) fn cases(wanted: impl Fn(&str) -> bool) -> Vec<Case> {
    let docs: HashMap<String, String> = read("fixtures/multilingual/docs.jsonl")
        .lines()
        .map(|line| {
            let doc = json(line);
            let text = doc["text"].as_str().unwrap().to_string();
            (doc["id"].as_str().unwrap().to_string(), text)
        })
        .collect();
    read("fixtures/tokens/cases.jsonl")
        .lines()
        .map(json)
        .filter(|case| wanted(case["lang"].as_str().unwrap()))
        .map(|case| {
            let source = case["source"].as_str().unwrap().to_string();
            let text = match case["text"].as_str() {
                Some(text) => text.to_string(),
                None => docs[&source].clone(),
            };
            let expected = match case["tokens"].as_array() {
                Some(words) => Expected::Words(
                    words
                        .iter()
                        .map(|w| w.as_str().unwrap().to_string())
                        .collect(),
                ),
                None => Expected::Digest {
                    count: usize::try_from(case["count"].as_u64().unwrap()).unwrap(),
                    fnv1a: case["fnv1a"].as_str().unwrap().to_string(),
                },
            };
            Case {
                lang: case["lang"].as_str().unwrap().to_string(),
                source,
                text,
                expected,
            }
        })
        .collect()
}

impl Case {
    /// Where `actual` parts from datatrove's words, if it does.
    pub(crate) fn check(&self, actual: &[&str]) -> Result<(), String> {
        match &self.expected {
            Expected::Words(expected) => {
                if actual == expected.as_slice() {
                    return Ok(());
                }
                let at = actual
                    .iter()
                    .zip(expected)
                    .take_while(|(a, b)| a == b)
                    .count();
                Err(format!(
                    "{} {}: at word {at}: ours {:?}, datatrove's {:?}",
                    self.lang,
                    self.source,
                    &actual[at..(at + 4).min(actual.len())],
                    &expected[at..(at + 4).min(expected.len())]
                ))
            }
            Expected::Digest { count, fnv1a } => {
                let hash = actual
                    .join("\n")
                    .bytes()
                    .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
                    });
                if actual.len() == *count && format!("{hash:016x}") == *fnv1a {
                    return Ok(());
                }
                Err(format!(
                    "{} {}: {} words, datatrove {count} (the parity harness shows where they part)",
                    self.lang,
                    self.source,
                    actual.len()
                ))
            }
        }
    }
}

/// The words a tokenizer hands over (each to the callback `split` is given), stripped with
/// Python's `str.isspace` and the blank ones dropped, as datatrove's `strip_strings` does.
pub(crate) fn stripped(split: impl FnOnce(&mut dyn FnMut(&str))) -> Vec<String> {
    let t = super::spacy::tables();
    let mut out = Vec::new();
    split(&mut |word: &str| {
        let word = t.strip(word);
        if !word.is_empty() {
            out.push(word.to_string());
        }
    });
    out
}

/// Checks every case `wanted` accepts with `words`; fails listing those that differ.
pub(crate) fn check_all(
    wanted: impl Fn(&str) -> bool,
    at_least: usize,
    words: impl Fn(&Case) -> Vec<String>,
) {
    let cases = cases(wanted);
    assert!(cases.len() >= at_least, "{} cases", cases.len());
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            let actual = words(case);
            let actual: Vec<&str> = actual.iter().map(String::as_str).collect();
            case.check(&actual).err()
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {}:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
