//! The dedup job: MinHash near-duplicates removed as datatrove's four stages remove them,
//! every removal written with the document kept in its place.
//!
//! The stage files go to a work folder in datatrove's layout (see [`crate::dedup`]). Each
//! finished stage leaves a `DONE` mark holding the run's fingerprint (configuration,
//! language, inputs with their sizes and times), so a run killed midway and started again
//! with the same arguments goes on from the first unfinished stage.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::fs;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Instant, UNIX_EPOCH};

use serde::Serialize;
use serde_json::{json, Value};

use super::{refuse_overwriting_inputs, Observer, Session};
use crate::dedup::files::{cluster, find_pairs, ClusterCounts, SignatureSorter};
use crate::dedup::{Clusters, Config, MinHasher};
use crate::error::Error;
use crate::io::{Document, Event, OutputFile};
use crate::quality::recipe::fineweb2;
use crate::quality::Lexicon;
use crate::report::RunSummary;

/// What a dedup run is asked to do.
#[derive(Debug, Clone)]
pub struct DedupOptions {
    /// The MinHash configuration.
    pub config: Config,
    /// The language whose words make the shingles of every document; `None`: each
    /// record's `language` (or `lang`), and English where it names none.
    pub language: Option<String>,
    /// Where the stage files go; `None`: a folder named after the run in the working
    /// directory, removed once the run succeeds.
    pub work_dir: Option<PathBuf>,
    /// Bytes of signatures held in memory while sorting (the rest is spilled to disk).
    pub memory: usize,
    /// The kept records; `None` or `-`: standard output.
    pub output: Option<PathBuf>,
    /// One record per removed document, with its twin.
    pub rejects: Option<PathBuf>,
    /// An HTML review page: each removed document as a diff against the one kept.
    pub review: Option<crate::review::ReviewOutput>,
}

/// What a dedup run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DedupReport {
    /// Reading and writing, as for every run (`dropped` counts the removed documents).
    pub run: RunSummary,
    /// The configuration, as datatrove prints it.
    pub config: String,
    /// Documents with a signature (the others have fewer words than a shingle and are
    /// never duplicates).
    pub signed: u64,
    /// Pairs found in the buckets.
    pub pairs: u64,
    /// Documents in clusters, clusters, and documents removed.
    pub documents_in_clusters: u64,
    /// Clusters of near-duplicates.
    pub clusters: u64,
    /// Stages taken from a previous run's work folder.
    pub resumed: Vec<&'static str>,
    /// Time and peak memory of each stage this run did.
    pub stages: Vec<StageCost>,
    /// Documents whose language's tokenizer textscrub lacks, per language: shingled with
    /// the multilingual tokenizer, so their pairs may differ from datatrove's.
    pub fallback_languages: BTreeMap<String, u64>,
    /// Where the stage files are (kept when asked for).
    pub work_dir: Option<PathBuf>,
}

impl fmt::Display for DedupReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "textscrub: {} documents, {} with a signature ({}); {} pairs in {} clusters of {} \
             documents; {} removed, {} kept",
            self.run.documents,
            self.signed,
            self.config,
            self.pairs,
            self.clusters,
            self.documents_in_clusters,
            self.run.dropped,
            self.run.written
        )?;
        if !self.stages.is_empty() {
            let costs: Vec<String> = self
                .stages
                .iter()
                .map(|cost| match cost.peak_rss_mb {
                    Some(mb) => format!(
                        "{} {:.2} s ({:.2} s CPU, {mb:.0} MB)",
                        cost.stage, cost.seconds, cost.cpu_seconds
                    ),
                    None => format!(
                        "{} {:.2} s ({:.2} s CPU)",
                        cost.stage, cost.seconds, cost.cpu_seconds
                    ),
                })
                .collect();
            writeln!(f, "textscrub: {}", costs.join(", "))?;
        }
        if !self.resumed.is_empty() {
            writeln!(
                f,
                "textscrub: taken from the work folder: {}",
                self.resumed.join(", ")
            )?;
        }
        if !self.fallback_languages.is_empty() {
            let languages: Vec<String> = self
                .fallback_languages
                .iter()
                .map(|(language, n)| format!("{language} ({n})"))
                .collect();
            writeln!(
                f,
                "textscrub: note: no word tokenizer for {}; shingled with the multilingual one",
                languages.join(", ")
            )?;
        }
        if self.run.errors > 0 {
            writeln!(
                f,
                "textscrub: {} record(s) could not be read",
                self.run.errors
            )?;
        }
        Ok(())
    }
}

