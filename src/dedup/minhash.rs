//! MinHash signatures as datatrove's `MinhashDedupSignature` computes them: the shingles of
//! a document are its simplified text's word n-grams joined with spaces and hashed; each of
//! the signature's hashes is the least of `(shingle * a + b) mod (2^61 - 1)` over them,
//! with NumPy's wrapping 64-bit arithmetic and the `a`, `b` datatrove draws
//! (`params.json`, from `scripts/gen_minhash_params.py`).

use std::cell::RefCell;
use std::sync::OnceLock;

use serde::Deserialize;

use super::simplify::simplify;
use super::{Config, HashFunction, Precision};
use crate::error::Error;
use crate::quality::Lexicon;

/// The Mersenne prime 2^61 - 1 the permutations are taken modulo.
const PRIME: u64 = (1 << 61) - 1;

const PARAMS: &str = include_str!("params.json");

#[derive(Deserialize)]
struct Params {
    params: Vec<Permutations>,
}

#[derive(Deserialize)]
struct Permutations {
    seed: u64,
    num_hashes: usize,
    a: Vec<u64>,
    b: Vec<u64>,
}

fn params() -> &'static [Permutations] {
    static TABLE: OnceLock<Vec<Permutations>> = OnceLock::new();
    TABLE.get_or_init(|| {
        serde_json::from_str::<Params>(PARAMS)
            .expect("generated parameters parse")
            .params
    })
}

/// `x mod (2^61 - 1)` for any 64-bit `x`: its high 3 bits count as ones (2^61 ≡ 1).
fn mod_prime(x: u64) -> u64 {
    let folded = (x & PRIME) + (x >> 61);
    if folded >= PRIME {
        folded - PRIME
    } else {
        folded
    }
}

/// `min[i] = min(min[i], ((hash * a[i] + b[i]) mod p) & mask)` for every hash: the work
/// of a signature, one shingle at a time.
fn fold_min(min: &mut [u64], a: &[u64], b: &[u64], hash: u64, mask: u64) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512dq")
        {
            // SAFETY: the CPU has the features the function is compiled for.
            return unsafe { fold_min_avx512(min, a, b, hash, mask) };
        }
    }
    fold_min_portable(min, a, b, hash, mask);
}

#[inline(always)]
fn fold_min_portable(min: &mut [u64], a: &[u64], b: &[u64], hash: u64, mask: u64) {
    for ((min, &a), &b) in min.iter_mut().zip(a).zip(b) {
        let value = mod_prime(hash.wrapping_mul(a).wrapping_add(b)) & mask;
        *min = (*min).min(value);
    }
}

/// The same loop, compiled where 64-bit lanes multiply and compare unsigned (AVX-512DQ):
/// the compiler vectorizes it eight hashes at a time.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq")]
unsafe fn fold_min_avx512(min: &mut [u64], a: &[u64], b: &[u64], hash: u64, mask: u64) {
    fold_min_portable(min, a, b, hash, mask);
}

/// Computes signatures for one configuration.
#[derive(Debug)]
pub struct MinHasher {
    config: Config,
    a: &'static [u64],
    b: &'static [u64],
}

/// Buffers reused across documents on one thread.
#[derive(Default)]
struct Scratch {
    simplified: String,
    /// The words, each followed by a space, and where each starts and ends.
    words: String,
    spans: Vec<(usize, usize)>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl MinHasher {
    /// A hasher for `config`; an error when its permutations were not generated (only
    /// datatrove's seed and sizes are checked in).
    pub fn new(config: Config) -> Result<Self, Error> {
        let num_hashes = config.num_hashes();
        let found = params()
            .iter()
            .find(|p| p.seed == config.seed && p.num_hashes == num_hashes)
            .ok_or_else(|| Error::Usage {
                message: format!(
                    "no MinHash permutations for seed {} and {num_hashes} hashes \
                     ({} buckets of {}); the generated ones: {} (scripts/gen_minhash_params.py \
                     adds more)",
                    config.seed,
                    config.num_buckets,
                    config.hashes_per_bucket,
                    params()
                        .iter()
                        .map(|p| format!("seed {} with {} hashes", p.seed, p.num_hashes))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            })?;
        Ok(Self {
            config,
            a: &found.a,
            b: &found.b,
        })
    }

    /// The configuration.
    #[must_use]
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The signature of `text` with the words of `lexicon` into `out` (`num_hashes` values,
    /// bucket after bucket); `false`, and `out` empty, when the text has fewer words than
    /// an n-gram, as datatrove then writes no signature.
    pub fn signature(&self, text: &str, lexicon: &Lexicon, out: &mut Vec<u64>) -> bool {
        out.clear();
        SCRATCH.with(|scratch| {
            let Scratch {
                simplified,
                words,
                spans,
            } = &mut *scratch.borrow_mut();
            simplify(text, simplified);
            // The words joined with single spaces: an n-gram joined as datatrove joins it
            // is then a slice, from its first word's start to its last word's end.
            words.clear();
            spans.clear();
            lexicon.for_each_word(simplified, |word| {
                spans.push((words.len(), words.len() + word.len()));
                words.push_str(word);
                words.push(' ');
            });
            let n = self.config.n_grams;
            if spans.len() < n {
                return false;
            }
            out.resize(self.a.len(), u64::MAX);
            // 32-bit signatures keep the low bits of each value before the minimum.
            let mask = match self.config.precision {
                Precision::Bits32 => u64::from(u32::MAX),
                Precision::Bits64 => u64::MAX,
            };
            for (first, last) in spans.iter().zip(&spans[n - 1..]) {
                let hash = self.hash(&words.as_bytes()[first.0..last.1]);
                fold_min(out, self.a, self.b, hash, mask);
            }
            true
        })
    }

    /// A shingle's hash, as datatrove's `create_hash_func` makes it.
    fn hash(&self, bytes: &[u8]) -> u64 {
        match (self.config.hash, self.config.precision) {
            (HashFunction::Xxhash, Precision::Bits64) => twox_hash::XxHash64::oneshot(0, bytes),
            (HashFunction::Xxhash, Precision::Bits32) => {
                u64::from(twox_hash::XxHash32::oneshot(0, bytes))
            }
            (HashFunction::Sha1, precision) => {
                let digest = sha1_smol::Sha1::from(bytes).digest().bytes();
                let mut low = [0; 8];
                let width = if precision == Precision::Bits64 { 8 } else { 4 };
                low[..width].copy_from_slice(&digest[..width]);
                u64::from_le_bytes(low)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::mod_prime;

    #[test]
    fn reduction_is_the_remainder() {
        for x in [
            0,
            1,
            super::PRIME - 1,
            super::PRIME,
            super::PRIME + 1,
            u64::MAX,
            1 << 63,
        ] {
            assert_eq!(mod_prime(x), x % super::PRIME, "{x}");
        }
    }
}
