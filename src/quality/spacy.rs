//! datatrove's spaCy word tokenizers, ported: spaCy's blank tokenizer of each language
//! (prefixes, suffixes, infixes, the token and URL patterns, the tokenizer exceptions and
//! the affix loop) and the rule-based `sentencizer`'s end marks. datatrove's
//! `load_word_tokenizer("en")` is `spacy.blank("en")` with a `sentencizer`, so every
//! token-based signal and C4's sentence count depend on exactly this splitting (`e-tron` →
//! `e - tron`, `It’s` → `It ’s`); the other languages' tokenizers differ only in their data.
//!
//! The data is generated from the spaCy and datatrove packages by
//! `scripts/gen_spacy_tables.py` into `spacy_tables/`; this module only runs it. The code
//! follows `spacy/tokenizer.pyx` (`_tokenize_affixes`, `_split_affixes`, `_attach_tokens`,
//! `_apply_special_cases`) and `spacy/pipeline/sentencizer.pyx` (`predict`). Python's `re`
//! has lookaround and Rust's `regex` has not, so each affix pattern is kept as its pieces
//! (lookbehind, body, lookahead) and the alternation is searched here the way `re` would:
//! the leftmost position first, then the first piece in order.
//!
//! It does not do what the blank pipeline does not: no lemmas, no norms, no model.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::{Regex, RegexSet};
use serde::Deserialize;

use super::hash::{hash_bytes, BuildIdentity};
use super::memo::{Memo, MEMO_CAPACITY};
use super::swar::{self, Shape};

/// The generated character tables every language shares (see the module doc).
const CHARS: &str = include_str!("spacy_tables/chars.json");

/// One token: a byte range of the text. `space` marks the tokens spaCy makes of white space
/// beyond a single ` ` (datatrove's `strip_strings` drops them from the words).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) space: bool,
    /// The token's text in the [`Vocab`] of the scratch that tokenized it.
    pub(crate) lex: u32,
}

/// The `lex` of a token not yet looked up in the vocabulary.
const NO_LEXEME: u32 = u32::MAX;
/// The `lex` of a token of ASCII letters the vocabulary does not hold (the commonest
/// words: their lexemes are read off their bytes).
pub(crate) const LETTERS: u32 = u32::MAX - 1;
/// The same for ASCII digits.
pub(crate) const DIGITS: u32 = u32::MAX - 2;
/// The same for ASCII white space.
const SPACES: u32 = u32::MAX - 3;

/// One language's tokenizer data.
#[derive(Deserialize)]
struct Data {
    prefixes: Vec<PieceData>,
    suffixes: Vec<PieceData>,
    infixes: Vec<PieceData>,
    url: String,
    /// A pattern whose match keeps a string whole before any affix is split off
    /// (French, Hungarian and Turkish).
    token_match: Option<String>,
    specials: HashMap<String, Vec<String>>,
    matcher: Vec<(String, Vec<String>)>,
}

/// The character tables shared by every language.
#[derive(Deserialize)]
struct Chars {
    sentence_ends: Vec<String>,
    space: Vec<(u32, u32)>,
    alpha: Vec<(u32, u32)>,
    punct_category: Vec<(u32, u32)>,
    punctuation_set: Vec<String>,
    terminal_punctuation: Vec<String>,
}

#[derive(Deserialize)]
struct PieceData {
    behind: Option<String>,
    body: String,
    ahead: Option<String>,
    ahead_negative: bool,
    /// The whole piece, where it has lookaround elsewhere than at its ends (`body` is then
    /// the piece without it, a pattern that matches wherever the piece does).
    #[serde(default)]
    fancy: Option<String>,
}

/// One alternative of an affix pattern: `(?<=behind)body(?=ahead)`.
struct Piece {
    /// `(?:behind)\z`, tried on the text before the match.
    behind: Option<Regex>,
    /// `^(body)(?:ahead)` (positive lookahead: a capture, so a shorter body is tried when
    /// the longer one is not followed by `ahead`, as `re` backtracks) or `^(?:body)`.
    body: Regex,
    /// `^(?:ahead)` that must not match after the body (`(?!…)`).
    not_ahead: Option<Regex>,
    /// Whether `body` is `^(body)(?:ahead)`, the body's match being its first group.
    body_is_group: bool,
    /// `^(?:body)\z`, for suffixes.
    whole: Regex,
    /// The whole piece, lookaround and all, where `body` only over-approximates it: as
    /// it is, and followed by the end of the text (for suffixes).
    fancy: Option<(fancy_regex::Regex, fancy_regex::Regex)>,
}

impl Piece {
    fn new(data: &PieceData) -> Self {
        let compile = |pattern: String| Regex::new(&pattern).expect("generated pattern compiles");
        let (body, not_ahead) = match (&data.ahead, data.ahead_negative) {
            (Some(ahead), false) => (compile(format!("^({})(?:{ahead})", data.body)), None),
            (Some(ahead), true) => (
                compile(format!("^(?:{})", data.body)),
                Some(compile(format!("^(?:{ahead})"))),
            ),
            (None, _) => (compile(format!("^(?:{})", data.body)), None),
        };
        Self {
            behind: data.behind.as_ref().map(|b| compile(format!("(?:{b})\\z"))),
            body,
            not_ahead,
            body_is_group: data.ahead.is_some() && !data.ahead_negative,
            whole: compile(format!("^(?:{})\\z", data.body)),
            fancy: data.fancy.as_ref().map(|piece| {
                let compile = |pattern: String| {
                    fancy_regex::Regex::new(&pattern).expect("generated pattern compiles")
                };
                (
                    compile(format!("(?:{piece})")),
                    compile(format!("(?:{piece})\\z")),
                )
            }),
        }
    }

    /// The match of the whole piece that starts at `at` (its lookbehind reads the text
    /// before), if any.
    fn fancy_at<'s>(
        fancy: &fancy_regex::Regex,
        s: &'s str,
        at: usize,
    ) -> Option<fancy_regex::Match<'s>> {
        let found = fancy.find_from_pos(s, at).ok().flatten()?;
        (found.start() == at).then_some(found)
    }

    /// Whether this piece matches from `at` to the end of `s` (a suffix), lookarounds
    /// included.
    fn ends_at(&self, s: &str, at: usize) -> bool {
        if let Some((_, to_end)) = &self.fancy {
            return Self::fancy_at(to_end, s, at).is_some();
        }
        let behind_ok = self
            .behind
            .as_ref()
            .is_none_or(|behind| behind.is_match(&s[..at]));
        behind_ok && self.whole.is_match(&s[at..])
    }

    /// Length in bytes of this piece's match at `at` in `s`, lookarounds included.
    fn match_at(&self, s: &str, at: usize) -> Option<usize> {
        if let Some((fancy, _)) = &self.fancy {
            return Self::fancy_at(fancy, s, at).map(|m| m.end() - at);
        }
        if let Some(behind) = &self.behind {
            if !behind.is_match(&s[..at]) {
                return None;
            }
        }
        let rest = &s[at..];
        // With a lookahead, the body is the first group (the body's own groups follow).
        let len = if self.body_is_group {
            self.body
                .captures(rest)?
                .get(1)
                .expect("the body group")
                .end()
        } else {
            self.body.find(rest)?.end()
        };
        if let Some(not_ahead) = &self.not_ahead {
            if not_ahead.is_match(&rest[len..]) {
                return None;
            }
        }
        Some(len)
    }
}

