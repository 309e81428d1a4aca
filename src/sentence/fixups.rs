//! The rules that decide whether a candidate is a sentence boundary.
//!
//! A candidate is a terminator cluster (`.`, `?!`, `...`, `。`, with its closing quotes and
//! brackets) followed by whitespace, or a line break after a line without a terminator.
//! The rules look at a small window around it: the word before a period (abbreviation,
//! initial, number, acronym), the first word after the whitespace (its case, whether it
//! typically starts a sentence, whether it is a list marker) and, for line breaks, the
//! lengths of the neighbouring lines (hard wrapping). They never look further than the
//! neighbouring lines, and they never change text.

use std::ops::Range;

use super::lang::{AbbreviationKind, Rules, MAX_ABBREVIATION_BYTES};
use super::scan::{self, Class, Gap, Terminator};

/// What the rules know about the place in the text they are asked about.
pub(crate) struct Context<'a> {
    pub(crate) rules: &'a Rules,
    pub(crate) text: &'a str,
    /// Where the current sentence starts (a non-whitespace byte).
    pub(crate) sentence_start: usize,
    /// Where the current line starts (after its line break, before any indentation).
    pub(crate) line_start: usize,
    /// The previous line of the same paragraph, without its line break, if any.
    pub(crate) previous_line: Option<Range<usize>>,
}

/// A terminator cluster: its extent, its kind, and where its closing punctuation ends.
pub(crate) struct Cluster {
    pub(crate) start: usize,
    pub(crate) kind: Terminator,
    /// After the closing quotes and brackets: where the sentence would end.
    pub(crate) end: usize,
    /// A spaced ellipsis of three dots after a space (`the thing is . . . I`): an
    /// omission inside a sentence, not its end.
    pub(crate) omission: bool,
}

/// Where a terminator candidate puts a sentence boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Boundary {
    /// The sentence goes on.
    None,
    /// The sentence ends after the cluster and its closing punctuation.
    After,
    /// The sentence ends before this byte, where an inline list item starts:
    /// `1. The first item 2. The second item` ends before `2.`.
    Before(usize),
}

impl From<bool> for Boundary {
    fn from(ends: bool) -> Boundary {
        if ends {
            Boundary::After
        } else {
            Boundary::None
        }
    }
}

/// Words a clause needs before a clause mark for the mark to end it.
const MIN_CLAUSE_WORDS: usize = 3;

/// `ضغط الدم، والقلب،` (blood pressure, and the heart,): a clause mark followed by one
/// word and the same mark again separates the items of a list, not two clauses.
fn list_goes_on(text: &str, cluster: &Cluster, gap: &Gap) -> bool {
    let Some(mark) = text[cluster.start..].chars().next() else {
        return false;
    };
    let rest = &text[gap.end..];
    let word = rest.split(char::is_whitespace).next().unwrap_or(rest);
    word.strip_suffix(mark)
        .is_some_and(|w| !w.is_empty() && !w.contains(mark))
}

