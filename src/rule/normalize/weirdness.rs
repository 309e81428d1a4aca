//! How unnatural a stretch of text looks: the number of adjacent character pairs that
//! mojibake produces and correct writing does not.
//!
//! Mis-decoding UTF-8 through a single-byte code page turns each non-ASCII character into
//! a lead character (an accented capital such as `Ã`, `Ð`, `Р`, or a symbol such as `√`,
//! `╨`) followed by one to three characters from the code page's upper half, which are
//! mostly symbols (`©`, `€`, `¥`, `±`). So the tell is a letter glued to such a symbol
//! with more of the word after it (`cafÃ©s`, `Ð±Ñ`), a capital accented letter right
//! after a lower-case letter (`cafÃ`), or box-drawing characters against letters. Correct
//! text uses the same symbols after words (`NESTLÉ®`, `SÓ…`, `ZZAJÉ’s`, `10 Å—`), and
//! those pairs do not count. The measure is used by [`super::mojibake`] twice: a line is
//! re-decoded only when it has some weirdness, and a re-decoding is taken only when it has
//! less. It is deliberately small and has no notion of language. [`may_be_weird`] answers
//! "could this line have any weirdness" from tables, so correct lines skip the measure.

/// The script of a letter, for the rules that depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Cyrillic,
    Greek,
    Armenian,
    Other,
}

/// What a character is, as far as the pair rules care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// ASCII letter: lower-case or not.
    Ascii(bool),
    /// ASCII digit.
    Digit,
    /// Non-ASCII letter with case: script, lower-case or not.
    Letter(Script, bool),
    /// Non-ASCII letter of a script without case, by script (Hebrew, Arabic, CJK, …).
    Uncased(u8),
    /// Marks that follow a word in correct text and may be followed by more of it: `’`.
    Apostrophe,
    /// Marks that end a word in correct text: `”`, `…`, `™`, `®`, `–`.
    Closing,
    /// Other symbols of the code pages' upper halves: `©`, `€`, `¥`, `±`, `¬`.
    Symbol,
    /// Mathematical symbols of Mac Roman's upper half: `√`, `∞`, `≈`.
    Math,
    /// Box drawing and block elements (cp437).
    Box,
    /// C1 control characters: never written on purpose.
    Bad,
    /// Everything else: white space, ASCII punctuation, CJK, emoji, marks.
    Other,
}

fn class(c: char) -> Class {
    if c.is_ascii() {
        return if c.is_ascii_alphabetic() {
            Class::Ascii(c.is_ascii_lowercase())
        } else if c.is_ascii_digit() {
            Class::Digit
        } else {
            Class::Other
        };
    }
    common_letter(c).unwrap_or_else(|| remembered_class(c))
}

/// [`any_class`], remembered per thread in a small table indexed by the character's low
/// bits: a line that is weird without being mojibake (a page of many scripts) is measured
/// again and again by the repairs it is tried with, and the property lookups would be
/// most of the time.
fn remembered_class(c: char) -> Class {
    const SLOTS: usize = 1024;
    thread_local! {
        static SEEN: std::cell::RefCell<Vec<(char, Class)>> =
            std::cell::RefCell::new(vec![('\0', Class::Other); SLOTS]);
    }
    SEEN.with(|seen| {
        let mut seen = seen.borrow_mut();
        // The empty slots hold U+0000, which never reaches here (it is ASCII).
        let slot = &mut seen[u32::from(c) as usize % SLOTS];
        if slot.0 != c {
            *slot = (c, any_class(c));
        }
        slot.1
    })
}

/// The class of the letters most text is made of, without the Unicode property lookups
/// (`is_alphabetic` is most of the measure's time on non-Latin text). A test checks that
/// it agrees with [`any_class`] on every character it answers for.
fn common_letter(c: char) -> Option<Class> {
    let (script, lower) = match u32::from(c) {
        0xC0..=0xD6 | 0xD8..=0xDE => (Script::Latin, false),
        0xDF..=0xF6 | 0xF8..=0xFF => (Script::Latin, true),
        0x391..=0x3A1 | 0x3A3..=0x3A9 => (Script::Greek, false),
        0x3B1..=0x3C9 => (Script::Greek, true),
        0x410..=0x42F => (Script::Cyrillic, false),
        0x430..=0x44F => (Script::Cyrillic, true),
        0x3041..=0x3096 | 0x30A1..=0x30FA | 0x4E00..=0x9FFF | 0xAC00..=0xD7A3 => {
            return Some(Class::Uncased(uncased_script(c)));
        }
        _ => return None,
    };
    Some(Class::Letter(script, lower))
}

