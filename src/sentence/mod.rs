//! Sentence segmentation: splits text into sentences, returned as byte ranges.
//!
//! A [`Segmenter`] holds one language's rules, compiled once from a TOML rule file
//! (`rules/lang/<code>.toml`, embedded in the binary) and shared. [`Segmenter::split`]
//! returns the sentences as byte ranges into the text, so callers slice without copying.
//! The ranges are sorted, do not overlap, lie on char boundaries, are trimmed of
//! whitespace, and together cover every non-whitespace character of the text.
//!
//! ```
//! use textscrub::sentence::{Language, Segmenter};
//!
//! let segmenter = Segmenter::new(Language::English);
//! let text = "Oct. 6 (UPI) -- Mr. Jeenbekov spoke. \"Stop!\" he said.\n\nPOLICE INTERVENED\nThe end.";
//! let sentences: Vec<&str> = segmenter.split(text).into_iter().map(|r| &text[r]).collect();
//! assert_eq!(sentences, [
//!     "Oct. 6 (UPI) -- Mr. Jeenbekov spoke.",
//!     "\"Stop!\" he said.",
//!     "POLICE INTERVENED",
//!     "The end.",
//! ]);
//!
//! // Languages are parsed from codes, as a `--lang` option would give them.
//! let german = Segmenter::for_lang("de")?;
//! assert_eq!(german.split("Am 3. Oktober feiern wir. Das ist gut.").len(), 2);
//! # Ok::<(), textscrub::sentence::Error>(())
//! ```
//!
//! # How it works
//!
//! UAX #29 (`unicode-segmentation`) is the reference: it proposes a boundary after every
//! `.` followed by a space and a capital, and after every line break. It is also a
//! per-character state machine, ten times slower than this module on the benchmark text
//! (`benches/segmenter.rs`). This module therefore does not run it: it scans bytes for
//! candidates only (the `Sentence_Terminal` characters `.?!…。` and friends, and line
//! breaks; see `scan.rs`) and applies the full rules only around them (`fixups.rs`).
//! `tests/sentences.rs` compares the two and lists where we deliberately differ.
//!
//! - abbreviations from the language file: `never_end` ones (`Mr.`, `e.g.`, `vs.`) never
//!   end a sentence, `may_end` ones (`etc.`, `Inc.`, `U.S.`) end one only before a typical
//!   sentence starter (`The`, `He`); either kind before a number qualifies it (`Oct. 6`);
//! - initials (`George W. Bush`), dotted acronyms, list numbers (`1. First`), ordinals in
//!   languages that write them with a period (`am 3. Oktober`);
//! - no boundary without whitespace after the terminator (`3.5%`, `example.com`, `v2.0.1`),
//!   except after CJK terminators, and none before a lower-case word (`"Stop!" he said`);
//! - closing quotes, brackets and footnote markers stay with their sentence
//!   (`(See below.)`, `effect.[1]`), as does a citation after a quote (`…" (Smith 55).`);
//! - inline list items are sentences of their own (`1. Mix 2. Bake`, `Steps: 1. Mix`);
//! - line structure: a blank line always ends a sentence; a heading, list item or
//!   line-per-paragraph line ends one; a hard-wrapped line does not (decided from the
//!   lengths of the neighbouring lines, see `is_wrapped`).
//!
//! Text in scripts the rules do not know is segmented at its terminators (`。`, `।`, `؟`)
//! and line structure. Every step looks at a bounded window, so time is linear in the
//! text, whatever the input.
//!
//! # Languages
//!
//! Twenty-five languages are embedded ([`Language`]): pySBD's 23, Turkish and Ukrainian.
//! Their rule files are data: `rules/lang/en.toml` documents the format (abbreviation
//! lists, sentence starters, `ordinal_dot`, `closing_quotes_after_space`), the other
//! switches (`lower_case_starts`, `terminators`, `quote_particles`) are documented where
//! they are first used, and [`Segmenter::from_rules`] loads another file at run time, so
//! a language is added without code. [`RuleChoice`] picks a document's rules (its own
//! `lang`, a default, or the language [`detect`] finds) and [`write_sentences_record`]
//! writes a `split` record straight from the text.
//!
//! This module does not clean, normalise or allocate per sentence, and it never prints.