/// One affix pattern: its pieces, a set of their bodies, and a cheap over-approximating
/// test that rules out most strings before the pieces are tried.
struct Affixes {
    pieces: Vec<Piece>,
    /// Each body anchored at the start (prefixes, infixes) or on both ends (suffixes).
    set: RegexSet,
    /// The union of the bodies (with lookbehind and lookahead as plain characters where
    /// `check` is used, so it over-approximates: no match there means no piece matches).
    check: Regex,
    /// The union of the bodies alone: its leftmost match is the first place to try.
    bodies: Regex,
}

#[derive(Clone, Copy)]
enum Kind {
    Prefix,
    Suffix,
    Infix,
}

impl Affixes {
    fn new(data: &[PieceData], kind: Kind) -> Self {
        let pieces = data.iter().map(Piece::new).collect();
        let set = RegexSet::new(data.iter().map(|p| match kind {
            Kind::Suffix => format!("^(?:{})\\z", p.body),
            Kind::Prefix | Kind::Infix => format!("^(?:{})", p.body),
        }))
        .expect("generated patterns compile");
        let with_context = |p: &PieceData| {
            let behind = p.behind.as_deref().unwrap_or("");
            let ahead = match (&p.ahead, p.ahead_negative) {
                (Some(ahead), false) => ahead.as_str(),
                _ => "",
            };
            format!("(?:{behind})(?:{})(?:{ahead})", p.body)
        };
        let check = match kind {
            // A prefix has no text before it: pieces with a lookbehind never match.
            Kind::Prefix => format!(
                "^(?:{})",
                data.iter()
                    .filter(|p| p.behind.is_none())
                    .map(|p| p.body.as_str())
                    .collect::<Vec<_>>()
                    .join("|")
            ),
            Kind::Suffix => format!(
                "(?:{})\\z",
                data.iter().map(with_context).collect::<Vec<_>>().join("|")
            ),
            Kind::Infix => data.iter().map(with_context).collect::<Vec<_>>().join("|"),
        };
        let bodies = data
            .iter()
            .map(|p| format!("(?:{})", p.body))
            .collect::<Vec<_>>()
            .join("|");
        let bodies = match kind {
            Kind::Suffix => format!("(?:{bodies})\\z"),
            Kind::Prefix | Kind::Infix => bodies,
        };
        Self {
            pieces,
            set,
            check: Regex::new(&check).expect("generated patterns compile"),
            bodies: Regex::new(&bodies).expect("generated patterns compile"),
        }
    }

    /// spaCy's `find_prefix`: `re.search("^p1|^p2|…")`, the first piece that matches at 0.
    fn find_prefix(&self, s: &str) -> usize {
        if !self.check.is_match(s) {
            return 0;
        }
        for i in self.set.matches(s).iter() {
            if let Some(len) = self.pieces[i].match_at(s, 0) {
                return len;
            }
        }
        0
    }

    /// spaCy's `find_suffix`: `re.search("p1$|p2$|…")`: the leftmost start from which a
    /// piece matches to the end.
    fn find_suffix(&self, s: &str) -> usize {
        if !self.check.is_match(s) {
            return 0;
        }
        let Some(first) = self.bodies.find(s) else {
            return 0;
        };
        for (at, _) in s[first.start()..].char_indices() {
            let at = first.start() + at;
            if self
                .set
                .matches(&s[at..])
                .iter()
                .any(|i| self.pieces[i].ends_at(s, at))
            {
                return s.len() - at;
            }
        }
        0
    }

    /// spaCy's `find_infix`: `re.finditer("p1|p2|…")`, non-overlapping, left to right.
    fn find_infixes(&self, s: &str, out: &mut Vec<(usize, usize)>) {
        out.clear();
        if !self.check.is_match(s) {
            return;
        }
        let mut pos = 0;
        while pos <= s.len() {
            let Some(candidate) = self.bodies.find_at(s, pos) else {
                break;
            };
            let at = candidate.start();
            let found = self
                .set
                .matches(&s[at..])
                .iter()
                .find_map(|i| self.pieces[i].match_at(s, at));
            let next = at + s[at..].chars().next().map_or(1, char::len_utf8);
            match found {
                Some(0) => {
                    // An empty match splits too (`l’` + `homme`); `re.finditer` then looks
                    // for a non-empty one at the same place before moving on.
                    out.push((at, at));
                    let longer = self
                        .set
                        .matches(&s[at..])
                        .iter()
                        .find_map(|i| self.pieces[i].match_at(s, at).filter(|&len| len > 0));
                    match longer {
                        Some(len) => {
                            out.push((at, at + len));
                            pos = at + len;
                        }
                        None => pos = next,
                    }
                }
                Some(len) => {
                    out.push((at, at + len));
                    pos = at + len;
                }
                None => pos = next,
            }
        }
    }
}

/// A tokenizer exception: the token lengths its string splits into.
struct Special {
    text: String,
    lengths: Vec<usize>,
}

/// A special case spaCy also finds across tokens (its phrase matcher): the tokens the
/// string splits into without exceptions.
struct MatcherPattern {
    tokens: Vec<String>,
}

pub(crate) struct Tables {
    prefixes: Affixes,
    suffixes: Affixes,
    infixes: Affixes,
    url: fancy_regex::Regex,
    /// `^(?:token_match)`, where the language has one.
    token_match: Option<Regex>,
    /// Whether no prefix, suffix or infix can match in a word of ASCII letters or of ASCII
    /// digits, so such a word is one token unless it is an exception (`plain_chunk`,
    /// `split_chunk`): worked out from the patterns ([`may_match_in`]).
    ascii_words: bool,
    /// Whether the marks of [`letters_with_mark`] always split off: checked against the
    /// full search for English only (the unit tests).
    ascii_marks: bool,
    /// Exceptions by hash of their text.
    specials: HashMap<u64, Vec<Special>, BuildIdentity>,
    /// Bit `hash % 2^16` set for each exception's hash: most strings are ruled out by one
    /// bit, without a look-up.
    special_bits: Vec<u64>,
    longest_special: usize,
    /// Phrase-matcher patterns by the hash of their first token's text.
    matcher: HashMap<u64, Vec<MatcherPattern>, BuildIdentity>,
    /// Bit `hash % 2^16` set for each pattern's first token, as `special_bits`.
    matcher_bits: Vec<u64>,
    longest_first: usize,
    /// For patterns whose first token starts with an ASCII letter or digit, the first bytes
    /// their second token can start with: a token like that followed by anything else
    /// starts no match, so most words need no look-up.
    after_word: [bool; 256],
    /// The classes below for each ASCII character, so that ASCII text needs no table search.
    ascii: [u8; 128],
    sentence_ends: Vec<char>,
    space: Vec<(u32, u32)>,
    alpha: Vec<(u32, u32)>,
    punct_category: Vec<(u32, u32)>,
    punctuation: Vec<char>,
    terminal: Vec<char>,
}

/// Every language's code and generated tables, in code order.
const LANGUAGES: &[(&str, &str)] = include!("spacy_tables/languages.rs");

/// The codes of the spaCy languages whose tokenizer is ported (`en`, `de`, `xx`, …).
pub(crate) fn languages() -> impl Iterator<Item = &'static str> {
    LANGUAGES.iter().map(|&(code, _)| code)
}

