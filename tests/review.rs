//! The review page (issue 16): what the page holds, the cap, the decisions loop, and a
//! real browser (headless Chromium over WebDriver).
//!
//! The browser tests need `chromium` and `chromedriver` (Debian: `chromium`,
//! `chromium-driver`; `.ci/review.sh` installs them). Without them the browser tests
//! print why and pass locally, but fail when `CI` is set: CI must run them.

use std::collections::BTreeSet;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_textscrub");

fn textscrub(args: &[&str], dir: &Path) -> Output {
    let output = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("textscrub runs");
    assert!(
        output.status.success() || output.status.code() == Some(1),
        "textscrub {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// A document whose text tries every way out of its box.
const HOSTILE: &str = "Advertisement\n\nHostile <script>window.__pwned = 1;</script> text </textarea> <img src=x onerror=\"window.__pwned = 2\"> and a javascript:window.__pwned=3 link &amp; \" quotes ' end.\n";

/// The inputs of the browser and page tests: the seed articles, some scraped pages,
/// and the hostile document; in a fresh folder with an empty config (so a
/// textscrub.toml above the checkout cannot change the run).
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    std::fs::create_dir(&input).unwrap();
    for name in ["kyrgyzstan-upi.txt", "kyrgyzstan-aa-translated.txt"] {
        std::fs::copy(fixtures().join("seeds/input").join(name), input.join(name)).unwrap();
    }
    let pages = std::fs::read_to_string(fixtures().join("scraped-dev/docs.jsonl")).unwrap();
    let some: String = pages.lines().take(40).map(|l| format!("{l}\n")).collect();
    std::fs::write(input.join("pages.jsonl"), some).unwrap();
    std::fs::write(input.join("hostile.txt"), HOSTILE).unwrap();
    std::fs::write(dir.path().join("textscrub.toml"), "lang = \"en\"\n").unwrap();
    dir
}

/// Every change `clean --changes` reports, as (id, rule).
fn changes(dir: &Path, extra: &[&str]) -> Vec<(String, String)> {
    let mut args = vec!["clean", "-q", "--changes", "-", "-o", "out/"];
    args.extend_from_slice(extra);
    args.push("input");
    let output = textscrub(&args, dir);
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (
                v["id"].as_str().unwrap().to_string(),
                v["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn build_page(dir: &Path, extra: &[&str]) -> (PathBuf, String) {
    let page = dir.join("review.html");
    let mut args = vec!["review", "-q", "-o", "review.html"];
    args.extend_from_slice(extra);
    args.push("input");
    textscrub(&args, dir);
    let html = std::fs::read_to_string(&page).unwrap();
    (page, html)
}

#[test]
fn the_page_is_self_contained_and_escapes_document_text() {
    let dir = workspace();
    let (_, html) = build_page(dir.path(), &["--sentences", "--quality"]);
    // One script, ours; no external reference of any kind: no attribute that loads
    // anything, nothing in the page's own CSS and script that could.
    assert_eq!(html.matches("<script").count(), 1);
    for needle in [" src=\"", " href=\"", "<link", "<iframe", "<object"] {
        assert!(!html.contains(needle), "the page holds {needle:?}");
    }
    let head = &html[..html.find("<body>").unwrap()];
    let script = &html[html.rfind("<script>").unwrap()..];
    for code in [head, script] {
        for needle in [
            "@import",
            "url(",
            "http:",
            "https:",
            "fetch(",
            "XMLHttpRequest",
        ] {
            assert!(
                !code.contains(needle),
                "the page's own code holds {needle:?}"
            );
        }
    }
    assert!(html.contains("default-src 'none'"));
    // The hostile text is there, escaped.
    assert!(html.contains("&lt;script&gt;"));
    assert!(html.contains("&lt;&#x2f;textarea&gt;"));
    assert!(!html.contains("<script>window"));
    assert!(!html.contains("</textarea>"));
    assert!(!html.contains("<img"));
    // Every change of the run is on the page, with its rule.
    let expected = changes(dir.path(), &[]);
    assert_eq!(html.matches("<li class=\"change\"").count(), expected.len());
    // Sentences and verdicts were asked for and shown.
    assert!(html.contains("class=\"sentences\""));
    assert!(html.contains("quality: "));
}

#[test]
fn clean_review_writes_the_same_page_beside_a_normal_run() {
    let dir = workspace();
    let (_, page) = build_page(dir.path(), &[]);
    textscrub(
        &[
            "clean",
            "-q",
            "-o",
            "out/",
            "--review",
            "beside.html",
            "input",
        ],
        dir.path(),
    );
    let beside = std::fs::read_to_string(dir.path().join("beside.html")).unwrap();
    assert_eq!(beside, page);
    assert!(dir.path().join("out/hostile.txt").is_file());
}

/// A corpus larger than the cap: the scraped pages 20 times over, with fresh ids.
fn large_corpus(dir: &Path, copies: usize) {
    let pages = std::fs::read_to_string(fixtures().join("scraped-dev/docs.jsonl")).unwrap();
    let mut out = String::new();
    for copy in 0..copies {
        for line in pages.lines() {
            let mut v: Value = serde_json::from_str(line).unwrap();
            let id = format!("{}#{copy}", v["id"].as_str().unwrap());
            v["id"] = json!(id);
            out.push_str(&v.to_string());
            out.push('\n');
        }
    }
    std::fs::create_dir_all(dir.join("input")).unwrap();
    std::fs::write(dir.join("input/large.jsonl"), out).unwrap();
}

fn articles(html: &str) -> Vec<(String, BTreeSet<String>)> {
    html.split("<article class=\"doc\"")
        .skip(1)
        .map(|a| {
            let attr = |name: &str| {
                let start = a.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                a[start..start + a[start..].find('"').unwrap()].replace("&#x2f;", "/")
            };
            let rules = attr("data-rules")
                .split_whitespace()
                .map(str::to_string)
                .collect();
            (attr("data-id"), rules)
        })
        .collect()
}

#[test]
fn the_cap_keeps_examples_of_every_rule_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    large_corpus(dir.path(), 4);
    std::fs::write(dir.path().join("textscrub.toml"), "").unwrap();
    let all = changes(dir.path(), &[]);
    let rules: BTreeSet<String> = all.iter().map(|(_, r)| r.clone()).collect();
    let (_, html) = build_page(dir.path(), &["--max-docs", "60"]);
    let shown = articles(&html);
    assert_eq!(shown.len(), 60);
    let covered: BTreeSet<String> = shown.iter().flat_map(|(_, r)| r.clone()).collect();
    for rule in &rules {
        assert!(covered.contains(rule), "no example of {rule} in the sample");
    }
    assert!(html.contains("--max-docs 60"));
    // Deterministic: the same input gives the same page.
    let (_, again) = build_page(dir.path(), &["--max-docs", "60", "-j", "1"]);
    assert_eq!(again, html);
}

fn decisions_file(dir: &Path, changes: Vec<Value>, documents: Vec<Value>) -> PathBuf {
    let path = dir.join("decisions.json");
    let body = json!({"format": "textscrub-review-decisions", "version": 1, "page": "t",
        "changes": changes, "documents": documents});
    std::fs::write(&path, body.to_string()).unwrap();
    path
}

#[test]
fn applied_decisions_allow_the_text_and_pin_the_rule() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("input")).unwrap();
    std::fs::write(
        d.join("input/a.txt"),
        "The Acme Promo Line stays, the promo line goes.\n",
    )
    .unwrap();
    std::fs::write(d.join("input/b.txt"), "another promo line here.\n").unwrap();
    std::fs::write(
        d.join("acme.toml"),
        "# Our rules.\n[[rule]]\nid = \"acme/promo\"\nkind = \"remove\"\ndescription = \"Promo words.\"\npattern = '(?i)promo line'\n\n[[rule.test]]\ninput = \"a promo line\"\noutput = \"a \"\n",
    )
    .unwrap();
    std::fs::write(
        d.join("textscrub.toml"),
        "# project\nrules = [\"acme.toml\"]\n",
    )
    .unwrap();
    let clean = |d: &Path| {
        let out = textscrub(&["clean", "-q", "--select", "acme/*", "input/a.txt"], d);
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(clean(d), "The Acme stays, the goes.\n");
    let wrong = json!({"id": "input/a.txt", "rule": "acme/promo", "decision": "wrong",
        "line": 1, "column": 10, "start": 9, "end": 19, "before": "Promo Line", "after": "",
        "context": "The Acme Promo Line stays, the promo line goes."});
    let path = decisions_file(
        d,
        vec![wrong],
        vec![json!({"id": "input/b.txt", "decision": "leave-alone"})],
    );
    let out = textscrub(&["review", "apply", path.to_str().unwrap()], d);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("must leave"), "{stdout}");
    // The config keeps its comment and gains the phrase and the id.
    let config = std::fs::read_to_string(d.join("textscrub.toml")).unwrap();
    assert!(config.starts_with("# project\n"), "{config}");
    assert!(config.contains("\"The Acme Promo Line stays, the promo line goes.\""));
    assert!(config.contains("\"input/b.txt\""));
    // The next run leaves that text alone.
    assert_eq!(
        clean(d),
        "The Acme Promo Line stays, the promo line goes.\n"
    );
    // The rule now carries a case it fails until it is fixed.
    let test = Command::new(BIN)
        .args(["rules", "test", "acme.toml"])
        .current_dir(d)
        .output()
        .unwrap();
    assert_eq!(
        test.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&test.stdout)
    );
    // Applying twice adds nothing.
    let before = std::fs::read_to_string(d.join("acme.toml")).unwrap();
    textscrub(&["review", "apply", path.to_str().unwrap()], d);
    assert_eq!(
        std::fs::read_to_string(d.join("acme.toml")).unwrap(),
        before
    );
}

