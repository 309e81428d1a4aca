//! Literals a pattern cannot match without. A `drop-line` pattern such as cookie-notice's
//! `(?i)...(?:we|[\p{L}.&, ]{1,60}\s+uses)...cookies...` makes its automaton read up to 60
//! letters into every line of prose before it gives up, yet each of its matches holds
//! `cookie`: a line without it is passed over unread.
//!
//! The literals come from the pattern's syntax tree: a literal is one; a small class (the
//! case pairs of `(?i)`, `[sz]`) is one literal per character; a concatenation takes the
//! best run of such parts (their products) or the best set of any one part; an alternation
//! needs one of its branches' sets; a repetition at least once, its part's set.
//!
//! The search must cost less than the automaton it spares, so a set is used only where
//! Aho-Corasick has a fast prefilter for it: literals as written (up to 64, searched with
//! SIMD), or, for a case-insensitive pattern whose literals only exist folded, literals in
//! any ASCII case beginning with at most three distinct bytes (found with `memchr`).

use aho_corasick::{AhoCorasick, Input, MatchKind};
use regex_syntax::hir::{Class, Hir, HirKind};

/// Most literals one part of a pattern may stand for before it is given up on.
const MAX_LITERALS: usize = 64;

/// Most characters of a class taken as literals.
const MAX_CLASS: u32 = 8;

/// Shortest literal worth a search: one or two bytes (`AP`) are in too many lines.
const MIN_LEN: usize = 3;

/// Literals, sorted, without repeats.
type Set = Vec<Vec<u8>>;

/// Whether literals are taken as written or with ASCII letters in lower case (to be found
/// in any case).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Case {
    AsWritten,
    Folded,
}

/// Most distinct first bytes (either case) of folded literals: `memchr3`'s limit.
const MAX_FOLDED_STARTS: usize = 3;

/// The literals every match of a pattern holds one of, ready to search for.
#[derive(Debug, Clone)]
pub(crate) struct Required {
    finder: AhoCorasick,
}

impl Required {
    /// The literals of `pattern`, parsed with the rules' flags (multi-line, CRLF), when
    /// every match holds one, none is shorter than [`MIN_LEN`] or spans a line break, and
    /// there is a fast search for them.
    pub(crate) fn of(pattern: &str) -> Option<Self> {
        let hir = super::syntax::parse(pattern)?;
        // Literals that differ only in case come from a case-insensitive pattern: they are
        // searched for folded, where they are few.
        let as_written = required(&hir, Case::AsWritten).filter(|set| {
            let folded = sorted(set.iter().map(|l| l.to_ascii_lowercase()).collect());
            folded.len() == set.len()
        });
        let (set, case) = match as_written {
            Some(set) => (set, Case::AsWritten),
            None => {
                let set = required(&hir, Case::Folded)?;
                let mut starts: Vec<u8> = set
                    .iter()
                    .flat_map(|l| [l[0], l[0].to_ascii_uppercase()])
                    .collect();
                starts.sort_unstable();
                starts.dedup();
                if starts.len() > MAX_FOLDED_STARTS {
                    return None;
                }
                (set, Case::Folded)
            }
        };
        if set.iter().any(|l| l.contains(&b'\n') || l.contains(&b'\r')) {
            return None;
        }
        let finder = AhoCorasick::builder()
            .ascii_case_insensitive(case == Case::Folded)
            .match_kind(MatchKind::LeftmostFirst)
            .build(&set)
            .ok()?;
        Some(Self { finder })
    }

    /// Where the first literal inside `text[span]` begins.
    pub(crate) fn find(&self, text: &str, span: std::ops::Range<usize>) -> Option<usize> {
        let input = Input::new(text).span(span);
        self.finder.find(input).map(|m| m.start())
    }
}

