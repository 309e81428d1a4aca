//! Fitting a line model: logistic regression (Newton's method, ridge penalty) on
//! line-labelled pages, cross-validated by document, written out as a rule file.
//!
//! Deterministic: no sampling, documents fold by their position, and the solver is exact,
//! so the same pages give the same weights on any machine.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::Path;

use super::features::{names, rows};
use super::LineModel;
use crate::error::Error;
use crate::rule::toml_string;

/// A page and its line labels: `labels[i]` belongs to `text.split('\n')[i]`;
/// `Some(true)` boilerplate, `Some(false)` content, `None` blank or unknown.
#[derive(Debug, Clone)]
pub struct LabelledPage {
    /// The page's id.
    pub id: String,
    /// Its text.
    pub text: String,
    /// One label per line.
    pub labels: Vec<Option<bool>>,
}

/// Reads pages in the format of `fixtures/scraped-dev`: `{"id","text"}` lines in `docs`,
/// `{"id","line_labels"}` lines in `labels` (`1` content, `0` boilerplate, `null`
/// blank). Pages without a label are left out.
pub fn read_labelled(docs: &Path, labels_path: &Path) -> Result<Vec<LabelledPage>, Error> {
    #[derive(serde::Deserialize)]
    struct Doc {
        id: String,
        text: String,
    }
    #[derive(serde::Deserialize)]
    struct Labels {
        id: String,
        line_labels: Vec<Option<u8>>,
    }
    fn lines<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Vec<(usize, T)>, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        text.lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(n, l)| {
                serde_json::from_str(l)
                    .map(|v| (n + 1, v))
                    .map_err(|e| Error::Input {
                        path: path.display().to_string(),
                        line: n + 1,
                        message: e.to_string(),
                    })
            })
            .collect()
    }
    let mut by_id: HashMap<String, (usize, Vec<Option<u8>>)> = lines::<Labels>(labels_path)?
        .into_iter()
        .map(|(n, l)| (l.id, (n, l.line_labels)))
        .collect();
    let mut pages = Vec::new();
    for (_, doc) in lines::<Doc>(docs)? {
        let Some((line, labels)) = by_id.remove(&doc.id) else {
            continue;
        };
        if labels.iter().all(Option::is_none) {
            continue;
        }
        let count = doc.text.split('\n').count();
        if labels.len() != count {
            return Err(Error::Input {
                path: labels_path.display().to_string(),
                line,
                message: format!(
                    "page `{}` has {count} lines but {} labels",
                    doc.id,
                    labels.len()
                ),
            });
        }
        pages.push(LabelledPage {
            id: doc.id,
            text: doc.text,
            labels: labels.into_iter().map(|l| l.map(|v| v == 0)).collect(),
        });
    }
    Ok(pages)
}

/// How to fit.
#[derive(Debug, Clone)]
pub struct FitOptions {
    /// Window half-widths, in non-blank lines (`[4, 16]`).
    pub windows: Vec<usize>,
    /// Cross-validation folds, by document.
    pub folds: usize,
    /// Ridge penalty on the standardised weights.
    pub ridge: f64,
    /// Strictness levels: rule id → the largest share of content lines the level may lose
    /// in cross-validation; its threshold is the lowest that stays within it.
    pub levels: Vec<(String, f64)>,
}

impl Default for FitOptions {
    fn default() -> Self {
        Self {
            windows: vec![4, 16],
            folds: 5,
            ridge: 1.0,
            levels: vec![
                ("boilerplate-conservative/line".into(), 0.003),
                ("boilerplate/line".into(), 0.01),
                ("boilerplate-aggressive/line".into(), 0.03),
            ],
        }
    }
}

/// One row of the cross-validated report.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReportRow {
    /// The score threshold.
    pub threshold: f64,
    /// Share of boilerplate lines at or above it.
    pub recall: f64,
    /// Share of content lines at or above it (lost).
    pub content_lost: f64,
}

/// A fitted model and how it did.
#[derive(Debug, Clone)]
pub struct Fitted {
    /// Feature name → weight, `bias` included; fitted on every page.
    pub weights: BTreeMap<String, f64>,
    /// Window half-widths.
    pub windows: Vec<usize>,
    /// Cross-validated recall and content loss by threshold.
    pub report: Vec<ReportRow>,
    /// Each level's rule id, threshold and its cross-validated row.
    pub levels: Vec<(String, ReportRow)>,
    /// Pages, boilerplate lines and content lines fitted on.
    pub counts: (usize, usize, usize),
}

