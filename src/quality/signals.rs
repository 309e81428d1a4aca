//! The signals as pure functions of a text, each measured the way datatrove 0.10's filter
//! measures it, so the same thresholds give the same decisions. Beside each signal below is
//! the datatrove code it mirrors (`gopher_quality_filter.py`, `gopher_repetition_filter.py`,
//! `c4_filters.py`, `fineweb_quality_filter.py` under `datatrove/pipeline/filters/`).
//!
//! Words are datatrove's `split_into_words(text, "en")`: spaCy's blank English tokenizer
//! (ported in `spacy.rs`) without its white-space tokens. The text is tokenized once and
//! every token-based signal shares the tokens; n-gram identities are rolled from per-token
//! hashes (a polynomial hash of the token's bytes), never built as strings. Lines are split
//! the three ways the filters split them (`str.splitlines()`, `re.split("\n+")`,
//! `str.split("\n")`), with Python's `str.isspace` for stripping and `str.isalpha` for
//! letters (tables generated from Python's Unicode database).
//!
//! Where we depart from the reference:
//! - **N-gram and line identity** is a 64-bit hash; datatrove compares strings. A collision
//!   (about one in 2^64 per pair) would count two different n-grams as one.
//! - **Empty denominators** give 0 where datatrove would divide by zero or take the mean of
//!   nothing; datatrove never gets there with its default thresholds except on documents
//!   with no words, which fail `gopher-min-words` first. datatrove drops an empty document
//!   in its repetition and FineWeb filters (`"empty"`); here only the Gopher word count
//!   and the C4 sentence count fail on it.
//! - **C4's document checks** (`lorem ipsum`, `{`) are measured as if each were the only
//!   one switched on, and the sentence count as if both were off; datatrove stops at the
//!   first of them. The verdicts are the same.
//! - `javascript_lines`, `policy_lines`, `uppercase_fraction` and `non_ascii_fraction` are
//!   textscrub's own, for statistics; no datatrove filter reads them.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use regex::Regex;

use super::hash::{finish, hash_bytes, BuildIdentity};
use super::spacy::{self, Tables, Token};
use super::{Signal, Signals};

/// Gopher's stop words (Rae et al. 2021, appendix A1.1; datatrove `STOP_WORDS`), matched
/// case-sensitively as datatrove does.
const STOP_WORDS: [&str; 8] = ["the", "be", "to", "of", "and", "that", "have", "with"];

/// C4's policy phrases (datatrove `POLICY_SUBSTRINGS`, from TFDS `c4_utils.py`).
const POLICY_PHRASES: [&str; 6] = [
    "terms of use",
    "privacy policy",
    "cookie policy",
    "uses cookies",
    "use of cookies",
    "use cookies",
];

