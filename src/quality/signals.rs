//! The signals as pure functions of a text, each measured the way datatrove 0.10's filter
//! measures it, so the same thresholds give the same decisions. Beside each signal below is
//! the datatrove code it mirrors (`gopher_quality_filter.py`, `gopher_repetition_filter.py`,
//! `c4_filters.py`, `fineweb_quality_filter.py` under `datatrove/pipeline/filters/`).
//!
//! Words are datatrove's `split_into_words(text, language)` for the [`Lexicon`]'s language:
//! spaCy's blank tokenizer of the language (ported in `spacy.rs`; English by default)
//! without its white-space tokens, or IndicNLP's (`indic.rs`), jieba's (`chinese.rs`) or
//! newmm's (`thai.rs`) words, with the language's stop words. The text is tokenized once and
//! every token-based signal shares the tokens; n-grams joined with spaces are identified by
//! their words' hashes, and those joined without spaces by a hash of the words copied one
//! after another, never built as strings one by one. Lines are split
//! the three ways the filters split them (`str.splitlines()`, `re.split("\n+")`,
//! `str.split("\n")`), with Python's `str.isspace` for stripping and `str.isalpha` for
//! letters (tables generated from Python's Unicode database).
//!
//! Where we depart from the reference:
//! - **Line and paragraph identity** is a 64-bit hash (FxHash's step with MurmurHash3's
//!   finaliser); datatrove compares strings. A collision (about one in 2^64 per pair of
//!   natural lines, but not proof against strings crafted to collide) would count two
//!   different lines as one.
//!
//! N-grams are not so exposed: equal hashes only make candidates, and two n-grams count as
//! one only when their words compare equal (the test `colliding_hashes_count_no_repeat`
//! makes every hash collide).
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

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use regex::Regex;

use super::hash::{fx, hash_bytes, Repeats, Table};
use super::spacy::{
    self, Tables, Token, TokenScratch, Vocab, DIGITS, IS_ALPHA, IS_SYMBOL, LETTERS,
};
use super::{chinese, indic, thai};
use super::{Signal, Signals};

/// C4's policy phrases (datatrove `POLICY_SUBSTRINGS`, from TFDS `c4_utils.py`).
const POLICY_PHRASES: [&str; 6] = [
    "terms of use",
    "privacy policy",
    "cookie policy",
    "uses cookies",
    "use of cookies",
    "use cookies",
];

/// What the word signals of a language depend on: its tokenizer and its stop words.
pub struct Lexicon {
    /// The spaCy tables: the words, unless `split` says otherwise, and the lines.
    tables: &'static Tables,
    split: Split,
    /// The tables' language (`en`, `xx`): each thread keeps a tokenizer scratch per language.
    code: &'static str,
    stop_words: StopWords,
    /// Tells lexicons apart (the word keys a thread keeps are worked out for one).
    id: usize,
}

/// The next [`Lexicon::id`].
fn next_id() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// How a lexicon's words are split.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Split {
    /// By the spaCy tokenizer of `Lexicon::tables`.
    Spacy,
    /// By IndicNLP's trivial tokenizer (its Urdu path or the Indic one).
    Indic { urdu: bool },
    /// By jieba, as spaCy's Chinese tokenizer runs it.
    Chinese,
    /// By pythainlp's newmm.
    Thai,
}

/// The words Gopher's stop-word check counts.
enum StopWords {
    /// Gopher's own (`the`, `be`, `to`, `of`, `and`, `that`, `have`, `with`).
    Gopher,
    /// A language's list (FineWeb-2's configs hold up to 63), each word's bit.
    List(HashMap<String, u64>),
}

impl StopWords {
    /// A language's list: each of its first 64 words gets a bit.
    fn list(words: &[String]) -> Self {
        Self::List(
            words
                .iter()
                .take(64)
                .enumerate()
                .map(|(i, word)| (word.clone(), 1u64 << i))
                .collect(),
        )
    }
}

impl Lexicon {
    /// datatrove's English: spaCy's blank English tokenizer and Gopher's stop words.
    #[must_use]
    pub fn english() -> &'static Self {
        static ENGLISH: OnceLock<Lexicon> = OnceLock::new();
        ENGLISH.get_or_init(|| Self {
            tables: spacy::tables(),
            split: Split::Spacy,
            code: "en",
            stop_words: StopWords::Gopher,
            id: next_id(),
        })
    }

    /// The ported spaCy tokenizer of `spacy_code` (`de`, `xx`) with these stop words (at
    /// most 64); `None` when that tokenizer is not ported.
    #[must_use]
    pub fn spacy(spacy_code: &str, stop_words: &[String]) -> Option<Self> {
        let (code, tables) = spacy::languages()
            .find(|&code| code == spacy_code)
            .and_then(|code| Some((code, spacy::tables_for(code)?)))?;
        Some(Self {
            tables,
            split: Split::Spacy,
            code,
            stop_words: StopWords::list(stop_words),
            id: next_id(),
        })
    }

    /// IndicNLP's trivial tokenizer for `code` (`hi`, `ur`, …: only `ur` differs) with these
    /// stop words.
    #[must_use]
    pub fn indic(code: &str, stop_words: &[String]) -> Self {
        Self::other(Split::Indic { urdu: code == "ur" }, stop_words)
    }

    /// Thai words as pythainlp's newmm cuts them, with these stop words.
    #[must_use]
    pub fn thai(stop_words: &[String]) -> Self {
        Self::other(Split::Thai, stop_words)
    }

    /// Chinese words as spaCy's Chinese tokenizer cuts them with jieba, with these stop
    /// words.
    #[must_use]
    pub fn chinese(stop_words: &[String]) -> Self {
        Self::other(Split::Chinese, stop_words)
    }

    fn other(split: Split, stop_words: &[String]) -> Self {
        Self {
            // Lines are split as spaCy's multilingual tokenizer sees them.
            tables: spacy::tables_for("xx").expect("the multilingual tables are generated"),
            split,
            code: "xx",
            stop_words: StopWords::list(stop_words),
            id: next_id(),
        }
    }

    /// Calls `word` with each word of `text` as datatrove's `word_tokenize` gives them for
    /// this language: stripped, the blank ones left out.
    pub fn for_each_word(&self, text: &str, mut word: impl FnMut(&str)) {
        let t = self.tables;
        let mut stripped = |w: &str| {
            let w = t.strip(w);
            if !w.is_empty() {
                word(w);
            }
        };
        SCRATCH.with(|scratch| {
            let scratch = &mut *scratch.borrow_mut();
            scratch.switch_to(self);
            match self.split {
                Split::Spacy => {
                    scratch.tokenizer.start_text();
                    t.tokenize(text, &mut scratch.tokenizer, &mut scratch.tokens);
                    for token in scratch.tokens.iter().filter(|token| !token.space) {
                        stripped(&text[token.start..token.end]);
                    }
                }
                Split::Indic { urdu } => {
                    indic::for_each_word(text, urdu, &mut scratch.indic, &mut stripped);
                }
                Split::Chinese => chinese::for_each_word(text, &mut stripped),
                Split::Thai => thai::for_each_word(text, &mut stripped),
            }
        });
    }

    /// The stop-word bit of `word`, or 0.
    fn stop_bit(&self, word: &str) -> u64 {
        match &self.stop_words {
            StopWords::Gopher => gopher_stop_word(word).map_or(0, |i| 1 << i),
            StopWords::List(words) => words.get(word).copied().unwrap_or(0),
        }
    }
}

