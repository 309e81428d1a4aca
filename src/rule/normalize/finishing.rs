//! FineWeb-2's finishing touches, as datatrove 0.10.1's formatters make them
//! (`datatrove/pipeline/formatters/pii.py` and `symbol_lines_remover.py`):
//!
//! - `pii-emails` and `pii-ips`: `PIIFormatter()`. Each e-mail address, and each IPv4
//!   address that Python's `ipaddress` calls global, is replaced by the next of a fixed list
//!   of placeholders, in rotation. datatrove's rotation goes on from one document to the
//!   next within a task (so it depends on how the corpus was sharded); here it starts
//!   afresh in each document, which is datatrove's output for a formatter given one
//!   document.
//! - `symbol-lines`: `SymbolLinesFormatter(symbols_to_remove=["|"], replace_char="\n")`:
//!   the text's lines (Python's `str.splitlines()`) joined with `\n`, each run of lines made
//!   only of `|` and spaces replaced by one empty line (tables left by the HTML extractor).

use std::sync::OnceLock;

use regex::Regex;

use crate::edit::Edit;

/// `PIIFormatter`'s e-mail placeholders.
const EMAIL_PLACEHOLDERS: [&str; 2] = ["email@example.com", "firstname.lastname@example.org"];

/// `PIIFormatter`'s IP placeholders.
const IP_PLACEHOLDERS: [&str; 6] = [
    "22.214.171.124",
    "126.96.36.199",
    "188.8.131.52",
    "184.108.40.206",
    "220.127.116.11",
    "18.104.22.168",
];

fn email_pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        Regex::new(concat!(
            r"\b[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@",
            r"(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?",
            r"|\[(?:(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\.){3}",
            r"(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?|[A-Za-z0-9-]*[A-Za-z0-9]:)\])",
        ))
        .expect("the e-mail pattern compiles")
    })
}

fn ip_pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        Regex::new(
            r"(?:(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\.){3}(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)",
        )
        .expect("the IP pattern compiles")
    })
}

/// Each match of `pattern` that `valid` accepts, replaced by the next placeholder.
fn rotate(
    text: &str,
    pattern: &Regex,
    placeholders: &[&str],
    valid: fn(&str) -> bool,
) -> Vec<Edit> {
    rotate_from(text, pattern, placeholders, valid, &mut 0)
}

/// [`rotate`] from placeholder `next` on, leaving `next` where the rotation stopped (as
/// datatrove's replacers keep it from one document to the next).
fn rotate_from(
    text: &str,
    pattern: &Regex,
    placeholders: &[&str],
    valid: fn(&str) -> bool,
    next: &mut usize,
) -> Vec<Edit> {
    let mut edits = Vec::new();
    for found in pattern.find_iter(text) {
        if !valid(found.as_str()) {
            continue;
        }
        let placeholder = placeholders[*next];
        *next = (*next + 1) % placeholders.len();
        if found.as_str() != placeholder {
            edits.push(Edit {
                range: found.range(),
                replacement: placeholder.to_string(),
            });
        }
    }
    edits
}

/// E-mail addresses replaced by placeholders in rotation.
pub(super) fn email_edits(text: &str) -> Vec<Edit> {
    if !text.contains('@') {
        return Vec::new();
    }
    rotate(text, email_pattern(), &EMAIL_PLACEHOLDERS, |_| true)
}

/// Global IPv4 addresses replaced by placeholders in rotation.
pub(super) fn ip_edits(text: &str) -> Vec<Edit> {
    if !text.contains('.') {
        return Vec::new();
    }
    rotate(text, ip_pattern(), &IP_PLACEHOLDERS, is_global_ipv4)
}

/// `PIIFormatter()` over a stream of documents: its two replacers' rotations go on from
/// one document to the next, as one datatrove formatter's do within a task.
#[derive(Debug, Default, Clone)]
pub struct PiiRotation {
    email: usize,
    ip: usize,
}

impl PiiRotation {
    /// The text as datatrove's `PIIFormatter().format` (e-mails, then IPs) makes it.
    pub fn format(&mut self, text: &str) -> String {
        let mut text = text.to_string();
        if text.contains('@') {
            let edits = rotate_from(
                &text,
                email_pattern(),
                &EMAIL_PLACEHOLDERS,
                |_| true,
                &mut self.email,
            );
            text = crate::edit::apply(&text, &edits);
        }
        if text.contains('.') {
            let edits = rotate_from(
                &text,
                ip_pattern(),
                &IP_PLACEHOLDERS,
                is_global_ipv4,
                &mut self.ip,
            );
            text = crate::edit::apply(&text, &edits);
        }
        text
    }
}

/// `SymbolLinesFormatter(symbols_to_remove=["|"], replace_char="\n").format(text)`.
pub fn symbol_lines(text: &str) -> String {
    crate::edit::apply(text, &symbol_line_edits(text))
}

