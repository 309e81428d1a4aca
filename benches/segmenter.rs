//! Sentence segmentation throughput, against plain UAX #29 on the same inputs in the
//! same run, so the ratio holds whatever the machine.
//!
//! Inputs: a hard-wrapped public-domain novel (`fixtures/corpus/pride-and-prejudice.txt`,
//! 685 KB), the same novel unwrapped into one line per paragraph (the shape of scraped
//! text), and the two seed articles.
//!
//! Language detection (which picks sentence rules when a record does not say) is measured
//! against `whatlang::detect`, whose answers it reproduces, on the same samples: the
//! `text` of every case in the Golden Rules of 22 languages, and the novel in windows of
//! the sample size.
//!
//! `cargo bench --bench segmenter` takes about a minute; pass a filter (`-- novel`) to run
//! one input.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use textscrub::sentence::{detect, Language, Segmenter};
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

/// The Golden Rules files, one per language, whose `text = "..."` lines are the samples.
const GOLDEN: [&str; 22] = [
    include_str!("../fixtures/sentences/am.toml"),
    include_str!("../fixtures/sentences/ar.toml"),
    include_str!("../fixtures/sentences/bg.toml"),
    include_str!("../fixtures/sentences/de.toml"),
    include_str!("../fixtures/sentences/el.toml"),
    include_str!("../fixtures/sentences/en.toml"),
    include_str!("../fixtures/sentences/es.toml"),
    include_str!("../fixtures/sentences/fa.toml"),
    include_str!("../fixtures/sentences/fr.toml"),
    include_str!("../fixtures/sentences/hi.toml"),
    include_str!("../fixtures/sentences/hy.toml"),
    include_str!("../fixtures/sentences/ja.toml"),
    include_str!("../fixtures/sentences/kk.toml"),
    include_str!("../fixtures/sentences/my.toml"),
    include_str!("../fixtures/sentences/nl.toml"),
    include_str!("../fixtures/sentences/pl.toml"),
    include_str!("../fixtures/sentences/ru.toml"),
    include_str!("../fixtures/sentences/sk.toml"),
    include_str!("../fixtures/sentences/tr.toml"),
    include_str!("../fixtures/sentences/uk.toml"),
    include_str!("../fixtures/sentences/ur.toml"),
    include_str!("../fixtures/sentences/zh.toml"),
];

fn detection(c: &mut Criterion) {
    let golden: Vec<&str> = GOLDEN
        .iter()
        .flat_map(|file| file.lines())
        .filter_map(|line| line.strip_prefix("text = \""))
        .collect();
    let mut novel = Vec::new();
    let mut rest = NOVEL;
    while rest.len() >= detect::SAMPLE_BYTES {
        let mut end = detect::SAMPLE_BYTES;
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        novel.push(&rest[..end]);
        rest = &rest[end..];
    }
    let mut group = c.benchmark_group("detect");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    for (name, samples) in [("golden-rules-22", &golden), ("novel-windows", &novel)] {
        let bytes: usize = samples.iter().map(|s| s.len()).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_with_input(
            BenchmarkId::new("textscrub", name),
            samples,
            |b, samples| {
                b.iter(|| {
                    samples
                        .iter()
                        .filter_map(|s| detect::detect(black_box(s)))
                        .count()
                })
            },
        );
        group.bench_with_input(BenchmarkId::new("whatlang", name), samples, |b, samples| {
            b.iter(|| {
                samples
                    .iter()
                    .filter_map(|s| whatlang::detect(black_box(s)))
                    .count()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, segmentation, detection);
criterion_main!(benches);