/// What one stage cost.
#[derive(Debug, Clone, Serialize)]
pub struct StageCost {
    /// `signatures`, `buckets`, `clusters` or `filter`.
    pub stage: &'static str,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Processor seconds on every thread (user and system): what a busy machine does not
    /// stretch.
    pub cpu_seconds: f64,
    /// The process's peak resident memory during the stage, in MB (Linux only).
    pub peak_rss_mb: Option<f64>,
}

impl StageCost {
    /// Starts timing `stage` (and, on Linux, resets the peak memory the kernel keeps).
    fn start(stage: &'static str, observer: &mut dyn Observer) -> (&'static str, Instant, f64) {
        observer.stage(stage);
        let _ = fs::write("/proc/self/clear_refs", "5");
        (stage, Instant::now(), cpu_seconds())
    }

    fn finish((stage, started, cpu): (&'static str, Instant, f64)) -> Self {
        let peak_rss_mb = fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|status| {
                let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
                let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
                Some((kb / 1024.0 * 10.0).round() / 10.0)
            });
        Self {
            stage,
            seconds: (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0,
            cpu_seconds: ((cpu_seconds() - cpu) * 1000.0).round() / 1000.0,
            peak_rss_mb,
        }
    }
}

/// Processor seconds this process used so far.
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage writes the struct it is given and nothing else.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// The stages, in order, by the name of their folder.
const SIGNATURES: &str = "signatures";
const BUCKETS: &str = "buckets";
const REMOVE_IDS: &str = "remove_ids";

/// Each document's id in input order, one JSON string per line, beside the stages.
const IDS: &str = "ids.jsonl";

/// The words `language` names, or why there are none.
fn lexicon_for(language: Option<(&str, Option<&str>)>) -> Result<&'static Lexicon, String> {
    let Some((code, script)) = language else {
        return Ok(Lexicon::english());
    };
    let recipe = fineweb2();
    let Some(label) = recipe.resolve(code, script) else {
        return Err(code.to_string());
    };
    recipe
        .language(label)
        .and_then(|language| language.lexicon.as_ref())
        .ok_or_else(|| label.to_string())
}

/// spaCy's multilingual tokenizer, for languages without their own.
fn multilingual() -> &'static Lexicon {
    static XX: OnceLock<Lexicon> = OnceLock::new();
    XX.get_or_init(|| Lexicon::spacy("xx", &[]).expect("the multilingual tables are generated"))
}

/// The document's language as its record names it.
fn record_language(document: &Document) -> Option<(&str, Option<&str>)> {
    match document.language() {
        (Some(code), script, _) => Some((code, script)),
        _ => document.lang().map(|code| (code, None)),
    }
}

/// The run's fingerprint: a finished stage of a work folder is reused only under the same.
fn fingerprint(session: &Session, options: &DedupOptions) -> String {
    let inputs: Vec<Value> = session
        .inputs()
        .iter()
        .map(|input| {
            let meta = input.path.as_ref().and_then(|p| fs::metadata(p).ok());
            let modified = meta
                .as_ref()
                .and_then(|m| m.modified().ok())
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map(|d| d.as_nanos().to_string());
            json!([input.name(), meta.map(|m| m.len()), modified])
        })
        .collect();
    json!({
        "config": options.config.to_string(),
        "language": options.language,
        "text_field": session.read_options().text_field,
        "inputs": inputs,
    })
    .to_string()
}

/// A stage's folder and whether a previous run finished it under the same fingerprint.
struct Stage {
    dir: PathBuf,
    done: bool,
}

