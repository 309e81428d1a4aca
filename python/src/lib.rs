//! Python bindings: a thin mapping of textscrub's library onto Python types.
//!
//! `Pipeline` compiles the rules once (from the same settings layers the command line
//! uses) and cleans one text or a batch (on rayon, without the GIL). It pickles as its
//! rule files' contents, so Spark, Ray or datatrove can ship it to workers that do not
//! have the files.

use std::path::PathBuf;
use textscrub::quality::Recipe;

use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use textscrub::sentence::Segmenter;
use textscrub::{diff, Config, Layer, Settings};

/// Library errors as Python exceptions, with the command line's messages.
fn py_error(error: textscrub::Error) -> PyErr {
    match error {
        textscrub::Error::Io { .. } | textscrub::Error::Output { .. } => {
            PyOSError::new_err(error.to_string())
        }
        other => PyValueError::new_err(other.to_string()),
    }
}

/// Everything a pipeline is rebuilt from: its pickled form.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct State {
    /// Rule files as `(path, contents)`, defaults included.
    sources: Vec<(PathBuf, String)>,
    /// The config file as `(path, contents)`, when one was given.
    config: Option<(PathBuf, String)>,
    select: Option<Vec<String>>,
    ignore: Option<Vec<String>>,
    extend_select: Option<Vec<String>>,
    quality: bool,
    /// `fineweb`, `fineweb-2`, or none: each document by its language's rules.
    #[serde(default)]
    recipe: Option<String>,
    /// A fastText language-identification model (read again where the pipeline is
    /// unpickled: the path must exist there).
    #[serde(default)]
    lid_model: Option<PathBuf>,
    sentences: bool,
    lang: Option<String>,
    guard_share: Option<f64>,
}

impl State {
    fn settings(&self) -> Result<Settings, textscrub::Error> {
        let config = match &self.config {
            Some((path, text)) => Config::parse(path, text.clone())?,
            None => Config::default(),
        };
        Ok(Settings::from_config(
            config,
            Layer {
                select: self.select.clone(),
                ignore: self.ignore.clone(),
                extend_select: self.extend_select.clone(),
                lang: self.lang.clone(),
                guard_share: self.guard_share,
                ..Layer::default()
            },
        ))
    }

    fn compile(&self) -> Result<textscrub::Pipeline, textscrub::Error> {
        let settings = self.settings()?;
        let rules = settings.load_sources(&self.sources)?;
        let recipe = match self.recipe.as_deref() {
            None => Recipe::ByLanguage,
            Some(name) => Recipe::from_name(name).ok_or_else(|| textscrub::Error::Selection {
                message: format!("no recipe `{name}`: expected `fineweb` or `fineweb-2`"),
            })?,
        };
        let lid = match &self.lid_model {
            Some(path) => Some(std::sync::Arc::new(textscrub::langid::LidModel::load(
                path,
            )?)),
            None => None,
        };
        Ok(textscrub::Pipeline::new(
            rules,
            textscrub::Options {
                recipe,
                lid,
                ..settings.options(self.quality, self.sentences)?
            },
        ))
    }
}

/// A compiled set of rules. Build it once and reuse it: compiling costs milliseconds,
/// cleaning a document microseconds.
#[pyclass(module = "textscrub._native", frozen)]
struct Pipeline {
    state: State,
    pipeline: textscrub::Pipeline,
}

