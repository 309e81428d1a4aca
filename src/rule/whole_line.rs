//! A pattern anchored to a whole line, compiled forward only: what `drop-line` asks of
//! each line is only whether the pattern spans it, never where a match starts.
//!
//! `regex::Regex` also compiles every pattern backwards (to find where matches start),
//! which is more than half of its build time; on the default rules that was 33 of the 57
//! ms the `drop-line` patterns took to compile, paid by every run before the first line.
//! This matcher builds the forward automaton alone, with the same syntax and the same
//! limits, and runs it as a lazy DFA, with the PikeVM on the same automaton for what
//! the lazy DFA cannot decide (a Unicode `\b` before non-ASCII text).
//!
//! Most lines are ruled out within a few bytes, but from which end depends on the
//! pattern: `RELATED <headline>` gives up soon from the start, an `Advertisement`-like
//! label that may follow 40 letters of a sponsor's name only from the end. A thread that
//! has searched [`FORWARD_FIRST`] lines (a run long enough to repay building a second
//! automaton) walks the next [`SAMPLE`] lines from both ends at once, a byte from each in
//! turn, and keeps doing so if the walk from the end ruled out at least one in eight of
//! them; otherwise it goes on searching forwards only.

use std::fmt;
use std::sync::{Arc, OnceLock};

use regex_automata::hybrid::dfa::{Cache as DfaCache, DFA};
use regex_automata::nfa::thompson::pikevm::{Cache as PikeCache, PikeVM};
use regex_automata::nfa::thompson::{self, WhichCaptures, NFA};
use regex_automata::util::pool::{Pool, PoolGuard};
use regex_automata::{Anchored, Input};
use regex_syntax::hir::{
    Capture, Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Repetition,
};

use super::syntax;

/// How large each thread's lazy DFA may grow, as for the rules' other patterns.
const CACHE_BYTES: usize = 32 << 20;

/// Lines a thread searches forwards only before it tries walking lines from both ends
/// (fewer in unit tests, which go through every phase many times).
const FORWARD_FIRST: u32 = if cfg!(test) { 256 } else { 4096 };

/// Lines a thread then walks from both ends before it decides whether the end helps.
const SAMPLE: u32 = 64;

/// One thread's caches, and what it has seen of the walk from the end.
struct Caches {
    forward: DfaCache,
    pikevm: PikeCache,
    /// Made when first needed.
    reverse: Option<DfaCache>,
    /// Lines seen, counted up to `FORWARD_FIRST + SAMPLE`.
    seen: u32,
    /// Sampled lines that the walk from the end ruled out first.
    ruled_out_from_end: u32,
}

type MakeCaches = Box<dyn Fn() -> Caches + Send + Sync + std::panic::RefUnwindSafe>;

/// A compiled whole-line pattern; clones share the automata and the caches.
#[derive(Clone)]
pub(crate) struct WholeLine {
    inner: Arc<Inner>,
}

struct Inner {
    pattern: String,
    forward: DFA,
    pikevm: PikeVM,
    /// The anchored pattern with its large classes widened, read backwards: built when
    /// a thread first walks a line from its end; None if it cannot be built.
    reverse: OnceLock<Option<DFA>>,
    caches: Pool<Caches, MakeCaches>,
}

fn anchored(pattern: &str) -> String {
    format!(r"\A(?:{pattern})\z")
}

fn nfa_config() -> thompson::Config {
    thompson::Config::new()
        .which_captures(WhichCaptures::None)
        .nfa_size_limit(Some(10 << 20))
}

fn lazy_dfa(nfa: NFA) -> Result<DFA, regex::Error> {
    DFA::builder()
        .configure(
            DFA::config()
                .cache_capacity(CACHE_BYTES)
                .unicode_word_boundary(true),
        )
        .build_from_nfa(nfa)
        .map_err(|e| regex::Error::Syntax(e.to_string()))
}

