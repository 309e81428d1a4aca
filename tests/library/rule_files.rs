//! Rule files: every default rule is tested and passes; malformed files are reported with
//! path, line, column and rule id.

use std::path::PathBuf;
use textscrub::source::GroupBy;

use textscrub::rule::CaseStatus;
use textscrub::{Error, Options, Pipeline, RuleSet};

fn load(text: &str) -> Result<RuleSet, Error> {
    RuleSet::from_sources(&[(PathBuf::from("acme.toml"), text.to_string())])
}

fn error_of(text: &str) -> String {
    load(text)
        .expect_err("the rule file is malformed")
        .to_string()
}

#[test]
fn default_rules_carry_passing_tests_including_a_left_alone_case() {
    let rules = RuleSet::defaults().unwrap();
    assert!(rules.rules().len() >= 10);
    for rule in rules.rules() {
        assert!(
            rule.tests.len() >= 2,
            "{} has fewer than two tests",
            rule.id
        );
        assert!(
            rule.tests.iter().any(|t| t.output.is_none()),
            "{} has no test showing what it leaves alone",
            rule.id
        );
        for case in rule.run_tests() {
            assert_eq!(
                case.status,
                CaseStatus::Pass,
                "{} test {}: {case:?}",
                rule.id,
                case.index + 1
            );
        }
    }
}

#[test]
fn every_rule_file_in_rules_is_embedded() {
    // Top level and one folder down (`rules/quality/`).
    let mut on_disk: Vec<String> = Vec::new();
    for folder in ["rules", "rules/quality"] {
        on_disk.extend(
            std::fs::read_dir(folder)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .map(|p| p.display().to_string()),
        );
    }
    let nested: Vec<_> = std::fs::read_dir("rules")
        .unwrap()
        .map(|e| e.unwrap().path())
        // `lang/` holds sentence rules (embedded by the segmenter), `optional/` rule files
        // users add with `--rules`.
        .filter(|p| {
            p.is_dir()
                && !["quality", "lang", "optional"]
                    .iter()
                    .any(|d| p.ends_with(d))
        })
        .collect();
    assert!(nested.is_empty(), "rule folders not covered: {nested:?}");
    on_disk.sort();
    let mut embedded: Vec<String> = textscrub::rule::DEFAULT_RULE_FILES
        .iter()
        .map(|(n, _)| (*n).to_string())
        .collect();
    embedded.sort();
    assert_eq!(on_disk, embedded);
}

#[test]
fn a_misspelled_key_names_file_line_column_and_rule() {
    let message = error_of(
        "[[rule]]\nid = \"acme/ad\"\nkind = \"remove\"\ndescription = \"ads\"\npatern = 'x'\n",
    );
    assert!(
        message.starts_with("acme.toml:5:1: rule `acme/ad`: "),
        "{message}"
    );
    assert!(message.contains("unknown field `patern`"), "{message}");
}

#[test]
fn a_bad_regex_points_at_the_pattern() {
    let message = error_of(
        "[[rule]]\nid = \"acme/ad\"\nkind = \"remove\"\ndescription = \"ads\"\npattern = '[ad_'\n",
    );
    assert!(
        message.starts_with("acme.toml:5:11: rule `acme/ad`: invalid regex `[ad_`"),
        "{message}"
    );
}

#[test]
fn a_duplicate_id_is_an_error_naming_the_first_file() {
    let rule =
        "[[rule]]\nid = \"acme/ad\"\nkind = \"remove\"\ndescription = \"ads\"\npattern = 'ad'\n";
    let error = RuleSet::from_sources(&[
        (PathBuf::from("one.toml"), rule.to_string()),
        (PathBuf::from("two.toml"), rule.to_string()),
    ])
    .unwrap_err()
    .to_string();
    assert_eq!(
        error,
        "two.toml:2:6: rule `acme/ad`: duplicate rule id (first defined in one.toml)"
    );
}

