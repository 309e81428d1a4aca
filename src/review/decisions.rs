//! The reviewer's decisions, as the review page exports them, turned into what textscrub
//! uses: a change marked "wrong" becomes an `allow` phrase in `textscrub.toml` (so the
//! next run leaves that text alone) and a "must leave alone" `[[rule.test]]` case in the
//! rule's file (which fails until the rule is fixed); a change marked "right" becomes a
//! test pinning the rule's output; a document marked "leave alone" goes to `allow-ids`.
//!
//! Files are edited with toml_edit, so their comments and layout stay as they were, and
//! written atomically.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, Value};

use super::Error;
use crate::io::AtomicFile;
use crate::{Rule, RuleSet};

/// What the page's "Export decisions" button writes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decisions {
    format: String,
    version: u32,
    #[serde(default)]
    #[allow(dead_code)]
    page: String,
    /// Marked changes.
    #[serde(default)]
    pub changes: Vec<ChangeDecision>,
    /// Documents marked "leave alone".
    #[serde(default)]
    pub documents: Vec<DocumentDecision>,
}

/// One marked change. Its position fields are those of [`crate::Span`], written out because
/// serde cannot deny unknown fields of a struct that flattens another.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeDecision {
    /// The document.
    pub id: String,
    /// The rule that made the change.
    pub rule: String,
    /// `right` or `wrong`.
    pub decision: Decision,
    /// Position in the original document.
    pub line: usize,
    /// Column in the original document.
    pub column: usize,
    /// Byte offset of the change in the original.
    pub start: usize,
    /// End of the change in the original.
    pub end: usize,
    /// The text the rule replaced.
    pub before: String,
    /// What it put there.
    pub after: String,
    /// The original text around the change (its line, or a window of words).
    pub context: String,
}

/// A reviewer's verdict on a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    /// The change is what the rule is for.
    Right,
    /// A false positive.
    Wrong,
}

/// A document marked "leave alone".
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentDecision {
    /// The document.
    pub id: String,
    /// Always `leave-alone`.
    pub decision: String,
}

/// What [`apply`] changed, and what it could not use, for the user to read.
#[derive(Debug, Clone, Default)]
pub struct Applied {
    /// Phrases added to `allow`.
    pub allow: Vec<String>,
    /// Ids added to `allow-ids`.
    pub allow_ids: Vec<String>,
    /// `(rule, file, input, expected output)` test cases added; no output: must leave alone.
    pub tests: Vec<(String, PathBuf, String, Option<String>)>,
    /// Decisions not turned into a test, with the reason.
    pub skipped: Vec<String>,
    /// Files written.
    pub written: Vec<PathBuf>,
}