/// [`class`] of a non-ASCII character, from its Unicode properties.
fn any_class(c: char) -> Class {
    match c {
        '\u{80}'..='\u{9F}' => Class::Bad,
        '’' | '‘' | 'ʼ' | '·' => Class::Apostrophe,
        '”' | '“' | '„' | '«' | '»' | '›' | '…' | '™' | '®' | '©' | '°' | '¡' | '¿' | '–' | '—'
        | '²' | '³' | '¹' | '´' | '\u{A0}' | '―' => Class::Closing,
        '√' | '∞' | '≈' | '∆' | '∑' | '∏' | '∫' | '≠' | '≤' | '≥' | '◊' | '⁄' | '∂'
        | '\u{F8FF}' => Class::Math,
        '\u{A1}'..='\u{BF}' | '×' | '÷' | '\u{2000}'..='\u{206F}' | '\u{20A0}'..='\u{20CF}' => {
            Class::Symbol
        }
        'ƒ' | 'ˆ' | 'ˇ' | '˘' | '˙' | '˚' | '˛' | '˜' | '˝' | '№' | '΅' | '΄' => {
            Class::Symbol
        }
        '\u{2500}'..='\u{259F}' | '⌠' | '⌡' => Class::Box,
        _ if c.is_alphabetic() => {
            let script = match u32::from(c) {
                0xC0..=0x24F | 0x1E00..=0x1EFF => Script::Latin,
                0x370..=0x3FF => Script::Greek,
                0x400..=0x52F => Script::Cyrillic,
                0x530..=0x58F => Script::Armenian,
                _ => Script::Other,
            };
            if c.is_lowercase() {
                Class::Letter(script, true)
            } else if c.is_uppercase() {
                Class::Letter(script, false)
            } else {
                Class::Uncased(uncased_script(c))
            }
        }
        _ => Class::Other,
    }
}

fn is_letter_or_digit(class: Class) -> bool {
    matches!(
        class,
        Class::Ascii(_) | Class::Digit | Class::Letter(..) | Class::Uncased(_)
    )
}

/// A rough script of a letter without case: its 256-character block, with the CJK and
/// Hangul ranges each counted as one.
fn uncased_script(c: char) -> u8 {
    match u32::from(c) {
        0x3040..=0x30FF | 0x3400..=0x9FFF | 0xF900..=0xFAFF => 1,
        0xAC00..=0xD7A3 | 0x1100..=0x11FF => 2,
        code => u8::try_from((code >> 8) & 0x7F).unwrap_or(0) | 0x80,
    }
}

/// Characters that never follow `Ã`, `Â`, `Î` or `Ð` in correct text but do in
/// mojibake (`ZURÃœCK`, `AÃ‘OS`, `OÃ™`): its second byte read as Windows-1252 punctuation.
fn follows_lead_only_in_mojibake(c: char) -> bool {
    matches!(
        c,
        '€' | 'œ'
            | 'Š'
            | 'š'
            | '¢'
            | '£'
            | 'Ÿ'
            | 'ž'
            | '\u{AD}'
            | '®'
            | '©'
            | '°'
            | '·'
            | '»'
            | '–'
            | '—'
            | '´'
            | '‘'
            | '‚'
            | '“'
            | '„'
            | '•'
            | '‹'
            | '”'
            | '›'
            | '™'
            | '¡'
            | '¿'
            | '«'
    )
}

/// Cyrillic letters outside Russian that mojibake of Russian yields right after `Р`/`С`
/// (`Рґ` for `д`, `Сѓ` for `у`); Ukrainian `і`, `ї`, `є` are common in correct text and
/// left out.
fn is_rare_cyrillic(c: char) -> bool {
    matches!(
        c,
        'ґ' | 'ѕ'
            | 'ј'
            | 'љ'
            | 'њ'
            | 'ћ'
            | 'џ'
            | 'ђ'
            | 'ѓ'
            | 'ќ'
            | 'ў'
            | 'Ђ'
            | 'Ѓ'
            | 'Љ'
            | 'Њ'
            | 'Ќ'
            | 'Ћ'
            | 'Џ'
            | 'Ў'
            | 'Ј'
            | 'Ѕ'
            | 'Ґ'
    )
}

/// Greek capitals with tonos and the tonos marks, which Greek mojibake puts after `Ξ`/`Ο`.
fn is_greek_tonos(c: char) -> bool {
    matches!(c, 'Ά' | 'Έ' | 'Ή' | 'Ί' | 'Ό' | 'Ύ' | 'Ώ' | '΅' | '΄')
}

/// The horizontal arms of a box-drawing character of cp437: the weight (0 none, 1 light,
/// 2 double) of the line it draws to its left and to its right. `None` for the others
/// (shades, blocks).
fn arms(c: char) -> Option<(u8, u8)> {
    Some(match c {
        '│' | '║' => (0, 0),
        '┤' | '╢' | '╖' | '╜' | '┐' | '┘' => (1, 0),
        '╡' | '╕' | '╣' | '╗' | '╝' | '╛' => (2, 0),
        '├' | '└' | '┌' | '╟' | '╙' | '╓' => (0, 1),
        '╞' | '╚' | '╔' | '╠' | '╘' | '╒' => (0, 2),
        '─' | '┴' | '┬' | '┼' | '╨' | '╥' | '╫' => (1, 1),
        '═' | '╩' | '╦' | '╬' | '╧' | '╤' | '╪' => (2, 2),
        _ => return None,
    })
}