#[test]
fn a_decisions_file_of_another_kind_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("x.json"),
        "{\"format\": \"other\", \"version\": 1}",
    )
    .unwrap();
    let out = Command::new(BIN)
        .args(["review", "apply", "x.json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("x.json: not a decisions file"));
}

// ---------------------------------------------------------------------------------
// In a real browser.

/// A chromedriver on a free port, killed on drop.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// The driver and browser, or `None` (with the reason printed) when they are missing
/// outside CI. In CI a missing browser fails the test.
fn start_driver() -> Option<(Driver, PathBuf)> {
    let driver = find_program(&["chromedriver"]);
    let browser = find_program(&["chromium", "chromium-browser", "google-chrome"]);
    let (Some(driver), Some(browser)) = (driver, browser) else {
        let message = "browser tests skipped: chromium and chromedriver are not installed \
                       (Debian: apt-get install chromium chromium-driver; see .ci/review.sh)";
        if std::env::var_os("CI").is_some() {
            panic!("{message}; CI must run them");
        }
        eprintln!("{message}");
        return None;
    };
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    Some((driver, browser))
}

async fn browser(driver: &Driver, binary: &Path) -> Client {
    let profile = tempfile::tempdir().unwrap().keep();
    let args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
    ]
    .map(String::from)
    .into_iter()
    .chain([format!("--user-data-dir={}", profile.display())])
    .collect::<Vec<_>>();
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({"args": args, "binary": binary}),
    );
    caps.insert("goog:loggingPrefs".into(), json!({"browser": "ALL"}));
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("a browser session")
}