#[pymethods]
impl Pipeline {
    /// Compiles the default rules plus `rules` (files or folders), selected with
    /// `select` / `ignore` / `extend_select` (rule-id globs), with `config` (a
    /// `textscrub.toml`) under those arguments, as the command line does. `quality`
    /// measures every document and applies the quality rules: each document's language's
    /// (`lang`, else detected), or one `recipe` for all (`"fineweb"`, `"fineweb-2"`, which
    /// also turns on FineWeb-2's finishing touches); `sentences` splits the cleaned text
    /// (rules of `lang`, or a document's own language). `lid_model` is a fastText
    /// language-identification model (lid.176, GlotLID): quality reads a text's language
    /// from it where `lang` is not given, and `identify_language` labels texts with it.
    #[new]
    #[pyo3(signature = (rules=None, select=None, ignore=None, extend_select=None, config=None, *, default_rules=true, quality=false, recipe=None, sentences=false, lang=None, guard_share=None, lid_model=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        rules: Option<Vec<PathBuf>>,
        select: Option<Vec<String>>,
        ignore: Option<Vec<String>>,
        extend_select: Option<Vec<String>>,
        config: Option<PathBuf>,
        default_rules: bool,
        quality: bool,
        recipe: Option<String>,
        sentences: bool,
        lang: Option<String>,
        guard_share: Option<f64>,
        lid_model: Option<PathBuf>,
    ) -> PyResult<Self> {
        let config = match config {
            Some(path) => {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| PyOSError::new_err(format!("{}: {e}", path.display())))?;
                Some((path, text))
            }
            None => None,
        };
        let mut state = State {
            sources: Vec::new(),
            config,
            select,
            ignore,
            extend_select: match recipe.as_deref() {
                // FineWeb-2's recipe brings its finishing touches with it.
                Some("fineweb-2") => {
                    let mut globs = extend_select.unwrap_or_default();
                    globs.extend(["pii/*".to_string(), "fineweb-2/*".to_string()]);
                    Some(globs)
                }
                _ => extend_select,
            },
            quality: quality || recipe.is_some(),
            recipe,
            lid_model,
            sentences,
            lang,
            guard_share,
        };
        let settings = state.settings().map_err(py_error)?;
        let settings = Settings::from_config(
            settings.config.clone(),
            settings.layer.clone().merge(Layer {
                rules: rules.unwrap_or_default(),
                default_rules: Some(default_rules),
                ..Layer::default()
            }),
        );
        state.sources = settings.rule_sources().map_err(py_error)?;
        let pipeline = state.compile().map_err(py_error)?;
        Ok(Self { state, pipeline })
    }

    /// Cleans one text; `id` names it in diffs and change records.
    #[pyo3(signature = (text, id=None, lang=None))]
    fn clean(&self, py: Python<'_>, text: &str, id: Option<String>, lang: Option<&str>) -> Outcome {
        Outcome::new(
            py,
            id.unwrap_or_default(),
            text.to_string(),
            self.pipeline.run_in(text, lang),
        )
    }

    /// Cleans many texts in parallel, without holding the GIL; the results come back in
    /// order.
    #[pyo3(signature = (texts, ids=None))]
    fn clean_batch(
        &self,
        py: Python<'_>,
        texts: Vec<String>,
        ids: Option<Vec<String>>,
    ) -> PyResult<Vec<Outcome>> {
        let ids = match ids {
            Some(ids) if ids.len() != texts.len() => {
                return Err(PyValueError::new_err(format!(
                    "{} ids for {} texts",
                    ids.len(),
                    texts.len()
                )))
            }
            Some(ids) => ids,
            None => vec![String::new(); texts.len()],
        };
        let pipeline = &self.pipeline;
        let outcomes: Vec<_> = py.allow_threads(|| {
            texts
                .into_par_iter()
                .zip(ids)
                .map(|(text, id)| {
                    let outcome = pipeline.run(&text);
                    (id, text, outcome)
                })
                .collect()
        });
        // Python objects are made with the GIL held, on this thread.
        Ok(outcomes
            .into_iter()
            .map(|(id, text, outcome)| Outcome::new(py, id, text, outcome))
            .collect())
    }

    /// The fields datatrove's LanguageFilter writes for `text` (`language`,
    /// `language_script` for a GlotLID label, `language_score`, and with `keep_top`
    /// `top_language_{label}_score` above it), from the pipeline's `lid_model`.
    #[pyo3(signature = (text, keep_top=None))]
    fn identify_language(
        &self,
        py: Python<'_>,
        text: &str,
        keep_top: Option<f64>,
    ) -> PyResult<PyObject> {
        let Some(model) = self.pipeline.lid_model() else {
            return Err(PyValueError::new_err(
                "identify_language needs a model: Pipeline(lid_model=PATH)",
            ));
        };
        Ok(to_python(py, &Value::Object(model.fields(text, keep_top))))
    }

    /// The ids of the rules that run, in order.
    fn rule_ids(&self) -> Vec<String> {
        self.pipeline
            .rules()
            .iter()
            .map(|r| r.id.to_string())
            .collect()
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let state = serde_json::to_string(&slf.get().state)
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        let rebuild = py.get_type::<Self>().getattr("_from_state")?;
        PyTuple::new(
            py,
            [rebuild.into_any(), PyTuple::new(py, [state])?.into_any()],
        )
    }

    /// Rebuilds a pickled pipeline.
    #[staticmethod]
    fn _from_state(state: &str) -> PyResult<Self> {
        let state: State =
            serde_json::from_str(state).map_err(|e| PyValueError::new_err(e.to_string()))?;
        let pipeline = state.compile().map_err(py_error)?;
        Ok(Self { state, pipeline })
    }

    fn __repr__(&self) -> String {
        format!("Pipeline(<{} rules>)", self.pipeline.rules().len())
    }
}

