//! A pattern anchored to a whole line, compiled forward only: what `drop-line` asks of
//! each line is only whether the pattern spans it, never where a match starts.
//!
//! `regex::Regex` also compiles every pattern backwards (to find where matches start),
//! which is more than half of its build time; on the default rules that was 33 of the 57
//! ms the `drop-line` patterns took to compile, paid by every run before the first line.
//! This matcher builds the forward automaton alone, with the same syntax and the same
//! limits, and runs it as a lazy DFA, with the PikeVM on the same automaton for what
//! the lazy DFA cannot decide (a Unicode `\b` before non-ASCII text).

use std::fmt;
use std::sync::Arc;

use regex_automata::hybrid::dfa::{Cache as DfaCache, DFA};
use regex_automata::nfa::thompson::pikevm::{Cache as PikeCache, PikeVM};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::pool::{Pool, PoolGuard};
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input};

/// How large each thread's lazy DFA may grow, as for the rules' other patterns.
const CACHE_BYTES: usize = 32 << 20;

type Caches = (DfaCache, PikeCache);
type MakeCaches = Box<dyn Fn() -> Caches + Send + Sync + std::panic::RefUnwindSafe>;

/// A compiled whole-line pattern; clones share the automata and the caches.
#[derive(Clone)]
pub(crate) struct WholeLine {
    inner: Arc<Inner>,
}

struct Inner {
    pattern: String,
    dfa: DFA,
    pikevm: PikeVM,
    caches: Pool<Caches, MakeCaches>,
}

impl WholeLine {
    /// Compiles `pattern` to match a whole line (or a whole text): `\A(?:pattern)\z`, with
    /// the flags and size limit of [`super::regex_kinds::compile`]. The error is the one
    /// `regex` gives for the same pattern, so messages name the problem the same way.
    pub(crate) fn new(pattern: &str) -> Result<Self, regex::Error> {
        let whole = format!(r"\A(?:{pattern})\z");
        let nfa = thompson::Compiler::new()
            .syntax(syntax::Config::new().multi_line(true).crlf(true))
            .configure(
                thompson::Config::new()
                    .which_captures(WhichCaptures::None)
                    .nfa_size_limit(Some(10 << 20)),
            )
            .build(&whole);
        let nfa = match nfa {
            Ok(nfa) => nfa,
            Err(error) => {
                // Only on this path: compile it as `regex` would, for its message.
                return Err(match super::regex_kinds::compile(&whole) {
                    Err(e) => e,
                    Ok(_) => regex::Error::Syntax(error.to_string()),
                });
            }
        };
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .cache_capacity(CACHE_BYTES)
                    .unicode_word_boundary(true),
            )
            .build_from_nfa(nfa.clone())
            .map_err(|e| regex::Error::Syntax(e.to_string()))?;
        let pikevm = PikeVM::new_from_nfa(nfa).map_err(|e| regex::Error::Syntax(e.to_string()))?;
        let make: MakeCaches = {
            let (dfa, pikevm) = (dfa.clone(), pikevm.clone());
            Box::new(move || (dfa.create_cache(), pikevm.create_cache()))
        };
        Ok(Self {
            inner: Arc::new(Inner {
                pattern: pattern.to_string(),
                dfa,
                pikevm,
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

/// [`WholeLine::lines`].
pub(crate) struct Lines<'a> {
    inner: &'a Inner,
    caches: PoolGuard<'a, Caches, MakeCaches>,
}

impl Lines<'_> {
    /// Whether the pattern matches all of `line`.
    pub(crate) fn is_match(&mut self, line: &str) -> bool {
        let input = Input::new(line).anchored(Anchored::Yes).earliest(true);
        let (dfa_cache, pike_cache) = &mut *self.caches;
        match self.inner.dfa.try_search_fwd(dfa_cache, &input) {
            Ok(found) => found.is_some(),
            Err(_) => self
                .inner
                .pikevm
                .search_slots(pike_cache, &input, &mut [])
                .is_some(),
        }
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
            let theirs =
                super::super::regex_kinds::compile(&format!(r"\A(?:{pattern})\z")).unwrap();
            for line in lines {
                assert_eq!(
                    ours.is_match(line),
                    theirs.is_match(line),
                    "{pattern:?} on {line:?}"
                );
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
        let theirs = super::super::regex_kinds::compile(r"\A(?:(unclosed)\z")
            .unwrap_err()
            .to_string();
        assert_eq!(ours, theirs);
    }
}