/// Buffers reused across documents on one thread.
#[derive(Default)]
struct Scratch {
    /// The language whose tokenizer `tokenizer` and `keys` hold, and the other languages'
    /// tokenizers seen on this thread (a vocabulary belongs to one language's tables).
    code: &'static str,
    others: Vec<(&'static str, TokenScratch)>,
    /// The stop words `keys` were worked out with.
    keys_for: usize,
    tokenizer: TokenScratch,
    indic: indic::Scratch,
    tokens: Vec<Token>,
    line_tokens: Vec<Token>,
    words: Words,
    keys: WordKeys,
    /// The text, ASCII letters lower-cased, and `(start, pattern)` of the C4 phrases in it.
    lowered: Vec<u8>,
    phrases: Vec<(usize, usize)>,
    seen: Table,
    counts: Table,
    ngrams: Ngrams,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Measures every signal of `text`, with datatrove's English words.
#[must_use]
pub fn measure(text: &str) -> Signals {
    measure_in(text, Lexicon::english())
}

/// Measures every signal of `text`, with the words of `lexicon`'s language.
#[must_use]
pub fn measure_in(text: &str, lexicon: &Lexicon) -> Signals {
    SCRATCH.with(|scratch| {
        let scratch = &mut *scratch.borrow_mut();
        scratch.switch_to(lexicon);
        measure_with(text, lexicon, scratch)
    })
}

impl Scratch {
    /// Readies the tokenizer scratch of `lexicon`'s language, and the word keys of its
    /// stop words.
    fn switch_to(&mut self, lexicon: &Lexicon) {
        if self.code.is_empty() {
            self.code = "en";
        }
        if self.code != lexicon.code {
            let wanted = match self
                .others
                .iter()
                .position(|(code, _)| *code == lexicon.code)
            {
                Some(at) => self.others.swap_remove(at).1,
                None => TokenScratch::default(),
            };
            let old = std::mem::replace(&mut self.tokenizer, wanted);
            self.others.push((self.code, old));
            self.code = lexicon.code;
            self.keys = WordKeys::default();
        }
        if self.keys_for != lexicon.id {
            self.keys = WordKeys::default();
            self.keys_for = lexicon.id;
        }
    }
}

/// Gopher's `n_words` alone ([`Signal::Tokens`]): spaCy's tokens that are not white
/// space, without measuring anything else. Every word signal pays at least this.
#[must_use]
pub fn count_tokens(text: &str) -> usize {
    SCRATCH.with(|scratch| {
        let scratch = &mut *scratch.borrow_mut();
        scratch.switch_to(Lexicon::english());
        scratch.tokenizer.start_text();
        spacy::tables().tokenize(text, &mut scratch.tokenizer, &mut scratch.tokens);
        scratch.tokens.iter().filter(|token| !token.space).count()
    })
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

fn measure_with(text: &str, lexicon: &Lexicon, scratch: &mut Scratch) -> Signals {
    let t = lexicon.tables;
    let mut signals = Signals::new();
    let chars = scan_chars(text);
    scratch.tokenizer.start_text();
    let set_aside = t.tokenize(text, &mut scratch.tokenizer, &mut scratch.tokens);
    scratch.keys.update(&scratch.tokenizer.vocab, lexicon);
    let words = match lexicon.split {
        Split::Spacy => scan_words(
            text,
            &scratch.tokens,
            &scratch.keys,
            lexicon,
            &mut scratch.words,
        ),
        Split::Indic { urdu } => scan_split_words(lexicon, &mut scratch.words, |word| {
            indic::for_each_word(text, urdu, &mut scratch.indic, word);
        }),
        Split::Chinese => scan_split_words(lexicon, &mut scratch.words, |word| {
            chinese::for_each_word(text, word);
        }),
        Split::Thai => scan_split_words(lexicon, &mut scratch.words, |word| {
            thai::for_each_word(text, word);
        }),
    };
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
    ascii_lowered(text, &mut scratch.lowered);
    find_phrases(&scratch.lowered, &mut scratch.phrases);
    let lines = scan_python_lines(
        t,
        text,
        &scratch.tokens,
        &scratch.phrases,
        // A stretch tokenizes on its own as inside the text unless the special-case
        // matcher set a match aside (see `Tables::tokenize`); then C4's lines are
        // tokenized one by one, as datatrove does.
        &mut LineTokenizer {
            scratch: &mut scratch.tokenizer,
            tokens: &mut scratch.line_tokens,
            alone: set_aside,
        },
    );
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
    let mut top = [0; 3];
    top_ngram_chars(&scratch.words, 2..=4, &mut scratch.ngrams, &mut top);
    for (signal, covered) in [
        Signal::Top2gramCharFraction,
        Signal::Top3gramCharFraction,
        Signal::Top4gramCharFraction,
    ]
    .into_iter()
    .zip(top)
    {
        signals.set(signal, ratio(covered, chars.total));
    }
    // `find_all_duplicate(words, n)`: the n-grams joined without spaces.
    let mut duplicate = [0; 6];
    duplicate_ngram_chars(&scratch.words, 5..=10, &mut scratch.ngrams, &mut duplicate);
    for (signal, repeated) in [
        Signal::Dup5gramCharFraction,
        Signal::Dup6gramCharFraction,
        Signal::Dup7gramCharFraction,
        Signal::Dup8gramCharFraction,
        Signal::Dup9gramCharFraction,
        Signal::Dup10gramCharFraction,
    ]
    .into_iter()
    .zip(duplicate)
    {
        signals.set(signal, ratio(repeated, chars.total));
    }

    // FineWebQualityFilter.filter: `lines = [l for l in text.split("\n") if l.strip() != ""]`.
    // `sum(1 for line in lines if line.endswith(self.stop_chars)) / len(lines)`
    signals.set(
        Signal::LinePunctFraction,
        ratio(breaks.punctuated, breaks.pieces),
    );
    // `len(lines)`: no line is FineWeb's "empty" document.
    signals.set(Signal::NonBlankLines, breaks.pieces as f64);
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

/// For each byte, what it adds to each count of [`scan_chars`], one count a byte lane:
/// characters (bytes that start one), line breaks, `#`, ASCII letters, ASCII upper-case
/// letters, characters outside ASCII.
const CHAR_LANES: [u64; 256] = {
    let mut table = [0u64; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        let lanes = [
            (byte as i8) >= -0x40,
            byte == b'\n',
            byte == b'#',
            byte.is_ascii_alphabetic(),
            byte.is_ascii_uppercase(),
            byte >= 0xc0,
        ];
        let mut lane = 0;
        while lane < lanes.len() {
            if lanes[lane] {
                table[b] |= 1 << (8 * lane);
            }
            lane += 1;
        }
        b += 1;
    }
    table
};

/// `(c.is_alphabetic(), c.is_uppercase())`, from a table for the Basic Multilingual Plane:
/// the standard library searches its tables for every letter outside ASCII, which cost
/// more than everything else in Georgian or Arabic text.
fn letter_case(c: char) -> (bool, bool) {
    static BMP: OnceLock<Vec<u8>> = OnceLock::new();
    let Ok(index) = u16::try_from(u32::from(c)) else {
        return (c.is_alphabetic(), c.is_uppercase());
    };
    let table = BMP.get_or_init(|| {
        (0..=u16::MAX)
            .map(|code| {
                char::from_u32(u32::from(code)).map_or(0, |c| {
                    u8::from(c.is_alphabetic()) | (u8::from(c.is_uppercase()) << 1)
                })
            })
            .collect()
    });
    let bits = table[usize::from(index)];
    (bits & 1 != 0, bits & 2 != 0)
}

fn scan_chars(text: &str) -> CharCounts {
    let bytes = text.as_bytes();
    let mut lanes = [0usize; 6];
    // A byte lane holds up to 255: a block at a time, then into the counts.
    for block in bytes.chunks(255) {
        let sum = block
            .iter()
            .fold(0u64, |sum, &b| sum + CHAR_LANES[usize::from(b)]);
        for (lane, count) in lanes.iter_mut().enumerate() {
            *count += ((sum >> (8 * lane)) & 0xff) as usize;
        }
    }
    let [total, newlines, hashes, letters, upper, non_ascii] = lanes;
    let mut counts = CharCounts {
        total,
        newlines,
        hashes,
        ellipses: 0,
        letters,
        upper,
        non_ascii,
    };
    // Runs of dots, found with memchr: they are rare in prose.
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'.', &bytes[at..]) {
        let start = at + found;
        let mut end = start;
        while bytes.get(end) == Some(&b'.') {
            end += 1;
        }
        counts.ellipses += (end - start) / 3;
        at = end;
    }
    // Characters outside ASCII one by one, skipping to each.
    let mut i = if counts.non_ascii == 0 {
        bytes.len()
    } else {
        0
    };
    while let Some(k) = bytes[i..].iter().position(|b| !b.is_ascii()) {
        let c = text[i + k..]
            .chars()
            .next()
            .expect("a character starts here");
        if c == '…' {
            counts.ellipses += 1;
        }
        let (letter, upper) = letter_case(c);
        if letter {
            counts.letters += 1;
            if upper {
                counts.upper += 1;
            }
        }
        i += k + c.len_utf8();
    }
    counts
}

/// A multiplier that mixes two word hashes into the key of their pair (odd).
const MIX: u64 = 0x100_0000_01b3;

/// The words as the n-gram signals need them: their identities, and the words joined
/// without spaces, so that any run of words has its characters in constant time and its
/// joined string as one slice.
#[derive(Debug, Default)]
struct Words {
    /// A hash of each word: n-grams joined with spaces are equal exactly when their words
    /// are (no word holds white space), so these identify them.
    hashes: Vec<u64>,
    /// `chars[i]`: the characters of the first `i` words.
    chars: Vec<usize>,
    /// The words joined without spaces, and `offsets[i]`, where word `i` starts in them
    /// (and where the last one ends).
    concat: Vec<u8>,
    offsets: Vec<usize>,
    /// Every word hash made alike, to test that equal hashes are only candidates.
    #[cfg(test)]
    colliding: bool,
}

impl Words {
    fn clear(&mut self) {
        self.hashes.clear();
        self.chars.clear();
        self.chars.push(0);
        self.concat.clear();
        self.offsets.clear();
        self.offsets.push(0);
    }

    fn len(&self) -> usize {
        self.hashes.len()
    }

    /// Adds the word `start..end` of the text, whose identity is `key`.
    fn push(&mut self, word: &[u8], key: &WordKey) {
        self.concat.extend_from_slice(word);
        self.offsets.push(self.concat.len());
        self.chars.push(self.chars[self.len()] + key.chars as usize);
        self.hashes.push(key.hash);
    }

    /// A hash of `bytes` (its high bits), or, when testing collisions, of their length
    /// only.
    fn hash(&self, bytes: &[u8]) -> u64 {
        #[cfg(test)]
        if self.colliding {
            return (bytes.len() as u64) << 32;
        }
        fx(bytes)
    }

    /// Whether words `a..a + n` are words `b..b + n`.
    fn same_words(&self, a: usize, b: usize, n: usize) -> bool {
        (0..n).all(|i| self.joined(a + i, 1) == self.joined(b + i, 1))
    }

    /// Words `at..at + n` joined without spaces.
    fn joined(&self, at: usize, n: usize) -> &[u8] {
        &self.concat[self.offsets[at]..self.offsets[at + n]]
    }

    /// Whether words `a..a + n` and words `b..b + n`, each joined without spaces, are the
    /// same string (their words may split it differently).
    fn same_joined(&self, a: usize, b: usize, n: usize) -> bool {
        self.joined(a, n) == self.joined(b, n)
    }

    /// The hash of words `at..at + n` joined without spaces.
    fn joined_hash(&self, at: usize, n: usize) -> u64 {
        self.hash(self.joined(at, n))
    }

    /// A hash of the first `JOINED_PREFIX` bytes of the words from `at` joined without
    /// spaces, if there are as many.
    fn prefix_hash(&self, at: usize) -> Option<u64> {
        let from = self.offsets[at];
        Some(self.hash(self.concat.get(from..from + JOINED_PREFIX)?))
    }

    /// The hash of words `at..at + n` joined with spaces (a candidate for equality only).
    fn spaced_hash(&self, at: usize, n: usize) -> u64 {
        // The word hashes are mixed already, and so is this combination of them.
        self.hashes[at + 1..at + n]
            .iter()
            .fold(self.hashes[at], |key, &h| key.wrapping_mul(MIX) ^ h)
    }

    /// Characters in words `at..at + n`.
    fn chars_in(&self, at: usize, n: usize) -> usize {
        self.chars[at + n] - self.chars[at]
    }

    /// How many n-grams the words hold; `None` when fewer than `n` words.
    fn windows(&self, n: usize) -> Option<usize> {
        self.len().checked_sub(n).map(|k| k + 1)
    }
}

/// What the word signals read of one distinct token, worked out once per lexeme.
#[derive(Debug, Clone, Copy)]
struct WordKey {
    /// The word's identity for the n-grams joined with spaces.
    hash: u64,
    chars: u32,
    /// `IS_ALPHA` and `IS_SYMBOL`.
    flags: u8,
    /// The bit of its stop word, or 0.
    stop: u64,
}

impl WordKey {
    fn new(word: &str, chars: u32, flags: u8, lexicon: &Lexicon) -> Self {
        Self {
            hash: hash_bytes(word.as_bytes()),
            chars,
            flags,
            stop: lexicon.stop_bit(word),
        }
    }
}

/// The [`WordKey`] of every lexeme of the tokenizer's vocabulary, filled in as they come.
#[derive(Default)]
struct WordKeys {
    keys: Vec<WordKey>,
    /// The vocabulary's generation the keys belong to.
    generation: u64,
}

impl WordKeys {
    /// Readies the keys of every lexeme of `vocab`.
    fn update(&mut self, vocab: &Vocab, lexicon: &Lexicon) {
        if self.generation != vocab.generation() {
            self.keys.clear();
            self.generation = vocab.generation();
        }
        for lex in self.keys.len()..vocab.len() {
            let lex = lex as u32;
            let lexeme = vocab.lexeme(lex);
            self.keys.push(WordKey::new(
                vocab.text(lex),
                lexeme.chars,
                lexeme.flags,
                lexicon,
            ));
        }
    }
}

#[derive(Debug, Default)]
struct WordCounts {
    non_symbol: usize,
    non_symbol_chars: usize,
    alphabetic: usize,
    /// Bit i set when stop word i occurs.
    stop_words: u64,
}

/// The index of `word` among Gopher's stop words (Rae et al. 2021, appendix A1.1; datatrove
/// `STOP_WORDS`: the, be, to, of, and, that, have, with), matched case-sensitively as
/// datatrove does.
fn gopher_stop_word(word: &str) -> Option<usize> {
    // Byte patterns: no call to compare strings, on a path every word takes.
    match *word.as_bytes() {
        [b't', b'h', b'e'] => Some(0),
        [b'b', b'e'] => Some(1),
        [b't', b'o'] => Some(2),
        [b'o', b'f'] => Some(3),
        [b'a', b'n', b'd'] => Some(4),
        [b't', b'h', b'a', b't'] => Some(5),
        [b'h', b'a', b'v', b'e'] => Some(6),
        [b'w', b'i', b't', b'h'] => Some(7),
        _ => None,
    }
}

/// The words (tokens that are not white space) and what Gopher counts over them.
fn scan_words(
    text: &str,
    tokens: &[Token],
    keys: &WordKeys,
    lexicon: &Lexicon,
    words: &mut Words,
) -> WordCounts {
    let mut counts = WordCounts::default();
    words.clear();
    for token in tokens.iter().filter(|token| !token.space) {
        let plain;
        let key = match token.lex {
            LETTERS | DIGITS => {
                let word = &text[token.start..token.end];
                let flags = if token.lex == LETTERS { IS_ALPHA } else { 0 };
                plain = WordKey::new(word, word.len() as u32, flags, lexicon);
                &plain
            }
            lex => &keys.keys[lex as usize],
        };
        if key.flags & IS_SYMBOL == 0 {
            counts.non_symbol += 1;
            counts.non_symbol_chars += key.chars as usize;
        }
        counts.alphabetic += usize::from(key.flags & IS_ALPHA != 0);
        counts.stop_words |= key.stop;
        words.push(&text.as_bytes()[token.start..token.end], key);
    }
    counts
}

/// The words another tokenizer than spaCy's gives (each to the callback `split` is
/// handed) and what Gopher counts over them, as [`scan_words`].
fn scan_split_words(
    lexicon: &Lexicon,
    words: &mut Words,
    split: impl FnOnce(&mut dyn FnMut(&str)),
) -> WordCounts {
    let t = lexicon.tables;
    let mut counts = WordCounts::default();
    words.clear();
    split(&mut |word: &str| {
        // datatrove's `strip_strings`.
        let word = t.strip(word);
        if word.is_empty() {
            return;
        }
        let alpha = word.chars().any(|c| t.is_alpha(c));
        let symbol = word.chars().all(|c| t.is_punctuation(c));
        let flags = if alpha { IS_ALPHA } else { 0 } | if symbol { IS_SYMBOL } else { 0 };
        let chars = u32::try_from(word.chars().count()).expect("a word is under 4 GB");
        let key = WordKey::new(word, chars, flags, lexicon);
        if !symbol {
            counts.non_symbol += 1;
            counts.non_symbol_chars += chars as usize;
        }
        counts.alphabetic += usize::from(alpha);
        counts.stop_words |= key.stop;
        words.push(word.as_bytes(), &key);
    });
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

/// The phrases C4 looks for in a lower-cased line (`lorem ipsum`, `javascript`, then the
/// policy phrases, numbered so), each with a searcher of its own (SIMD, keyed on its rarest
/// bytes).
fn c4_phrases() -> &'static [memchr::memmem::Finder<'static>] {
    static PHRASES: OnceLock<Vec<memchr::memmem::Finder<'static>>> = OnceLock::new();
    PHRASES.get_or_init(|| {
        ["lorem ipsum", "javascript"]
            .into_iter()
            .chain(POLICY_PHRASES)
            .map(memchr::memmem::Finder::new)
            .collect()
    })
}

/// Every C4 phrase in `lowered` (lower-cased), as `(start, pattern)` in order of start.
/// Each phrase is searched on its own, so phrases that overlap are all found, as each of
/// datatrove's `in` tests finds its own.
fn find_phrases(lowered: &[u8], out: &mut Vec<(usize, usize)>) {
    out.clear();
    for (pattern, finder) in c4_phrases().iter().enumerate() {
        out.extend(finder.find_iter(lowered).map(|at| (at, pattern)));
    }
    out.sort_unstable();
}

/// `text` with its ASCII letters lower-cased, into `out`: as C4's `line.lower()` for the
/// phrases, which are ASCII (the Kelvin sign, the one other character that lower-cases to
/// an ASCII letter, is looked for apart). The same length, so positions carry over.
fn ascii_lowered(text: &str, out: &mut Vec<u8>) {
    out.clear();
    out.extend(text.bytes().map(|b| b.to_ascii_lowercase()));
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

/// Which phrases a line holds.
#[derive(Debug, Default, Clone, Copy)]
struct Phrases {
    lorem: bool,
    javascript: bool,
    policy: bool,
}

impl Phrases {
    fn add(&mut self, pattern: usize) {
        match pattern {
            LOREM => self.lorem = true,
            JAVASCRIPT => self.javascript = true,
            _ => self.policy = true,
        }
    }
}

fn scan_python_lines(
    t: &Tables,
    text: &str,
    tokens: &[Token],
    phrases: &[(usize, usize)],
    tokenizer: &mut LineTokenizer<'_>,
) -> PythonLines {
    let mut lines = PythonLines::default();
    let mut next_phrase = 0;
    for_each_python_line(text, tokens, |end, words| {
        lines.count += 1;
        let mut found = Phrases::default();
        while let Some(&(at, pattern)) = phrases.get(next_phrase) {
            if at >= end {
                break;
            }
            found.add(pattern);
            next_phrase += 1;
        }
        lines.javascript += usize::from(found.javascript);
        lines.policy += usize::from(found.policy);
        // A blank line: no bullet, no ellipsis, and C4 drops it.
        let Some((first, last)) = words else {
            return;
        };
        // `line.strip()`: white space is what lies between tokens that are not.
        let stripped = &text[tokens[first].start..tokens[last].end];
        if stripped.starts_with('•') || stripped.starts_with('-') {
            lines.bullets += 1;
        }
        if stripped.ends_with("...") || stripped.ends_with('…') {
            lines.ellipses += 1;
        }
        let line = C4Line {
            text,
            line: stripped,
            tokens: &tokens[first..=last],
            phrases: found,
        };
        line.check(t, &mut lines, tokenizer);
    });
    lines
}

/// The tokenizer of C4's lines, and whether each line is tokenized and searched alone
/// (needed when the text's tokenization set a special case aside, and the tests'
/// reference) or read off the text's tokens and phrases.
struct LineTokenizer<'a> {
    scratch: &'a mut TokenScratch,
    tokens: &'a mut Vec<Token>,
    alone: bool,
}

/// One stripped line as C4 sees it, with its tokens (in `text`) and phrases.
struct C4Line<'a> {
    text: &'a str,
    line: &'a str,
    tokens: &'a [Token],
    phrases: Phrases,
}

impl C4Line<'_> {
    /// The line through datatrove's `C4QualityFilter.filter` loop. Its checks drop the line
    /// (or flag the document) in an order that does not change what is counted, so the
    /// cheap ones come first.
    fn check(&self, t: &Tables, lines: &mut PythonLines, tokenizer: &mut LineTokenizer<'_>) {
        // `line = CITATION_REGEX.sub("", line)`
        let cited = if self.line.contains('[') {
            citations().replace_all(self.line, "")
        } else {
            Cow::Borrowed(self.line)
        };
        // `not line.endswith(END_PUNCTUATION) or line.endswith(ELLIPSIS)`
        if !cited.ends_with(['.', '?', '!', '"', '\'']) || cited.ends_with("...") {
            return;
        }
        // `words = line.split()`, before the citations go: `len(words) < 3` and
        // `any(len(word) > self.max_word_length for word in words)` drop the line.
        match self.split_words() {
            Some(words) if words >= 3 => {}
            _ => return,
        }
        // `line_l = line.lower()`: the phrases are ASCII, and the only other character that
        // lower-cases into an ASCII letter is the Kelvin sign (to `k`, as in `cookie`).
        // (When retokenizing, the line is searched alone too, as the tests' reference.)
        let alone = tokenizer.alone;
        let phrases = if matches!(cited, Cow::Borrowed(_)) && !alone && !cited.contains('\u{212A}')
        {
            self.phrases
        } else {
            let lowered = cited.to_lowercase();
            let mut found = Phrases::default();
            for (pattern, finder) in c4_phrases().iter().enumerate() {
                if finder.find(lowered.as_bytes()).is_some() {
                    found.add(pattern);
                }
            }
            found
        };
        // `"lorem ipsum" in line_l` drops the document (with the other checks off, too).
        if phrases.lorem {
            lines.c4_lorem_ipsum = true;
        }
        // `"javascript" in line_l` drops the line.
        if phrases.javascript {
            return;
        }
        // `"{" in line` drops the document.
        if cited.contains('{') {
            lines.c4_curly_bracket = true;
        }
        // `any(p in line_l for p in POLICY_SUBSTRINGS)` drops the line.
        if phrases.policy {
            return;
        }
        // `len(split_into_sentences(line, self.language))`: the sentencizer's sentences.
        let LineTokenizer {
            scratch, tokens, ..
        } = tokenizer;
        lines.c4_sentences += if matches!(cited, Cow::Borrowed(_)) && !alone {
            scratch.vocab.sentences_in(self.tokens)
        } else {
            t.tokenize(&cited, scratch, tokens);
            scratch.vocab.sentences_in(tokens)
        };
    }

    /// Python's `len(line.split())` from the tokens: a word is a run of tokens that are not
    /// white space and touch. `None` when a word is over 1000 characters.
    fn split_words(&self) -> Option<usize> {
        let mut words = 0;
        let mut word: Option<(usize, usize)> = None;
        let long = |(start, end): (usize, usize)| {
            end - start > 1000 && self.text[start..end].chars().count() > 1000
        };
        for token in self.tokens {
            match word {
                Some((start, end)) if !token.space && end == token.start => {
                    word = Some((start, token.end));
                    continue;
                }
                Some(run) if long(run) => return None,
                _ => {}
            }
            word = (!token.space).then_some((token.start, token.end));
            words += usize::from(!token.space);
        }
        match word {
            Some(run) if long(run) => None,
            _ => Some(words),
        }
    }
}

/// Calls `f(end, words)` with each line of Python's `str.splitlines()` (split at `\n`,
/// `\r\n`, `\r`, `\v`, `\f`, U+001C–U+001E, U+0085, U+2028, U+2029; no empty last line):
/// `end` where it ends, and `words` the first and last of `tokens` in it that are not white
/// space, if any. Every line break is white space, so it lies between such tokens: only
/// those gaps are searched.
fn for_each_python_line(
    text: &str,
    tokens: &[Token],
    mut f: impl FnMut(usize, Option<(usize, usize)>),
) {
    let bytes = text.as_bytes();
    let mut words: Option<(usize, usize)> = None;
    let mut line_start = 0;
    let mut gap = |from: usize, to: usize, words: &mut Option<(usize, usize)>| {
        if to - from == 1 && bytes[from] == b' ' {
            return;
        }
        let mut i = from;
        while i < to {
            let separator = python_line_break(bytes, i);
            if separator == 0 {
                i += 1;
                continue;
            }
            f(i, words.take());
            i += separator;
            line_start = i;
        }
    };
    let mut gap_start = 0;
    for (k, token) in tokens.iter().enumerate() {
        if token.space {
            continue;
        }
        gap(gap_start, token.start, &mut words);
        words = Some(words.map_or((k, k), |(first, _)| (first, k)));
        gap_start = token.end;
    }
    gap(gap_start, bytes.len(), &mut words);
    if line_start < bytes.len() {
        f(bytes.len(), words);
    }
}

/// The length of the line break `str.splitlines()` sees at `bytes[i]`, or 0.
fn python_line_break(bytes: &[u8], i: usize) -> usize {
    match bytes[i] {
        b'\n' | 0x0b | 0x0c | 0x1c..=0x1e => 1,
        b'\r' if bytes.get(i + 1) == Some(&b'\n') => 2,
        b'\r' => 1,
        0xc2 if bytes.get(i + 1) == Some(&0x85) => 2,
        0xe2 if bytes.get(i + 1) == Some(&0x80)
            && matches!(bytes.get(i + 2), Some(0xa8 | 0xa9)) =>
        {
            3
        }
        _ => 0,
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
    gopher_seen: &mut Table,
    fineweb_seen: &mut Table,
) -> LineBreaks {
    let mut breaks = LineBreaks::default();
    let last = memchr::memchr_iter(b'\n', text.as_bytes()).count();
    gopher_seen.reset(last + 1);
    fineweb_seen.reset(last + 1);
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
        if !fineweb_seen.insert(hash) {
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
fn scan_paragraphs(t: &Tables, text: &str, seen: &mut Table) -> Paragraphs {
    let mut paragraphs = Paragraphs::default();
    let text = t.strip(text);
    let bytes = text.as_bytes();
    // At most one paragraph per two line breaks, plus one.
    seen.reset(memchr::memchr_iter(b'\n', bytes).count() / 2 + 1);
    let mut visit = |paragraph: &str| {
        paragraphs.count += 1;
        if !seen.insert(hash_bytes(paragraph.as_bytes())) {
            paragraphs.duplicates += 1;
            paragraphs.duplicate_chars += char_count(paragraph);
        }
    };
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

/// Buffers of the n-gram signals.
#[derive(Default)]
struct Ngrams {
    table: Table,
    repeats: Repeats,
    /// `(position, key)` of the n-grams to count for the current `n`.
    grams: Vec<(usize, u64)>,
    /// Those of them that may repeat.
    survivors: Vec<(usize, u64)>,
    /// Positions of n-grams: those whose joined prefix may repeat, those of short
    /// n-grams, and those to visit.
    prefixed: Vec<usize>,
    short: Vec<usize>,
    candidates: Vec<usize>,
}

impl Ngrams {
    /// Keeps in `survivors` the n-grams of `grams` whose hash may repeat.
    fn keep_repeats(&mut self) {
        self.repeats.reset(self.grams.len());
        for &(_, key) in &self.grams {
            self.repeats.add(key);
        }
        let repeats = &self.repeats;
        self.survivors.clear();
        self.survivors.extend(
            self.grams
                .iter()
                .filter(|&&(_, key)| repeats.may_repeat(key)),
        );
    }
}

/// Characters covered by the most common n-gram for each `n` of `ns`, into `out`, as
/// datatrove's `find_top_duplicate` counts them: the length of the n-gram joined with
/// spaces, times its count. Ties go to the n-gram seen first (`Counter.most_common` keeps
/// insertion order among equals).
///
/// Only n-grams whose hash may repeat (see [`Repeats`]) are counted in the table: if none
/// is there twice, every n-gram occurs once and the first is the answer. An n-gram equal
/// to another starts with an (n - 1)-gram equal to the other's, so only the positions whose
/// (n - 1)-gram may repeat are hashed for `n`: few, beyond the first `n`, in most texts.
fn top_ngram_chars(
    words: &Words,
    ns: std::ops::RangeInclusive<usize>,
    ngrams: &mut Ngrams,
    out: &mut [usize],
) {
    ngrams.survivors.clear();
    let first_n = *ns.start();
    for (n, covered) in ns.zip(out) {
        let Some(windows) = words.windows(n) else {
            *covered = 0;
            continue;
        };
        let Ngrams {
            grams, survivors, ..
        } = ngrams;
        grams.clear();
        if n == first_n {
            grams.extend((0..windows).map(|at| (at, words.spaced_hash(at, n))));
        } else {
            grams.extend(
                survivors
                    .iter()
                    .filter(|&&(at, _)| at < windows)
                    .map(|&(at, _)| (at, words.spaced_hash(at, n))),
            );
        }
        ngrams.keep_repeats();
        *covered = most_common_chars(words, n, &ngrams.survivors, &mut ngrams.table);
    }
}

/// `find_top_duplicate`'s characters for the n-grams at `grams`, those that may repeat.
///
/// The n-grams are counted by hash first, then the winner's n-grams are compared with its
/// first: if they are all equal, its count is a true count, and no n-gram can have a higher
/// one (or an equal one earlier), as its hash's count would be at least as high (and its
/// first as early). Otherwise (hashes crafted to collide) they are counted again, compared.
fn most_common_chars(words: &Words, n: usize, grams: &[(usize, u64)], table: &mut Table) -> usize {
    let mut best = (1, 0);
    let (count, first, key) = most_common(grams, table, |_, _| true);
    if count >= 2 {
        best = (count, first);
        // (The table keeps a hash of 0 as 1.)
        let collided = grams.iter().any(|&(at, k)| {
            at > first && k.max(1) == key.max(1) && !words.same_words(first, at, n)
        });
        if collided {
            let (count, first, _) = most_common(grams, table, |a, b| words.same_words(a, b, n));
            best = if count >= 2 { (count, first) } else { (1, 0) };
        }
    }
    let (count, first) = best;
    (words.chars_in(first, n) + n - 1) * count
}

/// `(count, first position, hash)` of the most common of `grams`, told apart by hash and
/// `same(first, at)`.
fn most_common(
    grams: &[(usize, u64)],
    counts: &mut Table,
    same: impl Fn(usize, usize) -> bool,
) -> (usize, usize, u64) {
    counts.reset(grams.len());
    // (count, first position, hash) of the most common so far; counts only grow, so the
    // last n-gram to reach the top count first (or to tie it from earlier) is the answer.
    let mut best = (0u32, 0u32, 0u64);
    for &(at, key) in grams {
        let (slot, _) = counts.entry_with(key, at, |first| same(first, at));
        slot.count += 1;
        if slot.count > best.0 || (slot.count == best.0 && slot.first < best.1) {
            best = (slot.count, slot.first, key);
        }
    }
    (best.0 as usize, best.1 as usize, best.2)
}

/// The bytes of the joined prefix that rules out most positions for every `n` at once.
const JOINED_PREFIX: usize = 16;

/// Characters in repeated n-grams for each `n` of `ns`, into `out`, as datatrove's
/// `find_all_duplicate` counts them: scan left to right over the n-grams joined without
/// spaces; a repeat adds its characters and jumps past itself, anything else is remembered
/// and the scan moves one word on.
///
/// An n-gram equal to no other is remembered to no effect, so the scan visits only the
/// candidates. Joined n-grams can be equal when their words split them differently
/// (`ab c`, `a bc`), so the (n - 1)-grams tell nothing; but two equal n-grams of at least
/// `JOINED_PREFIX` bytes start with equal prefixes of that length, and two of fewer bytes
/// are both that short. The candidates are the long n-grams whose prefix hash may repeat
/// and the short ones whose own hash may repeat among the short (see [`Repeats`]): the
/// first test serves every `n` at once.
fn duplicate_ngram_chars(
    words: &Words,
    ns: std::ops::RangeInclusive<usize>,
    ngrams: &mut Ngrams,
    out: &mut [usize],
) {
    out.fill(0);
    let Some(windows) = words.windows(*ns.start()) else {
        return;
    };
    // Positions whose prefix may repeat.
    ngrams.grams.clear();
    ngrams
        .grams
        .extend((0..windows).filter_map(|at| Some((at, words.prefix_hash(at)?))));
    ngrams.keep_repeats();
    let mut prefixed = std::mem::take(&mut ngrams.prefixed);
    prefixed.clear();
    prefixed.extend(ngrams.survivors.iter().map(|&(at, _)| at));
    // Positions whose n-gram is short, for the current `n`: fewer as `n` grows.
    let mut short = std::mem::take(&mut ngrams.short);
    short.clear();
    short.extend(0..windows);
    let mut candidates = std::mem::take(&mut ngrams.candidates);
    for (n, repeated) in ns.zip(out) {
        let Some(windows) = words.windows(n) else {
            continue;
        };
        let long = |at: usize| words.offsets[at + n] - words.offsets[at] >= JOINED_PREFIX;
        short.retain(|&at| at < windows && !long(at));
        ngrams.grams.clear();
        ngrams
            .grams
            .extend(short.iter().map(|&at| (at, words.joined_hash(at, n))));
        ngrams.keep_repeats();
        candidates.clear();
        merge_sorted(
            prefixed
                .iter()
                .copied()
                .filter(|&at| at < windows && long(at)),
            ngrams.survivors.iter().map(|&(at, _)| at),
            &mut candidates,
        );
        let table = &mut ngrams.table;
        table.reset(candidates.len());
        let mut next = 0;
        for &at in &candidates {
            if at < next {
                continue;
            }
            let new = table
                .entry_with(words.joined_hash(at, n), at, |first| {
                    words.same_joined(first, at, n)
                })
                .1;
            if !new {
                *repeated += words.chars_in(at, n);
                next = at + n;
            }
        }
    }
    ngrams.prefixed = prefixed;
    ngrams.short = short;
    ngrams.candidates = candidates;
}

/// The union of two increasing sequences with nothing in common, in order, into `out`.
fn merge_sorted(
    a: impl Iterator<Item = usize>,
    b: impl Iterator<Item = usize>,
    out: &mut Vec<usize>,
) {
    let mut b = b.peekable();
    for x in a {
        while let Some(y) = b.next_if(|&y| y < x) {
            out.push(y);
        }
        out.push(x);
    }
    out.extend(b);
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
    fn counting_tokens_alone_gives_the_tokens_signal() {
        for text in [
            "",
            "  ",
            "Don't stop\n\n— it's 5 p.m. at U.S. e-tron's ©2019 site!",
            "a  b\tc",
        ] {
            assert_eq!(
                count_tokens(text) as f64,
                get(text, Signal::Tokens),
                "{text:?}"
            );
        }
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
    fn phrases_that_overlap_are_each_found() {
        // datatrove tests each phrase with its own `in`: both are in this line.
        let signals = measure("See our JAVASCRIPTerms of use.\nWe use cookies.\n");
        close(signals.get(Signal::JavascriptLines), 1.0);
        close(signals.get(Signal::PolicyLines), 2.0);
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

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        /// C4's lines measured from the text's tokens and phrases give what tokenizing and
        /// searching each line alone gives.
        #[test]
        fn c4_lines_from_the_text_s_tokens_are_the_lines_own(pieces in proptest::collection::vec(
            proptest::sample::select(&[
                "The", "cat", "sat", "on", "it", "Mr.", "U.S.", "can't", "'Cause", "gonna",
                "e-tron", "5km", "...", "…", ".", "!", "?", "\"", "'", ",", "(", ")", "[1]",
                "[edit]", "[", "]", "{", "lorem ipsum", "Lorem Ipsum", "javascript", "JavaScript",
                "privacy policy", "use cookies", "coo\u{212A}ies", "https://x.org/a.b", "café",
                "日本。", " ", " ", "  ", "\t", "\u{a0}", "\n", "\r\n", "\r", "\u{b}",
                "\u{c}", "\u{1c}", "\u{85}", "\u{2028}", "\n\n",
            ][..]),
            0..60,
        )) {
            let text: String = pieces.concat();
            let t = spacy::tables();
            let mut scratch = Scratch::default();
            t.tokenize(&text, &mut scratch.tokenizer, &mut scratch.tokens);
            ascii_lowered(&text, &mut scratch.lowered);
            find_phrases(&scratch.lowered, &mut scratch.phrases);
            let mut line_tokens = Vec::new();
            let mut tokenizer = LineTokenizer {
                scratch: &mut scratch.tokenizer,
                tokens: &mut line_tokens,
                alone: false,
            };
            let shared = scan_python_lines(t, &text, &scratch.tokens, &scratch.phrases, &mut tokenizer);
            tokenizer.alone = true;
            let own = scan_python_lines(t, &text, &scratch.tokens, &scratch.phrases, &mut tokenizer);
            proptest::prop_assert_eq!(
                (shared.c4_sentences, shared.c4_lorem_ipsum, shared.c4_curly_bracket),
                (own.c4_sentences, own.c4_lorem_ipsum, own.c4_curly_bracket),
                "{:?}", text
            );
        }
    }

    /// datatrove's `find_top_duplicate(get_n_grams(words, n))`, with strings.
    fn top_ngram_reference(words: &[&str], n: usize) -> usize {
        if words.len() < n {
            return 0;
        }
        let mut order: Vec<(String, usize)> = Vec::new();
        let mut index = std::collections::HashMap::new();
        for window in words.windows(n) {
            let gram = window.join(" ");
            let i = *index.entry(gram.clone()).or_insert_with(|| {
                order.push((gram, 0));
                order.len() - 1
            });
            order[i].1 += 1;
        }
        // `most_common(1)`: the highest count, the first inserted among equals.
        let mut best = &order[0];
        for entry in &order {
            if entry.1 > best.1 {
                best = entry;
            }
        }
        best.0.chars().count() * best.1
    }

    /// datatrove's `find_all_duplicate(words, n)`, with strings.
    fn duplicate_ngram_reference(words: &[&str], n: usize) -> usize {
        let mut unique = std::collections::HashSet::new();
        let (mut repeated, mut at) = (0, 0);
        while at + n <= words.len() {
            let gram = words[at..at + n].concat();
            if unique.contains(&gram) {
                repeated += gram.chars().count();
                at += n;
            } else {
                unique.insert(gram);
                at += 1;
            }
        }
        repeated
    }

    /// `words` as the n-gram signals see them, in a text of the words joined with spaces;
    /// `colliding`: with every hash of a word or n-gram made alike.
    fn words_of(list: &[&str], colliding: bool) -> (String, Words) {
        let text = list.join(" ");
        let mut words = Words {
            colliding,
            ..Words::default()
        };
        words.clear();
        let mut at = 0;
        for word in list {
            let mut key = WordKey::new(word, word.chars().count() as u32, 0, Lexicon::english());
            key.hash = words.hash(word.as_bytes());
            words.push(&text.as_bytes()[at..at + word.len()], &key);
            at += word.len() + 1;
        }
        (text, words)
    }

    fn ngram_signals(list: &[&str], colliding: bool) -> Vec<usize> {
        let (_, words) = words_of(list, colliding);
        let mut ngrams = Ngrams::default();
        let mut out = vec![0; 14];
        top_ngram_chars(&words, 1..=4, &mut ngrams, &mut out[..4]);
        duplicate_ngram_chars(&words, 1..=10, &mut ngrams, &mut out[4..]);
        out
    }

    fn ngram_references(list: &[&str]) -> Vec<usize> {
        let mut out: Vec<usize> = (1..=4).map(|n| top_ngram_reference(list, n)).collect();
        out.extend((1..=10).map(|n| duplicate_ngram_reference(list, n)));
        out
    }

    /// The signals with real hashes and with hashes that all collide, against the reference.
    fn check_ngrams(list: &[&str]) -> Result<(), proptest::test_runner::TestCaseError> {
        let reference = ngram_references(list);
        proptest::prop_assert_eq!(ngram_signals(list, false), reference.clone(), "{:?}", list);
        proptest::prop_assert_eq!(
            ngram_signals(list, true),
            reference,
            "{:?}, colliding",
            list
        );
        Ok(())
    }

    #[test]
    fn colliding_hashes_count_no_repeat() {
        // Words of one length hash alike here: equal hashes are only candidates.
        let (_, words) = words_of(&["ab", "cd"], true);
        assert_eq!(words.hashes[0], words.hashes[1], "the pair collides");
        assert_eq!(words.joined_hash(0, 1), words.joined_hash(1, 1));
        for list in [
            &["aa", "c", "bb", "c", "d", "e", "f", "g"][..],
            &["aa", "c", "d", "e", "f", "bb", "c", "d", "e", "f"][..],
            &["ab", "cd", "ef", "gh", "ij", "ab", "cd", "ef", "gh", "ji"][..],
        ] {
            check_ngrams(list).unwrap();
        }
    }

    #[test]
    fn ngram_signals_match_the_string_reference_on_examples() {
        for list in [
            &["a", "b", "a", "b", "a", "b", "c"][..],
            &["ab", "c", "a", "bc", "abc"][..],
            &["x"][..],
            &[][..],
            &["é", "ü", "é", "ü", "é"][..],
            // Longer than the joined prefix, and split two ways.
            &[
                "information",
                "technology",
                "systems",
                "are",
                "everywhere",
                "informationtech",
                "nology",
                "systems",
                "are",
                "everywhere",
                "now",
            ][..],
        ] {
            check_ngrams(list).unwrap();
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]

        /// The hashed, pre-filtered n-gram counts are datatrove's string counts, on word
        /// lists small enough for repeats and for n-grams that join alike but split apart.
        #[test]
        fn ngram_signals_match_the_string_reference(list in proptest::collection::vec(
            proptest::sample::select(&["a", "b", "ab", "ba", "aab", "c", "é", "bé", "-"][..]),
            0..80,
        )) {
            check_ngrams(&list)?;
        }

        /// Same with long lists of many different words, where most n-grams occur once.
        #[test]
        fn ngram_signals_match_the_string_reference_on_long_lists(list in proptest::collection::vec(
            "[a-e]{1,3}",
            0..400,
        )) {
            let list: Vec<&str> = list.iter().map(String::as_str).collect();
            check_ngrams(&list)?;
        }
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
