//! Punctuation style: quotes, dashes and ellipses written one way throughout.
//!
//! Not a glitch fix: both styles are correct text, so no default rule runs this step (an
//! example rule is in `rules/optional/punctuation.toml`). `ascii` is what many NLP
//! pipelines expect; `typographic` undoes the straightening some scrapers do. Turning
//! straight quotes into curly ones is a guess from context (a quote after a space or an
//! opening bracket opens, any other closes; an apostrophe between letters is `’`), right
//! for prose and wrong for code, feet and inches (`5'10"`).

use crate::edit::Edit;

/// The punctuation style to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// `"` `'` `-` `--` `...`
    Ascii,
    /// `“ ”` `‘ ’` `–` `—` `…`
    Typographic,
}

/// Edits writing `text`'s quotes, dashes and ellipses in `style`.
pub(super) fn edits(text: &str, style: Style) -> Vec<Edit> {
    match style {
        Style::Ascii => ascii(text),
        Style::Typographic => typographic(text),
    }
}

fn ascii(text: &str) -> Vec<Edit> {
    if text.is_ascii() {
        return Vec::new();
    }
    let mut edits = Vec::new();
    for (at, c) in text.char_indices() {
        let replacement = match c {
            '‘' | '’' | '‚' | '‛' | '′' => "'",
            '“' | '”' | '„' | '‟' | '″' => "\"",
            '‐' | '‑' | '‒' | '–' | '−' => "-",
            '—' | '―' => "--",
            '…' => "...",
            _ => continue,
        };
        edits.push(Edit::replace(at..at + c.len_utf8(), replacement));
    }
    edits
}

fn typographic(text: &str) -> Vec<Edit> {
    let bytes = text.as_bytes();
    let mut edits = Vec::new();
    let mut at = 0;
    while let Some(offset) = memchr::memchr3(b'"', b'\'', b'.', &bytes[at..])
        .into_iter()
        .chain(memchr::memchr(b'-', &bytes[at..]))
        .min()
    {
        let i = at + offset;
        at = i + 1;
        let before = text[..i].chars().next_back();
        let after = text[i + 1..].chars().next();
        let opens = before.is_none_or(|c| c.is_whitespace() || "([{<—–-".contains(c));
        let replacement = match bytes[i] {
            b'"' if opens => "“",
            b'"' => "”",
            b'\''
                if before.is_some_and(char::is_alphanumeric)
                    && after.is_some_and(char::is_alphanumeric) =>
            {
                "’"
            }
            b'\'' if opens => "‘",
            b'\'' => "’",
            byte @ (b'.' | b'-') => {
                // Exactly `...` or `--`; longer runs are rules or leaders, left alone.
                let run = bytes[i..].iter().take_while(|&&b| b == byte).count();
                at = i + run;
                match (byte, run) {
                    (b'.', 3) => edits.push(Edit::replace(i..i + 3, "…")),
                    (b'-', 2) => edits.push(Edit::replace(i..i + 2, "—")),
                    _ => {}
                }
                continue;
            }
            _ => continue,
        };
        edits.push(Edit::replace(i..i + 1, replacement));
    }
    edits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply;

    #[test]
    fn both_styles() {
        let curly = "“Don’t,” she said — twice…";
        let straight = "\"Don't,\" she said -- twice...";
        assert_eq!(apply(curly, &edits(curly, Style::Ascii)), straight);
        assert_eq!(apply(straight, &edits(straight, Style::Typographic)), curly);
        assert_eq!(apply(straight, &edits(straight, Style::Ascii)), straight);
        let rules = "---- and ....";
        assert_eq!(apply(rules, &edits(rules, Style::Typographic)), rules);
    }
}