impl Stage {
    fn new(work: &Path, name: &str, fingerprint: &str, earlier_done: bool) -> Self {
        let dir = work.join(name);
        let done = earlier_done
            && fs::read_to_string(dir.join("DONE")).is_ok_and(|mark| mark == fingerprint);
        Self { dir, done }
    }

    /// Empties the folder for a fresh start.
    fn start(&self) -> io::Result<()> {
        match fs::remove_dir_all(&self.dir) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        fs::create_dir_all(&self.dir)
    }

    fn finish(&self, fingerprint: &str) -> io::Result<()> {
        fs::write(self.dir.join("DONE"), fingerprint)
    }
}

fn work_error(path: &Path) -> impl FnOnce(io::Error) -> Error + '_ {
    move |source| Error::Output {
        context: format!("writing the work folder {}", path.display()),
        source,
    }
}

/// Runs the four stages over the documents of `session` and writes the kept records (in
/// input order) and the removals.
pub fn dedup(
    session: &Session,
    options: &DedupOptions,
    stdout: &mut dyn Write,
    observer: &mut dyn Observer,
) -> Result<DedupReport, Error> {
    let started = Instant::now();
    let output = options.output.as_deref().filter(|p| p.as_os_str() != "-");
    refuse_overwriting_inputs(
        session.inputs(),
        output.into_iter().chain(options.rejects.as_deref()),
    )?;
    let hasher = MinHasher::new(options.config.clone())?;
    let fingerprint = fingerprint(session, options);
    let work = match &options.work_dir {
        Some(dir) => dir.clone(),
        None => PathBuf::from(format!(
            ".textscrub-dedup-{:016x}",
            twox_hash::XxHash64::oneshot(0, fingerprint.as_bytes())
        )),
    };
    let mut report = DedupReport {
        config: options.config.to_string(),
        ..DedupReport::default()
    };

    // Stage 1: signatures, and each document's id.
    let signatures = Stage::new(&work, SIGNATURES, &fingerprint, true);
    if signatures.done {
        report.resumed.push(SIGNATURES);
        let mark: Value = serde_json::from_str(
            &fs::read_to_string(signatures.dir.join("COUNTS")).map_err(work_error(&work))?,
        )
        .unwrap_or_default();
        report.signed = mark["signed"].as_u64().unwrap_or_default();
        report.fallback_languages =
            serde_json::from_value(mark["fallback_languages"].clone()).unwrap_or_default();
    } else {
        let cost = StageCost::start("signatures", observer);
        signatures.start().map_err(work_error(&work))?;
        sign(
            session,
            options,
            &hasher,
            &signatures.dir,
            &work,
            observer,
            &mut report,
        )?;
        fs::write(
            signatures.dir.join("COUNTS"),
            json!({"signed": report.signed, "fallback_languages": report.fallback_languages})
                .to_string(),
        )
        .map_err(work_error(&work))?;
        signatures.finish(&fingerprint).map_err(work_error(&work))?;
        report.stages.push(StageCost::finish(cost));
    }

    // Stage 2: pairs.
    let buckets = Stage::new(&work, BUCKETS, &fingerprint, signatures.done);
    if buckets.done {
        report.resumed.push(BUCKETS);
        report.pairs = fs::read_to_string(buckets.dir.join("COUNTS"))
            .ok()
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or_default();
    } else {
        let cost = StageCost::start("buckets", observer);
        buckets.start().map_err(work_error(&work))?;
        report.pairs = find_pairs(&signatures.dir, &buckets.dir, &options.config)
            .map_err(work_error(&work))?;
        fs::write(buckets.dir.join("COUNTS"), report.pairs.to_string())
            .map_err(work_error(&work))?;
        buckets.finish(&fingerprint).map_err(work_error(&work))?;
        report.stages.push(StageCost::finish(cost));
    }

    // Stage 3: clusters.
    let remove_ids = Stage::new(&work, REMOVE_IDS, &fingerprint, buckets.done);
    let counts = if remove_ids.done {
        report.resumed.push(REMOVE_IDS);
        let mark = fs::read_to_string(remove_ids.dir.join("COUNTS")).map_err(work_error(&work))?;
        let n: Vec<u64> = mark
            .split_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect();
        ClusterCounts {
            documents: n.first().copied().unwrap_or_default(),
            clusters: n.get(1).copied().unwrap_or_default(),
            removed: n.get(2).copied().unwrap_or_default(),
        }
    } else {
        let cost = StageCost::start("clusters", observer);
        remove_ids.start().map_err(work_error(&work))?;
        let counts = cluster(
            &buckets.dir,
            &signatures.dir,
            &remove_ids.dir,
            &options.config,
        )
        .map_err(work_error(&work))?;
        fs::write(
            remove_ids.dir.join("COUNTS"),
            format!(
                "{} {} {}",
                counts.documents, counts.clusters, counts.removed
            ),
        )
        .map_err(work_error(&work))?;
        remove_ids.finish(&fingerprint).map_err(work_error(&work))?;
        report.stages.push(StageCost::finish(cost));
        counts
    };
    report.documents_in_clusters = counts.documents;
    report.clusters = counts.clusters;

    // Stage 4: the kept records and the removals.
    let cost = StageCost::start("filter", observer);
    let clusters = Clusters::read(&remove_ids.dir, &options.config).map_err(work_error(&work))?;
    let resumed = report.resumed.first() == Some(&SIGNATURES);
    report.run = filter(
        session, options, &work, &clusters, resumed, stdout, observer,
    )?;
    report.stages.push(StageCost::finish(cost));
    report.run.finish(started.elapsed());
    if options.work_dir.is_none() {
        fs::remove_dir_all(&work).map_err(work_error(&work))?;
    } else {
        report.work_dir = Some(work);
    }
    Ok(report)
}