/// The weirdness of `chars`: how many of its adjacent pairs look like mojibake.
pub(super) fn weirdness(chars: &[char]) -> usize {
    weirdness_of(chars.iter().copied())
}

/// [`weirdness`] of characters as they come, without collecting them.
pub(super) fn weirdness_of(chars: impl IntoIterator<Item = char>) -> usize {
    let mut rest = chars.into_iter();
    let Some(mut a) = rest.next() else {
        return 0;
    };
    let mut b = rest.next();
    let mut after = rest.next();
    let mut count = 0;
    loop {
        // No pair of ASCII characters is weird, nor is one alone (see the test
        // `ascii_is_never_weird`): most of any line costs this one test.
        if !(a.is_ascii() && b.is_none_or(|b| b.is_ascii())) {
            let class_a = class(a);
            if class_a == Class::Bad {
                count += 1;
            }
            if let Some(b) = b {
                let next_char = after.unwrap_or(' ');
                if pair_is_weird(a, class_a, b, class(b), class(next_char), next_char) {
                    count += 1;
                }
            }
        }
        let Some(next) = b else { break };
        (a, b, after) = (next, after, rest.next());
    }
    count
}

/// Whether `b` right after `a` (with `next` after it) is weird for a stronger reason than
/// a capital after a lower-case letter, which names and brands have (`DrÃ¥ber`,
/// `McÉire`): a letter glued to a mathematical symbol (`O√π`), box drawing against a
/// letter, and so on.
pub(super) fn glued(a: char, b: char, next: char) -> bool {
    let (class_a, class_b) = (class(a), class(b));
    let camel = matches!(
        (class_a, class_b),
        (
            Class::Ascii(true) | Class::Letter(_, true),
            Class::Letter(Script::Latin, false)
        )
    );
    !camel && pair_is_weird(a, class_a, b, class_b, class(next), next)
}

fn closes_quote(c: char) -> bool {
    matches!(c, '”' | '’' | '»' | '›' | '…')
}

