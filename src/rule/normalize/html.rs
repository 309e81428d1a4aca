//! HTML a scraper left in the text: character references (`&amp;`, `&#8217;`, `&nbsp;`)
//! and stray tags (`<br>`, `<p>`, `</div>`, `<a href=…>`).
//!
//! Tags are recognised strictly, so prose is never mistaken for markup: `<` must be
//! followed by the name of an HTML element, and what follows the name must be well-formed
//! attributes. `a < b`, `x<y`, `<3` and `if a <b and c> d` are text. Text that *talks
//! about* HTML is the unsafe case: a bare opening tag of an element that needs closing is
//! only removed when its closing tag follows, so `the <strong> element` stays, but
//! `<br>` or `</div>` in an article about HTML goes. A text holding a whole page's
//! skeleton (`<!DOCTYPE>`, `<html>`, `<head>`, `<body>`) is quoting HTML source, which a
//! scraper's residue never is, and is left alone. Contents of `<script>` and `<style>`
//! elements are left: deciding whether they are code the article shows is not this
//! step's job.

use std::ops::Range;

use super::entities::NAMED;
use super::invisible;
use super::mojibake::cp1252_high;
use crate::edit::Edit;

/// Levels of escaping undone in one go: `&amp;amp;` and `&amp;quot;` come from pages that
/// escaped already-escaped text.
const MAX_ESCAPE_LEVELS: usize = 3;

/// Edits replacing every character reference with its character.
pub(super) fn entity_edits(text: &str) -> Vec<Edit> {
    let bytes = text.as_bytes();
    let mut edits = Vec::new();
    let mut resume = 0;
    for at in memchr::memchr_iter(b'&', bytes) {
        if at < resume {
            continue;
        }
        let Some((mut end, mut decoded)) = reference_at(text, at) else {
            continue;
        };
        // `&amp;` directly followed by a reference body was escaped twice.
        for _ in 1..MAX_ESCAPE_LEVELS {
            if decoded != '&' {
                break;
            }
            let Some((next_end, next)) = reference_body(text, end) else {
                break;
            };
            end = next_end;
            decoded = next;
        }
        edits.push(Edit::replace(at..end, decoded.to_string()));
        resume = end;
    }
    edits
}

/// The reference starting with `&` at `at`: its end and its character.
fn reference_at(text: &str, at: usize) -> Option<(usize, char)> {
    reference_body(text, at + 1)
}

/// A reference body (`amp;`, `#8217;`, `#x2019;`) starting at `at`, just after a `&`.
/// Characters the invisible-character step deletes are skipped, as if already gone: that
/// step runs after this one, so `&g\u{0}t;` would otherwise become `&gt;` for the next run
/// to decode (cleaning must be idempotent).
fn reference_body(text: &str, at: usize) -> Option<(usize, char)> {
    let rest = text.get(at..)?;
    // A body is at most 33 ASCII characters; anything else is not a reference.
    let mut buffer = [0u8; 33];
    let mut len = 0;
    let mut semicolon = None;
    for (i, c) in rest.char_indices() {
        if c == ';' {
            semicolon = Some(i);
            break;
        }
        if invisible::deletes(text, c, at + i) {
            continue;
        }
        if !c.is_ascii() || len == buffer.len() {
            return None;
        }
        buffer[len] = c as u8;
        len += 1;
    }
    let semicolon = semicolon?;
    let body = std::str::from_utf8(&buffer[..len]).ok()?;
    let end = at + semicolon + 1;
    if let Some(number) = body.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) if (1..=6).contains(&hex.len()) => u32::from_str_radix(hex, 16).ok()?,
            Some(_) => return None,
            None if (1..=7).contains(&number.len()) => number.parse().ok()?,
            None => return None,
        };
        return numeric(code).map(|c| (end, c));
    }
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let index = NAMED
        .binary_search_by(|(name, _)| name.as_bytes().cmp(body.as_bytes()))
        .ok()?;
    Some((end, NAMED[index].1))
}

/// The character of a numeric reference. As in HTML, 128–159 mean the Windows-1252
/// characters; NUL, surrogates, out-of-range values and control characters other than
/// tab and line breaks are left as written rather than turned into something invisible.
fn numeric(code: u32) -> Option<char> {
    match code {
        0x80..=0x9F => u8::try_from(code).ok().and_then(cp1252_high),
        0x09 | 0x0A | 0x0D => char::from_u32(code),
        0x00..=0x1F | 0x7F => None,
        _ => char::from_u32(code),
    }
}

/// HTML elements whose tags are recognised.
const ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "address",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "base",
    "bdi",
    "bdo",
    "big",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "legend",
    "li",
    "link",
    "main",
    "mark",
    "meta",
    "nav",
    "noscript",
    "object",
    "ol",
    "option",
    "p",
    "param",
    "picture",
    "pre",
    "q",
    "s",
    "samp",
    "script",
    "section",
    "select",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
];

