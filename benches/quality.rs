//! Quality signals: throughput of `quality::measure` against a plain white-space word split
//! over the same text, the cheapest pass any signal needs, and against spaCy's tokenizer
//! alone (`quality::count_tokens`), which every word signal pays first. Input: the
//! cleaned-by-nobody text of the 138 scraped pages in `fixtures/scraped-dev/docs.jsonl`.
//!
//! The tokenizer memoises every chunk it has split (as spaCy does), per thread. Measured
//! again and again, the pages soon hold no chunk it has not seen: "every signal" is that
//! warm figure. "first sight" measures each pass on a new thread, with nothing memoised, as
//! on text whose rare words are all new.
//!
//! `cargo bench --bench quality -- --measurement-time 3`

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

fn pages() -> Vec<String> {
    let docs = std::fs::read_to_string("fixtures/scraped-dev/docs.jsonl").expect("fixture");
    docs.lines()
        .filter_map(|line| {
            let record: serde_json::Value = serde_json::from_str(line).ok()?;
            Some(record["text"].as_str()?.to_string())
        })
        .collect()
}

fn quality_signals(c: &mut Criterion) {
    let pages = pages();
    let bytes: usize = pages.iter().map(String::len).sum();
    let mut group = c.benchmark_group("quality");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("baseline: split_whitespace count", |b| {
        b.iter(|| {
            pages
                .iter()
                .map(|p| black_box(p.as_str()).split_whitespace().count())
                .sum::<usize>()
        })
    });
    group.bench_function("count_tokens: the tokenizer alone", |b| {
        b.iter(|| {
            pages
                .iter()
                .map(|p| textscrub::quality::count_tokens(black_box(p)))
                .sum::<usize>()
        })
    });
    group.bench_function("measure: every signal", |b| {
        b.iter(|| {
            for page in &pages {
                black_box(textscrub::quality::measure(black_box(page)));
            }
        })
    });
    group.bench_function("measure: every signal, first sight", |b| {
        b.iter_custom(|passes| {
            (0..passes)
                .map(|_| {
                    std::thread::scope(|scope| {
                        scope
                            .spawn(|| {
                                let start = std::time::Instant::now();
                                for page in &pages {
                                    black_box(textscrub::quality::measure(black_box(page)));
                                }
                                start.elapsed()
                            })
                            .join()
                            .expect("the pass ran")
                    })
                })
                .sum()
        })
    });
    group.finish();
}

criterion_group!(benches, quality_signals);
criterion_main!(benches);