fn pair_is_weird(
    a: char,
    class_a: Class,
    b: char,
    class_b: Class,
    next: Class,
    next_char: char,
) -> bool {
    if matches!(a, 'Ã' | 'Â' | 'Î' | 'Ð') && follows_lead_only_in_mojibake(b) {
        return true;
    }
    // `Ã` before a symbol of Latin-1's upper half is almost always a broken letter
    // (`Ã³`, `Ã¶`); `Ã¥` and `Ã’` also occur in correct writing (`DrÃ¥ber`, `Ã’s`).
    if a == 'Ã' && matches!(b, '\u{A0}'..='\u{BF}') {
        return b != '¥';
    }
    // The same for the characters byte 0xC3 gives in Windows-1250/1251 (`Ă©`, `Г©`).
    if matches!(a, 'Ă' | 'Г')
        && (class_b == Class::Symbol
            || class_b == Class::Closing
                && (is_letter_or_digit(next)
                    || matches!(b, '©' | '°' | '¡' | '¿' | '´' | '²' | '³' | '¹')))
    {
        return true;
    }
    // `Ð’`, `Р’`: a Cyrillic capital's UTF-8 read as Windows-1252/1251.
    if matches!(a, 'Ð' | 'Ñ' | 'Р' | 'С') && class_b == Class::Apostrophe {
        return true;
    }
    // Two accented capitals before lower-case letters (`sijeÄŤnja`, `BĂĽrger`).
    if matches!(class_a, Class::Letter(Script::Latin, false))
        && matches!(class_b, Class::Letter(Script::Latin, false))
        && matches!(next, Class::Ascii(true) | Class::Letter(_, true))
    {
        return true;
    }
    // `œ` only occurs inside words (`cœur`); after it comes a letter.
    if matches!(a, 'œ' | 'Œ') && !is_letter_or_digit(class_b) {
        return true;
    }
    // A lower-case accented letter inside a word of capitals (`MģÄM`).
    if matches!(class_b, Class::Letter(Script::Latin, true))
        && matches!(class_a, Class::Ascii(false) | Class::Letter(_, false))
        && matches!(next, Class::Ascii(false) | Class::Letter(_, false))
    {
        return true;
    }
    match (class_a, class_b) {
        // `cafÃ`, `ZurÃœ`, `вЂ`: a capital from a code page's upper half glued after a
        // lower-case letter.
        (Class::Ascii(true) | Class::Letter(_, true), Class::Letter(Script::Latin, false)) => true,
        (Class::Letter(Script::Cyrillic, true), Class::Letter(Script::Cyrillic, false)) => {
            is_rare_cyrillic(b)
        }
        (Class::Letter(Script::Cyrillic, false), Class::Letter(Script::Cyrillic, _)) => {
            is_rare_cyrillic(b) && matches!(a, 'Р' | 'С' | 'В' | 'Г' | 'Т')
        }
        (Class::Letter(Script::Greek, false), Class::Letter(Script::Greek, _)) => {
            is_greek_tonos(b) && matches!(a, 'Ξ' | 'Ο' | 'Β' | 'Γ')
        }
        // `Ã\u{a0}` is `à` whose second byte became a no-break space.
        (Class::Letter(..), Class::Closing) if b == '\u{A0}' => a == 'Ã',
        // A letter, then a symbol, then more of the word: `Ã©t`, `Ð±Ñ`, `HÃ”TEL`.
        (Class::Letter(..), Class::Closing) => {
            is_letter_or_digit(next)
                || matches!(next, Class::Symbol | Class::Math)
                || (next == Class::Closing && !closes_quote(next_char))
        }
        (Class::Letter(..), Class::Symbol | Class::Math) => {
            // `×` before a symbol is Hebrew mojibake, but also arithmetic (`5×£35`).
            true
        }
        (Class::Symbol, Class::Closing | Class::Symbol | Class::Apostrophe) if a == '×' => {
            !matches!(b, '…' | '£' | '²' | '³' | '\u{A0}' | '×' | '”')
        }
        // A symbol glued before an accented letter: `¢â`, `¥æ`, `‚Ä`.
        (
            Class::Symbol | Class::Math | Class::Closing | Class::Box,
            Class::Letter(Script::Latin, _),
        ) => !matches!(
            a,
            '“' | '‘' | '„' | '«' | '¿' | '¡' | '–' | '—' | '\u{A0}' | '©' | '°'
        ),
        (Class::Ascii(_), Class::Math) => true,
        // Mac Roman's `√` before a symbol is a broken letter (`√©`, `√∂`); `∆°` is not.
        (Class::Math, Class::Symbol | Class::Closing | Class::Apostrophe | Class::Math) => {
            (a, b) != ('∆', '°')
        }
        (Class::Box, Class::Letter(..)) | (Class::Letter(..), Class::Box) => true,
        // Line art joins its pieces: an arm that meets no arm, or one of another weight,
        // is cp437 mojibake (`├│` for `ó`, `├╝` for `ü`); `├┤` and `┼┐` join.
        (Class::Box, Class::Box) => {
            matches!((arms(a), arms(b)), (Some((_, right)), Some((left, _))) if right != left)
        }
        // cp437 mojibake: a box-drawing lead before a symbol (`├⌐`, `├ƒ`); line art puts
        // boxes beside boxes and ASCII.
        (Class::Box, Class::Symbol | Class::Closing | Class::Math | Class::Apostrophe) => true,
        (Class::Box, Class::Other) => !b.is_ascii() && !b.is_whitespace(),
        // Two letters of different scripts glued together (`ľՋ`); Greek in Latin words is
        // science (`IL2RγcKO`).
        (Class::Letter(x, _), Class::Letter(y, _)) => {
            x != y
                && !matches!(
                    (x, y),
                    (Script::Latin, Script::Greek) | (Script::Greek, Script::Latin)
                )
        }
        (Class::Uncased(x), Class::Uncased(y)) => x != y,
        (Class::Uncased(_), Class::Letter(..)) | (Class::Letter(..), Class::Uncased(_)) => true,
        _ => false,
    }
}

/// A cheap, conservative test of whether `line` could have any weirdness: `false` means
/// [`weirdness`] is 0, so correct text in most scripts is passed over with one table lookup
/// per character instead of the pair rules (the line gate of [`super::mojibake`] spent most
/// of the normalize stage's time on clean multilingual text). `true` only means "measure".
///
/// It classes each character into a [`Kind`] (its [`Class`] plus the characters the pair
/// rules name) and looks each adjacent pair up in a table of verdicts that over-approximates
/// [`pair_is_weird`]: a verdict is "maybe", "fine", or the kinds of a following character
/// that would make the pair weird. Tests check it against [`pair_is_weird`] and [`weirdness`].
pub(super) fn may_be_weird(line: &str) -> bool {
    let (kinds, verdicts) = tables();
    let bytes = line.as_bytes();
    let mut previous = Kind::Neutral as usize;
    // Kinds of the next character that make the pair before it weird.
    let mut pending = 0u32;
    let mut at = 0;
    while let Some(c) = line[at..].chars().next() {
        let code = u32::from(c);
        let kind = match kinds.get(code as usize) {
            Some(&k) => usize::from(k),
            None => kind(c) as usize,
        };
        let verdict = verdicts[previous][kind];
        if pending & (1 << kind) != 0 || verdict & MAYBE != 0 {
            return true;
        }
        pending = verdict;
        previous = kind;
        at += c.len_utf8();
        // Two ASCII characters are never a weird pair (`ascii_pairs_are_fine` checks the
        // table): a run of them is passed over to its last character, unless the pair
        // before it asks something of the character after.
        if c.is_ascii() && pending == 0 {
            let run =
                crate::bytes::find_byte(&bytes[at..], |b| b >= 0x80).unwrap_or(bytes.len() - at);
            if run > 0 {
                at += run;
                previous = usize::from(kinds[usize::from(bytes[at - 1])]);
            }
        }
    }
    // `weirdness` reads a space after the last character.
    pending & (1 << Kind::Neutral as u32) != 0
}

