//! The stage files of MinHash deduplication, in datatrove's binary layouts (little-endian,
//! no headers):
//!
//! - `signatures/bucket_BBB/00000.minhash.sig`: per document with a signature, the bucket's
//!   hashes then the document's number (`u32`), sorted by hashes then number;
//! - `buckets/BBBBB_00.dups`: pairs `(file, document, file, document)` as four `u32`, one
//!   for each two neighbours of the sorted file with the same hashes;
//! - `remove_ids/000000.remove`: the numbers of the documents to drop (`u32`), ascending;
//!   `.clusters` and `.sizes`: `(document, cluster id)` and `(document, cluster size)` for
//!   every document in a cluster.
//!
//! textscrub adds `remove_ids/000000.twins`, which datatrove does not read: for each removed
//! document, the document kept in its place and how many of their hashes agree (three
//! `u32`), so that every removal can name its twin.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use super::{Config, Precision};

/// The task (rank) every document of a run belongs to.
const RANK: u32 = 0;

/// datatrove's stand-in for a document of an index (never written by textscrub).
const SENTINEL: u32 = u32::MAX;

/// The signature file of a bucket.
#[must_use]
pub fn signature_file(signatures: &Path, bucket: usize) -> PathBuf {
    rank_signature_file(signatures, bucket, RANK)
}

/// The signature file of a bucket written by datatrove task `rank`.
#[must_use]
pub fn rank_signature_file(signatures: &Path, bucket: usize, rank: u32) -> PathBuf {
    signatures
        .join(format!("bucket_{bucket:03}"))
        .join(format!("{rank:05}.minhash.sig"))
}

fn create(path: &Path) -> io::Result<BufWriter<File>> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    Ok(BufWriter::with_capacity(1 << 16, File::create(path)?))
}

/// Writes `path` through a temporary file beside it, renamed into place once complete, so
/// a stage killed midway leaves no file that looks finished. (Not synced to the disk: a
/// killed process loses nothing it wrote; a lost machine loses the work folder's run.)
fn write_whole(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> io::Result<()>,
) -> io::Result<()> {
    let partial = path.with_extension("partial");
    let mut out = create(&partial)?;
    write(&mut out)?;
    out.into_inner()
        .map_err(io::IntoInnerError::into_error)?
        .sync_all()?;
    fs::rename(&partial, path)
}

/// One record: the bucket's hashes, then the document number (as `u64`, so that rows
/// compare as datatrove sorts them: by hashes, then by document).
type Row = Vec<u64>;

fn write_row(out: &mut impl Write, row: &[u64], precision: Precision) -> io::Result<()> {
    let (hashes, document) = row.split_at(row.len() - 1);
    for &hash in hashes {
        match precision {
            Precision::Bits64 => out.write_all(&hash.to_le_bytes())?,
            Precision::Bits32 => out.write_all(&(hash as u32).to_le_bytes())?,
        }
    }
    out.write_all(&(document[0] as u32).to_le_bytes())
}

/// Reads the next record of a signature file, `false` at its end.
fn read_row(
    input: &mut impl Read,
    record: &mut [u8],
    precision: Precision,
    row: &mut Row,
) -> io::Result<bool> {
    match input.read_exact(record) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(false),
        Err(e) => return Err(e),
    }
    row.clear();
    let width = precision.bytes();
    let (hashes, document) = record.split_at(record.len() - 4);
    for hash in hashes.chunks_exact(width) {
        row.push(match precision {
            Precision::Bits64 => u64::from_le_bytes(hash.try_into().expect("8 bytes")),
            Precision::Bits32 => u64::from(u32::from_le_bytes(hash.try_into().expect("4 bytes"))),
        });
    }
    row.push(u64::from(u32::from_le_bytes(
        document.try_into().expect("4 bytes"),
    )));
    Ok(true)
}

/// Stage 1's output: each document's signature added to its buckets, each bucket sorted in
/// bounded memory (sorted runs spilled beside the bucket's file, merged at the end).
pub struct SignatureSorter {
    signatures: PathBuf,
    config: Config,
    /// Per bucket: rows not yet spilled, flat (`hashes_per_bucket + 1` values each).
    rows: Vec<Vec<u64>>,
    /// Per bucket: the runs spilled so far.
    runs: Vec<Vec<PathBuf>>,
    /// Rows a bucket holds before it spills.
    rows_per_run: usize,
    /// The datatrove task whose files these are.
    rank: u32,
}

impl SignatureSorter {
    /// Sorts into `signatures`, with at most about `memory` bytes of rows held.
    pub fn new(signatures: &Path, config: &Config, memory: usize) -> io::Result<Self> {
        Self::for_rank(signatures, config, memory, RANK)
    }

