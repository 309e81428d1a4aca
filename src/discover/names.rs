//! `discover names`: spellings of the same name that nobody listed, found across a corpus.
//!
//! The pass has two halves. [`NameScanner::scan`] reads one document (documents are
//! independent, so callers run it in parallel) and notes its capitalised words and
//! two-word names with their neighbours and context words; [`NameScan`] adds those up in
//! input order. [`NameScan::link`] then pairs spellings that one of the letter schemes of
//! the rule files (Turkish `c` for `j`, Russian-route `zh`, German-route `dsch`, …) or
//! common variation (`-yev`/`-ev`, `y`/`i`, doubled letters, `ks`/`x`, hyphen or space)
//! turns into each other, and keeps a pair only with evidence from the corpus:
//!
//! - the canonical spelling is the one most used in documents written without the
//!   schemes' own letters (`ı`, `ş`, `ğ`, …);
//! - a *proposal* needs support: the same neighbouring name (`Sooronbay Ceenbekov` and
//!   `Sooronbay Jeenbekov`) or at least two shared context words;
//! - ordinary English words (an embedded list, and words the corpus itself writes in
//!   lower case) are never linked, so `Central` or `Commission` never become names.
//!
//! It does not decide which of two *different* people a reader meant: it only links
//! spellings a scheme explains, and says how sure it is ([`Proposal::confidence`]).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::sync::OnceLock;

use serde::Serialize;

use crate::rule::compile::Scheme;
use crate::rule::names::NameTable;
use crate::rule::RuleSet;

/// Confidence at or above which a supported pair is proposed (written as a rule).
pub const PROPOSE_AT: f64 = 0.6;
/// Confidence below which a pair is not even reported.
pub const REPORT_AT: f64 = 0.3;

/// Shortest capitalised word read (`Oş`, Turkish for `Osh`).
const MIN_NAME_CHARS: usize = 2;
/// Shortest spelling linked without a scheme's own letters in the variant: short words
/// collide with other names (`Oş` → `Osh` is linked, `Can` → `Jan` is not).
const MIN_PLAIN_LINK_CHARS: usize = 4;
/// Context words kept on each side of a name.
const CONTEXT_WINDOW: usize = 3;
/// Example sentences kept per spelling.
const MAX_EXAMPLES: usize = 2;
/// Share of lower-case words holding a scheme-only letter above which a document is
/// written in that orthography (Turkish, Uzbek Latin…) and not English: it is skipped.
const MAX_FOREIGN_SHARE: f64 = 0.05;
/// Most common-variation steps (`y`/`i`, a doubled letter…) in one pair.
const MAX_COMMON_STEPS: u8 = 2;

/// Word-ending variants that English, Russian-route and Turkish-route copy use for the
/// same surname (`Atambayev`, `Atambaev`, `Atambaiev`, `Atambayeva`).
const ENDINGS: &[&str] = &["ev", "yev", "iev", "iyev", "eva", "yeva", "ieva", "iyeva"];

/// Function words that say nothing about who a name is.
const STOP_WORDS: &[&str] = &[
    "the", "and", "for", "with", "that", "this", "from", "was", "were", "has", "have", "had",
    "are", "his", "her", "its", "their", "who", "which", "said", "not", "but", "also", "been",
    "will", "would", "after", "before", "into", "over", "than", "then", "they", "them", "she",
    "him", "our", "out", "all", "about", "when", "while", "what", "there", "other", "more", "can",
    "one", "two", "new", "mr", "mrs",
];

/// Reads documents; compiled once from the rule set's letter schemes.
#[derive(Debug, Clone)]
pub struct NameScanner {
    /// Letters only the schemes write (beyond Latin-1: `ı`, `ş`, `ğ`, `ū`, `ʻ`): a
    /// capitalised word holding one marks the document as translated through a scheme.
    route_letters: Vec<char>,
}

impl NameScanner {
    /// A scanner for the schemes of `rules`.
    #[must_use]
    pub fn new(rules: &RuleSet) -> Self {
        let mut route_letters: Vec<char> = rules
            .schemes()
            .iter()
            .flat_map(|(_, scheme)| scheme.letters.iter())
            .flat_map(|(_, spelling)| spelling.chars())
            .filter(|c| u32::from(*c) > 0xff)
            // Dotless `ı` capitalises to a plain `I`, which is no sign of anything.
            .flat_map(|c| std::iter::once(c).chain(c.to_uppercase().filter(|u| !u.is_ascii())))
            .collect();
        // Turkish capital dotted I: `İlham`.
        route_letters.push('İ');
        route_letters.sort_unstable();
        route_letters.dedup();
        Self { route_letters }
    }

