//! The signals as pure functions of a text, each defined the way datatrove's implementation
//! of the published filter measures it (`gopher_quality_filter.py`,
//! `gopher_repetition_filter.py`, `c4_filters.py`, `fineweb_quality_filter.py`), so the same
//! thresholds give the same decisions.
//!
//! Cost: one pass over the characters for character counts, one over the white-space
//! separated chunks for tokens, one over the lines in each of the three ways the references
//! split lines, one over paragraphs, and one hash-table pass over the token sequence per
//! n-gram size. N-grams are never built as strings: a token is a 64-bit hash and its length,
//! an n-gram the hash of its tokens' hashes.
//!
//! Where we depart from the reference:
//! - **Tokens.** datatrove uses NLTK's `word_tokenize`. We approximate it without a model:
//!   white-space separated chunks, with punctuation peeled off both ends as tokens of their
//!   own (one token per character, except that a run of `.` or `-` is one token, as NLTK
//!   keeps `...` and `--`). Unlike NLTK we do not split contractions (`don't` is one token)
//!   and we peel the final `.` off abbreviations (`U.S.` → `U.S` `.`); NLTK also rewrites
//!   `"` as two-character quotes. Word counts and ratios therefore differ by a few percent on
//!   punctuation-heavy text; thresholds near the boundary can flip.
//! - **Punctuation** is datatrove's `PUNCTUATION_SET` (ASCII punctuation, a list of CJK and
//!   typographic marks, and control characters).
//! - **N-gram identity** is a 64-bit hash of the token sequence; datatrove compares strings.
//!   datatrove joins the tokens of a duplicate n-gram *without* spaces, so `ab c` and `a bc`
//!   count as the same n-gram there and not here.
//! - **C4 sentences** are counted without a model: a sentence ends at a run of `.` `!` `?`
//!   `…` (closing quotes and brackets may follow) that is followed by white space or the end
//!   of the line, once the sentence holds a letter or digit. NLTK's punkt model knows
//!   abbreviations: `Mr. Smith arrived.` is two sentences here, one in punkt. (UAX #29
//!   makes the same split and cost a fifth of all the signal time.)
//! - **White space** (for stripping) is Unicode `White_Space`; Python also counts the
//!   information separators U+001C–U+001F.
//! - **Letters** are Unicode `Alphabetic` (Rust's `is_alphabetic`); Python's `isalpha` is
//!   the `L*` categories, so a few combining vowel signs count here and not there. This
//!   moves `uppercase_fraction` slightly on Indic and similar scripts.
//! - Ratios over an empty denominator are 0, where the reference would divide by zero
//!   (it never gets there: the word-count rules fail first).

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

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

