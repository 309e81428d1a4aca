//! The cost of `discover names` on one core, in bytes per second: the per-document pass
//! alone (what runs in parallel), the whole discovery (pass, then linking), and, as the
//! baseline measured in the same run, the default `clean` pipeline on the same documents.
//! Input: the 138 scraped pages of fixtures/scraped-dev (1.7 MB of real English pages)
//! and the project's name corpora (English and Turkish-route wire copy), each read once.
//!
//! `cargo bench --bench discover`

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use textscrub::discover::names::{NameScan, NameScanner};
use textscrub::{Options, Pipeline, RuleSet};

fn documents(path: &str) -> Vec<String> {
    std::fs::read_to_string(path)
        .expect("fixture")
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_string))
        .collect()
}

fn bench(c: &mut Criterion) {
    let rules = RuleSet::defaults().expect("default rules compile");
    let scanner = NameScanner::new(&rules);
    let pipeline = Pipeline::new(rules.clone(), Options::default());
    let inputs = [
        (
            "scraped-pages",
            documents("fixtures/scraped-dev/docs.jsonl"),
        ),
        ("wire-copy", {
            // The two name corpora, repeated to about 1 MB.
            let mut docs = documents("fixtures/names/dev/corpus.jsonl");
            docs.extend(documents("fixtures/names/heldout/corpus.jsonl"));
            let bytes: usize = docs.iter().map(String::len).sum();
            let times = 1_000_000 / bytes + 1;
            (0..times)
                .flat_map(|_| docs.iter().cloned())
                .collect::<Vec<_>>()
        }),
    ];
    let mut group = c.benchmark_group("discover");
    group.sample_size(10);
    group.measurement_time(std::time::Duration::from_secs(3));
    group.warm_up_time(std::time::Duration::from_millis(500));
    for (name, docs) in &inputs {
        let bytes: usize = docs.iter().map(String::len).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(format!("baseline-clean/{name}"), |b| {
            b.iter(|| {
                for d in docs {
                    black_box(pipeline.run(black_box(d)));
                }
            })
        });
        group.bench_function(format!("scan/{name}"), |b| {
            b.iter(|| {
                for d in docs {
                    black_box(scanner.scan("doc", black_box(d)));
                }
            })
        });
        group.bench_function(format!("scan-and-link/{name}"), |b| {
            b.iter(|| {
                let mut scan = NameScan::default();
                for d in docs {
                    scan.add(scanner.scan("doc", black_box(d)));
                }
                black_box(scan.link(&rules))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