/// Buffers reused across documents on one thread.
#[derive(Default)]
struct Scratch {
    tokens: Vec<Token>,
    words: Vec<Word>,
    line_tokens: Vec<Token>,
    counts: HashMap<u64, (usize, usize), BuildIdentity>,
    seen: HashSet<u64, BuildIdentity>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Measures every signal of `text`.
#[must_use]
pub fn measure(text: &str) -> Signals {
    SCRATCH.with(|scratch| measure_with(text, &mut scratch.borrow_mut()))
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

fn measure_with(text: &str, scratch: &mut Scratch) -> Signals {
    let t = spacy::tables();
    let mut signals = Signals::new();
    let chars = scan_chars(text);
    t.tokenize(text, &mut scratch.tokens);
    let words = scan_words(t, text, &scratch.tokens, &mut scratch.words);
    let n_words = scratch.words.len();

    // GopherQualityFilter.filter: `words = split_into_words(text)`, `n_words = len(words)`.
    signals.set(Signal::Tokens, n_words as f64);
    // `non_symbol_words = [w for w in words if any(ch not in PUNCTUATION_SET for ch in w)]`
    signals.set(Signal::Words, words.non_symbol as f64);
    // `np.mean([len(w) for w in non_symbol_words])`
    signals.set(
        Signal::MeanWordLength,
        ratio(words.non_symbol_chars, words.non_symbol),
    );
    // `text.count("#") / n_words`
    signals.set(Signal::HashRatio, ratio(chars.hashes, n_words));
    // `(text.count("...") + text.count("…")) / n_words`
    signals.set(Signal::EllipsisRatio, ratio(chars.ellipses, n_words));
    // `sum([any((c.isalpha() for c in w)) for w in words]) / n_words`
    signals.set(Signal::AlphaWordFraction, ratio(words.alphabetic, n_words));
    // `len(self.stop_words.intersection(set(words)))`
    signals.set(Signal::StopWords, words.stop_words.count_ones() as f64);
    let lines = scan_python_lines(t, text, &mut scratch.line_tokens);
    // `sum(s.lstrip().startswith("•") or s.lstrip().startswith("-") for s in lines) / len(lines)`
    signals.set(
        Signal::BulletLineFraction,
        ratio(lines.bullets, lines.count),
    );
    // `sum(s.rstrip().endswith("...") or s.rstrip().endswith("…") for s in lines) / len(lines)`
    signals.set(
        Signal::EllipsisLineFraction,
        ratio(lines.ellipses, lines.count),
    );

    // GopherRepetitionFilter.filter; every character fraction is of `len(text)`.
    let paragraphs = scan_paragraphs(t, text, &mut scratch.seen);
    // `paragraphs = re.split(r"\n{2,}", text.strip())`; `find_duplicates(paragraphs)`
    signals.set(
        Signal::DupParagraphFraction,
        ratio(paragraphs.duplicates, paragraphs.count),
    );
    signals.set(
        Signal::DupParagraphCharFraction,
        ratio(paragraphs.duplicate_chars, chars.total),
    );
    let breaks = scan_line_breaks(t, text, &mut scratch.seen, &mut scratch.counts);
    // `lines = re.split("\n+", text)`; `find_duplicates(lines)`
    signals.set(
        Signal::DupLineFraction,
        ratio(breaks.gopher_duplicates, breaks.gopher_lines),
    );
    signals.set(
        Signal::DupLineCharFraction,
        ratio(breaks.gopher_duplicate_chars, chars.total),
    );
    // `find_top_duplicate(get_n_grams(words, n))`: the n-grams joined with spaces.
    for (n, signal) in [
        (2, Signal::Top2gramCharFraction),
        (3, Signal::Top3gramCharFraction),
        (4, Signal::Top4gramCharFraction),
    ] {
        let covered = top_ngram_chars(&scratch.words, n, &mut scratch.counts);
        signals.set(signal, ratio(covered, chars.total));
    }
    // `find_all_duplicate(words, n)`: the n-grams joined without spaces.
    for (n, signal) in [
        (5, Signal::Dup5gramCharFraction),
        (6, Signal::Dup6gramCharFraction),
        (7, Signal::Dup7gramCharFraction),
        (8, Signal::Dup8gramCharFraction),
        (9, Signal::Dup9gramCharFraction),
        (10, Signal::Dup10gramCharFraction),
    ] {
        let repeated = duplicate_ngram_chars(&scratch.words, n, &mut scratch.seen);
        signals.set(signal, ratio(repeated, chars.total));
    }

    // FineWebQualityFilter.filter: `lines = [l for l in text.split("\n") if l.strip() != ""]`.
    // `sum(1 for line in lines if line.endswith(self.stop_chars)) / len(lines)`
    signals.set(
        Signal::LinePunctFraction,
        ratio(breaks.punctuated, breaks.pieces),
    );
    // `sum(1 for line in lines if len(line) <= self.short_line_length) / len(lines)`
    signals.set(
        Signal::ShortLineFraction,
        ratio(breaks.short, breaks.pieces),
    );
    // `find_duplicates(lines)[1] / len(doc.text.replace("\n", ""))`
    signals.set(
        Signal::DupLineCharShare,
        ratio(breaks.fineweb_duplicate_chars, chars.total - chars.newlines),
    );
    // `doc.text.count("\n") / len(words)`
    signals.set(Signal::NewlineRatio, ratio(chars.newlines, n_words));

    // C4QualityFilter.filter (split_paragraph=True: `doc.text.splitlines()`).
    // `num_sentences += len(split_into_sentences(line))` over the lines it keeps
    signals.set(Signal::C4Sentences, lines.c4_sentences as f64);
    // `if self.filter_lorem_ipsum and "lorem ipsum" in line_l: return False`
    signals.set(
        Signal::C4LoremIpsum,
        f64::from(u8::from(lines.c4_lorem_ipsum)),
    );
    // `if self.filter_curly_bracket and "{" in line: return False`
    signals.set(
        Signal::C4CurlyBracket,
        f64::from(u8::from(lines.c4_curly_bracket)),
    );
    signals.set(Signal::JavascriptLines, lines.javascript as f64);
    signals.set(Signal::PolicyLines, lines.policy as f64);

    signals.set(Signal::UppercaseFraction, ratio(chars.upper, chars.letters));
    signals.set(
        Signal::NonAsciiFraction,
        ratio(chars.non_ascii, chars.total),
    );
    signals
}

/// Counts over the characters of the whole text.
#[derive(Debug, Default)]
struct CharCounts {
    /// Characters (Python's `len(text)`).
    total: usize,
    newlines: usize,
    /// `#` characters.
    hashes: usize,
    /// Non-overlapping `...` plus `…` (Python's `text.count("...") + text.count("…")`).
    ellipses: usize,
    letters: usize,
    upper: usize,
    non_ascii: usize,
}

fn scan_chars(text: &str) -> CharCounts {
    let mut counts = CharCounts::default();
    let bytes = text.as_bytes();
    // Character count: every byte that does not continue a UTF-8 sequence.
    counts.total = bytes.iter().filter(|&&b| (b as i8) >= -0x40).count();
    counts.newlines = memchr::memchr_iter(b'\n', bytes).count();
    counts.hashes = memchr::memchr_iter(b'#', bytes).count();
    let mut dots = 0;
    for &b in bytes {
        if b == b'.' {
            dots += 1;
        } else {
            counts.ellipses += dots / 3;
            dots = 0;
        }
    }
    counts.ellipses += dots / 3;
    if text.is_ascii() {
        for &b in bytes {
            if b.is_ascii_alphabetic() {
                counts.letters += 1;
                counts.upper += usize::from(b.is_ascii_uppercase());
            }
        }
        return counts;
    }
    for c in text.chars() {
        if c == '…' {
            counts.ellipses += 1;
        }
        if !c.is_ascii() {
            counts.non_ascii += 1;
        }
        if c.is_alphabetic() {
            counts.letters += 1;
            if c.is_uppercase() {
                counts.upper += 1;
            }
        }
    }
    counts
}

/// A word as the n-gram signals need it.
#[derive(Debug, Clone, Copy)]
struct Word {
    /// A polynomial hash of its bytes (so that concatenations hash from the parts).
    hash: u64,
    /// `BASE` to the power of its length in bytes.
    power: u64,
    /// Its length in characters.
    chars: usize,
}

/// The base of the polynomial hash (odd, so no information is lost).
const BASE: u64 = 0x100_0000_01b3;

#[derive(Debug, Default)]
struct WordCounts {
    non_symbol: usize,
    non_symbol_chars: usize,
    alphabetic: usize,
    /// Bit i set when `STOP_WORDS[i]` occurs.
    stop_words: u8,
}

/// The words (tokens that are not white space) and what Gopher counts over them.
fn scan_words(t: &Tables, text: &str, tokens: &[Token], words: &mut Vec<Word>) -> WordCounts {
    let mut counts = WordCounts::default();
    words.clear();
    for token in tokens.iter().filter(|token| !token.space) {
        let s = &text[token.start..token.end];
        let mut hash = 0u64;
        let mut power = 1u64;
        for &b in s.as_bytes() {
            hash = hash.wrapping_mul(BASE).wrapping_add(u64::from(b) + 1);
            power = power.wrapping_mul(BASE);
        }
        let (chars, symbol, alpha) = if s.is_ascii() {
            let bytes = s.as_bytes();
            (
                bytes.len(),
                bytes.iter().all(|&b| t.is_punctuation(char::from(b))),
                bytes.iter().any(u8::is_ascii_alphabetic),
            )
        } else {
            (
                s.chars().count(),
                s.chars().all(|c| t.is_punctuation(c)),
                s.chars().any(|c| t.is_alpha(c)),
            )
        };
        if !symbol {
            counts.non_symbol += 1;
            counts.non_symbol_chars += chars;
        }
        counts.alphabetic += usize::from(alpha);
        if s.len() <= 4 {
            if let Some(i) = STOP_WORDS.iter().position(|&w| w == s) {
                counts.stop_words |= 1 << i;
            }
        }
        words.push(Word { hash, power, chars });
    }
    counts
}

/// What the lines of Python's `str.splitlines()` give: Gopher's bullet and ellipsis lines,
/// and C4's line filter.
#[derive(Debug, Default)]
struct PythonLines {
    count: usize,
    bullets: usize,
    ellipses: usize,
    c4_sentences: usize,
    c4_lorem_ipsum: bool,
    c4_curly_bracket: bool,
    javascript: usize,
    policy: usize,
}

/// The phrases C4 looks for in a lower-cased line, found case-insensitively in one pass.
fn c4_phrases() -> &'static AhoCorasick {
    static PHRASES: OnceLock<AhoCorasick> = OnceLock::new();
    PHRASES.get_or_init(|| {
        let mut patterns = vec!["lorem ipsum", "javascript"];
        patterns.extend(POLICY_PHRASES);
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(patterns)
            .expect("static patterns compile")
    })
}

/// datatrove's `CITATION_REGEX`.
fn citations() -> &'static Regex {
    static CITATIONS: OnceLock<Regex> = OnceLock::new();
    CITATIONS.get_or_init(|| {
        Regex::new(r"\[\d*\]|\[edit\]|\[citation needed\]").expect("static pattern compiles")
    })
}