/// Where the sentence ends around `cluster`, which `gap` follows.
pub(crate) fn at_terminator(
    cx: &Context<'_>,
    cluster: &Cluster,
    gap: &Gap,
    scratch: &mut String,
) -> Boundary {
    if gap.paragraph || gap.end >= cx.text.len() {
        return Boundary::After;
    }
    // Nothing precedes the cluster in this sentence ("... and so on", "¿?"): it cannot end
    // a sentence that has not begun.
    if cluster.start <= cx.sentence_start {
        return Boundary::None;
    }
    // `《摔跤吧！爸爸》`, `「すごい！と言った」`: an end mark inside a title or quotation
    // bracket that closes further on is part of the title or quotation.
    if gap.is_empty() && cluster.kind != Terminator::Dot && inside_brackets(cx, cluster) {
        return Boundary::None;
    }
    if gap.is_empty() && quoted_before_particle(cx, cluster) {
        return Boundary::None;
    }
    if cluster.kind == Terminator::Spaceless {
        return Boundary::After;
    }
    if cluster.kind == Terminator::Clause {
        // `نعم، شكرا.` (Yes, thanks.): a lead-in of a word or two is no clause of its own.
        let clause = &cx.text[cx.sentence_start..cluster.start];
        let short = clause
            .split_whitespace()
            .nth(MIN_CLAUSE_WORDS - 1)
            .is_none();
        return if gap.is_empty() || short || list_goes_on(cx.text, cluster, gap) {
            Boundary::None
        } else {
            Boundary::After
        };
    }
    // No space after the terminator: `3.5`, `example.com`, `U.S.`, `v2.0.1`, `Yahoo!Inc`;
    // but two sentences glued by a lost space (`жағдайы.XVIII ғасыр`) are two.
    if gap.is_empty() {
        return is_glued(cx, cluster, scratch).into();
    }
    if gap.breaks_line() && is_list_marker(cx.text, gap.end) {
        return Boundary::After;
    }
    if cluster.omission && !gap.breaks_line() {
        return Boundary::None;
    }
    let next = NextWord::read(cx.text, gap.end);
    // A lower-case continuation is the strongest signal there is: `"Stop!" he said`,
    // `etc. and`, `10 a.m. on Monday`, `wait... what`. Nor does a sentence start with
    // `,` `;` `/` `%` or a closing bracket. Languages whose sentences may start in lower
    // case (`lower_case_starts`) keep only the dash (`? — деді`) and ellipsis signals.
    if next.continues {
        return Boundary::None;
    }
    if next.class == Some(Class::Lower)
        && !(cx.rules.lower_case_starts && !next.dashed && cluster.kind != Terminator::Ellipsis)
    {
        return Boundary::None;
    }

    // A citation after a quotation closes the sentence before its period:
    // `… stairways [...]" (Smith 55).`
    let closed = cx.text[..cluster.end]
        .chars()
        .next_back()
        .is_some_and(|c| c != '.' && scan::is_closer(c));
    if closed && is_citation(cx.text, gap.end) {
        return Boundary::None;
    }
    let boundary = match cluster.kind {
        Terminator::Strong | Terminator::Ellipsis | Terminator::Spaceless => Boundary::After,
        Terminator::Clause => Boundary::None,
        Terminator::Dot => after_dot(cx, cluster, gap, &next, scratch),
    };
    // `„Prieskumy beriem na ľahkú váhu. V podstate ma to nezaujíma,“ reagoval Matovič`:
    // quoted speech that goes on into the sentence around it is one sentence. Asked last,
    // so only of would-be boundaries.
    if boundary == Boundary::After && quotation_continues(cx, cluster) {
        return Boundary::None;
    }
    boundary
}

/// The ambiguous case: a single period before whitespace and a word that is not lower case.
fn after_dot(
    cx: &Context<'_>,
    cluster: &Cluster,
    gap: &Gap,
    next: &NextWord<'_>,
    scratch: &mut String,
) -> Boundary {
    let Some(word) = WordBefore::read(cx.text, cluster.start) else {
        return Boundary::After;
    };
    let digit_follows = next.class == Some(Class::Digit);
    let may_end = || next.is_starter(cx.rules) || ends_hard_line(cx, cluster.end, gap);

    if let Some(item) = ListItem::parse(word.text) {
        // `1. First item`: a list number or letter at the start of a line or sentence.
        if starts_sentence_or_line(cx, word.start) {
            return Boundary::None;
        }
        // `Steps: 1. Mix … 2. Bake`, `1. The first item 2. The second item`: an inline
        // list; each item is a sentence of its own.
        let first_after_colon = item.value == 1 && follows_colon(cx.text, word.start);
        let next_in_list = ListItem::at_sentence_start(cx).is_some_and(|open| open.precedes(item));
        if first_after_colon || next_in_list {
            return Boundary::Before(item_start(cx, word.start));
        }
    }

    if let Some(kind) = lookup(cx.rules, word.text, scratch) {
        // `Oct. 6`, `No. 5`, `p. 12`, `Inc. 2019 results`: an abbreviation before a number
        // qualifies it.
        if digit_follows {
            return Boundary::None;
        }
        return match kind {
            AbbreviationKind::NeverEnd => Boundary::None,
            AbbreviationKind::MayEnd => may_end().into(),
        };
    }

    // One letter, with the vowel signs and other marks of scripts without capitals
    // (`மு.`, `डॉ.`), is an initial.
    let mut chars = word.text.chars();
    let first = chars.next();
    let single = match first.map(scan::classify) {
        Some(Class::Caseless) => chars.all(unicode_normalization::char::is_combining_mark),
        _ => chars.next().is_none(),
    };
    if single && first.is_some_and(char::is_alphabetic) {
        // An initial (`J. R. R. Tolkien`, `George W. Bush`): a sentence ends only when a
        // typical sentence start follows (`Plan B. The …`).
        if digit_follows || follows_colon(cx.text, word.start) {
            return Boundary::None;
        }
        return next.is_starter(cx.rules).into();
    }

    if is_acronym(word.text) {
        // Dotted forms not in the list (`U.S.A.`, `Ph.D.`, `a.m.`) behave like `etc.`.
        return (!digit_follows && may_end()).into();
    }

    // `XII. Pluku`: a Roman numeral with a period is an ordinal where numbers take one.
    if cx.rules.ordinal_dot
        && is_roman(word.text)
        && next.class == Some(Class::Upper)
        && !next.is_starter(cx.rules)
    {
        return Boundary::None;
    }

    let number = word.text.trim_start_matches(scan::is_dash);
    if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) {
        // A list number after a colon that is not the first (`Steps: 2. Mix`).
        if number.len() <= 3 && follows_colon(cx.text, word.start) {
            return Boundary::None;
        }
        // German `am 3. Oktober`, Turkish `3. Ordu`: the period makes an ordinal, and the
        // capitalised noun after it does not start a sentence; nor does the other end of
        // a range (`aus dem 1. -3. Jahrhundert`).
        if cx.rules.ordinal_dot
            && ((next.class == Some(Class::Upper) && !next.is_starter(cx.rules))
                || (next.dashed && next.class == Some(Class::Digit)))
        {
            return Boundary::None;
        }
    }
    Boundary::After
}