impl WholeLine {
    /// Compiles `pattern` to match a whole line (or a whole text): `\A(?:pattern)\z`, with
    /// the flags and size limit of [`syntax::compile`]. The error is the one
    /// `regex` gives for the same pattern, so messages name the problem the same way.
    pub(crate) fn new(pattern: &str) -> Result<Self, regex::Error> {
        let whole = anchored(pattern);
        let built = syntax::parse(&whole).map(|hir| {
            thompson::Compiler::new()
                .configure(nfa_config())
                .build_from_hir(&hir)
                .map_err(|error| error.to_string())
        });
        let nfa = match built {
            Some(Ok(nfa)) => nfa,
            failed => {
                // Only on this path: compile it as `regex` would, for its message.
                return Err(match syntax::compile(&whole) {
                    Err(e) => e,
                    Ok(_) => regex::Error::Syntax(match failed {
                        Some(Err(error)) => error,
                        _ => format!("`{whole}` does not parse"),
                    }),
                });
            }
        };
        let dfa = lazy_dfa(nfa.clone())?;
        let pikevm = PikeVM::new_from_nfa(nfa).map_err(|e| regex::Error::Syntax(e.to_string()))?;
        let make: MakeCaches = {
            let (dfa, pikevm) = (dfa.clone(), pikevm.clone());
            Box::new(move || Caches {
                forward: dfa.create_cache(),
                pikevm: pikevm.create_cache(),
                reverse: None,
                seen: 0,
                ruled_out_from_end: 0,
            })
        };
        Ok(Self {
            inner: Arc::new(Inner {
                pattern: pattern.to_string(),
                forward: dfa,
                pikevm,
                reverse: OnceLock::new(),
                caches: Pool::new(make),
            }),
        })
    }

    /// Whether the pattern matches all of `line`.
    pub(crate) fn is_match(&self, line: &str) -> bool {
        self.lines().is_match(line)
    }

    /// A matcher for many lines in a row, holding this thread's caches until it is dropped
    /// (taking them from the pool per line costs as much as an ordinary line's search).
    pub(crate) fn lines(&self) -> Lines<'_> {
        Lines {
            inner: &self.inner,
            caches: self.inner.caches.get(),
        }
    }
}

impl Inner {
    /// The reverse automaton, built by the first thread to ask.
    fn reverse(&self) -> Option<&DFA> {
        self.reverse
            .get_or_init(|| {
                let hir = syntax::parse(&anchored(&self.pattern))?;
                let nfa = thompson::Compiler::new()
                    .configure(nfa_config().reverse(true))
                    .build_from_hir(&widen_classes(&hir))
                    .ok()?;
                lazy_dfa(nfa).ok()
            })
            .as_ref()
    }
}

/// [`WholeLine::lines`].
pub(crate) struct Lines<'a> {
    inner: &'a Inner,
    caches: PoolGuard<'a, Caches, MakeCaches>,
}

impl Lines<'_> {
    /// Whether the pattern matches all of `line`.
    pub(crate) fn is_match(&mut self, line: &str) -> bool {
        let inner = self.inner;
        let caches = &mut *self.caches;
        let seen = caches.seen;
        if seen < FORWARD_FIRST + SAMPLE {
            caches.seen += 1;
        }
        let sampling = (FORWARD_FIRST..FORWARD_FIRST + SAMPLE).contains(&seen);
        let both_ends =
            seen >= FORWARD_FIRST && (sampling || caches.ruled_out_from_end * 8 >= SAMPLE);
        let input = Input::new(line).anchored(Anchored::Yes).earliest(true);
        let walked = both_ends
            .then(|| inner.reverse())
            .flatten()
            .and_then(|reverse| {
                let reverse_cache = caches.reverse.get_or_insert_with(|| reverse.create_cache());
                let walk = (&inner.forward, &mut caches.forward);
                let (found, from_end) = from_both_ends(walk, (reverse, reverse_cache), line)?;
                caches.ruled_out_from_end += u32::from(sampling && from_end);
                Some(found)
            });
        // Where one automaton could not decide (a Unicode `\b` before non-ASCII text at one
        // end), the forward one alone may still.
        let decided = walked.or_else(|| {
            let forward = inner.forward.try_search_fwd(&mut caches.forward, &input);
            forward.ok().map(|found| found.is_some())
        });
        decided.unwrap_or_else(|| {
            inner
                .pikevm
                .search_slots(&mut caches.pikevm, &input, &mut [])
                .is_some()
        })
    }
}