/// chromedriver's browser console log (`se/log`: not in W3C WebDriver, so sent by hand).
#[derive(Debug)]
struct BrowserLog;

impl fantoccini::wd::WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.into()))
    }
}

async fn console_problems(client: &Client) -> Vec<String> {
    let log = client.issue_cmd(BrowserLog).await.expect("the browser log");
    log.as_array()
        .expect("log entries")
        .iter()
        .filter(|e| matches!(e["level"].as_str(), Some("SEVERE" | "WARNING")))
        .map(|e| e["message"].to_string())
        .collect()
}

fn file_url(path: &Path) -> String {
    url::Url::from_file_path(path).unwrap().to_string()
}

async fn visible_ids(client: &Client) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for article in client.find_all(Locator::Css("article.doc")).await.unwrap() {
        if article.is_displayed().await.unwrap() {
            ids.insert(article.attr("data-id").await.unwrap().unwrap());
        }
    }
    ids
}

async fn current_change(client: &Client) -> Option<(String, String, String)> {
    let found = client
        .find_all(Locator::Css("li.change.current"))
        .await
        .unwrap();
    assert!(found.len() <= 1, "more than one current change");
    let change = found.into_iter().next()?;
    let start = change.attr("data-start").await.unwrap().unwrap();
    let rule = change.attr("data-rule").await.unwrap().unwrap();
    let id = client
        .execute(
            "return arguments[0].closest('article').dataset.id",
            vec![serde_json::to_value(&change).unwrap()],
        )
        .await
        .unwrap();
    Some((id.as_str().unwrap().to_string(), rule, start))
}