/// Measures every signal of `text`.
#[must_use]
pub fn measure(text: &str) -> Signals {
    let mut signals = Signals::new();
    let chars = scan_chars(text);
    let tokens = tokenize(text);
    let n_tokens = tokens.tokens.len();
    let ratio = |part: usize, whole: usize| {
        if whole == 0 {
            0.0
        } else {
            part as f64 / whole as f64
        }
    };

    // Gopher quality (datatrove GopherQualityFilter).
    signals.set(Signal::Tokens, n_tokens as f64);
    signals.set(Signal::Words, tokens.words as f64);
    signals.set(
        Signal::MeanWordLength,
        ratio(tokens.word_chars, tokens.words),
    );
    signals.set(Signal::HashRatio, ratio(chars.hashes, n_tokens));
    signals.set(Signal::EllipsisRatio, ratio(chars.ellipses, n_tokens));
    signals.set(
        Signal::AlphaWordFraction,
        ratio(tokens.alphabetic, n_tokens),
    );
    signals.set(Signal::StopWords, tokens.stop_words as f64);
    let lines = scan_python_lines(text);
    signals.set(
        Signal::BulletLineFraction,
        ratio(lines.bullets, lines.count),
    );
    signals.set(
        Signal::EllipsisLineFraction,
        ratio(lines.ellipses, lines.count),
    );

    // Gopher repetition (datatrove GopherRepetitionFilter); fractions of len(text).
    let breaks = scan_line_breaks(text);
    signals.set(
        Signal::DupLineFraction,
        ratio(breaks.gopher_duplicates, breaks.gopher_lines),
    );
    signals.set(
        Signal::DupLineCharFraction,
        ratio(breaks.gopher_duplicate_chars, chars.total),
    );
    let paragraphs = scan_paragraphs(text);
    signals.set(
        Signal::DupParagraphFraction,
        ratio(paragraphs.duplicates, paragraphs.count),
    );
    signals.set(
        Signal::DupParagraphCharFraction,
        ratio(paragraphs.duplicate_chars, chars.total),
    );
    let mut counts = NgramCounts::default();
    for (n, signal) in [
        (2, Signal::Top2gramCharFraction),
        (3, Signal::Top3gramCharFraction),
        (4, Signal::Top4gramCharFraction),
    ] {
        let covered = counts.top_ngram_chars(&tokens.tokens, n);
        signals.set(signal, ratio(covered, chars.total));
    }
    let mut seen = NgramSet::default();
    for (n, signal) in [
        (5, Signal::Dup5gramCharFraction),
        (6, Signal::Dup6gramCharFraction),
        (7, Signal::Dup7gramCharFraction),
        (8, Signal::Dup8gramCharFraction),
        (9, Signal::Dup9gramCharFraction),
        (10, Signal::Dup10gramCharFraction),
    ] {
        let repeated = duplicate_ngram_chars(&tokens.tokens, n, &mut seen);
        signals.set(signal, ratio(repeated, chars.total));
    }

    // FineWeb (datatrove FineWebQualityFilter).
    signals.set(
        Signal::LinePunctFraction,
        ratio(breaks.punctuated, breaks.pieces),
    );
    signals.set(
        Signal::ShortLineFraction,
        ratio(breaks.short, breaks.pieces),
    );
    signals.set(
        Signal::DupLineCharShare,
        ratio(breaks.fineweb_duplicate_chars, chars.total - chars.newlines),
    );
    signals.set(Signal::NewlineRatio, ratio(chars.newlines, n_tokens));

    // C4 (datatrove C4QualityFilter) and the line mentions.
    signals.set(Signal::C4Sentences, lines.c4_sentences as f64);
    signals.set(
        Signal::C4LoremIpsum,
        f64::from(u8::from(lines.c4_lorem_ipsum)),
    );
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

/// datatrove's `PUNCTUATION_SET`: ASCII punctuation, typographic and CJK marks, and the
/// control characters other than tab and line feed.
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            c,
            '—' | '”'
                | '％'
                | '１'
                | '〈'
                | '、'
                | '━'
                | '【'
                | '「'
                | '」'
                | '，'
                | '】'
                | '；'
                | '“'
                | '《'
                | '„'
                | '’'
                | '∶'
                | '´'
                | '．'
                | '（'
                | '–'
                | '？'
                | '！'
                | '：'
                | '～'
                | '«'
                | '〉'
                | '》'
                | '）'
                | '。'
                | '…'
                | '►'
                | '»'
                | '\u{0}'..='\u{8}'
                | '\u{b}'..='\u{1f}'
                | '\u{7f}'..='\u{9f}'
        )
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
    let mut dots = 0;
    for c in text.chars() {
        counts.total += 1;
        if c == '.' {
            dots += 1;
            continue;
        }
        counts.ellipses += dots / 3;
        dots = 0;
        match c {
            '\n' => counts.newlines += 1,
            '#' => counts.hashes += 1,
            '…' => counts.ellipses += 1,
            _ => {}
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
    counts.ellipses += dots / 3;
    counts
}

/// A token as the n-gram signals need it: a hash of its text and its length in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Token {
    hash: u64,
    chars: usize,
}

#[derive(Debug, Default)]
struct Tokens {
    tokens: Vec<Token>,
    /// Tokens with a character outside the punctuation set.
    words: usize,
    /// Their total length in characters.
    word_chars: usize,
    /// Tokens containing a letter.
    alphabetic: usize,
    stop_words: usize,
}

impl Tokens {
    fn push_symbol(&mut self, token: &str) {
        self.tokens.push(Token {
            hash: hash_bytes(token.as_bytes()),
            chars: token.chars().count(),
        });
    }