/// Stage 1: every document's signature into sorted bucket files, its id into `ids.jsonl`.
fn sign(
    session: &Session,
    options: &DedupOptions,
    hasher: &MinHasher,
    dir: &Path,
    work: &Path,
    observer: &mut dyn Observer,
    report: &mut DedupReport,
) -> Result<(), Error> {
    let mut sorter =
        SignatureSorter::new(dir, &options.config, options.memory).map_err(work_error(work))?;
    let mut ids = BufWriter::new(fs::File::create(dir.join(IDS)).map_err(work_error(work))?);
    let mut number: u32 = 0;
    let forced = options.language.as_deref().map(|code| (code, None));
    session.run(
        observer,
        |_, document| {
            let (lexicon, fallback) =
                match lexicon_for(forced.or_else(|| record_language(document))) {
                    Ok(lexicon) => (lexicon, None),
                    Err(language) => (multilingual(), Some(language)),
                };
            let mut signature = Vec::new();
            hasher.signature(&document.text, lexicon, &mut signature);
            (signature, fallback)
        },
        |event, summary, _| -> Result<(), Error> {
            let Event::Item(_, Ok((document, (signature, fallback)))) = event else {
                return Ok(());
            };
            summary.documents += 1;
            summary.text_bytes += document.text.len() as u64;
            // datatrove's readers skip a document without text: it gets no number.
            if document.text.is_empty() {
                return Ok(());
            }
            if let Some(language) = fallback.take() {
                *report.fallback_languages.entry(language).or_default() += 1;
            }
            if !signature.is_empty() {
                sorter.add(number, signature).map_err(work_error(work))?;
                report.signed += 1;
            }
            serde_json::to_writer(&mut ids, &document.id)
                .map_err(io::Error::from)
                .map_err(work_error(work))?;
            ids.write_all(b"\n").map_err(work_error(work))?;
            number = number.checked_add(1).ok_or_else(|| Error::Usage {
                message: "more than 4,294,967,295 documents: datatrove numbers them as u32".into(),
            })?;
            Ok(())
        },
    )?;
    ids.flush().map_err(work_error(work))?;
    fs::rename(dir.join(IDS), work.join(IDS)).map_err(work_error(work))?;
    sorter.finish().map_err(work_error(work))
}