/// What a character is to [`may_be_weird`]: its [`Class`], with the characters that the
/// pair rules name apart (`Ã`, `Р`, `Ξ`, `×`, rare Cyrillic, Greek capitals with tonos).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Kind {
    /// [`Class::Other`]: never weird as the first of a pair.
    Neutral,
    Digit,
    AsciiLower,
    AsciiUpper,
    LatinLower,
    LatinUpper,
    /// Latin letters some rule names as the first of a pair: `Ã Â Î Ð Ñ Ă œ Œ`.
    LatinNamed,
    CyrillicLower,
    CyrillicUpper,
    /// `Р С В Г Т`, named by the Cyrillic rules.
    CyrillicNamed,
    /// [`is_rare_cyrillic`], either case.
    CyrillicRare,
    GreekLower,
    GreekUpper,
    /// `Ξ Ο Β Γ`, named by the tonos rule.
    GreekNamed,
    /// [`is_greek_tonos`] letters.
    GreekTonos,
    ArmenianLower,
    ArmenianUpper,
    OtherLower,
    OtherUpper,
    /// [`uncased_script`] 1 (kana and Han), 2 (Hangul), any other.
    Uncased1,
    Uncased2,
    UncasedOther,
    Apostrophe,
    Closing,
    /// Closing marks that may stand right before a Latin letter (`“`, `«`, `—`, `©`).
    Opening,
    Symbol,
    Times,
    Math,
    Box,
    Bad,
}

const KINDS: usize = Kind::Bad as usize + 1;

/// Set in a verdict: the pair may be weird whatever follows.
const MAYBE: u32 = 1 << 31;

fn kind(c: char) -> Kind {
    // The scripts [`common_letter`] does not cover are left to `kind_of`; emoji are
    // `Class::Other` (checked by a test), without the property lookup.
    match u32::from(c) {
        0x4E00..=0x9FFF => Kind::Uncased1,
        0xAC00..=0xD7A3 => Kind::Uncased2,
        0x1F300..=0x1F64F | 0x1F900..=0x1F9FF => Kind::Neutral,
        _ => kind_of(class(c), c),
    }
}

fn kind_of(class: Class, c: char) -> Kind {
    match class {
        Class::Ascii(true) => Kind::AsciiLower,
        Class::Ascii(false) => Kind::AsciiUpper,
        Class::Digit => Kind::Digit,
        Class::Other => Kind::Neutral,
        Class::Bad => Kind::Bad,
        Class::Apostrophe => Kind::Apostrophe,
        Class::Closing
            if matches!(
                c,
                '“' | '„' | '«' | '¿' | '¡' | '–' | '—' | '\u{A0}' | '©' | '°'
            ) =>
        {
            Kind::Opening
        }
        Class::Closing => Kind::Closing,
        Class::Symbol if c == '×' => Kind::Times,
        Class::Symbol => Kind::Symbol,
        Class::Math => Kind::Math,
        Class::Box => Kind::Box,
        Class::Letter(Script::Latin, _)
            if matches!(c, 'Ã' | 'Â' | 'Î' | 'Ð' | 'Ñ' | 'Ă' | 'œ' | 'Œ') =>
        {
            Kind::LatinNamed
        }
        Class::Letter(Script::Latin, true) => Kind::LatinLower,
        Class::Letter(Script::Latin, false) => Kind::LatinUpper,
        Class::Letter(Script::Cyrillic, _) if is_rare_cyrillic(c) => Kind::CyrillicRare,
        Class::Letter(Script::Cyrillic, _) if matches!(c, 'Р' | 'С' | 'В' | 'Г' | 'Т') => {
            Kind::CyrillicNamed
        }
        Class::Letter(Script::Cyrillic, true) => Kind::CyrillicLower,
        Class::Letter(Script::Cyrillic, false) => Kind::CyrillicUpper,
        Class::Letter(Script::Greek, _) if is_greek_tonos(c) => Kind::GreekTonos,
        Class::Letter(Script::Greek, _) if matches!(c, 'Ξ' | 'Ο' | 'Β' | 'Γ') => {
            Kind::GreekNamed
        }
        Class::Letter(Script::Greek, true) => Kind::GreekLower,
        Class::Letter(Script::Greek, false) => Kind::GreekUpper,
        Class::Letter(Script::Armenian, true) => Kind::ArmenianLower,
        Class::Letter(Script::Armenian, false) => Kind::ArmenianUpper,
        Class::Letter(Script::Other, true) => Kind::OtherLower,
        Class::Letter(Script::Other, false) => Kind::OtherUpper,
        Class::Uncased(1) => Kind::Uncased1,
        Class::Uncased(2) => Kind::Uncased2,
        Class::Uncased(_) => Kind::UncasedOther,
    }
}