const LOREM: usize = 0;
const JAVASCRIPT: usize = 1;

fn scan_python_lines(t: &Tables, text: &str, tokens: &mut Vec<Token>) -> PythonLines {
    let mut lines = PythonLines::default();
    for_each_python_line(text, |line| {
        lines.count += 1;
        let start = line.trim_start_matches(|c| t.is_space(c));
        if start.starts_with('•') || start.starts_with('-') {
            lines.bullets += 1;
        }
        let end = line.trim_end_matches(|c| t.is_space(c));
        if end.ends_with("...") || end.ends_with('…') {
            lines.ellipses += 1;
        }
        let mut javascript = false;
        let mut policy = false;
        for found in c4_phrases().find_iter(line) {
            match found.pattern().as_usize() {
                LOREM => {}
                JAVASCRIPT => javascript = true,
                _ => policy = true,
            }
        }
        lines.javascript += usize::from(javascript);
        lines.policy += usize::from(policy);
        c4_line(t, t.strip(line), &mut lines, tokens);
    });
    lines
}

/// One line through datatrove's `C4QualityFilter.filter` loop, in its order of checks.
fn c4_line(t: &Tables, line: &str, lines: &mut PythonLines, tokens: &mut Vec<Token>) {
    // `words = line.split()`; `any(len(word) > self.max_word_length for word in words)`
    let mut words = 0;
    for word in line.split(|c| t.is_space(c)).filter(|w| !w.is_empty()) {
        if word.len() > 1000 && word.chars().count() > 1000 {
            return;
        }
        words += 1;
    }
    // `line = CITATION_REGEX.sub("", line)`
    let cited = if line.contains('[') {
        citations().replace_all(line, "")
    } else {
        std::borrow::Cow::Borrowed(line)
    };
    // `not line.endswith(END_PUNCTUATION) or line.endswith(ELLIPSIS)`
    if !cited.ends_with(['.', '?', '!', '"', '\'']) || cited.ends_with("...") {
        return;
    }
    // `len(words) < self.min_words_per_line`
    if words < 3 {
        return;
    }
    // `line_l = line.lower()`: the phrases are ASCII, and the only other character that
    // lower-cases into an ASCII letter is the Kelvin sign (to `k`, as in `cookie`).
    let lowered;
    let haystack = if cited.contains('\u{212A}') {
        lowered = cited.to_lowercase();
        lowered.as_str()
    } else {
        cited.as_ref()
    };
    let mut lorem = false;
    let mut javascript = false;
    let mut policy = false;
    for found in c4_phrases().find_iter(haystack) {
        match found.pattern().as_usize() {
            LOREM => lorem = true,
            JAVASCRIPT => javascript = true,
            _ => policy = true,
        }
    }
    // `"lorem ipsum" in line_l` drops the document (with the other checks off, too).
    if lorem {
        lines.c4_lorem_ipsum = true;
    }
    // `"javascript" in line_l` drops the line.
    if javascript {
        return;
    }
    // `"{" in line` drops the document.
    if cited.contains('{') {
        lines.c4_curly_bracket = true;
    }
    // `any(p in line_l for p in POLICY_SUBSTRINGS)` drops the line.
    if policy {
        return;
    }
    // `len(split_into_sentences(line, self.language))`: the sentencizer's sentences.
    lines.c4_sentences += t.count_sentences(&cited, tokens);
}