#[test]
fn a_test_that_does_not_parse_is_an_error() {
    let message = error_of(
        "[[rule]]\nid = \"acme/ad\"\nkind = \"remove\"\ndescription = \"ads\"\npattern = 'ad'\n\n[[rule.test]]\ninput = 3\n",
    );
    assert!(
        message.starts_with("acme.toml:8:9: rule `acme/ad`: "),
        "{message}"
    );
}

#[test]
fn keys_of_another_kind_and_missing_keys_are_errors() {
    let message = error_of("[[rule]]\nid = \"acme/ad\"\nkind = \"drop-line\"\ndescription = \"ads\"\npattern = 'ad'\nreplacement = 'x'\n");
    assert!(
        message.contains(
            "acme.toml:6:15: rule `acme/ad`: key `replacement` does not apply to kind `drop-line`"
        ),
        "{message}"
    );
    let message = error_of("[[rule]]\nid = \"acme/ad\"\nkind = \"replace\"\ndescription = \"ads\"\npattern = '(a)d'\nreplacement = '$2'\n");
    assert!(
        message.contains("replacement refers to group `2`"),
        "{message}"
    );
    let message = error_of(
        "[[rule]]\nid = \"Acme_ad\"\nkind = \"remove\"\ndescription = \"ads\"\npattern = 'ad'\n",
    );
    assert!(message.contains("rule ids are `group/name`"), "{message}");
    let message = error_of(
        "[[rule]]\nid = \"acme/ad\"\nkind = \"remove\"\ndescription = \"ads\"\npattern = 'a*'\n",
    );
    assert!(message.contains("matches the empty string"), "{message}");
    let message = error_of("[[rule]]\nid = \"acme/n\"\nkind = \"transliterate\"\ndescription = \"n\"\nnames = ['Jo']\nschemes = ['klingon']\n");
    assert!(message.contains("unknown scheme `klingon`"), "{message}");
}

#[test]
fn all_problems_of_a_file_are_reported_together() {
    let message = error_of(concat!(
        "[[rule]]\nid = \"acme/a\"\nkind = \"remove\"\ndescription = \"a\"\npattern = '('\n",
        "[[rule]]\nid = \"acme/b\"\nkind = \"remove\"\ndescription = \"b\"\npattern = ')'\n",
    ));
    assert_eq!(message.lines().count(), 2, "{message}");
}

