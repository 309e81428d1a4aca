//! The regex-driven kinds: `remove`, `drop-line` and `replace`.
//!
//! Patterns are compiled once with `^`/`$` matching at line boundaries (CRLF aware), and
//! run over the whole text in one pass; no per-line loop.

use regex::Regex;

use super::compile::Behaviour;
use super::compile::{required, Located, Schemes};
use super::lines::{self, delete_lines, line_at, line_from, Within};
use super::prefixed::Prefixed;
use super::required::Required;
use super::spec::RuleSpec;
use super::syntax::compile;
use super::whole_line::WholeLine;
use crate::edit::Edit;

/// What a `remove` rule deletes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// The match, plus the white space that would otherwise be left doubled.
    Match,
    /// The whole line containing the match.
    Line,
}

/// The non-empty matches of `regex` that start inside the rule's region.
fn matches<'t>(
    regex: &'t Prefixed,
    text: &'t str,
    within: Option<Within>,
) -> impl Iterator<Item = std::ops::Range<usize>> + 't {
    let region = within.map_or(0..text.len(), |w| w.region(text));
    regex
        .find_all(text, region.end)
        .into_iter()
        .skip_while(move |m| m.start < region.start)
}

/// Whether byte `at` of `text` is on `line` (its break included).
fn holds(text: &str, line: lines::Line, at: usize) -> bool {
    line.start <= at && (at < line.next || line.next == text.len())
}

/// `remove`: deletes matches, or with `Scope::Line` the lines holding them. A match that
/// was the only thing on its line takes its line along, so no empty line is left.
pub(crate) fn remove(
    regex: &Prefixed,
    scope: Scope,
    within: Option<Within>,
    text: &str,
) -> Vec<Edit> {
    let mut dead_lines = Vec::new();
    let mut edits = Vec::new();
    let mut pending: Vec<(usize, usize)> = Vec::new(); // matches on the current line
    let mut current_line: Option<lines::Line> = None;
    let mut last_dead: Option<lines::Line> = None;
    let flush = |line: lines::Line,
                 pending: &mut Vec<(usize, usize)>,
                 edits: &mut Vec<Edit>,
                 dead: &mut Vec<usize>| {
        let mut rest = String::new();
        let mut at = line.start;
        for &(s, e) in pending.iter() {
            rest.push_str(&text[at..s.max(at)]);
            at = e.max(at);
        }
        rest.push_str(&text[at.min(line.end)..line.end]);
        if lines::is_blank(&text[line.start..line.end]) {
            // A blank line the match only ran through is a paragraph break, not the
            // match's to delete; before the document's first text it breaks nothing.
            if lines::is_blank(&text[..line.start]) {
                dead.push(line.start);
            }
        } else if lines::is_blank(&rest) {
            dead.push(line.start);
        } else {
            edits.extend(
                pending
                    .iter()
                    .filter(|&&(s, e)| s < e)
                    .map(|&(s, e)| absorb_space(text, line, s, e)),
            );
        }
        pending.clear();
    };
    for m in matches(regex, text, within) {
        match scope {
            // Matches come in order: a long line with many of them is looked up once.
            Scope::Line => {
                if !last_dead.is_some_and(|l| holds(text, l, m.start)) {
                    let line = line_at(text, m.start);
                    dead_lines.push(line.start);
                    last_dead = Some(line);
                }
            }
            // A match running over line breaks is a piece on each line it touches: the
            // lines it covers whole go, and what is left of its first and last line stays.
            Scope::Match => {
                let mut start = m.start;
                loop {
                    let line = match current_line {
                        Some(l) if holds(text, l, start) => l,
                        _ => line_at(text, start),
                    };
                    if current_line.is_some_and(|l| l.start != line.start) {
                        flush(
                            current_line.expect("checked"),
                            &mut pending,
                            &mut edits,
                            &mut dead_lines,
                        );
                    }
                    current_line = Some(line);
                    pending.push((start, m.end.min(line.end.max(start))));
                    if m.end <= line.next || line.next == line.start {
                        break;
                    }
                    start = line.next;
                }
            }
        }
    }
    if let Some(line) = current_line {
        flush(line, &mut pending, &mut edits, &mut dead_lines);
    }
    edits.extend(delete_lines(text, &mut dead_lines));
    edits
}

/// Widens a deleted match so the words around it meet with one space: at the start of a
/// line it takes the spaces after it, at the end of a line (or before punctuation) the
/// spaces before it, between words the spaces after it.
fn absorb_space(text: &str, line: lines::Line, start: usize, end: usize) -> Edit {
    let is_space = |c: char| c == ' ' || c == '\t';
    let before = &text[line.start..start];
    let after = &text[end..line.end];
    let space_before = before.len() - before.trim_end_matches(is_space).len();
    let space_after = after.len() - after.trim_start_matches(is_space).len();
    let rest_after = &after[space_after..];
    if before.trim_start_matches(is_space).is_empty() {
        return Edit::delete(start..end + space_after);
    }
    if rest_after.is_empty() || rest_after.starts_with([',', '.', ';', ':', '!', '?', ')']) {
        return Edit::delete(start - space_before..end + space_after);
    }
    if space_before > 0 {
        return Edit::delete(start..end + space_after);
    }
    Edit::delete(start..end)
}

