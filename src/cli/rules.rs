//! `textscrub rules`: list, test and explain the effective rule set.

use std::path::PathBuf;

use clap::Subcommand;
use textscrub::rule::CaseStatus;
use textscrub::{LoadOptions, RuleSet};

use super::{RuleArgs, Status};

#[derive(Debug, Subcommand)]
pub(crate) enum RulesCommand {
    /// List the rules that would run, in order: id, kind, source file, description.
    List {
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
        /// The rule id, e.g. `scraper/ad-placeholder`.
        id: String,
        #[command(flatten)]
        rules: RuleArgs,
    },
}

pub(crate) fn run(command: &RulesCommand) -> anyhow::Result<Status> {
    match command {
        RulesCommand::List { rules } => {
            for rule in rules.load()?.rules() {
                println!(
                    "{:<36} {:<14} {}:{}  {}",
                    rule.id,
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
        RulesCommand::Explain { id, rules } => {
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
