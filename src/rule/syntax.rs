//! The flags and limits every rule pattern is compiled and parsed with: `^` and `$` at
//! line boundaries (CRLF aware), and a lazy DFA of at most 32 MiB.

use regex::Regex;

/// Compiles a rule pattern with the engine's flags.
pub(crate) fn compile(pattern: &str) -> Result<Regex, regex::Error> {
    regex::RegexBuilder::new(pattern)
        .multi_line(true)
        .crlf(true)
        .dfa_size_limit(32 << 20)
        .build()
}

/// The syntax tree of a rule pattern, parsed with the engine's flags (for the literal
/// analyses of [`super::required::Required`] and [`super::prefixed::Prefixed`], and the
/// automata of [`super::whole_line::WholeLine`]); `None` for a pattern that does not parse.
pub(crate) fn parse(pattern: &str) -> Option<regex_syntax::hir::Hir> {
    regex_syntax::ParserBuilder::new()
        .multi_line(true)
        .crlf(true)
        .build()
        .parse(pattern)
        .ok()
}