/// Calls `f` with each line as Python's `str.splitlines()` gives them: split at `\n`,
/// `\r\n`, `\r`, `\v`, `\f`, U+001C–U+001E, U+0085, U+2028, U+2029; no empty last line.
fn for_each_python_line<'t>(text: &'t str, mut f: impl FnMut(&'t str)) {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let separator = match bytes[i] {
            b'\n' | 0x0b | 0x0c | 0x1c..=0x1e => 1,
            b'\r' => {
                if bytes.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                }
            }
            0xc2 if bytes.get(i + 1) == Some(&0x85) => 2,
            0xe2 if bytes.get(i + 1) == Some(&0x80)
                && matches!(bytes.get(i + 2), Some(0xa8 | 0xa9)) =>
            {
                3
            }
            _ => 0,
        };
        if separator == 0 {
            i += 1;
            continue;
        }
        f(&text[start..i]);
        i += separator;
        start = i;
    }
    if start < bytes.len() {
        f(&text[start..]);
    }
}

/// Line counts from `text.split("\n")`: FineWeb's non-blank lines, and Gopher's repeated
/// lines (`re.split("\n+", text)`: the non-empty pieces, plus an empty first or last piece).
#[derive(Debug, Default)]
struct LineBreaks {
    /// FineWeb's lines: pieces with a character that is not white space.
    pieces: usize,
    punctuated: usize,
    short: usize,
    fineweb_duplicate_chars: usize,
    gopher_lines: usize,
    gopher_duplicates: usize,
    gopher_duplicate_chars: usize,
}

