//! The rule-file loader on arbitrary TOML: no panic; a file that loads yields rules whose
//! edits are well formed, whose own tests run, and that a pipeline can run.
#![no_main]

use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;
use textscrub::{Options, Pipeline, RuleSet};
use textscrub_fuzz::{check_changes, check_edits, check_replay};

const SAMPLE: &str = "[ad_1]\nPresident Sooronbay Ceenbekov said cafÃ© &amp; <br> \u{200b}.\n\nAdvertisement\n";

fuzz_target!(|source: &str| {
    let Ok(rules) = RuleSet::from_sources(&[(PathBuf::from("fuzz.toml"), source.to_string())])
    else {
        return;
    };
    for rule in rules.rules() {
        for text in [SAMPLE, source] {
            if !matches!(rule.kind.name(), "flag" | "quality") {
                check_edits(text, &rule.edits(text), rule.id.as_str());
            }
        }
        let _ = rule.run_tests();
    }
    let pipeline = Pipeline::new(rules, Options::default());
    for text in [SAMPLE, source] {
        let outcome = pipeline.run(text);
        check_changes(text, &outcome);
        check_replay(pipeline.rules(), text, &outcome);
    }
});