/// The script of a letter kind, for the rule on letters of different scripts glued
/// together; `None` for the other kinds.
fn script_of(kind: Kind) -> Option<Script> {
    use Kind::*;
    Some(match kind {
        LatinLower | LatinUpper | LatinNamed => Script::Latin,
        CyrillicLower | CyrillicUpper | CyrillicNamed | CyrillicRare => Script::Cyrillic,
        GreekLower | GreekUpper | GreekNamed | GreekTonos => Script::Greek,
        ArmenianLower | ArmenianUpper => Script::Armenian,
        OtherLower | OtherUpper => Script::Other,
        _ => return None,
    })
}

fn bits(kinds: &[Kind]) -> u32 {
    kinds.iter().fold(0, |set, &k| set | 1 << k as u32)
}

/// The verdict on `b` right after `a`, read off [`pair_is_weird`]'s rules: [`MAYBE`], or
/// the set of kinds of the next character that can make the pair weird (0: never weird).
/// Named characters and rare kinds answer "maybe" wherever some rule could care.
fn verdict(a: Kind, b: Kind) -> u32 {
    use Kind::*;
    // Letters with case (non-ASCII), lower or not; `LatinNamed` and `CyrillicRare` hold
    // both cases.
    let lower = [
        LatinLower,
        LatinNamed,
        CyrillicLower,
        CyrillicRare,
        GreekLower,
        ArmenianLower,
        OtherLower,
    ];
    let upper = [
        LatinUpper,
        LatinNamed,
        CyrillicUpper,
        CyrillicNamed,
        CyrillicRare,
        GreekUpper,
        GreekNamed,
        GreekTonos,
        ArmenianUpper,
        OtherUpper,
    ];
    let is_letter = script_of(a).is_some();
    let latin_b = matches!(b, LatinLower | LatinUpper | LatinNamed);
    if b == Bad {
        return MAYBE;
    }
    match a {
        // No rule has a digit or `Class::Other` first, nor an apostrophe.
        Neutral | Digit | Apostrophe => 0,
        AsciiLower | AsciiUpper => match b {
            Math | LatinNamed => MAYBE,
            LatinUpper if a == AsciiLower => MAYBE,
            // An upper-case accented letter inside a word of capitals (`MģÄM`).
            LatinLower if a == AsciiUpper => bits(&upper) | bits(&[AsciiUpper]),
            _ => 0,
        },
        Closing | Symbol if latin_b => MAYBE,
        Closing | Opening | Symbol => 0,
        Times | Math => match b {
            LatinLower | LatinUpper | LatinNamed | Symbol | Times | Closing | Opening
            | Apostrophe | Math => MAYBE,
            _ => 0,
        },
        Box => match b {
            AsciiLower | AsciiUpper | Digit | Uncased1 | Uncased2 | UncasedOther => 0,
            _ => MAYBE,
        },
        Bad => MAYBE,
        Uncased1 | Uncased2 | UncasedOther => match b {
            _ if script_of(b).is_some() => MAYBE,
            Uncased1 | Uncased2 | UncasedOther if b != a || a == UncasedOther => MAYBE,
            _ => 0,
        },
        // Every rule naming a Latin letter first (`Ã©`, `Ð’`, `Ăľ`, `œ.`) looks at what
        // follows; capitals before ASCII letters and digits are fine (`SÃO`).
        LatinNamed => match b {
            AsciiLower | AsciiUpper | Digit => 0,
            _ => MAYBE,
        },
        _ if is_letter => {
            let lower_a = lower.contains(&a);
            let upper_a = upper.contains(&a);
            match b {
                Neutral | Digit | AsciiLower | AsciiUpper => 0,
                // `Ð’`, `Р’`.
                Apostrophe => {
                    if a == CyrillicNamed {
                        MAYBE
                    } else {
                        0
                    }
                }
                // `Г©`; otherwise a letter, a closing mark and more of the word.
                Closing | Opening if a == CyrillicNamed => MAYBE,
                Closing | Opening => {
                    let mut next = bits(&lower) | bits(&upper);
                    next |= bits(&[
                        AsciiLower,
                        AsciiUpper,
                        Digit,
                        Uncased1,
                        Uncased2,
                        UncasedOther,
                        Symbol,
                        Times,
                        Math,
                        Closing,
                        Opening,
                    ]);
                    next
                }
                Symbol | Times | Math | Box | Bad => MAYBE,
                Uncased1 | Uncased2 | UncasedOther => MAYBE,
                LatinNamed | CyrillicRare | GreekTonos => MAYBE,
                // `cafÃ`, `вЂ`: a Latin capital after a lower-case letter.
                LatinUpper if lower_a => MAYBE,
                _ => {
                    let (x, y) = (script_of(a), script_of(b));
                    let greek_latin = matches!(
                        (x, y),
                        (Some(Script::Latin), Some(Script::Greek))
                            | (Some(Script::Greek), Some(Script::Latin))
                    );
                    if x != y && !greek_latin {
                        return MAYBE;
                    }
                    let mut next = 0;
                    // Two accented capitals before a lower-case letter (`BĂĽrger`).
                    if a == LatinUpper && b == LatinUpper {
                        next |= bits(&lower) | bits(&[AsciiLower]);
                    }
                    // A lower-case accented letter between capitals.
                    if upper_a && b == LatinLower {
                        next |= bits(&upper) | bits(&[AsciiUpper]);
                    }
                    next
                }
            }
        }
        _ => MAYBE,
    }
}

