//! Sentence segmentation: the case set in `fixtures/sentences/*.toml`, the seed
//! documents, where we deliberately differ from UAX #29, the tiling and robustness
//! properties, and bad input.
//!
//! Run with `--nocapture` to see per-category accuracy next to plain UAX #29's.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use serde::Deserialize;
use textscrub::sentence::{Language, Segmenter};
use unicode_segmentation::UnicodeSegmentation;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    language: String,
    case: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    category: String,
    text: String,
    sentences: Vec<String>,
}

fn slices<'t>(text: &'t str, ranges: &[Range<usize>]) -> Vec<&'t str> {
    ranges.iter().map(|range| &text[range.clone()]).collect()
}

/// Plain UAX #29 sentence boundaries, trimmed like ours, for comparison.
fn uax29(text: &str) -> Vec<&str> {
    text.split_sentence_bounds()
        .map(str::trim)
        .filter(|sentence| !sentence.is_empty())
        .collect()
}

/// Sorted, disjoint, non-empty, on char boundaries, trimmed, covering every
/// non-whitespace character.
fn assert_tiles(text: &str, ranges: &[Range<usize>]) {
    let mut covered = 0;
    for range in ranges {
        assert!(range.start < range.end, "empty range {range:?}");
        assert!(covered <= range.start, "overlap or disorder at {range:?}");
        assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
        let sentence = &text[range.clone()];
        assert_eq!(sentence.trim(), sentence, "untrimmed {range:?}");
        assert!(
            text[covered..range.start].trim().is_empty(),
            "uncovered text before {range:?}: {:?}",
            &text[covered..range.start]
        );
        covered = range.end;
    }
    assert!(text[covered..].trim().is_empty(), "uncovered tail");
}

#[derive(Default)]
struct Tally {
    cases: usize,
    ours: usize,
    uax29: usize,
}

