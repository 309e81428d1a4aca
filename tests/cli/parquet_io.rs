//! Parquet input and output: a shard shaped like FineWeb's (built here with the arrow and
//! parquet crates) round-trips with its schema and other columns unchanged, its text
//! cleaned as JSONL cleaning cleans it, byte-identical at any `--jobs`; bad files each get
//! an error naming the file, row group and row, and lose no good rows.

use std::sync::Arc;

use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::{
    Array, ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray, TimestampMicrosecondArray,
};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use parquet::file::reader::{FileReader, SerializedFileReader};

use super::*;

/// Texts with scraper artifacts for the default rules, and clean ones.
const TEXTS: &[&str] = &[
    "Protests erupted in Bishkek on Tuesday. [ad_1] Thousands gathered in Ala Too square.\n\nAdvertisement\n\nThe president called for calm.",
    "The caf&eacute; opened in 2019 and serves coffee from Kyrgyz farms, its owner said.",
    "Nothing to change in this sentence, which is already clean and tidy.",
    "Officials said the vote would be annulled.  \n\n\n\nRead more: Election results annulled\n\nThe commission met on Friday.",
    "donâ€™t stop the music, the crowd sang in the square until late at night.",
    "<p>Stray markup</p> around a paragraph that a scraper left behind in the page.",
    "A short one.",
    "Share this article\nThe government resigned after a week of protests in the capital.",
];

fn fineweb_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("text", DataType::Utf8, true),
        Field::new("id", DataType::Utf8, true),
        Field::new("dump", DataType::Utf8, true),
        Field::new("url", DataType::Utf8, true),
        Field::new("date", DataType::Utf8, true),
        Field::new("file_path", DataType::Utf8, true),
        Field::new("language", DataType::Utf8, true),
        Field::new("language_score", DataType::Float64, true),
        Field::new("token_count", DataType::Int64, true),
        Field::new(
            "crawled",
            DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
            true,
        ),
        Field::new(
            "tags",
            DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
            true,
        ),
    ]))
}

/// A FineWeb-like batch of `texts` (a `None` text is a null).
fn fineweb_batch(texts: &[Option<&str>], first: usize) -> RecordBatch {
    let n = texts.len();
    let ids: Vec<String> = (first..first + n)
        .map(|i| format!("<urn:uuid:{i:08}>"))
        .collect();
    let column = |f: &dyn Fn(usize) -> String| -> ArrayRef {
        Arc::new(StringArray::from_iter_values((0..n).map(f)))
    };
    let mut list = ListBuilder::new(StringBuilder::new());
    for i in 0..n {
        if i % 3 == 2 {
            list.append(false);
        } else {
            for t in 0..=(i % 2) {
                list.values().append_value(format!("tag{t}"));
            }
            list.append(true);
        }
    }
    RecordBatch::try_new(
        fineweb_schema(),
        vec![
            Arc::new(StringArray::from(texts.to_vec())),
            Arc::new(StringArray::from_iter_values(&ids)),
            column(&|_| "CC-MAIN-2024-10".into()),
            column(&|i| format!("https://news.example/{}", first + i)),
            column(&|_| "2024-02-21T09:37:24Z".into()),
            column(&|_| "s3://commoncrawl/crawl-data/CC-MAIN-2024-10/segments/x.warc.gz".into()),
            column(&|_| "en".into()),
            Arc::new(Float64Array::from_iter_values(
                (0..n).map(|i| 0.9 + (first + i) as f64 / 1000.0),
            )),
            Arc::new(Int64Array::from_iter_values(
                (0..n).map(|i| 100 + (first + i) as i64),
            )),
            Arc::new(
                TimestampMicrosecondArray::from_iter_values(
                    (0..n).map(|i| 1_708_508_244_000_000 + (first + i) as i64),
                )
                .with_timezone("UTC"),
            ),
            Arc::new(list.finish()),
        ],
    )
    .unwrap()
}