/// The kind of every character below [`TABLE_END`] and the verdict of every pair of kinds.
fn tables() -> &'static (Vec<u8>, [[u32; KINDS]; KINDS]) {
    static TABLES: std::sync::OnceLock<(Vec<u8>, [[u32; KINDS]; KINDS])> =
        std::sync::OnceLock::new();
    TABLES.get_or_init(|| {
        let kinds = (0..TABLE_END)
            .map(|code| char::from_u32(code).map_or(Kind::Neutral, kind) as u8)
            .collect();
        let all = all_kinds();
        let mut verdicts = [[0u32; KINDS]; KINDS];
        for a in all {
            for b in all {
                verdicts[a as usize][b as usize] = verdict(a, b);
            }
        }
        (kinds, verdicts)
    })
}

/// Code points below this have their kind in a table (Latin to Armenian, Hebrew, Arabic,
/// punctuation, symbols, box drawing, kana).
const TABLE_END: u32 = 0x3100;

fn all_kinds() -> [Kind; KINDS] {
    use Kind::*;
    [
        Neutral,
        Digit,
        AsciiLower,
        AsciiUpper,
        LatinLower,
        LatinUpper,
        LatinNamed,
        CyrillicLower,
        CyrillicUpper,
        CyrillicNamed,
        CyrillicRare,
        GreekLower,
        GreekUpper,
        GreekNamed,
        GreekTonos,
        ArmenianLower,
        ArmenianUpper,
        OtherLower,
        OtherUpper,
        Uncased1,
        Uncased2,
        UncasedOther,
        Apostrophe,
        Closing,
        Opening,
        Symbol,
        Times,
        Math,
        Box,
        Bad,
    ]
}