/// Labelled rows of some pages: features, label, page index.
struct Data {
    width: usize,
    x: Vec<f64>,
    y: Vec<f64>,
    page: Vec<usize>,
}

fn data(pages: &[LabelledPage], windows: &[usize]) -> Data {
    let width = names(windows).len();
    let mut out = Data {
        width,
        x: Vec::new(),
        y: Vec::new(),
        page: Vec::new(),
    };
    for (p, page) in pages.iter().enumerate() {
        let rows = rows(&page.text, windows);
        let non_blank = page
            .text
            .split('\n')
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, _)| i);
        for (r, line) in non_blank.enumerate() {
            if let Some(label) = page.labels.get(line).copied().flatten() {
                out.x.extend_from_slice(rows.row(r));
                out.y.push(f64::from(u8::from(label)));
                out.page.push(p);
            }
        }
    }
    out
}

/// Logistic regression on the rows `keep` selects; returns raw-feature weights and bias.
fn train(data: &Data, keep: &dyn Fn(usize) -> bool, ridge: f64) -> (Vec<f64>, f64) {
    let w = data.width;
    let chosen: Vec<usize> = (0..data.y.len()).filter(|&i| keep(i)).collect();
    let n = chosen.len().max(1) as f64;
    // Standardise so one ridge penalty fits every feature and Newton steps are stable.
    let mut mean = vec![0.0; w];
    let mut sd = vec![0.0; w];
    for &i in &chosen {
        for (m, x) in mean.iter_mut().zip(&data.x[i * w..(i + 1) * w]) {
            *m += x;
        }
    }
    mean.iter_mut().for_each(|m| *m /= n);
    for &i in &chosen {
        for ((s, x), m) in sd.iter_mut().zip(&data.x[i * w..(i + 1) * w]).zip(&mean) {
            *s += (x - m).powi(2);
        }
    }
    sd.iter_mut().for_each(|s| *s = (*s / n).sqrt());
    let dim = w + 1; // last: bias
    let z = |i: usize, f: usize| -> f64 {
        if f == w {
            1.0
        } else if sd[f] > 1e-12 {
            (data.x[i * w + f] - mean[f]) / sd[f]
        } else {
            0.0
        }
    };
    let mut beta = vec![0.0; dim];
    let mut row = vec![0.0; dim];
    for _ in 0..50 {
        let mut hessian = vec![0.0; dim * dim];
        let mut gradient = vec![0.0; dim];
        for &i in &chosen {
            for (f, r) in row.iter_mut().enumerate() {
                *r = z(i, f);
            }
            let eta: f64 = row.iter().zip(&beta).map(|(a, b)| a * b).sum();
            let p = 1.0 / (1.0 + (-eta).exp());
            let weight = (p * (1.0 - p)).max(1e-9);
            let residual = p - data.y[i];
            for a in 0..dim {
                gradient[a] += residual * row[a];
                let ra = row[a] * weight;
                for b in a..dim {
                    hessian[a * dim + b] += ra * row[b];
                }
            }
        }
        for a in 0..dim {
            for b in 0..a {
                hessian[a * dim + b] = hessian[b * dim + a];
            }
            if a < w {
                hessian[a * dim + a] += ridge;
                gradient[a] += ridge * beta[a];
            }
        }
        let step = solve(&mut hessian, &mut gradient, dim);
        let mut largest: f64 = 0.0;
        for (b, s) in beta.iter_mut().zip(&step) {
            *b -= s;
            largest = largest.max(s.abs());
        }
        if largest < 1e-9 {
            break;
        }
    }
    let mut weights = vec![0.0; w];
    let mut bias = beta[w];
    for f in 0..w {
        if sd[f] > 1e-12 {
            weights[f] = beta[f] / sd[f];
            bias -= beta[f] * mean[f] / sd[f];
        }
    }
    (weights, bias)
}

/// Solves `a x = b` for a symmetric positive definite `a` (Cholesky); `a` and `b` are
/// overwritten.
fn solve(a: &mut [f64], b: &mut [f64], n: usize) -> Vec<f64> {
    for j in 0..n {
        let mut d = a[j * n + j];
        for k in 0..j {
            d -= a[j * n + k] * a[j * n + k];
        }
        let d = d.max(1e-12).sqrt();
        a[j * n + j] = d;
        for i in j + 1..n {
            let mut s = a[i * n + j];
            for k in 0..j {
                s -= a[i * n + k] * a[j * n + k];
            }
            a[i * n + j] = s / d;
        }
    }
    for i in 0..n {
        let mut s = b[i];
        for k in 0..i {
            s -= a[i * n + k] * b[k];
        }
        b[i] = s / a[i * n + i];
    }
    for i in (0..n).rev() {
        let mut s = b[i];
        for k in i + 1..n {
            s -= a[k * n + i] * b[k];
        }
        b[i] = s / a[i * n + i];
    }
    b.to_vec()
}

