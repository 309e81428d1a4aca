//! `textscrub rules`: list, test and explain the effective rule set.

use std::io::Write;
use std::path::PathBuf;

use clap::Subcommand;
use textscrub::quality::recipe;
use textscrub::rule::CaseStatus;
use textscrub::{LoadOptions, RuleSet};

use super::{RuleArgs, Status};

#[derive(Debug, Subcommand)]
pub(crate) enum RulesCommand {
    /// List the rules that would run, in order: id, kind, source file, description. With
    /// --language, FineWeb-2's quality rules for that language instead, each with its
    /// threshold and where the number comes from.
    List {
        /// A FineWeb-2 language (`deu_Latn`, or `de`, `deu`); `all` lists the languages,
        /// their tokenizers and whether textscrub judges them.
        #[arg(long, value_name = "LABEL")]
        language: Option<String>,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Run every rule's `[[rule.test]]` cases; exit 1 if any fails.
    Test {
        /// Rule files or folders to test instead of the defaults.
        #[arg(value_name = "PATHS")]
        paths: Vec<PathBuf>,
    },
    /// Fit a `line-score` model on line-labelled pages and write it as a rule file with
    /// three strictness levels; prints the cross-validated report.
    Fit(super::fit::FitArgs),
    /// Show a rule's description, pattern and tests.
    Explain {
        /// The rule id, e.g. `scraper/ad-placeholder`, or a FineWeb-2 rule such as
        /// `fineweb-2/stop-words` with --language.
        id: String,
        /// The FineWeb-2 language whose rule to explain (`deu_Latn`).
        #[arg(long, value_name = "LABEL")]
        language: Option<String>,
        #[command(flatten)]
        rules: RuleArgs,
    },
}

pub(crate) fn run(command: &RulesCommand) -> anyhow::Result<Status> {
    match command {
        RulesCommand::List {
            language: Some(language),
            ..
        } => {
            list_recipe(language)?;
            Ok(Status::Success)
        }
        RulesCommand::List { rules, .. } => {
            for rule in rules.load()?.rules() {
                println!(
                    "{:<36} {:<14} {}:{}  {}",
                    rule.id.as_str(),
                    rule.kind.name(),
                    rule.source.display(),
                    rule.line,
                    rule.description
                );
            }
            Ok(Status::Success)
        }
        RulesCommand::Test { paths } => {
            let rules = RuleSet::load(&LoadOptions {
                default_rules: paths.is_empty(),
                paths: paths.clone(),
            })?;
            let (mut passed, mut failed) = (0, 0);
            for rule in rules.rules() {
                for case in rule.run_tests() {
                    if case.status == CaseStatus::Pass {
                        passed += 1;
                        continue;
                    }
                    failed += 1;
                    let status = match case.status {
                        CaseStatus::Missing => "missing",
                        CaseStatus::Noisy => "noisy",
                        CaseStatus::Wrong => "wrong",
                        CaseStatus::Unstable => "unstable (a second run changes its output again)",
                        CaseStatus::Pass => unreachable!("passes are skipped"),
                    };
                    println!(
                        "{}:{}: {} test {} {status}",
                        rule.source.display(),
                        rule.line,
                        rule.id,
                        case.index + 1
                    );
                    print!(
                        "{}",
                        textscrub::diff::unified("expected", &case.expected, &case.actual)
                    );
                    println!(
                        "  input:    {:?}\n  expected: {:?}\n  actual:   {:?}",
                        case.input, case.expected, case.actual
                    );
                }
            }
            println!("{passed} passed, {failed} failed");
            Ok(if failed > 0 {
                Status::Findings
            } else {
                Status::Success
            })
        }
        RulesCommand::Fit(args) => super::fit::run(args),
        RulesCommand::Explain {
            id,
            language: Some(language),
            ..
        } => {
            explain_recipe_rule(id, language)?;
            Ok(Status::Success)
        }
        RulesCommand::Explain { id, rules, .. } => {
            // Without the selection: a rule shipped off (`default = false`) is explained too.
            let set = rules.load_unselected()?;
            let Some(rule) = set.rules().iter().find(|r| r.id.as_str() == id) else {
                anyhow::bail!("no rule `{id}`\nhelp: `textscrub rules list` shows the rule ids");
            };
            println!("{} ({})", rule.id, rule.kind.name());
            println!("defined in {}:{}\n", rule.source.display(), rule.line);
            println!("{}", rule.description);
            if let Some(why) = &rule.why {
                println!("\n{why}");
            }
            if !rule.enabled {
                println!("\noff by default: runs only when a --select glob names it");
            }
            if let Some(scope) = &rule.scope {
                println!(
                    "\nonly in documents of source {} (read as {})",
                    scope.name, scope.by
                );
            }
            if let Some(pattern) = &rule.pattern {
                println!("\npattern: {pattern}");
            }
            if let Some(threshold) = rule.threshold() {
                println!(
                    "\nkeeps documents with {} {}\n  {}: {}",
                    threshold.signal,
                    threshold.bound,
                    threshold.signal,
                    threshold.signal.definition()
                );
            }
            for test in &rule.tests {
                println!("\n  before: {:?}", test.input);
                match (&test.output, test.verdict) {
                    (_, Some(verdict)) => println!("  verdict: {verdict:?}"),
                    (Some(output), None) => println!("  after:  {output:?}"),
                    (None, None) => println!("  after:  (unchanged)"),
                }
            }
            Ok(Status::Success)
        }
    }
}

/// A FineWeb-2 language's recipe, or an error naming what was asked.
fn recipe_language(language: &str) -> anyhow::Result<&'static recipe::Language> {
    let recipe = recipe::fineweb2();
    recipe
        .resolve(language, None)
        .and_then(|label| recipe.language(label))
        .ok_or_else(|| {
            anyhow::anyhow!(
                "FineWeb-2 has no language `{language}`\nhelp: `textscrub rules list --language all` lists them"
            )
        })
}