/// The ids of `wanted` document numbers, from `ids.jsonl`.
fn ids_of(work: &Path, wanted: &HashSet<u32>) -> Result<HashMap<u32, String>, Error> {
    let file = fs::File::open(work.join(IDS)).map_err(work_error(work))?;
    let mut ids = HashMap::with_capacity(wanted.len());
    for (number, line) in BufReader::new(file).lines().enumerate() {
        let number = number as u32;
        if wanted.contains(&number) {
            let line = line.map_err(work_error(work))?;
            ids.insert(number, serde_json::from_str(&line).unwrap_or(line));
        }
    }
    Ok(ids)
}

/// `document`'s record with `fields` added (a text file's document as `id` and `text`), as
/// one line.
fn record_line(document: &Document, fields: Vec<(&str, Value)>, line: &mut Vec<u8>) {
    line.clear();
    match &document.record {
        Some(record) if fields.is_empty() => record.write_json(line),
        Some(record) => {
            let mut record = record.clone();
            for (key, value) in fields {
                record.insert(key.to_string(), value);
            }
            record.write_json(line);
        }
        None => {
            let mut object = serde_json::Map::new();
            object.insert("id".into(), json!(document.id));
            object.insert("text".into(), json!(document.text));
            object.extend(
                fields
                    .into_iter()
                    .map(|(key, value)| (key.to_string(), value)),
            );
            serde_json::to_writer(&mut *line, &object).expect("a map serializes");
        }
    }
    line.push(b'\n');
}

/// `removed` as an outcome of `kept`: one change per run of differing lines, attributed to
/// MinHash, so the review page shows the two as a diff.
fn differences(kept: &str, removed: &str) -> crate::Outcome {
    let rule = crate::RuleId::parse("dedup/minhash").expect("a valid id");
    let diff = similar::TextDiff::configure().diff_lines(kept, removed);
    let mut index = crate::position::LineIndex::new(kept);
    let (mut old_at, mut new_at) = (0, 0);
    let mut changes = Vec::new();
    for op in diff.ops() {
        let old_len: usize = diff.old_slices()[op.old_range()]
            .iter()
            .map(|l| l.len())
            .sum();
        let new_len: usize = diff.new_slices()[op.new_range()]
            .iter()
            .map(|l| l.len())
            .sum();
        if op.tag() != similar::DiffTag::Equal {
            changes.push(crate::Change {
                rule: rule.clone(),
                span: index.span(kept, old_at..old_at + old_len),
                before: kept[old_at..old_at + old_len].to_string(),
                after: removed[new_at..new_at + new_len].to_string(),
                score: None,
                count: None,
            });
        }
        old_at += old_len;
        new_at += new_len;
    }
    crate::Outcome {
        changes,
        ..crate::Outcome::unchanged(removed)
    }
}

/// Forwards progress and stages, not unreadable records: stage 1 reported those already.
struct Progress<'a>(&'a mut dyn Observer);

impl Observer for Progress<'_> {
    fn progress(&mut self, bytes_read: u64, documents: u64) {
        self.0.progress(bytes_read, documents);
    }
}

