//! The default rules on arbitrary text: no panic; every change points at its text in the
//! original; replaying the rules reproduces the output; cleaning is idempotent.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use textscrub::{Options, Pipeline, RuleSet};
use textscrub_fuzz::{check_changes, check_replay};

fn pipeline() -> &'static Pipeline {
    static PIPELINE: OnceLock<Pipeline> = OnceLock::new();
    PIPELINE.get_or_init(|| Pipeline::new(RuleSet::defaults().unwrap(), Options::default()))
}

fuzz_target!(|text: &str| {
    let outcome = pipeline().run(text);
    check_changes(text, &outcome);
    check_replay(pipeline().rules(), text, &outcome);
    let again = pipeline().run(&outcome.text);
    assert_eq!(
        again.text, outcome.text,
        "not idempotent; second pass changes: {:?}",
        again.changes
    );
});
