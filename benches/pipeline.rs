//! Criterion benchmarks of the stages of a `clean` run, in bytes per second: loading and
//! compiling the default rules, cleaning a document (seed articles, a long scraped page, a
//! pathological input), the unified diff, and JSONL parse + write. The plain-copy baseline
//! (`str::to_owned`) is measured in the same run, so figures can be read as ratios.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use textscrub::{diff, Options, Pipeline, RuleSet};

fn samples() -> Vec<(&'static str, String)> {
    let seed =
        |name: &str| std::fs::read_to_string(format!("fixtures/seeds/input/{name}")).unwrap();
    let pages: Vec<String> = std::fs::read_to_string("fixtures/scraped-dev/docs.jsonl")
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["text"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let longest = pages.iter().max_by_key(|p| p.len()).unwrap().clone();
    let all_pages = pages.join("\n\n");
    vec![
        ("seed-aa", seed("kyrgyzstan-aa-translated.txt")),
        ("seed-upi", seed("kyrgyzstan-upi.txt")),
        ("longest-page", longest),
        ("all-pages", all_pages),
        ("10k-ad-placeholders", "[ad_1] ".repeat(10_000)),
        ("1mb-single-line", "word ".repeat(200_000)),
    ]
}

fn rules(c: &mut Criterion) {
    c.bench_function("compile default rules", |b| {
        b.iter(|| Pipeline::new(RuleSet::defaults().unwrap(), Options::default()))
    });
}

fn clean(c: &mut Criterion) {
    let pipeline = Pipeline::new(RuleSet::defaults().unwrap(), Options::default());
    let mut group = c.benchmark_group("clean");
    for (name, text) in samples() {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(
            BenchmarkId::new("baseline-to-owned", name),
            &text,
            |b, t| b.iter(|| black_box(t.to_owned())),
        );
        group.bench_with_input(BenchmarkId::new("default-rules", name), &text, |b, t| {
            b.iter(|| pipeline.run(black_box(t)))
        });
    }
    group.finish();
}

fn diffs(c: &mut Criterion) {
    let pipeline = Pipeline::new(RuleSet::defaults().unwrap(), Options::default());
    let mut group = c.benchmark_group("diff");
    for (name, text) in samples().into_iter().take(4) {
        let cleaned = pipeline.run(&text).text;
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::new("unified", name), &text, |b, t| {
            b.iter(|| diff::unified("doc", black_box(t), &cleaned))
        });
    }
    group.finish();
}

fn json(c: &mut Criterion) {
    let pages = std::fs::read_to_string("fixtures/scraped-dev/docs.jsonl").unwrap();
    let mut group = c.benchmark_group("jsonl");
    group.throughput(Throughput::Bytes(pages.len() as u64));
    group.bench_function("parse + write back", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(pages.len());
            for line in pages.lines() {
                let record: serde_json::Map<String, serde_json::Value> =
                    serde_json::from_str(line).unwrap();
                serde_json::to_writer(&mut out, &record).unwrap();
                out.push(b'\n');
            }
            out
        })
    });
    group.finish();
}

criterion_group!(benches, rules, clean, diffs, json);
criterion_main!(benches);