/// Elements without a closing tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "wbr",
];

/// Elements that break a line: a run of tags holding one, between text on the same line,
/// becomes a line break rather than nothing, so `one<br>two` does not read `onetwo`.
const BLOCK: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "title",
    "tr",
    "ul",
];

/// One recognised tag.
#[derive(Debug, Clone)]
struct Tag {
    range: Range<usize>,
    /// Lower-case element name; `!doctype` for `<!DOCTYPE …>`, empty for comments.
    name: String,
    closing: bool,
    /// Has at least one `name=value` attribute.
    attributes: bool,
}

/// Longest tag or comment considered, so a stray `<a` cannot swallow a document.
const MAX_TAG_LEN: usize = 2048;

/// Edits removing stray tags; a run of tags that broke a line inside text becomes `\n`.
pub(super) fn tag_edits(text: &str) -> Vec<Edit> {
    let bytes = text.as_bytes();
    let mut tags: Vec<Tag> = Vec::new();
    for at in memchr::memchr_iter(b'<', bytes) {
        if tags.last().is_some_and(|t| at < t.range.end) {
            continue;
        }
        if let Some(tag) = tag_at(text, at) {
            tags.push(tag);
        }
    }
    if tags
        .iter()
        .any(|t| matches!(t.name.as_str(), "!doctype" | "html" | "head" | "body"))
    {
        return Vec::new();
    }
    // A bare opening tag of an element that needs closing is markup only if it is closed,
    // or if it touches other markup (`</p><p>`); otherwise it may be a mention in prose.
    // Walk backwards, remembering which elements are closed further on.
    let mut closed_later: Vec<&str> = Vec::new();
    let mut doubtful = vec![false; tags.len()];
    for (i, tag) in tags.iter().enumerate().rev() {
        if tag.closing {
            if !closed_later.contains(&tag.name.as_str()) {
                closed_later.push(&tag.name);
            }
            continue;
        }
        doubtful[i] = !tag.attributes
            && !tag.name.is_empty()
            && !VOID.contains(&tag.name.as_str())
            && !closed_later.contains(&tag.name.as_str());
    }
    let touches_markup = |i: usize| {
        let before = i
            .checked_sub(1)
            .is_some_and(|j| !doubtful[j] && tags[j].range.end == tags[i].range.start);
        let after = tags
            .get(i + 1)
            .is_some_and(|next| !doubtful[i + 1] && tags[i].range.end == next.range.start);
        before || after
    };
    let keep: Vec<bool> = (0..tags.len())
        .map(|i| doubtful[i] && !touches_markup(i))
        .collect();
    let stray: Vec<&Tag> = tags
        .iter()
        .zip(keep)
        .filter_map(|(t, keep)| (!keep).then_some(t))
        .collect();
    let mut edits = Vec::new();
    let mut i = 0;
    while i < stray.len() {
        // A run: tags separated only by spaces or tabs.
        let start = stray[i].range.start;
        let mut end = stray[i].range.end;
        let mut breaks = BLOCK.contains(&stray[i].name.as_str());
        i += 1;
        while i < stray.len() && is_blank(&text[end..stray[i].range.start]) {
            end = stray[i].range.end;
            breaks |= BLOCK.contains(&stray[i].name.as_str());
            i += 1;
        }
        edits.push(run_edit(text, start..end, breaks));
    }
    edits
}

fn is_blank(s: &str) -> bool {
    s.bytes().all(|b| b == b' ' || b == b'\t')
}

/// The edit for a run of tags, taking the spaces around it so the words on either side
/// meet with one space (or one line break).
fn run_edit(text: &str, run: Range<usize>, breaks: bool) -> Edit {
    // Only the spaces next to the run and what lies beyond them are looked at, never the
    // whole line, so many tags on one long line cost linear time.
    let bytes = text.as_bytes();
    let is_space = |b: u8| b == b' ' || b == b'\t';
    let space_before = bytes[..run.start]
        .iter()
        .rev()
        .take_while(|&&b| is_space(b))
        .count();
    let text_before = run.start > space_before && bytes[run.start - space_before - 1] != b'\n';
    let space_after = bytes[run.end..]
        .iter()
        .take_while(|&&b| is_space(b))
        .count();
    // Carriage returns that end the line are not text.
    let rest = &bytes[run.end + space_after..];
    let crs = rest.iter().take_while(|&&b| b == b'\r').count();
    let text_after = !matches!(rest.get(crs), None | Some(b'\n'));
    match (text_before, text_after) {
        (true, true) if breaks => {
            Edit::replace(run.start - space_before..run.end + space_after, "\n")
        }
        (true, true) if space_before > 0 => Edit::delete(run.start..run.end + space_after),
        (true, true) => Edit::delete(run),
        (false, _) => Edit::delete(run.start..run.end + space_after),
        (true, false) => Edit::delete(run.start - space_before..run.end),
    }
}

