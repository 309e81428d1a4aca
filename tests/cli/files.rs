//! Files and folders: mirroring, compression, truncated input, devices and links.

use super::*;

#[test]
fn a_folder_is_mirrored_below_the_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    seeds_into(dir.path());
    fs::create_dir_all(dir.path().join("input/nested")).unwrap();
    fs::write(
        dir.path().join("input/nested/c.txt"),
        "Advertisement\nKept.\n",
    )
    .unwrap();
    scrub()
        .current_dir(dir.path())
        .args(["clean", "-o", "out", "input"])
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(dir.path().join("out/nested/c.txt")).unwrap(),
        "Kept.\n"
    );
    let upi = fs::read_to_string(dir.path().join("out/kyrgyzstan-upi.txt")).unwrap();
    assert_eq!(
        upi,
        fs::read_to_string("fixtures/seeds/expected/kyrgyzstan-upi.cleaned.txt").unwrap()
    );
}

/// `-o merged.jsonl folder/`: a new path with an extension is one file, in input order.
#[test]
fn a_folder_into_a_file_name_is_merged_into_that_file() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("in")).unwrap();
    fs::write(
        dir.path().join("in/a.jsonl"),
        "{\"id\":\"a\",\"text\":\"[ad_1] one\"}\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("in/b.jsonl"),
        "{\"id\":\"b\",\"text\":\"two\"}\n",
    )
    .unwrap();
    scrub()
        .current_dir(dir.path())
        .args([
            "clean",
            "-q",
            "--guard-share",
            "1",
            "-o",
            "merged.jsonl",
            "in",
        ])
        .assert()
        .success();
    let merged = dir.path().join("merged.jsonl");
    assert!(merged.is_file());
    assert_eq!(
        fs::read_to_string(merged).unwrap(),
        "{\"id\":\"a\",\"text\":\"one\"}\n{\"id\":\"b\",\"text\":\"two\"}\n"
    );
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut encoder, bytes).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn compressed_shards_are_mirrored_with_the_same_names_and_compression() {
    let dir = tempfile::tempdir().unwrap();
    let shards = dir.path().join("shards/2020");
    fs::create_dir_all(&shards).unwrap();
    let record = "{\"id\":\"a\",\"text\":\"Advertisement\\nKept text.\"}\n";
    fs::write(shards.join("a.jsonl.gz"), gzip(record.as_bytes())).unwrap();
    fs::write(
        shards.join("b.jsonl.zst"),
        zstd::encode_all(record.as_bytes(), 3).unwrap(),
    )
    .unwrap();
    let summary = dir.path().join("summary.json");
    scrub()
        .current_dir(dir.path())
        .args([
            "clean",
            "-q",
            "--guard-share",
            "1",
            "-o",
            "out",
            "--summary",
            "summary.json",
            "shards",
        ])
        .assert()
        .success();
    let expected = "{\"id\":\"a\",\"text\":\"Kept text.\"}\n";
    let gz = fs::File::open(dir.path().join("out/2020/a.jsonl.gz")).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(gz), &mut text).unwrap();
    assert_eq!(text, expected);
    let zst =
        zstd::decode_all(fs::File::open(dir.path().join("out/2020/b.jsonl.zst")).unwrap()).unwrap();
    assert_eq!(String::from_utf8(zst).unwrap(), expected);
    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(summary).unwrap()).unwrap();
    assert_eq!(summary["documents"], 2);
    assert_eq!(summary["changed"], 2);
    assert_eq!(summary["changes_per_rule"]["scraper/ad-label"], 2);
}

#[test]
fn a_truncated_compressed_shard_is_an_error_and_leaves_no_output() {
    let mut corpus = String::new();
    for i in 0..2000 {
        corpus.push_str(&format!(
            "{{\"id\":\"{i}\",\"text\":\"Document number {i} [ad_1] with some words.\"}}\n"
        ));
    }
    for (name, compressed) in [
        ("cut.jsonl.gz", gzip(corpus.as_bytes())),
        (
            "cut.jsonl.zst",
            zstd::encode_all(corpus.as_bytes(), 3).unwrap(),
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(name), &compressed[..compressed.len() / 2]).unwrap();
        scrub()
            .current_dir(dir.path())
            .args(["clean", "-o", "out.jsonl", name])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!("{name}:")));
        let left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            left,
            vec![std::ffi::OsString::from(name)],
            "no output or temporary file"
        );
    }
}

/// Outputs to a device are written in place, never renamed over it; a symbolic link is
/// followed, not replaced. See: issue 6 (an early build renamed a file over /dev/null).
#[test]
fn outputs_to_devices_and_links_are_written_through() {
    use std::os::unix::fs::FileTypeExt;
    scrub()
        .args([
            "clean",
            "-q",
            "--changes",
            "/dev/null",
            "--diff=/dev/null",
            "-o",
            "/dev/null",
        ])
        .write_stdin("[ad_1] text")
        .assert()
        .success();
    assert!(
        fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device(),
        "/dev/null is still a device"
    );
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("real.txt"), "old").unwrap();
    std::os::unix::fs::symlink("real.txt", dir.path().join("link.txt")).unwrap();
    scrub()
        .current_dir(dir.path())
        .args(["clean", "-q", "-o", "link.txt"])
        .write_stdin("[ad_1] new")
        .assert()
        .success();
    assert!(fs::symlink_metadata(dir.path().join("link.txt"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        fs::read_to_string(dir.path().join("real.txt")).unwrap(),
        "new"
    );
}

#[test]
fn a_mirrored_folder_writes_only_the_files_read_without_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("in")).unwrap();
    fs::write(
        dir.path().join("in/good.jsonl"),
        "{\"id\":\"a\",\"text\":\"[ad_1] ok\"}\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("in/bad.jsonl"),
        "{\"id\":\"b\",\"text\":\"ok\"}\nnot json\n",
    )
    .unwrap();
    scrub()
        .current_dir(dir.path())
        .args(["clean", "-q", "--guard-share", "1", "-o", "out", "in"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("in/bad.jsonl:2: invalid JSON"));
    assert_eq!(
        fs::read_to_string(dir.path().join("out/good.jsonl")).unwrap(),
        "{\"id\":\"a\",\"text\":\"ok\"}\n"
    );
    let written: Vec<_> = fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        written,
        vec![std::ffi::OsString::from("good.jsonl")],
        "no file for the bad input, no temporary file"
    );
}
