//! Settings in layers, as typos does it: every field optional, layers merged in order
//! (built-in defaults, then the project config file, then the command line or the
//! caller's own layer), a later layer winning field by field.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::error::Error;
use crate::pipeline::Options;
use crate::rule::LoadOptions;
use crate::rule::RuleSet;
use crate::rule::DEFAULT_RULE_FILES;
use crate::sentence::RuleChoice;

/// One layer of settings. Every field is optional; [`Layer::merge`] lets a later layer
/// win field by field. Rule paths add up instead: each layer's files run after the ones
/// before.
#[derive(Debug, Clone, Default)]
pub struct Layer {
    /// Extra rule files or folders, run after those of earlier layers.
    pub rules: Vec<PathBuf>,
    /// Whether the embedded default rules are loaded (default: yes).
    pub default_rules: Option<bool>,
    /// Rule-id globs to run (default: the rules that are on by default).
    pub select: Option<Vec<String>>,
    /// Rule-id globs to run on top of the selection, rules shipped off included.
    pub extend_select: Option<Vec<String>>,
    /// Rule-id globs to skip.
    pub ignore: Option<Vec<String>>,
    /// Default sentence language (default: the language detected in each document, else
    /// `en`).
    pub lang: Option<String>,
    /// Share of words the rules may remove before the guard flags a document.
    pub guard_share: Option<f64>,
}

impl Layer {
    /// This layer with `over` on top: each field `over` sets wins; rule paths add up.
    #[must_use]
    pub fn merge(mut self, over: Layer) -> Layer {
        self.rules.extend(over.rules);
        self.default_rules = over.default_rules.or(self.default_rules);
        self.select = over.select.or(self.select);
        self.extend_select = over.extend_select.or(self.extend_select);
        self.ignore = over.ignore.or(self.ignore);
        self.lang = over.lang.or(self.lang);
        self.guard_share = over.guard_share.or(self.guard_share);
        self
    }
}

/// A non-empty list, or nothing: an empty glob list in a config means "not set".
fn set(globs: &[String]) -> Option<Vec<String>> {
    (!globs.is_empty()).then(|| globs.to_vec())
}

impl Config {
    /// The settings this config file gives, as a layer.
    #[must_use]
    pub fn layer(&self) -> Layer {
        Layer {
            rules: self.rules.clone(),
            default_rules: self.default_rules,
            select: set(&self.select),
            extend_select: set(&self.extend_select),
            ignore: set(&self.ignore),
            lang: self.lang.clone(),
            guard_share: self.guard_share,
        }
    }
}

/// The effective settings of a run: the merged layers, and the config file for what
/// only a config file says (per-path ignores, allowed phrases and ids, quality limits).
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The project config (empty when there is none).
    pub config: Config,
    /// Defaults, then the config file, then the caller's layer, merged.
    pub layer: Layer,
}

impl Settings {
    /// The config file at `config`, or else the nearest `textscrub.toml` in the working
    /// directory or its parents, with `flags` on top.
    pub fn new(config: Option<&Path>, flags: Layer) -> Result<Self, Error> {
        let config = match config {
            Some(path) => Config::load(path)?,
            None => {
                let here = std::env::current_dir().map_err(|source| Error::Io {
                    path: PathBuf::from("."),
                    source,
                })?;
                Config::discover(&here)?
            }
        };
        Ok(Self::from_config(config, flags))
    }

    /// `config` with `flags` on top.
    #[must_use]
    pub fn from_config(config: Config, flags: Layer) -> Self {
        let layer = config.layer().merge(flags);
        Self { config, layer }
    }

    /// Every rule the settings load, before any selection: rules shipped off
    /// (`default = false`) included, with the config's quality limits.
    pub fn load_unselected(&self) -> Result<RuleSet, Error> {
        let mut rules = RuleSet::load(&LoadOptions {
            default_rules: self.layer.default_rules.unwrap_or(true),
            paths: self.layer.rules.clone(),
        })?;
        self.config.apply_quality_overrides(&mut rules)?;
        Ok(rules)
    }

    /// The rules that run: [`Settings::load_unselected`], then the selection.
    pub fn load(&self) -> Result<RuleSet, Error> {
        self.select(self.load_unselected()?)
    }

    /// The rule files the settings name, read: `(path, contents)`, defaults first. With
    /// [`Settings::load_sources`] they rebuild the rules where the files are not (a worker
    /// on another machine).
    pub fn rule_sources(&self) -> Result<Vec<(PathBuf, String)>, Error> {
        let mut sources = Vec::new();
        if self.layer.default_rules.unwrap_or(true) {
            for (name, text) in DEFAULT_RULE_FILES {
                sources.push((PathBuf::from(format!("<default>/{name}")), text.to_string()));
            }
        }
        for path in &self.layer.rules {
            for file in crate::rule::rule_files(path)? {
                let text = std::fs::read_to_string(&file).map_err(|source| Error::Io {
                    path: file.clone(),
                    source,
                })?;
                sources.push((file, text));
            }
        }
        Ok(sources)
    }

    /// The rules that run, compiled from `sources` (see [`Settings::rule_sources`]).
    pub fn load_sources(&self, sources: &[(PathBuf, String)]) -> Result<RuleSet, Error> {
        let mut rules = RuleSet::from_sources(sources)?;
        self.config.apply_quality_overrides(&mut rules)?;
        self.select(rules)
    }

    /// The pipeline options: guard, allowed phrases, and whether to measure quality and
    /// split sentences (with the default language's rules, or, when there is none, the
    /// rules of the language detected in each document).
    pub fn options(&self, quality: bool, sentences: bool) -> Result<Options, Error> {
        Ok(Options {
            guard_share: self.guard_share(),
            allow: self.config.allow.clone(),
            quality,
            recipe: crate::quality::Recipe::default(),
            lid: None,
            time: false,
            sentences: sentences
                .then(|| RuleChoice::new(self.layer.lang.as_deref()))
                .transpose()
                .map_err(|e| Error::Selection {
                    message: e.to_string(),
                })?,
        })
    }

    /// Applies the selection to every rule loaded.
    fn select(&self, mut rules: RuleSet) -> Result<RuleSet, Error> {
        self.config.check_rule_globs(&rules)?;
        let globs = |g: &Option<Vec<String>>| g.clone().unwrap_or_default();
        rules.select_extended(
            &globs(&self.layer.select),
            &globs(&self.layer.extend_select),
            &globs(&self.layer.ignore),
        )?;
        Ok(rules)
    }

    /// The default sentence language.
    #[must_use]
    pub fn lang(&self) -> &str {
        self.layer.lang.as_deref().unwrap_or("en")
    }

    /// The over-cleaning guard's threshold.
    #[must_use]
    pub fn guard_share(&self) -> f64 {
        self.layer
            .guard_share
            .unwrap_or(crate::pipeline::Options::default().guard_share)
    }
}
