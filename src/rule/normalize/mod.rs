//! The `normalize` kind: built-in normalisers for text glitches that are not boilerplate:
//! mojibake, HTML left by the scraper, invisible characters, Unicode normalisation, white
//! space, punctuation style and homoglyphs.
//!
//! Each step is a function from a text to minimal, sorted, non-overlapping [`Edit`]s, so
//! every fix is recorded as a change like any other rule's. Each step first makes a cheap
//! byte scan and returns nothing for text with nothing suspicious in it (ASCII-only text
//! skips mojibake, NFC and homoglyphs; text without `&` or `<` skips the HTML steps), so
//! clean text costs little. A rule running several steps runs them in order and composes
//! their edits into one list against the text the rule saw. This module owns step names
//! and options; it does not decide which steps run by default (that is `rules/`).

mod codec;
mod entities;
pub(crate) mod finishing;
mod homoglyph;
mod html;
mod invisible;
mod kind;
mod mojibake;
mod punctuation;
mod unicode_form;
mod weirdness;
mod whitespace;

use std::ops::Range;

use toml::Spanned;

use super::spec::RuleSpec;
use crate::edit::{apply, compose, Edit};
pub(crate) use kind::{compile_rule, KEYS};
use punctuation::Style;
use unicode_form::Form;

/// One normaliser with its options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    Mojibake,
    HtmlEntities,
    HtmlTags,
    Invisible,
    UnicodeForm(Form),
    Whitespace(whitespace::Options),
    Punctuation(Style),
    Homoglyphs,
    PiiEmails,
    PiiIps,
    SymbolLines,
}

/// The step names a rule file may use, in the order the documentation lists them.
pub(crate) const STEP_NAMES: &[&str] = &[
    "mojibake",
    "html-entities",
    "html-tags",
    "invisible",
    "nfc",
    "whitespace",
    "punctuation",
    "homoglyphs",
    "pii-emails",
    "pii-ips",
    "symbol-lines",
];

impl Step {
    /// The edits this step makes to `text`.
    fn edits(&self, text: &str) -> Vec<Edit> {
        match self {
            Self::Mojibake if text.is_ascii() => Vec::new(),
            Self::Mojibake => mojibake::edits(text),
            Self::HtmlEntities => html::entity_edits(text),
            Self::HtmlTags => html::tag_edits(text),
            Self::Invisible => invisible::edits(text),
            Self::UnicodeForm(_) if text.is_ascii() => Vec::new(),
            Self::UnicodeForm(form) => unicode_form::edits(text, *form),
            Self::Whitespace(options) => whitespace::edits(text, *options),
            Self::Punctuation(style) => punctuation::edits(text, *style),
            Self::Homoglyphs if text.is_ascii() => Vec::new(),
            Self::Homoglyphs => homoglyph::edits(text),
            Self::PiiEmails => finishing::email_edits(text),
            Self::PiiIps => finishing::ip_edits(text),
            Self::SymbolLines => finishing::symbol_line_edits(text),
        }
    }

    /// Whether the step repairs each line on its own: mojibake is judged line by line, and
    /// a composition never reaches across a line break (a stable character).
    fn reads_lines_alone(&self) -> bool {
        matches!(self, Self::Mojibake | Self::UnicodeForm(_))
    }
}

/// The compiled steps of one `normalize` rule.
#[derive(Debug, Clone)]
pub(crate) struct Normalizer {
    steps: Vec<Step>,
}

impl Normalizer {
    /// Whether every step repairs each line on its own.
    pub(crate) fn reads_lines_alone(&self) -> bool {
        self.steps.iter().all(Step::reads_lines_alone)
    }

    /// The edits the steps make, in order, as one list against `text`.
    pub(crate) fn edits(&self, text: &str) -> Vec<Edit> {
        let mut steps = self.steps.iter();
        let Some(first) = steps.next() else {
            return Vec::new();
        };
        let mut edits = first.edits(text);
        let mut current: Option<String> = None;
        for step in steps {
            let seen = current.get_or_insert_with(|| apply(text, &edits));
            let next = step.edits(seen);
            if next.is_empty() {
                continue;
            }
            let after = apply(seen, &next);
            edits = compose(text, &edits, &next, &after);
            current = Some(after);
        }
        edits
    }
}

/// A problem with a rule's steps or options, at a span of the rule file.
pub(crate) type Problem = (Range<usize>, String);

