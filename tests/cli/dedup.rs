//! `dedup`: near-duplicates removed with their twins named, resumable stages, bounded
//! memory, and bad records reported while the rest goes on.

use super::*;

/// A text of `n` words of letters (digits would all simplify to `0`), the same for the
/// same `seed`.
fn words(seed: usize, n: usize) -> String {
    (0..n)
        .map(|i| {
            let mut k = (seed * 7919 + i * 104_729) % 1_000_003;
            let mut word = String::new();
            while k > 0 || word.is_empty() {
                word.push(char::from(b'a' + (k % 26) as u8));
                k /= 26;
            }
            word
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn line(id: &str, text: &str) -> String {
    serde_json::json!({"id": id, "text": text, "url": format!("https://example.com/{id}")})
        .to_string()
        + "\n"
}

#[test]
fn dedup_removes_near_duplicates_names_their_twins_and_reports_bad_records() {
    let dir = tempfile::tempdir().unwrap();
    let base = words(1, 200);
    let edited = base.replacen("w", "W", 1) + " and a new ending";
    let corpus = [
        line("a", &base),
        line("b", &words(2, 200)),
        "{not json\n".to_string(),
        line("c", &format!("HOME | NEWS\n{edited}")),
        line("empty", ""),
        line("d", &base),
    ]
    .concat();
    let input = dir.path().join("corpus.jsonl");
    fs::write(&input, corpus).unwrap();
    let rejects = dir.path().join("removed.jsonl");
    let page = dir.path().join("page.html");
    let assert = scrub()
        .args(["dedup", "--review"])
        .arg(&page)
        .arg("--rejects")
        .arg(&rejects)
        .arg(&input)
        .current_dir(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("corpus.jsonl:3:"))
        .stderr(predicate::str::contains("2 removed, 3 kept"));
    let kept: Vec<serde_json::Value> = String::from_utf8_lossy(&assert.get_output().stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: Vec<&str> = kept.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["a", "b", "empty"]);
    assert_eq!(
        kept[0]["url"], "https://example.com/a",
        "every field passes through"
    );
    let removed: Vec<serde_json::Value> = fs::read_to_string(&rejects)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(removed.len(), 2);
    for record in &removed {
        assert_eq!(record["duplicate_of"], "a", "{record}");
        assert_eq!(record["minhash_cluster_size"], 3, "{record}");
    }
    assert_eq!(removed[1]["id"], "d");
    assert_eq!(removed[1]["minhash_similarity"], 1.0);
    let near = removed[0]["minhash_similarity"].as_f64().unwrap();
    assert!(near > 0.5 && near < 1.0, "{near}");
    // The review page shows each removed document against its twin.
    let html = fs::read_to_string(&page).unwrap();
    assert!(
        html.contains("c (near-duplicate of a: cluster 0 of 3 documents"),
        "{html:.300}"
    );
    assert!(html.contains("HOME | NEWS"), "the differing line is shown");
    // The work folder of a run that was not asked to keep it is gone.
    let left: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|name| name.to_string_lossy().starts_with(".textscrub-dedup"))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn dedup_spills_in_bounded_memory_resumes_and_is_the_same_at_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    // 2,600 documents: past the 1,024 rows a bucket holds before it spills at --memory 0.
    let corpus: String = (0..2600)
        .map(|i| line(&format!("doc{i}"), &words(i % 2000, 8)))
        .collect();
    let input = dir.path().join("corpus.jsonl");
    fs::write(&input, corpus).unwrap();
    let run = |work: &str, memory: &str, jobs: &str| {
        let out = scrub()
            .args([
                "dedup",
                "-q",
                "--memory",
                memory,
                "-j",
                jobs,
                "--work-dir",
                work,
            ])
            .arg(&input)
            .current_dir(dir.path())
            .assert()
            .success();
        out.get_output().stdout.clone()
    };
    let spilled = run("spilled", "0", "1");
    let in_memory = run("memory", "512", "2");
    assert_eq!(spilled, in_memory);
    assert_eq!(String::from_utf8_lossy(&spilled).lines().count(), 2000);
    for bucket in 0..14 {
        let file = format!("signatures/bucket_{bucket:03}/00000.minhash.sig");
        assert_eq!(
            fs::read(dir.path().join("spilled").join(&file)).unwrap(),
            fs::read(dir.path().join("memory").join(&file)).unwrap(),
            "{file}"
        );
    }
    // A finished run started again takes every stage from its work folder; one whose last
    // stage did not finish redoes that stage only.
    fs::remove_file(dir.path().join("memory/remove_ids/DONE")).unwrap();
    let again = scrub()
        .args(["dedup", "--work-dir", "memory"])
        .arg(&input)
        .current_dir(dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "taken from the work folder: signatures, buckets\n",
        ));
    assert_eq!(again.get_output().stdout, in_memory);
    // Changed inputs start over.
    fs::write(&input, line("x", &words(1, 8))).unwrap();
    scrub()
        .args(["dedup", "--work-dir", "memory"])
        .arg(&input)
        .current_dir(dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("taken from").not());
}
