//! Language identification: which language a text is written in, and how sure that is.
//!
//! Used to pick sentence rules when a document does not say its language, and by
//! `clean --detect-lang` to label records the way corpus builders filter them (datatrove's
//! and dolma's language filters keep documents whose language score clears a threshold).
//! It gives `whatlang`'s answers (trigram profiles of 69 languages plus script detection,
//! no model files; `bench/langid.md` records why it was chosen over `lingua`), but scores
//! the scripts several languages share through an inverted index ([`scores`]): equal to
//! whatlang bit for bit, and 5 to 9 times as fast (`cargo bench --bench segmenter -- detect`).
//! Only the first [`SAMPLE_BYTES`] of a text are read, so the cost per document is bounded
//! whatever its length.
//!
//! This module knows nothing of sentences; [`Language::detect`] ties the two together.

use std::sync::OnceLock;

use whatlang::Script;

use super::Language;

mod profiles;
mod scores;

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
    detect_sample(text, SAMPLE_BYTES)
}

/// Identifies the language of `text` from its first `bytes`.
#[must_use]
pub fn detect_sample(text: &str, bytes: usize) -> Option<Detection> {
    let mut end = text.len().min(bytes);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
    let (lang, confidence) = match index(whatlang::detect_script(sample)?) {
        Some(index) => index.detect(sample)?,
        None => whatlang::detect(sample).map(|info| (info.lang(), info.confidence()))?,
    };
    Some(Detection {
        code: iso_639_1(lang),
        confidence,
    })
}

/// The scoring index of a script several languages share, built on first use; `None` for
/// the scripts whatlang reads as one language (or Chinese against Japanese), which it
/// answers at once.
fn index(script: Script) -> Option<&'static scores::Index> {
    static INDEXES: [OnceLock<scores::Index>; 5] = [const { OnceLock::new() }; 5];
    let (slot, data) = match script {
        Script::Latin => (0, &profiles::LATIN),
        Script::Cyrillic => (1, &profiles::CYRILLIC),
        Script::Arabic => (2, &profiles::ARABIC),
        Script::Devanagari => (3, &profiles::DEVANAGARI),
        Script::Hebrew => (4, &profiles::HEBREW),
        _ => return None,
    };
    Some(INDEXES[slot].get_or_init(|| scores::Index::new(data)))
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

    /// What whatlang itself answers for `sample` (at most [`SAMPLE_BYTES`]).
    fn whatlang_answer(sample: &str) -> Option<(&'static str, u64)> {
        whatlang::detect(sample).map(|info| (iso_639_1(info.lang()), info.confidence().to_bits()))
    }

    fn assert_agrees(sample: &str, what: &str) {
        let ours = detect(sample).map(|d| (d.code, d.confidence.to_bits()));
        assert_eq!(ours, whatlang_answer(sample), "{what}: {sample:?}");
    }

    /// Texts from every fixture file: real pages in many languages, the Golden Rules of 23
    /// languages, ftfy's mojibake, names.
    fn fixture_texts() -> Vec<(String, String)> {
        fn walk(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
            let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
            entries.sort_by_key(std::fs::DirEntry::path);
            for entry in entries {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else if let Ok(text) = std::fs::read_to_string(&path) {
                    out.push((path.display().to_string(), text));
                }
            }
        }
        let mut out = Vec::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
            &mut out,
        );
        out
    }

    fn windows(text: &str, step: usize) -> impl Iterator<Item = &str> {
        (0..text.len()).step_by(step).filter_map(move |start| {
            let mut end = (start + SAMPLE_BYTES).min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text.is_char_boundary(start).then(|| &text[start..end])
        })
    }

    #[test]
    fn answers_as_whatlang_does_on_every_fixture() {
        let mut compared = 0;
        let mut scripts = std::collections::HashSet::new();
        for (path, text) in fixture_texts() {
            for line in text.lines().filter(|line| !line.trim().is_empty()) {
                let sample = windows(line, usize::MAX).next().unwrap_or_default();
                assert_agrees(sample, &path);
                compared += 1;
            }
            for sample in windows(&text, 211) {
                assert_agrees(sample, &path);
                scripts.extend(whatlang::detect_script(sample));
                compared += 1;
            }
        }
        assert!(compared > 20_000, "only {compared} samples");
        for script in [
            Script::Latin,
            Script::Cyrillic,
            Script::Arabic,
            Script::Devanagari,
        ] {
            assert!(
                scripts.contains(&script),
                "no {script:?} text in the fixtures"
            );
        }
    }

    #[test]
    fn answers_as_whatlang_does_on_edge_cases() {
        let cases = [
            "a",
            "é",
            "ß",
            "ы",
            "א",
            "ب",
            "क",
            "I",
            "ǅ",
            "İstanbul",
            "a-b-c",
            "x 1 y 2 z",
            "Привет, world",
            "hello мир and more words here",
            "Ab Cd Ef Gh",
            "ə̇ ə̇ ə̇",
            "l·l",
            "ĳs",
            "ʻo",
            "Δ and a",
            "مرحبا hello",
            "שלום עולם",
            "नमस्ते दुनिया",
            // Hebrew and Yiddish: the fixtures have neither.
            "האקדמיה ללשון העברית היא המוסד העליון למדע הלשון העברית",
            "ייִדיש איז א שפּראַך וואָס ווערט גערעדט פֿון ייִדן איבער דער וועלט",
            "aaa aaa aaa aaa",
            "THE THE THE",
            "a\u{301}b",
            "Mit dem Wissen wächst der Zweifel",
            "Та нічого, все нормально. А в тебе як?",
        ];
        for case in cases {
            assert_agrees(case, "edge case");
        }
        // Long runs reach the 600-trigram cut and distances beyond 300.
        let long: String = (0..400)
            .map(|i| {
                format!(
                    "w{}{} ",
                    char::from(b'a' + (i % 26) as u8),
                    char::from(b'a' + (i / 26 % 26) as u8)
                )
            })
            .collect();
        for sample in windows(&long, 7) {
            assert_agrees(sample, "long");
        }
    }

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