/// Several rules edit overlapping stretches of a document; every change must still point
/// at the right place in the original.
#[test]
fn positions_stay_exact_across_overlapping_rules() {
    let rules = load(concat!(
        "[[rule]]\nid = \"t/ad\"\nkind = \"remove\"\ndescription = \"d\"\npattern = '\\[ad_\\d\\]'\n",
        "[[rule]]\nid = \"t/shout\"\nkind = \"replace\"\ndescription = \"d\"\npattern = 'BIG NEWS'\nreplacement = 'Big news'\n",
        "[[rule]]\nid = \"t/news\"\nkind = \"replace\"\ndescription = \"d\"\npattern = 'Big news today'\nreplacement = 'News'\n",
        "[[rule]]\nid = \"t/drop\"\nkind = \"drop-line\"\ndescription = \"d\"\npattern = 'Advertisement'\n",
        "[[rule]]\nid = \"t/name\"\nkind = \"lexicon\"\ndescription = \"d\"\nentries = { \"Caparov\" = \"Japarov\" }\n",
    ))
    .unwrap();
    let original = "[ad_1] Sadır said\nAdvertisement\nBIG NEWS [ad_2] today: Caparov\n";
    let outcome = Pipeline::new(rules, Options::default()).run(original);
    assert_eq!(outcome.text, "Sadır said\nNews: Japarov\n");
    let seen: Vec<(&str, usize, usize, usize, usize, &str)> = outcome
        .changes
        .iter()
        .map(|c| {
            (
                c.rule.as_str(),
                c.span.start,
                c.span.end,
                c.span.line,
                c.span.column,
                c.before.as_str(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            ("t/ad", 0, 7, 1, 1, "[ad_1] "),
            ("t/ad", 42, 49, 3, 10, "[ad_2] "),
            ("t/shout", 33, 41, 3, 1, "BIG NEWS"),
            // Spans text written by t/shout and text after the removed [ad_2].
            ("t/news", 33, 54, 3, 1, "Big news today"),
            ("t/drop", 19, 33, 2, 1, "Advertisement\n"),
            ("t/name", 56, 63, 3, 24, "Caparov"),
        ]
    );
    // Changes on text no earlier rule touched quote the original exactly.
    for change in outcome
        .changes
        .iter()
        .filter(|c| c.rule.as_str() != "t/news")
    {
        assert_eq!(&original[change.span.range()], change.before);
    }
}

#[test]
fn a_rule_editing_text_written_by_an_earlier_rule_reports_the_original_span() {
    let rules = load(concat!(
        "[[rule]]\nid = \"t/a\"\nkind = \"replace\"\ndescription = \"d\"\npattern = 'colour'\nreplacement = 'color'\n",
        "[[rule]]\nid = \"t/b\"\nkind = \"replace\"\ndescription = \"d\"\npattern = 'lor of'\nreplacement = 'lor:'\n",
    ))
    .unwrap();
    let original = "The colour of ash";
    let outcome = Pipeline::new(rules, Options::default()).run(original);
    assert_eq!(outcome.text, "The color: ash");
    let second = &outcome.changes[1];
    assert_eq!(
        (second.span.start, second.span.end),
        (4, 13),
        "widened to the original `colour of`"
    );
    assert_eq!(&original[second.span.range()], "colour of");
    assert_eq!(second.before, "lor of");
}

#[test]
fn the_guard_flags_heavy_removals_but_keeps_the_text() {
    let rules = load("[[rule]]\nid = \"t/ad\"\nkind = \"drop-line\"\ndescription = \"d\"\npattern = 'Buy now.*'\n").unwrap();
    let pipeline = Pipeline::new(
        rules,
        Options {
            guard_share: 0.2,
            ..Options::default()
        },
    );
    let outcome = pipeline.run("One two three four.\nBuy now and save big today\n");
    let guard = outcome.guard.expect("half the words went");
    assert!((guard.removed_share - 6.0 / 10.0).abs() < 1e-9);
    assert_eq!(outcome.text, "One two three four.\n");
    assert!(pipeline
        .run("One two three four five six seven eight nine.\nBuy now\n")
        .guard
        .is_none());
}

#[test]
fn a_scoped_rule_runs_only_on_documents_of_its_source() {
    let rules = load("[[rule]]\nid = \"acme/menu\"\nkind = \"drop-line\"\ndescription = \"menu\"\nsource = \"a.example.com\"\nsource-by = \"url:host\"\npattern = 'Home \\| World'\n").unwrap();
    let pipeline = Pipeline::new(rules, Options::default());
    let text = "Home | World\nThe court ruled.\n";
    let of = |host: &'static str| {
        move |by: &GroupBy| {
            assert_eq!(by, &GroupBy::Host("url".into()));
            host.to_string()
        }
    };
    let on = |source: &dyn Fn(&GroupBy) -> String| {
        let context = textscrub::Context {
            source: Some(source),
            ..Default::default()
        };
        pipeline.run_with(text, &context).text
    };
    assert_eq!(on(&of("a.example.com")), "The court ruled.\n");
    assert_eq!(on(&of("b.example.org")), text);
    // A document of no known source is of no rule's source.
    assert_eq!(pipeline.run(text).text, text);
}

#[test]
fn source_by_without_source_and_sources_of_quality_rules_are_errors() {
    let message = error_of("[[rule]]\nid = \"acme/ad\"\nkind = \"remove\"\ndescription = \"ads\"\npattern = 'ad'\nsource-by = 'url:host'\n");
    assert!(
        message.contains("acme.toml:6:13: rule `acme/ad`: `source-by` needs `source`"),
        "{message}"
    );
    let message = error_of("[[rule]]\nid = \"acme/q\"\nkind = \"quality\"\ndescription = \"q\"\nsignal = 'words'\nmin = 5.0\nsource = 'a'\n");
    assert!(
        message.contains("key `source` does not apply to kind `quality`"),
        "{message}"
    );
}