/// Walks the forward automaton from the start of `line` and the reverse one from its end,
/// a byte of each in turn: the first to die rules the line out, and the forward one
/// decides at the end. Returns whether the line matches and whether the walk from the end
/// ruled it out; None when a lazy DFA cannot decide (a quit byte, or its cache gave up).
fn from_both_ends(
    (forward, forward_cache): (&DFA, &mut DfaCache),
    (reverse, reverse_cache): (&DFA, &mut DfaCache),
    line: &str,
) -> Option<(bool, bool)> {
    let input = Input::new(line).anchored(Anchored::Yes);
    let mut ahead = forward.start_state_forward(forward_cache, &input).ok()?;
    let mut behind = reverse.start_state_reverse(reverse_cache, &input).ok()?;
    let bytes = line.as_bytes();
    let mut end = bytes.len();
    for &b in bytes {
        // Only dead and quit states matter before the end: a match is found only once
        // the whole line is read (the pattern ends in `\z`).
        if ahead.is_dead() {
            return Some((false, false));
        }
        if behind.is_dead() {
            return Some((false, true));
        }
        if ahead.is_quit() || behind.is_quit() {
            return None;
        }
        ahead = forward.next_state(forward_cache, ahead, b).ok()?;
        end -= 1;
        behind = reverse.next_state(reverse_cache, behind, bytes[end]).ok()?;
    }
    let last = forward.next_eoi_state(forward_cache, ahead).ok()?;
    if last.is_quit() {
        return None;
    }
    Some((last.is_match(), false))
}

/// Classes of more than this many characters are widened to any character.
const WIDE_CLASS: u32 = 256;

/// `hir` with every large class (`\p{L}`, `\w`, `[^.]`) widened to any character: it
/// matches all that `hir` matches, and its automaton is a fraction of the size (a large
/// class repeated `{1,40}` is forty copies of a big UTF-8 automaton). Good enough to rule
/// lines out from their end, where the answer need not be exact.
fn widen_classes(hir: &Hir) -> Hir {
    let widen = |hirs: &[Hir]| hirs.iter().map(widen_classes).collect::<Vec<_>>();
    match hir.kind() {
        HirKind::Class(Class::Unicode(class))
            if class
                .iter()
                .map(|r| u32::from(r.end()) - u32::from(r.start()) + 1)
                .sum::<u32>()
                > WIDE_CLASS =>
        {
            Hir::class(Class::Unicode(ClassUnicode::new([ClassUnicodeRange::new(
                '\0',
                char::MAX,
            )])))
        }
        HirKind::Repetition(repetition) => Hir::repetition(Repetition {
            sub: Box::new(widen_classes(&repetition.sub)),
            ..repetition.clone()
        }),
        HirKind::Capture(capture) => Hir::capture(Capture {
            sub: Box::new(widen_classes(&capture.sub)),
            ..capture.clone()
        }),
        HirKind::Concat(hirs) => Hir::concat(widen(hirs)),
        HirKind::Alternation(hirs) => Hir::alternation(widen(hirs)),
        _ => hir.clone(),
    }
}

