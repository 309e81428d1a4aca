//! Sentence segmentation throughput, against plain UAX #29 on the same inputs in the
//! same run, so the ratio holds whatever the machine.
//!
//! Inputs: a hard-wrapped public-domain novel (`fixtures/corpus/pride-and-prejudice.txt`,
//! 685 KB), the same novel unwrapped into one line per paragraph (the shape of scraped
//! text), and the two seed articles.
//!
//! `cargo bench --bench segmenter` takes about a minute; pass a filter (`-- novel`) to run
//! one input.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use textscrub::sentence::{Language, Segmenter};
use unicode_segmentation::UnicodeSegmentation;

const NOVEL: &str = include_str!("../fixtures/corpus/pride-and-prejudice.txt");
const UPI: &str = include_str!("../fixtures/sentences/seeds/kyrgyzstan-upi.txt");
const AA: &str = include_str!("../fixtures/sentences/seeds/kyrgyzstan-aa-translated.txt");

/// The novel with each paragraph on one line, like scraped web text.
fn unwrapped(text: &str) -> String {
    text.split("\n\n")
        .map(|paragraph| paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn segmentation(c: &mut Criterion) {
    let paragraphs = unwrapped(NOVEL);
    let seeds = format!("{UPI}\n\n{AA}");
    let inputs = [
        ("novel-hard-wrapped", NOVEL),
        ("novel-paragraph-lines", paragraphs.as_str()),
        ("seeds", seeds.as_str()),
    ];
    let segmenter = Segmenter::new(Language::English);
    let mut group = c.benchmark_group("sentences");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    for (name, text) in inputs {
        group.throughput(Throughput::Bytes(text.len() as u64));
        let mut buffer = Vec::new();
        group.bench_with_input(BenchmarkId::new("textscrub", name), text, |b, text| {
            b.iter(|| {
                segmenter.split_into(black_box(text), &mut buffer);
                buffer.len()
            })
        });
        group.bench_with_input(
            BenchmarkId::new("uax29-unicode-sentences", name),
            text,
            |b, text| b.iter(|| black_box(text).unicode_sentences().count()),
        );
        group.bench_with_input(
            BenchmarkId::new("uax29-split-sentence-bounds", name),
            text,
            |b, text| b.iter(|| black_box(text).split_sentence_bounds().count()),
        );
    }
    group.finish();
}

criterion_group!(benches, segmentation);
criterion_main!(benches);