/// Stage 4: the documents again, in order, each checked against the id stage 1 read; the
/// removed ones to the rejects.
fn filter(
    session: &Session,
    options: &DedupOptions,
    work: &Path,
    clusters: &Clusters,
    resumed: bool,
    stdout: &mut dyn Write,
    observer: &mut dyn Observer,
) -> Result<RunSummary, Error> {
    let kept_ids = ids_of(work, &clusters.kept_documents().collect())?;
    let mut ids = BufReader::new(fs::File::open(work.join(IDS)).map_err(work_error(work))?).lines();
    let open = |path: &Path| {
        OutputFile::create(path).map_err(|source| Error::Output {
            context: format!("creating {}", path.display()),
            source,
        })
    };
    let output_path = options.output.as_deref().filter(|p| p.as_os_str() != "-");
    let mut output = output_path.map(open).transpose()?;
    let mut rejects = options.rejects.as_deref().map(open).transpose()?;
    let mut number: u32 = 0;
    let mut line = Vec::new();
    // For the review page: the kept twins' texts, and the removed documents waiting for
    // theirs (a twin can come later in the input), in input order.
    let twins: HashSet<u32> = if options.review.is_some() {
        clusters.kept_documents().collect()
    } else {
        HashSet::new()
    };
    let mut twin_texts: HashMap<u32, String> = HashMap::new();
    let mut removed_texts: Vec<(String, crate::dedup::Removal, String)> = Vec::new();
    let changed = || Error::Usage {
        message: format!(
            "the inputs changed while deduplicating; remove {} and run again",
            work.display()
        ),
    };
    let mut quiet = Progress(observer);
    let observer: &mut dyn Observer = if resumed { quiet.0 } else { &mut quiet };
    let summary = session.run(
        observer,
        |_, _| (),
        |event, summary, _| -> Result<(), Error> {
            let Event::Item(_, Ok((document, ()))) = event else {
                return Ok(());
            };
            summary.documents += 1;
            summary.text_bytes += document.text.len() as u64;
            // datatrove's readers skip a document without text: it has no number, and is
            // kept here.
            let numbered = if document.text.is_empty() {
                None
            } else {
                let id: Option<String> = ids
                    .next()
                    .and_then(Result::ok)
                    .and_then(|line| serde_json::from_str(&line).ok());
                if id.as_deref() != Some(document.id.as_str()) {
                    return Err(changed());
                }
                number += 1;
                Some(number - 1)
            };
            if let Some(n) = numbered.filter(|n| twins.contains(n)) {
                twin_texts.insert(n, document.text.clone());
            }
            let target = if let Some(removal) = numbered.and_then(|n| clusters.removal(n)) {
                summary.dropped += 1;
                if options.review.is_some() {
                    removed_texts.push((document.id.clone(), *removal, document.text.clone()));
                }
                let mut fields = vec![
                    ("duplicate_of", json!(kept_ids.get(&removal.kept))),
                    ("minhash_cluster_id", json!(removal.cluster)),
                    ("minhash_cluster_size", json!(removal.size)),
                    (
                        "minhash_similarity",
                        json!(crate::quality::round6(removal.similarity)),
                    ),
                ];
                if document
                    .record
                    .as_ref()
                    .is_some_and(|r| r.get("id").is_none())
                {
                    fields.insert(0, ("id", json!(document.id)));
                }
                record_line(document, fields, &mut line);
                rejects.as_mut().map(|file| file as &mut dyn Write)
            } else {
                summary.written += 1;
                let fields = match numbered {
                    Some(n) if options.config.cluster_sizes => {
                        vec![("minhash_cluster_size", json!(clusters.cluster_size(n)))]
                    }
                    _ => Vec::new(),
                };
                record_line(document, fields, &mut line);
                Some(match output.as_mut() {
                    Some(file) => file as &mut dyn Write,
                    None => &mut *stdout,
                })
            };
            if let Some(target) = target {
                target.write_all(&line).map_err(|source| Error::Output {
                    context: "writing the kept records".into(),
                    source,
                })?;
            }
            Ok(())
        },
    )?;
    if ids.next().is_some() {
        return Err(changed());
    }
    // The kept records, the removals and the page appear together, or none does.
    let mut ready = Vec::new();
    if let Some(review) = &options.review {
        let mut page = crate::review::Review::new(&[], review.options.clone());
        for (id, removal, text) in &removed_texts {
            let kept = &twin_texts[&removal.kept];
            let name = format!(
                "{id} (near-duplicate of {}: cluster {} of {} documents, similarity {:.2})",
                kept_ids.get(&removal.kept).map_or("?", String::as_str),
                removal.cluster,
                removal.size,
                removal.similarity
            );
            page.add(crate::review::Entry::prepare(
                &name,
                kept,
                &differences(kept, text),
            ));
        }
        ready.push(crate::review::prepare(page, &review.path)?);
    }
    for (file, path) in [(output, output_path), (rejects, options.rejects.as_deref())] {
        if let (Some(file), Some(path)) = (file, path) {
            ready.push(file.prepare().map_err(|source| Error::Output {
                context: format!("writing {}", path.display()),
                source,
            })?);
        }
    }
    crate::io::commit_all(ready).map_err(|source| Error::Output {
        context: "putting the outputs in place".into(),
        source,
    })?;
    Ok(summary)
}