/// Writes `texts` as a zstd-compressed shard with `per_group` rows per row group.
fn write_shard(path: &Path, texts: &[Option<&str>], per_group: usize) {
    let properties = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::default()))
        .set_max_row_group_row_count(Some(per_group))
        .build();
    let file = fs::File::create(path).unwrap();
    let mut writer = ArrowWriter::try_new(file, fineweb_schema(), Some(properties)).unwrap();
    writer.write(&fineweb_batch(texts, 0)).unwrap();
    writer.close().unwrap();
}

fn all_texts() -> Vec<Option<&'static str>> {
    TEXTS.iter().map(|t| Some(*t)).collect()
}

/// Every row of a Parquet file, as one batch.
fn read_all(path: &Path) -> RecordBatch {
    let file = fs::File::open(path).unwrap();
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    let schema = builder.schema().clone();
    let batches: Vec<RecordBatch> = builder.build().unwrap().map(Result::unwrap).collect();
    arrow_select::concat::concat_batches(&schema, &batches).unwrap()
}

fn texts_of(batch: &RecordBatch, column: &str) -> Vec<String> {
    batch
        .column_by_name(column)
        .unwrap()
        .as_string::<i32>()
        .iter()
        .map(|t| t.unwrap().to_string())
        .collect()
}

/// What JSONL cleaning makes of the same documents.
fn jsonl_cleaned(dir: &Path, texts: &[&str], flags: &[&str]) -> Vec<serde_json::Value> {
    let input = dir.join("same.jsonl");
    let lines: Vec<String> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            serde_json::json!({"text": t, "id": format!("<urn:uuid:{i:08}>")}).to_string()
        })
        .collect();
    fs::write(&input, lines.join("\n") + "\n").unwrap();
    let assert = scrub()
        .arg("clean")
        .args(flags)
        .arg(&input)
        .assert()
        .success();
    String::from_utf8(assert.get_output().stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn a_fineweb_shard_round_trips_with_its_columns_and_cleaned_text() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    fs::create_dir(&data).unwrap();
    let input = data.join("train-00000-of-00001.parquet");
    write_shard(&input, &all_texts(), 3);
    let one = dir.path().join("one.parquet");
    let two = dir.path().join("two.parquet");
    for (jobs, output) in [("1", &one), ("2", &two)] {
        scrub()
            .args(["clean", "-q", "-j", jobs, "-o"])
            .arg(output)
            .arg(&input)
            .assert()
            .success();
    }
    assert_eq!(
        fs::read(&one).unwrap(),
        fs::read(&two).unwrap(),
        "-j 1 and -j 2 differ"
    );

    let before = read_all(&input);
    let after = read_all(&one);
    // The input's columns, in order and with their types; the guard's column added.
    let schema = after.schema();
    assert_eq!(
        &schema.fields()[..before.num_columns()],
        &before.schema().fields()[..]
    );
    assert_eq!(schema.fields().len(), before.num_columns() + 1);
    assert_eq!(schema.field(before.num_columns()).name(), "guard");
    for (i, field) in before.schema().fields().iter().enumerate() {
        if field.name() != "text" {
            assert_eq!(before.column(i), after.column(i), "column {}", field.name());
        }
    }
    // The text as JSONL cleaning leaves it.
    let jsonl = jsonl_cleaned(dir.path(), TEXTS, &[]);
    let expected: Vec<String> = jsonl
        .iter()
        .map(|r| r["text"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(texts_of(&after, "text"), expected);
    assert_ne!(texts_of(&after, "text"), texts_of(&before, "text"));
    // Row groups as the input had them, each column compressed as it was.
    let reader = SerializedFileReader::new(fs::File::open(&one).unwrap()).unwrap();
    let groups: Vec<i64> = reader
        .metadata()
        .row_groups()
        .iter()
        .map(|g| g.num_rows())
        .collect();
    assert_eq!(groups, [3, 3, 2]);
    for column in reader.metadata().row_group(0).columns() {
        assert!(
            matches!(column.compression(), Compression::ZSTD(_)),
            "{:?}",
            column.column_path()
        );
    }
}

#[test]
fn compression_can_be_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.parquet");
    write_shard(&input, &all_texts(), 4);
    let output = dir.path().join("out.parquet");
    scrub()
        .args(["clean", "-q", "--compression", "snappy", "-o"])
        .arg(&output)
        .arg(&input)
        .assert()
        .success();
    let reader = SerializedFileReader::new(fs::File::open(&output).unwrap()).unwrap();
    for column in reader.metadata().row_group(0).columns() {
        assert_eq!(column.compression(), Compression::SNAPPY);
    }
    scrub()
        .args(["clean", "--compression", "brotli-ish", "-o"])
        .arg(dir.path().join("x.parquet"))
        .arg(&input)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown compression `brotli-ish`"));
}

#[test]
fn parquet_rows_become_jsonl_records_on_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.parquet");
    write_shard(&input, &all_texts(), 3);
    let assert = scrub().args(["clean", "-q"]).arg(&input).assert().success();
    let mut records: Vec<serde_json::Value> = String::from_utf8(assert.get_output().stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let jsonl = jsonl_cleaned(dir.path(), TEXTS, &[]);
    assert_eq!(records.len(), TEXTS.len());
    for (record, same) in records.iter().zip(&jsonl) {
        assert_eq!(record["text"], same["text"]);
        assert_eq!(record["id"], same["id"]);
    }
    // The guard flags the first document, as it does in JSONL.
    let guard = records[0].as_object_mut().unwrap().remove("guard");
    assert_eq!(guard.as_ref(), jsonl[0].get("guard"));
    assert!(guard.is_some());
    assert_eq!(
        records[0],
        serde_json::json!({
            "text": jsonl[0]["text"],
            "id": "<urn:uuid:00000000>",
            "dump": "CC-MAIN-2024-10",
            "url": "https://news.example/0",
            "date": "2024-02-21T09:37:24Z",
            "file_path": "s3://commoncrawl/crawl-data/CC-MAIN-2024-10/segments/x.warc.gz",
            "language": "en",
            "language_score": 0.9,
            "token_count": 100,
            "crawled": "2024-02-21T09:37:24Z",
            "tags": ["tag0"],
        })
    );
    assert_eq!(records[2]["tags"], serde_json::Value::Null);
}

#[test]
fn results_are_typed_columns_and_rejects_and_changes_are_parquet() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.parquet");
    write_shard(&input, &all_texts(), 3);
    let output = dir.path().join("out.parquet");
    let rejects = dir.path().join("rejects.parquet");
    let changes = dir.path().join("changes.parquet");
    let flags = ["--quality", "--sentences", "--detect-lang", "--lang", "en"];
    scrub()
        .args(["clean", "-q", "--drop", "--rejects"])
        .arg(&rejects)
        .arg("--changes")
        .arg(&changes)
        .args(flags)
        .arg("-o")
        .arg(&output)
        .arg(&input)
        .assert()
        .success();
    let kept = read_all(&output);
    let dropped = read_all(&rejects);
    assert_eq!(kept.num_rows() + dropped.num_rows(), TEXTS.len());
    assert!(
        dropped.num_rows() > 0,
        "the short documents fail FineWeb's rules"
    );
    let schema = kept.schema();
    // `language` and `language_score` replace the input's columns in place.
    assert_eq!(schema.field(6).name(), "language");
    assert_eq!(schema.field(7).data_type(), &DataType::Float64);
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    assert_eq!(&names[11..], ["sentences", "guard", "quality"]);
    assert!(matches!(
        schema.field_with_name("sentences").unwrap().data_type(),
        DataType::List(_)
    ));
    let quality = kept.column_by_name("quality").unwrap().as_struct();
    let verdicts = quality
        .column_by_name("verdict")
        .unwrap()
        .as_string::<i32>();
    assert!(verdicts.iter().all(|v| v == Some("keep")));
    let rejected = dropped.column_by_name("quality").unwrap().as_struct();
    let reasons = rejected.column_by_name("reasons").unwrap().as_list::<i32>();
    assert!(!reasons.value(0).is_empty());
    let words = rejected
        .column_by_name("signals")
        .unwrap()
        .as_struct()
        .column_by_name("words")
        .map(|c| c.as_primitive::<Float64Type>().value(0));
    assert!(words.is_some_and(|w| w > 0.0));
    // The same verdicts, texts and sentences as JSONL cleaning gives.
    let jsonl = jsonl_cleaned(
        dir.path(),
        TEXTS,
        &["--quality", "--sentences", "--lang", "en"],
    );
    let kept_jsonl: Vec<&serde_json::Value> = jsonl
        .iter()
        .filter(|r| r["quality"]["verdict"] != "drop")
        .collect();
    assert_eq!(kept_jsonl.len(), kept.num_rows());
    let sentences = kept.column_by_name("sentences").unwrap().as_list::<i32>();
    for (i, record) in kept_jsonl.iter().enumerate() {
        assert_eq!(texts_of(&kept, "text")[i], record["text"].as_str().unwrap());
        let row = sentences.value(i);
        let row: Vec<&str> = row.as_string::<i32>().iter().map(Option::unwrap).collect();
        assert_eq!(serde_json::json!(row), record["sentences"]);
    }
    // Change records: the JSONL ones, as a table.
    let table = read_all(&changes);
    let assert = scrub()
        .args(["clean", "-q", "--changes", "-"])
        .arg(&input)
        .assert()
        .success();
    let lines: Vec<serde_json::Value> = String::from_utf8(assert.get_output().stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(table.num_rows(), lines.len());
    assert_eq!(
        texts_of(&table, "rule")[0],
        lines[0]["rule"].as_str().unwrap()
    );
    let start = table.column_by_name("start").unwrap();
    assert_eq!(start.data_type(), &DataType::UInt64);
}

#[test]
fn a_folder_of_shards_is_mirrored() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    fs::create_dir(&data).unwrap();
    write_shard(
        &data.join("train-00000-of-00002.parquet"),
        &all_texts()[..4],
        2,
    );
    write_shard(
        &data.join("train-00001-of-00002.parquet"),
        &all_texts()[4..],
        2,
    );
    let cleaned = dir.path().join("cleaned");
    scrub()
        .args(["clean", "-q", "-o"])
        .arg(&cleaned)
        .arg(&data)
        .assert()
        .success();
    let first = read_all(&cleaned.join("train-00000-of-00002.parquet"));
    let second = read_all(&cleaned.join("train-00001-of-00002.parquet"));
    assert_eq!(first.num_rows() + second.num_rows(), TEXTS.len());
    // And both into one file, in order.
    let merged = dir.path().join("merged.parquet");
    scrub()
        .args(["clean", "-q", "-o"])
        .arg(&merged)
        .arg(&data)
        .assert()
        .success();
    let merged = read_all(&merged);
    let mut ids = texts_of(&first, "id");
    ids.extend(texts_of(&second, "id"));
    assert_eq!(texts_of(&merged, "id"), ids);
}

