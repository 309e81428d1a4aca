//! A `remove` pattern's matches, found without running it backwards.
//!
//! `regex` finds where a match starts by running the pattern backwards from its end. The
//! lazy DFA for that builds its states on first use, and for a pattern of Unicode classes
//! such as `scraper/photo-credit` that took 45 ms of the first 20 MB, in every run and on
//! every thread. When every match begins with one of a few literals (`Photo`, `(AP`),
//! this matcher finds the places they occur with `regex`'s own prefilter and runs an
//! anchored search from each, which needs no backward automaton: the first place a match
//! starts, and the match `regex` would report there. Other patterns are searched as
//! `regex` searches them.

use std::ops::Range;
use std::sync::Arc;

use regex_automata::util::pool::Pool;
use regex_automata::util::prefilter::Prefilter;
use regex_automata::util::syntax;
use regex_automata::{meta, Anchored, Input, MatchKind, Span};

/// A compiled pattern and, when it has one, the prefilter of its prefix literals.
#[derive(Clone)]
pub(crate) struct Prefixed {
    regex: meta::Regex,
    prefixes: Option<Prefilter>,
    /// Search caches, taken once per text rather than once per place searched.
    caches: Arc<Pool<meta::Cache, MakeCache>>,
}

type MakeCache = Box<dyn Fn() -> meta::Cache + Send + Sync + std::panic::RefUnwindSafe>;

impl std::fmt::Debug for Prefixed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Prefixed").field(&self.regex).finish()
    }
}

impl Prefixed {
    /// Compiles `pattern` with the flags and limits of [`super::regex_kinds::compile`].
    pub(crate) fn new(pattern: &str) -> Result<Self, regex::Error> {
        let syntax = syntax::Config::new().multi_line(true).crlf(true);
        let regex = meta::Builder::new()
            .syntax(syntax)
            .configure(
                meta::Config::new()
                    .nfa_size_limit(Some(10 << 20))
                    .hybrid_cache_capacity(32 << 20),
            )
            .build(pattern)
            .map_err(|error| match super::regex_kinds::compile(pattern) {
                Err(e) => e,
                Ok(_) => regex::Error::Syntax(error.to_string()),
            })?;
        let prefixes = regex_syntax::ParserBuilder::new()
            .multi_line(true)
            .crlf(true)
            .build()
            .parse(pattern)
            .ok()
            .and_then(|hir| Prefilter::from_hir_prefix(MatchKind::LeftmostFirst, &hir))
            .filter(Prefilter::is_fast);
        let make: MakeCache = {
            let regex = regex.clone();
            Box::new(move || regex.create_cache())
        };
        Ok(Self {
            regex,
            prefixes,
            caches: Arc::new(Pool::new(make)),
        })
    }

    pub(crate) fn is_match(&self, text: &str) -> bool {
        self.regex.is_match(text)
    }

    /// The non-empty matches in `text`, in order, as `regex`'s `find_iter` gives them.
    pub(crate) fn find_iter<'t>(
        &'t self,
        text: &'t str,
    ) -> impl Iterator<Item = Range<usize>> + 't {
        let mut plain = self.prefixes.is_none().then(|| self.regex.find_iter(text));
        let mut cache = self.prefixes.as_ref().map(|_| self.caches.get());
        let mut at = 0;
        std::iter::from_fn(move || {
            if let Some(plain) = &mut plain {
                return plain.by_ref().map(|m| m.range()).find(|m| !m.is_empty());
            }
            let (prefixes, cache) = (self.prefixes.as_ref()?, cache.as_mut()?);
            while at <= text.len() {
                let start = prefixes
                    .find(text.as_bytes(), Span::from(at..text.len()))?
                    .start;
                let input = Input::new(text)
                    .span(start..text.len())
                    .anchored(Anchored::Yes);
                match self.regex.search_with(cache, &input) {
                    // An empty match is what `regex` reports here, and skips: so do we.
                    Some(m) if !m.is_empty() => {
                        at = m.end();
                        return Some(m.range());
                    }
                    _ => at = start + 1,
                }
            }
            None
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same matches as `regex`, with and without prefix literals, around empty
    /// matches, look-arounds and non-ASCII text.
    #[test]
    fn matches_are_regexs() {
        let patterns = [
            r"(?:^|[ \t])Photo by \p{Lu}\p{L}+(?:/\p{Lu}+)?[ \t]*$|\((?:AP|AFP) Photo/[^)\n]{1,40}\)",
            r"\[ad[_-]?\d+\]",
            r"x*",
            r"(?:ab|a)c?",
            r"\bé\w*",
            r"\s+date \d+",
        ];
        let texts = [
            "",
            "Crowds. Photo by Igor Kovalenko/EPA\nPhoto by Ann\n(AP Photo/Vladimir) x",
            "[ad_1] text [ad-22][ad3] [ad_]",
            "xxaxx",
            "abcacab ac",
            "été éa bé é",
            "  date 12 date 3",
            "Photo by ånna Photo by Ödön",
        ];
        for pattern in patterns {
            let ours = Prefixed::new(pattern).unwrap();
            let theirs = super::super::regex_kinds::compile(pattern).unwrap();
            for text in texts {
                let expected: Vec<Range<usize>> = theirs
                    .find_iter(text)
                    .map(|m| m.range())
                    .filter(|m| !m.is_empty())
                    .collect();
                let got: Vec<Range<usize>> = ours.find_iter(text).collect();
                assert_eq!(got, expected, "{pattern:?} on {text:?}");
            }
        }
        assert!(Prefixed::new(r"\[ad[_-]?\d+\]").unwrap().prefixes.is_some());
    }
}