    /// The same, writing the files of datatrove task `rank` (`bucket_BBB/RRRRR.minhash.sig`).
    pub fn for_rank(
        signatures: &Path,
        config: &Config,
        memory: usize,
        rank: u32,
    ) -> io::Result<Self> {
        fs::create_dir_all(signatures)?;
        let row_bytes = (config.hashes_per_bucket + 1) * 8;
        Ok(Self {
            signatures: signatures.to_path_buf(),
            config: config.clone(),
            rows: vec![Vec::new(); config.num_buckets],
            runs: vec![Vec::new(); config.num_buckets],
            rows_per_run: (memory / row_bytes / config.num_buckets).max(1024),
            rank,
        })
    }

    /// Adds document `document`'s signature (`num_hashes` values).
    pub fn add(&mut self, document: u32, signature: &[u64]) -> io::Result<()> {
        let per = self.config.hashes_per_bucket;
        for bucket in 0..self.config.num_buckets {
            let rows = &mut self.rows[bucket];
            rows.extend_from_slice(&signature[bucket * per..(bucket + 1) * per]);
            rows.push(u64::from(document));
            if rows.len() / (per + 1) >= self.rows_per_run {
                self.spill(bucket)?;
            }
        }
        Ok(())
    }

    /// The bucket's rows in order, as slices.
    fn sorted(&self, bucket: usize) -> Vec<&[u64]> {
        let mut rows: Vec<&[u64]> = self.rows[bucket]
            .chunks_exact(self.config.hashes_per_bucket + 1)
            .collect();
        rows.sort_unstable();
        rows
    }

    fn spill(&mut self, bucket: usize) -> io::Result<()> {
        let file = rank_signature_file(&self.signatures, bucket, self.rank)
            .with_extension(format!("run{}", self.runs[bucket].len()));
        let precision = self.config.precision;
        let mut out = create(&file)?;
        for row in self.sorted(bucket) {
            write_row(&mut out, row, precision)?;
        }
        out.flush()?;
        self.runs[bucket].push(file);
        self.rows[bucket] = Vec::new();
        Ok(())
    }

    /// Writes every bucket's sorted file and removes the runs.
    pub fn finish(mut self) -> io::Result<()> {
        let precision = self.config.precision;
        for bucket in 0..self.config.num_buckets {
            let target = rank_signature_file(&self.signatures, bucket, self.rank);
            if self.runs[bucket].is_empty() {
                let rows = self.sorted(bucket);
                write_whole(&target, |out| {
                    rows.iter()
                        .try_for_each(|row| write_row(out, row, precision))
                })?;
                continue;
            }
            if !self.rows[bucket].is_empty() {
                self.spill(bucket)?;
            }
            let runs = std::mem::take(&mut self.runs[bucket]);
            self.merge(&runs, &target)?;
            for run in runs {
                fs::remove_file(run)?;
            }
        }
        Ok(())
    }

    /// Merges sorted runs into `target`.
    fn merge(&self, runs: &[PathBuf], target: &Path) -> io::Result<()> {
        let precision = self.config.precision;
        let mut record = vec![0; self.config.record_bytes()];
        let mut readers = runs
            .iter()
            .map(|run| Ok(BufReader::with_capacity(1 << 16, File::open(run)?)))
            .collect::<io::Result<Vec<_>>>()?;
        let mut heap = BinaryHeap::new();
        for (i, reader) in readers.iter_mut().enumerate() {
            let mut row = Row::new();
            if read_row(reader, &mut record, precision, &mut row)? {
                heap.push(Reverse((row, i)));
            }
        }
        write_whole(target, |out| {
            while let Some(Reverse((mut row, i))) = heap.pop() {
                write_row(out, &row, precision)?;
                if read_row(&mut readers[i], &mut record, precision, &mut row)? {
                    heap.push(Reverse((row, i)));
                }
            }
            Ok(())
        })
    }
}

/// Stage 2: the pairs of each bucket's sorted signature file into `buckets` (datatrove's
/// `MinhashDedupBuckets` with one worker per bucket and no index). Returns the pairs found.
pub fn find_pairs(signatures: &Path, buckets: &Path, config: &Config) -> io::Result<u64> {
    fs::create_dir_all(buckets)?;
    let precision = config.precision;
    let mut pairs = 0;
    let mut record = vec![0; config.record_bytes()];
    for bucket in 0..config.num_buckets {
        let mut input =
            BufReader::with_capacity(1 << 16, File::open(signature_file(signatures, bucket))?);
        let target = buckets.join(format!("{bucket:05}_00.dups"));
        write_whole(&target, |out| {
            let (mut last, mut row) = (Row::new(), Row::new());
            while read_row(&mut input, &mut record, precision, &mut row)? {
                let hashes = row.len() - 1;
                if !last.is_empty() && last[..hashes] == row[..hashes] {
                    for value in [RANK, last[hashes] as u32, RANK, row[hashes] as u32] {
                        out.write_all(&value.to_le_bytes())?;
                    }
                    pairs += 1;
                }
                std::mem::swap(&mut last, &mut row);
            }
            Ok(())
        })?;
    }
    Ok(pairs)
}

