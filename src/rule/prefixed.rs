//! A `remove` pattern's matches, found without running it backwards.
//!
//! `regex` finds where a match starts by running the pattern backwards from its end. The
//! lazy DFA for that builds its states on first use, and for a pattern of Unicode classes
//! such as `scraper/photo-credit` that took 45 ms of the first 20 MB, in every run and on
//! every thread. When every match begins with one of a few literals (`Photo`, `(AP`),
//! this matcher finds where the leftmost match ends with a forward search, then where it
//! starts with anchored searches from the places those literals occur before it, which
//! need no backward automaton. A text with no match costs the forward search alone.
//! Places where a literal occurs but no match starts each cost a search up to the match's
//! end; past a budget linear in the text, the rest is searched as `regex` searches it, so
//! the cost stays linear whatever the text. Other patterns are searched as `regex` does.

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
    /// Compiles `pattern` with the flags and limits of [`super::syntax::compile`].
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
            .map_err(|error| match super::syntax::compile(pattern) {
                Err(e) => e,
                Ok(_) => regex::Error::Syntax(error.to_string()),
            })?;
        let prefixes = super::syntax::parse(pattern)
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

    /// The non-empty matches in `text` that start before `until`, in order, as `regex`'s
    /// `find_iter` gives them.
    pub(crate) fn find_all(&self, text: &str, until: usize) -> Vec<Range<usize>> {
        let mut found = Vec::new();
        let plain = |from: usize, found: &mut Vec<Range<usize>>| {
            let input = Input::new(text).span(from..text.len());
            let matches = self.regex.find_iter(input).map(|m| m.range());
            found.extend(
                matches
                    .take_while(|m| m.start < until)
                    .filter(|m| !m.is_empty()),
            );
        };
        let Some(prefixes) = &self.prefixes else {
            plain(0, &mut found);
            return found;
        };
        let mut cache = self.caches.get();
        // Bytes the anchored searches may cover in all before the rest of the text is left
        // to `regex`: places where a prefix occurs but no match starts each cost a search
        // up to the next match's end, which is linear only while they are few.
        let mut budget = 8 * text.len() + 4096;
        let mut at = 0;
        while at < text.len() {
            // Where the leftmost match from `at` ends: a forward search only.
            let input = Input::new(text).span(at..text.len());
            let Some(end) = self.regex.search_half_with(&mut cache, &input) else {
                break;
            };
            let end = end.offset();
            // It starts at the first place a prefix occurs from which a match reaches
            // `end`: no match starts before it.
            let mut from = at;
            let leftmost = loop {
                let Some(start) = prefixes
                    .find(text.as_bytes(), Span::from(from..text.len()))
                    .map(|candidate| candidate.start)
                    .filter(|&start| start <= end && end - start <= budget)
                else {
                    break None;
                };
                budget -= end - start;
                let input = Input::new(text).span(start..end).anchored(Anchored::Yes);
                match self.regex.search_with(&mut cache, &input) {
                    Some(m) => break Some(m),
                    None => from = start + 1,
                }
            };
            let Some(m) = leftmost else {
                plain(at, &mut found);
                return found;
            };
            if m.start() >= until {
                break;
            }
            if m.is_empty() {
                // `regex` reports it and looks again from the next character.
                at = m.end() + text[m.end()..].chars().next().map_or(1, char::len_utf8);
                continue;
            }
            found.push(m.range());
            at = m.end();
        }
        found
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
            r"(?:a+c|b)",
            r"(a+)+$",
        ];
        // Many places where a prefix occurs and no match starts, before one that does: the
        // budget runs out and `regex` finishes.
        let many = format!("{}b\nac", "a".repeat(5000));
        let texts = [
            many.as_str(),
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
            let theirs = super::super::syntax::compile(pattern).unwrap();
            for text in texts {
                for until in [text.len(), text.len() / 2] {
                    let expected: Vec<Range<usize>> = theirs
                        .find_iter(text)
                        .map(|m| m.range())
                        .take_while(|m| m.start < until)
                        .filter(|m| !m.is_empty())
                        .collect();
                    let got = ours.find_all(text, until);
                    assert_eq!(got, expected, "{pattern:?} on {text:?} until {until}");
                }
            }
        }
        assert!(Prefixed::new(r"\[ad[_-]?\d+\]").unwrap().prefixes.is_some());
    }
}
