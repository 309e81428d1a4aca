//! The single-byte code pages that UTF-8 text is commonly mis-decoded through, as tables
//! of the characters bytes 0x80–0xFF decode to and back.
//!
//! The tables come from `encoding_rs` (the WHATWG decoders), built once on first use; only
//! cp437, which the WHATWG standard does not define, is written out here. Bytes a code page
//! leaves undefined decode "sloppily" to the Latin-1 character of the same value, as lenient
//! decoders (and browsers, for Windows-1252) do, so text that went through such a decoder
//! encodes back to the bytes it came from. This module knows nothing about UTF-8 or about
//! what looks broken; that is [`super::mojibake`]'s business.

use std::sync::OnceLock;

use encoding_rs::Encoding;

/// A code page UTF-8 is mis-read through, in the order whole lines are tried: the common
/// confusions first, so an ambiguous line takes the likelier reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Codec {
    Latin1,
    Windows1252,
    Windows1251,
    Windows1250,
    Windows1253,
    Windows1254,
    Windows1257,
    Iso8859_2,
    MacRoman,
    Cp437,
}

impl Codec {
    pub(super) const ALL: [Codec; 10] = [
        Codec::Latin1,
        Codec::Windows1252,
        Codec::Windows1251,
        Codec::Windows1250,
        Codec::Windows1253,
        Codec::Windows1254,
        Codec::Windows1257,
        Codec::Iso8859_2,
        Codec::MacRoman,
        Codec::Cp437,
    ];

    fn encoding(self) -> Option<&'static Encoding> {
        match self {
            Codec::Latin1 | Codec::Cp437 => None,
            Codec::Windows1252 => Some(encoding_rs::WINDOWS_1252),
            Codec::Windows1251 => Some(encoding_rs::WINDOWS_1251),
            Codec::Windows1250 => Some(encoding_rs::WINDOWS_1250),
            Codec::Windows1253 => Some(encoding_rs::WINDOWS_1253),
            Codec::Windows1254 => Some(encoding_rs::WINDOWS_1254),
            Codec::Windows1257 => Some(encoding_rs::WINDOWS_1257),
            Codec::Iso8859_2 => Some(encoding_rs::ISO_8859_2),
            Codec::MacRoman => Some(encoding_rs::MACINTOSH),
        }
    }

    /// Whether a decoder for this code page is commonly lenient, so a U+FFFD in its output
    /// stands for a byte it could not map (the Windows pages, as web and database stacks
    /// decode them).
    pub(super) fn marks_lost_bytes(self) -> bool {
        matches!(
            self,
            Codec::Windows1252
                | Codec::Windows1251
                | Codec::Windows1250
                | Codec::Windows1253
                | Codec::Windows1254
                | Codec::Windows1257
        )
    }

    fn index(self) -> usize {
        self as usize
    }

    pub(super) fn bit(self) -> u16 {
        1 << self.index()
    }

    /// The table of this code page.
    pub(super) fn table(self) -> &'static Table {
        &tables()[self.index()]
    }
}

/// Bytes 0x80–0xFF of one code page and the way back.
#[derive(Debug)]
pub(super) struct Table {
    high: [char; 128],
    /// `(character, byte)` for the high half, sorted by character.
    back: Vec<(char, u8)>,
}

impl Table {
    /// The character byte `byte` decodes to.
    pub(super) fn decode(&self, byte: u8) -> char {
        match byte.checked_sub(0x80) {
            Some(i) => self.high[usize::from(i)],
            None => char::from(byte),
        }
    }

    /// The byte `c` encodes to, if the code page has it.
    pub(super) fn encode(&self, c: char) -> Option<u8> {
        if c.is_ascii() {
            return u8::try_from(c).ok();
        }
        self.back
            .binary_search_by_key(&c, |&(k, _)| k)
            .ok()
            .map(|i| self.back[i].1)
    }
}

/// cp437 (the IBM PC code page, still the default of many consoles) bytes 0x80–0xFF, from
/// Unicode's `VENDORS/MICSFT/PC/CP437.TXT` (Python's `cp437` codec gives the same).
const CP437_HIGH: [char; 128] = [
    '\u{00C7}', '\u{00FC}', '\u{00E9}', '\u{00E2}', '\u{00E4}', '\u{00E0}', '\u{00E5}', '\u{00E7}',
    '\u{00EA}', '\u{00EB}', '\u{00E8}', '\u{00EF}', '\u{00EE}', '\u{00EC}', '\u{00C4}', '\u{00C5}',
    '\u{00C9}', '\u{00E6}', '\u{00C6}', '\u{00F4}', '\u{00F6}', '\u{00F2}', '\u{00FB}', '\u{00F9}',
    '\u{00FF}', '\u{00D6}', '\u{00DC}', '\u{00A2}', '\u{00A3}', '\u{00A5}', '\u{20A7}', '\u{0192}',
    '\u{00E1}', '\u{00ED}', '\u{00F3}', '\u{00FA}', '\u{00F1}', '\u{00D1}', '\u{00AA}', '\u{00BA}',
    '\u{00BF}', '\u{2310}', '\u{00AC}', '\u{00BD}', '\u{00BC}', '\u{00A1}', '\u{00AB}', '\u{00BB}',
    '\u{2591}', '\u{2592}', '\u{2593}', '\u{2502}', '\u{2524}', '\u{2561}', '\u{2562}', '\u{2556}',
    '\u{2555}', '\u{2563}', '\u{2551}', '\u{2557}', '\u{255D}', '\u{255C}', '\u{255B}', '\u{2510}',
    '\u{2514}', '\u{2534}', '\u{252C}', '\u{251C}', '\u{2500}', '\u{253C}', '\u{255E}', '\u{255F}',
    '\u{255A}', '\u{2554}', '\u{2569}', '\u{2566}', '\u{2560}', '\u{2550}', '\u{256C}', '\u{2567}',
    '\u{2568}', '\u{2564}', '\u{2565}', '\u{2559}', '\u{2558}', '\u{2552}', '\u{2553}', '\u{256B}',
    '\u{256A}', '\u{2518}', '\u{250C}', '\u{2588}', '\u{2584}', '\u{258C}', '\u{2590}', '\u{2580}',
    '\u{03B1}', '\u{00DF}', '\u{0393}', '\u{03C0}', '\u{03A3}', '\u{03C3}', '\u{00B5}', '\u{03C4}',
    '\u{03A6}', '\u{0398}', '\u{03A9}', '\u{03B4}', '\u{221E}', '\u{03C6}', '\u{03B5}', '\u{2229}',
    '\u{2261}', '\u{00B1}', '\u{2265}', '\u{2264}', '\u{2320}', '\u{2321}', '\u{00F7}', '\u{2248}',
    '\u{00B0}', '\u{2219}', '\u{00B7}', '\u{221A}', '\u{207F}', '\u{00B2}', '\u{25A0}', '\u{00A0}',
];

