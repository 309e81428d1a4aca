//! datatrove's Thai words: pythainlp 5.4.0's `word_tokenize(text, keep_whitespace=False,
//! engine="newmm-safe")` (`pythainlp/tokenize/newmm.py`, `tcc_p.py`, `_utils.py`), then
//! `strip_strings`. Dictionary maximal matching over pythainlp's word list
//! (`thai/words_th.txt`, CC0-1.0, fetched by `scripts/get_thai_words.py`), cut only at Thai
//! character-cluster boundaries; a text of 140 characters or more is cut into chunks first.
//!
//! Positions are counted in characters, as Python counts them. The `nlpo3` crate implements
//! the same algorithm but cuts clusters differently and has bugs in its safe mode, so this is
//! a port of pythainlp's own code.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::OnceLock;

use regex::Regex;

const WORDS: &str = include_str!("thai/words_th.txt");

const MAX_GRAPH_SIZE: usize = 50;
const SCAN_BEGIN: usize = 100;
const SCAN_END: usize = 140;

/// The dictionary as a trie of characters: node 0 is the root.
struct Trie {
    edges: HashMap<(u32, char), u32>,
    end: Vec<bool>,
}

impl Trie {
    fn new() -> Self {
        let mut trie = Self {
            edges: HashMap::new(),
            end: vec![false],
        };
        // `get_corpus`: lines of the file (BOM dropped), empty ones left out; `Trie.add`
        // strips each.
        let tables = super::spacy::tables();
        for line in WORDS.trim_start_matches('\u{feff}').lines() {
            let word = tables.strip(line);
            if word.is_empty() {
                continue;
            }
            let mut node = 0u32;
            for c in word.chars() {
                let next = trie.end.len() as u32;
                node = *trie.edges.entry((node, c)).or_insert(next);
                if node == next {
                    trie.end.push(false);
                }
            }
            trie.end[node as usize] = true;
        }
        trie
    }

    /// `Trie.prefixes(text, start)`: the lengths of the words that begin at `start`,
    /// shortest first.
    fn prefixes(&self, text: &[char], start: usize, out: &mut Vec<usize>) {
        out.clear();
        let mut node = 0u32;
        for (i, &c) in text[start..].iter().enumerate() {
            match self.edges.get(&(node, c)) {
                Some(&next) => node = next,
                None => break,
            }
            if self.end[node as usize] {
                out.push(i + 1);
            }
        }
    }
}

fn trie() -> &'static Trie {
    static TRIE: OnceLock<Trie> = OnceLock::new();
    TRIE.get_or_init(Trie::new)
}

struct Patterns {
    /// `_PAT_TCC`, anchored.
    tcc: fancy_regex::Regex,
    /// `_PAT_NONTHAI`, anchored.
    non_thai: Regex,
    /// `_DIGITS_WITH_SEPARATOR`.
    number: Regex,
}

fn patterns() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        const RULES: &str = "เc็ck เcctาะk เccีtยะk เccีtย(?=[เ-ไก-ฮ]|$)k เcc็ck เcิc์ck เcิtck \
            เcีtยะ?k เcืtอะ?k เc[ิีุู]tย(?=[เ-ไก-ฮ]|$)k เctา?ะ?k cัtวะk c[ัื]tc[ุิะ]?k c[ิุู]์ \
            c[ะ-ู]tk cรรc์ c็ ct[ะาำ]?k ck แc็c แcc์ แctะ แcc็c แccc์ โctะ [เ-ไ]ct ก็ อึ หึ";
        let rules: Vec<String> = RULES
            .split_whitespace()
            .map(|rule| {
                rule.replace('k', "(cc?[dิ]?[์])?")
                    .replace('c', "[ก-ฮ]")
                    .replace('t', "[่-๋]?")
                    .replace('d', "ูุ")
                    // Python's `$`: the end, or before a line break that ends the text.
                    .replace('$', r"(?=\n?\z)")
            })
            .collect();
        Patterns {
            tcc: fancy_regex::Regex::new(&format!("^(?:{})", rules.join("|")))
                .expect("the TCC pattern compiles"),
            non_thai: Regex::new(
                r"^(?:[-a-zA-Z]+|\d+(?:[,\.]\d+)*|[ \t]+|\r?\n|[^\x{0E00}-\x{0E7F} \t\r\n]+)",
            )
            .expect("the non-Thai pattern compiles"),
            number: Regex::new(r"(?:\d+[\.,:])+\d+").expect("the number pattern compiles"),
        }
    })
}

