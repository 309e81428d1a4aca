//! Language identification: which language a text is written in, and how sure that is.
//!
//! Used to pick sentence rules when a document does not say its language, and by
//! `clean --detect-lang` to label records the way corpus builders filter them (datatrove's
//! and dolma's language filters keep documents whose language score clears a threshold).
//! It is a thin layer over `whatlang` (trigram profiles of 69 languages plus script
//! detection, no model files); `bench/langid.md` records why it was chosen over `lingua`.
//! Only the first [`SAMPLE_BYTES`] of a text are read, so the cost per document is bounded
//! whatever its length.
//!
//! This module knows nothing of sentences; [`Language::detect`] ties the two together.

use super::Language;

/// How much of a text is looked at, in bytes (cut back to a char boundary). A sentence or
/// two identify the language (and surely the script) well enough to pick sentence rules,
/// at a fixed cost: with 2 KiB, detection took 85% of `split`'s time (bench/split.py).
pub const SAMPLE_BYTES: usize = 256;

/// Below this confidence a detection does not choose sentence rules; the caller's default
/// does. whatlang's confidence is the relative margin between the two best trigram scores.
pub const RELIABLE_CONFIDENCE: f64 = 0.5;

/// A language identified in a text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Detection {
    /// ISO 639-1 code (`en`, `zh`, `fa`), or ISO 639-3 for the few languages that have no
    /// two-letter code.
    pub code: &'static str,
    /// From 0 (a guess) to 1 (certain).
    pub confidence: f64,
}

impl Detection {
    /// The embedded sentence rules for the detected language, if there are any.
    #[must_use]
    pub fn language(&self) -> Option<Language> {
        Language::from_code(self.code).ok()
    }

    /// Whether the detection is confident enough to choose sentence rules by.
    #[must_use]
    pub fn is_reliable(&self) -> bool {
        self.confidence >= RELIABLE_CONFIDENCE
    }
}

/// Identifies the language of `text` from its first [`SAMPLE_BYTES`]; `None` when there
/// is nothing to go on (no letters).
#[must_use]
pub fn detect(text: &str) -> Option<Detection> {
    let mut end = text.len().min(SAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let info = whatlang::detect(&text[..end])?;
    Some(Detection {
        code: iso_639_1(info.lang()),
        confidence: info.confidence(),
    })
}

impl Language {
    /// The embedded language `text` is written in, when detection is reliable and there
    /// are rules for what it found.
    #[must_use]
    pub fn detect(text: &str) -> Option<Language> {
        detect(text)
            .filter(Detection::is_reliable)
            .and_then(|detection| detection.language())
    }
}

/// whatlang names languages by ISO 639-3; records and `--lang` use ISO 639-1 where it exists.
fn iso_639_1(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match lang {
        Epo => "eo",
        Eng => "en",
        Rus => "ru",
        Cmn => "zh",
        Spa => "es",
        Por => "pt",
        Ita => "it",
        Ben => "bn",
        Fra => "fr",
        Deu => "de",
        Ukr => "uk",
        Kat => "ka",
        Ara => "ar",
        Hin => "hi",
        Jpn => "ja",
        Heb => "he",
        Yid => "yi",
        Pol => "pl",
        Amh => "am",
        Jav => "jv",
        Kor => "ko",
        Nob => "nb",
        Dan => "da",
        Swe => "sv",
        Fin => "fi",
        Tur => "tr",
        Nld => "nl",
        Hun => "hu",
        Ces => "cs",
        Ell => "el",
        Bul => "bg",
        Bel => "be",
        Mar => "mr",
        Kan => "kn",
        Ron => "ro",
        Slv => "sl",
        Hrv => "hr",
        Srp => "sr",
        Mkd => "mk",
        Lit => "lt",
        Lav => "lv",
        Est => "et",
        Tam => "ta",
        Vie => "vi",
        Urd => "ur",
        Tha => "th",
        Guj => "gu",
        Uzb => "uz",
        Pan => "pa",
        Aze => "az",
        Ind => "id",
        Tel => "te",
        Pes => "fa",
        Mal => "ml",
        Ori => "or",
        Mya => "my",
        Nep => "ne",
        Sin => "si",
        Khm => "km",
        Tuk => "tk",
        Aka => "ak",
        Zul => "zu",
        Sna => "sn",
        Afr => "af",
        Lat => "la",
        Slk => "sk",
        Cat => "ca",
        Tgl => "tl",
        Hye => "hy",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifies_languages_and_their_rules() {
        let cases = [
            (
                "The committee will meet again next week to discuss the budget.",
                "en",
            ),
            (
                "Die Regierung hat am Dienstag ein neues Gesetz beschlossen.",
                "de",
            ),
            (
                "Правительство приняло новый закон во вторник вечером.",
                "ru",
            ),
            ("我们明天一起去看电影好吗？我已经买好票了。", "zh"),
            ("Ապրիլի 24-ին սկսեց անձրևել, և մենք մնացինք տանը:", "hy"),
        ];
        for (text, code) in cases {
            let detection = detect(text);
            assert_eq!(detection.map(|d| d.code), Some(code), "{text}");
            assert_eq!(
                Language::detect(text).map(Language::code),
                Some(code),
                "{text}"
            );
        }
    }

    #[test]
    fn nothing_to_go_on_is_none() {
        assert_eq!(detect(""), None);
        assert_eq!(detect("12345 !!! ..."), None);
    }

    #[test]
    fn long_texts_are_sampled_on_a_char_boundary() {
        let text = "é".repeat(SAMPLE_BYTES);
        let _ = detect(&format!("a{text}"));
    }

    #[test]
    fn confidence_is_a_share() {
        let detection = detect("Das ist ein ganz normaler deutscher Satz über das Wetter.");
        assert!(detection.is_some_and(|d| (0.0..=1.0).contains(&d.confidence)));
    }
}