/// `drop-line`: deletes lines that `whole` (the pattern anchored at both ends) matches.
///
/// Each line is tried on its own rather than scanning the text for matches: an anchored
/// match gives up within a few bytes on an ordinary line of prose, so the cost follows
/// the number of lines, not their length, and a pattern can never match across lines.
/// With `required`, only the lines holding one of the pattern's literals are tried.
fn drop_line(
    whole: &WholeLine,
    required: Option<&Required>,
    within: Option<Within>,
    text: &str,
) -> Vec<Edit> {
    let region = within.map_or(0..text.len(), |w| w.region(text));
    let mut dead = Vec::new();
    let mut lines = whole.lines();
    // Literals are looked for up to the end of the region's last line.
    let last_end = line_at(text, region.end.saturating_sub(1).max(region.start)).end;
    // Always a line's start.
    let mut at = line_at(text, region.start).start;
    while at < region.end {
        let line = match required {
            Some(required) => match required.find(text, at..last_end) {
                Some(found) => line_at(text, found),
                None => break,
            },
            None => line_from(text, at),
        };
        if line.start >= region.end {
            break;
        }
        if lines.is_match(&text[line.start..line.end]) {
            dead.push(line.start);
        }
        if line.next <= at {
            break;
        }
        at = line.next;
    }
    delete_lines(text, &mut dead)
}

/// `replace`: rewrites each match with the template.
pub(crate) fn replace(
    regex: &Regex,
    template: &str,
    within: Option<Within>,
    text: &str,
) -> Vec<Edit> {
    let region = within.map_or(0..text.len(), |w| w.region(text));
    let mut edits = Vec::new();
    for caps in regex.captures_iter(text) {
        let whole = caps.get(0).expect("group 0 always exists");
        if whole.start() < region.start || whole.is_empty() {
            continue;
        }
        if whole.start() >= region.end {
            break;
        }
        let mut replacement = String::new();
        caps.expand(template, &mut replacement);
        if replacement != whole.as_str() {
            edits.push(Edit::replace(whole.range(), replacement));
        }
    }
    edits
}

/// A compiled `remove` rule.
#[derive(Debug, Clone)]
struct Remove {
    regex: Prefixed,
    scope: Scope,
}

impl Behaviour for Remove {
    fn edits(&self, text: &str, within: Option<Within>) -> Vec<Edit> {
        remove(&self.regex, self.scope, within, text)
    }
}

/// A compiled `drop-line` rule: its pattern anchored to a whole line.
#[derive(Debug, Clone)]
struct DropLine {
    whole: WholeLine,
    required: Option<Required>,
}

impl Behaviour for DropLine {
    fn edits(&self, text: &str, within: Option<Within>) -> Vec<Edit> {
        drop_line(&self.whole, self.required.as_ref(), within, text)
    }

    fn reads_lines_alone(&self) -> bool {
        true
    }
}

/// A compiled `replace` rule.
#[derive(Debug, Clone)]
struct Replace {
    regex: Regex,
    template: String,
}

impl Behaviour for Replace {
    fn edits(&self, text: &str, within: Option<Within>) -> Vec<Edit> {
        replace(&self.regex, &self.template, within, text)
    }
}

pub(crate) fn compile_remove(
    spec: &RuleSpec,
    _: &Schemes,
    at: &mut Located<'_>,
) -> Option<Box<dyn Behaviour>> {
    let regex = pattern(spec, at, Prefixed::new, |regex| regex.is_match(""))?;
    let scope = match spec
        .scope
        .as_ref()
        .map(|s| (s.get_ref().as_str(), s.span()))
    {
        None | Some(("match", _)) => Scope::Match,
        Some(("line", _)) => Scope::Line,
        Some((other, span)) => {
            at.report(
                span,
                format!("invalid scope `{other}`: expected `match` or `line`"),
            );
            return None;
        }
    };
    Some(Box::new(Remove { regex, scope }))
}

pub(crate) fn compile_drop_line(
    spec: &RuleSpec,
    _: &Schemes,
    at: &mut Located<'_>,
) -> Option<Box<dyn Behaviour>> {
    // A drop-line rule only ever asks whether its pattern spans a line: compile that form
    // alone, forward only (compiling is the bulk of start-up time).
    let whole = pattern(spec, at, WholeLine::new, |whole| whole.is_match(""))?;
    let required = spec
        .pattern
        .as_ref()
        .and_then(|p| Required::of(p.get_ref()));
    Some(Box::new(DropLine { whole, required }))
}

