//! Rendering the page with minijinja. The template's name ends in `.html`, so minijinja
//! escapes every value for HTML (text and attributes) unless marked safe; only the
//! page's own CSS and script are.

use minijinja::{context, Environment, Value};
use serde::Serialize;

use super::{Error, Review};

const TEMPLATE: &str = include_str!("page.html");
const STYLE: &str = include_str!("review.css");
const SCRIPT: &str = include_str!("review.js");

#[derive(Serialize)]
struct RuleRow {
    id: String,
    description: String,
    order: usize,
    changes: u64,
    findings: u64,
    documents: u64,
    /// Bar width in percent of the largest count.
    bar: f64,
}

pub(super) fn render(review: Review) -> Result<String, Error> {
    let Review {
        options,
        totals,
        rules,
        sample,
    } = review;
    let quota = sample.quota();
    let offered = sample.seen();
    let documents = sample.finish();
    let most = rules
        .values()
        .map(|r| r.changes + r.findings)
        .max()
        .unwrap_or(0)
        .max(1);
    let mut rows: Vec<RuleRow> = rules
        .into_iter()
        .filter(|(_, r)| r.documents > 0)
        .map(|(id, r)| RuleRow {
            bar: ((r.changes + r.findings) as f64 * 100.0 / most as f64 * 10.0).round() / 10.0,
            id,
            description: r.description,
            order: r.order,
            changes: r.changes,
            findings: r.findings,
            documents: r.documents,
        })
        .collect();
    rows.sort_by(|a, b| b.changes.cmp(&a.changes).then(a.order.cmp(&b.order)));
    let statuses: Vec<String> = documents.iter().map(|d| d.statuses()).collect();
    let mut env = Environment::new();
    env.add_template("page.html", TEMPLATE)?;
    let html = env.get_template("page.html")?.render(context! {
        title => options.title,
        style => Value::from_safe_string(STYLE.to_string()),
        script => Value::from_safe_string(SCRIPT.to_string()),
        totals => context! {
            read => totals.read,
            changed => totals.changed,
            dropped => totals.dropped,
            guarded => totals.guarded,
            flagged => totals.flagged,
            reviewable => totals.reviewable,
        },
        shown => documents.len(),
        capped => documents.len() < offered,
        max_docs => options.max_docs,
        quota => quota,
        rules => rows,
        documents => documents,
        statuses => statuses,
        version => env!("CARGO_PKG_VERSION"),
    })?;
    Ok(html)
}