/// One text being cut, as characters (positions count them, as Python's do) and as a
/// string for the patterns, with each character's byte offset (and the end's).
struct Chunk<'a> {
    chars: &'a [char],
    text: String,
    offsets: Vec<usize>,
}

impl<'a> Chunk<'a> {
    fn new(chars: &'a [char]) -> Self {
        let text: String = chars.iter().collect();
        let mut offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        offsets.push(text.len());
        Self {
            chars,
            text,
            offsets,
        }
    }

    /// The length in characters of a match at character `at` that ends at
    /// byte `end` of the rest.
    fn chars_to(&self, at: usize, end: usize) -> usize {
        self.offsets
            .partition_point(|&o| o < self.offsets[at] + end)
            - at
    }

    /// `tcc_pos_array`: for each position, whether a character cluster ends there.
    fn cluster_ends(&self) -> Vec<bool> {
        let len = self.chars.len();
        let mut ends = vec![false; len + 1];
        let mut at = 0;
        while at < len {
            let rest = &self.text[self.offsets[at]..];
            let n = patterns()
                .tcc
                .find(rest)
                .ok()
                .flatten()
                .map_or(1, |m| self.chars_to(at, m.end()))
                .max(1);
            at += n;
            ends[at.min(len)] = true;
        }
        ends
    }

    /// `_PAT_NONTHAI.match(text, at)`: the length of the non-Thai run at `at`, if any.
    fn non_thai_at(&self, at: usize) -> Option<usize> {
        let found = patterns().non_thai.find(&self.text[self.offsets[at]..])?;
        Some(self.chars_to(at, found.end())).filter(|&n| n > 0)
    }
}

/// `_find_skip_end`.
fn skip_end(chunk: &Chunk<'_>, begin: usize, ends: &[bool], prefixes: &mut Vec<usize>) -> usize {
    let text = chunk.chars;
    if let Some(n) = chunk.non_thai_at(begin) {
        return begin + n;
    }
    for pos in begin + 1..text.len() {
        if ends[pos] {
            trie().prefixes(text, pos, prefixes);
            let word = prefixes
                .iter()
                .any(|&len| ends[pos + len] && !is_two_consonants(&text[pos..pos + len]));
            if word || chunk.non_thai_at(pos).is_some() {
                return pos;
            }
        }
    }
    text.len()
}

/// `_PAT_THAI_TWOCHARS.match(word)`: at most two Thai consonants.
fn is_two_consonants(word: &[char]) -> bool {
    word.len() <= 2 && word.iter().all(|c| ('ก'..='ฮ').contains(c))
}

/// `_onecut`: the words of `text`, as character ranges.
fn one_cut(text: &[char], out: &mut Vec<(usize, usize)>) {
    let chunk = Chunk::new(text);
    let ends = chunk.cluster_ends();
    let trie = trie();
    let mut graph: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut graph_size = 0;
    let mut heap: BinaryHeap<Reverse<usize>> = BinaryHeap::from([Reverse(0)]);
    let mut prefixes = Vec::new();
    let mut end = 0;
    while heap.peek().is_some_and(|Reverse(p)| *p < text.len()) {
        let Reverse(begin) = heap.pop().expect("a position");
        // `_extend_graph`.
        trie.prefixes(text, begin, &mut prefixes);
        for &len in &prefixes {
            let candidate = begin + len;
            if ends[candidate] {
                graph.entry(begin).or_default().push(candidate);
                graph_size += 1;
                if !heap.iter().any(|Reverse(p)| *p == candidate) {
                    heap.push(Reverse(candidate));
                }
                if graph_size > MAX_GRAPH_SIZE {
                    break;
                }
            }
        }
        match heap.len() {
            1 => {
                let goal = heap.peek().expect("one candidate").0;
                let path = shortest_path(&graph, end, goal);
                graph_size = 0;
                graph.clear();
                for pos in path {
                    out.push((end, pos));
                    end = pos;
                }
            }
            0 => {
                end = skip_end(&chunk, begin, &ends, &mut prefixes);
                graph_size = 0;
                graph.clear();
                out.push((begin, end));
                heap.push(Reverse(end));
            }
            _ => {}
        }
    }
}

