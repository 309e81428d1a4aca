//! Near-duplicate documents, found as datatrove's MinHash deduplication finds them.
//!
//! Four stages, each writing the files datatrove's own stage writes, in its layout, so that
//! either tool can take over from the other between stages:
//!
//! 1. signatures ([`minhash`]): per document, per bucket, the least hashes of its
//!    shingles; `signatures/bucket_BBB/00000.minhash.sig`, sorted ([`files::SignatureSorter`]
//!    sorts in bounded memory, spilling sorted runs to disk);
//! 2. buckets ([`files::find_pairs`]): documents with the same signature in a bucket are
//!    a pair; `buckets/BBBBB_00.dups`;
//! 3. clusters ([`files::cluster`]): union-find over the pairs, one document kept per
//!    cluster; `remove_ids/000000.{remove,clusters,sizes}`;
//! 4. filter: the caller drops the documents named in `.remove` ([`Clusters`] says which,
//!    with the kept twin, the cluster and the estimated similarity).
//!
//! Every document of a run is task (rank) 0, numbered in input order, as datatrove numbers
//! the documents of one task.

pub mod files;
mod minhash;
mod simplify;

pub use files::{Clusters, Removal};
pub use minhash::MinHasher;
pub use simplify::simplify;

use std::fmt;

/// The hash function shingles are hashed with (datatrove's `HashConfig.hash_fc`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashFunction {
    /// xxHash (XXH64, or XXH32 at 32 bits), seed 0.
    Xxhash,
    /// The first bytes of SHA-1, little-endian.
    Sha1,
}

/// The width of the hashes (datatrove's `HashConfig.precision`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    /// 32-bit hashes (`I` in the signature files).
    Bits32,
    /// 64-bit hashes (`Q`).
    Bits64,
}

impl Precision {
    /// Bytes per hash in the signature files.
    #[must_use]
    pub fn bytes(self) -> usize {
        match self {
            Self::Bits32 => 4,
            Self::Bits64 => 8,
        }
    }
}

/// A MinHash configuration (datatrove's `MinhashConfig`, with its `TextNormConfig` at its
/// defaults).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The configuration's name (`default`, `fineweb-2`), or `custom`.
    pub name: String,
    /// Words per shingle.
    pub n_grams: usize,
    /// Buckets (bands) of the signature.
    pub num_buckets: usize,
    /// Hashes per bucket: two documents pair when all of a bucket's hashes agree.
    pub hashes_per_bucket: usize,
    /// The seed of the permutations.
    pub seed: u64,
    /// The shingles' hash function.
    pub hash: HashFunction,
    /// The hashes' width.
    pub precision: Precision,
    /// Write each kept document's cluster size (`minhash_cluster_size`), as FineWeb-2 does.
    pub cluster_sizes: bool,
}

impl Config {
    /// The named configurations: `default` (datatrove 0.10.1's `MinhashConfig()`: 5-grams,
    /// 14 buckets of 8 xxHash-64 hashes) and `fineweb-2` (the same, and cluster sizes kept
    /// on the survivors, as FineWeb-2's pipeline saves and publishes them).
    #[must_use]
    pub fn named(name: &str) -> Option<Self> {
        let default = Self {
            name: "default".to_string(),
            n_grams: 5,
            num_buckets: 14,
            hashes_per_bucket: 8,
            seed: 1,
            hash: HashFunction::Xxhash,
            precision: Precision::Bits64,
            cluster_sizes: false,
        };
        match name {
            "default" => Some(default),
            "fineweb-2" => Some(Self {
                name: name.to_string(),
                cluster_sizes: true,
                ..default
            }),
            _ => None,
        }
    }

    /// The names [`Self::named`] knows.
    pub const NAMES: [&'static str; 2] = ["default", "fineweb-2"];

    /// Hashes per signature.
    #[must_use]
    pub fn num_hashes(&self) -> usize {
        self.num_buckets * self.hashes_per_bucket
    }

    /// Bytes of one record of a signature file: the bucket's hashes and the document.
    #[must_use]
    pub fn record_bytes(&self) -> usize {
        self.hashes_per_bucket * self.precision.bytes() + 4
    }
}

impl fmt::Display for Config {
    /// As datatrove prints a `MinhashConfig` (`5ng_14bs_8hs_HashConfig(...)`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}ng_{}bs_{}hs_HashConfig(precision={}, hash_fc={})",
            self.n_grams,
            self.num_buckets,
            self.hashes_per_bucket,
            self.precision.bytes() * 8,
            match self.hash {
                HashFunction::Xxhash => "xxhash",
                HashFunction::Sha1 => "sha1",
            }
        )
    }
}

/// The words datatrove's signature step shingles with for its `language` argument
/// (`eng`, `deu_Latn`, `de`): English's, or the FineWeb-2 language's; `None` when that
/// language's word tokenizer is not ported.
#[must_use]
pub fn lexicon_for_language(language: &str) -> Option<&'static crate::quality::Lexicon> {
    if matches!(language, "eng" | "en" | "eng_Latn") {
        return Some(crate::quality::Lexicon::english());
    }
    let recipe = crate::quality::recipe::fineweb2();
    let label = recipe.resolve(language, None)?;
    recipe.language(label)?.lexicon.as_ref()
}