/// Quotation marks that open a quotation unambiguously, with the marks that close it.
const QUOTATIONS: [(char, &[char]); 4] = [
    ('„', &['“', '”', '"']),
    ('«', &['»']),
    ('“', &['”']),
    ('‚', &['‘', '’']),
];

/// Whether `text` holds an opening mark of [`QUOTATIONS`] or Dutch and German typewriter
/// quotes (`,,`): one vectorised search for the bytes they begin with (each opener's UTF-8
/// begins with 0xC2 or 0xE2), then a closer look at each place found.
fn may_open_quotation(text: &str) -> bool {
    memchr::memchr3_iter(b',', 0xC2, 0xE2, text.as_bytes()).any(|at| {
        let rest = &text[at..];
        rest.starts_with(",,")
            || rest
                .chars()
                .next()
                .is_some_and(|c| QUOTATIONS.iter().any(|&(opener, _)| opener == c))
    })
}

/// How far the quotation rules look back for an opening mark and ahead for its closing
/// one, in bytes: a quotation that continues its sentence is short.
const QUOTATION_WINDOW: usize = 256;

/// Whether `cluster` ends a sentence inside a quotation that opened in the current
/// sentence and, further on in the same paragraph, closes into the sentence around it:
/// before its closing mark comes a comma (`nezaujíma,“ reagoval`), or after it a
/// lower-case word (`“ reagoval`) or the punctuation of the outer sentence (`».`). Dutch and German typewriter quotes `,,` open too.
fn quotation_continues(cx: &Context<'_>, cluster: &Cluster) -> bool {
    let text = cx.text;
    // The cluster took a closing mark with it (`Lust.“ Wir`): the quotation has ended.
    if text[..cluster.end]
        .chars()
        .next_back()
        .is_some_and(|c| c != '.' && scan::is_closer(c))
    {
        return false;
    }
    let from = floor_char_boundary(text, cluster.start.saturating_sub(QUOTATION_WINDOW))
        .max(cx.sentence_start);
    let before = &text[from..cluster.start];
    // Most sentences hold no opening mark; only those that do need the walk below.
    if !may_open_quotation(before) {
        return false;
    }
    // The last opening mark before the cluster, if nothing closed it since.
    let mut open: Option<&[char]> = None;
    let mut previous = '\0';
    for c in before.chars() {
        if let Some((_, closers)) = QUOTATIONS.iter().find(|(opener, _)| *opener == c) {
            open = Some(closers);
        } else if c == ',' && previous == ',' {
            open = Some(&['\'', '“', '”', '"']);
        } else if open.is_some_and(|closers| closers.contains(&c)) {
            open = None;
        }
        previous = c;
    }
    let Some(closers) = open else {
        return false;
    };
    let to = floor_char_boundary(text, (cluster.end + QUOTATION_WINDOW).min(text.len()));
    let after = &text[cluster.end..to];
    let mut previous = ' ';
    for (i, c) in after.char_indices() {
        if c == '\n' && previous == '\n' {
            return false;
        }
        if closers.contains(&c) {
            let rest = &after[i + c.len_utf8()..];
            let next = rest.trim_start_matches([' ', '\'']);
            // `выходной».`: the sentence's own period comes after the quotation.
            return previous == ','
                || next.chars().next().is_some_and(|c| {
                    matches!(c, ',' | '.' | ';' | ':') || scan::classify(c) == Class::Lower
                });
        }
        if !c.is_whitespace() {
            previous = c;
        }
    }
    false
}