/// The English tables (datatrove's default language).
pub(crate) fn tables() -> &'static Tables {
    // Looked up once: character classes ask for it per character.
    static ENGLISH: OnceLock<&'static Tables> = OnceLock::new();
    ENGLISH.get_or_init(|| tables_for("en").expect("English tables are generated"))
}

/// The tables of a spaCy language (`de`, `xx`), parsed and compiled on first use.
pub(crate) fn tables_for(code: &str) -> Option<&'static Tables> {
    static TABLES: OnceLock<Vec<OnceLock<Tables>>> = OnceLock::new();
    let index = LANGUAGES.binary_search_by_key(&code, |&(c, _)| c).ok()?;
    let all = TABLES.get_or_init(|| LANGUAGES.iter().map(|_| OnceLock::new()).collect());
    Some(all[index].get_or_init(|| {
        let (code, data) = LANGUAGES[index];
        Tables::load(
            code,
            serde_json::from_str(data).expect("generated tables parse"),
        )
    }))
}

impl Tables {
    fn load(code: &str, data: Data) -> Self {
        let chars: Chars = serde_json::from_str(CHARS).expect("generated tables parse");
        let mut specials: HashMap<u64, Vec<Special>, _> = HashMap::default();
        let mut longest_special = 0;
        let mut special_bits = vec![0u64; SPECIAL_BITS / 64];
        for (text, parts) in data.specials {
            longest_special = longest_special.max(text.len());
            set_bit(&mut special_bits, hash_bytes(text.as_bytes()));
            specials
                .entry(hash_bytes(text.as_bytes()))
                .or_default()
                .push(Special {
                    lengths: parts.iter().map(String::len).collect(),
                    text,
                });
        }
        let mut matcher: HashMap<u64, Vec<MatcherPattern>, _> = HashMap::default();
        let mut matcher_bits = vec![0u64; SPECIAL_BITS / 64];
        let mut longest_first = 0;
        let mut after_word = [false; 256];
        for (text, tokens) in data.matcher {
            // A match of one token that the exception leaves one token changes nothing,
            // and can set no other match aside (longer ones come first).
            let parts = specials
                .get(&hash_bytes(text.as_bytes()))
                .and_then(|list| list.iter().find(|special| special.text == text))
                .map_or(1, |special| special.lengths.len());
            if tokens.len() == 1 && parts == 1 {
                continue;
            }
            longest_first = longest_first.max(tokens[0].len());
            if tokens[0].as_bytes()[0].is_ascii_alphanumeric() {
                match tokens.get(1) {
                    Some(second) => after_word[usize::from(second.as_bytes()[0])] = true,
                    None => after_word = [true; 256],
                }
            }
            set_bit(&mut matcher_bits, hash_bytes(tokens[0].as_bytes()));
            matcher
                .entry(hash_bytes(tokens[0].as_bytes()))
                .or_default()
                .push(MatcherPattern { tokens });
        }
        let chars_of = |list: Vec<String>| -> Vec<char> {
            let mut chars: Vec<char> = list.iter().filter_map(|s| s.chars().next()).collect();
            chars.sort_unstable();
            chars
        };
        let mut tables = Tables {
            prefixes: Affixes::new(&data.prefixes, Kind::Prefix),
            suffixes: Affixes::new(&data.suffixes, Kind::Suffix),
            infixes: Affixes::new(&data.infixes, Kind::Infix),
            url: fancy_regex::Regex::new(data.url.trim_start_matches("(?u)"))
                .expect("generated URL pattern compiles"),
            // French's is an alternation of 1.4 MB: the regex crate's default limits are
            // for patterns written by hand.
            token_match: data.token_match.map(|pattern| {
                regex::RegexBuilder::new(&format!("^(?:{pattern})"))
                    .size_limit(1 << 30)
                    .dfa_size_limit(1 << 26)
                    .build()
                    .expect("generated token pattern compiles")
            }),
            ascii_words: [&data.prefixes, &data.suffixes, &data.infixes]
                .into_iter()
                .flatten()
                .all(|piece| {
                    !may_match_in(piece, |c| c.is_ascii_alphabetic())
                        && !may_match_in(piece, |c| c.is_ascii_digit())
                }),
            ascii_marks: code == "en",
            specials,
            special_bits,
            longest_special,
            matcher,
            matcher_bits,
            longest_first,
            after_word,
            ascii: [0; 128],
            sentence_ends: chars_of(chars.sentence_ends),
            space: chars.space,
            alpha: chars.alpha,
            punct_category: chars.punct_category,
            punctuation: chars_of(chars.punctuation_set),
            terminal: chars_of(chars.terminal_punctuation),
        };
        // The ASCII classes, read from the same tables they stand in for.
        for b in 0..128u8 {
            let c = char::from(b);
            let classes = [
                (SPACE, tables.is_space_slow(c)),
                (ALPHA, in_ranges(&tables.alpha, c)),
                (PUNCT_CATEGORY, in_ranges(&tables.punct_category, c)),
                (PUNCTUATION, tables.punctuation.binary_search(&c).is_ok()),
                (SENTENCE_END, tables.sentence_ends.binary_search(&c).is_ok()),
            ];
            for (class, member) in classes {
                if member {
                    tables.ascii[usize::from(b)] |= class;
                }
            }
        }
        tables
    }
}

/// Whether an affix piece may match somewhere in a string made only of characters that
/// `alphabet` accepts: false only when its body, its lookbehind or its lookahead needs a
/// character outside the alphabet.
fn may_match_in(piece: &PieceData, alphabet: fn(char) -> bool) -> bool {
    let within = |pattern: &str| {
        regex_syntax::Parser::new()
            .parse(pattern)
            .map_or(true, |hir| matches_within(&hir, alphabet))
    };
    let ahead = piece.ahead.as_deref().filter(|_| !piece.ahead_negative);
    within(&piece.body) && piece.behind.as_deref().is_none_or(within) && ahead.is_none_or(within)
}

/// Whether `hir` matches some string (maybe empty) of characters `alphabet` accepts. True
/// where unsure.
fn matches_within(hir: &regex_syntax::hir::Hir, alphabet: fn(char) -> bool) -> bool {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(literal) => String::from_utf8_lossy(&literal.0).chars().all(alphabet),
        // The alphabets are ASCII: a range's first 128 characters hold any it has.
        HirKind::Class(Class::Unicode(class)) => class
            .ranges()
            .iter()
            .any(|r| (r.start()..=r.end()).take(0x80).any(alphabet)),
        HirKind::Class(Class::Bytes(_)) => true,
        HirKind::Repetition(repetition) => {
            repetition.min == 0 || matches_within(&repetition.sub, alphabet)
        }
        HirKind::Capture(capture) => matches_within(&capture.sub, alphabet),
        HirKind::Concat(parts) => parts.iter().all(|part| matches_within(part, alphabet)),
        HirKind::Alternation(parts) => parts.iter().any(|part| matches_within(part, alphabet)),
    }
}

/// Bits in `Tables::special_bits` and `Tables::matcher_bits`.
const SPECIAL_BITS: usize = 1 << 16;

fn set_bit(bits: &mut [u64], hash: u64) {
    let bit = hash as usize % SPECIAL_BITS;
    bits[bit / 64] |= 1 << (bit % 64);
}

/// False when no string of this hash was set in `bits`.
fn has_bit(bits: &[u64], hash: u64) -> bool {
    let bit = hash as usize % SPECIAL_BITS;
    bits[bit / 64] & (1 << (bit % 64)) != 0
}

