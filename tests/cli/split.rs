//! `split`: one sentence per line, and the JSONL contract.

use super::*;

#[test]
fn split_writes_one_sentence_per_line_and_follows_the_jsonl_contract() {
    scrub()
        .args(["split", "-q"])
        .write_stdin("Oct. 6 (UPI) -- Mr. Jeenbekov spoke. \"Stop!\" he\nsaid.\n\nPOLICE INTERVENED\nThe end.")
        .assert()
        .success()
        .stdout("Oct. 6 (UPI) -- Mr. Jeenbekov spoke.\n\"Stop!\" he said.\nPOLICE INTERVENED\nThe end.\n");
    scrub()
        .args(["split", "-q", "--format", "jsonl"])
        .write_stdin(concat!(
            r#"{"id":"a","text":"Dr. No left. He ran.","src":"x"}"#,
            "\n",
            r#"{"id":"b","lang":"de","text":"Am 3. Oktober feiern wir. Gut."}"#,
            "\n",
        ))
        .assert()
        .success()
        .stdout(concat!(
            r#"{"id":"a","src":"x","sentences":["Dr. No left.","He ran."]}"#,
            "\n",
            r#"{"id":"b","lang":"de","sentences":["Am 3. Oktober feiern wir.","Gut."]}"#,
            "\n",
        ));
}
