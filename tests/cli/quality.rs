//! Quality: signals and verdicts, `--drop` with rejects, `stats`.

use super::*;

/// A small corpus for the quality tests: the quality fixtures, every family's documents.
fn quality_corpus(dir: &Path) -> (std::path::PathBuf, usize) {
    let mut corpus = String::new();
    for family in ["gopher", "c4", "fineweb"] {
        let text = fs::read_to_string(format!("fixtures/quality/{family}.jsonl")).unwrap();
        for line in text.lines() {
            let mut record: serde_json::Value = serde_json::from_str(line).unwrap();
            record["id"] = format!("{family}/{}", record["id"].as_str().unwrap()).into();
            corpus.push_str(&record.to_string());
            corpus.push('\n');
        }
    }
    let path = dir.join("corpus.jsonl");
    fs::write(&path, &corpus).unwrap();
    (path, corpus.lines().count())
}

// See: issue 5.

#[test]
fn quality_adds_signals_and_verdicts_and_plain_clean_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let (input, count) = quality_corpus(dir.path());
    let plain = scrub().arg("clean").arg(&input).assert().success();
    let plain = String::from_utf8(plain.get_output().stdout.clone()).unwrap();
    assert!(!plain.contains("\"quality\""), "no quality unless asked");
    let judged = scrub()
        .args(["clean", "--quality"])
        .arg(&input)
        .assert()
        .success();
    let judged = String::from_utf8(judged.get_output().stdout.clone()).unwrap();
    assert_eq!(judged.lines().count(), count, "--quality drops nothing");
    for (plain, judged) in plain.lines().zip(judged.lines()) {
        let mut judged: serde_json::Value = serde_json::from_str(judged).unwrap();
        let quality = judged
            .as_object_mut()
            .unwrap()
            .remove("quality")
            .expect("every record has quality");
        assert_eq!(
            judged,
            serde_json::from_str::<serde_json::Value>(plain).unwrap()
        );
        assert!(quality["signals"]["words"].is_u64());
        assert!(quality["signals"]["dup_line_fraction"].is_f64());
        let verdict = quality["verdict"].as_str().unwrap();
        let reasons = quality["reasons"].as_array().unwrap();
        assert_eq!(verdict == "keep", reasons.is_empty());
    }
    let link_list = judged
        .lines()
        .find(|l| l.contains("\"fineweb/link-list\""))
        .unwrap();
    let record: serde_json::Value = serde_json::from_str(link_list).unwrap();
    let first = &record["quality"]["reasons"][0];
    assert_eq!(first["rule"], "quality/gopher-min-words");
    assert_eq!(first["signal"], "words");
    assert_eq!(first["min"], 50.0);
}

// See: issue 5.

#[test]
fn drop_writes_failing_documents_to_rejects_and_loses_none() {
    let dir = tempfile::tempdir().unwrap();
    let (input, count) = quality_corpus(dir.path());
    let kept_path = dir.path().join("kept.jsonl");
    let rejects_path = dir.path().join("rejects.jsonl");
    let assert = scrub()
        .args(["clean", "--drop", "--rejects"])
        .arg(&rejects_path)
        .arg("-o")
        .arg(&kept_path)
        .arg(&input)
        .assert()
        .success();
    let kept = fs::read_to_string(&kept_path).unwrap();
    let rejects = fs::read_to_string(&rejects_path).unwrap();
    let (kept, rejects): (Vec<&str>, Vec<&str>) =
        (kept.lines().collect(), rejects.lines().collect());
    assert_eq!(kept.len() + rejects.len(), count, "nothing is lost");
    assert!(!kept.is_empty() && !rejects.is_empty());
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains(&format!(
            "kept {} document(s), dropped {} to",
            kept.len(),
            rejects.len()
        )),
        "{stderr}"
    );
    let mut ids: Vec<String> = Vec::new();
    for line in &kept {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(
            record.get("quality").is_none(),
            "--drop alone adds no field"
        );
        ids.push(record["id"].as_str().unwrap().into());
    }
    for line in &rejects {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(record["quality"]["verdict"], "drop");
        assert!(!record["quality"]["reasons"].as_array().unwrap().is_empty());
        assert!(
            record["text"].is_string() && record["why"].is_string(),
            "fields pass through"
        );
        ids.push(record["id"].as_str().unwrap().into());
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "every document is in exactly one file");
    // The prose every family keeps is kept.
    assert!(kept.iter().any(|l| l.contains("\"gopher/article\"")));

    // --drop needs --rejects, and a text document goes to the rejects file as {id, text}.
    scrub()
        .args(["clean", "--drop"])
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--rejects"));
    let text_rejects = dir.path().join("text-rejects.jsonl");
    scrub()
        .args(["clean", "--drop", "--rejects"])
        .arg(&text_rejects)
        .write_stdin("Too short.")
        .assert()
        .success()
        .stdout("");
    let record: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&text_rejects).unwrap()).unwrap();
    assert_eq!(record["id"], "<stdin>");
    assert_eq!(record["text"], "Too short.");
}