pub(crate) fn compile_replace(
    spec: &RuleSpec,
    _: &Schemes,
    at: &mut Located<'_>,
) -> Option<Box<dyn Behaviour>> {
    let regex = pattern(spec, at, compile, |regex| regex.is_match(""))?;
    let template = required(&spec.replacement, "replacement", spec, at)?;
    if let Some(group) = missing_group(&regex, template.get_ref()) {
        at.report(
            template.span(),
            format!("replacement refers to group `{group}`, which the pattern does not have"),
        );
        return None;
    }
    Some(Box::new(Replace {
        regex,
        template: template.get_ref().clone(),
    }))
}

/// The rule's `pattern`, compiled by `compile`. A pattern that `matches_empty` is refused:
/// it would match everywhere, removing or rewriting text that is not there.
fn pattern<R>(
    spec: &RuleSpec,
    at: &mut Located<'_>,
    compile: impl FnOnce(&str) -> Result<R, regex::Error>,
    matches_empty: impl FnOnce(&R) -> bool,
) -> Option<R> {
    let pattern = required(&spec.pattern, "pattern", spec, at)?;
    let compiled = checked(pattern, compile(pattern.get_ref()), at)?;
    if matches_empty(&compiled) {
        at.report(pattern.span(), MATCHES_EMPTY.into());
        return None;
    }
    Some(compiled)
}

const MATCHES_EMPTY: &str = "pattern matches the empty string, so it would match everywhere";

/// The compiled pattern, or `None` with the error reported at the pattern.
fn checked<T>(
    pattern: &toml::Spanned<String>,
    compiled: Result<T, regex::Error>,
    at: &mut Located<'_>,
) -> Option<T> {
    compiled
        .map_err(|e| {
            at.report(
                pattern.span(),
                format!(
                    "invalid regex `{}`: {}",
                    pattern.get_ref(),
                    reason_line(&e.to_string())
                ),
            );
        })
        .ok()
}

/// The reason in a regex error: its last non-blank line (the others draw a caret diagram).
fn reason_line(s: &str) -> String {
    s.lines()
        .rfind(|l| !l.trim().is_empty())
        .unwrap_or(s)
        .trim()
        .to_string()
}

/// The first `$group` in `template` that `regex` lacks.
fn missing_group(regex: &regex::Regex, template: &str) -> Option<String> {
    let reference =
        regex::Regex::new(r"\$(?:\$|\{([^}]*)\}|([0-9A-Za-z_]+))").expect("static regex");
    for caps in reference.captures_iter(template) {
        let Some(name) = caps.get(1).or_else(|| caps.get(2)) else {
            continue;
        };
        let name = name.as_str();
        let exists = match name.parse::<usize>() {
            Ok(n) => n < regex.captures_len(),
            Err(_) => regex.capture_names().flatten().any(|n| n == name),
        };
        if !exists {
            return Some(name.to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::{apply, normalize};

    fn removed(pattern: &str, text: &str) -> String {
        let regex = Prefixed::new(pattern).expect("test pattern");
        let mut edits = remove(&regex, Scope::Match, None, text);
        normalize(text, &mut edits);
        apply(text, &edits)
    }

    #[test]
    fn a_match_over_line_breaks_removes_its_part_of_every_line() {
        // It begins on blank lines and ends inside the line that holds the text.
        assert_eq!(removed(r"\A\s*date \d+ ", "\n\ndate 1 Text"), "Text");
        // Its first and last lines keep the rest; the line between goes whole.
        assert_eq!(removed(r"x\nfull\ny", "A x\nfull\ny B"), "A\nB");
        // Ending on a line break takes nothing of the next line.
        assert_eq!(removed(r"x\n", "A x\nB"), "A\nB");
        assert_eq!(removed(r"x\n", "x\nB"), "B");
    }

    /// A match that starts on a blank line and runs into the next line removes its text,
    /// not the paragraph break it ran through (both went: `Para one.\nPara two.`).
    #[test]
    fn a_blank_line_a_match_runs_through_stays() {
        let ad = r"\s*Advertisement:?";
        for (text, cleaned) in [
            (
                "Para one.\n\nAdvertisement Para two.\n",
                "Para one.\n\nPara two.\n",
            ),
            (
                "Para one.\n\nAdvertisement\nPara two.\n",
                "Para one.\n\nPara two.\n",
            ),
            (
                "Para one.\n \nAdvertisement: Para two.",
                "Para one.\n \nPara two.",
            ),
            // Before the document's first text a blank line breaks nothing: it goes.
            ("\n\nAdvertisement Para two.\n", "Para two.\n"),
        ] {
            assert_eq!(removed(ad, text), cleaned, "{text:?}");
        }
    }

    /// A lone `\r` ends a line for `drop-line` as for `^` and `$`: the sentence before a
    /// credit it separates is not read as part of the credit line.
    #[test]
    fn drop_line_reads_a_lone_carriage_return_as_a_line_break() {
        let whole = WholeLine::new(r"[\p{L}.\s]+/(?:AFP|EPA-EFE)").unwrap();
        let text = "Protests erupted.\rIgor Kovalenko/EPA-EFE\nMore.";
        let edits = drop_line(&whole, None, None, text);
        assert_eq!(apply(text, &edits), "Protests erupted.\rMore.");
    }
}