/// A document of the pairs: its file (task) and number.
type Node = (u32, u32);

/// datatrove's union-find: by size, the first of a pair winning ties, an index document
/// always the root.
#[derive(Default)]
struct UnionFind {
    parent: HashMap<Node, Node>,
    size: HashMap<Node, u32>,
}

impl UnionFind {
    fn root(&mut self, node: Node) -> Node {
        let mut root = *self.parent.entry(node).or_insert(node);
        while self.parent[&root] != root {
            root = self.parent[&root];
        }
        // Path compression, as datatrove's recursion does.
        let mut at = node;
        while at != root {
            at = self.parent.insert(at, root).expect("on the path");
        }
        root
    }

    fn union(&mut self, a: Node, b: Node) {
        let (mut root_a, mut root_b) = (self.root(a), self.root(b));
        if root_a == root_b {
            return;
        }
        let size_a = self.size.get(&root_a).copied().unwrap_or(1);
        let size_b = self.size.get(&root_b).copied().unwrap_or(1);
        let index = (SENTINEL, SENTINEL);
        if root_b == index || (root_a != index && size_a < size_b) {
            std::mem::swap(&mut root_a, &mut root_b);
        }
        self.parent.insert(root_b, root_a);
        self.size.insert(root_a, size_a + size_b);
        self.size.remove(&root_b);
    }
}

/// What clustering found.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ClusterCounts {
    /// Documents in a cluster.
    pub documents: u64,
    /// Clusters.
    pub clusters: u64,
    /// Documents to remove (all but one per cluster).
    pub removed: u64,
}

/// Stage 3: clusters from every `.dups` file of `buckets` into `remove_ids` (datatrove's
/// `MinhashDedupCluster` with cluster ids and sizes saved), and each removal's twin with
/// the hashes it shares with it, read back from `signatures`.
pub fn cluster(
    buckets: &Path,
    signatures: &Path,
    remove_ids: &Path,
    config: &Config,
) -> io::Result<ClusterCounts> {
    let mut dups: Vec<PathBuf> = fs::read_dir(buckets)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<io::Result<_>>()?;
    dups.retain(|path| path.extension().is_some_and(|e| e == "dups"));
    dups.sort();
    let mut sets = UnionFind::default();
    let mut pair = [0; 16];
    for file in &dups {
        let mut input = BufReader::with_capacity(1 << 16, File::open(file)?);
        loop {
            match input.read_exact(&mut pair) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => break,
                Err(e) => return Err(e),
            }
            let value =
                |i: usize| u32::from_le_bytes(pair[i * 4..i * 4 + 4].try_into().expect("4 bytes"));
            sets.union((value(0), value(1)), (value(2), value(3)));
        }
    }
    let mut nodes: Vec<Node> = sets.parent.keys().copied().collect();
    nodes.sort_unstable();
    let mut counts = ClusterCounts::default();
    let mut cluster_ids: HashMap<Node, u32> = HashMap::new();
    let (mut removed, mut clusters, mut sizes) = (Vec::new(), Vec::new(), Vec::new());
    let mut twins: Vec<(u32, u32)> = Vec::new();
    for &node in &nodes {
        counts.documents += 1;
        let root = sets.root(node);
        if node != root {
            removed.push(node.1);
            twins.push((node.1, root.1));
        }
        let next = cluster_ids.len() as u32;
        let id = *cluster_ids.entry(root).or_insert(next);
        clusters.extend([node.1, id]);
        sizes.extend([node.1, sets.size[&root]]);
    }
    counts.clusters = cluster_ids.len() as u64;
    counts.removed = removed.len() as u64;
    let agree = agreeing_hashes(signatures, config, &twins)?;
    fs::create_dir_all(remove_ids)?;
    let write_u32s = |name: &str, values: &[u32]| {
        write_whole(&remove_ids.join(format!("{RANK:06}.{name}")), |out| {
            values
                .iter()
                .try_for_each(|value| out.write_all(&value.to_le_bytes()))
        })
    };
    write_u32s("clusters", &clusters)?;
    write_u32s("sizes", &sizes)?;
    let twins: Vec<u32> = twins
        .iter()
        .zip(&agree)
        .flat_map(|(&(document, kept), &agree)| [document, kept, agree])
        .collect();
    write_u32s("twins", &twins)?;
    // Last: datatrove's filter and a resumed run take `.remove` as the stage's result.
    write_u32s("remove", &removed)?;
    Ok(counts)
}