fn scan_line_breaks(
    t: &Tables,
    text: &str,
    gopher_seen: &mut HashSet<u64, BuildIdentity>,
    fineweb_seen: &mut HashMap<u64, (usize, usize), BuildIdentity>,
) -> LineBreaks {
    let mut breaks = LineBreaks::default();
    gopher_seen.clear();
    fineweb_seen.clear();
    let last = memchr::memchr_iter(b'\n', text.as_bytes()).count();
    for (i, piece) in text.split('\n').enumerate() {
        let chars = char_count(piece);
        let hash = hash_bytes(piece.as_bytes());
        if !piece.is_empty() || i == 0 || i == last {
            breaks.gopher_lines += 1;
            if !gopher_seen.insert(hash) {
                breaks.gopher_duplicates += 1;
                breaks.gopher_duplicate_chars += chars;
            }
        }
        if t.strip(piece).is_empty() {
            continue;
        }
        breaks.pieces += 1;
        if piece.chars().next_back().is_some_and(|c| t.is_terminal(c)) {
            breaks.punctuated += 1;
        }
        if chars <= 30 {
            breaks.short += 1;
        }
        if fineweb_seen.insert(hash, (0, 0)).is_some() {
            breaks.fineweb_duplicate_chars += chars;
        }
    }
    breaks
}