/// The tag, comment or doctype starting with `<` at `at`. Characters the invisible-character
/// step deletes are read as already gone: that step runs after this one, so `</b\u{8}>`
/// would otherwise become `</b>` for the next run to strip (cleaning must be idempotent).
fn tag_at(text: &str, at: usize) -> Option<Tag> {
    // Every tag, comment and doctype has a letter, `/` or `!` right after its `<`; a byte
    // that no deletion can take away settles it before the window is searched.
    let next = *text.as_bytes().get(at + 1)?;
    if !(invisible::is_suspect(next) || next.is_ascii_alphabetic() || matches!(next, b'/' | b'!')) {
        return None;
    }
    let mut end = (at + 1 + MAX_TAG_LEN).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let window = &text[at..end];
    // Most tags end at the first `>`; a deleted character before it is what matters.
    let close = memchr::memchr(b'>', window.as_bytes());
    let head = close.map_or(window, |i| &window[..i]);
    if !head.bytes().any(invisible::is_suspect) {
        return plain_tag_at(text, at);
    }
    // Tags, comments and doctypes all end with `>`: without one in the window there is no
    // tag to read in its copy either (and `<` before a long run of joiners costs nothing).
    close?;
    // Parse a copy without the deleted characters; `origin[i]` is where its byte `i` was.
    let mut kept = String::with_capacity(window.len());
    let mut origin = Vec::with_capacity(window.len());
    for (i, c) in window.char_indices() {
        if !invisible::deletes(text, c, at + i) {
            kept.push(c);
            origin.extend((0..c.len_utf8()).map(|k| at + i + k));
        }
    }
    let tag = plain_tag_at(&kept, 0)?;
    let last = *origin.get(tag.range.end.checked_sub(1)?)?;
    Some(Tag {
        range: at..last + 1,
        ..tag
    })
}

/// [`tag_at`] on text where nothing is left for the invisible-character step.
fn plain_tag_at(text: &str, at: usize) -> Option<Tag> {
    let rest = &text[at + 1..];
    let window = &rest.as_bytes()[..rest.len().min(MAX_TAG_LEN)];
    if let Some(comment) = rest.strip_prefix("!--") {
        let close = memchr::memmem::find(
            &comment.as_bytes()[..comment.len().min(MAX_TAG_LEN)],
            b"-->",
        )?;
        return Some(Tag {
            range: at..at + 4 + close + 3,
            name: String::new(),
            closing: false,
            attributes: true,
        });
    }
    if rest.len() >= 8 && rest.as_bytes()[..8].eq_ignore_ascii_case(b"!doctype") {
        let close = memchr::memchr(b'>', window)?;
        return Some(Tag {
            range: at..at + 1 + close + 1,
            name: "!doctype".into(),
            closing: false,
            attributes: true,
        });
    }
    let (closing, body) = match rest.strip_prefix('/') {
        Some(body) => (true, body),
        None => (false, rest),
    };
    let name_len = body.bytes().take_while(u8::is_ascii_alphanumeric).count();
    if name_len == 0 || !body.as_bytes()[0].is_ascii_alphabetic() {
        return None;
    }
    let name = body[..name_len].to_ascii_lowercase();
    if !ELEMENTS.contains(&name.as_str()) {
        return None;
    }
    let after_name = at + 1 + usize::from(closing) + name_len;
    let (end, attributes) = attributes(text, after_name, closing)?;
    Some(Tag {
        range: at..end,
        name,
        closing,
        attributes,
    })
}

/// Parses what follows a tag name up to and including `>`: white space, attributes
/// (`name`, `name=value`, `name="value"`, `name='value'`) and an optional `/`. Returns
/// the end of the tag and whether any attribute had a value. A bare word after the name
/// with no `name=value` anywhere (`<b and c>`) is prose, not a tag.
fn attributes(text: &str, mut at: usize, closing: bool) -> Option<(usize, bool)> {
    let bytes = text.as_bytes();
    let limit = (at + MAX_TAG_LEN).min(bytes.len());
    let mut bare = false;
    let mut valued = false;
    loop {
        let spaces = bytes[at..limit]
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
        at += spaces;
        match bytes.get(at).filter(|_| at < limit)? {
            b'>' => break,
            b'/' if bytes.get(at + 1) == Some(&b'>') => {
                at += 1;
                break;
            }
            b if b.is_ascii_alphabetic() || *b == b'_' || *b == b':' => {
                if spaces == 0 || closing {
                    return None;
                }
                at += bytes[at..limit]
                    .iter()
                    .take_while(|b| {
                        b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.')
                    })
                    .count();
                let spaces = bytes[at..limit]
                    .iter()
                    .take_while(|b| b.is_ascii_whitespace())
                    .count();
                if bytes.get(at + spaces) != Some(&b'=') {
                    bare = true;
                    continue;
                }
                at += spaces + 1;
                at += bytes[at..limit]
                    .iter()
                    .take_while(|b| b.is_ascii_whitespace())
                    .count();
                at = value_end(bytes, at, limit)?;
                valued = true;
            }
            _ => return None,
        }
    }
    if bare && !valued {
        return None;
    }
    Some((at + 1, valued))
}

