//! whatlang's scoring of the scripts several languages share (Latin, Cyrillic, Arabic,
//! Devanagari, Hebrew), computed through an inverted trigram index.
//!
//! whatlang 0.16 looks each of a profile's 300 trigrams up in a hash map of the text's
//! trigrams, for every language of the script: 10,800 look-ups per Latin text, most of its
//! time. Here each distinct trigram of the text is looked up once, in a hash table that
//! lists the profiles holding it and where. The arithmetic, the sorts and therefore the
//! order of ties are whatlang's (`combined::raw_detect`, `alphabets::common`,
//! `trigrams::detection`), with its own `Lang` values in the sorted tuples, so the result
//! is the same language and the same confidence bit for bit; the tests compare the two.

use std::cmp::Reverse;

use whatlang::Lang;

/// One script's data as generated from whatlang's source (`profiles.rs`).
pub(super) struct ScriptData {
    /// The script's languages, in whatlang's `script_langs` order.
    pub(super) langs: &'static [&'static str],
    /// Each language's alphabet, for Latin and Cyrillic; empty where whatlang scores every
    /// language of the script alike.
    pub(super) alphabets: &'static [(&'static str, &'static str)],
    /// Each language's trigram profile, three chars per trigram, most frequent first.
    pub(super) profiles: &'static [(&'static str, &'static str)],
}

/// whatlang's `MAX_TRIGRAM_DISTANCE`: the distance of a profile trigram the text lacks.
const MAX_TRIGRAM_DISTANCE: u32 = 300;
/// whatlang's `TEXT_TRIGRAMS_SIZE`: how many of the text's most frequent trigrams count.
const TEXT_TRIGRAMS_SIZE: usize = 600;

/// A script's data arranged for scoring.
pub(super) struct Index {
    langs: Vec<Lang>,
    /// The alphabets' characters, sorted, with how many alphabets hold each (counting
    /// repeats, as whatlang's inverted map does) and which of `langs` they are.
    alphabet_chars: Vec<char>,
    alphabet_holders: Vec<(usize, Vec<usize>)>,
    profile_langs: Vec<Lang>,
    profile_len: Vec<u32>,
    /// Sorted distinct trigram keys of all profiles; `postings[starts[k]..starts[k + 1]]`
    /// holds (profile, position) for `keys[k]`.
    keys: Vec<u64>,
    /// `keys` by open addressing: slot `slot(key)` on holds the key's index + 1, or 0
    /// where the search stops. A binary search over the thousands of keys was most of
    /// the time of a detection.
    slots: Vec<u32>,
    starts: Vec<u32>,
    postings: Vec<(u16, u16)>,
}

fn lang(code: &str) -> Lang {
    Lang::from_code(code).unwrap_or_else(|| panic!("whatlang has no language `{code}`"))
}

/// A trigram as one number that sorts as whatlang's `Trigram(char, char, char)` does.
fn key(a: char, b: char, c: char) -> u64 {
    (u64::from(a) << 42) | (u64::from(b) << 21) | u64::from(c)
}

/// Where a key's search starts in [`Index::slots`] (before masking).
fn slot(key: u64) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize
}

/// whatlang's stop characters: ASCII spaces, punctuation and digits.
fn is_stop_char(ch: char) -> bool {
    matches!(ch, '\u{0000}'..='\u{0040}' | '\u{005B}'..='\u{0060}' | '\u{007B}'..='\u{007E}')
}