/// A set of non-empty literals, one of which every match of `hir` holds.
fn required(hir: &Hir, case: Case) -> Option<Set> {
    if let Some(set) = exact(hir, case) {
        return useful(minimal(set));
    }
    match hir.kind() {
        HirKind::Capture(capture) => required(&capture.sub, case),
        HirKind::Repetition(repetition) if repetition.min >= 1 => required(&repetition.sub, case),
        HirKind::Alternation(branches) => {
            let mut all = Set::new();
            for branch in branches {
                all.extend(required(branch, case)?);
            }
            Some(minimal(all))
        }
        HirKind::Concat(parts) => {
            let mut candidates: Vec<Set> = Vec::new();
            for (i, part) in parts.iter().enumerate() {
                // The runs of exactly known parts that begin here.
                let mut run: Set = vec![Vec::new()];
                for next in &parts[i..] {
                    let Some(set) = exact(next, case).and_then(|set| product(&run, &set)) else {
                        break;
                    };
                    run = set;
                    candidates.extend(useful(run.clone()));
                }
                candidates.extend(required(part, case));
            }
            candidates.into_iter().max_by_key(|set| {
                let shortest = set.iter().map(Vec::len).min().unwrap_or(0);
                (shortest, std::cmp::Reverse(set.len()))
            })
        }
        _ => None,
    }
}

/// Every string `hir` can match, when there are few.
fn exact(hir: &Hir, case: Case) -> Option<Set> {
    let fold = |b: u8| match case {
        Case::AsWritten => b,
        Case::Folded => b.to_ascii_lowercase(),
    };
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(vec![Vec::new()]),
        HirKind::Literal(literal) => Some(vec![literal.0.iter().map(|&b| fold(b)).collect()]),
        HirKind::Class(class) => {
            let members = class_members(class)?;
            Some(sorted(
                members
                    .into_iter()
                    .map(|m| m.into_iter().map(fold).collect())
                    .collect(),
            ))
        }
        HirKind::Capture(capture) => exact(&capture.sub, case),
        HirKind::Concat(parts) => parts.iter().try_fold(vec![Vec::new()], |run, part| {
            product(&run, &exact(part, case)?)
        }),
        HirKind::Alternation(branches) => {
            let mut all = Set::new();
            for branch in branches {
                all.extend(exact(branch, case)?);
            }
            (all.len() <= MAX_LITERALS).then(|| sorted(all))
        }
        HirKind::Repetition(repetition) => {
            let times = repetition.min;
            if repetition.max != Some(times) || times > 4 {
                return None;
            }
            let part = exact(&repetition.sub, case)?;
            (0..times).try_fold(vec![Vec::new()], |run, _| product(&run, &part))
        }
    }
}

/// The members of a class of at most [`MAX_CLASS`], each as its bytes.
fn class_members(class: &Class) -> Option<Set> {
    let ranges: Vec<(u32, u32)> = match class {
        Class::Unicode(class) => class
            .ranges()
            .iter()
            .map(|r| (u32::from(r.start()), u32::from(r.end())))
            .collect(),
        Class::Bytes(class) => class
            .ranges()
            .iter()
            .map(|r| (u32::from(r.start()), u32::from(r.end())))
            .collect(),
    };
    if ranges
        .iter()
        .map(|(start, end)| end - start + 1)
        .sum::<u32>()
        > MAX_CLASS
    {
        return None;
    }
    let codes = ranges.into_iter().flat_map(|(start, end)| start..=end);
    Some(match class {
        Class::Unicode(_) => codes
            .filter_map(char::from_u32)
            .map(|c| c.to_string().into_bytes())
            .collect(),
        Class::Bytes(_) => codes
            .filter_map(|b| u8::try_from(b).ok())
            .map(|b| vec![b])
            .collect(),
    })
}

/// Each string of `left` followed by each of `right`, when there are few.
fn product(left: &Set, right: &Set) -> Option<Set> {
    if left.len() * right.len() > MAX_LITERALS {
        return None;
    }
    let joined = left
        .iter()
        .flat_map(|l| right.iter().map(move |r| [l.as_slice(), r].concat()))
        .collect();
    Some(sorted(joined))
}

/// `set`, when every literal in it is long enough to search for.
fn useful(set: Set) -> Option<Set> {
    set.iter().all(|l| l.len() >= MIN_LEN).then_some(set)
}