/// A closing quotation mark after the cluster, then one of the language's quote particles:
/// `「すごい！」と言った`.
fn quoted_before_particle(cx: &Context<'_>, cluster: &Cluster) -> bool {
    let text = cx.text;
    let closed = text[..cluster.end]
        .chars()
        .next_back()
        .is_some_and(|c| c != '.' && scan::is_closer(c));
    closed
        && cx
            .rules
            .quote_particles
            .iter()
            .any(|particle| text[cluster.end..].starts_with(particle.as_str()))
}

/// Brackets that enclose titles and quotations in CJK text.
const CJK_BRACKETS: [(char, char); 6] = [
    ('《', '》'),
    ('〈', '〉'),
    ('「', '」'),
    ('『', '』'),
    ('（', '）'),
    ('【', '】'),
];

/// Whether `cluster` sits inside a CJK bracket pair that opened at most 128 bytes before it
/// in the current sentence and closes at most 128 bytes after it on the same line.
fn inside_brackets(cx: &Context<'_>, cluster: &Cluster) -> bool {
    let text = cx.text;
    let from = floor_char_boundary(text, cluster.start.saturating_sub(128)).max(cx.sentence_start);
    let mut open = None;
    for c in text[from..cluster.start].chars() {
        if let Some(&(_, closer)) = CJK_BRACKETS.iter().find(|(opener, _)| *opener == c) {
            open = Some(closer);
        } else if Some(c) == open {
            open = None;
        }
    }
    let Some(closer) = open else {
        return false;
    };
    let to = floor_char_boundary(text, (cluster.end + 128).min(text.len()));
    text[cluster.end..to]
        .chars()
        .take_while(|&c| c != '\n')
        .any(|c| c == closer)
}

/// Two sentences glued by a lost space: a period between a word of at least two letters
/// ending in lower case (not an abbreviation) and a capitalised word of at least two
/// letters followed by white space: `жағдайы.XVIII ғасыр`, `the end.The next`. Domains,
/// file names and code (`example.com`, `os.Path`) have a dot, slash or digit around them
/// or no white space after them.
fn is_glued(cx: &Context<'_>, cluster: &Cluster, scratch: &mut String) -> bool {
    let text = cx.text;
    let capital_follows = text[cluster.end..]
        .chars()
        .next()
        .is_some_and(char::is_uppercase);
    if cluster.kind != Terminator::Dot || cluster.end != cluster.start + 1 || !capital_follows {
        return false;
    }
    let before = &text[..cluster.start];
    let mut word_start = cluster.start;
    for (i, c) in before.char_indices().rev().take(MAX_ABBREVIATION_BYTES + 1) {
        if !c.is_alphabetic() {
            break;
        }
        word_start = i;
    }
    let word = &before[word_start..];
    if word.chars().count() < 2
        || word.len() > MAX_ABBREVIATION_BYTES
        || !word.chars().next_back().is_some_and(char::is_lowercase)
        || before[..word_start]
            .chars()
            .next_back()
            .is_some_and(|c| !c.is_whitespace() && !scan::is_opener(c))
        || lookup(cx.rules, word, scratch).is_some()
    {
        return false;
    }
    let after = &text[cluster.end..];
    let mut letters = after.char_indices().take_while(|&(_, c)| c.is_alphabetic());
    let Some((_, first)) = letters.next() else {
        return false;
    };
    let Some(end) = letters.last().map(|(i, c)| i + c.len_utf8()) else {
        return false;
    };
    first.is_uppercase()
        && after[end..]
            .chars()
            .next()
            .is_none_or(|c| c.is_whitespace() || matches!(c, ',' | ';' | ':'))
}