impl fmt::Debug for WholeLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("WholeLine")
            .field(&self.inner.pattern)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Answers as the `regex` form of the same whole-line pattern does.
    #[test]
    fn agrees_with_regex() {
        let patterns = [
            r"(?i)\s*advertisement\s*",
            r"[\s*•]*(?:RELATED|READ\s+MORE)\s+\S.*",
            r"\bcookies?\b.*",
            r"(?-u:\b)Getty(?-u:\b)",
            r"Ünïcode \w+",
            r"a|ab|abc",
            r"x*y",
        ];
        let lines = [
            "",
            "Advertisement",
            "  ADVERTISEMENT  ",
            "Advertisement and more",
            "RELATED Armenia and Azerbaijan",
            "READ MORE",
            "cookies are used here",
            "Ünïcode wörter",
            "Ünïcode ",
            "Getty",
            "ab",
            "abcd",
            "xxxy",
            "y",
            "\u{0}\u{FFFD}é",
        ];
        for pattern in patterns {
            let ours = WholeLine::new(pattern).unwrap();
            let theirs = super::syntax::compile(&format!(r"\A(?:{pattern})\z")).unwrap();
            for line in lines {
                assert_eq!(
                    ours.is_match(line),
                    theirs.is_match(line),
                    "{pattern:?} on {line:?}"
                );
            }
        }
    }

    /// Past the lines searched forwards only, lines walked from both ends get the same
    /// answers, and the walk from the end is kept where it rules lines out.
    #[test]
    fn lines_walked_from_both_ends_get_the_same_answers() {
        let lines = [
            "The council met on Tuesday to discuss the budget for next year.",
            "Advertisement",
            "Story continues below advertisement",
            "Acme Widgets and Friends is sponsored by the city",
            "Ünïcode wörter über alles is sponsored by",
            "RELATED Armenia and Azerbaijan accuse each other",
            "",
            "  ",
        ];
        for (pattern, from_end) in [
            (
                r"(?i)[\s*•]*(?:advertisement|story\s+continues\s+below(?:\s+advertisement)?|(?:[\p{L}&,' ]{1,40}\s+)?is\s+sponsored\s+by)[\s:.]*",
                true,
            ),
            (r"[\s*•]*(?:RELATED|READ\s+MORE)\s+\S.*", false),
            (r"\w+\b.*", false),
        ] {
            let ours = WholeLine::new(pattern).unwrap();
            let theirs = super::syntax::compile(&anchored(pattern)).unwrap();
            let mut matcher = ours.lines();
            let rounds = (FORWARD_FIRST + 2 * SAMPLE) as usize / lines.len() + 1;
            for line in lines.iter().cycle().take(rounds * lines.len()) {
                assert_eq!(
                    matcher.is_match(line),
                    theirs.is_match(line),
                    "{pattern:?} on {line:?}"
                );
            }
            let kept = matcher.caches.ruled_out_from_end * 8 >= SAMPLE;
            assert_eq!(kept, from_end, "{pattern:?}");
        }
    }

    /// The default rules' `drop-line` patterns, walked from both ends, answer as `regex`
    /// does on lines made of their own words.
    fn default_drop_line_patterns() -> Vec<String> {
        let mut patterns = Vec::new();
        for (_, text) in crate::rule::DEFAULT_RULE_FILES {
            let doc: toml::Value = toml::from_str(text).unwrap();
            for rule in doc
                .get("rule")
                .and_then(|r| r.as_array())
                .into_iter()
                .flatten()
            {
                if rule.get("kind").and_then(|k| k.as_str()) == Some("drop-line") {
                    patterns.push(rule["pattern"].as_str().unwrap().to_string());
                }
            }
        }
        patterns
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(32))]
        #[test]
        fn default_patterns_walked_from_both_ends_answer_as_regex_does(
            lines in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::sample::select(&[
                        "Advertisement", "ADVERTISEMENT", "Sponsored", "content", "is", "sponsored",
                        "by", "Story", "continues", "below", "RELATED", "Related:", "Read", "more",
                        "Photo:", "Image", "copyright", "Getty", "Images", "AFP", "Reuters", "Share",
                        "this", "story", "Follow", "us", "on", "Twitter", "We", "use", "cookies",
                        "Cookie", "Policy", "By", "Jane", "Doe", "the", "city", "Ünïcode", "über",
                        "—", "•", "*", ":", ".", "|", " ", "  ", "\t", "2020",
                    ][..]),
                    0..12,
                ),
                1..40,
            )
        ) {
            let lines: Vec<String> = lines.into_iter().map(|words| words.join(" ")).collect();
            for pattern in default_drop_line_patterns() {
                let ours = WholeLine::new(&pattern).unwrap();
                let theirs = super::syntax::compile(&anchored(&pattern)).unwrap();
                let mut matcher = ours.lines();
                // Past the lines searched forwards only, through the sample and beyond.
                for line in lines.iter().cycle().take(FORWARD_FIRST as usize + 3 * SAMPLE as usize) {
                    proptest::prop_assert_eq!(
                        matcher.is_match(line),
                        theirs.is_match(line),
                        "{:?} on {:?}", pattern, line
                    );
                }
            }
        }
    }

    #[test]
    fn a_unicode_word_boundary_before_non_ascii_text_is_decided() {
        let ours = WholeLine::new(r"\w+\b.*").unwrap();
        assert!(ours.is_match("größe über"));
        assert!(!WholeLine::new(r"a\bé").unwrap().is_match("aé"));
    }

    #[test]
    fn errors_read_as_regex_gives_them() {
        let ours = WholeLine::new("(unclosed").unwrap_err().to_string();
        let theirs = super::syntax::compile(r"\A(?:(unclosed)\z")
            .unwrap_err()
            .to_string();
        assert_eq!(ours, theirs);
    }
}