/// Python's `str.isspace`.
pub(crate) const SPACE: u8 = 1;
/// Python's `str.isalpha`.
pub(crate) const ALPHA: u8 = 2;
/// A Unicode `P*` general category (spaCy's `is_punct`).
const PUNCT_CATEGORY: u8 = 4;
/// datatrove's `PUNCTUATION_SET`.
pub(crate) const PUNCTUATION: u8 = 8;
/// The sentencizer's end marks.
const SENTENCE_END: u8 = 16;

/// Whether `c` is in one of the sorted, disjoint, inclusive `ranges`.
pub(crate) fn in_ranges(ranges: &[(u32, u32)], c: char) -> bool {
    let c = c as u32;
    ranges
        .binary_search_by(|&(start, end)| {
            if end < c {
                std::cmp::Ordering::Less
            } else if start > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

impl Tables {
    /// The classes (`SPACE`, `ALPHA`, …) of an ASCII byte.
    pub(crate) fn ascii_class(&self, b: u8) -> u8 {
        self.ascii[usize::from(b & 0x7f)]
    }

    fn is_space_slow(&self, c: char) -> bool {
        if c.is_ascii() {
            return matches!(c, ' ' | '\t'..='\r' | '\x1c'..='\x1f');
        }
        in_ranges(&self.space, c)
    }

    /// Python's `str.isspace` for one character.
    pub(crate) fn is_space(&self, c: char) -> bool {
        if c.is_ascii() {
            return self.ascii_class(c as u8) & SPACE != 0;
        }
        in_ranges(&self.space, c)
    }

    /// Python's `str.isalpha` for one character.
    pub(crate) fn is_alpha(&self, c: char) -> bool {
        if c.is_ascii() {
            return c.is_ascii_alphabetic();
        }
        in_ranges(&self.alpha, c)
    }

    /// spaCy's `is_punct`: every character is in a `P*` general category.
    fn is_punct(&self, s: &str) -> bool {
        s.chars().all(|c| {
            if c.is_ascii() {
                self.ascii_class(c as u8) & PUNCT_CATEGORY != 0
            } else {
                in_ranges(&self.punct_category, c)
            }
        })
    }

    /// datatrove's `PUNCTUATION_SET`.
    pub(crate) fn is_punctuation(&self, c: char) -> bool {
        if c.is_ascii() {
            return self.ascii_class(c as u8) & PUNCTUATION != 0;
        }
        self.punctuation.binary_search(&c).is_ok()
    }

    /// datatrove's `TERMINAL_PUNCTUATION`.
    pub(crate) fn is_terminal(&self, c: char) -> bool {
        self.terminal.binary_search(&c).is_ok()
    }

    /// Python's `str.strip()`.
    pub(crate) fn strip<'a>(&self, s: &'a str) -> &'a str {
        s.trim_matches(|c| self.is_space(c))
    }

    /// Whether the language's token pattern keeps `s` whole (spaCy's `token_match`).
    fn token_matches(&self, s: &str) -> bool {
        self.token_match.as_ref().is_some_and(|re| re.is_match(s))
    }

    fn special(&self, s: &str) -> Option<&Special> {
        if s.len() > self.longest_special {
            return None;
        }
        let hash = hash_bytes(s.as_bytes());
        if !has_bit(&self.special_bits, hash) {
            return None;
        }
        self.specials
            .get(&hash)?
            .iter()
            .find(|special| special.text == s)
    }

    /// Tokenizes `text` as `spacy.blank("en")` does into `out` (cleared first). Returns true
    /// when a special-case match was set aside for an overlapping one (see
    /// [`Self::apply_special_matches`]): only then can a stretch of the text tokenize
    /// differently on its own than inside the whole text.
    pub(crate) fn tokenize(
        &self,
        text: &str,
        scratch: &mut TokenScratch,
        out: &mut Vec<Token>,
    ) -> bool {
        out.clear();
        scratch.match_starts.clear();
        if scratch.vocab.len() == 0 {
            // Lexeme `b` is the ASCII character `b`.
            for b in 0..128u8 {
                scratch
                    .vocab
                    .intern(self, char::from(b).encode_utf8(&mut [0; 4]));
            }
        }
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let space = self.space_at(text, i);
            let end = self.run_end(text, i, space);
            // A single ' ' after a token is that token's trailing space, not a token.
            let from = if space && i > 0 && bytes[i] == b' ' {
                i + 1
            } else {
                i
            };
            if from < end {
                self.chunk(text, from, end, space, out, scratch);
            }
            i = end;
        }
        if scratch.match_starts.is_empty() {
            return false;
        }
        self.apply_special_matches(text, out, scratch)
    }

    /// Whether the character at byte `i` of `text` is white space.
    fn space_at(&self, text: &str, i: usize) -> bool {
        let b = text.as_bytes()[i];
        if b.is_ascii() {
            return self.ascii_class(b) & SPACE != 0;
        }
        self.is_space(text[i..].chars().next().expect("a character starts here"))
    }

    /// The end of the run of characters from `i` that are white space (`space`) or not.
    fn run_end(&self, text: &str, mut i: usize, space: bool) -> usize {
        let bytes = text.as_bytes();
        loop {
            if space {
                while bytes
                    .get(i)
                    .is_some_and(|&b| b.is_ascii() && self.ascii[usize::from(b)] & SPACE != 0)
                {
                    i += 1;
                }
            } else {
                // Words eight bytes at a time, to the next byte that may end them.
                i = swar::next_space_or_non_ascii(bytes, i);
                match bytes.get(i) {
                    Some(&b) if b.is_ascii() && self.ascii[usize::from(b)] & SPACE == 0 => {
                        i += 1;
                        continue;
                    }
                    _ => {}
                }
            }
            match text[i..].chars().next() {
                Some(c) if !c.is_ascii() && self.is_space(c) == space => i += c.len_utf8(),
                _ => return i,
            }
        }
    }

    /// `_tokenize` of one run of non-space (or space) characters, through the memo of the
    /// chunks seen before (spaCy caches them the same way).
    fn chunk(
        &self,
        text: &str,
        start: usize,
        end: usize,
        space: bool,
        out: &mut Vec<Token>,
        scratch: &mut TokenScratch,
    ) {
        let s = &text[start..end];
        let hash = hash_bytes(s.as_bytes());
        #[cfg(test)]
        let memo = !scratch.affixes.slow;
        #[cfg(not(test))]
        let memo = true;
        if memo && self.ascii_words && !space && self.plain_chunk(s, start, hash, out, scratch) {
            return;
        }
        if memo && space && s.bytes().all(|b| b.is_ascii()) {
            // ASCII white space is one token (the unit test
            // `ascii_white_space_is_one_token` checks it against the full search).
            scratch.may_start_match(out.len(), has_bit(&self.matcher_bits, hash));
            out.push(Token {
                start,
                end,
                space: true,
                lex: SPACES,
            });
            return;
        }
        if let Some(lexemes) = memo.then(|| scratch.memo.get(hash, s.as_bytes())).flatten() {
            let mut at = start;
            for &lex in lexemes {
                let lexeme = scratch.vocab.lexemes[lex as usize];
                if lexeme.flags & STARTS_MATCH != 0 {
                    scratch.match_starts.push(out.len());
                }
                let len = lexeme.len as usize;
                out.push(Token {
                    start: at,
                    end: at + len,
                    space,
                    lex,
                });
                at += len;
            }
            return;
        }
        let from = out.len();
        self.split_chunk(s, start, out, &mut scratch.affixes);
        let lexemes = scratch.memo.lexemes_to_insert();
        for (i, token) in out.iter_mut().enumerate().skip(from) {
            // A run of white space goes through the same steps; its tokens are all space.
            token.space = space;
            token.lex = scratch.vocab.intern(self, &text[token.start..token.end]);
            if scratch.vocab.flags(token.lex) & STARTS_MATCH != 0 {
                scratch.match_starts.push(i);
            }
            lexemes.push(token.lex);
        }
        scratch.memo.insert(hash, s.as_bytes());
    }

    /// The tokens of the commonest chunks, worked out without the memo: a word of ASCII
    /// letters or digits, with or without a mark that splits off (see `split_chunk`), or one
    /// ASCII character; false for any other chunk, and for an exception or what may be one.
    fn plain_chunk(
        &self,
        s: &str,
        start: usize,
        hash: u64,
        out: &mut Vec<Token>,
        scratch: &mut TokenScratch,
    ) -> bool {
        let bytes = s.as_bytes();
        let may_be_special = |hash| has_bit(&self.special_bits, hash);
        let token = |at: usize, len: usize, lex: u32| Token {
            start: start + at,
            end: start + at + len,
            space: false,
            lex,
        };
        let lex = match swar::shape(bytes) {
            Shape::Letters => LETTERS,
            Shape::Digits => DIGITS,
            Shape::Other => NO_LEXEME,
        };
        if lex != NO_LEXEME {
            if may_be_special(hash) {
                return false;
            }
            scratch.may_start_match(out.len(), has_bit(&self.matcher_bits, hash));
            out.push(token(0, s.len(), lex));
            return true;
        }
        let mut mark = |at: usize, out: &mut Vec<Token>| {
            let lex = u32::from(bytes[at]);
            let starts = scratch.vocab.flags(lex) & STARTS_MATCH != 0;
            scratch.may_start_match(out.len(), starts);
            out.push(token(at, 1, lex));
        };
        if let [b] = *bytes {
            if !b.is_ascii() {
                return false;
            }
            mark(0, out);
            return true;
        }
        let Some((a, b)) = letters_with_mark(bytes).filter(|_| self.ascii_marks) else {
            return false;
        };
        let core_hash = hash_bytes(&bytes[a..b]);
        if may_be_special(hash) || may_be_special(core_hash) {
            return false;
        }
        if a == 1 {
            mark(0, out);
        }
        let core = out.len();
        out.push(token(a, b - a, LETTERS));
        if b < bytes.len() {
            mark(b, out);
        }
        scratch.may_start_match(core, has_bit(&self.matcher_bits, core_hash));
        true
    }

    /// The tokens of a chunk, without the memo: those `plain_chunk` leaves, the ones that
    /// are, or may be, exceptions among them.
    fn split_chunk(&self, s: &str, start: usize, out: &mut Vec<Token>, affixes: &mut Scratch) {
        let bytes = s.as_bytes();
        #[cfg(test)]
        if affixes.slow {
            self.split_affixes(s, start, out, affixes);
            return;
        }
        // Only ASCII letters, or only ASCII digits: an exception or one token. No prefix,
        // suffix or infix of the English tables matches such a string (the unit test
        // `letters_and_digits_need_no_affix_search` checks it against the full search).
        if self.ascii_words
            && (bytes.iter().all(u8::is_ascii_alphabetic) || bytes.iter().all(u8::is_ascii_digit))
        {
            self.push_plain(s, start, false, out);
            return;
        }
        // One character is one token, whatever the affixes (an exception of one character
        // is that character).
        if s.chars().nth(1).is_none() {
            out.push(Token {
                start,
                end: start + s.len(),
                space: false,
                lex: NO_LEXEME,
            });
            return;
        }
        self.split_affixes(s, start, out, affixes);
    }

    /// A string with no affix to search: an exception, or one token.
    fn push_plain(&self, s: &str, start: usize, space: bool, out: &mut Vec<Token>) {
        if let Some(special) = self.special(s) {
            push_special(special, start, space, out);
        } else {
            out.push(Token {
                start,
                end: start + s.len(),
                space,
                lex: NO_LEXEME,
            });
        }
    }

    /// `_split_affixes` then `_attach_tokens`.
    fn split_affixes(&self, s: &str, offset: usize, out: &mut Vec<Token>, scratch: &mut Scratch) {
        if let Some(special) = self.special(s) {
            push_special(special, offset, false, out);
            return;
        }
        let Scratch {
            prefixes,
            suffixes,
            infixes,
            ..
        } = scratch;
        prefixes.clear();
        suffixes.clear();
        // Working string: s[lo..hi].
        let (mut lo, mut hi) = (0, s.len());
        let mut last_size = usize::MAX;
        while lo < hi && hi - lo != last_size {
            let string = &s[lo..hi];
            if self.token_matches(string) || self.special(string).is_some() {
                break;
            }
            last_size = hi - lo;
            let pre_len = self.prefixes.find_prefix(string);
            if pre_len != 0 {
                let minus_pre = &string[pre_len..];
                if !minus_pre.is_empty() && self.special(minus_pre).is_some() {
                    prefixes.push((lo, lo + pre_len));
                    lo += pre_len;
                    break;
                }
            }
            let suf_len = self.suffixes.find_suffix(&string[pre_len..]);
            if suf_len != 0 {
                let minus_suf = &string[..string.len() - suf_len];
                if !minus_suf.is_empty() && self.special(minus_suf).is_some() {
                    suffixes.push((hi - suf_len, hi));
                    hi -= suf_len;
                    break;
                }
            }
            if pre_len != 0 && suf_len != 0 && pre_len + suf_len <= string.len() {
                prefixes.push((lo, lo + pre_len));
                suffixes.push((hi - suf_len, hi));
                lo += pre_len;
                hi -= suf_len;
            } else if pre_len != 0 {
                prefixes.push((lo, lo + pre_len));
                lo += pre_len;
            } else if suf_len != 0 {
                suffixes.push((hi - suf_len, hi));
                hi -= suf_len;
            }
            if lo < hi && self.special(&s[lo..hi]).is_some() {
                break;
            }
        }
        for &(a, b) in prefixes.iter() {
            self.push_plain_affix(a, b, offset, out);
        }
        if lo < hi {
            let string = &s[lo..hi];
            if let Some(special) = self.special(string) {
                push_special(special, offset + lo, false, out);
            } else {
                infixes.clear();
                if !self.token_matches(string) {
                    self.infixes.find_infixes(string, infixes);
                }
                // Both forms of the URL pattern (an address, a domain) hold a `.`.
                let url = || string.contains('.') && self.url.is_match(string).unwrap_or(false);
                if infixes.is_empty() || self.token_matches(string) || url() {
                    out.push(Token {
                        start: offset + lo,
                        end: offset + hi,
                        space: false,
                        lex: NO_LEXEME,
                    });
                } else {
                    let mut at = 0;
                    for &(a, b) in infixes.iter() {
                        // An infix at the very start is skipped (spaCy: `infix_start ==
                        // start_before_infixes`).
                        if a == 0 {
                            continue;
                        }
                        if a != at {
                            out.push(Token {
                                start: offset + lo + at,
                                end: offset + lo + a,
                                space: false,
                                lex: NO_LEXEME,
                            });
                        }
                        if a != b {
                            out.push(Token {
                                start: offset + lo + a,
                                end: offset + lo + b,
                                space: false,
                                lex: NO_LEXEME,
                            });
                        }
                        at = b;
                    }
                    if at < string.len() {
                        out.push(Token {
                            start: offset + lo + at,
                            end: offset + hi,
                            space: false,
                            lex: NO_LEXEME,
                        });
                    }
                }
            }
        }
        for &(a, b) in suffixes.iter().rev() {
            self.push_plain_affix(a, b, offset, out);
        }
    }

    /// An affix is one token (spaCy pushes its lexeme as is).
    fn push_plain_affix(&self, a: usize, b: usize, offset: usize, out: &mut Vec<Token>) {
        out.push(Token {
            start: offset + a,
            end: offset + b,
            space: false,
            lex: NO_LEXEME,
        });
    }

    /// `_apply_special_cases`: exceptions that affix splitting took apart, found as token
    /// sequences and put back as the exception's tokens when their text is the exception.
    /// Returns true when a match was set aside because it overlapped one kept before it.
    fn apply_special_matches(
        &self,
        text: &str,
        tokens: &mut Vec<Token>,
        scratch: &mut TokenScratch,
    ) -> bool {
        // The tests compare with and without the pre-filter on the next token.
        #[cfg(test)]
        let filter = !scratch.affixes.slow;
        #[cfg(not(test))]
        let filter = true;
        let matches = &mut scratch.matches;
        matches.clear();
        for &i in &scratch.match_starts {
            let first = &text[tokens[i].start..tokens[i].end];
            if filter && first.as_bytes()[0].is_ascii_alphanumeric() {
                let next = tokens.get(i + 1).map(|t| text.as_bytes()[t.start]);
                if !next.is_some_and(|b| self.after_word[usize::from(b)]) {
                    continue;
                }
            }
            let Some(patterns) = self.matcher.get(&hash_bytes(first.as_bytes())) else {
                continue;
            };
            for pattern in patterns {
                let n = pattern.tokens.len();
                if i + n > tokens.len() {
                    continue;
                }
                let all = pattern
                    .tokens
                    .iter()
                    .zip(&tokens[i..i + n])
                    .all(|(want, t)| &text[t.start..t.end] == want);
                if all {
                    matches.push((i, i + n));
                }
            }
        }
        if matches.is_empty() {
            return false;
        }
        // `_filter_special_spans`: longest first, then the later start; a span is kept
        // when neither its first nor its last token was seen.
        matches.sort_unstable_by_key(|&(start, end)| (end - start, std::cmp::Reverse(start)));
        matches.dedup();
        let seen = &mut scratch.seen;
        seen.clear();
        seen.resize(tokens.len(), false);
        let mut kept: Vec<(usize, usize)> = Vec::new();
        let mut set_aside = false;
        for &(start, end) in matches.iter().rev() {
            if !seen[start] && !seen[end - 1] {
                kept.push((start, end));
            } else {
                set_aside = true;
            }
            for flag in &mut seen[start..end] {
                *flag = true;
            }
        }
        // A match whose exception splits it as the tokens already are changes nothing.
        kept.retain(|&(start, end)| {
            let span = &text[tokens[start].start..tokens[end - 1].end];
            self.special(span).is_some_and(|special| {
                let mut at = tokens[start].start;
                special.lengths.len() != end - start
                    || special
                        .lengths
                        .iter()
                        .zip(&tokens[start..end])
                        .any(|(&len, token)| {
                            let moved = (token.start, token.end) != (at, at + len);
                            at += len;
                            moved
                        })
            })
        });
        if kept.is_empty() {
            return set_aside;
        }
        kept.sort_unstable();
        let result = &mut scratch.result;
        result.clear();
        let mut i = 0;
        let mut k = 0;
        while i < tokens.len() {
            if k < kept.len() && kept[k].0 == i {
                let (start, end) = kept[k];
                k += 1;
                let span = &text[tokens[start].start..tokens[end - 1].end];
                if let Some(special) = self.special(span) {
                    let from = result.len();
                    push_special(special, tokens[start].start, false, result);
                    // Exceptions of white space (` `, `\n`) stay white space.
                    for token in &mut result[from..] {
                        token.lex = scratch.vocab.intern(self, &text[token.start..token.end]);
                        token.space = scratch.vocab.lexeme(token.lex).flags & IS_SPACE != 0;
                    }
                } else {
                    result.extend_from_slice(&tokens[start..end]);
                }
                i = end;
            } else {
                result.push(tokens[i]);
                i += 1;
            }
        }
        std::mem::swap(tokens, result);
        set_aside
    }

    /// The number of sentences the `sentencizer` finds in `text` (at least 1, as
    /// datatrove's `split_into_sentences` returns one part for a text with no sentence).
    #[cfg(test)]
    pub(crate) fn count_sentences(
        &self,
        text: &str,
        scratch: &mut TokenScratch,
        tokens: &mut Vec<Token>,
    ) -> usize {
        self.tokenize(text, scratch, tokens);
        scratch.vocab.sentences_in(tokens)
    }
}

