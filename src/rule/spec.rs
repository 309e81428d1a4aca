//! The rule-file schema: serde structs that mirror the TOML one to one.
//!
//! Rules are deliberately one flat table with optional keys rather than a serde-tagged
//! enum: a tagged enum loses the source spans we need for `path:line:column` messages, and
//! serde's `deny_unknown_fields` has gaps on tagged enums. Which keys a kind accepts is
//! listed in `kinds.rs` and checked in `load.rs`.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

/// One rule file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleFileSpec {
    /// Letter schemes that `transliterate` rules refer to by name.
    #[serde(default)]
    pub(crate) scheme: Vec<SchemeSpec>,
    /// The rules, in the order they run.
    #[serde(default)]
    pub(crate) rule: Vec<RuleSpec>,
}

/// A named letter scheme: how a source language spells the letters of canonical names.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SchemeSpec {
    /// Name that `transliterate` rules use, e.g. `turkish`.
    pub(crate) name: Spanned<String>,
    /// What the scheme models and where the spellings come from (for readers of the
    /// file; the engine does not use it).
    #[serde(default)]
    #[allow(dead_code)]
    pub(crate) description: String,
    /// Letter (or letter group) of the canonical spelling → its spelling in the scheme,
    /// lower-case, e.g. `j = "c"`.
    pub(crate) letters: Spanned<BTreeMap<String, String>>,
}

/// One rule, as written. Keys that do not apply to the rule's kind are rejected.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RuleSpec {
    /// `group/name`, kebab-case, naming the defect (`scraper/ad-placeholder`).
    pub(crate) id: Spanned<String>,
    /// `remove`, `drop-line`, `replace`, `lexicon`, `transliterate`, `normalize`, `flag`,
    /// `quality`.
    pub(crate) kind: Spanned<String>,
    /// What the rule matches and why it is noise.
    pub(crate) description: Spanned<String>,
    /// Longer reasoning, shown by `rules explain`.
    pub(crate) why: Option<String>,
    /// Regular expression (`remove`, `drop-line`, `replace`). `^` and `$` match at line
    /// boundaries.
    pub(crate) pattern: Option<Spanned<String>>,
    /// `remove` only: `match` deletes the match, `line` the whole line containing it.
    pub(crate) scope: Option<Spanned<String>>,
    /// `replace` only: the template, with `$1` or `${name}` for capture groups.
    pub(crate) replacement: Option<Spanned<String>>,
    /// `lexicon` only: variant → canonical spelling.
    pub(crate) entries: Option<Spanned<BTreeMap<String, String>>>,
    /// `transliterate` only: canonical names whose variant spellings are fixed.
    pub(crate) names: Option<Spanned<Vec<String>>>,
    /// `transliterate`: letter schemes (by name) that generate the variants; `flag`:
    /// schemes whose spellings a suggestion undoes.
    pub(crate) schemes: Option<Spanned<Vec<String>>>,
    /// `transliterate` only: generated variants that must never be rewritten because
    /// they are real words or other people's names.
    pub(crate) exclude: Option<Vec<String>>,
    /// Limit the rule to the first or last lines of a document: `head:N` or `tail:N`
    /// (counting non-blank lines).
    pub(crate) within: Option<Spanned<String>>,
    /// `normalize` only: the normaliser steps, run in order (`mojibake`, `html-entities`,
    /// `html-tags`, `invisible`, `nfc`, `whitespace`, `punctuation`, `homoglyphs`).
    pub(crate) steps: Option<Spanned<Vec<String>>>,
    /// Step `nfc`: `nfc` (default) or `nfkc`.
    pub(crate) form: Option<Spanned<String>>,
    /// Step `punctuation`: `ascii` or `typographic`.
    pub(crate) style: Option<Spanned<String>>,
    /// Step `whitespace`: delete spaces and tabs at line ends (default true).
    pub(crate) trailing_space: Option<Spanned<bool>>,
    /// Step `whitespace`: collapse runs of spaces between words (default true).
    pub(crate) space_runs: Option<Spanned<bool>>,
    /// Step `whitespace`: most blank lines kept in a row (default 1).
    pub(crate) max_blank_lines: Option<Spanned<usize>>,
    /// Step `whitespace`: `\r\n` → `\n` (default true).
    pub(crate) crlf: Option<Spanned<bool>>,
    /// Step `whitespace`: a lone `\r` → `\n` (default true).
    pub(crate) lone_cr: Option<Spanned<bool>>,
    /// `flag` only: the telltale letters whose words are reported (with `phrases`: the
    /// letters whose presence in a capitalised word opens the check for a document).
    pub(crate) letters: Option<Spanned<String>>,
    /// `flag` only: phrases to report instead of words (a literal translation → what
    /// English says), only in documents with a capitalised word in `letters`.
    pub(crate) phrases: Option<Spanned<BTreeMap<String, String>>>,
    /// `flag` only: `"confirmed"` makes `clean` apply a suggestion that a name rule or the
    /// document itself confirms; without it the rule never edits.
    pub(crate) fix: Option<Spanned<String>>,
    /// `quality` only: the signal the threshold is on (`words`, `dup_line_fraction`, …).
    pub(crate) signal: Option<Spanned<String>>,
    /// `quality` only: the document is kept when the signal is at least this.
    pub(crate) min: Option<Spanned<f64>>,
    /// `quality` only: kept when the signal is at most this.
    pub(crate) max: Option<Spanned<f64>>,
    /// `quality` only: kept when the signal is strictly more than this.
    pub(crate) above: Option<Spanned<f64>>,
    /// `quality` only: kept when the signal is strictly less than this.
    pub(crate) below: Option<Spanned<f64>>,
    /// `line-score` only: feature name → weight of the linear score (`bias` for the
    /// constant); features not named weigh nothing.
    pub(crate) weights: Option<Spanned<BTreeMap<String, f64>>>,
    /// `line-score` only: a line goes when its score (0 to 1) is at least this.
    pub(crate) threshold: Option<Spanned<f64>>,
    /// `line-score` only: half-widths, in non-blank lines, of the neighbourhoods whose
    /// feature means the score also sees (`[4, 16]`).
    pub(crate) windows: Option<Spanned<Vec<usize>>>,
    /// Run the rule only on documents of this source (a site, an input file): what
    /// `source-by` reads from each document. Written by `discover lines --write-rules`.
    pub(crate) source: Option<Spanned<String>>,
    /// How `source` is read: `file` (the input file, the default), `FIELD` (a JSONL field,
    /// a dotted path) or `FIELD:host` (the host of the URL in it).
    pub(crate) source_by: Option<Spanned<String>>,
    /// `false` ships the rule switched off: it runs only when a `--select` glob names it.
    /// For rules that delete text a user must opt into (C4's line filters).
    pub(crate) default: Option<bool>,
    /// The rule's own test cases.
    #[serde(default)]
    pub(crate) test: Vec<TestSpec>,
}