    fn push_word(&mut self, token: &str) {
        let chars = token.chars().count();
        self.tokens.push(Token {
            hash: hash_bytes(token.as_bytes()),
            chars,
        });
        self.words += 1;
        self.word_chars += chars;
        if token.chars().any(char::is_alphabetic) {
            self.alphabetic += 1;
        }
        if token.len() <= 4 && STOP_WORDS.contains(&token) {
            self.stop_words += 1;
        }
    }
}

/// Splits `text` into tokens the way NLTK's `word_tokenize` roughly does (see the module
/// doc): white-space chunks, punctuation peeled off both ends.
fn tokenize(text: &str) -> Tokens {
    let mut tokens = Tokens::default();
    for chunk in text.split_whitespace() {
        let mut rest = chunk;
        while let Some(c) = rest.chars().next().filter(|&c| is_punctuation(c)) {
            let run = symbol_run(rest, c);
            tokens.push_symbol(&rest[..run]);
            rest = &rest[run..];
        }
        if rest.is_empty() {
            continue;
        }
        let core_end = rest.trim_end_matches(is_punctuation).len();
        let (core, mut tail) = rest.split_at(core_end);
        tokens.push_word(core);
        while let Some(c) = tail.chars().next() {
            let run = symbol_run(tail, c);
            tokens.push_symbol(&tail[..run]);
            tail = &tail[run..];
        }
    }
    tokens
}

/// Length in bytes of the punctuation token starting `s` (which starts with `c`): a run of
/// `.` or `-` is one token, any other mark stands alone.
fn symbol_run(s: &str, c: char) -> usize {
    if c == '.' || c == '-' {
        s.len() - s.trim_start_matches(c).len()
    } else {
        c.len_utf8()
    }
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

const LOREM: usize = 0;
const JAVASCRIPT: usize = 1;

fn scan_python_lines(text: &str) -> PythonLines {
    let mut lines = PythonLines::default();
    for_each_python_line(text, |line| {
        lines.count += 1;
        let start = line.trim_start();
        // Gopher's bullets are the two datatrove checks for: `•` and `-`.
        if start.starts_with('•') || start.starts_with('-') {
            lines.bullets += 1;
        }
        let end = line.trim_end();
        if end.ends_with("...") || end.ends_with('…') {
            lines.ellipses += 1;
        }
        let mut lorem = false;
        let mut javascript = false;
        let mut policy = false;
        for found in c4_phrases().find_iter(line) {
            match found.pattern().as_usize() {
                LOREM => lorem = true,
                JAVASCRIPT => javascript = true,
                _ => policy = true,
            }
        }
        lines.javascript += usize::from(javascript);
        lines.policy += usize::from(policy);
        c4_line(line.trim(), lorem, javascript, policy, &mut lines);
    });
    lines
}

/// One line through datatrove's `C4QualityFilter`, in its order of checks: a word over
/// 1000 characters, terminal punctuation (after removing citation marks), fewer than three
/// words, then `lorem ipsum` (drops the document), `javascript`, `{` (drops the document),
/// policy phrases; a line that survives adds its sentences.
fn c4_line(line: &str, lorem: bool, javascript: bool, policy: bool, lines: &mut PythonLines) {
    let mut words = 0;
    for word in line.split_whitespace() {
        if word.len() > 1000 && word.chars().count() > 1000 {
            return;
        }
        words += 1;
    }
    let cited = strip_trailing_citations(line);
    if !cited.ends_with(['.', '?', '!', '"', '\'']) || cited.ends_with("...") {
        return;
    }
    if words < 3 {
        return;
    }
    if lorem {
        lines.c4_lorem_ipsum = true;
        return;
    }
    if javascript {
        return;
    }
    if line.contains('{') {
        lines.c4_curly_bracket = true;
        return;
    }
    if policy {
        return;
    }
    // datatrove counts the sentences of the line without its citation marks.
    lines.c4_sentences += count_sentences(cited);
}

/// Sentences in a line: runs of terminal punctuation (then any closing quotes or brackets)
/// followed by white space or the end, each closing a stretch that holds a letter or digit.
fn count_sentences(line: &str) -> usize {
    let mut sentences = 0;
    let mut content = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            content = true;
            continue;
        }
        if !matches!(c, '.' | '!' | '?' | '…') {
            continue;
        }
        while chars
            .next_if(|c| matches!(c, '.' | '!' | '?' | '…'))
            .is_some()
        {}
        while chars
            .next_if(|c| matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '»'))
            .is_some()
        {}
        if content && chars.peek().is_none_or(|c| c.is_whitespace()) {
            sentences += 1;
            content = false;
        }
    }
    // A last stretch without an end mark is a sentence too (C4 lines always have one).
    sentences + usize::from(content)
}

