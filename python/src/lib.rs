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

    /// Cleans an Arrow table (or record batch, or an iterable of batches) through the Arrow
    /// C data interface: the `text_column` is replaced by the cleaned texts, `changes` and
    /// `changed` are appended as `textscrub.clean_columns` gives them, and every other
    /// column is passed on without being copied. Returns a `pyarrow.Table`.
    #[pyo3(signature = (data, text_column="text", id_column=None))]
    fn clean_arrow<'py>(
        &self,
        py: Python<'py>,
        data: &Bound<'py, PyAny>,
        text_column: &str,
        id_column: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let pyarrow = py.import("pyarrow")?;
        let mut batches: Vec<Bound<'py, PyAny>> = if data.hasattr("to_batches")? {
            data.call_method0("to_batches")?
                .try_iter()?
                .collect::<PyResult<_>>()?
        } else if data.hasattr("__arrow_c_array__")? {
            vec![data.clone()]
        } else {
            data.try_iter()?.collect::<PyResult<_>>()?
        };
        if batches.is_empty() && data.hasattr("schema")? {
            // An empty table: one empty batch, so the result has the columns all the same.
            let kwargs = PyDict::new(py);
            kwargs.set_item("schema", data.getattr("schema")?)?;
            batches.push(pyarrow.getattr("RecordBatch")?.call_method(
                "from_pylist",
                (PyList::empty(py),),
                Some(&kwargs),
            )?);
        }
        if batches.is_empty() {
            return Err(PyValueError::new_err("clean_arrow: no record batch given"));
        }
        let mut out = Vec::with_capacity(batches.len());
        for batch in &batches {
            let batch = arrow_ffi::import_batch(batch)?;
            let cleaned = py
                .allow_threads(|| {
                    textscrub::io::arrow::clean_batch(
                        &self.pipeline,
                        &batch,
                        text_column,
                        id_column,
                    )
                })
                .map_err(|e| PyValueError::new_err(e.to_string()))?;
            out.push(arrow_ffi::export_batch(py, &pyarrow, cleaned)?);
        }
        let schema = out[0].getattr("schema")?;
        pyarrow
            .getattr("Table")?
            .call_method1("from_batches", (out, schema))
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

/// One of datatrove's quality filters computed here (`textscrub.datatrove`'s drop-in
/// classes): built from the name of datatrove's class and its instance's arguments as JSON;
/// `ValueError` with the reason when they are not reproduced exactly.
#[pyclass(module = "textscrub._native", frozen)]
struct DatatroveFilter {
    step: textscrub::datatrove::FilterStep,
}

#[pymethods]
impl DatatroveFilter {
    #[new]
    fn new(name: &str, args: &str) -> PyResult<Self> {
        let args: Value =
            serde_json::from_str(args).map_err(|e| PyValueError::new_err(e.to_string()))?;
        textscrub::datatrove::FilterStep::new(name, &args)
            .map(|step| Self { step })
            .map_err(PyValueError::new_err)
    }

    /// `None` when datatrove's filter keeps `text`, else its reason.
    fn judge(&self, text: &str) -> Option<String> {
        self.step.judge(text).map(str::to_string)
    }

    /// [`Self::judge`] for many texts, in parallel without the GIL.
    fn judge_batch(&self, py: Python<'_>, texts: Vec<String>) -> Vec<Option<String>> {
        py.allow_threads(|| {
            texts
                .par_iter()
                .map(|text| self.step.judge(text).map(str::to_string))
                .collect()
        })
    }
}

/// datatrove's `PIIFormatter()`: its placeholder rotations go on across the texts given.
#[pyclass(module = "textscrub._native", frozen)]
struct PiiFormatter {
    rotation: std::sync::Mutex<textscrub::datatrove::PiiRotation>,
}

#[pymethods]
impl PiiFormatter {
    #[new]
    fn new() -> Self {
        Self {
            rotation: std::sync::Mutex::new(Default::default()),
        }
    }

    fn format(&self, text: &str) -> String {
        self.rotation
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .format(text)
    }
}

/// `SymbolLinesFormatter(symbols_to_remove=["|"], replace_char="\n").format(text)`.
#[pyfunction]
fn symbol_lines(text: &str) -> String {
    textscrub::datatrove::symbol_lines(text)
}

/// datatrove's `MinhashDedupSignature` for one task, computed here: `add` the task's
/// documents in order, then `finish` writes `output/bucket_BBB/RRRRR.minhash.sig`, sorted.
#[pyclass(module = "textscrub._native", frozen)]
struct MinhashSignatures {
    inner: std::sync::Mutex<Option<textscrub::dedup::RankSignatures>>,
}

