//! What the line model sees of a line: a fixed list of cheap, text-only features, and the
//! means of those features over windows of neighbouring lines.
//!
//! Only non-blank lines are scored and counted in windows and positions. Words of scripts
//! written without spaces (CJK, Thai, Lao, Burmese, Khmer) count by characters.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

/// Names of the per-line features, in the order of a feature row. A rule file names them
/// in `[rule.weights]`; `w4.chars` is the mean of `chars` over the line and the four
/// non-blank lines on each side.
pub(crate) const BASE: &[&str] = &[
    "chars",
    "words",
    "short",
    "bullet",
    "block-bullets",
    "block-lines",
    "caps",
    "keyword",
    "end-punct",
    "sentences",
    "end-colon",
    "end-ellipsis",
    "position",
    "position-squared",
    "digits",
    "letters",
    "link",
    "separator",
    "chars-under-30",
    "chars-under-60",
    "chars-under-120",
    "chars-over-250",
    "words-under-8",
];

/// Phrases that mark page furniture: share bars, account widgets, footers, teasers.
/// Matched case-insensitively anywhere in the line.
const KEYWORDS: &[&str] = &[
    "©",
    "copyright",
    "all rights reserved",
    "cookie",
    "privacy",
    "terms of",
    "subscribe",
    "newsletter",
    "sign in",
    "sign up",
    "log in",
    "login",
    "register",
    "related",
    "read more",
    "more from",
    "recommended",
    "most popular",
    "trending",
    "you may also",
    "advertis",
    "sponsored",
    "share",
    "follow us",
    "facebook",
    "twitter",
    "instagram",
    "linkedin",
    "whatsapp",
    "pinterest",
    "youtube",
    "e-mail",
    "email",
    "comments",
    "click",
    "skip to",
    "menu",
    "home",
    "contact",
    "about us",
    "download",
    "app store",
    "google play",
];

fn keywords() -> &'static AhoCorasick {
    static AUTOMATON: OnceLock<AhoCorasick> = OnceLock::new();
    AUTOMATON.get_or_init(|| {
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostFirst)
            .build(KEYWORDS)
            .expect("literal keywords always compile")
    })
}

/// A non-blank line: its byte range (content, without the line break) in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// Feature rows of a document's non-blank lines: `rows[i * width ..][..width]`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rows {
    pub(crate) lines: Vec<Span>,
    pub(crate) width: usize,
    pub(crate) values: Vec<f64>,
}

impl Rows {
    pub(crate) fn row(&self, i: usize) -> &[f64] {
        &self.values[i * self.width..(i + 1) * self.width]
    }
}

/// The full feature names for `windows`: the base names, then each window's means.
pub(crate) fn names(windows: &[usize]) -> Vec<String> {
    let mut names: Vec<String> = BASE.iter().map(|s| (*s).to_string()).collect();
    for w in windows {
        names.extend(BASE.iter().map(|s| format!("w{w}.{s}")));
    }
    names
}

/// Feature rows of every non-blank line of `text`, base features then window means.
pub(crate) fn rows(text: &str, windows: &[usize]) -> Rows {
    let mut lines = Vec::new();
    let mut blank_before = Vec::new(); // a blank line (or the start) precedes line i
    let mut at = 0;
    let mut previous_blank = true;
    for piece in text.split('\n') {
        let start = at;
        at += piece.len() + 1;
        let trimmed = piece.trim();
        if trimmed.is_empty() {
            previous_blank = true;
            continue;
        }
        let lead = piece.len() - piece.trim_start().len();
        lines.push(Span {
            start: start + lead,
            end: start + lead + trimmed.len(),
        });
        blank_before.push(previous_blank);
        previous_blank = false;
    }
    let n = lines.len();
    let b = BASE.len();
    let width = b * (1 + windows.len());
    let mut base = vec![0.0; n * b];
    for (i, span) in lines.iter().enumerate() {
        line_features(&text[span.start..span.end], &mut base[i * b..(i + 1) * b]);
        let position = if n > 1 {
            i as f64 / (n - 1) as f64
        } else {
            0.0
        };
        base[i * b + 12] = position;
        base[i * b + 13] = position * position;
    }
    // Blocks: runs of non-blank lines with no blank line between them.
    let mut i = 0;
    while i < n {
        let mut j = i + 1;
        while j < n && !blank_before[j] {
            j += 1;
        }
        let bullets: f64 = (i..j).map(|k| base[k * b + 3]).sum();
        let len = (j - i) as f64;
        for k in i..j {
            base[k * b + 4] = bullets / len;
            base[k * b + 5] = (1.0 + len).ln();
        }
        i = j;
    }
    let mut values = vec![0.0; n * width];
    for i in 0..n {
        values[i * width..i * width + b].copy_from_slice(&base[i * b..(i + 1) * b]);
    }
    // Window means by prefix sums: linear in the document whatever the window.
    let mut prefix = vec![0.0; (n + 1) * b];
    for i in 0..n {
        for f in 0..b {
            prefix[(i + 1) * b + f] = prefix[i * b + f] + base[i * b + f];
        }
    }
    for (k, &w) in windows.iter().enumerate() {
        for i in 0..n {
            let lo = i.saturating_sub(w);
            let hi = (i + w + 1).min(n);
            let count = (hi - lo) as f64;
            let out = i * width + b * (k + 1);
            for f in 0..b {
                values[out + f] = (prefix[hi * b + f] - prefix[lo * b + f]) / count;
            }
        }
    }
    Rows {
        lines,
        width,
        values,
    }
}