fn score(data: &Data, i: usize, weights: &[f64], bias: f64) -> f64 {
    let w = data.width;
    let z = bias
        + data.x[i * w..(i + 1) * w]
            .iter()
            .zip(weights)
            .map(|(x, k)| x * k)
            .sum::<f64>();
    1.0 / (1.0 + (-z).exp())
}

fn row_at(scored: &[(f64, f64)], threshold: f64) -> ReportRow {
    let (mut boiler, mut content, mut hit, mut lost) = (0.0, 0.0, 0.0, 0.0);
    for &(s, y) in scored {
        if y > 0.5 {
            boiler += 1.0;
            hit += f64::from(u8::from(s >= threshold));
        } else {
            content += 1.0;
            lost += f64::from(u8::from(s >= threshold));
        }
    }
    ReportRow {
        threshold,
        recall: hit / f64::max(boiler, 1.0),
        content_lost: lost / f64::max(content, 1.0),
    }
}

/// Fits on `pages`: cross-validated by document for the report and the levels'
/// thresholds, then once on every page for the weights.
#[must_use]
pub fn fit(pages: &[LabelledPage], options: &FitOptions) -> Fitted {
    let data = data(pages, &options.windows);
    let folds = options.folds.max(2);
    let mut scored = vec![(0.0, 0.0); data.y.len()];
    for fold in 0..folds {
        let (weights, bias) = train(&data, &|i| data.page[i] % folds != fold, options.ridge);
        for (i, s) in scored.iter_mut().enumerate() {
            if data.page[i] % folds == fold {
                *s = (score(&data, i, &weights, bias), data.y[i]);
            }
        }
    }
    let report = (1..20)
        .map(|k| f64::from(k) * 0.05)
        .chain([0.96, 0.97, 0.98, 0.99])
        .map(|t| row_at(&scored, t))
        .collect();
    let levels = options
        .levels
        .iter()
        .map(|(id, budget)| {
            let row = (1..1000)
                .map(|k| row_at(&scored, f64::from(k) * 0.001))
                .find(|r| r.content_lost <= *budget)
                .unwrap_or_else(|| row_at(&scored, 0.999));
            (id.clone(), row)
        })
        .collect();
    let (weights, bias) = train(&data, &|_| true, options.ridge);
    let mut named: BTreeMap<String, f64> = names(&options.windows)
        .into_iter()
        .zip(weights)
        .filter(|(_, w)| *w != 0.0)
        .collect();
    named.insert("bias".into(), bias);
    let boiler = data.y.iter().filter(|y| **y > 0.5).count();
    Fitted {
        weights: named,
        windows: options.windows.clone(),
        report,
        levels,
        counts: (pages.len(), boiler, data.y.len() - boiler),
    }
}

impl Fitted {
    /// The model at `threshold`.
    #[must_use]
    pub fn model(&self, threshold: f64) -> LineModel {
        LineModel::new(self.windows.clone(), &self.weights, threshold)
            .expect("fitted weights name known features")
    }

    /// A rule file with one `line-score` rule per level, shipped off (`default = false`),
    /// each with tests drawn from `pages`: an excerpt whose boilerplate the level removes
    /// without touching content, and one it leaves alone.
    #[must_use]
    pub fn rule_file(&self, pages: &[LabelledPage], command: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# Written by `{command}`; refit rather than edit the weights.\n#\n\
             # Fitted on {} pages ({} boilerplate, {} content lines). Cross-validated by\n\
             # document ({} levels below):\n#\n# threshold  boilerplate removed  content lost",
            self.counts.0,
            self.counts.1,
            self.counts.2,
            self.levels.len()
        );
        for row in &self.report {
            let _ = writeln!(
                out,
                "# {:9.2}  {:18.1}%  {:11.2}%",
                row.threshold,
                row.recall * 100.0,
                row.content_lost * 100.0
            );
        }
        for (id, row) in &self.levels {
            let model = self.model(row.threshold);
            let _ = writeln!(
                out,
                "\n[[rule]]\nid = \"{id}\"\nkind = \"line-score\"\n\
                 description = \"Page furniture (menus, share bars, footers, teasers) by a line model: {:.0}% of boilerplate lines, {:.2}% of content lines in cross-validation.\"\n\
                 default = false\nthreshold = {:.3}\nwindows = {:?}\n\n[rule.weights]",
                row.recall * 100.0,
                row.content_lost * 100.0,
                row.threshold,
                self.windows
            );
            for (name, weight) in &self.weights {
                let key = if name.contains('.') {
                    format!("\"{name}\"")
                } else {
                    name.clone()
                };
                let _ = writeln!(out, "{key} = {weight:.6}");
            }
            for (input, output) in tests(&model, pages) {
                let _ = writeln!(out, "\n[[rule.test]]\ninput = {}", toml_string(&input));
                if let Some(output) = output {
                    let _ = writeln!(out, "output = {}", toml_string(&output));
                }
            }
        }
        out
    }
}