#[derive(Debug, Default)]
struct Paragraphs {
    count: usize,
    duplicates: usize,
    duplicate_chars: usize,
}

/// Gopher's paragraphs: `re.split(r"\n{2,}", text.strip())`.
fn scan_paragraphs(t: &Tables, text: &str, seen: &mut HashSet<u64, BuildIdentity>) -> Paragraphs {
    let mut paragraphs = Paragraphs::default();
    seen.clear();
    let mut visit = |paragraph: &str| {
        paragraphs.count += 1;
        if !seen.insert(hash_bytes(paragraph.as_bytes())) {
            paragraphs.duplicates += 1;
            paragraphs.duplicate_chars += char_count(paragraph);
        }
    };
    let text = t.strip(text);
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'\n', &bytes[at..]) {
        let run_start = at + found;
        let mut run_end = run_start;
        while bytes.get(run_end) == Some(&b'\n') {
            run_end += 1;
        }
        if run_end - run_start >= 2 {
            visit(&text[start..run_start]);
            start = run_end;
        }
        at = run_end;
    }
    visit(&text[start..]);
    paragraphs
}

/// The hash of `words` joined with `separator` bytes between them (none when `None`),
/// from the words' polynomial hashes: the polynomial hash of the joined string.
fn joined_hash(words: &[Word], separator: Option<u8>) -> u64 {
    let mut hash = 0u64;
    for (i, word) in words.iter().enumerate() {
        if let (Some(sep), true) = (separator, i > 0) {
            hash = hash.wrapping_mul(BASE).wrapping_add(u64::from(sep) + 1);
        }
        hash = hash.wrapping_mul(word.power).wrapping_add(word.hash);
    }
    finish(hash)
}

/// Characters covered by the most common n-gram, as datatrove's `find_top_duplicate`
/// counts them: the length of the n-gram joined with spaces, times its count. Ties go to
/// the n-gram seen first (`Counter.most_common` keeps insertion order among equals).
fn top_ngram_chars(
    words: &[Word],
    n: usize,
    counts: &mut HashMap<u64, (usize, usize), BuildIdentity>,
) -> usize {
    counts.clear();
    counts.reserve(words.len());
    for (i, window) in words.windows(n).enumerate() {
        counts
            .entry(joined_hash(window, Some(b' ')))
            .or_insert((0, i))
            .0 += 1;
    }
    let Some(&(count, first)) = counts
        .values()
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
    else {
        return 0;
    };
    let window = &words[first..first + n];
    (window.iter().map(|w| w.chars).sum::<usize>() + n - 1) * count
}

/// Characters in repeated n-grams, as datatrove's `find_all_duplicate` counts them: scan
/// left to right over the n-grams joined without spaces; a repeat adds its characters and
/// jumps past itself, anything else is remembered and the scan moves one word on.
fn duplicate_ngram_chars(
    words: &[Word],
    n: usize,
    seen: &mut HashSet<u64, BuildIdentity>,
) -> usize {
    seen.clear();
    seen.reserve(words.len());
    let mut repeated = 0;
    let mut at = 0;
    while at + n <= words.len() {
        let window = &words[at..at + n];
        if seen.insert(joined_hash(window, None)) {
            at += 1;
        } else {
            repeated += window.iter().map(|w| w.chars).sum::<usize>();
            at += n;
        }
    }
    repeated
}

