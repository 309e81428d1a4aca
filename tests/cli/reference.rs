//! The book's generated references and man pages are what the code generates now, and the
//! relative links of the book and the README lead to files that exist.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::scrub;

const REGENERATE: &str = "cargo run -- generate-reference docs";

/// Every file under `dir`, by its path relative to `dir`.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut found = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap().to_path_buf();
                found.insert(relative, fs::read(&path).unwrap());
            }
        }
    }
    found
}

#[test]
fn generated_references_and_man_pages_match_the_code() {
    let temp = tempfile::tempdir().unwrap();
    scrub()
        .args(["generate-reference"])
        .arg(temp.path())
        .assert()
        .success();
    for folder in ["src/reference", "man"] {
        let generated = files(&temp.path().join(folder));
        let committed = files(&Path::new("docs").join(folder));
        assert!(!generated.is_empty(), "nothing generated into {folder}");
        for (path, text) in &generated {
            let shown = Path::new("docs").join(folder).join(path);
            match committed.get(path) {
                None => panic!(
                    "{} is missing; regenerate the references with `{REGENERATE}`",
                    shown.display()
                ),
                Some(old) if old != text => panic!(
                    "{} differs from what the code generates now; regenerate it with \
                     `{REGENERATE}` and commit the result",
                    shown.display()
                ),
                Some(_) => {}
            }
        }
        for path in committed.keys() {
            assert!(
                generated.contains_key(path),
                "docs/{folder}/{} is no longer generated: delete it (`{REGENERATE}` writes the rest)",
                path.display()
            );
        }
    }
}

/// The targets of `[text](target)` links in Markdown, code blocks and code spans left out.
fn links(markdown: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut in_fence = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        // Code spans may hold `](`; drop them first.
        let mut plain = String::new();
        let mut in_code = false;
        for c in line.chars() {
            if c == '`' {
                in_code = !in_code;
            } else if !in_code {
                plain.push(c);
            }
        }
        let mut rest = plain.as_str();
        while let Some(at) = rest.find("](") {
            rest = &rest[at + 2..];
            if let Some(end) = rest.find(')') {
                found.push(rest[..end].to_string());
                rest = &rest[end..];
            }
        }
    }
    found
}

#[test]
fn relative_links_of_the_book_and_the_readme_lead_to_files() {
    let mut pages = vec![PathBuf::from("README.md")];
    pages.extend(
        files(Path::new("docs/src"))
            .into_keys()
            .filter(|path| path.extension().is_some_and(|e| e == "md"))
            .map(|path| Path::new("docs/src").join(path)),
    );
    let mut broken = Vec::new();
    for page in &pages {
        let text = fs::read_to_string(page).unwrap();
        for target in links(&text) {
            if target.contains("://") || target.starts_with('#') || target.starts_with("mailto:") {
                continue;
            }
            let path = target.split('#').next().unwrap();
            let resolved = page.parent().unwrap().join(path);
            if !resolved.exists() {
                broken.push(format!("{}: {target}", page.display()));
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}
