//! The JSONL reader on arbitrary bytes, plain and gzip-compressed and cut short: no panic;
//! every non-blank line comes out once, in order, as a document or an error naming its
//! line; a document's text is its record's `text` field; and a cut compressed stream gives
//! the same documents as the whole one up to the cut, then one error saying where reading
//! stopped.
#![no_main]

use std::io::Write;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use textscrub::io::{drive, Event, Input, Progress, ReadOptions};

fn pool() -> &'static rayon::ThreadPool {
    static POOL: OnceLock<rayon::ThreadPool> = OnceLock::new();
    POOL.get_or_init(|| rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap())
}

fn folder() -> &'static tempfile::TempDir {
    static FOLDER: OnceLock<tempfile::TempDir> = OnceLock::new();
    FOLDER.get_or_init(|| tempfile::tempdir().unwrap())
}

/// (line, Ok(text) or Err(message)) for each item the driver hands on.
fn read(name: &str, bytes: &[u8]) -> Vec<(usize, Result<String, String>)> {
    let path = folder().path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let input = Input {
        path: Some(path),
        root: None,
    };
    let mut items = Vec::new();
    drive(
        std::slice::from_ref(&input),
        &ReadOptions::default(),
        pool(),
        &Progress::default(),
        |_, _| (),
        |event| -> Result<(), textscrub::Error> {
            if let Event::Item(_, item) = event {
                items.push(match item {
                    Ok((document, ())) => (document.line, Ok(document.text)),
                    Err(error) => (error.line, Err(error.message)),
                });
            }
            Ok(())
        },
    )
    .unwrap();
    items
}

fuzz_target!(|data: &[u8]| {
    let Some((&cut, data)) = data.split_first() else {
        return;
    };
    let items = read("fuzz.jsonl", data);
    // The reader drops a UTF-8 byte-order mark before the first record, as editors write.
    let records = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let lines: Vec<(usize, &[u8])> = records
        .split(|&b| b == b'\n')
        .enumerate()
        .map(|(i, line)| (i + 1, line))
        .filter(|(_, line)| !line.iter().all(u8::is_ascii_whitespace))
        .collect();
    assert_eq!(items.len(), lines.len(), "one item per non-blank line");
    for ((line, bytes), (item_line, item)) in lines.iter().zip(&items) {
        assert_eq!(line, item_line);
        let expected = std::str::from_utf8(bytes)
            .ok()
            .and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok())
            .and_then(|v| v.get("text")?.as_str().map(str::to_string));
        match (expected, item) {
            (Some(text), Ok(got)) => assert_eq!(&text, got),
            (None, Err(_)) => {}
            (expected, got) => panic!("line {line}: expected {expected:?}, got {got:?}"),
        }
    }
    // The same bytes gzip-compressed and cut: a prefix of the documents, then at most one
    // error, which says where reading stopped.
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(data).unwrap();
    let compressed = encoder.finish().unwrap();
    let keep = compressed.len() * usize::from(cut) / 255;
    let cut_items = read("fuzz.jsonl.gz", &compressed[..keep]);
    if keep == 0 {
        assert!(cut_items.is_empty(), "an empty file holds no records");
        return;
    }
    let whole = keep == compressed.len();
    let before = if whole {
        &cut_items[..]
    } else {
        let (last, before) = cut_items.split_last().expect("a cut stream reports the cut");
        assert!(
            matches!(&last.1, Err(message) if message.starts_with("reading stopped")),
            "a cut stream must end with where reading stopped: {last:?}"
        );
        before
    };
    assert!(before.len() <= items.len());
    assert_eq!(before, &items[..before.len()], "a cut stream changed the records before the cut");
    if whole {
        assert_eq!(before.len(), items.len());
    }
});