/// ASCII letters with one mark before or after that the English tables always split off
/// as a prefix or suffix, leaving the letters as they would be alone: the range of the
/// letters. `(word`, `"word`, `word,`, `word)`, and `word.` after a lower-case letter or
/// two upper-case ones (`A.` and `xA.` stay whole). Unless the whole is an exception; the
/// unit test `a_mark_beside_letters_splits_off` checks it against the full search.
fn letters_with_mark(bytes: &[u8]) -> Option<(usize, usize)> {
    let n = bytes.len();
    if n < 2 {
        return None;
    }
    if matches!(bytes[0], b'(' | b'"' | b'\'') && bytes[1..].iter().all(u8::is_ascii_alphabetic) {
        return Some((1, n));
    }
    if !bytes[..n - 1].iter().all(u8::is_ascii_alphabetic) {
        return None;
    }
    let before = bytes[n - 2];
    let splits = match bytes[n - 1] {
        b',' | b';' | b':' | b'!' | b'?' | b')' | b'"' | b'\'' => true,
        b'.' => {
            before.is_ascii_lowercase()
                || (n >= 3 && before.is_ascii_uppercase() && bytes[n - 3].is_ascii_uppercase())
        }
        _ => false,
    };
    splits.then_some((0, n - 1))
}

fn push_special(special: &Special, start: usize, space: bool, out: &mut Vec<Token>) {
    let mut at = start;
    for &len in &special.lengths {
        out.push(Token {
            start: at,
            end: at + len,
            space,
            lex: NO_LEXEME,
        });
        at += len;
    }
}