#[test]
fn parquet_output_needs_parquet_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    fs::write(&input, "{\"text\":\"x\"}\n").unwrap();
    scrub()
        .args(["clean", "-o"])
        .arg(dir.path().join("out.parquet"))
        .arg(&input)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "Parquet output needs Parquet input",
        ));
    assert!(!dir.path().join("out.parquet").exists());
}

/// Runs `clean` on the folder `data` into `cleaned/`, expecting errors.
fn clean_with_errors(dir: &Path, data: &Path) -> (String, serde_json::Value) {
    let summary = dir.join("summary.json");
    let assert = scrub()
        .args(["clean", "-q", "--summary"])
        .arg(&summary)
        .arg("-o")
        .arg(dir.join("cleaned"))
        .arg(data)
        .assert()
        .code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    let summary = serde_json::from_str(&fs::read_to_string(summary).unwrap()).unwrap();
    (stderr, summary)
}

/// A folder with a good shard, `train-0.parquet`, beside `bad`.
fn good_beside(dir: &Path) -> PathBuf {
    let data = dir.join("data");
    fs::create_dir(&data).unwrap();
    write_shard(&data.join("train-0.parquet"), &all_texts(), 3);
    data
}

fn good_shard_was_written(dir: &Path) {
    let good = read_all(&dir.join("cleaned/train-0.parquet"));
    assert_eq!(good.num_rows(), TEXTS.len());
}