/// End of an attribute value starting at `at` (quoted or not).
fn value_end(bytes: &[u8], at: usize, limit: usize) -> Option<usize> {
    match bytes.get(at)? {
        quote @ (b'"' | b'\'') => {
            let close = memchr::memchr(*quote, &bytes[at + 1..limit])?;
            Some(at + 1 + close + 1)
        }
        _ => {
            let len = bytes[at..limit]
                .iter()
                .take_while(|b| {
                    !b.is_ascii_whitespace()
                        && !matches!(b, b'"' | b'\'' | b'=' | b'<' | b'>' | b'`')
                })
                .count();
            (len > 0).then_some(at + len)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply;

    fn entities(text: &str) -> String {
        apply(text, &entity_edits(text))
    }

    fn tags(text: &str) -> String {
        apply(text, &tag_edits(text))
    }

    #[test]
    fn references_are_decoded() {
        assert_eq!(
            entities("AT&amp;T &#8217; &#x2019; &nbsp;"),
            "AT&T ’ ’ \u{a0}"
        );
        assert_eq!(entities("it&#146;s &eacute;t&eacute;"), "it’s été");
        assert_eq!(entities("&amp;quot;hi&amp;amp;quot;"), "\"hi\"");
        assert_eq!(entities("&lt;p&gt;"), "<p>");
    }

    #[test]
    fn text_that_only_looks_like_a_reference_stays() {
        for text in [
            "Q&A",
            "a & b",
            "&bogus;",
            "&#0;",
            "&#xD800;",
            "&amp",
            "&#99999999;",
        ] {
            assert_eq!(entities(text), text);
        }
    }

    #[test]
    fn invisible_characters_do_not_split_a_reference() {
        assert_eq!(entities("&g\u{0}\u{1}t;"), ">");
        assert_eq!(entities("&amp;\u{ad}lt;b\u{7f}&#x\u{202e}3e;"), "<b\u{7f}>");
        // A joiner between Latin letters goes too; a directional mark stays on a
        // right-to-left line, and there it still splits the reference.
        assert_eq!(entities("&g\u{200d}t;"), ">");
        assert_eq!(entities("&g\u{200e}t;"), ">");
        assert_eq!(entities("שלום &g\u{200e}t;"), "שלום &g\u{200e}t;");
    }

    #[test]
    fn invisible_characters_do_not_split_a_tag() {
        for (split, whole) in [
            ("l</b\u{8}>x", "l</b>x"),
            ("a<b\u{0}r>b", "a<br>b"),
            ("a <\u{ad}p class=\"x\u{7}\"> b", "a <p class=\"x\"> b"),
        ] {
            assert_eq!(tags(split), tags(whole), "{split:?}");
            assert_ne!(tags(whole), whole);
        }
        // A deleted character never makes prose into a tag.
        assert_eq!(tags("a <\u{0} b"), "a <\u{0} b");
    }

    #[test]
    fn stray_tags_are_removed() {
        assert_eq!(tags("one<br>two"), "one\ntwo");
        assert_eq!(tags("one <br /> two"), "one\ntwo");
        assert_eq!(tags("<p>Para.</p>"), "Para.");
        assert_eq!(
            tags("see <a href=\"https://x.org/?a=1&b=2\">the site</a> now"),
            "see the site now"
        );
        assert_eq!(tags("A<!-- ad -->B"), "AB");
        assert_eq!(tags("end.</div>\n"), "end.\n");
        assert_eq!(tags("<b>Bold</b> text"), "Bold text");
    }

    #[test]
    fn prose_is_not_markup() {
        for text in [
            "a < b and c > d",
            "x<y",
            "I <3 it",
            "if a <b and c> d",
            "use the <strong> element for importance",
            "<T> and Vec<String>",
            "<notatag>",
            "A page:\n<!DOCTYPE html>\n<html lang=\"en\"><p>Hi</p></html>",
        ] {
            assert_eq!(tags(text), text);
        }
    }
}