    /// What one document tells about names. Pure: run it on many documents at once.
    #[must_use]
    pub fn scan(&self, id: &str, text: &str) -> DocumentNames {
        let tokens = tokens(text);
        let mut lower_words = 0usize;
        let mut foreign_words = 0usize;
        let mut route = false;
        let mut lower: HashMap<String, u32> = HashMap::new();
        for token in &tokens {
            let word = &text[token.range.clone()];
            let has_route = word.chars().any(|c| self.route_letters.contains(&c));
            if token.capitalised {
                route |= has_route;
            } else if token.lower {
                lower_words += 1;
                foreign_words += usize::from(has_route);
                if word.len() >= 3 {
                    *lower.entry(word.to_string()).or_default() += 1;
                }
            }
        }
        if foreign_words as f64 > MAX_FOREIGN_SHARE * lower_words as f64 {
            return DocumentNames {
                skipped: true,
                ..DocumentNames::default()
            };
        }
        let mut names: HashMap<String, Seen> = HashMap::new();
        for (at, token) in tokens.iter().enumerate() {
            if !token.capitalised {
                continue;
            }
            // The word itself, and the two-word name it starts (`Issyk Kul`).
            let two = token.joined && tokens.get(at + 1).is_some_and(|t| t.capitalised);
            let spans = [Some(at..at + 1), two.then(|| at..at + 2)];
            for span in spans.into_iter().flatten() {
                let first = &tokens[span.start];
                let last = &tokens[span.end - 1];
                let name = &text[first.range.start..last.range.end];
                let seen = names.entry(name.to_string()).or_default();
                seen.count += 1;
                seen.initial += u32::from(first.initial);
                if span.start > 0 {
                    let left = &tokens[span.start - 1];
                    if left.capitalised && left.joined {
                        seen.left.insert(text[left.range.clone()].to_string());
                    }
                }
                if last.joined {
                    if let Some(right) = tokens.get(span.end).filter(|t| t.capitalised) {
                        seen.right.insert(text[right.range.clone()].to_string());
                    }
                }
                let from = span.start.saturating_sub(CONTEXT_WINDOW);
                let to = (span.end + CONTEXT_WINDOW).min(tokens.len());
                for near in tokens[from..to].iter().filter(|t| t.lower) {
                    let word = &text[near.range.clone()];
                    if word.len() >= 3 && !STOP_WORDS.contains(&word) {
                        seen.context.insert(word.to_string());
                    }
                }
                if seen.example.is_none() {
                    seen.example = Some(Example {
                        id: id.to_string(),
                        text: snippet(text, first.range.start, last.range.end),
                    });
                }
            }
        }
        DocumentNames {
            skipped: false,
            route,
            names,
            lower,
        }
    }
}

/// What one document contributes ([`NameScanner::scan`]).
#[derive(Debug, Clone, Default)]
pub struct DocumentNames {
    skipped: bool,
    route: bool,
    names: HashMap<String, Seen>,
    lower: HashMap<String, u32>,
}

/// One spelling within one document.
#[derive(Debug, Clone, Default)]
struct Seen {
    count: u32,
    initial: u32,
    left: BTreeSet<String>,
    right: BTreeSet<String>,
    context: BTreeSet<String>,
    example: Option<Example>,
}

/// A sentence where a spelling occurs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Example {
    /// The document's id.
    pub id: String,
    /// The sentence (or the stretch of its line around the name).
    pub text: String,
}

/// One spelling across the corpus.
#[derive(Debug, Clone, Default)]
struct Entry {
    count: u32,
    documents: u32,
    /// Occurrences in documents with no word in a scheme's letters.
    plain: u32,
    /// Documents with no word in a scheme's letters that hold it.
    plain_documents: u32,
    initial: u32,
    left: HashMap<String, u32>,
    right: HashMap<String, u32>,
    context: HashMap<String, u32>,
    examples: Vec<Example>,
}

/// The corpus so far: add documents in input order with [`NameScan::add`].
#[derive(Debug, Clone, Default)]
pub struct NameScan {
    documents: usize,
    route_documents: usize,
    skipped_documents: usize,
    entries: HashMap<String, Entry>,
    lower: HashMap<String, u32>,
}