/// Python 3.11's `ipaddress.ip_address(s).is_global` for a dotted quad, false where
/// `ip_address` raises (an octet with a leading zero).
fn is_global_ipv4(s: &str) -> bool {
    let mut octets = [0u8; 4];
    for (slot, part) in octets.iter_mut().zip(s.split('.')) {
        if part.len() > 1 && part.starts_with('0') {
            return false;
        }
        match part.parse() {
            Ok(value) => *slot = value,
            Err(_) => return false,
        }
    }
    let ip = u32::from_be_bytes(octets);
    // `_private_networks`, then `_public_network` (100.64.0.0/10, shared address space).
    const NOT_GLOBAL: [(u32, u32); 15] = [
        (0x0000_0000, 8),
        (0x0A00_0000, 8),
        (0x7F00_0000, 8),
        (0xA9FE_0000, 16),
        (0xAC10_0000, 12),
        (0xC000_0000, 29),
        (0xC000_00AA, 31),
        (0xC000_0200, 24),
        (0xC0A8_0000, 16),
        (0xC612_0000, 15),
        (0xC633_6400, 24),
        (0xCB00_7100, 24),
        (0xF000_0000, 4),
        (0xFFFF_FFFF, 32),
        (0x6440_0000, 10),
    ];
    !NOT_GLOBAL
        .iter()
        .any(|&(network, bits)| ip >> (32 - bits) == network >> (32 - bits))
}

/// The line breaks of Python's `str.splitlines()`: their byte length at `i`, or 0.
fn line_break_at(bytes: &[u8], i: usize) -> usize {
    match bytes[i] {
        b'\r' if bytes.get(i + 1) == Some(&b'\n') => 2,
        b'\n' | b'\r' | 0x0B | 0x0C | 0x1C | 0x1D | 0x1E => 1,
        // U+0085 (C2 85), U+2028 and U+2029 (E2 80 A8/A9).
        0xC2 if bytes.get(i + 1) == Some(&0x85) => 2,
        0xE2 if bytes.get(i + 1) == Some(&0x80)
            && matches!(bytes.get(i + 2), Some(0xA8 | 0xA9)) =>
        {
            3
        }
        _ => 0,
    }
}

/// `SymbolLinesFormatter(symbols_to_remove=["|"], replace_char="\n")`.
pub(super) fn symbol_line_edits(text: &str) -> Vec<Edit> {
    let bytes = text.as_bytes();
    // The lines: (start, end, end of its break).
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let len = line_break_at(bytes, i);
        if len > 0 {
            lines.push((start, i, i + len));
            i += len;
            start = i;
        } else {
            i += 1;
        }
    }
    if start < bytes.len() {
        lines.push((start, bytes.len(), bytes.len()));
    }
    let is_symbol_line =
        |line: &str| line.contains('|') && line.bytes().all(|b| b == b'|' || b == b' ');
    let mut edits: Vec<Edit> = Vec::new();
    let count = lines.len();
    let mut k = 0;
    while k < count {
        let (start, end, _) = lines[k];
        if is_symbol_line(&text[start..end]) {
            // The run becomes one empty line: `\n` in the place of its lines.
            let mut last = k;
            while last + 1 < count && {
                let (s, e, _) = lines[last + 1];
                is_symbol_line(&text[s..e])
            } {
                last += 1;
            }
            let run_end = lines[last].1;
            edits.push(Edit {
                range: start..run_end,
                replacement: "\n".into(),
            });
            // The breaks inside the run go with it; its last one is joined as any other.
            k = last;
        }
        // Every break is `\n` when joined; the last line's break goes.
        let (_, end, after) = lines[k];
        let wanted = if k + 1 == count { "" } else { "\n" };
        if &text[end..after] != wanted {
            edits.push(Edit {
                range: end..after,
                replacement: wanted.into(),
            });
        }
        k += 1;
    }
    edits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply;

    fn fix(f: fn(&str) -> Vec<Edit>, text: &str) -> String {
        apply(text, &f(text))
    }

    #[test]
    fn emails_rotate_through_the_placeholders() {
        assert_eq!(
            fix(email_edits, "Write to a.b@x.org, c@y.co.uk or d@z.com."),
            "Write to email@example.com, firstname.lastname@example.org or email@example.com."
        );
    }

    #[test]
    fn only_global_ips_are_replaced_and_counted() {
        assert_eq!(
            fix(
                ip_edits,
                "LAN 192.168.1.1, host 8.8.8.8, 1.2.3.4, 100.64.0.1, 01.2.3.4"
            ),
            "LAN 192.168.1.1, host 22.214.171.124, 126.96.36.199, 100.64.0.1, 01.2.3.4"
        );
    }

    #[test]
    fn symbol_line_runs_become_one_empty_line_and_lines_are_joined_with_newlines() {
        assert_eq!(
            fix(symbol_line_edits, "a\n| |\n||\nb\r\nc\n"),
            "a\n\n\nb\nc"
        );
        assert_eq!(fix(symbol_line_edits, "| x |\n"), "| x |");
        assert_eq!(fix(symbol_line_edits, "  \n|"), "  \n\n");
    }
}
