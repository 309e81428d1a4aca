//! Language identification with a fastText classification model a corpus builder brings
//! (fastText's `lid.176.bin`/`.ftz`, GlotLID's `model_v3.bin`), read as datatrove 0.10.1's
//! `LanguageFilter` reads it: the text with every line break made a space, every label and
//! its score, the best one the document's language. A GlotLID label (`deu_Latn`) is its
//! language and its script (`language: "deu"`, `language_script: "Latn"`), so a corpus
//! labelled here splits as FineWeb-2 split its own.
//!
//! Inference is the `fasttext` crate, patched to predict as the C++ library does
//! (`vendor/fasttext/TEXTSCRUB.md`); `tests/parity/lid_parity.py` compares labels and scores
//! with the fastText Python package's.

use std::path::Path;

use serde_json::{Map, Value};

use crate::Error;

/// A loaded model, shared by every worker.
#[derive(Debug)]
pub struct LidModel {
    model: fasttext::FastText,
    labels: usize,
}

impl LidModel {
    /// Loads a `.bin` or quantized `.ftz` fastText classification model.
    pub fn load(path: &Path) -> Result<Self, Error> {
        let file = |message: String| Error::Model {
            path: path.display().to_string(),
            message,
        };
        let model = fasttext::FastText::load_model(path)
            .map_err(|e| file(format!("not a fastText model: {e}")))?;
        let labels = usize::try_from(model.dict().nlabels()).unwrap_or(0);
        if labels == 0 {
            return Err(file(
                "a fastText model without labels (not a classifier)".into(),
            ));
        }
        Ok(Self { model, labels })
    }

    /// Every label the model gives `text` (without `__label__`) with its score, best first,
    /// as `model.predict(text.replace("\n", " "), k=-1)` gives them.
    #[must_use]
    pub fn predict(&self, text: &str) -> Vec<(String, f32)> {
        let text = text.replace('\n', " ");
        self.model
            .predict(&text, self.labels, 0.0)
            .into_iter()
            .map(|p| {
                let label = p.label.strip_prefix("__label__").unwrap_or(&p.label);
                (label.to_string(), p.prob)
            })
            .collect()
    }

    /// The fields datatrove's `LanguageFilter` writes: `language` (and `language_script`
    /// for a `{iso3}_{Script}` label), `language_score`, and with `keep_top`,
    /// `top_language_{label}_score` for each label scoring above it.
    #[must_use]
    pub fn fields(&self, text: &str, keep_top: Option<f64>) -> Map<String, Value> {
        let predictions = self.predict(text);
        let mut fields = Map::new();
        // `max(lang_pairs.items(), key=...)`: the first of the best.
        let best = predictions
            .iter()
            .fold(None::<&(String, f32)>, |best, p| match best {
                Some(b) if b.1 >= p.1 => Some(b),
                _ => Some(p),
            });
        if let Some((label, score)) = best {
            match split_script(label) {
                Some((language, script)) => {
                    fields.insert("language".into(), language.into());
                    fields.insert("language_script".into(), script.into());
                }
                None => {
                    fields.insert("language".into(), label.as_str().into());
                }
            }
            fields.insert("language_score".into(), f64::from(*score).into());
        }
        if let Some(threshold) = keep_top {
            for (label, score) in &predictions {
                if f64::from(*score) > threshold {
                    fields.insert(
                        format!("top_language_{label}_score"),
                        f64::from(*score).into(),
                    );
                }
            }
        }
        fields
    }
}

/// `deu_Latn` → (`deu`, `Latn`): an ISO 639-3 code and an ISO 15924 script.
fn split_script(label: &str) -> Option<(&str, &str)> {
    let (language, script) = label.split_once('_')?;
    let is_script = script.len() == 4
        && script.starts_with(|c: char| c.is_ascii_uppercase())
        && script[1..].bytes().all(|b| b.is_ascii_lowercase());
    (is_script && !language.contains('_')).then_some((language, script))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_glotlid_label_is_a_language_and_a_script() {
        assert_eq!(split_script("deu_Latn"), Some(("deu", "Latn")));
        assert_eq!(split_script("en"), None);
        assert_eq!(split_script("zh_classical"), None);
    }

    #[test]
    fn a_file_that_is_no_model_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lid.bin");
        std::fs::write(&path, b"not a model").unwrap();
        let error = LidModel::load(&path).unwrap_err().to_string();
        assert!(error.contains("lid.bin"), "{error}");
    }
}