#[test]
fn a_corrupt_footer_is_reported_and_other_shards_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let data = good_beside(dir.path());
    let bad = data.join("train-1.parquet");
    write_shard(&bad, &all_texts(), 3);
    let bytes = fs::read(&bad).unwrap();
    fs::write(&bad, &bytes[..bytes.len() - 20]).unwrap();
    let (stderr, summary) = clean_with_errors(dir.path(), &data);
    assert!(
        stderr.contains(&format!("{}: not a readable Parquet file:", bad.display())),
        "{stderr}"
    );
    good_shard_was_written(dir.path());
    assert!(!dir.path().join("cleaned/train-1.parquet").exists());
    assert_eq!(summary["errors"], 1);
    assert_eq!(summary["written"], TEXTS.len());
}

#[test]
fn a_missing_text_column_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let data = good_beside(dir.path());
    let bad = data.join("train-1.parquet");
    let schema = Arc::new(Schema::new(vec![Field::new("body", DataType::Utf8, false)]));
    let mut writer =
        ArrowWriter::try_new(fs::File::create(&bad).unwrap(), schema.clone(), None).unwrap();
    writer
        .write(
            &RecordBatch::try_new(schema, vec![Arc::new(StringArray::from(vec!["a b c"]))])
                .unwrap(),
        )
        .unwrap();
    writer.close().unwrap();
    let (stderr, _) = clean_with_errors(dir.path(), &data);
    assert!(
        stderr.contains(&format!(
            "{}: no column `text` (the columns are body); --text-field names the text column",
            bad.display()
        )),
        "{stderr}"
    );
    good_shard_was_written(dir.path());
}