/// A test that removes labelled boilerplate and keeps every content line, and one of
/// content the model leaves alone: excerpts of 12 lines.
fn tests(model: &LineModel, pages: &[LabelledPage]) -> Vec<(String, Option<String>)> {
    let mut removing = None;
    let mut keeping = None;
    for page in pages {
        let lines: Vec<&str> = page.text.split('\n').collect();
        for start in (0..lines.len().saturating_sub(12)).step_by(6) {
            let excerpt = lines[start..start + 12].join("\n") + "\n";
            let labels = &page.labels[start..start + 12];
            if labels.iter().any(Option::is_none) && labels.iter().all(Option::is_none) {
                continue;
            }
            let edits: Vec<crate::edit::Edit> =
                model.edits(&excerpt).into_iter().map(|e| e.0).collect();
            let output = crate::edit::apply(&excerpt, &edits);
            let content: Vec<&str> = lines[start..start + 12]
                .iter()
                .zip(labels)
                .filter(|(_, l)| **l == Some(false))
                .map(|(t, _)| *t)
                .collect();
            let kept_all = content.iter().all(|c| output.lines().any(|o| o == *c));
            let has_boiler = labels.contains(&Some(true));
            if removing.is_none()
                && has_boiler
                && !content.is_empty()
                && kept_all
                && !edits.is_empty()
            {
                removing = Some((excerpt.clone(), Some(output.clone())));
            }
            if keeping.is_none() && !has_boiler && content.len() >= 3 && edits.is_empty() {
                keeping = Some((excerpt, None));
            }
        }
        if removing.is_some() && keeping.is_some() {
            break;
        }
    }
    removing.into_iter().chain(keeping).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pages where short capitalised lines are boilerplate and sentences are content.
    fn pages() -> Vec<LabelledPage> {
        (0..10)
            .map(|p| {
                let mut text = String::new();
                let mut labels = Vec::new();
                for k in 0..6 {
                    text.push_str(&format!("Menu Item {k}\n\n"));
                    labels.extend([Some(true), None]);
                }
                for k in 0..6 {
                    text.push_str(&format!(
                        "The council met on day {k} of page {p} and agreed on a plan, officials said.\n\n"
                    ));
                    labels.extend([Some(false), None]);
                }
                text.push_str("Copyright 2024 All Rights Reserved");
                labels.push(Some(true));
                LabelledPage {
                    id: format!("p{p}"),
                    text,
                    labels,
                }
            })
            .collect()
    }

    #[test]
    fn separable_pages_are_fitted_and_cross_validated() {
        let pages = pages();
        let fitted = fit(&pages, &FitOptions::default());
        let default = &fitted.levels[1].1;
        assert!(default.recall > 0.99, "{default:?}");
        assert_eq!(default.content_lost, 0.0);
        // The same pages give the same weights.
        assert_eq!(fitted.weights, fit(&pages, &FitOptions::default()).weights);
    }

    #[test]
    fn the_rule_file_loads_and_its_tests_pass() {
        let pages = pages();
        let fitted = fit(&pages, &FitOptions::default());
        let file = fitted.rule_file(&pages, "test");
        let rules =
            crate::rule::RuleSet::from_sources(&[("fit.toml".into(), file.clone())]).expect(&file);
        assert_eq!(rules.rules().len(), 3);
        for rule in rules.rules() {
            assert!(!rule.enabled);
            assert!(!rule.tests.is_empty());
            for case in rule.run_tests() {
                assert_eq!(case.status, crate::rule::CaseStatus::Pass, "{case:?}");
            }
        }
    }

    #[test]
    fn cholesky_solves() {
        let mut a = vec![4.0, 2.0, 2.0, 3.0];
        let mut b = vec![2.0, 1.0];
        let x = solve(&mut a, &mut b, 2);
        assert!((x[0] - 0.5).abs() < 1e-12 && x[1].abs() < 1e-12, "{x:?}");
    }
}