pub mod detect;
mod documents;
mod fixups;
mod lang;
mod scan;

use std::ops::Range;
use std::sync::Arc;

pub use detect::Detection;
pub use documents::{write_sentences_record, RuleChoice};
pub use lang::Language;

use fixups::{Boundary, Cluster, Context};
use lang::Rules;
use scan::{Gap, Space, Terminator};

/// Errors of the sentence module.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A language code with no rules.
    #[error("unknown language {code:?}: expected one of {}", Language::codes())]
    UnknownLanguage {
        /// The code as given.
        code: String,
    },
    /// A language rule file that does not parse or validate. The message holds one
    /// `name:line:column: problem` line per problem.
    #[error("{message}")]
    RuleFile {
        /// The rule file's name, as given to [`Segmenter::from_rules`].
        name: String,
        /// What is wrong, one problem per line.
        message: String,
    },
}

/// Splits text into sentences with one language's rules. Cheap to clone and to create
/// for a built-in language (the compiled rules are shared); `Send` and `Sync`.
#[derive(Debug, Clone)]
pub struct Segmenter {
    rules: Arc<Rules>,
}

impl Segmenter {
    /// A segmenter with the embedded rules of `language`.
    #[must_use]
    pub fn new(language: Language) -> Segmenter {
        Segmenter {
            rules: language.rules(),
        }
    }

    /// A segmenter for a language code such as `en`, `de-AT` or `TR`.
    pub fn for_lang(code: &str) -> Result<Segmenter, Error> {
        Ok(Segmenter::new(Language::from_code(code)?))
    }

    /// A segmenter from a rule file in the format of `rules/lang/en.toml`, for languages
    /// without embedded rules. `name` (usually the path) is used in error messages.
    pub fn from_rules(name: &str, source: &str) -> Result<Segmenter, Error> {
        Ok(Segmenter {
            rules: Arc::new(Rules::from_toml(name, source)?),
        })
    }

    /// The language code the rules declare (`language = "en"`).
    #[must_use]
    pub fn language_code(&self) -> &str {
        &self.rules.code
    }

    /// The sentences of `text` as byte ranges: sorted, disjoint, on char boundaries,
    /// trimmed of whitespace, covering every non-whitespace character.
    #[must_use]
    pub fn split(&self, text: &str) -> Vec<Range<usize>> {
        let mut sentences = Vec::new();
        self.split_into(text, &mut sentences);
        sentences
    }

    /// Like [`split`](Segmenter::split), but clears and fills `sentences`, so a caller
    /// that segments many documents reuses one buffer.
    pub fn split_into(&self, text: &str, sentences: &mut Vec<Range<usize>>) {
        sentences.clear();
        Pass::new(&self.rules, text, sentences).run();
    }
}

/// One left-to-right pass over a text. Its state is where the current sentence and line
/// began; every candidate consumes the whitespace after it, so no byte is read twice
/// except within the bounded windows of the rules.
struct Pass<'a> {
    cx: Context<'a>,
    sentences: &'a mut Vec<Range<usize>>,
    scratch: String,
}