/// A Roman numeral of two or more letters: `XII`, `IV`.
fn is_roman(word: &str) -> bool {
    word.len() >= 2
        && word
            .bytes()
            .all(|b| matches!(b, b'I' | b'V' | b'X' | b'L' | b'C' | b'D' | b'M'))
}

/// The largest char boundary at or before `at`.
fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// A list item label: `3` in `3.` or `3.)`, `c` in `c.`; a bullet may precede it (`• 9.`,
/// `⁃9.`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ListItem {
    letter: bool,
    value: u32,
}

impl ListItem {
    /// Parses the word before a period: one to three digits or one lower-case letter.
    fn parse(word: &str) -> Option<ListItem> {
        let label = word.trim_start_matches(scan::is_bullet);
        match label.as_bytes() {
            [letter @ b'a'..=b'z'] => Some(ListItem {
                letter: true,
                value: u32::from(letter - b'a') + 1,
            }),
            digits if (1..=3).contains(&digits.len()) && digits.iter().all(u8::is_ascii_digit) => {
                Some(ListItem {
                    letter: false,
                    value: label.parse().ok()?,
                })
            }
            _ => None,
        }
    }

    /// The item label that opens the current sentence, if it opens with one. Reads at
    /// most a few characters, however long the sentence.
    fn at_sentence_start(cx: &Context<'_>) -> Option<ListItem> {
        let start = cx.text.get(cx.sentence_start..)?;
        let mut chars = start.char_indices();
        let (label_start, _) = chars
            .by_ref()
            .take(4)
            .find(|&(_, c)| !scan::is_bullet(c) && c != ' ' && c != '(')?;
        let label = &start[label_start..];
        let label_len = label.bytes().take(4).position(|b| b == b'.' || b == b')')?;
        ListItem::parse(&label[..label_len])
    }

    fn precedes(self, next: ListItem) -> bool {
        self.letter == next.letter && self.value + 1 == next.value
    }
}

/// Whether `label` (`2` of `2)`, `b` of `(b)`) is the label after the one that opened the
/// current sentence, so that the sentence, an inline list item, ends before it.
pub(crate) fn ends_list_item(cx: &Context<'_>, label: &str) -> bool {
    ListItem::parse(label)
        .is_some_and(|item| ListItem::at_sentence_start(cx).is_some_and(|open| open.precedes(item)))
}

/// Where an inline list item starts: its label, or a bullet standing before it (`• 10.`).
fn item_start(cx: &Context<'_>, word_start: usize) -> usize {
    let text = cx.text;
    let mut start = word_start;
    // Back over a bullet glued to the label (`⁃10.`).
    while let Some(c) = text[..start]
        .chars()
        .next_back()
        .filter(|&c| scan::is_bullet(c))
    {
        start -= c.len_utf8();
    }
    // Back over a bullet standing alone before it (`• 10.`).
    let before = scan::trim_end(text, start);
    if before < start {
        if let Some(bullet) = text[..before]
            .chars()
            .next_back()
            .filter(|&c| scan::is_bullet(c))
        {
            let bullet_start = before - bullet.len_utf8();
            let alone = text[..bullet_start]
                .chars()
                .next_back()
                .is_none_or(char::is_whitespace);
            if alone {
                start = bullet_start;
            }
        }
    }
    start.max(cx.sentence_start)
}

/// A parenthesised reference with a number, closed by punctuation: `(Smith 55).`,
/// `(Jones, 2019);`. Looks at most 64 bytes ahead.
fn is_citation(text: &str, at: usize) -> bool {
    let Some(inner) = text.get(at..).and_then(|rest| rest.strip_prefix('(')) else {
        return false;
    };
    let window = &inner.as_bytes()[..inner.len().min(64)];
    let Some(close) = window.iter().position(|&b| b == b')') else {
        return false;
    };
    let content = &window[..close];
    content.iter().any(u8::is_ascii_digit)
        && !content
            .iter()
            .any(|&b| matches!(b, b'?' | b'!' | b'\n' | b'('))
        && matches!(inner.as_bytes().get(close + 1), Some(b'.' | b';' | b','))
}

