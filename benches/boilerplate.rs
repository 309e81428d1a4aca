//! The line model and the repeated-lines counting pass, in bytes per second on one core,
//! against plain `clean` (the default rules) on the same 138 scraped pages in the same
//! run: `cargo bench --bench boilerplate`.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use textscrub::discover::lines::{line_keys, Counter, Options as LineOptions};
use textscrub::{Options, Pipeline, RuleSet};

fn pages() -> Vec<String> {
    std::fs::read_to_string("fixtures/scraped-dev/docs.jsonl")
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["text"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

fn boilerplate(c: &mut Criterion) {
    let pages = pages();
    let bytes: usize = pages.iter().map(String::len).sum();
    let plain = Pipeline::new(RuleSet::defaults().unwrap(), Options::default());
    let mut rules = RuleSet::defaults().unwrap();
    rules
        .select_extended(&[], &["boilerplate/*".to_string()], &[])
        .unwrap();
    let model_rule = rules
        .rules()
        .iter()
        .find(|r| r.id.as_str() == "boilerplate/line")
        .unwrap()
        .clone();
    let with_model = Pipeline::new(rules, Options::default());
    let mut group = c.benchmark_group("boilerplate");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.bench_function("plain-clean", |b| {
        b.iter(|| {
            for p in &pages {
                black_box(plain.run(p));
            }
        })
    });
    group.bench_function("clean-with-boilerplate", |b| {
        b.iter(|| {
            for p in &pages {
                black_box(with_model.run(p));
            }
        })
    });
    group.bench_function("line-model-alone", |b| {
        b.iter(|| {
            for p in &pages {
                black_box(model_rule.edits(p));
            }
        })
    });
    group.bench_function("count-repeated-lines", |b| {
        b.iter(|| {
            let mut counter = Counter::new(LineOptions::default());
            for p in &pages {
                counter.add("all", &line_keys(p));
            }
            black_box(counter.finish())
        })
    });
    group.finish();
}

criterion_group!(benches, boilerplate);
criterion_main!(benches);