#[derive(Default)]
struct Scratch {
    prefixes: Vec<(usize, usize)>,
    suffixes: Vec<(usize, usize)>,
    infixes: Vec<(usize, usize)>,
    /// Every chunk through the full affix search, without the memo (to test the fast paths).
    #[cfg(test)]
    slow: bool,
}

/// What the signals read of a token, worked out once per distinct text (spaCy's lexeme).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Lexeme {
    /// Bytes.
    pub(crate) len: u32,
    /// Characters (Python's `len`).
    pub(crate) chars: u32,
    /// `IS_SPACE`, `IS_ALPHA`, `IS_SYMBOL` and the tokenizer's own flags.
    pub(crate) flags: u8,
}

/// Every character is white space (Python's `str.isspace`).
pub(crate) const IS_SPACE: u8 = 1;
/// Some character is a letter (Python's `str.isalpha`).
pub(crate) const IS_ALPHA: u8 = 2;
/// Every character is in datatrove's `PUNCTUATION_SET`.
pub(crate) const IS_SYMBOL: u8 = 4;
/// One character, a sentencizer end mark.
const IS_SENTENCE_END: u8 = 8;
/// Every character in a `P*` general category (spaCy's `is_punct`).
const IS_PUNCT: u8 = 16;
/// The first token of a special case the phrase matcher looks for.
const STARTS_MATCH: u8 = 32;