/// Whether the sentence ends at a line break after a line without a terminator: a heading,
/// a list item or a line of a line-per-paragraph text ends its sentence; a hard-wrapped
/// line does not.
pub(crate) fn ends_at_line_break(cx: &Context<'_>, gap: &Gap) -> bool {
    if gap.paragraph || gap.end >= cx.text.len() {
        return true;
    }
    if is_list_marker(cx.text, gap.end) {
        return true;
    }
    let next = NextWord::read(cx.text, gap.end);
    if matches!(next.class, Some(Class::Lower) | None) {
        return false;
    }
    let line = cx.text.get(cx.line_start..gap.start).unwrap_or_default();
    // Chinese and Japanese wrap lines anywhere, even inside a word: `これは父の⏎家です。`.
    let next_char = cx.text[gap.end..].chars().next();
    if line.chars().next_back().is_some_and(is_cjk) && next_char.is_some_and(is_cjk) {
        return false;
    }
    // A dateline (`BISHKEK, Kyrgyzstan (AP) —`), a comma or an open bracket at the end of a
    // line says the sentence goes on.
    if line.chars().next_back().is_some_and(continues_line) {
        return false;
    }
    // `POLICE INTERVENED`: a shouted line is a heading whatever its length.
    if is_shouted(line) {
        return true;
    }
    !is_wrapped(cx, gap.start, gap)
}

/// A may-end abbreviation at the end of a line that is not hard-wrapped ends its sentence:
/// in a line-per-paragraph text (`… tools, etc.⏎Protesters …`) the line break is the
/// author's.
fn ends_hard_line(cx: &Context<'_>, line_end: usize, gap: &Gap) -> bool {
    gap.line_breaks == 1 && !is_wrapped(cx, line_end, gap)
}

/// Whether the line ending at `line_end` was broken by hard wrapping: its next word would
/// not have fitted on it at the width of the neighbouring lines. Greedy wrapping (what
/// editors and `fmt` do) breaks a line only when the next word does not fit, so a line that
/// had room for it was ended by its author. The tolerance absorbs hand-wrapped text.
fn is_wrapped(cx: &Context<'_>, line_end: usize, gap: &Gap) -> bool {
    let bytes = cx.text.as_bytes();
    let next_line_start = gap.last_line_start.unwrap_or(gap.end);
    let next_content = gap.end;
    let next_end = memchr::memchr(b'\n', bytes.get(next_content..).unwrap_or_default())
        .map_or(bytes.len(), |i| next_content + i);
    let next_end = scan::trim_end(cx.text, next_end).max(next_content);
    let next_line = cx.text.get(next_content..next_end).unwrap_or_default();
    let token_end = next_line
        .find(char::is_whitespace)
        .map_or(next_end, |i| next_content + i);

    let measure = |range: Range<usize>| bytes.get(range).map_or(0, scan::char_count);
    let line = measure(cx.line_start..line_end);
    let previous = cx.previous_line.clone().map_or(0, measure);
    let following = measure(next_line_start..next_end);
    let token = measure(next_content..token_end);
    // Nobody hard-wraps text narrower than this; short lines under it (`Name: John`,
    // `Age: 42`) were ended by their author.
    const NARROWEST_WRAP: usize = 40;
    let width = line.max(previous).max(following).max(NARROWEST_WRAP);
    let tolerance = width / 8 + 1;
    line + 1 + token + tolerance > width
}

/// Han ideographs, kana and CJK punctuation: scripts written without spaces.
fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}')
}

/// Characters that, at the end of a line, say the sentence continues on the next one.
fn continues_line(c: char) -> bool {
    matches!(
        c,
        ',' | ';' | ':' | '&' | '/' | '(' | '[' | '{' | '+' | '=' | '\\'
    ) || scan::is_dash(c)
}

/// At least two capital letters and no lower-case ones.
fn is_shouted(line: &str) -> bool {
    let mut upper = 0;
    for c in line.chars() {
        match scan::classify(c) {
            Class::Lower => return false,
            Class::Upper => upper += 1,
            _ => {}
        }
    }
    upper >= 2
}

