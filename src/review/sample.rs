//! The cap on embedded documents: a bounded, deterministic sample of a stream of
//! documents in which every rule keeps examples.
//!
//! Each document gets a pseudo-random priority from its position in the input (so the
//! same input gives the same page). The sample is the union of, per category (a rule, or
//! "dropped", or "guard"), the `quota` documents of lowest priority in it, topped up to the
//! cap with the lowest priorities overall. Only documents in one of those bottom-k sets
//! are held, so memory stays bounded by `cap + categories × quota` documents however long
//! the run.

use std::collections::{BTreeSet, HashMap};

use super::Entry;

#[derive(Debug)]
pub(super) struct Sampler {
    cap: usize,
    quota: usize,
    seen: usize,
    overall: BTreeSet<(u64, usize)>,
    per_category: HashMap<String, BTreeSet<(u64, usize)>>,
    held: HashMap<usize, Entry>,
}

impl Sampler {
    /// `categories` is the number of rules plus pseudo-categories, known up front so the
    /// per-category quota leaves half the cap to the overall sample.
    pub(super) fn new(cap: usize, categories: usize) -> Self {
        let quota = if cap == 0 {
            0
        } else {
            (cap / (2 * categories.max(1))).clamp(1, 50)
        };
        Self {
            cap,
            quota,
            seen: 0,
            overall: BTreeSet::new(),
            per_category: HashMap::new(),
            held: HashMap::new(),
        }
    }

    /// Documents offered so far.
    pub(super) fn seen(&self) -> usize {
        self.seen
    }

    /// The per-category quota of examples.
    pub(super) fn quota(&self) -> usize {
        self.quota
    }

    pub(super) fn offer(&mut self, entry: Entry) {
        let index = self.seen;
        self.seen += 1;
        let key = (priority(index), index);
        let mut keep = false;
        let mut evicted = Vec::new();
        if self.cap > 0 {
            keep |= insert_bounded(&mut self.overall, key, self.cap, &mut evicted);
        }
        for category in entry.categories() {
            let set = self.per_category.entry(category).or_default();
            keep |= insert_bounded(set, key, self.quota, &mut evicted);
        }
        if keep {
            self.held.insert(index, entry);
        }
        for gone in evicted {
            if !self.is_in_a_set(gone) {
                self.held.remove(&gone.1);
            }
        }
    }

    fn is_in_a_set(&self, key: (u64, usize)) -> bool {
        self.overall.contains(&key)
            || self
                .held
                .get(&key.1)
                .is_some_and(|e| e.categories().any(|c| self.per_category[&c].contains(&key)))
    }

    /// The sample, in input order.
    pub(super) fn finish(mut self) -> Vec<Entry> {
        let mut chosen: BTreeSet<(u64, usize)> = BTreeSet::new();
        for set in self.per_category.values() {
            chosen.extend(set.iter().copied());
        }
        for key in &self.overall {
            if chosen.len() >= self.cap {
                break;
            }
            chosen.insert(*key);
        }
        let mut indices: Vec<usize> = chosen.into_iter().map(|(_, i)| i).collect();
        indices.sort_unstable();
        indices
            .into_iter()
            .filter_map(|i| self.held.remove(&i))
            .collect()
    }
}

/// Inserts `key` if it is among the `bound` smallest; the key pushed out, if any, goes
/// to `evicted`. Returns whether `key` is in the set.
fn insert_bounded(
    set: &mut BTreeSet<(u64, usize)>,
    key: (u64, usize),
    bound: usize,
    evicted: &mut Vec<(u64, usize)>,
) -> bool {
    if bound == 0 {
        return false;
    }
    if set.len() < bound {
        set.insert(key);
        return true;
    }
    let largest = *set.last().expect("a full set is not empty");
    if key < largest {
        set.remove(&largest);
        set.insert(key);
        evicted.push(largest);
        true
    } else {
        false
    }
}

/// splitmix64: a fixed, well-mixed hash of the position, stable across platforms and
/// Rust versions (unlike `DefaultHasher`).
fn priority(index: usize) -> u64 {
    let mut z = (index as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Change, Outcome, RuleId};

    /// A document changed by the given rules.
    fn entry(index: usize, rules: &[&str]) -> Entry {
        let text = format!("document {index} xx\n");
        let mut outcome = Outcome::unchanged(&text);
        for rule in rules {
            outcome.changes.push(Change {
                rule: RuleId::parse(rule).unwrap(),
                span: crate::Span {
                    start: text.len() - 3,
                    end: text.len() - 1,
                    line: 1,
                    column: text.len() - 2,
                },
                before: "xx".into(),
                after: String::new(),
                score: None,
                count: None,
            });
        }
        outcome.text = format!("document {index} \n");
        Entry::prepare(&format!("d{index}"), &text, &outcome)
    }

    fn sample(cap: usize, docs: impl Iterator<Item = Entry>) -> Vec<String> {
        let mut sampler = Sampler::new(cap, 4);
        for entry in docs {
            sampler.offer(entry);
        }
        sampler
            .finish()
            .iter()
            .map(|e| e.id().to_string())
            .collect()
    }

    #[test]
    fn rare_rules_keep_examples_and_the_cap_holds() {
        // 1000 documents of a common rule; a rare rule in three of them, alone.
        let docs = (0..1000).map(|i| match i {
            17 | 500 | 999 => entry(i, &["a/rare"]),
            _ => entry(i, &["a/common"]),
        });
        let ids = sample(40, docs);
        assert_eq!(ids.len(), 40);
        for rare in ["d17", "d500", "d999"] {
            assert!(
                ids.contains(&rare.to_string()),
                "{rare} missing from {ids:?}"
            );
        }
        // Input order, no duplicates.
        let mut sorted = ids.clone();
        sorted.sort_by_key(|id| id[1..].parse::<usize>().unwrap());
        sorted.dedup();
        assert_eq!(sorted, ids);
    }

    #[test]
    fn under_the_cap_everything_is_kept_and_the_sample_is_deterministic() {
        let ids = sample(100, (0..60).map(|i| entry(i, &["a/x"])));
        assert_eq!(ids.len(), 60);
        let once = sample(10, (0..300).map(|i| entry(i, &["a/x"])));
        let twice = sample(10, (0..300).map(|i| entry(i, &["a/x"])));
        assert_eq!(once, twice);
        assert_eq!(once.len(), 10);
    }
}