impl NameScan {
    /// Adds one document's names.
    pub fn add(&mut self, document: DocumentNames) {
        self.documents += 1;
        if document.skipped {
            self.skipped_documents += 1;
            return;
        }
        self.route_documents += usize::from(document.route);
        for (word, count) in document.lower {
            *self.lower.entry(word).or_default() += count;
        }
        for (name, seen) in document.names {
            let entry = self.entries.entry(name).or_default();
            entry.count += seen.count;
            entry.documents += 1;
            entry.initial += seen.initial;
            if !document.route {
                entry.plain += seen.count;
                entry.plain_documents += 1;
            }
            for word in seen.left {
                *entry.left.entry(word).or_default() += 1;
            }
            for word in seen.right {
                *entry.right.entry(word).or_default() += 1;
            }
            for word in seen.context {
                *entry.context.entry(word).or_default() += 1;
            }
            if entry.examples.len() < MAX_EXAMPLES {
                entry.examples.extend(seen.example);
            }
        }
    }

    /// Documents read, including skipped ones.
    #[must_use]
    pub fn documents(&self) -> usize {
        self.documents
    }

    /// Documents with a capitalised word in a scheme's own letters.
    #[must_use]
    pub fn route_documents(&self) -> usize {
        self.route_documents
    }

    /// Documents left out because they are written in a scheme's orthography (Turkish
    /// text, not English text with Turkish names).
    #[must_use]
    pub fn skipped_documents(&self) -> usize {
        self.skipped_documents
    }

    /// Links variant spellings to canonical ones. Deterministic: the result depends on
    /// the documents added, not on how they were scheduled.
    #[must_use]
    pub fn link(&self, rules: &RuleSet) -> Vec<Proposal> {
        Linker::new(rules, self).link()
    }
}

/// Whether a proposal is written as a rule or only listed for a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Supported and confident: `--write-rules` writes it.
    Proposed,
    /// Plausible but without enough support: listed, never written.
    Reported,
}

/// A variant spelling linked to its canonical spelling.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Proposal {
    /// The spelling to fix (`Ceenbekov`).
    pub variant: String,
    /// The spelling to use (`Jeenbekov`).
    pub canonical: String,
    /// Proposed or only reported.
    pub status: Status,
    /// 0 to 1: how much the letters and the corpus support the link.
    pub confidence: f64,
    /// The letter schemes that explain the difference (`turkish`), if any.
    pub schemes: Vec<String>,
    /// Steps of common variation (`-yev`/`-ev`, `y`/`i`, doubled letters, hyphens).
    pub common_steps: u8,
    /// Neighbouring names both spellings stand next to (`Sooronbay`).
    pub neighbours: Vec<String>,
    /// Context words both spellings share.
    pub shared_context: Vec<String>,
    /// The canonical spelling is a canonical word of a name rule (the shipped list).
    pub known: bool,
    /// Occurrences of the variant.
    pub variant_count: u32,
    /// Documents holding the variant.
    pub variant_documents: u32,
    /// Occurrences of the canonical spelling.
    pub canonical_count: u32,
    /// Where the variant occurs.
    pub examples: Vec<Example>,
}

/// How `c` (canonical) turns into `v` (variant).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Evidence {
    schemes: BTreeSet<usize>,
    common: u8,
}

impl Evidence {
    fn cost(&self) -> (u8, usize) {
        (self.common, self.schemes.len())
    }
}

struct Linker<'a> {
    scan: &'a NameScan,
    schemes: Vec<(&'a str, &'a Scheme)>,
    /// Letter groups of every scheme, both sides, longest first, with their class.
    classes: Vec<(String, char)>,
    route_letters: Vec<char>,
    english: &'static HashSet<&'static str>,
    /// Canonical words of the rule set's name rules (the shipped list and the user's).
    known: BTreeSet<String>,
}