/// True for letters of scripts written without spaces between words.
fn spaceless(c: char) -> bool {
    matches!(c,
        '\u{0E00}'..='\u{0EFF}'       // Thai, Lao
        | '\u{1000}'..='\u{109F}'     // Burmese
        | '\u{1780}'..='\u{17FF}'     // Khmer
        | '\u{3040}'..='\u{30FF}'     // kana
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}')
}

fn is_bullet(line: &str) -> bool {
    let mut chars = line.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if "•·*-–—▪►▸»|>◦●■□◆→+".contains(first) {
        return line.chars().count() > 1;
    }
    // `1.` or `2)` list numbers.
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0
        && digits <= 3
        && matches!(line.as_bytes().get(digits), Some(b'.' | b')'))
        && matches!(line.as_bytes().get(digits + 1), Some(b' '))
}

/// Base features of one trimmed, non-blank line, without the position and block ones.
fn line_features(line: &str, out: &mut [f64]) {
    let mut chars = 0usize;
    let mut non_space = 0usize;
    let mut digits = 0usize;
    let mut letters = 0usize;
    let mut words = 0usize;
    let mut cased = 0usize;
    let mut capitalised = 0usize;
    let mut sentences = 0usize;
    let mut separators = 0usize;
    let mut previous: Option<char> = None;
    let mut word_start = true;
    for c in line.chars() {
        chars += 1;
        if c.is_whitespace() {
            // A stop followed by more text ends a sentence inside the line; the last one
            // is `end-punct`.
            if matches!(previous, Some('.' | '!' | '?')) {
                sentences += 1;
            }
            if previous == Some('|') {
                separators += 1;
            }
            word_start = true;
            previous = Some(c);
            continue;
        }
        non_space += 1;
        if c.is_numeric() {
            digits += 1;
        }
        if c.is_alphabetic() {
            letters += 1;
        }
        if matches!(c, '。' | '！' | '？') {
            sentences += 1;
        }
        if spaceless(c) {
            words += 1;
            word_start = false;
        } else if word_start {
            words += 1;
            if c.is_uppercase() {
                cased += 1;
                capitalised += 1;
            } else if c.is_lowercase() {
                cased += 1;
            }
            word_start = false;
        }
        previous = Some(c);
    }
    let last = line
        .trim_end_matches(['"', '\'', '”', '’', '»', ')', ']', '*'])
        .chars()
        .next_back();
    let end_punct = matches!(last, Some('.' | '!' | '?' | '。' | '！' | '？' | '؟' | '।'))
        && !line.ends_with("...");
    let lower_has = |needle: &str| line.contains(needle);
    let link = lower_has("http") || lower_has("www.") || lower_has(".com") || lower_has("@");
    let keyword_hits = keywords().find_iter(line).take(3).count();
    out[0] = (1.0 + chars as f64).ln();
    out[1] = (1.0 + words as f64).ln();
    out[2] = f64::from(u8::from(words <= 3));
    out[3] = f64::from(u8::from(is_bullet(line)));
    out[6] = if cased > 0 {
        capitalised as f64 / cased as f64
    } else {
        0.0
    };
    out[7] = keyword_hits as f64;
    out[8] = f64::from(u8::from(end_punct));
    out[9] = (1.0 + sentences as f64).ln();
    out[10] = f64::from(u8::from(line.ends_with(':')));
    out[11] = f64::from(u8::from(line.ends_with('…') || line.ends_with("...")));
    out[14] = digits as f64 / non_space.max(1) as f64;
    out[15] = letters as f64 / non_space.max(1) as f64;
    out[16] = f64::from(u8::from(link));
    out[17] = f64::from(u8::from(separators > 0 || line.contains(" / ")));
    // Length bins let a linear score treat short, middling and long lines differently;
    // their window means are the share of short lines around.
    out[18] = f64::from(u8::from(chars < 30));
    out[19] = f64::from(u8::from(chars < 60));
    out[20] = f64::from(u8::from(chars < 120));
    out[21] = f64::from(u8::from(chars > 250));
    out[22] = f64::from(u8::from(words < 8));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(line: &str) -> Vec<f64> {
        let rows = rows(line, &[]);
        rows.row(0).to_vec()
    }

    #[test]
    fn scripts_without_spaces_count_words_by_characters() {
        let cjk = base("民主党此前计划");
        let latin = base("one two three four five six seven");
        assert_eq!(cjk[1], latin[1]);
    }

    #[test]
    fn bullets_keywords_and_endings() {
        let menu = base("• Subscribe to our newsletter");
        assert_eq!(menu[3], 1.0);
        assert!(menu[7] >= 2.0);
        assert_eq!(menu[8], 0.0);
        let prose = base("The court ruled on Tuesday. It was final.");
        assert_eq!(prose[3], 0.0);
        assert_eq!(prose[8], 1.0);
        assert_eq!(prose[9], (2.0f64).ln());
        assert_eq!(base("Read more…")[11], 1.0);
        assert_eq!(base("Topics:")[10], 1.0);
    }

    #[test]
    fn windows_average_neighbours() {
        let text = "a\n\nb\nc\n\nd\n";
        let rows = rows(text, &[1]);
        assert_eq!(rows.lines.len(), 4);
        let b = BASE.len();
        // Line `b` (index 1): the window holds a, b, c; positions 0, 1/3, 2/3.
        assert!((rows.row(1)[b + 12] - 1.0 / 3.0).abs() < 1e-12);
        // b and c form one block of two lines.
        assert_eq!(rows.row(1)[5], 3.0f64.ln());
        assert_eq!(rows.row(0)[5], 2.0f64.ln());
    }
}