impl Decisions {
    /// Reads a decisions file exported by the review page.
    pub fn read(path: &Path) -> Result<Self, Error> {
        let problem = |message: String| Error::Decisions {
            path: path.display().to_string(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| problem(e.to_string()))?;
        let decisions: Self =
            serde_json::from_str(&text).map_err(|e| problem(format!("line {}: {e}", e.line())))?;
        if decisions.format != "textscrub-review-decisions" || decisions.version != 1 {
            return Err(problem(format!(
                "not a decisions file of this version (format {:?}, version {})",
                decisions.format, decisions.version
            )));
        }
        if let Some(d) = decisions
            .documents
            .iter()
            .find(|d| d.decision != "leave-alone")
        {
            return Err(problem(format!(
                "document {:?}: unknown decision {:?}",
                d.id, d.decision
            )));
        }
        Ok(decisions)
    }
}

/// Where a rule's file is on disk: its source, or for an embedded default rule
/// (`<default>/rules/x.toml`) that file below `default_rules_root` when it exists there
/// (a textscrub checkout), so fixing a default rule starts from a failing test too.
fn rule_file(rule: &Rule, default_rules_root: Option<&Path>) -> Option<PathBuf> {
    match rule.source.strip_prefix("<default>") {
        Ok(relative) => default_rules_root
            .map(|root| root.join(relative))
            .filter(|p| p.is_file()),
        Err(_) => Some(rule.source.clone()).filter(|p| p.is_file()),
    }
}

/// Applies decisions: `allow` and `allow-ids` go into the config at `config` (created
/// when missing), test cases into the rule files of `rules` that are on disk.
pub fn apply(
    decisions: &Decisions,
    config: &Path,
    rules: &RuleSet,
    default_rules_root: Option<&Path>,
) -> Result<Applied, Error> {
    let mut applied = Applied::default();
    let mut config_doc = read_toml(config, true)?;
    let mut allow = Vec::new();
    for change in &decisions.changes {
        if change.decision != Decision::Wrong {
            continue;
        }
        if change.context.is_empty() {
            applied.skipped.push(format!(
                "{} {}:{} ({}): no text around the change to allow",
                change.id, change.line, change.column, change.rule
            ));
        } else {
            allow.push(change.context.clone());
        }
    }
    applied.allow = append_unique(&mut config_doc, "allow", allow)?;
    let ids = decisions.documents.iter().map(|d| d.id.clone()).collect();
    applied.allow_ids = append_unique(&mut config_doc, "allow-ids", ids)?;
    if !applied.allow.is_empty() || !applied.allow_ids.is_empty() {
        write(config, &config_doc.to_string())?;
        applied.written.push(config.to_path_buf());
    }

    // Test cases, grouped per rule file.
    let mut files: Vec<(PathBuf, DocumentMut)> = Vec::new();
    for change in &decisions.changes {
        let Some(rule) = rules.rules().iter().find(|r| r.id.as_str() == change.rule) else {
            applied.skipped.push(format!(
                "{}: no rule {} in this rule set",
                change.id, change.rule
            ));
            continue;
        };
        let edits = rule.edits(&change.context);
        // A case pins the rule only if the rule, on the context alone, does what it did in
        // the document; otherwise the test would pass today and prove nothing.
        if edits.is_empty() {
            applied.skipped.push(format!(
                "{} {}:{} ({}): the rule does not change {:?} on its own, so no test pins it",
                change.id, change.line, change.column, change.rule, change.context
            ));
            continue;
        }
        let output = match change.decision {
            Decision::Wrong => None,
            Decision::Right => Some(crate::edit::apply(&change.context, &edits)),
        };
        let Some(path) = rule_file(rule, default_rules_root) else {
            applied.skipped.push(format!(
                "{} ({}): its rule file {} is not on disk; add the case by hand: input = {:?}",
                change.id,
                change.rule,
                rule.source.display(),
                change.context
            ));
            continue;
        };
        let index = match files.iter().position(|(p, _)| *p == path) {
            Some(i) => i,
            None => {
                files.push((path.clone(), read_toml(&path, false)?));
                files.len() - 1
            }
        };
        if add_test(
            &mut files[index].1,
            &change.rule,
            &change.context,
            output.as_deref(),
        )
        .map_err(|message| Error::File {
            path: path.display().to_string(),
            message,
        })? {
            applied
                .tests
                .push((change.rule.clone(), path, change.context.clone(), output));
        }
    }
    for (path, doc) in files {
        if applied.tests.iter().any(|t| t.1 == path) {
            write(&path, &doc.to_string())?;
            applied.written.push(path);
        }
    }
    Ok(applied)
}

fn read_toml(path: &Path, missing_ok: bool) -> Result<DocumentMut, Error> {
    let problem = |message: String| Error::File {
        path: path.display().to_string(),
        message,
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if missing_ok && e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(problem(e.to_string())),
    };
    text.parse::<DocumentMut>()
        .map_err(|e| problem(e.to_string().trim_end().to_string()))
}

fn write(path: &Path, text: &str) -> Result<(), Error> {
    let problem = |e: std::io::Error| Error::File {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let mut file = AtomicFile::create(path).map_err(problem)?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(problem)?;
    file.commit().map_err(problem)
}

/// Appends the values not yet in the top-level array `key`; returns those added.
fn append_unique(
    doc: &mut DocumentMut,
    key: &str,
    values: Vec<String>,
) -> Result<Vec<String>, Error> {
    let mut added = Vec::new();
    if values.is_empty() {
        return Ok(added);
    }
    // toml_edit writes a new top-level key after the others and before any table.
    if !doc.contains_key(key) {
        doc.insert(key, Item::Value(Value::Array(toml_edit::Array::new())));
    }
    let Some(array) = doc.get_mut(key).and_then(Item::as_array_mut) else {
        return Err(Error::File {
            path: "textscrub.toml".into(),
            message: format!("`{key}` is not an array"),
        });
    };
    for value in values {
        if array.iter().any(|v| v.as_str() == Some(value.as_str())) || added.contains(&value) {
            continue;
        }
        array.push(value.as_str());
        added.push(value);
    }
    // One value per line keeps later diffs of the config readable.
    for item in array.iter_mut() {
        item.decor_mut().set_prefix("\n  ");
    }
    array.set_trailing("\n");
    array.set_trailing_comma(true);
    Ok(added)
}

/// Adds a `[[rule.test]]` case to rule `id`; false when an identical case exists.
fn add_test(
    doc: &mut DocumentMut,
    id: &str,
    input: &str,
    output: Option<&str>,
) -> Result<bool, String> {
    let rules = doc
        .get_mut("rule")
        .and_then(Item::as_array_of_tables_mut)
        .ok_or("no [[rule]] tables")?;
    let rule = rules
        .iter_mut()
        .find(|t| t.get("id").and_then(Item::as_str) == Some(id))
        .ok_or_else(|| format!("no rule `{id}` in this file"))?;
    if !rule.contains_key("test") {
        rule.insert("test", Item::ArrayOfTables(ArrayOfTables::new()));
    }
    let tests = rule
        .get_mut("test")
        .and_then(Item::as_array_of_tables_mut)
        .ok_or("`test` is not an array of tables")?;
    let same = |t: &Table| {
        t.get("input").and_then(Item::as_str) == Some(input)
            && t.get("output").and_then(Item::as_str) == output
    };
    if tests.iter().any(same) {
        return Ok(false);
    }
    let mut test = Table::new();
    test.decor_mut().set_prefix(match output {
        None => "\n# From a review: a false positive; the rule must leave this alone.\n",
        Some(_) => "\n# From a review: a change confirmed right.\n",
    });
    test.insert("input", toml_edit::value(input));
    if let Some(output) = output {
        test.insert("output", toml_edit::value(output));
    }
    tests.push(test);
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow_arrays_are_created_before_tables_and_not_duplicated() {
        let mut doc: DocumentMut =
            "# my config\nlang = \"en\"\n\n[quality]\n\"quality/gopher-min-words\" = 30\n"
                .parse()
                .unwrap();
        let added = append_unique(&mut doc, "allow", vec!["a b".into(), "a b".into()]).unwrap();
        assert_eq!(added, ["a b"]);
        let again = append_unique(&mut doc, "allow", vec!["a b".into(), "c".into()]).unwrap();
        assert_eq!(again, ["c"]);
        let text = doc.to_string();
        assert!(text.starts_with("# my config\n"), "{text}");
        let parsed: toml::Table = text.parse().unwrap();
        assert_eq!(parsed["allow"].as_array().unwrap().len(), 2);
        assert_eq!(
            parsed["quality"]["quality/gopher-min-words"].as_integer(),
            Some(30)
        );
    }

    #[test]
    fn a_test_case_lands_under_its_rule() {
        let mut doc: DocumentMut = "[[rule]]\nid = \"a/x\"\nkind = \"remove\"\ndescription = \"x\"\npattern = 'x'\n\n[[rule.test]]\ninput = \"x\"\noutput = \"\"\n\n[[rule]]\nid = \"a/y\"\nkind = \"remove\"\ndescription = \"y\"\npattern = 'y'\n"
            .parse()
            .unwrap();
        assert!(add_test(&mut doc, "a/x", "box", None).unwrap());
        assert!(!add_test(&mut doc, "a/x", "box", None).unwrap());
        assert!(add_test(&mut doc, "a/y", "yes", Some("es")).unwrap());
        let parsed: toml::Table = doc.to_string().parse().unwrap();
        let rules = parsed["rule"].as_array().unwrap();
        assert_eq!(rules[0]["test"].as_array().unwrap().len(), 2);
        assert_eq!(rules[0]["test"][1]["input"].as_str(), Some("box"));
        assert_eq!(rules[1]["test"][0]["output"].as_str(), Some("es"));
    }
}