impl<'a> Linker<'a> {
    fn new(rules: &'a RuleSet, scan: &'a NameScan) -> Self {
        let schemes: Vec<(&str, &Scheme)> = rules
            .schemes()
            .iter()
            .map(|(name, scheme)| (name.as_str(), scheme))
            .collect();
        // Letter groups that a scheme turns into one another share a class, so both
        // spellings of a name get the same blocking key.
        let mut groups: Vec<(String, String)> = schemes
            .iter()
            .flat_map(|(_, s)| s.letters.iter().cloned())
            .collect();
        groups.extend(
            [("y", "i"), ("ks", "x"), ("v", "w")]
                .iter()
                .map(|(a, b)| ((*a).to_string(), (*b).to_string())),
        );
        let mut parent: BTreeMap<String, String> = BTreeMap::new();
        fn root(parent: &BTreeMap<String, String>, mut s: String) -> String {
            while let Some(p) = parent.get(&s) {
                if *p == s {
                    break;
                }
                s = p.clone();
            }
            s
        }
        for (a, b) in &groups {
            parent.entry(a.clone()).or_insert_with(|| a.clone());
            parent.entry(b.clone()).or_insert_with(|| b.clone());
            let (ra, rb) = (root(&parent, a.clone()), root(&parent, b.clone()));
            if ra != rb {
                let (low, high) = if ra < rb { (ra, rb) } else { (rb, ra) };
                parent.insert(high, low);
            }
        }
        let roots: BTreeSet<String> = parent.keys().map(|k| root(&parent, k.clone())).collect();
        let symbol: BTreeMap<String, char> = roots
            .into_iter()
            .enumerate()
            .map(|(i, r)| (r, char::from_u32(0xE000 + i as u32).unwrap_or('?')))
            .collect();
        let mut classes: Vec<(String, char)> = parent
            .keys()
            .map(|k| (k.clone(), symbol[&root(&parent, k.clone())]))
            .collect();
        classes.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        let route_letters = NameScanner::new(rules).route_letters;
        Self {
            scan,
            schemes,
            classes,
            route_letters,
            english: english_words(),
            known: rules.known_names(),
        }
    }

    /// A key two spellings of one name share: scheme letter groups by class, hyphens,
    /// spaces and apostrophes dropped, doubled symbols collapsed, `-yev`-like endings
    /// unified. Coarse on purpose: [`Linker::align`] does the exact check.
    fn key(&self, word: &str) -> String {
        let mut lower: String = lower(word)
            .chars()
            .filter(|c| !matches!(c, '-' | ' ' | '\'' | '’' | 'ʻ' | 'ʼ'))
            .collect();
        // `-yev`, `-iev`, `-iyev` (and `-eva`) all as `-ev`.
        for (long, short) in [
            ("iyeva", "eva"),
            ("yeva", "eva"),
            ("ieva", "eva"),
            ("iyev", "ev"),
            ("yev", "ev"),
            ("iev", "ev"),
        ] {
            if lower.ends_with(long) {
                lower.truncate(lower.len() - long.len());
                lower.push_str(short);
                break;
            }
        }
        let mut key = String::with_capacity(lower.len());
        let mut rest = lower.as_str();
        while let Some(c) = rest.chars().next() {
            match self
                .classes
                .iter()
                .find(|(g, _)| rest.starts_with(g.as_str()))
            {
                Some((g, symbol)) => {
                    key.push(*symbol);
                    rest = &rest[g.len()..];
                }
                None => {
                    key.push(c);
                    rest = &rest[c.len_utf8()..];
                }
            }
        }
        let mut collapsed = String::with_capacity(key.len());
        for c in key.chars() {
            if !collapsed.ends_with(c) {
                collapsed.push(c);
            }
        }
        collapsed
    }

    /// Whether `word` is an ordinary English word rather than a name: in the embedded
    /// list, or written in lower case in the corpus often enough.
    fn ordinary(&self, word: &str, entry: &Entry) -> bool {
        let lower = word.to_lowercase();
        if word.contains(' ') {
            return lower.split(' ').all(|w| self.english.contains(w));
        }
        if self.english.contains(lower.as_str()) {
            return true;
        }
        let in_lower_case = self.scan.lower.get(&lower).copied().unwrap_or(0);
        in_lower_case >= 2 && in_lower_case * 4 >= entry.count
    }

    /// `canonical` is the better-attested spelling: a name rule's spelling (the shipped
    /// list) first, then the one in more documents without scheme letters, then more
    /// uses there, then more uses overall, then the first in byte order.
    fn prefer(&self, canonical: &str, c: &Entry, variant: &str, v: &Entry) -> bool {
        let rank = |word: &str, e: &Entry| {
            (
                self.known.contains(word),
                e.plain_documents,
                e.plain,
                e.count,
                std::cmp::Reverse(word.to_string()),
            )
        };
        rank(canonical, c) > rank(variant, v)
    }

    fn has_route_letters(&self, word: &str) -> bool {
        word.chars().any(|c| self.route_letters.contains(&c))
    }