#[cfg(test)]
mod tests {
    #[test]
    fn common_letters_are_classed_as_their_properties_say() {
        for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
            if let Some(fast) = common_letter(c) {
                assert_eq!(fast, any_class(c), "{c:?} U+{:04X}", u32::from(c));
            }
        }
    }

    use super::*;

    /// What lets [`weirdness`] skip ASCII pairs: whatever follows them.
    #[test]
    fn ascii_is_never_weird() {
        let after: Vec<char> = (0..0x800)
            .chain([0x2019, 0x201D, 0x2500, 0x221A, 0xFFFD])
            .filter_map(char::from_u32)
            .collect();
        for a in (0..0x80u8).map(char::from) {
            assert_ne!(class(a), Class::Bad);
            for b in (0..0x80u8).map(char::from) {
                for &next in &after {
                    assert!(!pair_is_weird(a, class(a), b, class(b), class(next), next));
                }
            }
        }
    }

    #[test]
    fn kinds_follow_classes() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(
                kind(c),
                kind_of(class(c), c),
                "{c:?} U+{:04X}",
                u32::from(c)
            );
        }
        let (kinds, _) = tables();
        for (code, &k) in kinds.iter().enumerate() {
            if let Some(c) = u32::try_from(code).ok().and_then(char::from_u32) {
                assert_eq!(k, kind(c) as u8, "{c:?}");
            }
        }
        for (i, k) in all_kinds().into_iter().enumerate() {
            assert_eq!(k as usize, i);
        }
    }

    /// The characters the pair rules are checked on: ASCII, the code pages' upper halves,
    /// the blocks of Latin to Armenian, punctuation, symbols, box drawing and kana, and two
    /// characters of every class found in Unicode (each script of uncased letters).
    fn sample_chars() -> Vec<char> {
        use super::super::codec::Codec;
        let mut chars: Vec<char> = (0x20..0x7F)
            .chain(0x80..0x600)
            .chain(0x2000..0x2600)
            .chain(0x3000..0x3100)
            .filter_map(char::from_u32)
            .collect();
        for codec in Codec::ALL {
            chars.extend((0x80..=0xFFu8).map(|b| codec.table().decode(b)));
        }
        let mut seen: Vec<(Class, usize)> = Vec::new();
        for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
            let class = class(c);
            match seen.iter_mut().find(|(k, _)| *k == class) {
                Some((_, n)) if *n >= 2 => {}
                Some((_, n)) => {
                    *n += 1;
                    chars.push(c);
                }
                None => {
                    seen.push((class, 1));
                    chars.push(c);
                }
            }
        }
        chars.sort_unstable();
        chars.dedup();
        chars
    }

    #[test]
    fn verdicts_cover_every_weird_pair() {
        let chars = sample_chars();
        let classes: Vec<Class> = chars.iter().map(|&c| class(c)).collect();
        let kinds: Vec<Kind> = chars.iter().map(|&c| kind(c)).collect();
        // One following character of each kind, and the closing quotes the rules name.
        let mut nexts: Vec<char> = Vec::new();
        for k in all_kinds() {
            nexts.extend(
                chars
                    .iter()
                    .zip(&kinds)
                    .filter(|(_, &j)| j == k)
                    .map(|(&c, _)| c)
                    .take(3),
            );
        }
        nexts.extend(['”', '’', '»', '›', '…', ' ']);
        let nexts: Vec<(char, Class, Kind)> =
            nexts.into_iter().map(|c| (c, class(c), kind(c))).collect();
        let mut checked = 0usize;
        for (i, &a) in chars.iter().enumerate() {
            for (j, &b) in chars.iter().enumerate() {
                let verdict = verdict(kinds[i], kinds[j]);
                if verdict & MAYBE != 0 {
                    continue;
                }
                for &(n, class_n, kind_n) in &nexts {
                    if verdict & (1 << kind_n as u32) == 0 {
                        checked += 1;
                        assert!(
                            !pair_is_weird(a, classes[i], b, classes[j], class_n, n),
                            "{a:?} {b:?} {n:?}: {:?} {:?} {:?}",
                            kinds[i],
                            kinds[j],
                            kind_n
                        );
                    }
                }
            }
        }
        assert!(checked > 1_000_000, "{checked}");
    }

    #[test]
    fn correct_lines_are_passed_over() {
        for text in [
            "L’été à Paris, „groß“, Москва — столица, Καλημέρα, 東京は日本の首都です。😀",
            "Müller façade naïve Ærø, İstanbul’da şöyle, «Ça va?»",
            "Привет, мир. ВІКІ. Ελλάδα, ΑΘΗΝΑ. 서울은 한국의 수도입니다.",
            "© 2020 · 5 °C ± 2 — “quoted” and ‘single’ … done",
        ] {
            assert!(!may_be_weird(text), "{text}");
            assert_eq!(of(text), 0);
        }
    }

    /// What lets `may_be_weird` pass over runs of ASCII.
    #[test]
    fn ascii_pairs_are_fine() {
        let (kinds, verdicts) = tables();
        for a in 0..0x80 {
            for b in 0..0x80 {
                assert_eq!(verdicts[usize::from(kinds[a])][usize::from(kinds[b])], 0);
            }
        }
    }

    /// `may_be_weird` never passes over a line with weirdness: the characters of the pair
    /// checks, two and three at a time, and random strings of them.
    #[test]
    fn lines_with_weirdness_are_never_passed_over() {
        let chars = sample_chars();
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut random = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            usize::try_from(state % u64::try_from(n).unwrap()).unwrap()
        };
        let mut text = String::new();
        for _ in 0..300_000 {
            text.clear();
            let len = 1 + random(8);
            for _ in 0..len {
                // Mostly the characters mojibake is made of, and runs of ASCII (which
                // `may_be_weird` passes over a block at a time).
                match random(4) {
                    0 => text.push(char::from(b"aZ e1.'"[random(7)])),
                    1 => {
                        for _ in 0..random(20) {
                            text.push(char::from(b"aZ e1.'"[random(7)]));
                        }
                    }
                    _ => text.push(chars[random(chars.len())]),
                }
            }
            let weird = weirdness(&text.chars().collect::<Vec<_>>());
            assert!(weird == 0 || may_be_weird(&text), "{text:?}");
        }
    }

    fn of(text: &str) -> usize {
        weirdness(&text.chars().collect::<Vec<_>>())
    }

    #[test]
    fn mojibake_is_weird() {
        for text in [
            "cafÃ©",
            "donâ€™t",
            "ÐŸÑ€Ð¸Ð²ÐµÑ‚",
            "РґРѕСЂРѕРіРµ",
            "g√¢teaux",
            "─îe┼ítina",
            "Educaci├│n",
            "B├╝rger",
            "×‘×”×•×“×¢×”",
            "HÃ”TEL",
            "it\u{92}s",
        ] {
            assert!(of(text) > 0, "{text}");
            assert!(may_be_weird(text), "{text}");
        }
    }

    #[test]
    fn correct_text_is_not() {
        for text in [
            "café",
            "NESTLÉ® requiere",
            "RETWEET SE VOCÊ…",
            "Join ZZAJÉ’s list",
            "L’épisode 8",
            "4288×…",
            "Offering 5×£35",
            "(-1/2)! = √π",
            "├┤a┼┐a┼┐a",
            "┌──┬──┐ │ ╔═╗ ╚═╝ └──┴──┘",
            "a radius of 10 Å—",
            "ВІКІ is Ukrainian",
            "Привет, мир",
            "Καλημέρα",
            "2012—∞",
            "∆°",
            "SELKÄ\u{a0}EDELLÄ\u{a0}MAAHAN",
        ] {
            assert_eq!(of(text), 0, "{text}");
        }
    }
}