impl Index {
    pub(super) fn new(data: &ScriptData) -> Index {
        let langs: Vec<Lang> = data.langs.iter().map(|code| lang(code)).collect();

        let mut holders: std::collections::BTreeMap<char, (usize, Vec<usize>)> =
            std::collections::BTreeMap::new();
        for (code, alphabet) in data.alphabets {
            let position = langs.iter().position(|&l| l == lang(code));
            for ch in alphabet.chars() {
                let entry = holders.entry(ch).or_default();
                entry.0 += 1;
                entry.1.extend(position);
            }
        }
        let (alphabet_chars, alphabet_holders) = holders.into_iter().unzip();

        let mut entries = Vec::new();
        let mut profile_len = Vec::new();
        for (profile, (_, trigrams)) in data.profiles.iter().enumerate() {
            let chars: Vec<char> = trigrams.chars().collect();
            profile_len.push(u32::try_from(chars.len() / 3).expect("a short profile"));
            for (position, t) in chars.chunks_exact(3).enumerate() {
                let at = (profile as u16, position as u16);
                entries.push((key(t[0], t[1], t[2]), at));
            }
        }
        entries.sort_unstable();
        let mut keys = Vec::new();
        let mut starts = Vec::new();
        let mut postings = Vec::with_capacity(entries.len());
        for (k, at) in entries {
            if keys.last() != Some(&k) {
                keys.push(k);
                starts.push(postings.len() as u32);
            }
            postings.push(at);
        }
        starts.push(postings.len() as u32);
        let mut slots = vec![0u32; (keys.len() * 2).next_power_of_two()];
        let mask = slots.len() - 1;
        for (k, &key) in keys.iter().enumerate() {
            let mut at = slot(key) & mask;
            while slots[at] != 0 {
                at = (at + 1) & mask;
            }
            slots[at] = u32::try_from(k + 1).expect("fewer than 2^32 trigrams");
        }

        Index {
            langs,
            alphabet_chars,
            alphabet_holders,
            profile_langs: data.profiles.iter().map(|(code, _)| lang(code)).collect(),
            profile_len,
            keys,
            slots,
            starts,
            postings,
        }
    }

    /// The best language for `text` (written in this index's script) and whatlang's
    /// confidence in it; `None` when the script has no languages.
    pub(super) fn detect(&self, text: &str) -> Option<(Lang, f64)> {
        let lowercase = text.to_lowercase();
        let (alphabet_count, alphabet_scores) = self.alphabet_scores(&lowercase);
        let (trigrams_count, trigram_scores) = self.trigram_scores(&lowercase);

        let mut all_langs: Vec<Lang> = alphabet_scores.iter().map(|x| x.0).collect();
        for (lang, _) in &trigram_scores {
            if !all_langs.contains(lang) {
                all_langs.push(*lang);
            }
        }
        let alphabet_weight =
            (-(alphabet_count as f64 / 300.0) + 2.0 / 3.0).clamp(1.0 / 3.0, 2.0 / 3.0);
        let trigram_weight = 1.0 - alphabet_weight;
        let score_of = |scores: &[(Lang, f64)], lang: Lang| {
            scores.iter().find(|(l, _)| *l == lang).map_or(0.0, |x| x.1)
        };
        let mut scores: Vec<(Lang, f64)> = all_langs
            .into_iter()
            .map(|lang| {
                let a = score_of(&alphabet_scores, lang);
                let t = score_of(&trigram_scores, lang);
                (lang, a * alphabet_weight + t * trigram_weight)
            })
            .collect();
        scores.sort_unstable_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Less));

        let (lang, best) = *scores.first()?;
        let confidence = match scores.get(1) {
            Some(&(_, second)) => confidence(best, second, trigrams_count),
            None => 1.0,
        };
        Some((lang, confidence))
    }

    /// Where `key` is in `keys`, if it is.
    fn position(&self, key: u64) -> Option<usize> {
        let mask = self.slots.len() - 1;
        let mut at = slot(key) & mask;
        loop {
            let k = usize::try_from(self.slots[at]).ok()?.checked_sub(1)?;
            if self.keys[k] == key {
                return Some(k);
            }
            at = (at + 1) & mask;
        }
    }

    /// whatlang's alphabet scores: how many of the text's letters each alphabet holds,
    /// less those it lacks, as a share of the letters; with the number of letters.
    fn alphabet_scores(&self, text: &str) -> (usize, Vec<(Lang, f64)>) {
        if self.alphabet_chars.is_empty() {
            // Scripts without alphabets: every language alike (whatlang's `build_mock`).
            return (1, self.langs.iter().map(|&l| (l, 1.0)).collect());
        }
        let mut char_scores = vec![0usize; self.alphabet_chars.len()];
        let mut letters = 0usize;
        for ch in text.chars() {
            if is_stop_char(ch) {
                continue;
            }
            letters += 1;
            if let Ok(at) = self.alphabet_chars.binary_search(&ch) {
                char_scores[at] += 2;
            }
        }
        let mut lang_scores = vec![0usize; self.langs.len()];
        let mut common = 0usize;
        for (score, (holders, langs)) in char_scores.into_iter().zip(&self.alphabet_holders) {
            if score == 0 {
                continue;
            }
            if *holders == self.langs.len() {
                common += score;
            } else {
                for &lang in langs {
                    lang_scores[lang] += score;
                }
            }
        }
        let mut raw: Vec<(Lang, usize)> = self
            .langs
            .iter()
            .zip(lang_scores)
            .map(|(&lang, score)| (lang, (score + common).saturating_sub(letters)))
            .collect();
        raw.sort_unstable_by_key(|(_, score)| Reverse(*score));
        let scores = raw
            .into_iter()
            .map(|(lang, score)| (lang, score as f64 / letters as f64))
            .collect();
        (letters, scores)
    }

    /// whatlang's trigram scores: how close each profile's ranking of trigrams is to the
    /// text's, as a share; with the number of distinct trigrams that count.
    fn trigram_scores(&self, text: &str) -> (usize, Vec<(Lang, f64)>) {
        let ranked = ranked_trigrams(text);
        let count = ranked.len() as u32;

        // Σ over found trigrams of (|n - i| - 300): the profile's distance is 300 for each
        // of its trigrams plus this.
        let mut found = vec![0i64; self.profile_langs.len()];
        for (n, k) in ranked.iter().enumerate() {
            let Some(at) = self.position(*k) else {
                continue;
            };
            let postings = &self.postings[self.starts[at] as usize..self.starts[at + 1] as usize];
            for &(profile, i) in postings {
                let distance = (n as i64 - i64::from(i)).abs();
                found[usize::from(profile)] += distance - i64::from(MAX_TRIGRAM_DISTANCE);
            }
        }
        let mut distances: Vec<(Lang, u32)> = self
            .profile_langs
            .iter()
            .zip(&self.profile_len)
            .zip(found)
            .map(|((&lang, &len), found)| {
                let all = i64::from(len * MAX_TRIGRAM_DISTANCE) + found;
                let mut distance = u32::try_from(all).expect("distances are positive");
                if MAX_TRIGRAM_DISTANCE > count {
                    distance -= (MAX_TRIGRAM_DISTANCE - count) * MAX_TRIGRAM_DISTANCE;
                }
                let most = MAX_TRIGRAM_DISTANCE * MAX_TRIGRAM_DISTANCE;
                (lang, distance.clamp(0, most))
            })
            .collect();
        distances.sort_unstable_by_key(|(_, distance)| *distance);

        let max_distance = count * MAX_TRIGRAM_DISTANCE;
        let scores = distances
            .into_iter()
            .map(|(lang, distance)| {
                let similarity = max_distance - distance;
                (lang, f64::from(similarity) / f64::from(max_distance))
            })
            .collect();
        (ranked.len(), scores)
    }
}