/// A list marker at `at`: `- `, `* `, `• `, `1. `, `12) `, `a) `, `(iv) `.
pub(crate) fn is_list_marker(text: &str, at: usize) -> bool {
    let Some(rest) = text.get(at..) else {
        return false;
    };
    let mut chars = rest.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let followed_by_blank = |s: &str| s.starts_with([' ', '\t', '\u{a0}']);
    match first {
        '+' => followed_by_blank(chars.as_str()),
        _ if scan::is_bullet(first) => followed_by_blank(chars.as_str()),
        '0'..='9' => {
            let digits = rest.bytes().take(4).take_while(u8::is_ascii_digit).count();
            let after = &rest[digits..];
            digits <= 3 && after.starts_with(['.', ')']) && followed_by_blank(&after[1..])
        }
        '(' => {
            let inner = chars.as_str();
            let len = inner
                .bytes()
                .take(4)
                .take_while(u8::is_ascii_alphanumeric)
                .count();
            (1..=3).contains(&len)
                && inner[len..].starts_with(')')
                && followed_by_blank(&inner[len + 1..])
        }
        'a'..='z' | 'A'..='Z' => {
            let after = chars.as_str();
            after.starts_with(')') && followed_by_blank(&after[1..])
        }
        _ => false,
    }
}

/// Whether a word at `word_start` begins its sentence or its line (after opening
/// punctuation, bullets and indentation, at most 64 bytes of it so that the check stays O(1)).
fn starts_sentence_or_line(cx: &Context<'_>, word_start: usize) -> bool {
    let only_openers = |range: Range<usize>| {
        range.len() <= 64
            && cx.text.get(range).is_some_and(|s| {
                s.chars()
                    .all(|c| c.is_whitespace() || scan::is_opener(c) || scan::is_bullet(c))
            })
    };
    word_start <= cx.sentence_start
        || only_openers(cx.sentence_start..word_start)
        || (cx.line_start <= word_start && only_openers(cx.line_start..word_start))
}

/// Whether a colon and at most a few spaces come right before `word_start`.
fn follows_colon(text: &str, word_start: usize) -> bool {
    let before = scan::trim_end(text, word_start);
    word_start - before <= 4 && text.get(..before).is_some_and(|s| s.ends_with(':'))
}

/// Dotted letters in short groups: `U.S.A`, `Ph.D`, `e.g`, `z.B`, `т.е`.
fn is_acronym(word: &str) -> bool {
    word.contains('.')
        && word.split('.').all(|part| {
            let letters = part.chars().count();
            (1..=3).contains(&letters) && part.chars().all(char::is_alphabetic)
        })
}

/// Looks the word up as written, then its last part after a hyphen, slash or apostrophe
/// (`non-U.S.`, `and/or etc.`, Italian `l'Avv.`).
fn lookup(rules: &Rules, word: &str, scratch: &mut String) -> Option<AbbreviationKind> {
    rules.abbreviation(word, scratch).or_else(|| {
        let (at, mark) = word
            .char_indices()
            .rev()
            .find(|&(_, c)| matches!(c, '-' | '/' | '\'' | '’'))?;
        let tail = &word[at + mark.len_utf8()..];
        if tail.is_empty() {
            None
        } else {
            rules.abbreviation(tail, scratch)
        }
    })
}

/// The word before a period: back to the previous whitespace, without opening punctuation.
struct WordBefore<'t> {
    text: &'t str,
    start: usize,
}

impl<'t> WordBefore<'t> {
    /// `None` when there is no word, when it ends in closing punctuation (`(see below).`)
    /// or when it is too long to be an abbreviation: all of these are ordinary sentence
    /// ends.
    fn read(text: &'t str, end: usize) -> Option<WordBefore<'t>> {
        let before = text.get(..end)?;
        let mut start = end;
        for (i, c) in before.char_indices().rev() {
            if c.is_whitespace() {
                break;
            }
            if end - i > MAX_ABBREVIATION_BYTES + 8 {
                return None;
            }
            start = i;
        }
        let mut word = &text[start..end];
        let trimmed = word.trim_start_matches(scan::is_opener);
        start += word.len() - trimmed.len();
        word = trimmed;
        if word.is_empty() || word.ends_with(scan::is_closer) {
            return None;
        }
        Some(WordBefore { text: word, start })
    }
}

/// The first word after a gap, past opening quotes, brackets and speech dashes.
struct NextWord<'t> {
    /// The class of the first significant character; `None` at the end of the text.
    class: Option<Class>,
    /// The letters of the word (empty when it does not start with a letter or is long).
    letters: &'t str,
    /// A single letter followed by a period: an initial, never a sentence starter.
    initial: bool,
    /// A dash came first (`N.Y. -- The mayor`, `— сказал он`): after an abbreviation
    /// or initial the dash links a dateline to its story, so no starter follows.
    dashed: bool,
    /// The first character cannot start a sentence: `,` `;` `:` `/` `%` `)` `]` `}`.
    continues: bool,
}