#[test]
fn a_text_column_that_is_not_strings_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let data = good_beside(dir.path());
    let bad = data.join("train-1.parquet");
    let schema = Arc::new(Schema::new(vec![Field::new(
        "text",
        DataType::Int64,
        false,
    )]));
    let mut writer =
        ArrowWriter::try_new(fs::File::create(&bad).unwrap(), schema.clone(), None).unwrap();
    writer
        .write(&RecordBatch::try_new(schema, vec![Arc::new(Int64Array::from(vec![7]))]).unwrap())
        .unwrap();
    writer.close().unwrap();
    let (stderr, _) = clean_with_errors(dir.path(), &data);
    assert!(
        stderr.contains(&format!(
            "{}: column `text` holds Int64, not strings",
            bad.display()
        )),
        "{stderr}"
    );
    good_shard_was_written(dir.path());
}

#[test]
fn a_null_text_is_reported_with_its_row_group_and_row() {
    let dir = tempfile::tempdir().unwrap();
    let data = good_beside(dir.path());
    let bad = data.join("train-1.parquet");
    let mut texts = all_texts();
    texts[4] = None;
    write_shard(&bad, &texts, 3);
    let (stderr, summary) = clean_with_errors(dir.path(), &data);
    assert!(
        stderr.contains(&format!(
            "{}: row group 1, row 1 (row 4 of the file): `text` is null",
            bad.display()
        )),
        "{stderr}"
    );
    good_shard_was_written(dir.path());
    // Every other row was read and cleaned, counted as withheld with its shard.
    assert_eq!(summary["errors"], 1);
    assert_eq!(summary["written"], TEXTS.len());
    assert_eq!(summary["withheld"], TEXTS.len() - 1);
}

#[test]
fn a_damaged_row_group_is_reported_and_the_others_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    fs::create_dir(&data).unwrap();
    let bad = data.join("train-1.parquet");
    write_shard(&bad, &all_texts(), 3);
    // Overwrite the pages of the second row group's text column.
    let reader = SerializedFileReader::new(fs::File::open(&bad).unwrap()).unwrap();
    let column = reader.metadata().row_group(1).column(0);
    let (start, length) = column.byte_range();
    let mut bytes = fs::read(&bad).unwrap();
    for byte in &mut bytes[start as usize..(start + length) as usize] {
        *byte = 0xAB;
    }
    fs::write(&bad, bytes).unwrap();
    let assert = scrub().args(["clean", "-q"]).arg(&bad).assert().code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains(&format!(
            "{}: row group 1: reading stopped at row 0:",
            bad.display()
        )),
        "{stderr}"
    );
    let records = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    // Row groups 0 and 2 are read: 3 + 2 rows.
    assert_eq!(records.lines().count(), 5);
}