#[test]
fn case_set() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures().join("sentences"))
        .map(|dir| {
            dir.filter_map(|entry| entry.ok().map(|e| e.path()))
                .collect()
        })
        .unwrap_or_default();
    files.retain(|path| path.extension().is_some_and(|ext| ext == "toml"));
    files.sort();
    assert!(files.len() >= 6, "case files missing: {files:?}");

    let mut tallies: BTreeMap<(String, String), Tally> = BTreeMap::new();
    let mut failures = Vec::new();
    for path in &files {
        let file: CaseFile =
            toml::from_str(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let segmenter = Segmenter::for_lang(&file.language)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for (index, case) in file.case.iter().enumerate() {
            let ranges = segmenter.split(&case.text);
            assert_tiles(&case.text, &ranges);
            let got = slices(&case.text, &ranges);
            let tally = tallies
                .entry((file.language.clone(), case.category.clone()))
                .or_default();
            tally.cases += 1;
            if uax29(&case.text) == case.sentences {
                tally.uax29 += 1;
            }
            if got == case.sentences {
                tally.ours += 1;
            } else {
                failures.push(format!(
                    "{} case {} [{}]\n  text:     {:?}\n  expected: {:?}\n  got:      {:?}",
                    path.display(),
                    index + 1,
                    case.category,
                    case.text,
                    case.sentences,
                    got
                ));
            }
        }
    }

    let percent = |n: usize, of: usize| 100.0 * n as f64 / of.max(1) as f64;
    let mut total = Tally::default();
    println!(
        "{:<4} {:<16} {:>5} {:>8} {:>8}",
        "lang", "category", "cases", "ours", "uax29"
    );
    for ((language, category), tally) in &tallies {
        println!(
            "{language:<4} {category:<16} {:>5} {:>7.1}% {:>7.1}%",
            tally.cases,
            percent(tally.ours, tally.cases),
            percent(tally.uax29, tally.cases)
        );
        total.cases += tally.cases;
        total.ours += tally.ours;
        total.uax29 += tally.uax29;
    }
    println!(
        "{:<4} {:<16} {:>5} {:>7.1}% {:>7.1}%",
        "all",
        "total",
        total.cases,
        percent(total.ours, total.cases),
        percent(total.uax29, total.cases)
    );
    let english: usize = tallies
        .iter()
        .filter(|((language, _), _)| language == "en")
        .map(|(_, tally)| tally.cases)
        .sum();
    assert!(english >= 150, "only {english} English cases");
    assert!(
        failures.is_empty(),
        "{} wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GoldFile {
    language: String,
    case: Vec<GoldCase>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GoldCase {
    text: String,
    sentences: Vec<String>,
}

/// pySBD's English Golden Rules, an outside gold set. The score is reported, not
/// required to be perfect; it must not fall below the floor recorded here (the issue's
/// bar, 47 of 48, which is pySBD's own score). The one miss is deliberate: in `At 5 a.m.
/// Mr. Smith went … at 6 P.M. Mr. Smith then went` the gold splits after `P.M.` but not
/// after `a.m.`, which no rule about the words around the period can tell apart.
#[test]
fn pysbd_golden_rules() {
    const FLOOR: usize = 47;
    let path = fixtures().join("golden/pysbd-en.toml");
    let gold: GoldFile = toml::from_str(&read(&path)).unwrap_or_else(|e| panic!("{e}"));
    let segmenter = Segmenter::for_lang(&gold.language).unwrap_or_else(|e| panic!("{e}"));
    let mut misses = Vec::new();
    for (index, case) in gold.case.iter().enumerate() {
        let ranges = segmenter.split(&case.text);
        assert_tiles(&case.text, &ranges);
        let got = slices(&case.text, &ranges);
        if got != case.sentences {
            misses.push(format!("rule {}: got {got:?}", index + 1));
        }
    }
    let uax29_right = gold
        .case
        .iter()
        .filter(|case| uax29(&case.text) == case.sentences)
        .count();
    let right = gold.case.len() - misses.len();
    println!(
        "pySBD golden rules: ours {right}/{}, uax29 {uax29_right}/{}",
        gold.case.len(),
        gold.case.len()
    );
    for miss in &misses {
        println!("  {miss}");
    }
    assert!(
        right >= FLOOR,
        "{right} below the floor of {FLOOR}:\n{}",
        misses.join("\n")
    );
}

/// pySBD's Golden Rules for its 22 other languages, as ported with pySBD's test suite to
/// cleave-sbd (`fixtures/golden/lang/`, see its README). Each file holds sections of
/// `{text, expected}` records; in sections pySBD runs with `clean=True` (names with
/// `clean` or `pdf`) its cleaner rewrites white space (`cold \nnight` → `cold night`), which
/// a segmenter that returns ranges of the input cannot do, so there sentences are compared
/// with white space removed: the boundaries must agree, the spacing need not.
const GOLDEN_LANGUAGES: [(&str, &str); 22] = [
    ("amharic", "am"),
    ("arabic", "ar"),
    ("armenian", "hy"),
    ("bulgarian", "bg"),
    ("burmese", "my"),
    ("chinese", "zh"),
    ("danish", "da"),
    ("deutsch", "de"),
    ("dutch", "nl"),
    ("french", "fr"),
    ("greek", "el"),
    ("hindi", "hi"),
    ("italian", "it"),
    ("japanese", "ja"),
    ("kazakh", "kk"),
    ("marathi", "mr"),
    ("persian", "fa"),
    ("polish", "pl"),
    ("russian", "ru"),
    ("slovak", "sk"),
    ("spanish", "es"),
    ("urdu", "ur"),
];

#[derive(Debug, Deserialize)]
struct GoldenRecord {
    text: String,
    expected: Vec<String>,
}

/// The share of a language's golden cases we must get right (pySBD gets 98% overall).
const GOLDEN_BAR: f64 = 0.95;

#[test]
fn pysbd_golden_rules_every_language() {
    let mut report = Vec::new();
    let mut below = Vec::new();
    let (mut all_right, mut all_cases) = (0, 0);
    for (file, code) in GOLDEN_LANGUAGES {
        let path = fixtures().join(format!("golden/lang/{file}.toml"));
        let sections: BTreeMap<String, Vec<GoldenRecord>> =
            toml::from_str(&read(&path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let segmenter = Segmenter::for_lang(code).unwrap_or_else(|e| panic!("{code}: {e}"));
        let (mut right, mut cases) = (0, 0);
        let mut misses = Vec::new();
        for (section, records) in &sections {
            let cleaned = section.contains("pdf")
                || (section.contains("clean") && !section.contains("wo_clean"));
            for (index, record) in records.iter().enumerate() {
                let ranges = segmenter.split(&record.text);
                assert_tiles(&record.text, &ranges);
                let got = slices(&record.text, &ranges);
                let expected: Vec<&str> = record.expected.iter().map(|s| s.trim()).collect();
                let same = if cleaned {
                    let squeeze = |s: &&str| s.split_whitespace().collect::<String>();
                    got.iter().map(squeeze).eq(expected.iter().map(squeeze))
                } else {
                    got == expected
                };
                cases += 1;
                if same {
                    right += 1;
                } else {
                    misses.push(format!(
                        "  {code} {section}[{index}]\n    text:     {:?}\n    expected: {expected:?}\n    got:      {got:?}",
                        record.text
                    ));
                }
            }
        }
        all_right += right;
        all_cases += cases;
        report.push(format!("{code} {right}/{cases}"));
        let bar = (GOLDEN_BAR * cases as f64).ceil() as usize;
        if right < bar {
            below.push(format!("{code} {right}/{cases}"));
        }
        for miss in misses {
            println!("{miss}");
        }
    }
    println!(
        "pySBD golden rules, other languages: {} (all {all_right}/{all_cases})",
        report.join(", ")
    );
    assert!(
        below.is_empty(),
        "below {:.0}%: {}",
        GOLDEN_BAR * 100.0,
        below.join(", ")
    );
}

/// The seed documents, sentence by sentence (one expected sentence per line).
#[test]
fn seed_documents() {
    let segmenter = Segmenter::new(Language::English);
    for name in ["kyrgyzstan-upi", "kyrgyzstan-aa-translated"] {
        let dir = fixtures().join("sentences/seeds");
        let text = read(&dir.join(format!("{name}.txt")));
        let expected = read(&dir.join(format!("{name}.sentences")));
        let ranges = segmenter.split(&text);
        assert_tiles(&text, &ranges);
        let got = slices(&text, &ranges);
        let expected: Vec<&str> = expected.lines().collect();
        assert_eq!(got, expected, "{name}");
    }
}

/// UAX #29 is the reference we start from; these are the places where we deliberately
/// disagree with it, each for a stated reason.
#[test]
fn where_we_differ_from_uax29() {
    let segmenter = Segmenter::new(Language::English);
    let cases: [(&str, &str, &[&str], &[&str]); 5] = [
        (
            "a month abbreviation before a number is a dateline, not a sentence end",
            "Oct. 6 (UPI) -- Kyrgyzstan President Sooronbay Jeenbekov spoke.",
            &["Oct.", "6 (UPI) -- Kyrgyzstan President Sooronbay Jeenbekov spoke."],
            &["Oct. 6 (UPI) -- Kyrgyzstan President Sooronbay Jeenbekov spoke."],
        ),
        (
            "a title never ends a sentence",
            "Mr. Bennet replied that he had not.",
            &["Mr.", "Bennet replied that he had not."],
            &["Mr. Bennet replied that he had not."],
        ),
        (
            "a hard-wrapped line does not end a sentence",
            "It is a truth universally acknowledged, that a single man in possession\nof a good fortune, must be in want of a wife.",
            &[
                "It is a truth universally acknowledged, that a single man in possession",
                "of a good fortune, must be in want of a wife.",
            ],
            &["It is a truth universally acknowledged, that a single man in possession\nof a good fortune, must be in want of a wife."],
        ),
        (
            "initials are not sentences",
            "J. R. R. Tolkien wrote it.",
            &["J.", "R.", "R.", "Tolkien wrote it."],
            &["J. R. R. Tolkien wrote it."],
        ),
        (
            "a may-end abbreviation before a name goes on",
            "The U.S. Senate passed the bill.",
            &["The U.S.", "Senate passed the bill."],
            &["The U.S. Senate passed the bill."],
        ),
    ];
    for (why, text, uax, ours) in cases {
        assert_eq!(uax29(text), uax, "UAX #29 changed its mind: {why}");
        assert_eq!(slices(text, &segmenter.split(text)), ours, "{why}");
    }
    // Where UAX #29 is right, so are we: plain sentences split the same.
    let plain = "The police used tear gas. The protesters threw stones! Why? Nobody knows.";
    assert_eq!(slices(plain, &segmenter.split(plain)), uax29(plain));
}

/// A real hard-wrapped novel: tiles, and every boundary we report sits after a
/// terminator or at a paragraph or heading, never in the middle of a wrapped line.
#[test]
fn hard_wrapped_novel() {
    let text = read(&fixtures().join("corpus/pride-and-prejudice.txt"));
    let ranges = Segmenter::new(Language::English).split(&text);
    assert_tiles(&text, &ranges);
    assert!(ranges.len() > 5000, "{} sentences", ranges.len());
    for range in &ranges {
        let sentence = &text[range.clone()];
        let ends_with_terminator = sentence
            .trim_end_matches(['"', '\'', ')', '_'])
            .ends_with(['.', '?', '!', ':', ';', '-']);
        let after = &text[range.end..];
        let paragraph_ends =
            after.trim_start_matches([' ', '\t']).starts_with("\n\n") || after.trim().is_empty();
        assert!(
            ends_with_terminator || paragraph_ends,
            "boundary inside a paragraph: {sentence:?}"
        );
    }
}

/// Every embedded language is tested: by its own cases in `fixtures/sentences/` and, for
/// pySBD's languages, by its Golden Rules; at least three cases in all (five for a
/// language with no Golden Rules).
#[test]
fn every_language_has_cases() {
    for language in Language::ALL {
        let code = language.code();
        let own = fixtures().join(format!("sentences/{code}.toml"));
        let own = if own.exists() {
            let file: CaseFile = toml::from_str(&read(&own)).unwrap_or_else(|e| panic!("{e}"));
            file.case.len()
        } else {
            0
        };
        let golden = GOLDEN_LANGUAGES
            .iter()
            .find(|(_, c)| *c == code)
            .map_or(0, |(file, _)| {
                let path = fixtures().join(format!("golden/lang/{file}.toml"));
                let sections: BTreeMap<String, Vec<GoldenRecord>> =
                    toml::from_str(&read(&path)).unwrap_or_else(|e| panic!("{e}"));
                sections.values().map(Vec::len).sum()
            });
        let least = if golden > 0 { 3 } else { 5 };
        assert!(
            own + golden >= least,
            "{code}: {own} own and {golden} golden cases"
        );
        assert!(
            own > 0 || code == "en" || golden >= 5,
            "{code}: no own cases"
        );
    }
}

/// Runs `f` and asserts it took less than `limit`; limits are generous so that a debug
/// build on a busy machine passes while a quadratic blow-up (hours) cannot.
fn within<T>(limit: Duration, what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let value = f();
    let elapsed = start.elapsed();
    assert!(elapsed < limit, "{what} took {elapsed:?}");
    value
}

#[test]
fn ten_megabyte_single_line_runs_in_linear_time() {
    const SIZE: usize = 10 << 20;
    const DENSE: usize = 1 << 20;
    let segmenter = Segmenter::new(Language::English);
    let prose = read(&fixtures().join("corpus/pride-and-prejudice.txt")).replace('\n', " ");
    let inputs: Vec<(&str, String)> = vec![
        ("prose on one line", prose.repeat(SIZE / prose.len() + 1)),
        ("one word", "a".repeat(SIZE)),
        ("periods", ".".repeat(SIZE)),
        // A candidate every few bytes: 1 MB keeps a debug build quick.
        ("titles", "Mr. ".repeat(DENSE / 4)),
        ("initials", "A. ".repeat(DENSE / 3)),
        ("list numbers", "1. ".repeat(DENSE / 3)),
        ("short lines", "A\n".repeat(DENSE / 2)),
        (
            "list items after a long opening",
            format!("{}{}", "(".repeat(DENSE), " 2. x".repeat(DENSE / 5)),
        ),
        ("dotted", "a.b".repeat(SIZE / 3)),
        ("spaces then a period", format!("x{}. Y", " ".repeat(SIZE))),
        ("indented numbers", format!("{}1. 2. 3.", " ".repeat(SIZE))),
        ("brackets", format!("x{}. Y. Z.", "(".repeat(SIZE))),
        ("CJK", "你好。".repeat(SIZE / 9)),
    ];
    for (name, text) in &inputs {
        let ranges = within(Duration::from_secs(30), name, || segmenter.split(text));
        assert_tiles(text, &ranges);
    }
    let one_line = &inputs[0].1;
    let sentences = segmenter.split(one_line).len();
    assert!(
        sentences > 50_000,
        "{sentences} sentences in the prose line"
    );
}

#[test]
fn unknown_scripts_split_at_their_own_terminators() {
    let segmenter = Segmenter::new(Language::English);
    let text = "第一句。第二句！第三句？ पहला वाक्य। दूसरा वाक्य। هل أنت بخير؟ نعم.";
    let got = slices(text, &segmenter.split(text));
    assert_eq!(
        got,
        [
            "第一句。",
            "第二句！",
            "第三句？",
            "पहला वाक्य।",
            "दूसरा वाक्य।",
            "هل أنت بخير؟",
            "نعم."
        ]
    );
}

/// Text built from the pieces that matter to the rules, so random cases hit them often.
fn token_soup() -> impl Strategy<Value = String> {
    let tokens = prop::sample::select(vec![
        "word",
        "Word",
        "THE",
        "Mr.",
        "etc.",
        "U.S.",
        "J.",
        "1.",
        "3.5",
        ". ",
        ".",
        "?",
        "!",
        "...",
        "…",
        "?!",
        " ",
        "  ",
        "\n",
        "\n\n",
        "\r\n",
        "\t",
        "\u{a0}",
        "\u{2029}",
        "\u{85}",
        "\"",
        "“",
        "”",
        "(",
        ")",
        "[1]",
        "«",
        "»",
        "—",
        "- ",
        "* ",
        "é",
        "e\u{301}",
        "你好",
        "。",
        "।",
        "؟",
        "😀",
        "example.com",
        "a@b.co",
        ":",
        ",",
        "\u{200b}",
    ]);
    prop::collection::vec(tokens, 0..60).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn tiles_token_soup(text in token_soup(), language in prop::sample::select(Language::ALL.to_vec())) {
        let ranges = Segmenter::new(language).split(&text);
        assert_tiles(&text, &ranges);
    }

    #[test]
    fn tiles_arbitrary_unicode(text in any::<String>()) {
        let ranges = Segmenter::new(Language::English).split(&text);
        assert_tiles(&text, &ranges);
    }

    #[test]
    fn split_into_matches_split(text in token_soup()) {
        let segmenter = Segmenter::new(Language::English);
        let mut buffer = vec![0..0; 3];
        segmenter.split_into(&text, &mut buffer);
        prop_assert_eq!(buffer, segmenter.split(&text));
    }
}