/// What cleaning one text produced.
#[pyclass(module = "textscrub._native", frozen)]
struct Outcome {
    /// The document id given to `clean`.
    #[pyo3(get)]
    id: String,
    /// The text as given.
    #[pyo3(get)]
    original: String,
    /// The cleaned text.
    #[pyo3(get)]
    text: String,
    /// Every change as a dict: rule, start, end, line, column, before, after (positions in
    /// the original).
    #[pyo3(get)]
    changes: PyObject,
    /// What check-only rules reported: rule, start, end, line, column, text, message,
    /// suggestion.
    #[pyo3(get)]
    findings: PyObject,
    /// The sentences of the cleaned text, when the pipeline splits them.
    #[pyo3(get)]
    sentences: Option<Vec<String>>,
    /// Signals, verdict and failed rules, when the pipeline measures quality.
    #[pyo3(get)]
    quality: PyObject,
    /// `{"removed_share", "threshold"}` when the guard flagged the text.
    #[pyo3(get)]
    guard: PyObject,
    /// True when a rule changed the text.
    #[pyo3(get)]
    changed: bool,
    /// The changes as the library made them, for the change records.
    records: Vec<textscrub::Change>,
}

impl Outcome {
    fn new(py: Python<'_>, id: String, original: String, outcome: textscrub::Outcome) -> Self {
        {
            let json = |value: Value| to_python(py, &value);
            let sentences = outcome.sentences.as_ref().map(|ranges| {
                ranges
                    .iter()
                    .map(|r| outcome.text[r.clone()].to_string())
                    .collect()
            });
            Self {
                changes: json(serde_json::to_value(&outcome.changes).unwrap_or(Value::Null)),
                findings: json(serde_json::to_value(&outcome.findings).unwrap_or(Value::Null)),
                quality: json(serde_json::to_value(&outcome.quality).unwrap_or(Value::Null)),
                guard: json(serde_json::to_value(outcome.guard).unwrap_or(Value::Null)),
                changed: outcome.is_changed(),
                sentences,
                text: outcome.text,
                id,
                original,
                records: outcome.changes,
            }
        }
    }
}

#[pymethods]
impl Outcome {
    /// The unified diff of this text (empty when unchanged), as `clean --diff` writes it.
    fn diff(&self) -> String {
        diff::unified(&self.id, &self.original, &self.text)
    }

    /// The change records as JSON lines, as `clean --changes` writes them.
    fn change_records(&self) -> String {
        diff::change_records(&self.id, &self.records)
    }

    fn __repr__(&self) -> String {
        format!("Outcome(id={:?}, changed={})", self.id, self.changed)
    }
}

/// A JSON value as the Python object `json.loads` would give.
fn to_python(py: Python<'_>, value: &Value) -> PyObject {
    match value {
        Value::Null => py.None(),
        Value::Bool(b) => b
            .into_pyobject(py)
            .map(|b| b.to_owned().into_any().unbind())
            .unwrap_or_else(|_| py.None()),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i
                .into_pyobject(py)
                .map(|o| o.into_any().unbind())
                .unwrap_or_else(|_| py.None()),
            (None, Some(f)) => f
                .into_pyobject(py)
                .map(|o| o.into_any().unbind())
                .unwrap_or_else(|_| py.None()),
            _ => py.None(),
        },
        Value::String(s) => s
            .into_pyobject(py)
            .map(|o| o.into_any().unbind())
            .unwrap_or_else(|_| py.None()),
        Value::Array(items) => {
            let items: Vec<PyObject> = items.iter().map(|v| to_python(py, v)).collect();
            PyList::new(py, items)
                .map(|l| l.into_any().unbind())
                .unwrap_or_else(|_| py.None())
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (key, value) in map {
                let _ = dict.set_item(key, to_python(py, value));
            }
            dict.into_any().unbind()
        }
    }
}

/// Splits `text` into sentences with the rules of `lang`.
#[pyfunction]
#[pyo3(signature = (text, lang="en"))]
fn split(text: &str, lang: &str) -> PyResult<Vec<String>> {
    let segmenter = Segmenter::for_lang(lang).map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(segmenter
        .split(text)
        .into_iter()
        .map(|r| text[r].to_string())
        .collect())
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Pipeline>()?;
    m.add_class::<Outcome>()?;
    m.add_function(wrap_pyfunction!(split, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