/// For each `(removed, kept)` pair, how many of their signatures' hashes are equal.
fn agreeing_hashes(
    signatures: &Path,
    config: &Config,
    twins: &[(u32, u32)],
) -> io::Result<Vec<u32>> {
    let per = config.hashes_per_bucket;
    let mut slot: HashMap<u32, usize> = HashMap::new();
    for &(a, b) in twins {
        for document in [a, b] {
            let next = slot.len();
            slot.entry(document).or_insert(next);
        }
    }
    let mut held = vec![0u64; slot.len() * per];
    let mut agree = vec![0u32; twins.len()];
    let mut record = vec![0; config.record_bytes()];
    let mut row = Row::new();
    for bucket in 0..config.num_buckets {
        let mut input =
            BufReader::with_capacity(1 << 16, File::open(signature_file(signatures, bucket))?);
        while read_row(&mut input, &mut record, config.precision, &mut row)? {
            if let Some(&at) = slot.get(&(row[per] as u32)) {
                held[at * per..(at + 1) * per].copy_from_slice(&row[..per]);
            }
        }
        for (count, (a, b)) in agree.iter_mut().zip(twins) {
            let (a, b) = (slot[a] * per, slot[b] * per);
            *count += (0..per).filter(|&i| held[a + i] == held[b + i]).count() as u32;
        }
    }
    Ok(agree)
}

/// Why a document was removed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Removal {
    /// The document kept in its place (its cluster's root).
    pub kept: u32,
    /// Its cluster (numbered in order of their first document).
    pub cluster: u32,
    /// Documents in the cluster.
    pub size: u32,
    /// The share of signature hashes it has in common with the kept document: an estimate
    /// of the Jaccard similarity of their shingles.
    pub similarity: f64,
}

/// Stage 3's result, as stage 4 reads it.
#[derive(Debug, Default)]
pub struct Clusters {
    removals: HashMap<u32, Removal>,
    sizes: HashMap<u32, u32>,
}

fn read_u32s(path: &Path) -> io::Result<Vec<u32>> {
    let bytes = fs::read(path)?;
    if bytes.len() % 4 != 0 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{}: not a whole number of records", path.display()),
        ));
    }
    Ok(bytes
        .chunks_exact(4)
        .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")))
        .collect())
}

impl Clusters {
    /// Reads what [`cluster`] wrote into `remove_ids`.
    pub fn read(remove_ids: &Path, config: &Config) -> io::Result<Self> {
        let file = |name: &str| remove_ids.join(format!("{RANK:06}.{name}"));
        let pairs = |values: Vec<u32>| -> HashMap<u32, u32> {
            values.chunks_exact(2).map(|p| (p[0], p[1])).collect()
        };
        let sizes = pairs(read_u32s(&file("sizes"))?);
        let ids = pairs(read_u32s(&file("clusters"))?);
        let twins = read_u32s(&file("twins"))?;
        let removed = read_u32s(&file("remove"))?;
        let mut removals = HashMap::with_capacity(removed.len());
        for twin in twins.chunks_exact(3) {
            let [document, kept, agree] = [twin[0], twin[1], twin[2]];
            removals.insert(
                document,
                Removal {
                    kept,
                    cluster: ids.get(&document).copied().unwrap_or_default(),
                    size: sizes.get(&document).copied().unwrap_or(1),
                    similarity: f64::from(agree) / config.num_hashes() as f64,
                },
            );
        }
        if removed
            .iter()
            .any(|document| !removals.contains_key(document))
        {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}: removals without their twins", file("remove").display()),
            ));
        }
        Ok(Self { removals, sizes })
    }

    /// Why document `document` is removed, if it is.
    #[must_use]
    pub fn removal(&self, document: u32) -> Option<&Removal> {
        self.removals.get(&document)
    }

    /// The size of document `document`'s cluster (1 when it has no duplicate).
    #[must_use]
    pub fn cluster_size(&self, document: u32) -> u32 {
        self.sizes.get(&document).copied().unwrap_or(1)
    }

    /// The documents kept in place of a removed one.
    pub fn kept_documents(&self) -> impl Iterator<Item = u32> + '_ {
        self.removals.values().map(|removal| removal.kept)
    }

    /// Documents removed.
    #[must_use]
    pub fn removed(&self) -> usize {
        self.removals.len()
    }
}