fn build(codec: Codec) -> Table {
    let mut high = ['\0'; 128];
    for (slot, byte) in high.iter_mut().zip(0x80..=0xFFu8) {
        let sloppy = char::from(byte);
        *slot = match codec {
            Codec::Latin1 => sloppy,
            Codec::Cp437 => CP437_HIGH[usize::from(byte - 0x80)],
            _ => {
                let encoding = codec.encoding().unwrap_or(encoding_rs::WINDOWS_1252);
                let single = [byte];
                let (decoded, had_errors) = encoding.decode_without_bom_handling(&single);
                match decoded.chars().next() {
                    Some(c) if !had_errors && c != '\u{FFFD}' => c,
                    _ => sloppy,
                }
            }
        };
    }
    let mut back: Vec<(char, u8)> = high.iter().copied().zip(0x80..=0xFFu8).collect();
    back.sort_unstable();
    Table { high, back }
}

fn tables() -> &'static [Table; 10] {
    static TABLES: OnceLock<[Table; 10]> = OnceLock::new();
    TABLES.get_or_init(|| Codec::ALL.map(build))
}

/// For each character, the code pages in which it decodes from a UTF-8 lead byte
/// (0xC2–0xF4) and those in which it decodes from a continuation byte (0x80–0xBF), as bit
/// sets: a cheap test of whether a line could hold mojibake at all.
#[derive(Debug)]
pub(super) struct Roles {
    /// Indexed by code point below [`DIRECT`].
    direct: Vec<(u16, u16)>,
    /// Characters at or above [`DIRECT`], sorted.
    rest: Vec<(char, u16, u16)>,
}

const DIRECT: u32 = 0x600;

impl Roles {
    /// `(lead, continuation)` code-page bit sets of `c`.
    pub(super) fn of(&self, c: char) -> (u16, u16) {
        let code = u32::from(c);
        if code < DIRECT {
            return self.direct[code as usize];
        }
        self.rest
            .binary_search_by_key(&c, |&(k, _, _)| k)
            .map_or((0, 0), |i| (self.rest[i].1, self.rest[i].2))
    }
}

pub(super) fn roles() -> &'static Roles {
    static ROLES: OnceLock<Roles> = OnceLock::new();
    ROLES.get_or_init(|| {
        let mut direct = vec![(0u16, 0u16); DIRECT as usize];
        let mut rest: Vec<(char, u16, u16)> = Vec::new();
        for codec in Codec::ALL {
            let table = codec.table();
            for byte in 0x80..=0xFFu8 {
                let c = table.decode(byte);
                let lead = (0xC2..=0xF4).contains(&byte);
                let continuation = byte <= 0xBF;
                let (l, k) = (
                    if lead { codec.bit() } else { 0 },
                    if continuation { codec.bit() } else { 0 },
                );
                let code = u32::from(c);
                if code < DIRECT {
                    let entry = &mut direct[code as usize];
                    entry.0 |= l;
                    entry.1 |= k;
                } else if let Some(entry) = rest.iter_mut().find(|e| e.0 == c) {
                    entry.1 |= l;
                    entry.2 |= k;
                } else {
                    rest.push((c, l, k));
                }
            }
        }
        rest.sort_unstable_by_key(|e| e.0);
        Roles { direct, rest }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_round_trip() {
        for codec in Codec::ALL {
            let table = codec.table();
            for byte in 0x80..=0xFFu8 {
                assert_eq!(table.encode(table.decode(byte)), Some(byte), "{codec:?}");
            }
        }
    }

    #[test]
    fn known_characters() {
        assert_eq!(Codec::Windows1252.table().decode(0x80), '€');
        assert_eq!(Codec::Windows1252.table().decode(0x81), '\u{81}');
        assert_eq!(Codec::Latin1.table().decode(0x80), '\u{80}');
        assert_eq!(Codec::Windows1251.table().decode(0xD0), 'Р');
        assert_eq!(Codec::MacRoman.table().decode(0xC3), '√');
        assert_eq!(Codec::Cp437.table().decode(0xC3), '├');
        assert_eq!(Codec::Iso8859_2.table().decode(0xA1), 'Ą');
        assert_eq!(Codec::Windows1253.table().decode(0xCE), 'Ξ');
        assert_eq!(Codec::Windows1252.table().encode('’'), Some(0x92));
        assert_eq!(Codec::Windows1252.table().encode('Ж'), None);
    }
}