/// Whether textscrub judges a language, and why not.
fn judged(language: &recipe::Language) -> &'static str {
    if language.lexicon.is_some() {
        "judged"
    } else {
        "unjudged: tokenizer not ported"
    }
}

fn list_recipe(language: &str) -> anyhow::Result<()> {
    // Written, not printed: `rules list --language all | head` closes the pipe early.
    let mut out = std::io::stdout().lock();
    if language == "all" {
        let recipe = recipe::fineweb2();
        for label in recipe.labels() {
            let language = recipe.language(label).expect("listed labels exist");
            writeln!(
                out,
                "{label:<10} {:<16} {}",
                language.config.tokenizer,
                judged(language)
            )?;
        }
        return Ok(());
    }
    let language = recipe_language(language)?;
    writeln!(
        out,
        "{}: words by datatrove's {} tokenizer ({}), {} stop words, language_score >= {}",
        language.label,
        language.config.tokenizer,
        judged(language),
        language.config.stopwords.len(),
        language.config.language_score
    )?;
    for rule in &language.rules {
        let check = format!("{} {}", rule.threshold.signal, rule.threshold.bound);
        writeln!(
            out,
            "{:<26} {check:<36} {:<44} {}: {}",
            rule.id.as_str(),
            rule.source,
            rule.datatrove.0,
            rule.datatrove.1
        )?;
    }
    Ok(())
}

fn explain_recipe_rule(id: &str, language: &str) -> anyhow::Result<()> {
    let language = recipe_language(language)?;
    let Some(rule) = language.rules.iter().find(|r| r.id.as_str() == id) else {
        anyhow::bail!(
            "{} has no rule `{id}`\nhelp: `textscrub rules list --language {}` lists its rules",
            language.label,
            language.label
        );
    };
    println!("{} for {} (quality, FineWeb-2)", rule.id, language.label);
    println!(
        "\nkeeps documents with {} {}\n  {}: {}",
        rule.threshold.signal,
        rule.threshold.bound,
        rule.threshold.signal,
        rule.threshold.signal.definition()
    );
    println!(
        "\nthe number: {} (configs/{}.yml of FineWeb-2)\nfails as datatrove's {} reports `{}`",
        rule.source, language.label, rule.datatrove.0, rule.datatrove.1
    );
    println!(
        "words: datatrove's {} tokenizer ({})",
        language.config.tokenizer,
        judged(language)
    );
    if rule.threshold.signal == textscrub::quality::Signal::StopWords {
        println!("stop words: {}", language.config.stopwords.join(" "));
    }
    Ok(())
}