/// `_bfs_paths_graph`'s first path from `start` to `goal`, without `start`.
fn shortest_path(graph: &HashMap<usize, Vec<usize>>, start: usize, goal: usize) -> Vec<usize> {
    let mut visited = vec![start];
    let mut queue = std::collections::VecDeque::from([(start, vec![start])]);
    while let Some((vertex, path)) = queue.pop_front() {
        for &pos in graph.get(&vertex).map_or(&[][..], Vec::as_slice) {
            if pos == goal {
                let mut path = path.clone();
                path.push(pos);
                path.remove(0);
                return path;
            }
            if !visited.contains(&pos) {
                visited.push(pos);
                let mut next = path.clone();
                next.push(pos);
                queue.push_back((pos, next));
            }
        }
    }
    vec![goal]
}

/// `_find_cut_pos`: where to cut a long text, in characters.
fn cut_position(text: &[char]) -> usize {
    let sample = &text[SCAN_BEGIN..SCAN_END];
    if let Some(space) = sample.iter().rposition(|&c| c == ' ') {
        return space + 1 + SCAN_BEGIN;
    }
    let mut tokens = Vec::new();
    one_cut(sample, &mut tokens);
    let (mut max_index, mut max_len) = (0, 0);
    for (i, &(a, b)) in tokens.iter().enumerate() {
        if b - a >= max_len {
            max_len = b - a;
            max_index = i;
        }
    }
    SCAN_BEGIN
        + tokens[..max_index]
            .iter()
            .map(|&(a, b)| b - a)
            .sum::<usize>()
}

/// The words of `text` before `strip_strings`, each passed to `word` (the caller strips
/// them with Python's `str.isspace` and drops the empty ones).
pub(crate) fn for_each_word(text: &str, mut word: impl FnMut(&str)) {
    let chars: Vec<char> = text.chars().collect();
    // `segment(text, safe_mode=True)`: chunks of a long text, each cut on its own.
    let mut segments: Vec<String> = Vec::new();
    let mut rest = &chars[..];
    let mut spans = Vec::new();
    loop {
        let chunk_len = if rest.len() >= SCAN_END {
            cut_position(rest)
        } else {
            rest.len()
        };
        if chunk_len == 0 {
            break;
        }
        spans.clear();
        one_cut(&rest[..chunk_len], &mut spans);
        segments.extend(
            spans
                .iter()
                .map(|&(a, b)| rest[a..b].iter().collect::<String>()),
        );
        rest = &rest[chunk_len..];
    }
    // `rejoin_formatted_num`: the words a formatted number was split into, as one.
    let original: String = segments.concat();
    let mut joined: Vec<String> = Vec::new();
    let mut pos = 0;
    let mut index = 0;
    // The matches' character offsets, counted once along the text.
    let (mut byte, mut chars) = (0, 0);
    let mut char_at = |to: usize| {
        chars += original[byte..to].chars().count();
        byte = to;
        chars
    };
    let spans: Vec<(usize, usize)> = patterns()
        .number
        .find_iter(&original)
        .map(|m| (char_at(m.start()), char_at(m.end())))
        .collect();
    let mut matches = spans.into_iter();
    let mut current = matches.next();
    while let (true, Some((start, end))) = (index < segments.len(), current) {
        if pos >= start {
            let mut connected = String::new();
            while pos < end && index < segments.len() {
                connected.push_str(&segments[index]);
                pos += segments[index].chars().count();
                index += 1;
            }
            if !connected.is_empty() {
                joined.push(connected);
            }
            current = matches.next();
        } else {
            pos += segments[index].chars().count();
            joined.push(std::mem::take(&mut segments[index]));
            index += 1;
        }
    }
    joined.extend(segments.drain(index..));
    // `strip_whitespace`: spaces stripped, blank words dropped.
    for w in &joined {
        let w = w.trim_matches(' ');
        if !w.is_empty() {
            word(w);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        crate::quality::cases::stripped(|word| for_each_word(text, word))
    }

    /// datatrove's words for the multilingual fixture's Thai documents (`quality::cases`).
    #[test]
    fn words_equal_datatrove_s() {
        crate::quality::cases::check_all(|lang| lang == "thai", 6, |case| words(&case.text));
    }
}