async fn press(client: &Client, keys: &str) {
    client
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys(keys)
        .await
        .unwrap();
}

/// Changes on the page in document order: (id, rule, start) of the visible ones.
async fn visible_changes(client: &Client) -> Vec<(String, String, String)> {
    let value = client
        .execute(
            "return Array.from(document.querySelectorAll('article.doc:not([hidden]) li.change'))
               .map(c => [c.closest('article').dataset.id, c.dataset.rule, c.dataset.start]);",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(value).unwrap()
}

#[tokio::test(flavor = "current_thread")]
async fn in_a_browser_the_page_filters_navigates_and_shows_hostile_text_as_text() {
    let Some((driver, binary)) = start_driver() else {
        return;
    };
    let dir = workspace();
    let (page, _) = build_page(dir.path(), &["--sentences"]);
    let client = browser(&driver, &binary).await;
    client.goto(&file_url(&page)).await.unwrap();

    // No console errors or warnings (a CSP violation, a script error) on opening.
    assert_eq!(console_problems(&client).await, Vec::<String>::new());

    // The hostile document shows as text: nothing ran, no element came from it.
    let pwned = client
        .execute("return window.__pwned === undefined", vec![])
        .await
        .unwrap();
    assert_eq!(pwned, json!(true));
    let hostile = client
        .find(Locator::Css("article[data-id$='hostile.txt']"))
        .await
        .unwrap();
    let shown = hostile.text().await.unwrap();
    for literal in [
        "<script>window.__pwned = 1;</script>",
        "</textarea>",
        "javascript:window.__pwned=3",
        "<img src=x",
    ] {
        assert!(
            shown.contains(literal),
            "{literal:?} not shown as text in {shown:?}"
        );
    }
    let injected = client
        .execute(
            "return document.querySelectorAll('main img, main script, main textarea, main a').length",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(injected, json!(0));

    // Filtering by one rule shows exactly the documents that rule changed (the
    // oracle is `clean --changes` on the same inputs).
    let all = changes(dir.path(), &[]);
    let rules: BTreeSet<&String> = all.iter().map(|(_, r)| r).collect();
    assert!(rules.len() >= 4, "too few rules fired: {rules:?}");
    let select = client.find(Locator::Css("#f-rule")).await.unwrap();
    for rule in &rules {
        select.select_by_value(rule).await.unwrap();
        let expected: BTreeSet<String> = all
            .iter()
            .filter(|(_, r)| r == *rule)
            .map(|(id, _)| id.clone())
            .collect();
        assert_eq!(visible_ids(&client).await, expected, "filter {rule}");
    }

    // Keyboard: j moves to the next change, k back, n to the next document.
    select.select_by_value("scraper/ad-label").await.unwrap();
    let order = visible_changes(&client).await;
    assert!(order.len() >= 2);
    press(&client, "j").await;
    assert_eq!(current_change(&client).await.as_ref(), Some(&order[0]));
    press(&client, "j").await;
    assert_eq!(current_change(&client).await.as_ref(), Some(&order[1]));
    press(&client, "k").await;
    assert_eq!(current_change(&client).await.as_ref(), Some(&order[0]));
    press(&client, "n").await;
    let next_doc = order.iter().find(|c| c.0 != order[0].0).unwrap();
    assert_eq!(current_change(&client).await.as_ref(), Some(next_doc));

    // Mark it wrong with the keyboard; the export holds it.
    press(&client, "w").await;
    let decisions = client
        .execute("return window.textscrubReview.decisions()", vec![])
        .await
        .unwrap();
    assert_eq!(decisions["changes"].as_array().unwrap().len(), 1);
    assert_eq!(decisions["changes"][0]["decision"], "wrong");
    assert_eq!(
        decisions["changes"][0]["rule"].as_str(),
        Some(next_doc.1.as_str())
    );
    assert_eq!(
        decisions["changes"][0]["id"].as_str(),
        Some(next_doc.0.as_str())
    );

    // The screenshot is kept as a test artefact.
    select.select_by_value("").await.unwrap();
    press(&client, "j").await;
    let png = client.screenshot().await.unwrap();
    let artefacts = Path::new(env!("CARGO_TARGET_TMPDIR")).join("review");
    std::fs::create_dir_all(&artefacts).unwrap();
    std::fs::write(artefacts.join("review.png"), &png).unwrap();
    eprintln!("screenshot: {}", artefacts.join("review.png").display());
    assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000);

    assert_eq!(console_problems(&client).await, Vec::<String>::new());
    client.close().await.unwrap();

    // The exported decisions, applied, leave that change out of the next run.
    let file = dir.path().join("decisions.json");
    std::fs::write(&file, decisions.to_string()).unwrap();
    textscrub(&["review", "apply", "decisions.json"], dir.path());
    let after = changes(dir.path(), &[]);
    let id = decisions["changes"][0]["id"].as_str().unwrap();
    let count = |list: &[(String, String)]| list.iter().filter(|c| c.0 == id).count();
    assert!(count(&after) < count(&all), "{after:?}");
}
#[tokio::test(flavor = "current_thread")]
async fn in_a_browser_a_page_at_the_cap_opens_quickly() {
    let Some((driver, binary)) = start_driver() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    large_corpus(dir.path(), 14);
    std::fs::write(dir.path().join("textscrub.toml"), "").unwrap();
    let (page, html) = build_page(dir.path(), &[]);
    assert!(
        html.contains("Showing a sample of 1000 "),
        "the cap was not reached"
    );
    let client = browser(&driver, &binary).await;
    let started = Instant::now();
    client.goto(&file_url(&page)).await.unwrap();
    let load = client
        .execute(
            "const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd;",
            vec![],
        )
        .await
        .unwrap();
    let wall = started.elapsed();
    // First key press answers on the full page.
    press(&client, "j").await;
    assert!(current_change(&client).await.is_some());
    eprintln!(
        "page at the cap: {} documents, {:.1} MB, load event at {:.0} ms, goto returned after {:.0} ms",
        1000,
        html.len() as f64 / 1e6,
        load.as_f64().unwrap(),
        wall.as_secs_f64() * 1000.0
    );
    assert_eq!(console_problems(&client).await, Vec::<String>::new());
    client.close().await.unwrap();
    // Only a bound against pathologies: the time depends on the machine (the README
    // gives a measured figure); the size does not.
    assert!(load.as_f64().unwrap() < 60_000.0);
    assert!(html.len() < 40_000_000, "{} bytes", html.len());
}