/// The distinct token texts seen, numbered, with their lexemes.
#[derive(Default)]
pub(crate) struct Vocab {
    ids: HashMap<Box<str>, u32, BuildIdentity>,
    texts: Vec<Box<str>>,
    lexemes: Vec<Lexeme>,
    /// Counts the times the vocabulary started over: numbers are only compared within one.
    generation: u64,
}

impl Vocab {
    pub(crate) fn lexeme(&self, lex: u32) -> Lexeme {
        self.lexemes[lex as usize]
    }

    /// The flags of any token's `lex`.
    pub(crate) fn flags(&self, lex: u32) -> u8 {
        match lex {
            LETTERS => IS_ALPHA,
            DIGITS => 0,
            SPACES => IS_SPACE,
            _ => self.lexemes[lex as usize].flags,
        }
    }

    pub(crate) fn text(&self, lex: u32) -> &str {
        &self.texts[lex as usize]
    }

    pub(crate) fn len(&self) -> usize {
        self.lexemes.len()
    }

    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }

    /// The `sentencizer`'s count over `tokens`, the tokens of one stretch of text as that
    /// stretch alone tokenizes (at least 1).
    pub(crate) fn sentences_in(&self, tokens: &[Token]) -> usize {
        let mut count = 1;
        let mut seen_period = false;
        for token in tokens {
            let flags = self.flags(token.lex);
            let is_end = flags & IS_SENTENCE_END != 0;
            if seen_period && !is_end && flags & IS_PUNCT == 0 {
                count += 1;
                seen_period = false;
            } else if is_end {
                seen_period = true;
            }
        }
        count
    }

    fn clear(&mut self) {
        self.ids.clear();
        self.texts.clear();
        self.lexemes.clear();
        self.generation += 1;
    }

    /// The number of `s`, added with its lexeme if new.
    fn intern(&mut self, t: &Tables, s: &str) -> u32 {
        if let Some(&lex) = self.ids.get(s) {
            return lex;
        }
        let lex = u32::try_from(self.lexemes.len()).expect("the vocabulary starts over first");
        let mut chars = s.chars();
        let one = match (chars.next(), chars.next()) {
            (Some(c), None) => Some(c),
            _ => None,
        };
        let flags = [
            (IS_SPACE, s.chars().all(|c| t.is_space(c))),
            (IS_ALPHA, s.chars().any(|c| t.is_alpha(c))),
            (IS_SYMBOL, s.chars().all(|c| t.is_punctuation(c))),
            (
                IS_SENTENCE_END,
                one.is_some_and(|c| t.sentence_ends.binary_search(&c).is_ok()),
            ),
            (IS_PUNCT, t.is_punct(s)),
            (
                STARTS_MATCH,
                s.len() <= t.longest_first && t.matcher.contains_key(&hash_bytes(s.as_bytes())),
            ),
        ]
        .into_iter()
        .fold(
            0,
            |flags, (flag, set)| if set { flags | flag } else { flags },
        );
        self.lexemes.push(Lexeme {
            len: u32::try_from(s.len()).expect("a chunk is under 4 GB"),
            chars: u32::try_from(s.chars().count()).expect("a chunk is under 4 GB"),
            flags,
        });
        self.texts.push(s.into());
        self.ids.insert(s.into(), lex);
        lex
    }
}

/// What a caller keeps between texts: the vocabulary, spaCy's cache of chunk tokens and the
/// buffers of the affix loop and the special-case matcher.
#[derive(Default)]
pub(crate) struct TokenScratch {
    pub(crate) vocab: Vocab,
    memo: Memo,
    affixes: Scratch,
    /// The tokens of the text that may start a special-case match, in order.
    match_starts: Vec<usize>,
    matches: Vec<(usize, usize)>,
    seen: Vec<bool>,
    result: Vec<Token>,
}

impl TokenScratch {
    /// Readies the scratch for a new text: token numbers stay valid until the next call.
    pub(crate) fn start_text(&mut self) {
        if self.memo.is_full() || self.vocab.len() >= MEMO_CAPACITY * 4 {
            self.memo.clear();
            self.vocab.clear();
        }
    }

    /// Notes token `index` as one that may start a special-case match, if `may`.
    fn may_start_match(&mut self, index: usize, may: bool) {
        if may {
            self.match_starts.push(index);
        }
    }

    /// Every chunk through the full affix search, without the memo.
    #[cfg(test)]
    pub(crate) fn slow() -> Self {
        let mut scratch = Self::default();
        scratch.affixes.slow = true;
        scratch
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        let mut tokens = Vec::new();
        tables().tokenize(text, &mut TokenScratch::default(), &mut tokens);
        tokens
            .iter()
            .filter(|t| !t.space)
            .map(|t| &text[t.start..t.end])
            .collect()
    }

    #[test]
    fn splits_inside_words_as_spacy_does() {
        // Outputs of spacy.blank("en") 3.8.
        assert_eq!(
            words("e-tron 0-62 AR/VR"),
            ["e", "-", "tron", "0", "-", "62", "AR", "/", "VR"]
        );
        assert_eq!(words("It’s ©2019."), ["It", "’s", "©", "2019", "."]);
        assert_eq!(
            words("Don't (U.S.) stop!"),
            ["Do", "n't", "(", "U.S.", ")", "stop", "!"]
        );
        assert_eq!(
            words("See https://example.com/a-b, ok"),
            ["See", "https://example.com/a-b", ",", "ok"]
        );
        assert_eq!(
            words("5km $10 ...and"),
            ["5", "km", "$", "10", "...", "and"]
        );
    }

    #[test]
    fn white_space_beyond_one_space_is_a_token() {
        let mut tokens = Vec::new();
        tables().tokenize("a  b\n\nc", &mut TokenScratch::default(), &mut tokens);
        let texts: Vec<(&str, bool)> = tokens
            .iter()
            .map(|t| (&"a  b\n\nc"[t.start..t.end], t.space))
            .collect();
        assert_eq!(
            texts,
            [
                ("a", false),
                (" ", true),
                ("b", false),
                ("\n\n", true),
                ("c", false)
            ]
        );
    }

    #[test]
    fn every_language_s_tables_compile() {
        for code in languages() {
            let t = tables_for(code).unwrap();
            let mut tokens = Vec::new();
            t.tokenize(
                "Ein Test, d’un l’homme (x-y) 3.5km!",
                &mut TokenScratch::default(),
                &mut tokens,
            );
            assert!(tokens.len() >= 6, "{code}: {tokens:?}");
        }
        assert!(tables_for("zz").is_none());
    }

    /// spaCy's own tokens of real text in every ported language: spaCy's example sentences
    /// and the multilingual fixture's documents (`quality::cases`).
    #[test]
    fn tokens_equal_spacy_s_in_every_language() {
        let spacy = |lang: &str| !lang.starts_with("indic:") && !matches!(lang, "jieba" | "thai");
        crate::quality::cases::check_all(spacy, 1900, |case| {
            let mut tokens = Vec::new();
            tables_for(&case.lang).unwrap().tokenize(
                &case.text,
                &mut TokenScratch::default(),
                &mut tokens,
            );
            tokens
                .iter()
                .filter(|t| !t.space)
                .map(|t| case.text[t.start..t.end].to_string())
                .collect()
        });
    }