/// `set` without the literals that hold another (a line with `advert` holds `ad`).
fn minimal(set: Set) -> Set {
    let set = sorted(set);
    set.iter()
        .filter(|l| {
            !set.iter()
                .any(|other| other.len() < l.len() && memchr::memmem::find(l, other).is_some())
        })
        .cloned()
        .collect()
}

fn sorted(mut set: Set) -> Set {
    set.sort_unstable();
    set.dedup();
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literals(pattern: &str) -> Option<Vec<String>> {
        literals_in(pattern, Case::Folded)
    }

    fn literals_in(pattern: &str, case: Case) -> Option<Vec<String>> {
        let hir = super::super::syntax::parse(pattern).unwrap();
        required(&hir, case).map(|set| {
            set.into_iter()
                .map(|l| String::from_utf8(l).unwrap())
                .collect()
        })
    }

    #[test]
    fn the_best_literal_of_each_branch_is_required() {
        assert_eq!(
            literals(r"[\p{L} ]{0,30}from\s+our\s+sponsors|by\s+taboola").unwrap(),
            ["sponsors", "taboola"]
        );
        // A run of small classes is one literal per spelling; `(?i)` folds `k` to the
        // Kelvin sign as well, which an ASCII-case-insensitive search would miss.
        assert_eq!(
            literals(r"(?i)\s*cookies?").unwrap(),
            ["cookie", "coo\u{212A}ie"]
        );
        assert_eq!(
            literals(r"(?:RELATED|Read\s+more)\s*:").unwrap(),
            ["more", "related"]
        );
        assert_eq!(
            literals_in(r"(?:RELATED|Read\s+more)\s*:", Case::AsWritten).unwrap(),
            ["RELATED", "more"]
        );
        // `advertisement` holds `advert`: a line with the one has the other.
        assert_eq!(
            literals(r"(?i:advertisement|advert)\b").unwrap(),
            ["advert"]
        );
    }

    #[test]
    fn a_search_that_would_cost_more_than_it_spares_is_not_made() {
        // Folded literals beginning with more than three bytes have no fast search.
        assert!(Required::of(r"(?i)advertisement|sponsored|taboola").is_none());
        assert!(Required::of(r"(?i)\s*cookies?").is_some());
    }

    #[test]
    fn patterns_without_a_required_literal_have_none() {
        assert_eq!(literals(r"\w+"), None);
        assert_eq!(literals(r"(?:Photo)?\s+\d+"), None);
        assert_eq!(literals(r"x|yza"), None, "one byte is not worth a search");
        assert_eq!(literals(r"AP|Reuters"), None, "nor two");
        assert_eq!(literals(r"(?:ab)*"), None);
    }

    /// Every line a pattern matches holds one of its literals, on lines that play with
    /// case, folding and repetition.
    #[test]
    fn no_matching_line_is_passed_over() {
        let patterns = [
            r"(?i)[\s*•]*(?:sponsored(?:\s+content)?|sponsors?\s+links)[\s:.]*",
            r"(?i)\s*(?:we|[\p{L}.&, ]{1,60}\s+uses)\b[^\n]{0,80}?\b(?:use|using)\s+cookies\b.*",
            r"[\s(]*(?:Image|Photo)\s+(?:copyright|credit)\s*:?\s*\S.*|Getty\s+Images",
            r"(?:ab){2}c|x[yz]{1,3}wvu",
        ];
        let lines = [
            "Sponsored   Content",
            "SPONSOR  links:",
            "\u{17F}ponsored",
            "This site uses cookies for ads",
            "We use COO\u{212A}IES",
            "(Photo credit: AFP)",
            "Getty Images",
            "ababc",
            "xzzwvu",
            "nothing here",
        ];
        for pattern in patterns {
            let whole = regex::Regex::new(&format!(r"\A(?:{pattern})\z")).unwrap();
            let required = Required::of(pattern).expect("a literal");
            for line in lines {
                if whole.is_match(line) {
                    assert!(
                        required.find(line, 0..line.len()).is_some(),
                        "{pattern:?} on {line:?}"
                    );
                }
            }
        }
    }
}