    fn link(&self) -> Vec<Proposal> {
        let mut candidates: Vec<(&str, &Entry)> = self
            .scan
            .entries
            .iter()
            .filter(|(word, entry)| {
                word.chars().count() >= MIN_NAME_CHARS && !self.ordinary(word, entry)
            })
            .map(|(w, e)| (w.as_str(), e))
            .collect();
        candidates.sort_by(|a, b| a.0.cmp(b.0));
        let mut blocks: BTreeMap<String, Vec<(&str, &Entry)>> = BTreeMap::new();
        for &(word, entry) in &candidates {
            blocks
                .entry(self.key(word))
                .or_default()
                .push((word, entry));
        }
        // variant → best proposal
        let mut best: BTreeMap<&str, Proposal> = BTreeMap::new();
        for members in blocks.values().filter(|m| m.len() > 1) {
            for &(variant, v) in members {
                for &(canonical, c) in members {
                    let short = variant.chars().count().min(canonical.chars().count())
                        < MIN_PLAIN_LINK_CHARS;
                    if variant == canonical
                        || (short && !self.has_route_letters(variant))
                        || !self.prefer(canonical, c, variant, v)
                        || self.has_route_letters(canonical)
                        || c.plain == 0
                        || (variant.contains(' ') && canonical.contains(' '))
                        || variant.to_lowercase() == canonical.to_lowercase()
                    {
                        continue;
                    }
                    let Some(evidence) = self.align(canonical, variant) else {
                        continue;
                    };
                    let proposal = self.judge(variant, v, canonical, c, &evidence);
                    if proposal.confidence < REPORT_AT {
                        continue;
                    }
                    let better = best.get(variant).is_none_or(|old| {
                        (
                            proposal.status,
                            -proposal.confidence,
                            proposal.canonical_count,
                        ) < (old.status, -old.confidence, old.canonical_count)
                    });
                    if better {
                        best.insert(variant, proposal);
                    }
                }
            }
        }
        // A canonical spelling that is itself a variant points on to its own canonical.
        let targets: BTreeMap<String, String> = best
            .values()
            .filter(|p| p.status == Status::Proposed)
            .map(|p| (p.variant.clone(), p.canonical.clone()))
            .collect();
        let mut proposals: Vec<Proposal> = best.into_values().collect();
        for proposal in &mut proposals {
            let mut hops = 0;
            while let Some(next) = targets.get(&proposal.canonical) {
                if hops > 8 || *next == proposal.variant {
                    break;
                }
                proposal.canonical = next.clone();
                hops += 1;
            }
        }
        proposals.sort_by(|a, b| {
            (a.status, b.confidence, &a.variant)
                .partial_cmp(&(b.status, a.confidence, &b.variant))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        proposals
    }

    /// Scores a pair; see the module documentation for the rule.
    fn judge(
        &self,
        variant: &str,
        v: &Entry,
        canonical: &str,
        c: &Entry,
        evidence: &Evidence,
    ) -> Proposal {
        let mut confidence = if evidence.schemes.is_empty() {
            0.15
        } else if self.has_route_letters(variant) {
            0.45
        } else {
            0.3
        };
        let mut neighbours = BTreeSet::new();
        for (mine, theirs) in [(&v.left, &c.left), (&v.right, &c.right)] {
            for n in mine.keys() {
                let Some(entry) = self.scan.entries.get(n) else {
                    continue;
                };
                if self.ordinary(n, entry) {
                    continue;
                }
                let key = self.key(n);
                if theirs.keys().any(|t| self.key(t) == key) {
                    neighbours.insert(n.clone());
                }
            }
        }
        let shared: Vec<String> = {
            let mut shared: Vec<&String> = v
                .context
                .keys()
                .filter(|w| c.context.contains_key(*w))
                .collect();
            shared.sort();
            shared.into_iter().cloned().collect()
        };
        if !neighbours.is_empty() {
            confidence += 0.4;
        }
        // A name rule already spells it this way: the shipped list confirms it.
        let known = self.known.contains(canonical);
        if known {
            confidence += 0.3;
        }
        confidence += (0.1 * shared.len() as f64).min(0.3);
        if v.plain < v.count && c.plain > 0 {
            // The variant turns up in documents translated through a scheme.
            confidence += 0.1;
        }
        let confidence = (confidence.min(1.0) * 100.0).round() / 100.0;
        let supported = !neighbours.is_empty() || shared.len() >= 2 || known;
        let status = if supported && confidence >= PROPOSE_AT {
            Status::Proposed
        } else {
            Status::Reported
        };
        Proposal {
            variant: variant.to_string(),
            canonical: canonical.to_string(),
            status,
            confidence,
            schemes: evidence
                .schemes
                .iter()
                .map(|&i| self.schemes[i].0.to_string())
                .collect(),
            common_steps: evidence.common,
            neighbours: neighbours.into_iter().collect(),
            shared_context: shared,
            known,
            variant_count: v.count,
            variant_documents: v.documents,
            canonical_count: c.count,
            examples: v.examples.clone(),
        }
    }

    /// How `canonical` turns into `variant` by scheme letters and at most
    /// [`MAX_COMMON_STEPS`] steps of common variation, preferring fewer such steps.
    fn align(&self, canonical: &str, variant: &str) -> Option<Evidence> {
        let c: Vec<char> = lower(canonical).chars().collect();
        let v: Vec<char> = lower(variant).chars().collect();
        let mut memo = HashMap::new();
        let mut found = self.align_from(&c, &v, 0, 0, &mut memo)?;
        if found.schemes.is_empty() && found.common == 0 && variant.contains('İ') {
            // Only Turkish capital `İ` for `I` (`İlham`): Turkish orthography.
            if let Some(turkish) = self.schemes.iter().position(|(n, _)| *n == "turkish") {
                found.schemes.insert(turkish);
            }
        }
        (!found.schemes.is_empty() || found.common > 0).then_some(found)
    }

    fn align_from(
        &self,
        c: &[char],
        v: &[char],
        i: usize,
        j: usize,
        memo: &mut HashMap<(usize, usize), Option<Evidence>>,
    ) -> Option<Evidence> {
        if let Some(known) = memo.get(&(i, j)) {
            return known.clone();
        }
        let mut options: Vec<Option<Evidence>> = Vec::new();
        if i == c.len() && j == v.len() {
            memo.insert((i, j), Some(Evidence::default()));
            return Some(Evidence::default());
        }
        let starts = |s: &[char], at: usize, p: &str| {
            let p: Vec<char> = p.chars().collect();
            s.len() >= at + p.len() && s[at..at + p.len()] == p[..]
        };
        if i < c.len() && j < v.len() && c[i] == v[j] {
            options.push(self.align_from(c, v, i + 1, j + 1, memo));
        }
        for (index, (_, scheme)) in self.schemes.iter().enumerate() {
            for (from, to) in &scheme.letters {
                if starts(c, i, from) && starts(v, j, to) {
                    let (fl, tl) = (from.chars().count(), to.chars().count());
                    if let Some(mut e) = self.align_from(c, v, i + fl, j + tl, memo) {
                        e.schemes.insert(index);
                        options.push(Some(e));
                    }
                }
            }
        }
        let common = |e: Option<Evidence>| {
            e.filter(|e| e.common < MAX_COMMON_STEPS).map(|mut e| {
                e.common += 1;
                e
            })
        };
        let skippable = |ch: char| matches!(ch, '-' | ' ' | '\'' | '’' | 'ʻ' | 'ʼ');
        if i < c.len() && (skippable(c[i]) || (i > 0 && c[i] == c[i - 1])) {
            options.push(common(self.align_from(c, v, i + 1, j, memo)));
        }
        if j < v.len() && (skippable(v[j]) || (j > 0 && v[j] == v[j - 1])) {
            options.push(common(self.align_from(c, v, i, j + 1, memo)));
        }
        if i < c.len() && j < v.len() && matches!((c[i], v[j]), ('y', 'i') | ('i', 'y')) {
            options.push(common(self.align_from(c, v, i + 1, j + 1, memo)));
        }
        if starts(c, i, "ks") && starts(v, j, "x") {
            options.push(common(self.align_from(c, v, i + 2, j + 1, memo)));
        }
        if starts(c, i, "x") && starts(v, j, "ks") {
            options.push(common(self.align_from(c, v, i + 1, j + 2, memo)));
        }
        let rest_c: String = c[i.min(c.len())..].iter().collect();
        let rest_v: String = v[j.min(v.len())..].iter().collect();
        if rest_c != rest_v
            && ENDINGS.contains(&rest_c.as_str())
            && ENDINGS.contains(&rest_v.as_str())
        {
            options.push(common(Some(Evidence::default())));
        }
        let best = options.into_iter().flatten().min_by_key(Evidence::cost);
        memo.insert((i, j), best.clone());
        best
    }
}

/// Lower case, with Turkish dotted `İ` as `i` (Rust lowers it to `i` and a combining dot).
fn lower(word: &str) -> String {
    word.replace('İ', "I").to_lowercase()
}

/// The embedded list of ordinary English words (lower case).
fn english_words() -> &'static HashSet<&'static str> {
    static WORDS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| {
        include_str!("english-words.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// Whether `word` (any case) is in the embedded list of ordinary English words.
#[must_use]
pub fn is_english_word(word: &str) -> bool {
    english_words().contains(word.to_lowercase().as_str())
}

/// A word of the text: letters, with hyphens between letters (`Issyk-Kul`).
#[derive(Debug, Clone)]
struct Token {
    range: std::ops::Range<usize>,
    /// Upper-case first letter, some lower-case, long enough to be a name.
    capitalised: bool,
    /// All lower case.
    lower: bool,
    /// First word of a sentence or line.
    initial: bool,
    /// Followed by exactly one space and then the next word.
    joined: bool,
}

fn tokens(text: &str) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut gap_start = 0;
    while let Some((at, c)) = chars.next() {
        if !is_letter(c) {
            continue;
        }
        let start = at;
        let mut end = at + c.len_utf8();
        while let Some(&(next_at, next)) = chars.peek() {
            if is_letter(next) {
                end = next_at + next.len_utf8();
                chars.next();
            } else if next == '-' && text[next_at + 1..].chars().next().is_some_and(is_letter) {
                chars.next();
            } else {
                break;
            }
        }
        let gap = &text[gap_start..start];
        let initial = out.is_empty() || gap.contains(['.', '!', '?', ':', '\n']);
        if let Some(previous) = out.last_mut() {
            previous.joined = gap == " ";
        }
        let word = &text[start..end];
        let first_upper = c.is_uppercase();
        let any_lower = word.chars().any(char::is_lowercase);
        out.push(Token {
            range: start..end,
            capitalised: first_upper && any_lower && word.chars().count() >= MIN_NAME_CHARS,
            lower: !word.chars().any(char::is_uppercase),
            initial,
            joined: false,
        });
        gap_start = end;
    }
    out
}

fn is_letter(c: char) -> bool {
    c.is_alphabetic() || c == 'ʻ'
}

/// The stretch of the line around `start..end`, cut at spaces about 80 bytes each side.
fn snippet(text: &str, start: usize, end: usize) -> String {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let mut from = line_start.max(start.saturating_sub(80));
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    if from > line_start {
        from = text[from..start].find(' ').map_or(from, |i| from + i + 1);
    }
    let mut to = line_end.min(end + 80);
    while !text.is_char_boundary(to) {
        to += 1;
    }
    if to < line_end {
        to = text[end..to].rfind(' ').map_or(to, |i| end + i);
    }
    text[from..to].trim().to_string()
}

/// The id of the rule `--write-rules` writes.
pub const RULE_ID: &str = "names/discovered-variant";

/// Most `[[rule.test]]` cases written per rule file.
const MAX_TESTS: usize = 40;

/// A rule file holding the proposed links as one `lexicon` rule, one line per entry with
/// its evidence, and tests drawn from the corpus (each variant's sentence fixed, each
/// canonical sentence left alone), ready for `rules test` and `clean --rules`.
#[must_use]
pub fn rule_file(proposals: &[Proposal], documents: usize) -> String {
    let accepted: Vec<&Proposal> = proposals
        .iter()
        .filter(|p| p.status == Status::Proposed)
        .collect();
    let entries: BTreeMap<String, String> = accepted
        .iter()
        .map(|p| (p.variant.clone(), p.canonical.clone()))
        .collect();
    let quote = |s: &str| toml::Value::String(s.to_string()).to_string();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Written by `textscrub discover names` from {documents} document(s): {} variant spelling(s).\n\
         # Review each entry (delete a line to drop it), then run\n\
         #   textscrub rules test THIS_FILE && textscrub clean --rules THIS_FILE …\n",
        accepted.len()
    );
    let _ = writeln!(out, "[[rule]]");
    let _ = writeln!(out, "id = {}", quote(RULE_ID));
    let _ = writeln!(out, "kind = \"lexicon\"");
    let _ = writeln!(
        out,
        "description = \"Name spellings found in this corpus that a letter scheme or common variation links to the spelling used in English copy.\""
    );
    let _ = writeln!(out, "\n[rule.entries]");
    let mut sorted = accepted.clone();
    sorted.sort_by(|a, b| a.variant.cmp(&b.variant));
    for p in &sorted {
        let mut why = Vec::new();
        if !p.schemes.is_empty() {
            why.push(p.schemes.join("+"));
        }
        if p.common_steps > 0 {
            why.push(format!("{} common step(s)", p.common_steps));
        }
        if !p.neighbours.is_empty() {
            why.push(format!("next to {}", p.neighbours.join(", ")));
        }
        if p.known {
            why.push("listed".to_string());
        }
        if !p.shared_context.is_empty() {
            let words: Vec<&str> = p
                .shared_context
                .iter()
                .take(4)
                .map(String::as_str)
                .collect();
            why.push(format!("context {}", words.join(", ")));
        }
        let _ = writeln!(
            out,
            "{} = {}   # {:.2}; {}; {}× in {} document(s)",
            quote(&p.variant),
            quote(&p.canonical),
            p.confidence,
            why.join("; "),
            p.variant_count,
            p.variant_documents
        );
    }
    // Tests: each variant's own sentence, fixed by the whole table.
    if let Ok(table) = NameTable::new(&entries) {
        let mut written = BTreeSet::new();
        for p in &sorted {
            if written.len() >= MAX_TESTS {
                break;
            }
            let Some(example) = p.examples.first() else {
                continue;
            };
            if !written.insert(example.text.clone()) {
                continue;
            }
            let output = crate::edit::apply(&example.text, &table.edits(&example.text));
            if output == example.text {
                continue;
            }
            let _ = writeln!(out, "\n[[rule.test]]  # {}", example.id.replace('\n', " "));
            let _ = writeln!(out, "input = {}", quote(&example.text));
            let _ = writeln!(out, "output = {}", quote(&output));
        }
    }
    // And a sentence in the canonical spelling, which must stay as it is.
    let _ = writeln!(out, "\n[[rule.test]]");
    let canonical_line = sorted
        .iter()
        .map(|p| p.canonical.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .take(12)
        .collect::<Vec<_>>()
        .join(", ");
    let _ = writeln!(
        out,
        "input = {}",
        quote(&format!(
            "The Central Election Commission met {canonical_line}."
        ))
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(docs: &[&str]) -> Vec<Proposal> {
        let rules = RuleSet::defaults().unwrap();
        let scanner = NameScanner::new(&rules);
        let mut scan = NameScan::default();
        for (i, d) in docs.iter().enumerate() {
            scan.add(scanner.scan(&format!("doc{i}"), d));
        }
        scan.link(&rules)
    }

    #[test]
    fn keys_agree_for_scheme_spellings() {
        let rules = RuleSet::defaults().unwrap();
        let scan = NameScan::default();
        let linker = Linker::new(&rules, &scan);
        assert_eq!(linker.key("Ceenbekov"), linker.key("Jeenbekov"));
        assert_eq!(linker.key("Sadır"), linker.key("Sadyr"));
        assert_eq!(linker.key("Atambaev"), linker.key("Atambayev"));
        assert_eq!(linker.key("Issyk Kul"), linker.key("Issyk-Kul"));
        assert_ne!(linker.key("Bishkek"), linker.key("Tashkent"));
    }

    #[test]
    fn alignment_names_the_scheme() {
        let rules = RuleSet::defaults().unwrap();
        let scan = NameScan::default();
        let linker = Linker::new(&rules, &scan);
        let e = linker.align("Jeenbekov", "Ceenbekov").unwrap();
        assert_eq!(e.common, 0);
        assert!(e.schemes.iter().any(|&i| linker.schemes[i].0 == "turkish"));
        assert_eq!(linker.align("Atambayev", "Atambaev").unwrap().common, 1);
        assert!(linker.align("Bishkek", "Tashkent").is_none());
        assert!(linker.align("Japarov", "Japarov").is_none());
    }

    #[test]
    fn supported_variants_are_proposed_and_ordinary_words_never_linked() {
        let proposals = scan(&[
            "President Sooronbay Jeenbekov spoke. The Central Election Commission met.",
            "President Sooronbay Jeenbekov met the Chairman of the commission.",
            "Sadır Caparov said President Sooronbay Ceenbekov was in Bishkek. The Sentral Commision met.",
        ]);
        let found: Vec<(&str, &str, Status)> = proposals
            .iter()
            .map(|p| (p.variant.as_str(), p.canonical.as_str(), p.status))
            .collect();
        assert!(
            found.contains(&("Ceenbekov", "Jeenbekov", Status::Proposed)),
            "{found:?}"
        );
        assert!(!found
            .iter()
            .any(|(v, c, _)| ["Central", "Commission", "Chairman"]
                .iter()
                .any(|w| v == w || c == w)));
    }
}