impl<'a> Pass<'a> {
    fn new(rules: &'a Rules, text: &'a str, sentences: &'a mut Vec<Range<usize>>) -> Pass<'a> {
        Pass {
            cx: Context {
                rules,
                text,
                sentence_start: 0,
                line_start: 0,
                previous_line: None,
            },
            sentences,
            scratch: String::new(),
        }
    }

    fn run(mut self) {
        let text = self.cx.text;
        let bytes = text.as_bytes();
        let leading = Gap::scan(text, 0);
        self.cx.sentence_start = leading.end;
        self.follow_lines(&leading);
        let mut at = leading.end;
        while let Some(i) = self.cx.rules.next_candidate(bytes, at) {
            at = if self.cx.rules.terminator_at(text, i).is_some() {
                self.terminator(i)
            } else if bytes[i] == b')' {
                self.list_label(i)
            } else if matches!(scan::space_at(text, i), Some((_, kind)) if kind != Space::Blank) {
                self.line_break(i)
            } else {
                // The lead byte of a character that is neither (`“`, `é`, NBSP).
                i + 1
            };
        }
        let end = scan::trim_end(text, text.len());
        if self.cx.sentence_start < end {
            self.sentences.push(self.cx.sentence_start..end);
        }
    }

    /// Handles the terminator cluster that starts at `start`; returns where to go on.
    fn terminator(&mut self, start: usize) -> usize {
        let text = self.cx.text;
        let bytes = text.as_bytes();
        let mut end = start;
        // The weakest kind, so the strongest mark of the cluster decides.
        let mut kind = Terminator::Clause;
        let mut dots = 0;
        while let Some((len, found)) = self.cx.rules.terminator_at(text, end) {
            end += len;
            if found == Terminator::Dot {
                dots += 1;
            }
            kind = strongest(kind, found);
        }
        let mut omission = false;
        if kind == Terminator::Dot {
            // A spaced ellipsis: `. . .`, but not `. .NET` or `raak. ...en`.
            let tight = end;
            let mut spaced = end;
            while bytes.get(spaced) == Some(&b' ')
                && bytes.get(spaced + 1) == Some(&b'.')
                && !bytes
                    .get(spaced + 2)
                    .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'.')
            {
                spaced += 2;
                dots += 1;
            }
            let after_space = start > 0 && bytes[start - 1].is_ascii_whitespace();
            if dots == 4 && end == start + 1 && !after_space && !self.ends_text(spaced) {
                // `compounds. . . . The practice`: the period ends the sentence and the
                // ellipsis opens the next one (the ellipsis is scanned again from there).
                dots = 1;
            } else {
                end = spaced;
                // `the thing is . . . I didn't`: three spaced dots after a space leave
                // words out inside a sentence; a fourth would be its period.
                omission = after_space && dots == 3 && start + 1 == tight && end > tight;
            }
            if dots > 1 {
                kind = Terminator::Ellipsis;
            }
        }
        end = self.closers(end);
        let gap = Gap::scan(text, end);
        let cluster = Cluster {
            start,
            kind,
            end,
            omission,
        };
        match fixups::at_terminator(&self.cx, &cluster, &gap, &mut self.scratch) {
            Boundary::After => self.end_sentence(end, &gap),
            Boundary::Before(item) => {
                // An inline list item: the sentence ends at the whitespace before it.
                let before = scan::trim_end(text, item);
                if self.cx.sentence_start < before && item < start {
                    self.sentences.push(self.cx.sentence_start..before);
                    self.cx.sentence_start = item;
                }
                self.follow_lines(&gap);
            }
            Boundary::None => self.follow_lines(&gap),
        }
        gap.end
    }

    /// Handles the `)` at `close`: the end of an inline list label such as `2)` or `(b)`,
    /// which ends the previous item when the sentence opened with the label before it
    /// (`1) The first item 2) The second item`).
    fn list_label(&mut self, close: usize) -> usize {
        let text = self.cx.text;
        let bytes = text.as_bytes();
        if !matches!(bytes.get(close + 1), Some(b' ' | b'\t')) {
            return close + 1;
        }
        let label_start = close
            - bytes[..close]
                .iter()
                .rev()
                .take(4)
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
        let item = if label_start > 0 && bytes[label_start - 1] == b'(' {
            label_start - 1
        } else {
            label_start
        };
        let starts_word = item > self.cx.sentence_start
            && bytes
                .get(item.wrapping_sub(1))
                .is_some_and(u8::is_ascii_whitespace);
        if starts_word && fixups::ends_list_item(&self.cx, &text[label_start..close]) {
            let before = scan::trim_end(text, item);
            self.sentences.push(self.cx.sentence_start..before);
            self.cx.sentence_start = item;
        }
        close + 1
    }

    /// Whether nothing but closing punctuation and white space follows `at`.
    fn ends_text(&self, at: usize) -> bool {
        self.cx.text[at..]
            .chars()
            .all(|c| c.is_whitespace() || scan::is_closer(c))
    }