// See: issue 5.

#[test]
fn stats_summarises_a_corpus_as_a_table_or_json() {
    let dir = tempfile::tempdir().unwrap();
    let (input, count) = quality_corpus(dir.path());
    let json = scrub()
        .args(["stats", "--format", "json"])
        .arg(&input)
        .assert()
        .success();
    let summary: serde_json::Value = serde_json::from_slice(&json.get_output().stdout).unwrap();
    assert_eq!(summary["documents"], count);
    let kept = summary["kept"].as_u64().unwrap();
    let dropped = summary["dropped"].as_u64().unwrap();
    assert_eq!(kept + dropped, count as u64);
    assert!(
        summary["drops_by_rule"]["quality/c4-lorem-ipsum"]
            .as_u64()
            .unwrap()
            >= 1
    );
    let words = &summary["signals"]["words"];
    assert!(words["min"].as_f64().unwrap() <= words["p50"].as_f64().unwrap());
    scrub()
        .arg("stats")
        .arg(&input)
        .assert()
        .success()
        .stdout(predicate::str::contains(format!("documents  {count:>9}")))
        .stdout(predicate::str::contains("quality/gopher-min-words"))
        .stdout(predicate::str::contains("dup_10gram_char_fraction"));
}

#[test]
fn recipe_fineweb_2_judges_each_record_by_its_language_and_explains_it() {
    let dir = tempfile::tempdir().unwrap();
    let docs = fs::read_to_string("fixtures/multilingual/docs.jsonl").unwrap();
    let picked: String = docs
        .lines()
        .filter(|l| l.contains("\"deu_Latn/lingua/prose-2\"") || l.contains("\"jpn_Jpan/"))
        .map(|l| format!("{l}\n"))
        .collect();
    let input = dir.path().join("in.jsonl");
    fs::write(&input, picked).unwrap();
    let out = scrub()
        .args(["clean", "--no-default-rules", "--recipe", "fineweb-2", "-q"])
        .arg(&input)
        .assert()
        .success();
    let out = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let records: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let german = records
        .iter()
        .find(|r| r["language"] == "deu_Latn")
        .unwrap();
    assert_eq!(german["quality"]["verdict"], "keep");
    assert_eq!(german["quality"]["recipe"], "fineweb-2");
    let japanese = records
        .iter()
        .find(|r| r["language"] == "jpn_Jpan")
        .unwrap();
    assert_eq!(japanese["quality"]["verdict"], "unjudged");
    assert!(japanese["quality"]["note"]
        .as_str()
        .unwrap()
        .contains("spacy:ja"));
    let listed = scrub()
        .args(["rules", "list", "--language", "de"])
        .assert()
        .success();
    let listed = String::from_utf8(listed.get_output().stdout.clone()).unwrap();
    assert!(listed.starts_with("deu_Latn: words by datatrove's spacy:de tokenizer"));
    assert!(listed.contains("fineweb-2/stop-words"));
    scrub()
        .args(["rules", "list", "--language", "xx_Nope"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "FineWeb-2 has no language `xx_Nope`",
        ));
}

#[test]
fn a_lid_model_that_is_not_one_is_an_error_naming_it_from_the_flag_or_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("lid.bin");
    fs::write(&model, "not a model").unwrap();
    let input = dir.path().join("in.jsonl");
    fs::write(&input, "{\"id\":\"a\",\"text\":\"Hello there.\"}\n").unwrap();
    scrub()
        .args(["clean", "--lid-model"])
        .arg(&model)
        .arg(&input)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("lid.bin: not a fastText model"));
    fs::write(
        dir.path().join("textscrub.toml"),
        "lid-model = \"lid.bin\"\n",
    )
    .unwrap();
    scrub()
        .current_dir(dir.path())
        .args(["clean", "--detect-lang", "in.jsonl"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("lid.bin: not a fastText model"));
}