/// datatrove's `MinhashDedupSignature` for one task: documents in, numbered in the order
/// they come (as its `enumerate(data)`), the task's sorted signature files out.
pub struct RankSignatures {
    hasher: MinHasher,
    lexicon: &'static crate::quality::Lexicon,
    sorter: files::SignatureSorter,
    next: u32,
    written: u64,
}

impl RankSignatures {
    /// Signatures of `config` shingled with `lexicon`, into `output/bucket_BBB/RRRRR.minhash.sig`
    /// for task `rank`, sorted in about `memory` bytes.
    pub fn new(
        output: &std::path::Path,
        config: Config,
        lexicon: &'static crate::quality::Lexicon,
        rank: u32,
        memory: usize,
    ) -> Result<Self, crate::Error> {
        let sorter =
            files::SignatureSorter::for_rank(output, &config, memory, rank).map_err(|source| {
                crate::Error::Io {
                    path: output.to_path_buf(),
                    source,
                }
            })?;
        Ok(Self {
            hasher: MinHasher::new(config)?,
            lexicon,
            sorter,
            next: 0,
            written: 0,
        })
    }

    /// Adds the next documents (their signatures computed in parallel).
    pub fn add(&mut self, texts: &[&str]) -> std::io::Result<()> {
        use rayon::prelude::*;
        let signatures: Vec<Option<Vec<u64>>> = texts
            .par_iter()
            .map(|text| {
                let mut signature = Vec::new();
                self.hasher
                    .signature(text, self.lexicon, &mut signature)
                    .then_some(signature)
            })
            .collect();
        for signature in signatures {
            if let Some(signature) = signature {
                self.sorter.add(self.next, &signature)?;
                self.written += 1;
            }
            self.next += 1;
        }
        Ok(())
    }

    /// Documents seen, and documents with a signature (the others have too few words).
    #[must_use]
    pub fn counts(&self) -> (u32, u64) {
        (self.next, self.written)
    }

    /// Writes the sorted files.
    pub fn finish(self) -> std::io::Result<()> {
        self.sorter.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::{simplify, Config, MinHasher};
    use crate::quality::recipe::fineweb2;
    use crate::quality::Lexicon;

    /// `fixtures/dedup/cases.jsonl` (`scripts/gen_dedup_cases.py`): datatrove's simplified
    /// text and signature for hand-picked strings and two documents of each language whose
    /// tokenizer textscrub ports.
    #[test]
    fn simplified_text_and_signatures_equal_datatrove_s() {
        let root = env!("CARGO_MANIFEST_DIR");
        let read = |path: &str| std::fs::read_to_string(format!("{root}/{path}")).unwrap();
        let docs: std::collections::HashMap<String, String> =
            read("fixtures/multilingual/docs.jsonl")
                .lines()
                .map(|line| {
                    let doc: serde_json::Value = serde_json::from_str(line).unwrap();
                    (
                        doc["id"].as_str().unwrap().into(),
                        doc["text"].as_str().unwrap().into(),
                    )
                })
                .collect();
        let hasher = MinHasher::new(Config::named("default").unwrap()).unwrap();
        let (mut checked, mut simplified, mut signature) = (0, String::new(), Vec::new());
        for line in read("fixtures/dedup/cases.jsonl").lines() {
            let case: serde_json::Value = serde_json::from_str(line).unwrap();
            let label = case["language"].as_str().unwrap();
            let lexicon = if label == "eng" {
                Some(Lexicon::english())
            } else {
                let recipe = fineweb2();
                recipe
                    .language(recipe.resolve(label, None).unwrap())
                    .unwrap()
                    .lexicon
                    .as_ref()
            };
            let Some(lexicon) = lexicon else { continue };
            let text = match case["text"].as_str() {
                Some(text) => text,
                None => &docs[case["source"].as_str().unwrap()],
            };
            simplify(text, &mut simplified);
            assert_eq!(simplified, case["simplified"].as_str().unwrap(), "{line}");
            let signed = hasher.signature(text, lexicon, &mut signature);
            match (&case["signature"], &case["xxh64"]) {
                (serde_json::Value::Array(expected), _) => {
                    let expected: Vec<u64> = expected.iter().map(|v| v.as_u64().unwrap()).collect();
                    assert_eq!(signature, expected, "{line}");
                }
                (_, serde_json::Value::String(digest)) => {
                    let bytes: Vec<u8> = signature.iter().flat_map(|v| v.to_le_bytes()).collect();
                    let actual = format!("{:016x}", twox_hash::XxHash64::oneshot(0, &bytes));
                    assert_eq!(&actual, digest, "{label} {}", case["source"]);
                }
                _ => assert!(!signed, "{line}: datatrove writes no signature"),
            }
            checked += 1;
        }
        assert!(checked > 150, "{checked} cases checked");
    }
}