    /// Skips the closing quotes and brackets after a terminator.
    fn closers(&self, mut end: usize) -> usize {
        let text = self.cx.text;
        let next_char = |at: usize| text.get(at..).and_then(|s| s.chars().next());
        while let Some(c) = next_char(end).filter(|&c| scan::is_closer(c)) {
            end += c.len_utf8();
        }
        // A footnote marker belongs to the sentence it follows: `effect.[1] Later …`.
        if let Some(marker) = text.get(end..).and_then(|rest| rest.strip_prefix('[')) {
            let len = marker
                .bytes()
                .take(4)
                .take_while(u8::is_ascii_alphanumeric)
                .count();
            if (1..=3).contains(&len) && marker[len..].starts_with(']') {
                end += len + 2;
            }
        }
        if !self.cx.rules.closing_quotes_after_space.is_empty() {
            // French `« Non ! »`: the closing guillemet comes after a (no-break) space.
            let mut at = end;
            while let Some((len, Space::Blank)) = scan::space_at(text, at) {
                at += len;
            }
            if at > end {
                if let Some(c) = next_char(at) {
                    if self.cx.rules.closing_quotes_after_space.contains(&c) {
                        end = at + c.len_utf8();
                        while let Some(c) = next_char(end).filter(|&c| scan::is_closer(c)) {
                            end += c.len_utf8();
                        }
                    }
                }
            }
        }
        end
    }

    /// Handles the line break at `at` after a line without a terminator.
    fn line_break(&mut self, at: usize) -> usize {
        let gap = Gap::scan(self.cx.text, scan::trim_end(self.cx.text, at));
        if fixups::ends_at_line_break(&self.cx, &gap) {
            self.end_sentence(gap.start, &gap);
        } else {
            self.follow_lines(&gap);
        }
        gap.end
    }

    fn end_sentence(&mut self, end: usize, gap: &Gap) {
        if self.cx.sentence_start < end {
            self.sentences.push(self.cx.sentence_start..end);
        }
        self.cx.sentence_start = gap.end;
        self.follow_lines(gap);
    }

    /// Keeps track of the current and previous line across a gap.
    fn follow_lines(&mut self, gap: &Gap) {
        if let Some(next_line) = gap.last_line_start {
            self.cx.previous_line = if gap.paragraph {
                None
            } else {
                Some(self.cx.line_start..gap.start)
            };
            self.cx.line_start = next_line;
        }
    }
}

/// The kind of a mixed cluster: `?..` is a question, `...` an ellipsis, `。.` CJK.
fn strongest(a: Terminator, b: Terminator) -> Terminator {
    let rank = |t: Terminator| match t {
        Terminator::Clause => 0,
        Terminator::Dot => 1,
        Terminator::Ellipsis => 2,
        Terminator::Strong => 3,
        Terminator::Spaceless => 4,
    };
    if rank(b) > rank(a) {
        b
    } else {
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        Segmenter::new(Language::English)
            .split(text)
            .into_iter()
            .map(|range| &text[range])
            .collect()
    }

    #[test]
    fn empty_and_blank_texts_have_no_sentences() {
        assert!(split("").is_empty());
        assert!(split(" \n\t\r\n\u{2029} ").is_empty());
    }

    #[test]
    fn text_without_terminators_is_one_sentence() {
        assert_eq!(
            split("  no punctuation at all  "),
            ["no punctuation at all"]
        );
    }

    #[test]
    fn split_into_reuses_and_clears_the_buffer() {
        let segmenter = Segmenter::new(Language::English);
        let mut buffer = Vec::new();
        buffer.push(7..9);
        segmenter.split_into("One. Two.", &mut buffer);
        assert_eq!(buffer, [0..4, 5..9]);
    }

    #[test]
    fn custom_rule_files_work_and_report_errors() {
        let source = "language = \"xx\"\nname = \"Test\"\n[abbreviations]\nnever_end = [\"Qz.\"]\n";
        let segmenter = Segmenter::from_rules("xx.toml", source);
        assert_eq!(
            segmenter.as_ref().map(Segmenter::language_code).ok(),
            Some("xx")
        );
        let sentences = segmenter.map(|s| s.split("A Qz. Bee. Cee.").len()).ok();
        assert_eq!(sentences, Some(2));
        assert!(Segmenter::from_rules("xx.toml", "language = 1").is_err());
    }

    #[test]
    fn segmenters_are_shared_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Segmenter>();
    }

    #[test]
    fn unknown_language_is_an_error() {
        let message = Segmenter::for_lang("klingon").err().map(|e| e.to_string());
        assert_eq!(
            message.as_deref(),
            Some(
                format!(
                    "unknown language \"klingon\": expected one of {}",
                    Language::codes()
                )
                .as_str()
            )
        );
    }
}
