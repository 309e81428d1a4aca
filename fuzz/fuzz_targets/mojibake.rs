//! The mojibake repair on arbitrary text: no panic; edits are well formed; repairing its
//! own output changes nothing (it never repairs what it produced).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use textscrub::edit::apply;
use textscrub::{Rule, RuleSet};
use textscrub_fuzz::check_edits;

fn rule() -> &'static Rule {
    static RULE: OnceLock<Rule> = OnceLock::new();
    RULE.get_or_init(|| {
        RuleSet::defaults()
            .unwrap()
            .rules()
            .iter()
            .find(|r| r.id.as_str() == "unicode/mojibake")
            .unwrap()
            .clone()
    })
}

fuzz_target!(|text: &str| {
    let edits = rule().edits(text);
    check_edits(text, &edits, "unicode/mojibake");
    let repaired = apply(text, &edits);
    let again = rule().edits(&repaired);
    assert!(
        again.is_empty(),
        "repairs its own output again: {repaired:?} -> {:?}",
        apply(&repaired, &again)
    );
});