    #[test]
    fn most_languages_take_the_ascii_word_shortcut() {
        let without: Vec<&str> = languages()
            .filter(|code| !tables_for(code).unwrap().ascii_words)
            .collect();
        // Hungarian's, Indonesian's and Malay's patterns allow a piece inside such words.
        assert_eq!(without, ["hu", "id", "ms"]);
        assert!(tables().ascii_words);
    }

    #[test]
    fn letters_and_digits_need_no_affix_search() {
        for code in languages() {
            let t = tables_for(code).unwrap();
            if t.ascii_words {
                letters_and_digits_are_one_token(t);
            }
        }
    }

    fn letters_and_digits_are_one_token(t: &Tables) {
        let mut fast = Vec::new();
        let mut slow = Vec::new();
        let mut scratch = Scratch::default();
        let letters: Vec<char> = ('a'..='z').chain('A'..='Z').collect();
        let mut check = |s: &str| {
            fast.clear();
            slow.clear();
            t.push_plain(s, 0, false, &mut fast);
            t.split_affixes(s, 0, &mut slow, &mut scratch);
            assert_eq!(fast, slow, "{s:?}");
        };
        for &a in &letters {
            check(&a.to_string());
            for &b in &letters {
                check(&format!("{a}{b}"));
                for &c in &letters {
                    check(&format!("{a}{b}{c}"));
                }
            }
        }
        for n in 0..10_000 {
            check(&n.to_string());
            check(&format!("{n:05}"));
        }
        for word in ["cannot", "Gonna", "lovin", "ima", "Whatcha", "units", "kgs"] {
            check(word);
        }
    }

    #[test]
    fn ascii_white_space_is_one_token() {
        let spaces = [
            " ", "\t", "\n", "\u{b}", "\u{c}", "\r", "\u{1c}", "\u{1d}", "\u{1e}", "\u{1f}",
        ];
        let mut strings: Vec<String> = spaces.iter().map(|s| s.to_string()).collect();
        for a in spaces {
            for b in spaces {
                strings.push(format!("{a}{b}"));
                for c in spaces {
                    strings.push(format!("{a}{b}{c}"));
                }
            }
        }
        let mut slow = Vec::new();
        for code in languages() {
            let t = tables_for(code).unwrap();
            for s in &strings {
                slow.clear();
                t.split_affixes(s, 0, &mut slow, &mut Scratch::default());
                assert_eq!(slow.len(), 1, "{code}: {s:?}");
            }
        }
    }

    /// The tokens of `text` with the fast paths and the cache, and with neither.
    #[allow(clippy::type_complexity)]
    fn fast_and_slow(text: &str) -> (Vec<(usize, usize, bool)>, Vec<(usize, usize, bool)>) {
        fast_and_slow_in(tables(), text)
    }

    #[allow(clippy::type_complexity)]
    fn fast_and_slow_in(
        t: &Tables,
        text: &str,
    ) -> (Vec<(usize, usize, bool)>, Vec<(usize, usize, bool)>) {
        let (mut fast, mut slow) = (Vec::new(), Vec::new());
        t.tokenize(text, &mut TokenScratch::default(), &mut fast);
        t.tokenize(text, &mut TokenScratch::slow(), &mut slow);
        let spans = |tokens: Vec<Token>| -> Vec<(usize, usize, bool)> {
            tokens.iter().map(|t| (t.start, t.end, t.space)).collect()
        };
        (spans(fast), spans(slow))
    }

    #[test]
    fn a_mark_beside_letters_splits_off() {
        let letters: Vec<char> = ('a'..='z').chain('A'..='Z').collect();
        let mut cores: Vec<String> = letters.iter().map(char::to_string).collect();
        for &a in &letters {
            for &b in &letters {
                cores.push(format!("{a}{b}"));
            }
        }
        for a in "aAzQ".chars() {
            for b in "bBxY".chars() {
                for c in "cCeE".chars() {
                    cores.push(format!("{a}{b}{c}"));
                }
            }
        }
        // Every exception's letters, and every exception that is letters and a mark.
        let mut wholes = Vec::new();
        for special in tables().specials.values().flatten() {
            let text = special.text.as_str();
            if text.bytes().all(|b| b.is_ascii_alphabetic()) {
                cores.push(text.to_string());
            } else if letters_with_mark(text.as_bytes()).is_some() {
                wholes.push(text.to_string());
            }
        }
        let mut checked = 0;
        for core in &cores {
            for mark in ['(', '"', '\'', ',', ';', ':', '!', '?', ')', '.'] {
                wholes.push(format!("{mark}{core}"));
                wholes.push(format!("{core}{mark}"));
            }
        }
        for whole in &wholes {
            let (fast, slow) = fast_and_slow(whole);
            assert_eq!(fast, slow, "{whole:?}");
            checked += usize::from(letters_with_mark(whole.as_bytes()).is_some());
        }
        // The fast path was taken (and compared) for most of them.
        assert!(checked > wholes.len() / 2, "{checked} of {}", wholes.len());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]

        /// Any text tokenizes the same with the fast paths and cache as without, in any
        /// language.
        #[test]
        fn fast_paths_change_no_token(pieces in proptest::collection::vec(
            proptest::sample::select(&[
                "the", "Cat", "A", "xA", "US", "cannot", "gonna", "Mr", "it", "that", "e",
                "tron", "km", "5", "2019", "1,000", "3.5", "10a.m", "8", "'s", "'", "’s",
                "n't", "'Cause", "(", ")", ",", ".", "...", "…", "!", "?", ":", ";", "\"",
                "-", "—", "/", "#", "$", "US$", "°", "C", "[1]", ":)", "<3",
                "https://example.com/a-b", "www.x.org", "a@b.co", "café", "Ünïcödé", "日本",
                "ß", "İ", "😀", " ", " ", "  ", "\n", "\n\n", "\t", "\u{a0}",
            ][..]),
            0..24,
        ), language in 0..LANGUAGES.len()) {
            let text: String = pieces.concat();
            let (fast, slow) = fast_and_slow_in(tables_for(LANGUAGES[language].0).unwrap(), &text);
            proptest::prop_assert_eq!(fast, slow, "{:?}", text);
        }
    }

    #[test]
    fn sentencizer_counts_ends_before_a_non_punctuation_token() {
        let mut tokens = Vec::new();
        let t = tables();
        assert_eq!(
            t.count_sentences(
                "One. Two! Three?",
                &mut TokenScratch::default(),
                &mut tokens
            ),
            3
        );
        assert_eq!(
            t.count_sentences("Wait... what?", &mut TokenScratch::default(), &mut tokens),
            1
        );
        assert_eq!(
            t.count_sentences(
                "He said \"go.\" Then left.",
                &mut TokenScratch::default(),
                &mut tokens
            ),
            2
        );
        assert_eq!(
            t.count_sentences(
                "Mr. Smith arrived.",
                &mut TokenScratch::default(),
                &mut tokens
            ),
            1
        );
        assert_eq!(
            t.count_sentences("No end mark", &mut TokenScratch::default(), &mut tokens),
            1
        );
    }
}
