//! The sentence segmenter on arbitrary text, in every embedded language: no panic; the
//! sentences are sorted, disjoint, on char boundaries, trimmed, and cover every
//! non-white-space character (they tile the text).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use textscrub::sentence::{Language, Segmenter};

/// One segmenter per embedded language (`Language::ALL`, so a language added under
/// `rules/lang/` is fuzzed without touching this file).
fn segmenters() -> &'static Vec<Segmenter> {
    static SEGMENTERS: OnceLock<Vec<Segmenter>> = OnceLock::new();
    SEGMENTERS.get_or_init(|| Language::ALL.iter().copied().map(Segmenter::new).collect())
}

fuzz_target!(|text: &str| {
    for segmenter in segmenters() {
        let sentences = segmenter.split(text);
        let mut covered = 0;
        for range in &sentences {
            assert!(range.start < range.end, "empty sentence {range:?}");
            assert!(range.start >= covered, "sentences overlap or are unsorted: {sentences:?}");
            assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
            let sentence = &text[range.clone()];
            assert_eq!(sentence.trim(), sentence, "sentence not trimmed: {sentence:?}");
            assert!(
                text[covered..range.start].trim().is_empty(),
                "text between sentences is not white space: {:?}",
                &text[covered..range.start]
            );
            covered = range.end;
        }
        assert!(text[covered..].trim().is_empty(), "text after the last sentence");
    }
});