/// A rule test: `input` must become `output`; without `output` it must stay unchanged.
/// For a `flag` rule, `flagged` lists what it must report (`"Sadır → Sadyr"`, or the word
/// alone when there is no suggestion); without it nothing may be reported.
/// Quality rules, which never edit, give a `verdict` instead: `keep` or `drop`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TestSpec {
    /// Text the rule runs on.
    pub(crate) input: String,
    /// Expected text; absent means "left alone".
    pub(crate) output: Option<String>,
    /// `flag` rules only: the expected findings.
    pub(crate) flagged: Option<Vec<String>>,
    /// `quality` rules only: the expected verdict on `input`, `keep` or `drop`.
    pub(crate) verdict: Option<String>,
}

impl RuleSpec {
    /// The kind-specific keys this rule sets, with where (`exclude`, a plain list, at the
    /// rule's id): `load` checks each against the keys its kind takes.
    pub(crate) fn kind_keys(&self) -> [(&'static str, Option<Range<usize>>); 27] {
        fn at<T>(value: &Option<Spanned<T>>) -> Option<Range<usize>> {
            value.as_ref().map(Spanned::span)
        }
        [
            ("weights", at(&self.weights)),
            ("threshold", at(&self.threshold)),
            ("windows", at(&self.windows)),
            ("pattern", at(&self.pattern)),
            ("scope", at(&self.scope)),
            ("replacement", at(&self.replacement)),
            ("entries", at(&self.entries)),
            ("names", at(&self.names)),
            ("schemes", at(&self.schemes)),
            ("exclude", self.exclude.as_ref().map(|_| self.id.span())),
            ("within", at(&self.within)),
            ("steps", at(&self.steps)),
            ("form", at(&self.form)),
            ("style", at(&self.style)),
            ("trailing-space", at(&self.trailing_space)),
            ("space-runs", at(&self.space_runs)),
            ("max-blank-lines", at(&self.max_blank_lines)),
            ("crlf", at(&self.crlf)),
            ("lone-cr", at(&self.lone_cr)),
            ("letters", at(&self.letters)),
            ("phrases", at(&self.phrases)),
            ("fix", at(&self.fix)),
            ("signal", at(&self.signal)),
            ("min", at(&self.min)),
            ("max", at(&self.max)),
            ("above", at(&self.above)),
            ("below", at(&self.below)),
        ]
    }
}

/// `s` as a TOML basic string, for the rule files textscrub writes (`rules fit`,
/// `discover lines`).
pub(crate) fn toml_string(s: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
