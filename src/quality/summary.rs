//! A corpus summary of quality outcomes: documents kept and dropped, drops per rule, and the
//! distribution of every signal.
//!
//! It keeps one number per signal per document (about 270 bytes a document) so percentiles
//! are exact; that is the price of exactness on very large corpora.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use super::{round6, Quality, Signal, Signals, Verdict};
use crate::id::RuleId;

/// The percentiles reported for each signal, by name.
pub const PERCENTILES: [(&str, f64); 5] = [
    ("p5", 5.0),
    ("p25", 25.0),
    ("p50", 50.0),
    ("p75", 75.0),
    ("p95", 95.0),
];

/// Accumulates [`Quality`] outcomes, in any order.
#[derive(Debug, Clone)]
pub struct Summary {
    documents: usize,
    kept: usize,
    unjudged: usize,
    drops: Vec<(RuleId, usize)>,
    values: Vec<Vec<f64>>,
}

impl Summary {
    /// An empty summary; `rules` are the quality rules, in the order to report them.
    #[must_use]
    pub fn new(rules: impl IntoIterator<Item = RuleId>) -> Self {
        Self {
            documents: 0,
            kept: 0,
            unjudged: 0,
            drops: rules.into_iter().map(|id| (id, 0)).collect(),
            values: vec![Vec::new(); Signal::ALL.len()],
        }
    }

    /// Adds one document.
    pub fn add(&mut self, quality: &Quality) {
        self.documents += 1;
        match quality.verdict {
            Verdict::Keep => self.kept += 1,
            Verdict::Unjudged => self.unjudged += 1,
            Verdict::Drop => {}
        }
        for reason in &quality.reasons {
            match self.drops.iter_mut().find(|(id, _)| *id == reason.rule) {
                Some((_, count)) => *count += 1,
                None => self.drops.push((reason.rule.clone(), 1)),
            }
        }
        for (signal, value) in quality.signals.iter().flat_map(Signals::iter) {
            self.values[signal as usize].push(value);
        }
    }

    /// Documents seen.
    #[must_use]
    pub fn documents(&self) -> usize {
        self.documents
    }

    /// Documents every quality rule passed.
    #[must_use]
    pub fn kept(&self) -> usize {
        self.kept
    }

    /// Documents no rules could judge (their language has none).
    #[must_use]
    pub fn unjudged(&self) -> usize {
        self.unjudged
    }

    /// Documents at least one quality rule failed.
    #[must_use]
    pub fn dropped(&self) -> usize {
        self.documents - self.kept - self.unjudged
    }

    /// `(rule, documents it failed)`, in rule order. A document can fail several rules.
    #[must_use]
    pub fn drops(&self) -> &[(RuleId, usize)] {
        &self.drops
    }

    /// The distribution of one signal over the documents.
    #[must_use]
    pub fn distribution(&self, signal: Signal) -> Distribution {
        Distribution::of(&self.values[signal as usize])
    }
}

/// Minimum, percentiles (nearest rank), maximum and mean of a signal.
#[derive(Debug, Clone, PartialEq)]
pub struct Distribution {
    /// The smallest value.
    pub min: f64,
    /// The values at [`PERCENTILES`], in that order.
    pub percentiles: [f64; PERCENTILES.len()],
    /// The largest value.
    pub max: f64,
    /// The arithmetic mean.
    pub mean: f64,
}

impl Distribution {
    fn of(values: &[f64]) -> Self {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        // Nearest rank: the smallest value with at least p% of the values at or below it.
        let rank = |p: f64| {
            let index = ((p / 100.0) * n as f64).ceil() as usize;
            sorted.get(index.saturating_sub(1)).copied().unwrap_or(0.0)
        };
        Self {
            min: sorted.first().copied().unwrap_or(0.0),
            percentiles: PERCENTILES.map(|(_, p)| rank(p)),
            max: sorted.last().copied().unwrap_or(0.0),
            mean: if n == 0 {
                0.0
            } else {
                sorted.iter().sum::<f64>() / n as f64
            },
        }
    }

    /// `(name, value)`: min, the percentiles, max, mean.
    pub fn columns(&self) -> impl Iterator<Item = (&'static str, f64)> + '_ {
        std::iter::once(("min", self.min))
            .chain(
                PERCENTILES
                    .iter()
                    .zip(self.percentiles)
                    .map(|((name, _), v)| (*name, v)),
            )
            .chain([("max", self.max), ("mean", self.mean)])
    }
}

impl Serialize for Distribution {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (name, value) in self.columns() {
            map.serialize_entry(name, &round6(value))?;
        }
        map.end()
    }
}

impl Serialize for Summary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Drops<'a>(&'a [(RuleId, usize)]);
        impl Serialize for Drops<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(Some(self.0.len()))?;
                for (rule, count) in self.0 {
                    map.serialize_entry(rule.as_str(), count)?;
                }
                map.end()
            }
        }
        struct Signals<'a>(&'a Summary);
        impl Serialize for Signals<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(Some(Signal::ALL.len()))?;
                for &signal in Signal::ALL {
                    map.serialize_entry(signal.name(), &self.0.distribution(signal))?;
                }
                map.end()
            }
        }
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("documents", &self.documents)?;
        map.serialize_entry("kept", &self.kept)?;
        map.serialize_entry("dropped", &self.dropped())?;
        if self.unjudged > 0 {
            map.serialize_entry("unjudged", &self.unjudged)?;
        }
        map.serialize_entry("drops_by_rule", &Drops(&self.drops))?;
        map.serialize_entry("signals", &Signals(self))?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let values: Vec<f64> = (1..=20).map(f64::from).collect();
        let d = Distribution::of(&values);
        assert_eq!(d.min, 1.0);
        // p5 of 20 values: rank ceil(1) = 1; p25: rank 5; p50: rank 10; p95: rank 19.
        assert_eq!(d.percentiles, [1.0, 5.0, 10.0, 15.0, 19.0]);
        assert_eq!(d.max, 20.0);
        assert_eq!(d.mean, 10.5);
        assert_eq!(Distribution::of(&[]).mean, 0.0);
    }
}