impl<'t> NextWord<'t> {
    fn read(text: &'t str, at: usize) -> NextWord<'t> {
        let mut next = NextWord {
            class: None,
            letters: "",
            initial: false,
            dashed: false,
            continues: false,
        };
        let Some(rest) = text.get(at..) else {
            return next;
        };
        let mut after_dash = false;
        let mut after_quote = false;
        let mut start = None;
        for (skipped, (i, c)) in rest.char_indices().enumerate() {
            if skipped > 16 {
                return next;
            }
            if scan::is_opener(c) {
                after_quote |= scan::is_closer(c);
                continue;
            }
            if scan::is_dash(c) {
                after_dash = true;
                continue;
            }
            if after_dash && (c == ' ' || c == '\u{a0}') {
                continue;
            }
            start = Some((i, c));
            break;
        }
        let Some((start, first)) = start else {
            return next;
        };
        next.class = Some(scan::classify(first));
        next.dashed = after_dash;
        // `[...] ".`: a quotation mark and the sentence's period after a space end this
        // sentence rather than start one.
        next.continues = matches!(first, ',' | ';' | ':' | '/' | '%' | ')' | ']' | '}')
            || (after_quote && matches!(first, '.' | '!' | '?'));
        if first.is_alphabetic() {
            let word = &rest[start..];
            let len = word
                .char_indices()
                .take(MAX_ABBREVIATION_BYTES + 1)
                .find(|&(_, c)| !c.is_alphabetic())
                .map_or(word.len(), |(i, _)| i);
            if len <= MAX_ABBREVIATION_BYTES {
                next.letters = &word[..len];
                next.initial = len == first.len_utf8() && word[len..].starts_with('.');
            }
        }
        next
    }

    fn is_starter(&self, rules: &Rules) -> bool {
        !self.initial && !self.dashed && !self.letters.is_empty() && rules.is_starter(self.letters)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_quotation_opener_is_looked_for() {
        let openers = QUOTATIONS.iter().map(|(opener, _)| opener.to_string());
        for opener in openers.chain([",,".to_string()]) {
            assert!(
                matches!(opener.as_bytes()[0], b',' | 0xC2 | 0xE2),
                "{opener}"
            );
            for text in [
                opener.clone(),
                format!("Er sagte, a{opener}b, ’x’ — »"),
                format!("{opener}{opener}"),
            ] {
                assert!(may_open_quotation(&text), "{text}");
            }
        }
        for text in ["", "a, b, c", "’Tis — so ’", ",", "x,", "\u{201d}", "é ü"] {
            assert!(!may_open_quotation(text), "{text}");
        }
    }

    #[test]
    fn list_markers() {
        for marker in [
            "- a",
            "* a",
            "• a",
            "1. a",
            "12) a",
            "a) b",
            "(iv) x",
            "— Стоп",
        ] {
            assert!(is_list_marker(marker, 0), "{marker:?}");
        }
        for text in ["-a", "1.5", "1990. a", "Mr. X", "a. b", "", "*emphasis*"] {
            assert!(!is_list_marker(text, 0), "{text:?}");
        }
    }

    #[test]
    fn acronyms() {
        for word in ["U.S.A", "Ph.D", "e.g", "z.B", "т.е"] {
            assert!(is_acronym(word), "{word}");
        }
        for word in ["example.com", "v2.0", "U.S.", "Mr", "www.example"] {
            assert!(!is_acronym(word), "{word}");
        }
    }

    #[test]
    fn next_word_skips_quotes_brackets_and_speech_dashes() {
        let next = NextWord::read("(\"The end", 0);
        assert_eq!((next.class, next.letters), (Some(Class::Upper), "The"));
        let next = NextWord::read("— сказал он", 0);
        assert_eq!(next.class, Some(Class::Lower));
        let next = NextWord::read("R. R. Tolkien", 0);
        assert!(next.initial);
        assert_eq!(NextWord::read("", 0).class, None);
    }

    #[test]
    fn word_before_strips_openers_and_rejects_closed_words() {
        let text = "see (e.g. this) and (below). x";
        let at = text.find(". this").unwrap_or_default();
        let word = WordBefore::read(text, at).map(|w| w.text);
        assert_eq!(word, Some("e.g"));
        let at = text.find("). x").unwrap_or_default() + 1;
        assert!(WordBefore::read(text, at).is_none());
    }
}