/// The text's distinct trigrams, most frequent first (ties: the greater trigram first),
/// at most [`TEXT_TRIGRAMS_SIZE`]: whatlang's `get_trigrams_with_positions`, where a
/// trigram's position is its index here. Stop characters read as spaces, the text is
/// padded with a space either side, and trigrams of a space between spaces or ending a
/// word are skipped.
fn ranked_trigrams(text: &str) -> Vec<u64> {
    let to_char = |ch: char| if is_stop_char(ch) { ' ' } else { ch };
    let mut chars = text.chars().map(to_char).chain(Some(' '));
    let mut all = Vec::with_capacity(text.len());
    let (mut c1, mut c2) = (' ', chars.next().unwrap_or(' '));
    for c3 in chars {
        if !(c2 == ' ' && (c1 == ' ' || c3 == ' ')) {
            all.push(key(c1, c2, c3));
        }
        c1 = c2;
        c2 = c3;
    }
    all.sort_unstable();
    let mut counted: Vec<(u32, u64)> = Vec::with_capacity(all.len());
    for k in all {
        match counted.last_mut() {
            Some((n, last)) if *last == k => *n += 1,
            _ => counted.push((1, k)),
        }
    }
    counted.sort_unstable_by(|a, b| b.cmp(a));
    counted.truncate(TEXT_TRIGRAMS_SIZE);
    counted.into_iter().map(|(_, k)| k).collect()
}

/// whatlang's `calculate_confidence`: the best score's margin over the second, relative
/// to the second, against a bar that falls as the sample grows.
fn confidence(best: f64, second: f64, count: usize) -> f64 {
    if best == 0.0 {
        return 0.0;
    }
    if second == 0.0 {
        return best;
    }
    let confident_rate = (3.0 / count as f64) + 0.015;
    let rate = (best - second) / second;
    if rate > confident_rate {
        1.0
    } else {
        rate / confident_rate
    }
}