/// `line` without the citation marks C4 removes from its end: `[12]`, `[]`, `[edit]`,
/// `[citation needed]`. Only the end matters for the punctuation check.
fn strip_trailing_citations(mut line: &str) -> &str {
    while line.ends_with(']') {
        let Some(open) = line.rfind('[') else { break };
        let inner = &line[open + 1..line.len() - 1];
        if inner.bytes().all(|b| b.is_ascii_digit())
            || inner == "edit"
            || inner == "citation needed"
        {
            line = &line[..open];
        } else {
            break;
        }
    }
    line
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

/// What the pieces of `text.split("\n")` give: FineWeb's line signals, and Gopher's
/// repeated lines (`re.split("\n+", text)`: the non-empty pieces, plus an empty first or
/// last piece).
#[derive(Debug, Default)]
struct LineBreaks {
    pieces: usize,
    punctuated: usize,
    short: usize,
    fineweb_duplicate_chars: usize,
    gopher_lines: usize,
    gopher_duplicates: usize,
    gopher_duplicate_chars: usize,
}

fn scan_line_breaks(text: &str) -> LineBreaks {
    let mut breaks = LineBreaks::default();
    let mut gopher_seen = HashSet::<u64, BuildIdentity>::default();
    let mut fineweb_seen = HashSet::<u64, BuildIdentity>::default();
    let last = memchr::memchr_iter(b'\n', text.as_bytes()).count();
    for (i, piece) in text.split('\n').enumerate() {
        breaks.pieces += 1;
        if piece.ends_with(['.', '\'', '"', '!', '?']) {
            breaks.punctuated += 1;
        }
        let chars = char_count(piece);
        if chars <= 30 {
            breaks.short += 1;
        }
        let hash = hash_bytes(piece.as_bytes());
        if !piece.is_empty() || i == 0 || i == last {
            breaks.gopher_lines += 1;
            if !gopher_seen.insert(hash) {
                breaks.gopher_duplicates += 1;
                breaks.gopher_duplicate_chars += chars;
            }
        }
        if !piece.trim().is_empty() && !fineweb_seen.insert(hash) {
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
fn scan_paragraphs(text: &str) -> Paragraphs {
    let mut paragraphs = Paragraphs::default();
    let mut seen = HashSet::<u64, BuildIdentity>::default();
    let mut visit = |paragraph: &str| {
        paragraphs.count += 1;
        if !seen.insert(hash_bytes(paragraph.as_bytes())) {
            paragraphs.duplicates += 1;
            paragraphs.duplicate_chars += char_count(paragraph);
        }
    };
    let text = text.trim();
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

/// Counts n-grams to find the most common one, reusing its table across sizes.
#[derive(Default)]
struct NgramCounts {
    /// n-gram hash → (count, index of its first occurrence).
    counts: HashMap<u64, (usize, usize), BuildIdentity>,
}

impl NgramCounts {
    /// Characters covered by the most common n-gram, as datatrove's `find_top_duplicate`
    /// counts them: its length joined with spaces, times its count. Ties go to the n-gram
    /// seen first (Python's `Counter.most_common` is stable).
    fn top_ngram_chars(&mut self, tokens: &[Token], n: usize) -> usize {
        self.counts.clear();
        self.counts.reserve(tokens.len());
        for (i, window) in tokens.windows(n).enumerate() {
            self.counts.entry(ngram_hash(window)).or_insert((0, i)).0 += 1;
        }
        let Some(&(count, first)) = self
            .counts
            .values()
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
        else {
            return 0;
        };
        let window = &tokens[first..first + n];
        (window.iter().map(|t| t.chars).sum::<usize>() + n - 1) * count
    }
}

type NgramSet = HashSet<u64, BuildIdentity>;

/// Characters in repeated n-grams, as datatrove's `find_all_duplicate` counts them: scan
/// left to right; a repeat adds its characters (tokens joined without spaces) and jumps past
/// itself, anything else is remembered and the scan moves one token on.
fn duplicate_ngram_chars(tokens: &[Token], n: usize, seen: &mut NgramSet) -> usize {
    seen.clear();
    seen.reserve(tokens.len());
    let mut repeated = 0;
    let mut at = 0;
    while at + n <= tokens.len() {
        let window = &tokens[at..at + n];
        if seen.insert(ngram_hash(window)) {
            at += 1;
        } else {
            repeated += window.iter().map(|t| t.chars).sum::<usize>();
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

const MULTIPLIER: u64 = 0x517c_c1b7_2722_0a95;

/// A fast non-cryptographic hash of a token or line (FxHash's step, eight bytes at a time).
fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut hash = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().expect("chunks of eight bytes"));
        hash = (hash.rotate_left(5) ^ word).wrapping_mul(MULTIPLIER);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut word = [0u8; 8];
        word[..rest.len()].copy_from_slice(rest);
        hash = (hash.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(MULTIPLIER);
    }
    finish(hash)
}

/// The hash of a sequence of tokens, from their hashes.
fn ngram_hash(tokens: &[Token]) -> u64 {
    let mut hash = tokens.len() as u64;
    for token in tokens {
        hash = (hash.rotate_left(5) ^ token.hash).wrapping_mul(MULTIPLIER);
    }
    finish(hash)
}

/// MurmurHash3's finaliser: spreads every input bit over the output, so the hash can key a
/// table directly.
fn finish(mut hash: u64) -> u64 {
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    hash ^ (hash >> 33)
}

/// Keys are already well-mixed 64-bit hashes; hashing them again would only cost time.
#[derive(Default)]
struct Identity(u64);

impl Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(MULTIPLIER);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type BuildIdentity = BuildHasherDefault<Identity>;

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
    fn sentences_end_at_terminal_marks_before_space() {
        assert_eq!(count_sentences("One. Two! Three?"), 3);
        assert_eq!(count_sentences("He said \"go.\" Then left..."), 2);
        assert_eq!(count_sentences("It costs 3.5 dollars (about 3 euros)."), 1);
        assert_eq!(count_sentences("... !"), 0);
        assert_eq!(count_sentences("No end mark"), 1);
    }

    #[test]
    fn tokens_peel_punctuation_like_nltk() {
        // NLTK: ['Hello', ',', 'world', '...', '(', 'it', "'s", ')', '#', 'tag']; we keep
        // "it's" whole.
        let tokens = tokenize("Hello, world... (it's) #tag");
        assert_eq!(tokens.tokens.len(), 9);
        assert_eq!(tokens.words, 4);
        assert_eq!(tokens.word_chars, 5 + 5 + 4 + 3);
        assert_eq!(tokens.alphabetic, 4);
        let tokens = tokenize("-- ?! 3.5 U.S.");
        // `--`, `?`, `!`, `3.5`, `U.S`, `.`
        assert_eq!(tokens.tokens.len(), 6);
        assert_eq!(tokens.words, 2);
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
    fn stop_words_are_lower_case_and_counted_with_repeats() {
        close(
            get("The cat and the dog to the end", Signal::StopWords),
            4.0,
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
        // split("\n") → ["Done.", "a line that goes on for more than thirty chars", "", "Done."]
        let text = "Done.\na line that goes on for more than thirty chars\n\nDone.";
        close(get(text, Signal::LinePunctFraction), 2.0 / 4.0);
        close(get(text, Signal::ShortLineFraction), 3.0 / 4.0);
        // The second "Done." repeats: 5 chars of the 56 that are not line breaks.
        close(get(text, Signal::DupLineCharShare), 5.0 / 56.0);
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
