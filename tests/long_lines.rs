//! A document flattened onto one line of megabytes costs time and memory in proportion to
//! its length. The heap is counted by this binary's own allocator, so the file holds one
//! test: another running beside it would count too.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use textscrub::{Options, Pipeline, RuleSet};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = CURRENT.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, p: *mut u8, layout: Layout, size: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, layout, size) };
        if !q.is_null() {
            CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(size);
        }
        q
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// About `size` bytes of scraped pages on one line, with mojibake every 5 KB or so.
fn long_line(size: usize) -> String {
    let pages = std::fs::read_to_string("fixtures/scraped-dev/docs.jsonl").unwrap();
    let texts: Vec<String> = pages
        .lines()
        .map(|l| {
            let value: serde_json::Value = serde_json::from_str(l).unwrap();
            value["text"].as_str().unwrap().replace('\n', " ")
        })
        .collect();
    let words: Vec<&str> = texts.iter().flat_map(|t| t.split(' ')).collect();
    let damage = ["cafÃ©", "donâ€™t", "ZÃ¼rich", "â€œquotedâ€\u{9d}", "naÃ¯ve"];
    let mut line = String::with_capacity(size + 100);
    let mut since = 0;
    for (k, word) in words.iter().cycle().enumerate() {
        if line.len() >= size {
            break;
        }
        line.push_str(word);
        line.push(' ');
        since += word.len() + 1;
        if since > 5000 {
            line.push_str(damage[k % damage.len()]);
            line.push(' ');
            since = 0;
        }
    }
    line
}

/// Peak heap above what was live before, time, and changes made, of cleaning `text`.
fn measure(pipeline: &Pipeline, text: &str) -> (usize, Duration, usize) {
    let before = CURRENT.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let start = Instant::now();
    let outcome = pipeline.run(text);
    let elapsed = start.elapsed();
    let peak = PEAK.load(Ordering::Relaxed) - before;
    (peak, elapsed, outcome.changes.len())
}

/// Mojibake repair once held each character of a line as a 32-byte record, copied it
/// several times per pass and looked at the whole line in every step: a 2 MB line took
/// 200 MB and three times as long per byte as a 0.5 MB one.
#[test]
fn mojibake_repair_of_a_long_line_is_linear_and_small() {
    let mut rules = RuleSet::defaults().unwrap();
    rules
        .select(&["unicode/mojibake".to_string()], &[])
        .unwrap();
    let pipeline = Pipeline::new(rules, Options::default());
    let (small, large) = (long_line(1 << 20), long_line(4 << 20));
    let (small_heap, small_time, small_changes) = measure(&pipeline, &small);
    let (large_heap, large_time, large_changes) = measure(&pipeline, &large);
    eprintln!(
        "1 MB: {small_heap} bytes of heap, {small_time:?}, {small_changes} changes; \
         4 MB: {large_heap} bytes, {large_time:?}, {large_changes} changes"
    );
    // The damage is repaired however long the line.
    assert!(small_changes > 150 && large_changes + 4 >= 4 * small_changes);
    // The text, its output and the edits are copies of the line; the repair itself is
    // held to a piece of it.
    assert!(
        large_heap < 8 * large.len(),
        "{large_heap} bytes of heap for a {} byte line",
        large.len()
    );
    assert!(
        large_time < small_time * 8 + Duration::from_millis(500),
        "1 MB: {small_time:?}, 4 MB: {large_time:?}"
    );
}