#[pymethods]
impl MinhashSignatures {
    /// `ValueError` when the configuration or the language is not reproduced.
    #[new]
    #[pyo3(signature = (output, *, n_grams, num_buckets, hashes_per_bucket, seed, hash_fc, precision, language, rank, memory=256 << 20))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        output: PathBuf,
        n_grams: usize,
        num_buckets: usize,
        hashes_per_bucket: usize,
        seed: u64,
        hash_fc: &str,
        precision: u32,
        language: &str,
        rank: u32,
        memory: usize,
    ) -> PyResult<Self> {
        use textscrub::dedup::{Config, HashFunction, Precision};
        let hash = match hash_fc {
            "xxhash" => HashFunction::Xxhash,
            "sha1" => HashFunction::Sha1,
            other => return Err(PyValueError::new_err(format!("hash_fc {other:?}"))),
        };
        let precision = match precision {
            32 => Precision::Bits32,
            64 => Precision::Bits64,
            other => return Err(PyValueError::new_err(format!("precision {other}"))),
        };
        let lexicon = textscrub::dedup::lexicon_for_language(language).ok_or_else(|| {
            PyValueError::new_err(format!("no ported word tokenizer for {language:?}"))
        })?;
        let config = Config {
            name: "custom".to_string(),
            n_grams,
            num_buckets,
            hashes_per_bucket,
            seed,
            hash,
            precision,
            cluster_sizes: false,
        };
        let inner = textscrub::dedup::RankSignatures::new(&output, config, lexicon, rank, memory)
            .map_err(py_error)?;
        Ok(Self {
            inner: std::sync::Mutex::new(Some(inner)),
        })
    }

    /// Adds the next documents' texts; returns (documents seen, signatures written).
    fn add(&self, py: Python<'_>, texts: Vec<String>) -> PyResult<(u32, u64)> {
        let mut guard = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let inner = guard
            .as_mut()
            .ok_or_else(|| PyValueError::new_err("the signatures are finished"))?;
        py.allow_threads(|| {
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            inner.add(&texts)?;
            Ok::<_, std::io::Error>(inner.counts())
        })
        .map_err(|e| PyOSError::new_err(e.to_string()))
    }

    /// Sorts and writes the files.
    fn finish(&self, py: Python<'_>) -> PyResult<()> {
        let inner = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
            .ok_or_else(|| PyValueError::new_err("the signatures are finished"))?;
        py.allow_threads(|| inner.finish())
            .map_err(|e| PyOSError::new_err(e.to_string()))
    }
}

/// Arrow record batches across the C data interface (PyCapsules, no copies).
mod arrow_ffi {
    use std::ffi::CString;

    use arrow_array::ffi::{from_ffi, to_ffi, FFI_ArrowArray, FFI_ArrowSchema};
    use arrow_array::{Array, RecordBatch, StructArray};
    use pyo3::exceptions::PyValueError;
    use pyo3::prelude::*;
    use pyo3::types::PyCapsule;

    fn arrow_error(e: impl std::fmt::Display) -> PyErr {
        PyValueError::new_err(format!("Arrow: {e}"))
    }

    /// A record batch from any object with `__arrow_c_array__` (pyarrow's RecordBatch).
    pub(super) fn import_batch(batch: &Bound<'_, PyAny>) -> PyResult<RecordBatch> {
        let (schema, array): (Bound<'_, PyCapsule>, Bound<'_, PyCapsule>) =
            batch.call_method0("__arrow_c_array__")?.extract()?;
        let schema_ptr = schema.pointer() as *const FFI_ArrowSchema;
        let array_ptr = array.pointer() as *mut FFI_ArrowArray;
        if schema_ptr.is_null() || array_ptr.is_null() {
            return Err(PyValueError::new_err("an empty Arrow capsule"));
        }
        // SAFETY: the capsules hold an ArrowSchema and an ArrowArray (the C data interface's
        // PyCapsule protocol); the array is moved out (its release callback is taken, so
        // the capsule's destructor leaves it), the schema is borrowed while the capsule lives.
        let data = unsafe {
            let array = FFI_ArrowArray::from_raw(array_ptr);
            from_ffi(array, &*schema_ptr)
        }
        .map_err(arrow_error)?;
        let array = StructArray::from(data);
        if array.null_count() > 0 {
            return Err(PyValueError::new_err("a record batch with null rows"));
        }
        Ok(RecordBatch::from(array))
    }

    /// A `pyarrow.RecordBatch` of `batch`, its buffers handed over.
    pub(super) fn export_batch<'py>(
        py: Python<'py>,
        pyarrow: &Bound<'py, PyModule>,
        batch: RecordBatch,
    ) -> PyResult<Bound<'py, PyAny>> {
        let data = StructArray::from(batch).into_data();
        let (array, schema) = to_ffi(&data).map_err(arrow_error)?;
        let schema = PyCapsule::new(py, schema, Some(CString::new("arrow_schema")?))?;
        let array = PyCapsule::new(py, array, Some(CString::new("arrow_array")?))?;
        pyarrow
            .getattr("RecordBatch")?
            .call_method1("_import_from_c_capsule", (schema, array))
    }
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Pipeline>()?;
    m.add_class::<DatatroveFilter>()?;
    m.add_class::<PiiFormatter>()?;
    m.add_class::<MinhashSignatures>()?;
    m.add_function(wrap_pyfunction!(symbol_lines, m)?)?;
    m.add_class::<Outcome>()?;
    m.add_function(wrap_pyfunction!(split, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