/// Builds the steps of a `normalize` rule from its spec, checking that every option
/// belongs to a step the rule runs.
pub(crate) fn compile(spec: &RuleSpec) -> Result<Normalizer, Vec<Problem>> {
    let mut problems = Vec::new();
    let Some(names) = spec.steps.as_ref() else {
        return Err(vec![(
            spec.id.span(),
            "kind `normalize` needs `steps`".into(),
        )]);
    };
    if names.get_ref().is_empty() {
        problems.push((names.span(), "`steps` is empty".into()));
    }
    let has = |step: &str| names.get_ref().iter().any(|n| n == step);
    let mut option_of = |key: &str, span: Option<Range<usize>>, step: &str| {
        if let Some(span) = span {
            if !has(step) {
                problems.push((
                    span,
                    format!(
                        "key `{key}` is an option of step `{step}`, which this rule does not run"
                    ),
                ));
            }
        }
    };
    option_of("form", span(&spec.form), "nfc");
    option_of("style", span(&spec.style), "punctuation");
    for (key, value) in [
        ("trailing-space", span(&spec.trailing_space)),
        ("space-runs", span(&spec.space_runs)),
        ("max-blank-lines", span(&spec.max_blank_lines)),
        ("crlf", span(&spec.crlf)),
        ("lone-cr", span(&spec.lone_cr)),
    ] {
        option_of(key, value, "whitespace");
    }
    let mut steps = Vec::new();
    for name in names.get_ref() {
        let step = match name.as_str() {
            "mojibake" => Step::Mojibake,
            "html-entities" => Step::HtmlEntities,
            "html-tags" => Step::HtmlTags,
            "invisible" => Step::Invisible,
            "homoglyphs" => Step::Homoglyphs,
            "pii-emails" => Step::PiiEmails,
            "pii-ips" => Step::PiiIps,
            "symbol-lines" => Step::SymbolLines,
            "nfc" => match spec.form.as_ref().map(|f| (f.get_ref().as_str(), f.span())) {
                None | Some(("nfc", _)) => Step::UnicodeForm(Form::Nfc),
                Some(("nfkc", _)) => Step::UnicodeForm(Form::Nfkc),
                Some((other, span)) => {
                    problems.push((
                        span,
                        format!("invalid form `{other}`: expected `nfc` or `nfkc`"),
                    ));
                    continue;
                }
            },
            "punctuation" => match spec
                .style
                .as_ref()
                .map(|s| (s.get_ref().as_str(), s.span()))
            {
                Some(("ascii", _)) => Step::Punctuation(Style::Ascii),
                Some(("typographic", _)) => Step::Punctuation(Style::Typographic),
                None => {
                    problems.push((
                        spec.id.span(),
                        "step `punctuation` needs `style = \"ascii\"` or `style = \"typographic\"`"
                            .into(),
                    ));
                    continue;
                }
                Some((other, span)) => {
                    problems.push((
                        span,
                        format!("invalid style `{other}`: expected `ascii` or `typographic`"),
                    ));
                    continue;
                }
            },
            "whitespace" => {
                let defaults = whitespace::Options::default();
                let flag = |value: &Option<Spanned<bool>>, default: bool| {
                    value.as_ref().map_or(default, |v| *v.get_ref())
                };
                Step::Whitespace(whitespace::Options {
                    trailing_space: flag(&spec.trailing_space, defaults.trailing_space),
                    space_runs: flag(&spec.space_runs, defaults.space_runs),
                    max_blank_lines: spec
                        .max_blank_lines
                        .as_ref()
                        .map_or(defaults.max_blank_lines, |v| Some(*v.get_ref())),
                    crlf: flag(&spec.crlf, defaults.crlf),
                    lone_cr: flag(&spec.lone_cr, defaults.lone_cr),
                })
            }
            other => {
                problems.push((
                    names.span(),
                    format!(
                        "unknown step `{other}`\nhelp: steps are {}",
                        STEP_NAMES.join(", ")
                    ),
                ));
                continue;
            }
        };
        if steps.contains(&step) {
            problems.push((names.span(), format!("step `{name}` is listed twice")));
        }
        steps.push(step);
    }
    if problems.is_empty() {
        Ok(Normalizer { steps })
    } else {
        Err(problems)
    }
}

fn span<T>(value: &Option<Spanned<T>>) -> Option<Range<usize>> {
    value.as_ref().map(Spanned::span)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(steps: Vec<Step>, text: &str) -> (String, Vec<Edit>) {
        let edits = Normalizer { steps }.edits(text);
        (apply(text, &edits), edits)
    }

    #[test]
    fn several_steps_compose_into_one_edit_list() {
        let text = "cafÃ©  &amp; <b>bar</b>\u{200b}!  \n";
        let steps = vec![
            Step::Mojibake,
            Step::HtmlTags,
            Step::HtmlEntities,
            Step::Invisible,
            Step::Whitespace(whitespace::Options::default()),
        ];
        let (fixed, edits) = run(steps, text);
        assert_eq!(fixed, "café & bar!\n");
        for pair in edits.windows(2) {
            assert!(pair[0].range.end <= pair[1].range.start, "{edits:?}");
        }
    }

    #[test]
    fn composition_agrees_with_running_steps_one_by_one() {
        let samples = [
            "Ã©Ã©  x",
            "a<br>b &amp;&amp; c",
            "\u{feff}Ã©\u{200b}Ã¨ ",
            "x  y\r\n\r\n\r\nz",
            "e\u{301}\u{200b}e\u{301}",
        ];
        let all = || {
            vec![
                Step::Whitespace(whitespace::Options::default()),
                Step::Mojibake,
                Step::Invisible,
                Step::UnicodeForm(Form::Nfc),
                Step::HtmlTags,
                Step::HtmlEntities,
            ]
        };
        for text in samples {
            let mut expected = text.to_string();
            for step in all() {
                expected = apply(&expected, &step.edits(&expected));
            }
            assert_eq!(run(all(), text).0, expected, "{text:?}");
        }
    }
}