fn char_count(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(text: &str, signal: Signal) -> f64 {
        measure(text).get(signal)
    }

    fn close(actual: f64, expected: f64) {
        assert!(
            (actual - expected).abs() < 1e-9,
            "expected {expected}, got {actual}"
        );
    }

    #[test]
    fn words_are_spacy_tokens() {
        // spaCy: ['Hello', ',', 'world', '...', '(', 'it', "'s", ')', '#', 'tag']
        let signals = measure("Hello, world... (it's) #tag");
        close(signals.get(Signal::Tokens), 10.0);
        // Not punctuation: Hello world it 's tag.
        close(signals.get(Signal::Words), 5.0);
        close(signals.get(Signal::MeanWordLength), 17.0 / 5.0);
        // spaCy splits inside words where white space does not: e - tron.
        close(measure("e-tron").get(Signal::Tokens), 3.0);
    }

    #[test]
    fn words_mean_length_and_alphabetic_share() {
        let text = "The cat sat on 42 mats.";
        // Tokens: The cat sat on 42 mats . → 7 tokens, 6 words of 3+3+3+2+2+4 chars.
        close(get(text, Signal::Tokens), 7.0);
        close(get(text, Signal::Words), 6.0);
        close(get(text, Signal::MeanWordLength), 17.0 / 6.0);
        // Letters in The cat sat on mats: 5 of 7 tokens.
        close(get(text, Signal::AlphaWordFraction), 5.0 / 7.0);
    }

    #[test]
    fn stop_words_are_lower_case_and_counted_once_each() {
        // datatrove: len(set(STOP_WORDS) & set(words)): and, the, to.
        close(
            get("The cat and the dog to the end", Signal::StopWords),
            3.0,
        );
        close(get("THE AND OF", Signal::StopWords), 0.0);
    }

    #[test]
    fn hash_and_ellipsis_ratios_are_per_token() {
        // Tokens: # a # b → 4; two hashes.
        close(get("#a #b", Signal::HashRatio), 0.5);
        // `....` holds one `...`; `…` one more; tokens: wait .... and … → 4.
        close(get("wait.... and …", Signal::EllipsisRatio), 0.5);
    }

    #[test]
    fn bullet_and_ellipsis_lines_use_python_splitlines() {
        let text = "• one\n  - two\nthree...\nfour …  \r\nfive";
        close(get(text, Signal::BulletLineFraction), 2.0 / 5.0);
        close(get(text, Signal::EllipsisLineFraction), 2.0 / 5.0);
        // A final line break adds no empty line.
        close(get("- a\n", Signal::BulletLineFraction), 1.0);
    }

    #[test]
    fn duplicate_lines_and_their_characters() {
        // re.split("\n+") → ["ab", "cd", "ab", "ab", ""]: two repeats of 2 chars; len 13.
        let text = "ab\ncd\n\nab\nab\n";
        close(get(text, Signal::DupLineFraction), 2.0 / 5.0);
        close(get(text, Signal::DupLineCharFraction), 4.0 / 13.0);
    }

    #[test]
    fn duplicate_paragraphs_and_their_characters() {
        // Paragraphs of the stripped text: "a b", "c", "a b" → one repeat of 3 chars; len 14.
        let text = "a b\n\nc\n\n\na b\n ";
        close(get(text, Signal::DupParagraphFraction), 1.0 / 3.0);
        close(get(text, Signal::DupParagraphCharFraction), 3.0 / 14.0);
    }

    #[test]
    fn top_ngram_covers_its_length_times_its_count() {
        // Tokens: a b a b a b c → 2-grams ab ba ab ba ab bc: "a b" 3 times x 3 chars = 9;
        // len("a b a b a b c") = 13.
        let text = "a b a b a b c";
        close(get(text, Signal::Top2gramCharFraction), 9.0 / 13.0);
        // 3-grams aba bab aba bab abc: "a b a" (first of the tied) twice x 5 chars.
        close(get(text, Signal::Top3gramCharFraction), 10.0 / 13.0);
        // Fewer tokens than n: nothing.
        close(get("a b", Signal::Top3gramCharFraction), 0.0);
    }

    #[test]
    fn duplicate_ngrams_skip_past_each_repeat() {
        // Tokens: 1 2 3 4 5 1 2 3 4 5 1 2 3 4 5 (15). 5-grams: positions 0..4 new, position 5
        // repeats (+5 chars, jump to 10), position 10 repeats (+5): 10 of 29 chars.
        let text = "1 2 3 4 5 1 2 3 4 5 1 2 3 4 5";
        close(get(text, Signal::Dup5gramCharFraction), 10.0 / 29.0);
        // 6-grams: 0..=4 new ("1..6" windows), 5 = "1 2 3 4 5 1" repeats window 0: +6, jump
        // to 11, where fewer than 6 tokens remain.
        close(get(text, Signal::Dup6gramCharFraction), 6.0 / 29.0);
        close(
            get("no repeats at all here", Signal::Dup5gramCharFraction),
            0.0,
        );
    }

    #[test]
    fn fineweb_line_signals() {
        // Non-blank pieces of split("\n"): "Done.", "a line that goes on for more than
        // thirty chars", "Done." (the blank one is left out).
        let text = "Done.\na line that goes on for more than thirty chars\n \nDone.";
        close(get(text, Signal::LinePunctFraction), 2.0 / 3.0);
        close(get(text, Signal::ShortLineFraction), 2.0 / 3.0);
        // The second "Done." repeats: 5 chars of the 57 that are not line breaks.
        close(get(text, Signal::DupLineCharShare), 5.0 / 57.0);
        // datatrove's TERMINAL_PUNCTUATION has `。` and not `"`.
        close(
            get("終わり。\nHe said \"no\"", Signal::LinePunctFraction),
            0.5,
        );
        // 3 line breaks over 14 tokens (12 words and two full stops).
        close(get(text, Signal::NewlineRatio), 3.0 / 14.0);
    }

    #[test]
    fn c4_counts_sentences_in_the_lines_it_keeps() {
        let text = concat!(
            "Menu\n",                                   // no terminal punctuation
            "Two words.\n",                             // fewer than three words
            "This line is kept. So is this one.\n",     // two sentences
            "Please enable JavaScript to view this.\n", // javascript
            "We use cookies to improve the site.\n",    // policy
            "A cited claim ends here.[1]\n",            // kept after removing [1]
            "It trails off...\n",                       // ellipsis
        );
        let signals = measure(text);
        close(signals.get(Signal::C4Sentences), 3.0);
        close(signals.get(Signal::JavascriptLines), 1.0);
        close(signals.get(Signal::PolicyLines), 1.0);
        close(signals.get(Signal::C4LoremIpsum), 0.0);
        close(signals.get(Signal::C4CurlyBracket), 0.0);
    }

    #[test]
    fn c4_sentences_are_the_sentencizer_s() {
        // `…` is no end mark; `Mr.` is one token (a tokenizer exception), not `Mr` `.`.
        let text = "It was late… we left. Then we slept.\nMr. Smith came home late.\n";
        close(get(text, Signal::C4Sentences), 3.0);
    }

    #[test]
    fn c4_lorem_ipsum_and_braces_count_only_in_kept_lines() {
        close(
            get("Lorem ipsum dolor sit amet.\n", Signal::C4LoremIpsum),
            1.0,
        );
        // No terminal punctuation: C4 drops the line before looking for the phrase.
        close(
            get("Lorem ipsum dolor sit amet\n", Signal::C4LoremIpsum),
            0.0,
        );
        close(get("var x = {a: 1} is code.", Signal::C4CurlyBracket), 1.0);
        close(get("function f() {", Signal::C4CurlyBracket), 0.0);
    }

    #[test]
    fn case_and_script_shares() {
        // Letters: A B c d → 2 of 4 upper-case.
        close(get("AB cd", Signal::UppercaseFraction), 0.5);
        // "héllo" has one non-ASCII character of five.
        close(get("héllo", Signal::NonAsciiFraction), 0.2);
    }

    #[test]
    fn an_empty_text_measures_zero_everywhere_without_panicking() {
        let empty = measure("");
        close(empty.get(Signal::Words), 0.0);
        close(empty.get(Signal::MeanWordLength), 0.0);
        close(empty.get(Signal::Top2gramCharFraction), 0.0);
        for text in ["", "\n\n\r\n \u{2028}…#{", "...", "\u{85}x"] {
            for (signal, value) in measure(text).iter() {
                assert!(
                    value.is_finite() && value >= 0.0,
                    "{signal} of {text:?}: {value}"
                );
            }
        }
    }
}
