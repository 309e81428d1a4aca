//! The cost of the normalize stage (the seven default glitch-repair rules) on clean and
//! on glitchy text, in bytes per second, beside two baselines measured in the same run:
//! copying the text (`str::to_owned`) and one `memchr` scan over it. Clean text should
//! cost a few scans, because every step skips a document with nothing suspicious in it.
//!
//! `cargo bench --bench normalize`

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use textscrub::{Options, Pipeline, RuleSet};

/// About 1 MB of `unit`, repeated.
fn sample(unit: &str) -> String {
    unit.repeat(1_000_000 / unit.len() + 1)
}

fn normalize_stage() -> Pipeline {
    let mut rules = RuleSet::defaults().expect("default rules compile");
    rules
        .select(
            &[
                "unicode/*".to_string(),
                "scraper/html-*".to_string(),
                "space/*".to_string(),
            ],
            &[],
        )
        .expect("the normalize rules exist");
    Pipeline::new(rules, Options::default())
}

fn bench(c: &mut Criterion) {
    let seed =
        std::fs::read_to_string("fixtures/seeds/input/kyrgyzstan-upi.txt").expect("seed fixture");
    let inputs = [
        (
            "clean-ascii",
            sample("The quick brown fox jumps over the lazy dog. It was 5 p.m. on Tuesday.\n\n"),
        ),
        ("clean-news", sample(&seed)),
        (
            "clean-multilingual",
            sample("L’été à Paris, „groß“, Москва — столица, Καλημέρα, 東京は日本の首都です。😀\n"),
        ),
        (
            "glitchy",
            sample("Itâ€™s a cafÃ© &amp; <b>bar</b>\u{200b} in Кyrgyzstan.  Cafe\u{301} \r\n"),
        ),
    ];
    let pipeline = normalize_stage();
    let mut group = c.benchmark_group("normalize");
    group.sample_size(10);
    group.measurement_time(std::time::Duration::from_secs(2));
    group.warm_up_time(std::time::Duration::from_millis(500));
    for (name, text) in &inputs {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("baseline-to-owned/{name}"), |b| {
            b.iter(|| black_box(text.as_str()).to_owned())
        });
        group.bench_function(format!("baseline-memchr/{name}"), |b| {
            b.iter(|| memchr::memchr(0, black_box(text.as_bytes())))
        });
        group.bench_function(format!("stage/{name}"), |b| {
            b.iter(|| pipeline.run(black_box(text)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
